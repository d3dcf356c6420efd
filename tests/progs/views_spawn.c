// SPDX-License-Identifier: GPL-2.0
/*
 * views_spawn N [MAX_KB]
 *
 * Start N idle child processes with different sizes and oom_score_adj
 * values, for comparing the "tasks" view with /proc/PID/oom_score.  Child i
 * touches (i % 9) * MAX_KB / 8 kB of anonymous memory (MAX_KB defaults to
 * 512) and sets oom_score_adj to one of -1000, -999, -500, -1, 0, 1, 500,
 * 999, 1000 in turn.  Every 50th child runs 3 extra threads; one child
 * sits in vfork() (its child shares its mm: the OOM killer exempts it).
 * Prints "ready N" when all are set up, then waits; SIGTERM or SIGINT
 * kills the children and exits.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

static const char *adjs[] = { "-1000", "-999", "-500", "-1", "0", "1", "500", "999", "1000" };

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void child(int i, long max_kb, int ready_fd)
{
	size_t bytes = (size_t)(i % 9) * max_kb / 8 * 1024;
	FILE *f = fopen("/proc/self/oom_score_adj", "w");
	int t;

	if (!f || fprintf(f, "%s\n", adjs[i % 9]) < 0 || fclose(f))
		_exit(1);
	if (bytes) {
		char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		memset(p, i & 0xff, bytes);
	}
	if (i % 50 == 7) {
		for (t = 0; t < 3; t++) {
			pthread_t th;

			pthread_create(&th, NULL, idle_thread, NULL);
		}
	}
	if (i == 3) {
		/* The vfork child shares our mm until it execs or exits. */
		if (write(ready_fd, "x", 1) != 1)
			_exit(1);
		if (vfork() == 0) {
			for (;;)
				pause();
		}
		_exit(0);
	}
	if (write(ready_fd, "x", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	long n, max_kb = 512, i;
	int fds[2];
	char c;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: views_spawn N [MAX_KB]\n");
		return 2;
	}
	n = atol(argv[1]);
	if (argc == 3)
		max_kb = atol(argv[2]);
	if (pipe(fds))
		return 1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	setpgid(0, 0);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("views_spawn: fork");
			break;
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			close(fds[0]);
			child((int)i, max_kb, fds[1]);
		}
	}
	n = i;
	close(fds[1]);
	for (i = 0; i < n; i++)
		if (read(fds[0], &c, 1) != 1)
			break;
	printf("ready %ld\n", i);
	fflush(stdout);
	while (!stop)
		pause();
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGTERM);
	while (wait(NULL) > 0)
		;
	return 0;
}
