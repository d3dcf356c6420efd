/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_EXPLAIN_H
#define OOMDIAG_EXPLAIN_H
/* `oomdiag explain [FILE|-]` (cli.h has the command): what the corpus tests reach. */

#include <stdio.h>
struct lp_report;
struct analysis;

/* One "IDX.key=value" line per fact of a report (corpus tests). */
void explain_facts(FILE *f, int idx, const struct lp_report *r, const struct analysis *a);
#endif
