/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_EXPLAIN_H
#define OOMDIAG_EXPLAIN_H
/* `oomdiag explain [FILE|-]`: extract and explain reports from kernel log text. */
int cmd_explain(int argc, char **argv);

#include <stdio.h>
struct lp_report;
struct analysis;
/* One "IDX.key=value" line per fact of a report (corpus tests). */
void explain_facts(FILE *f, int idx, const struct lp_report *r, const struct analysis *a);
#endif
