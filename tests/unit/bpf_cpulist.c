// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of trace_cpulist() (userspace/trace.c): the possible-CPU list
 * the BPF per-CPU sums walk.  The limit must be the highest CPU id + 1 (the
 * kernel's nr_cpu_ids), not the number of CPUs, and a hole in the list must
 * stay a hole: "0-3,8-11" is 8 CPUs whose ids go up to 11.  TAP.
 */
#include <stdint.h>
#include <string.h>

#include "trace.h"

#include "tap.h"

static int bits(const uint64_t *m, size_t words)
{
	int c = 0;

	for (size_t i = 0; i < words; i++)
		c += __builtin_popcountll(m[i]);
	return c;
}

int main(void)
{
	uint64_t m[128];
	unsigned int ids;
	int rc;

	printf("1..12\n");
	ok(!trace_cpulist("0\n", m, 128, &ids) && ids == 1 && m[0] == 1, "\"0\": one CPU, ids 1");
	rc = trace_cpulist("0-3,8-11\n", m, 128, &ids);
	ok(!rc && ids == 12, "\"0-3,8-11\": ids 12 (highest id + 1), got %u", ids);
	ok(bits(m, 128) == 8 && m[0] == 0xf0f, "and 8 CPUs in the mask, 4-7 absent (0x%llx)",
	   (unsigned long long)m[0]);
	rc = trace_cpulist("0-255", m, 128, &ids);
	ok(!rc && ids == 256 && bits(m, 128) == 256, "\"0-255\": past the old cap of 128, ids %u",
	   ids);
	ok(m[3] >> 63 & 1, "CPU 255 is in the mask");
	rc = trace_cpulist("0,2,4,8191", m, 128, &ids);
	ok(!rc && ids == 8192 && (m[127] >> 63 & 1), "\"0,2,4,8191\": MAXSMP's last id, ids %u",
	   ids);
	ok(trace_cpulist("0-8192", m, 128, &ids) != 0, "an id past the bitmap is refused");
	ok(trace_cpulist("", m, 128, &ids) != 0, "an empty list is refused");
	ok(trace_cpulist("3-1", m, 128, &ids) != 0, "a descending range is refused");
	ok(trace_cpulist("0-", m, 128, &ids) != 0, "an open range is refused");
	ok(trace_cpulist("0,x", m, 128, &ids) != 0, "garbage is refused");
	ok(trace_cpulist("1;2", m, 128, &ids) != 0, "a wrong separator is refused");
	return failed != 0;
}
