// SPDX-License-Identifier: GPL-2.0
/*
 * hog [-a OOM_SCORE_ADJ] [-m MAX_MB] [-s STEP_MB] [-p] [-w]
 *
 * Allocate and touch anonymous memory STEP_MB at a time until MAX_MB
 * (default: forever, i.e. until the OOM killer takes us).  -a writes
 * /proc/self/oom_score_adj first; -p prints "hog PID MB" after each step;
 * -w waits (pause) once MAX_MB is reached instead of exiting, so a test can
 * measure or rank a process of known size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	long max_mb = -1, step_mb = 4, done = 0;
	int print = 0, wait = 0, opt;
	const char *adj = NULL;

	while ((opt = getopt(argc, argv, "a:m:s:pw")) != -1) {
		switch (opt) {
		case 'a': adj = optarg; break;
		case 'm': max_mb = atol(optarg); break;
		case 's': step_mb = atol(optarg); break;
		case 'p': print = 1; break;
		case 'w': wait = 1; break;
		default:
			fprintf(stderr, "usage: hog [-a ADJ] [-m MAX_MB] [-s STEP_MB] [-p] [-w]\n");
			return 2;
		}
	}
	if (step_mb <= 0)
		step_mb = 1;
	if (adj) {
		FILE *f = fopen("/proc/self/oom_score_adj", "w");

		if (!f || fprintf(f, "%s\n", adj) < 0 || fclose(f)) {
			perror("hog: oom_score_adj");
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (max_mb < 0 || done < max_mb) {
		long mb = step_mb;
		char *p;

		if (max_mb >= 0 && done + mb > max_mb)
			mb = max_mb - done;
		p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("hog: mmap");
			return 1;
		}
		for (long i = 0; i < mb << 20; i += 4096)
			p[i] = 1;
		done += mb;
		if (print)
			printf("hog %d %ld\n", getpid(), done);
	}
	if (wait)
		for (;;)
			pause();
	return 0;
}
