/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_RECORD_METRICS_H
#define OOMDIAG_RECORD_METRICS_H
/*
 * The metric families of `oomdiag metrics` (cmd_metrics.c, one table), as
 * the recorder (`oomdiag record --textfile`) writes them too, with its own
 * counters added.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum metrics_format {
	METRICS_PROM,		/* Prometheus text exposition 0.0.4 */
	METRICS_OPENMETRICS,	/* OpenMetrics 1.0 text, ends with "# EOF" */
	METRICS_JSON,		/* {"metrics": [{name, labels, value}]} */
};

/* What `oomdiag record` adds to the textfile (families oomdiag_record_*). */
struct record_stats {
	uint64_t journal_entries;	/* entries sent to the journal */
	uint64_t journal_errors;	/* entries the journal refused */
	uint64_t jsonl_lines;		/* lines written to --jsonl */
	uint64_t lost_while_down;	/* seqs the ring lost between two runs */
	uint64_t lost_while_running;	/* seqs the ring lost between two polls */
	uint64_t last_seq;		/* last seq drained (valid when drained) */
	bool drained;
	double start_time;		/* CLOCK_REALTIME seconds */
	double last_poll_time;
};

/*
 * Write every family to f.  rec: the recorder's counters, or NULL.
 * Returns 0, or -errno when the zones cannot be read (message in err).
 */
int metrics_write(FILE *f, enum metrics_format fmt, bool pretty, bool no_module,
		  const struct record_stats *rec, char *err, size_t errlen);

#endif
