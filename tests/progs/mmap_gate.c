// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_gate GATE GO BYTES
 *
 * Issue 21's sequence for one task: mmap() the test helper's GATE file
 * (the call sleeps inside do_mmap() until the gate is opened, then fails
 * with ENODEV), then wait until the file GO exists, then ask for BYTES of
 * address space (refused by vm.overcommit_memory=2 when BYTES is large).
 * Prints "gate errno=E" and "big errno=E" (0 when the mmap succeeded).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	void *p;
	int fd, err;

	if (argc != 4) {
		fprintf(stderr, "usage: mmap_gate GATE GO BYTES\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror("mmap_gate: open");
		return 2;
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	err = p == MAP_FAILED ? errno : 0;
	printf("gate errno=%d\n", err);
	fflush(stdout);
	while (access(argv[2], F_OK))
		usleep(10000);
	p = mmap(NULL, strtoull(argv[3], NULL, 0), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("big errno=%d\n", p == MAP_FAILED ? errno : 0);
	return 0;
}
