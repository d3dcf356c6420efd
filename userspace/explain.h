/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_EXPLAIN_H
#define OOMDIAG_EXPLAIN_H
/* `oomdiag explain [FILE|-]`: extract and explain reports from kernel log text. */
int cmd_explain(int argc, char **argv);

#include <stdio.h>
struct lp_report;
struct analysis;
#include <stdbool.h>
struct od_style;
struct json_writer;
/*
 * The causes of an analysis and what it could not know, as explain prints
 * them under a report; also under each event of `events --explain` and
 * `trace --explain` (event_model.h).  truncated: the report was cut.
 */
void explain_print_causes(FILE *f, const struct od_style *st, const struct analysis *a,
			  bool truncated);
/* "causes": [{id, evidence, advice}...] and "missing": [...] of explain --json. */
void explain_json_causes(struct json_writer *w, const struct analysis *a);
void explain_json_missing(struct json_writer *w, const struct analysis *a);
/* One "IDX.key=value" line per fact of a report (corpus tests). */
void explain_facts(FILE *f, int idx, const struct lp_report *r, const struct analysis *a);
#endif
