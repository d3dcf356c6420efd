// SPDX-License-Identifier: GPL-2.0
/*
 * rec_maps: map one-page anonymous regions, alternately read-only and
 * read-write so that none merges with its neighbour, until mmap() fails
 * (vm.max_map_count).  Prints "maps N errno=E map_count=M" where N is the
 * number of successful mmap() calls and M the lines of /proc/self/maps at
 * the failure.  Exit 0 when mmap failed with ENOMEM, 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

int main(void)
{
	long n;
	int err = 0;

	for (n = 0; n < 10000000; n++) {
		int prot = (n & 1) ? PROT_READ : PROT_READ | PROT_WRITE;

		if (mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED) {
			err = errno;
			break;
		}
	}
	printf("maps %ld errno=%d map_count=%d\n", n, err, count_maps());
	return err == ENOMEM ? 0 : 1;
}
