// SPDX-License-Identifier: GPL-2.0
/*
 * views_readall FILE...
 * views_readall -t PASSES FILE...
 *
 * Read every FILE completely, back to back, into one buffer touched
 * beforehand, and only then print them, each after a line "==> FILE <==".
 * A FILE that cannot be opened (a /proc/PID of a process that exited)
 * prints as empty.
 * Comparing a view with the kernel's own file needs both read as close
 * together as possible with nothing allocating pages in between: a shell
 * pipeline or $(cat ...) would fork, fault and grow buffers between them.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE (4 << 20)
#define MAX_FILES 8192

static char buf[BUF_SIZE];
static size_t off[MAX_FILES + 1];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One pass over FILES, discarding the data; returns the bytes read. */
static size_t pass(char **files, int n)
{
	size_t total = 0;
	int i;

	for (i = 0; i < n; i++) {
		int fd = open(files[i], O_RDONLY);
		ssize_t r;

		if (fd < 0)
			continue;
		while ((r = read(fd, buf, sizeof(buf))) > 0)
			total += r;
		close(fd);
	}
	return total;
}

static int timed(int passes, char **files, int n)
{
	long long best = -1;
	size_t bytes = 0;
	int p;

	memset(buf, 1, sizeof(buf));
	for (p = 0; p < passes; p++) {
		long long t0 = now_ns(), dt;

		bytes = pass(files, n);
		dt = now_ns() - t0;
		if (best < 0 || dt < best)
			best = dt;
	}
	printf("files=%d bytes=%zu best_ns=%lld\n", n, bytes, best);
	return 0;
}

int main(int argc, char **argv)
{
	size_t used = 0;
	int i, n = argc - 1;

	if (argc > 3 && !strcmp(argv[1], "-t"))
		return timed(atoi(argv[2]), argv + 3, argc - 3);

	if (n < 1 || n > MAX_FILES) {
		fprintf(stderr, "usage: views_readall FILE... (at most %d)\n", MAX_FILES);
		return 2;
	}
	memset(buf, 1, sizeof(buf));	/* fault it in now, not between reads */
	for (i = 0; i < n; i++) {
		int fd = open(argv[i + 1], O_RDONLY);
		ssize_t r;

		off[i] = used;
		if (fd < 0) {
			/* A process that exited: its file is reported empty. */
			continue;
		}
		while ((r = read(fd, buf + used, sizeof(buf) - used)) > 0)
			used += r;
		close(fd);
		if (r < 0) {
			perror(argv[i + 1]);
			return 1;
		}
	}
	off[n] = used;
	for (i = 0; i < n; i++) {
		printf("==> %s <==\n", argv[i + 1]);
		fwrite(buf + off[i], 1, off[i + 1] - off[i], stdout);
	}
	return 0;
}
