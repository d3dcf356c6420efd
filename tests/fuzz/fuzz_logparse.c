// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the kernel log parser of `oomdiag explain`: any
 * bytes, in any chunking, through logparse_feed(), then the cause analysis
 * and the facts printer on every report found.  Built by tests/unit/fuzz.sh
 * with ASan+UBSan; seeds: the .log files of tests/data/reports.
 */
// FUZZ_SEEDS: tests/data/reports/*.log
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "causes.h"
#include "explain.h"
#include "logparse.h"

static FILE *sink;

static void on_report(const struct lp_report *r, void *arg)
{
	struct analysis a;

	(void)arg;
	causes_analyse(r, &a);
	explain_facts(sink, 1, r, &a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logparse p;
	size_t chunk;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		return 0;
	/* the whole buffer at once */
	logparse_buffer((const char *)data, size, on_report, NULL);
	/* and in odd chunks: the first byte picks the chunk size */
	if (size < 2 || logparse_init(&p, on_report, NULL))
		return 0;
	chunk = (size_t)data[0] % 61 + 1;
	for (size_t off = 1; off < size; off += chunk)
		logparse_feed(&p, (const char *)data + off, size - off < chunk ? size - off : chunk);
	logparse_finish(&p);
	logparse_free(&p);
	return 0;
}
