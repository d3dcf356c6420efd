// SPDX-License-Identifier: GPL-2.0
/*
 * Two success-path workloads of the overhead benchmarks
 * (tests/bench/recorder_overhead_vm.sh):
 *
 * rec_forkread fork N REPS: N times fork() + _exit(0) in the child +
 *   waitpid() in the parent (page tables, task struct, mm copy and their
 *   frees); prints "fork n=N reps=R best_ns=B ns_per_fork=P".
 * rec_forkread read FILE MB REPS: writes FILE with MB MiB once (page cache,
 *   tmpfs or ramfs in the guest), then reads it whole with pread() in 4 KiB
 *   chunks REPS times; prints "read mb=MB reps=R best_ns=B ns_per_4k=P".
 *
 * Times are CLOCK_MONOTONIC, the best repetition; under QEMU icount they are
 * instruction counts.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int fork_bench(long n, int reps)
{
	long long best = -1;

	for (int r = 0; r < reps; r++) {
		long long t0 = now_ns(), t;

		for (long i = 0; i < n; i++) {
			pid_t pid = fork();
			int st;

			if (pid < 0) {
				perror("rec_forkread: fork");
				return 1;
			}
			if (!pid)
				_exit(0);
			if (waitpid(pid, &st, 0) != pid) {
				perror("rec_forkread: waitpid");
				return 1;
			}
		}
		t = now_ns() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	printf("fork n=%ld reps=%d best_ns=%lld ns_per_fork=%lld\n", n, reps, best, best / n);
	return 0;
}

static int read_bench(const char *path, long mb, int reps)
{
	static char buf[4096];
	long chunks = mb * 256;
	long long best = -1;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0) {
		perror("rec_forkread: open");
		return 1;
	}
	memset(buf, 'x', sizeof(buf));
	for (long i = 0; i < chunks; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			perror("rec_forkread: write");
			return 1;
		}
	for (int r = 0; r < reps; r++) {
		long long t0 = now_ns(), t;

		for (long i = 0; i < chunks; i++)
			if (pread(fd, buf, sizeof(buf), i * (off_t)sizeof(buf)) !=
			    (ssize_t)sizeof(buf)) {
				perror("rec_forkread: pread");
				return 1;
			}
		t = now_ns() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	close(fd);
	unlink(path);
	printf("read mb=%ld reps=%d best_ns=%lld ns_per_4k=%lld\n", mb, reps, best, best / chunks);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "fork"))
		return fork_bench(atol(argv[2]), atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "read"))
		return read_bench(argv[2], atol(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: rec_forkread fork N REPS | read FILE MB REPS\n");
	return 2;
}
