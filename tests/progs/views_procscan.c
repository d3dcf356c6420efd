// SPDX-License-Identifier: GPL-2.0
/*
 * views_procscan PASSES: what a userspace OOM ranking does without oomdiag,
 * for tests/bench/views_tasks_vm.sh.  Each pass lists /proc, and for every
 * process reads /proc/PID/oom_score (parsed) and /proc/PID/status (its
 * VmRSS parsed), one open/read/close each.  Prints
 * "procscan passes=P procs=N bytes=B best_ns=T top_pid=X top_score=S" with
 * the best pass (CLOCK_MONOTONIC: instructions under QEMU icount).
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[64 << 10];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads /proc/PID/NAME into buf, NUL-terminated; its length or -1. */
static ssize_t slurp(const char *pid, const char *name)
{
	char path[64];
	ssize_t n = 0, r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/%s", pid, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return n;
}

int main(int argc, char **argv)
{
	int passes = argc > 1 ? atoi(argv[1]) : 5;
	long long best = -1;
	long procs = 0, top_pid = 0, top_score = -1, rss_sum = 0;
	size_t bytes = 0;

	for (int p = 0; p < passes; p++) {
		long long t0 = now_ns(), dt;
		DIR *d = opendir("/proc");
		struct dirent *de;

		if (!d) {
			perror("views_procscan: /proc");
			return 1;
		}
		procs = 0;
		bytes = 0;
		top_score = -1;
		rss_sum = 0;
		while ((de = readdir(d))) {
			ssize_t n;
			char *v;
			long score;

			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			n = slurp(de->d_name, "oom_score");
			if (n < 0)
				continue;	/* exited */
			bytes += n;
			score = atol(buf);
			n = slurp(de->d_name, "status");
			if (n < 0)
				continue;
			bytes += n;
			v = strstr(buf, "\nVmRSS:");
			if (v)
				rss_sum += atol(v + 7);
			procs++;
			if (score > top_score) {
				top_score = score;
				top_pid = atol(de->d_name);
			}
		}
		closedir(d);
		dt = now_ns() - t0;
		if (best < 0 || dt < best)
			best = dt;
	}
	printf("procscan passes=%d procs=%ld bytes=%zu best_ns=%lld top_pid=%ld top_score=%ld rss_kb=%ld\n",
	       passes, procs, bytes, best, top_pid, top_score, rss_sum);
	return 0;
}
