// SPDX-License-Identifier: GPL-2.0
/*
 * rec_touch PAGES REPS: mmap PAGES anonymous pages, write one byte to each
 * (a page fault and a page allocation each), munmap; REPS times.  Prints
 * "touch pages=N reps=R best_ns=B ns_per_page=P" with the best repetition.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long pages = argc > 1 ? atol(argv[1]) : 10000;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	long psz = sysconf(_SC_PAGESIZE);
	long long best = -1;

	for (int r = 0; r < reps; r++) {
		long long t0 = now_ns(), t;
		char *p = mmap(NULL, pages * psz, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("rec_touch: mmap");
			return 1;
		}
		for (long i = 0; i < pages; i++)
			p[i * psz] = 1;
		munmap(p, pages * psz);
		t = now_ns() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	printf("touch pages=%ld reps=%d best_ns=%lld ns_per_page=%lld\n",
	       pages, reps, best, best / pages);
	return 0;
}
