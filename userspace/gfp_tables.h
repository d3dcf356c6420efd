/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_GFP_TABLES_H
#define OOMDIAG_GFP_TABLES_H
#include <stdbool.h>

/*
 * One kernel's GFP definitions as text.  defs: "NAME=VALUE" where VALUE is
 * a hex number or an expression "A|B|...&~C" over earlier names (evaluated
 * left to right).  print: the kernel's name table in order, "SYMBOL" or
 * "SYMBOL:LABEL" when the printed label differs from the symbol.
 */
struct gfp_table_src {
	const char *name;
	unsigned int version;
	bool pgg;
	const char *zero_text;
	const char *bits_mask;
	const char *const *defs;
	const char *const *print;
};

extern const struct gfp_table_src gfp_table_srcs[];
extern const unsigned int gfp_table_count;

#endif
