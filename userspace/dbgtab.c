// SPDX-License-Identifier: GPL-2.0
/* Parser of the module's tabular debugfs views, see dbgtab.h. */
#include <stdlib.h>
#include <string.h>

#include "dbgtab.h"
#include "util.h"

int dbgtab_parse(struct dbgtab *t, const char *text, const char *view)
{
	char *line, *next;
	int cap = 0, lineno = 0;

	memset(t, 0, sizeof(*t));
	t->buf = xstrdup(text);
	for (line = t->buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		if (lineno == 1) {
			char *f[64];
			int nf = split_ws(line, f, 64);

			if (nf < 4 || strcmp(f[0], "#") || strcmp(f[1], "oomdiag") ||
			    (view && strcmp(f[2], view)))
				goto bad;
			snprintf(t->view, sizeof(t->view), "%s", f[2]);
			t->version = atoi(f[3] + (f[3][0] == 'v'));
			t->sum_keys = xcalloc((size_t)nf, sizeof(char *));
			t->sum_vals = xcalloc((size_t)nf, sizeof(char *));
			for (int i = 4; i < nf; i++) {
				char *eq = strchr(f[i], '=');

				if (!eq)
					continue;
				*eq = 0;
				t->sum_keys[t->nsum] = f[i];
				t->sum_vals[t->nsum++] = eq + 1;
			}
			continue;
		}
		if (lineno == 2) {
			char *f[128];
			int nf;

			if (line[0] != '#')
				goto bad;
			nf = split_ws(line + 1, f, 128);
			t->cols = xcalloc((size_t)nf + 1, sizeof(char *));
			for (int i = 0; i < nf; i++)
				t->cols[i] = f[i];
			t->ncols = nf;
			continue;
		}
		if (line[0] == '#' || !line[0])
			continue;
		if (t->nrows == cap) {
			cap = cap ? cap * 2 : 64;
			t->rows = xrealloc(t->rows, (size_t)cap * sizeof(*t->rows));
			t->rowlen = xrealloc(t->rowlen, (size_t)cap * sizeof(int));
		}
		{
			char **f = xcalloc((size_t)t->ncols + 1, sizeof(char *));
			/* the last column may hold more words than fit: only the
			 * known columns are kept */
			int nf = split_ws(line, f, t->ncols + 1);

			for (int i = 0; i < nf; i++)
				debugfs_unescape(f[i]);
			t->rows[t->nrows] = f;
			t->rowlen[t->nrows++] = nf;
		}
	}
	if (lineno < 2 || !t->ncols)
		goto bad;
	return 0;
bad:
	dbgtab_free(t);
	return -1;
}

void dbgtab_free(struct dbgtab *t)
{
	for (int r = 0; r < t->nrows; r++)
		free(t->rows[r]);
	free(t->rows);
	free(t->rowlen);
	free(t->cols);
	free(t->sum_keys);
	free(t->sum_vals);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

int dbgtab_col(const struct dbgtab *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

const char *dbgtab_cell(const struct dbgtab *t, int row, int col)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->rowlen[row])
		return "";
	return t->rows[row][col];
}

const char *dbgtab_summary(const struct dbgtab *t, const char *key)
{
	for (int i = 0; i < t->nsum; i++)
		if (!strcmp(t->sum_keys[i], key))
			return t->sum_vals[i];
	return NULL;
}
