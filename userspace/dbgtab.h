/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_DBGTAB_H
#define OOMDIAG_DBGTAB_H
/*
 * The module's tabular debugfs views: "# oomdiag VIEW v1 k=v ..." then
 * "# col col ..." then whitespace-separated records.  Columns by name.
 */
struct dbgtab {
	char *buf;		/* owned copy, fields point into it */
	char view[32];
	int version;
	int nsum;
	char **sum_keys, **sum_vals;
	int ncols;
	char **cols;
	int nrows;
	char ***rows;		/* rows[r][c], "" for missing or "-" */
	int *rowlen;
};

/* 0, or -1 when text is not that view (view NULL: any). */
int dbgtab_parse(struct dbgtab *t, const char *text, const char *view);
void dbgtab_free(struct dbgtab *t);
int dbgtab_col(const struct dbgtab *t, const char *name);	/* -1 absent */
const char *dbgtab_cell(const struct dbgtab *t, int row, int col); /* "" if absent */
const char *dbgtab_summary(const struct dbgtab *t, const char *key); /* NULL absent */

#endif
