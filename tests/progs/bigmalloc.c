// SPDX-License-Identifier: GPL-2.0
/*
 * bigmalloc BYTES [KIND]
 *
 * Ask for BYTES of address space without touching it, the way malloc does
 * for a large block, and report the outcome on stdout:
 *   "ok BYTES" (exit 0) or "fail BYTES errno=N (text)" (exit 1).
 * KIND is mmap (default), brk or mremap.  BYTES takes k/m/g suffixes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

static unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'g': case 'G': v <<= 10; /* fall through */
	case 'm': case 'M': v <<= 10; /* fall through */
	case 'k': case 'K': v <<= 10; end++; break;
	}
	if (*end || end == s) {
		fprintf(stderr, "bigmalloc: bad size '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *kind = argc > 2 ? argv[2] : "mmap";
	unsigned long long bytes;
	int err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bigmalloc BYTES [mmap|brk|mremap]\n");
		return 2;
	}
	bytes = parse_size(argv[1]);
	if (!strcmp(kind, "mmap")) {
		void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			err = errno;
	} else if (!strcmp(kind, "brk")) {
		if (sbrk(bytes) == (void *)-1)
			err = errno;
	} else if (!strcmp(kind, "mremap")) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED || mremap(p, 4096, bytes, MREMAP_MAYMOVE) == MAP_FAILED)
			err = errno;
	} else {
		fprintf(stderr, "bigmalloc: unknown kind '%s'\n", kind);
		return 2;
	}
	if (err) {
		printf("fail %llu errno=%d (%s)\n", bytes, err, strerror(err));
		return 1;
	}
	printf("ok %llu\n", bytes);
	return 0;
}
