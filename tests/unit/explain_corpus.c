// SPDX-License-Identifier: GPL-2.0
/*
 * explain on the corpus of real kernel reports: every
 * tests/data/reports/NAME.log is parsed and analysed, and each fact line of
 * NAME.expect ("N.key=value", "reports=N") is compared field by field with
 * what explain extracted.  TAP, one test per report file.
 *
 * explain_corpus --facts FILE.log prints the facts (for writing an .expect,
 * which must then be checked by hand against the log).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explain_testlib.h"
#include "util.h"

/* The facts of one log file, malloc'd. */
static char *facts_of(const char *path)
{
	size_t len;
	char *buf = read_file(path, &len), *f;

	if (!buf)
		return NULL;
	f = facts_of_text(buf, len);
	free(buf);
	return f;
}

static int check(const char *dir, const char *name, int *checked)
{
	char logp[2048], expp[2048], line[2048];
	char *facts;
	FILE *e;
	int bad = 0;

	snprintf(logp, sizeof(logp), "%s/%s.log", dir, name);
	snprintf(expp, sizeof(expp), "%s/%s.expect", dir, name);
	facts = facts_of(logp);
	if (!facts) {
		printf("# cannot read %s\n", logp);
		return 1;
	}
	e = fopen(expp, "r");
	if (!e) {
		printf("# cannot read %s\n", expp);
		free(facts);
		return 1;
	}
	while (fgets(line, sizeof(line), e)) {
		char *eq, *val;
		const char *got;
		size_t gl;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		val = eq + 1;
		got = facts_lookup(facts, line, &gl);
		(*checked)++;
		if (!got || gl != strlen(val) || strncmp(got, val, gl)) {
			printf("#   %s: %s: expected '%s', got '%.*s'\n", name, line, val,
			       got ? (int)gl : 6, got ? got : "(none)");
			bad++;
		}
	}
	fclose(e);
	free(facts);
	return bad;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int only_expect(const struct dirent *d)
{
	size_t l = strlen(d->d_name);

	return l > 7 && !strcmp(d->d_name + l - 7, ".expect");
}

int main(int argc, char **argv)
{
	char dir[1024];
	const char *src = getenv("OOMDIAG_SRC");
	struct dirent **ents;
	int n, failed = 0, checked = 0;

	if (argc == 3 && !strcmp(argv[1], "--facts")) {
		char *f = facts_of(argv[2]);

		if (!f) {
			perror(argv[2]);
			return 1;
		}
		fputs(f, stdout);
		free(f);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/tests/data/reports", argc > 1 ? argv[1] : src ? src : ".");
	n = scandir(dir, &ents, only_expect, by_name);
	if (n <= 0) {
		printf("1..0 # SKIP no corpus at %s\n", dir);
		return n < 0 ? 1 : 0;
	}
	printf("1..%d\n", n + 1);
	for (int i = 0; i < n; i++) {
		char name[512];
		int bad;

		snprintf(name, sizeof(name), "%.*s", (int)(strlen(ents[i]->d_name) - 7),
			 ents[i]->d_name);
		bad = check(dir, name, &checked);
		printf("%sok %d - %s%s\n", bad ? "not " : "", i + 1, name,
		       bad ? " (facts differ)" : "");
		failed += bad != 0;
		free(ents[i]);
	}
	free(ents);
	printf("%sok %d - %d facts checked over %d reports files\n", checked >= 20 * n ? "" : "not ",
	       n + 1, checked, n);
	return failed ? 1 : 0;
}
