/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_EXPLAIN_TESTLIB_H
#define OOMDIAG_EXPLAIN_TESTLIB_H
/*
 * Shared by the explain unit tests: run the parser and the analysis over a
 * text and collect explain_facts() lines ("reports=N" first), and look a
 * fact up by key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "causes.h"
#include "explain.h"
#include "logparse.h"

struct facts_collect {
	FILE *f;
	int n;
};

static void facts_on_report(const struct lp_report *r, void *arg)
{
	struct facts_collect *c = arg;
	struct analysis a;

	causes_analyse(r, &a);
	c->n++;
	explain_facts(c->f, c->n, r, &a);
}

/* The facts of a text, malloc'd; NULL when out of memory. */
static char *facts_of_text(const char *text, size_t len)
{
	struct facts_collect c = { 0 };
	char *facts = NULL, *out = NULL;
	size_t flen = 0;

	c.f = open_memstream(&facts, &flen);
	if (!c.f)
		return NULL;
	logparse_buffer(text, len, facts_on_report, &c);
	fclose(c.f);
	if (asprintf(&out, "reports=%d\n%s", c.n, facts ? facts : "") < 0)
		out = NULL;
	free(facts);
	return out;
}

/* The value of "key=" in facts and its length, or NULL. */
static const char *facts_lookup(const char *facts, const char *key, size_t *vlen)
{
	size_t kl = strlen(key);
	const char *p = facts;

	while (p && *p) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, key, kl) && p[kl] == '=') {
			*vlen = (nl ? (size_t)(nl - p) : strlen(p)) - kl - 1;
			return p + kl + 1;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

#endif
