// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_faultbench [MB] [ROUNDS]
 *
 * Page-fault / page-allocation microbenchmark for tests/bench/bpf_overhead:
 * each round maps MB of anonymous memory, writes one byte per page (one
 * fault and one order-0 allocation each), and unmaps it.  Prints
 *   "faultbench pages=N rounds=R best_ns_per_page=X median_ns_per_page=Y"
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long mb = argc > 1 ? atol(argv[1]) : 32;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	long page = sysconf(_SC_PAGESIZE);
	long pages = (mb << 20) / page;
	double *r;

	if (mb <= 0 || rounds <= 0) {
		fprintf(stderr, "usage: bpf_faultbench [MB] [ROUNDS]\n");
		return 2;
	}
	r = calloc(rounds, sizeof(*r));
	if (!r)
		return 1;
	for (int i = 0; i < rounds; i++) {
		unsigned long long t0;
		char *p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("bpf_faultbench: mmap");
			return 1;
		}
		t0 = now_ns();
		for (long j = 0; j < pages; j++)
			p[j * page] = 1;
		r[i] = (double)(now_ns() - t0) / pages;
		munmap(p, mb << 20);
	}
	qsort(r, rounds, sizeof(*r), cmp);
	printf("faultbench pages=%ld rounds=%d best_ns_per_page=%.0f median_ns_per_page=%.0f\n",
	       pages, rounds, r[0], r[rounds / 2]);
	return 0;
}
