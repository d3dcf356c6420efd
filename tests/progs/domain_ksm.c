// SPDX-License-Identifier: GPL-2.0
/*
 * domain_ksm MB
 *
 * MB megabytes of anonymous pages with identical contents, offered to KSM
 * (MADV_MERGEABLE), so that ksmd merges them into one page and an unmerge
 * ("echo 2 > /sys/kernel/mm/ksm/run") has to allocate them all again.
 * Prints "ready" and waits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	long mb = argc == 2 ? atol(argv[1]) : -1;
	size_t len;
	char *p;

	if (mb <= 0) {
		fprintf(stderr, "usage: domain_ksm MB\n");
		return 2;
	}
	len = (size_t)mb << 20;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(p, 0x5a, len);
	if (madvise(p, len, MADV_MERGEABLE)) {
		perror("madvise(MADV_MERGEABLE)");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
