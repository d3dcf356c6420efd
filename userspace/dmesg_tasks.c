// SPDX-License-Identifier: GPL-2.0
/*
 * mm/oom_kill.c dump_tasks(): the header names the columns, which changed
 * from era to era ("[ pid ]   uid  tgid total_vm      rss cpu oom_adj
 * name" in 2.6.32, nr_ptes/nr_pmds/swapents in 3.x-4.x, pgtables_bytes in
 * 4.15+, rss_anon/rss_file/rss_shmem in 6.x), so each row is read by the
 * columns of its own header.  Only the largest consumers and the
 * candidates with the highest badness are kept.
 */
#include <string.h>
#include "dmesg_parsers.h"
#include "dmesg_text.h"

/* Task dump columns. */
enum {
	C_UID, C_TGID, C_TOTAL_VM, C_RSS, C_RSS_ANON, C_RSS_FILE, C_RSS_SHMEM,
	C_NR_PTES, C_NR_PMDS, C_PGTABLES_BYTES, C_SWAPENTS, C_OOM_ADJ,
	C_OOM_SCORE_ADJ, C_CPU, C_OTHER,
};

static int col_of(const char *name, size_t n)
{
	static const struct { const char *n; int c; } cols[] = {
		{ "uid", C_UID }, { "tgid", C_TGID }, { "total_vm", C_TOTAL_VM },
		{ "rss", C_RSS }, { "rss_anon", C_RSS_ANON }, { "rss_file", C_RSS_FILE },
		{ "rss_shmem", C_RSS_SHMEM }, { "nr_ptes", C_NR_PTES },
		{ "nr_pmds", C_NR_PMDS }, { "pgtables_bytes", C_PGTABLES_BYTES },
		{ "swapents", C_SWAPENTS }, { "oom_adj", C_OOM_ADJ },
		{ "oom_score_adj", C_OOM_SCORE_ADJ }, { "cpu", C_CPU },
	};

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (strlen(cols[i].n) == n && !strncmp(cols[i].n, name, n))
			return cols[i].c;
	return C_OTHER;
}

void dmesg_task_header(struct dmesg_task_cols *pv, struct lp_report *r, const char *msg)
{
	const char *s = strchr(msg, ']');

	pv->nr = 0;
	pv->have = false;
	if (!s)
		return;
	s++;
	while (*(s = dm_skip_sp(s))) {
		size_t n = strcspn(s, " \t");

		if (n == 4 && !strncmp(s, "name", 4))
			break;
		if (pv->nr >= DMESG_TASK_COLS)
			return;
		pv->cols[pv->nr++] = col_of(s, n);
		s += n;
	}
	pv->have = true;
	r->seen |= LP_SEEN_TASKS;
	r->tasks_have_adj = false;
	for (int i = 0; i < pv->nr; i++)
		if (pv->cols[i] == C_OOM_SCORE_ADJ)
			r->tasks_have_adj = true;
}

static void top_insert(struct lp_task *arr, int *n, const struct lp_task *t, bool by_rss)
{
	int i = *n;
	long long key = by_rss ? t->rss : t->badness;

	if (i == LP_TOP_TASKS) {
		long long last = by_rss ? arr[i - 1].rss : arr[i - 1].badness;

		if (key <= last)
			return;
		i--;
	} else {
		(*n)++;
	}
	while (i > 0 && (by_rss ? arr[i - 1].rss : arr[i - 1].badness) < key) {
		arr[i] = arr[i - 1];
		i--;
	}
	arr[i] = *t;
}

static long long totalpages(const struct lp_report *r)
{
	if (r->kind == LP_KIND_MEMCG_OOM || (r->seen & LP_SEEN_MEMCG)) {
		if (r->memcg_limit_kb > 0 && r->memcg_limit_kb < (1LL << 50))
			return r->memcg_limit_kb / r->page_kb;
	}
	if (r->ram_pages > 0)
		return r->ram_pages + (r->total_swap_kb > 0 ? r->total_swap_kb / 4 : 0);
	return 0;
}

bool dmesg_task_row(const struct dmesg_task_cols *pv, struct lp_report *r, const char *msg)
{
	struct lp_task t;
	const char *s = msg + 1;
	long long v;

	if (!pv->have)
		return false;
	memset(&t, 0, sizeof(t));
	t.rss_anon = t.rss_file = t.rss_shmem = LP_UNKNOWN;
	t.oom_score_adj = LP_ADJ_UNKNOWN;
	if (!dm_parse_ll(dm_skip_sp(s), &v, &s) || *s != ']')
		return false;
	t.pid = (int)v;
	s++;
	for (int c = 0; c < pv->nr; c++) {
		s = dm_skip_sp(s);
		if (!dm_parse_ll(s, &v, &s))
			return false;
		switch (pv->cols[c]) {
		case C_UID: t.uid = (int)v; break;
		case C_TGID: t.tgid = (int)v; break;
		case C_TOTAL_VM: t.total_vm = v; break;
		case C_RSS: t.rss = v; break;
		case C_RSS_ANON: t.rss_anon = v; break;
		case C_RSS_FILE: t.rss_file = v; break;
		case C_RSS_SHMEM: t.rss_shmem = v; break;
		case C_NR_PTES: t.pgtables_kb += v * 4; break;
		case C_NR_PMDS: t.pgtables_kb += v * 4; break;
		case C_PGTABLES_BYTES: t.pgtables_kb = v / 1024; break;
		case C_SWAPENTS: t.swapents = v; break;
		case C_OOM_SCORE_ADJ: t.oom_score_adj = (int)v; break;
		case C_OOM_ADJ:
			/* 2.6.32 had only oom_adj (-17..15) */
			if (!r->tasks_have_adj)
				t.oom_score_adj = v == -17 ? -1000 : (int)(v * 1000 / 17);
			break;
		default: break;
		}
	}
	s = dm_skip_sp(s);
	dm_copy_span(t.comm, sizeof(t.comm), s, s + strlen(s));
	t.badness = t.rss + t.swapents + t.pgtables_kb / (r->page_kb ? r->page_kb : 4);
	if (t.oom_score_adj != LP_ADJ_UNKNOWN) {
		long long tp = totalpages(r);

		if (t.oom_score_adj == -1000)
			t.badness = -1;
		else if (tp)
			t.badness += (long long)t.oom_score_adj * tp / 1000;
	}
	r->nr_tasks++;
	r->tasks_rss_pages += t.rss;
	top_insert(r->top_rss, &r->nr_top_rss, &t, true);
	top_insert(r->top_badness, &r->nr_top_badness, &t, false);
	return true;
}
