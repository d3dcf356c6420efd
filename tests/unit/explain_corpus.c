// SPDX-License-Identifier: GPL-2.0
/*
 * explain on the corpus of real kernel reports: every
 * tests/data/reports/NAME.log is parsed and analysed, and each fact line of
 * NAME.expect ("N.key=value", "reports=N") is compared field by field with
 * what explain extracted.  TAP, one test per report file.
 *
 * explain_corpus --facts FILE.log prints the facts (for writing an .expect,
 * which must then be checked by hand against the log).
 *
 * Prints the accuracy per fact kind over the corpus and fails below
 * MIN_ACCURACY percent of all facts; facts the parser is known to miss are
 * marked "# miss: REASON" in the .expect and listed in the output.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explain_testlib.h"
#include "util.h"

/* The corpus test fails below this share of facts right. */
#define MIN_ACCURACY 97

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

/* Accuracy per fact kind: "zone.free_kb" for "3.zone.DMA32.free_kb". */
#define MAX_KINDS 64
static struct {
	char name[48];
	int checked, right;
} kinds[MAX_KINDS];
static int nr_kinds;

static void count_kind(const char *key, bool right)
{
	char k[48];
	const char *s = strchr(key, '.');
	int i;

	s = s ? s + 1 : key;
	if (!strncmp(s, "zone.", 5) && strchr(s + 5, '.'))
		snprintf(k, sizeof(k), "zone.%.40s", strchr(s + 5, '.') + 1);
	else
		snprintf(k, sizeof(k), "%.47s", s);
	for (i = 0; i < nr_kinds; i++)
		if (!strcmp(kinds[i].name, k))
			break;
	if (i == nr_kinds) {
		if (nr_kinds == MAX_KINDS)
			return;
		snprintf(kinds[nr_kinds++].name, sizeof(kinds[0].name), "%s", k);
	}
	kinds[i].checked++;
	kinds[i].right += right;
}

/*
 * Compare NAME.expect with the facts of NAME.log.  A line may end with
 * "# miss: REASON": a fact the parser is known to get wrong, counted in the
 * accuracy but not failing the file (and reported when it becomes right).
 * Returns the number of unexpected differences.
 */
static int check(const char *dir, const char *name, int *checked, int *right, int *misses)
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
		char *eq, *val, *miss;
		const char *got;
		size_t gl = 0;
		bool same;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		miss = strstr(line, " # miss: ");
		if (miss)
			*miss = '\0';
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		val = eq + 1;
		got = facts_lookup(facts, line, &gl);
		same = got && gl == strlen(val) && !strncmp(got, val, gl);
		(*checked)++;
		*right += same;
		count_kind(line, same);
		if (same && miss) {
			printf("#   %s: %s: listed as a miss but now right (remove the mark)\n", name,
			       line);
		} else if (!same && miss) {
			printf("#   %s: %s: known miss (%s): expected '%s', got '%.*s'\n", name, line,
			       miss + 9, val, got ? (int)gl : 6, got ? got : "(none)");
			(*misses)++;
		} else if (!same) {
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
	int n, failed = 0, checked = 0, right = 0, misses = 0;
	double acc;

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
	printf("1..%d\n", n + 2);
	for (int i = 0; i < n; i++) {
		char name[512];
		int bad;

		snprintf(name, sizeof(name), "%.*s", (int)(strlen(ents[i]->d_name) - 7),
			 ents[i]->d_name);
		bad = check(dir, name, &checked, &right, &misses);
		printf("%sok %d - %s%s\n", bad ? "not " : "", i + 1, name,
		       bad ? " (facts differ)" : "");
		failed += bad != 0;
		free(ents[i]);
	}
	free(ents);
	printf("%sok %d - %d facts checked over %d reports files\n", checked >= 20 * n ? "" : "not ",
	       n + 1, checked, n);
	printf("# accuracy per fact kind (right/checked):\n");
	for (int i = 0; i < nr_kinds; i++)
		printf("#   %-26s %5d/%-5d %6.2f%%\n", kinds[i].name, kinds[i].right,
		       kinds[i].checked, 100.0 * kinds[i].right / kinds[i].checked);
	acc = checked ? 100.0 * right / checked : 0;
	printf("%sok %d - %.2f%% of %d facts right (at least %d%%; %d known misses listed)\n",
	       acc >= MIN_ACCURACY ? "" : "not ", n + 2, acc, checked, MIN_ACCURACY, misses);
	return failed || acc < MIN_ACCURACY ? 1 : 0;
}
