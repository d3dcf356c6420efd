// SPDX-License-Identifier: GPL-2.0
/*
 * domain_twins N KB ADJ
 *
 * N processes the OOM killer cannot tell apart: the parent touches KB kB of
 * anonymous memory and sets oom_score_adj ADJ, then forks N children that
 * only pause(), so each child has the same rss, swap and page tables, and
 * so the same badness.  The parent then sets its own oom_score_adj to
 * -1000 (it is not one of the twins).  Prints "twin PID" per child in fork
 * order and "ready N"; SIGTERM kills the children and exits.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

static pid_t kids[1024];
static int nkids;

static void stop(int sig)
{
	(void)sig;
	for (int i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	_exit(0);
}

static int set_adj(const char *adj)
{
	FILE *f = fopen("/proc/self/oom_score_adj", "w");

	return !f || fprintf(f, "%s\n", adj) < 0 || fclose(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	long n, kb;
	char *mem;

	if (argc != 4 || (n = atol(argv[1])) < 1 || n > 1024 || (kb = atol(argv[2])) < 0) {
		fprintf(stderr, "usage: domain_twins N KB ADJ\n");
		return 2;
	}
	if (set_adj(argv[3])) {
		perror("oom_score_adj");
		return 1;
	}
	mem = mmap(NULL, (size_t)kb * 1024 + 1, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(mem, 0x5a, (size_t)kb * 1024);
	signal(SIGTERM, stop);
	signal(SIGINT, stop);
	fflush(stdout);
	for (nkids = 0; nkids < n; nkids++) {
		pid_t p = fork();

		if (p < 0) {
			perror("fork");
			stop(0);
		}
		if (p == 0)
			for (;;)
				pause();
		kids[nkids] = p;
	}
	for (int i = 0; i < nkids; i++)
		printf("twin %d\n", (int)kids[i]);
	if (set_adj("-1000"))
		perror("oom_score_adj");
	printf("ready %d\n", nkids);
	fflush(stdout);
	for (;;) {
		if (wait(NULL) < 0)
			pause();
	}
}
