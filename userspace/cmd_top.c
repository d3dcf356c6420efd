// SPDX-License-Identifier: GPL-2.0
/* oomdiag top [-n N]: the OOM badness ranking and the predicted victim. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "tasks.h"
#include "top.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag top [-n N] [--all] [--json]\n"
		"\n"
		"Rank tasks as the OOM killer would (oom_badness: rss + swap + page tables,\n"
		"plus oom_score_adj x totalpages / 1000) and name the predicted next victim.\n"
		"Source: the module's tasks view (exact, in-kernel), or /proc/PID/oom_score\n"
		"and /proc/PID/status when the module is not loaded; the output says which.\n"
		"\n"
		"  -n N          show N tasks (default 10)\n"
		"  -a, --all     include exempt tasks (kernel threads, oom_score_adj -1000)\n"
		COMMON_HELP);
}

void top_print_table(const struct od_tasks *ts, int n, bool all, const struct od_style *st)
{
	const char *B = od_c(st, C_BOLD), *R = od_c(st, C_RESET), *RED = od_c(st, C_RED);
	int shown = 0;

	printf("%s%7s %-16s %5s %5s %9s %9s %9s %9s %8s %9s%s\n", B, "PID", "COMM", "SCORE",
	       "ADJ", "ANON", "FILE", "SHMEM", "SWAP", "PGTABLE", "BADNESS", R);
	for (int i = 0; i < ts->nr && shown < n; i++) {
		const struct od_task *t = &ts->t[i];
		char a[16], f[16], s[16], w[16], p[16], c[40], bad[24];

		if (t->exempt[0] && !all)
			continue;
		od_escape(t->comm, sizeof(t->comm), c, sizeof(c));
		if (t->has_badness)
			snprintf(bad, sizeof(bad), "%lld", (long long)t->badness);
		else
			snprintf(bad, sizeof(bad), "%s", t->exempt[0] ? t->exempt : "-");
		printf("%s%7d %-16.16s %5ld %5d %9s %9s %9s %9s %8s %9s%s\n",
		       shown == 0 && !t->exempt[0] ? RED : "", t->pid, c, t->oom_score,
		       t->oom_score_adj, human_kb(a, sizeof(a), t->anon_kb),
		       human_kb(f, sizeof(f), t->file_kb), human_kb(s, sizeof(s), t->shmem_kb),
		       human_kb(w, sizeof(w), t->swap_kb), human_kb(p, sizeof(p), t->pgtables_kb),
		       bad, shown == 0 && !t->exempt[0] ? R : "");
		shown++;
	}
}

const struct od_task *top_victim(const struct od_tasks *ts)
{
	for (int i = 0; i < ts->nr; i++)
		if (!ts->t[i].exempt[0])
			return &ts->t[i];
	return NULL;
}

void top_json_task(struct json_writer *w, const struct od_task *t)
{
	json_begin_object(w, NULL);
	json_int(w, "pid", t->pid);
	json_uint(w, "uid", t->uid);
	json_string(w, "comm", t->comm);
	json_int(w, "oom_score", t->oom_score);
	json_int(w, "oom_score_adj", t->oom_score_adj);
	if (t->has_badness)
		json_int(w, "badness", t->badness);
	else
		json_null(w, "badness");
	json_uint(w, "anon_rss_kb", t->anon_kb);
	json_uint(w, "file_rss_kb", t->file_kb);
	json_uint(w, "shmem_rss_kb", t->shmem_kb);
	json_uint(w, "swap_kb", t->swap_kb);
	json_uint(w, "pgtables_kb", t->pgtables_kb);
	json_string(w, "memcg", t->memcg[0] ? t->memcg : NULL);
	json_string(w, "exempt", t->exempt[0] ? t->exempt : NULL);
	json_end_object(w);
}

int cmd_top(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "all", no_argument, NULL, 'a' },
		OD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct od_opts o;
	struct od_style st;
	struct od_tasks ts;
	char err[256] = "";
	long n = 10;
	bool all = false;
	int c, r;

	od_opts_init(&o);
	while ((c = getopt_long(argc, argv, "n:ah", lo, NULL)) != -1) {
		if (od_opts_common(&o, c))
			continue;
		switch (c) {
		case 'n':
			n = od_parse_uint(optarg, 1000000);
			if (n < 0)
				return od_usage_error("top", "bad count '%s'", optarg);
			break;
		case 'a':
			all = true;
			break;
		case 'h':
			help(stdout);
			return EXIT_OK;
		default:
			return od_usage_error("top", "bad option");
		}
	}
	if (optind < argc)
		return od_usage_error("top", "unexpected argument '%s'", argv[optind]);
	od_style_from(&st, &o, stdout);
	r = tasks_read(&ts, o.no_module, err, sizeof(err));
	if (r) {
		od_err("%s%s", err, r == -13 ? " (run as root)" : "");
		return od_exit_for_errno(-r);
	}
	if (o.json) {
		struct json_writer w;
		const struct od_task *v = top_victim(&ts);
		int shown = 0;

		json_init(&w, stdout);
		json_set_pretty(&w, o.pretty);
		json_begin_object(&w, NULL);
		json_string(&w, "source", ts.source);
		json_uint(&w, "totalpages", ts.totalpages);
		json_bool(&w, "truncated", ts.truncated);
		json_uint(&w, "nr_tasks", (uint64_t)ts.nr);
		if (v) {
			json_begin_object(&w, "next_victim");
			json_int(&w, "pid", v->pid);
			json_string(&w, "comm", v->comm);
			json_int(&w, "oom_score", v->oom_score);
			json_end_object(&w);
		} else {
			json_null(&w, "next_victim");
		}
		json_begin_array(&w, "tasks");
		for (int i = 0; i < ts.nr && shown < n; i++) {
			if (ts.t[i].exempt[0] && !all)
				continue;
			top_json_task(&w, &ts.t[i]);
			shown++;
		}
		json_end_array(&w);
		json_end_object(&w);
		json_newline(&w);
	} else {
		const struct od_task *v = top_victim(&ts);
		char c2[40];

		printf("OOM badness ranking (source: %s; totalpages %llu)\n", ts.source,
		       (unsigned long long)ts.totalpages);
		if (strstr(ts.source, "proc"))
			printf("%s(module not loaded: oom_score from /proc, badness estimated "
			       "from /proc/PID/status)%s\n", od_c(&st, C_DIM), od_c(&st, C_RESET));
		top_print_table(&ts, (int)n, all, &st);
		if (v) {
			od_escape(v->comm, sizeof(v->comm), c2, sizeof(c2));
			printf("\nPredicted next victim: %s%s%s (pid %d), oom_score %ld, "
			       "oom_score_adj %d\n", od_c(&st, C_BOLD), c2, od_c(&st, C_RESET),
			       v->pid, v->oom_score, v->oom_score_adj);
		} else {
			printf("\nNo killable task found.\n");
		}
		if (ts.truncated)
			printf("(the module's task list was truncated)\n");
	}
	tasks_free(&ts);
	return EXIT_OK;
}
