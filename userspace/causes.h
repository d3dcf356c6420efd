/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_CAUSES_H
#define OOMDIAG_CAUSES_H
/*
 * Cause analysis of one report extracted by logparse: decodes its gfp mask
 * with the layout of the kernel that printed it, works out which zones and
 * free blocks the request could use, and names the likely causes with the
 * numbers that support each and an engineer's advice.
 */
#include <stdbool.h>
#include "gfp.h"
#include "logparse.h"

#define CAUSES_MAX		16
#define CAUSES_MISSING_MAX	10

struct cause {
	const char *id;			/* stable, see docs/explain-schema.md */
	char evidence[768];
	const char *advice;
};

struct causes_zone {
	bool usable;			/* the request's gfp allows this zone */
	int highest_free_order;		/* any migratetype; -1 none, -2 unknown */
	int highest_usable_order;	/* migratetypes this request may take */
};

struct analysis {
	const struct gfp_layout *layout;	/* NULL: no gfp in the report */
	bool layout_assumed;		/* kernel unknown, names absent */
	bool layout_matched;		/* chosen because it prints the same names */
	bool have_behaviour;
	struct gfp_behaviour b;
	char flags[384];		/* '|'-separated names */
	bool flags_decoded;		/* by us, not printed by the kernel */

	struct causes_zone zones[LP_MAX_ZONES];

	struct cause causes[CAUSES_MAX];
	int nr_causes;

	const char *missing[CAUSES_MISSING_MAX];	/* what could not be known */
	int nr_missing;
};

void causes_analyse(const struct lp_report *r, struct analysis *a);

#endif
