// SPDX-License-Identifier: GPL-2.0
/*
 * domain_mpol NODES CMD [ARGS...]
 *
 * Bind the calling task's memory policy to NODES (a node list such as 1 or
 * 0-1, nodes below 64) with set_mempolicy(MPOL_BIND), as numactl --membind
 * does, then exec CMD: the policy stays across exec, so CMD's allocations
 * may come only from NODES and an OOM they cause is a mempolicy-constrained
 * one (CONSTRAINT_MEMORY_POLICY).  Exit 2 on a bad node list, 1 when the
 * kernel refuses the policy or CMD cannot be run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#define MPOL_BIND 2

static int parse(const char *s, unsigned long *mask)
{
	*mask = 0;
	for (;;) {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			return -1;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s)
				return -1;
		}
		if (a < 0 || b < a || b >= 64)
			return -1;
		for (long n = a; n <= b; n++)
			*mask |= 1UL << n;
		if (*end != ',')
			return *end ? -1 : 0;
		s = end + 1;
	}
}

int main(int argc, char **argv)
{
	unsigned long mask;

	if (argc < 3 || parse(argv[1], &mask) || !mask) {
		fprintf(stderr, "usage: domain_mpol NODES CMD [ARGS...]\n");
		return 2;
	}
	/* maxnode counts one more than the bits the kernel reads. */
	if (syscall(SYS_set_mempolicy, MPOL_BIND, &mask, 65UL)) {
		fprintf(stderr, "domain_mpol: set_mempolicy(MPOL_BIND, %s): %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "domain_mpol: %s: %s\n", argv[2], strerror(errno));
	return 1;
}
