// SPDX-License-Identifier: GPL-2.0
/*
 * cmdline_victim [-l] [-s STEP_MB] [ARG...]
 *
 * An OOM victim with a command line of the test's choosing: prints
 * "cmdline_victim PID ready", waits for SIGUSR1 (so the test can read
 * /proc/PID/cmdline and the parents first), then allocates and touches
 * anonymous memory STEP_MB (default 4) at a time until the OOM killer takes
 * it.  ARGs are not used: they are there to be seen.
 *
 * -l mlock()s the pages that hold the argument strings (argv[0] to the end
 * of the last one) first: the OOM reaper before v5.18 skips VM_LOCKED vmas
 * (v5.10.0 reaps as soon as the kill is sent), so the module's read of the
 * command line after the kill cannot lose that race there; since v5.18 the
 * reaper waits 2 s, then reaps mlocked memory too.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

int main(int argc, char **argv)
{
	long step_mb = 4, page = sysconf(_SC_PAGESIZE);
	int lock = 0, opt;
	sigset_t set, old;

	/* "+": stop at the first non-option, argv is not reordered */
	while ((opt = getopt(argc, argv, "+ls:")) != -1) {
		switch (opt) {
		case 'l': lock = 1; break;
		case 's': step_mb = atol(optarg); break;
		default:
			fprintf(stderr, "usage: cmdline_victim [-l] [-s STEP_MB] [ARG...]\n");
			return 2;
		}
	}
	if (step_mb <= 0)
		step_mb = 1;
	if (lock) {
		uintptr_t a = (uintptr_t)argv[0] & ~(uintptr_t)(page - 1);
		uintptr_t e = (uintptr_t)argv[argc - 1] + strlen(argv[argc - 1]) + 1;

		if (mlock((void *)a, e - a)) {
			perror("cmdline_victim: mlock");
			return 1;
		}
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	signal(SIGUSR1, on_usr1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("cmdline_victim %d ready\n", getpid());
	while (!go)
		sigsuspend(&old);
	for (;;) {
		char *p = mmap(NULL, step_mb << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("cmdline_victim: mmap");
			return 1;
		}
		for (long i = 0; i < step_mb << 20; i += page)
			p[i] = 1;
	}
}
