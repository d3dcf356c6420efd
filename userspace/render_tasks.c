// SPDX-License-Identifier: GPL-2.0
/*
 * The task table and a task's JSON object, one renderer for every command
 * that shows tasks (top, status): render.h.
 */
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "json.h"
#include "render.h"

void task_table_print(const struct od_tasks *ts, int n, bool all, const struct od_style *st)
{
	const char *B = od_c(st, C_BOLD), *R = od_c(st, C_RESET), *RED = od_c(st, C_RED);
	int shown = 0;

	printf("%s%7s %-16s %5s %5s %9s %9s %9s %9s %8s %9s%s\n", B, "PID", "COMM", "SCORE",
	       "ADJ", "ANON", "FILE", "SHMEM", "SWAP", "PGTABLE", "BADNESS", R);
	for (int i = 0; i < ts->nr && shown < n; i++) {
		const struct od_task *t = &ts->t[i];
		char a[16], f[16], s[16], w[16], p[16], c[40], bad[24];

		if (!task_killable(t) && !all)
			continue;
		od_escape(t->comm, sizeof(t->comm), c, sizeof(c));
		if (t->origin && task_killable(t))
			snprintf(bad, sizeof(bad), "origin");
		else if (t->has_badness)
			snprintf(bad, sizeof(bad), "%lld", (long long)t->badness);
		else
			snprintf(bad, sizeof(bad), "%s", t->exempt[0] ? t->exempt : "-");
		printf("%s%7d %-16.16s %5ld %5d %9s %9s %9s %9s %8s %9s%s\n",
		       shown == 0 && task_killable(t) ? RED : "", t->pid, c, t->oom_score,
		       t->oom_score_adj, human_kb(a, sizeof(a), t->anon_kb),
		       human_kb(f, sizeof(f), t->file_kb), human_kb(s, sizeof(s), t->shmem_kb),
		       human_kb(w, sizeof(w), t->swap_kb), human_kb(p, sizeof(p), t->pgtables_kb),
		       bad, shown == 0 && task_killable(t) ? R : "");
		shown++;
	}
}

const struct od_task *tasks_next_victim(const struct od_tasks *ts)
{
	for (int i = 0; i < ts->nr; i++)
		if (task_killable(&ts->t[i]))
			return &ts->t[i];
	return NULL;
}

void task_json(struct json_writer *w, const struct od_task *t)
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
	json_bool(w, "memcg_truncated", t->memcg_truncated);
	container_json(w, t->memcg);
	json_bool(w, "oom_origin", t->origin);
	json_string(w, "exempt", t->exempt[0] ? t->exempt : NULL);
	json_end_object(w);
}

void container_json(struct json_writer *w, const char *memcg)
{
	struct od_container k;

	cg_container(memcg, &k);
	if (!k.unit[0] && !k.id[0] && !k.pod_uid[0] && !k.qos[0]) {
		json_null(w, "container");
		return;
	}
	json_begin_object(w, "container");
	json_string(w, "unit", k.unit[0] ? k.unit : NULL);
	json_string(w, "runtime", k.runtime[0] ? k.runtime : NULL);
	json_string(w, "id", k.id[0] ? k.id : NULL);
	json_string(w, "pod_uid", k.pod_uid[0] ? k.pod_uid : NULL);
	json_string(w, "qos", k.qos[0] ? k.qos : NULL);
	json_end_object(w);
}

const char *task_where(const struct od_task *t, char *buf, size_t len)
{
	struct od_container k;
	char c[400], m[300];

	cg_container(t->memcg, &k);
	cg_container_str(&k, c, sizeof(c));
	od_escape(t->memcg, sizeof(t->memcg), m, sizeof(m));
	snprintf(buf, len, "%s%s%s%s%s", m[0] ? "cgroup " : "", m,
		 t->memcg_truncated ? "... (path cut by the module)" : "", c[0] ? ", " : "", c);
	return buf;
}
