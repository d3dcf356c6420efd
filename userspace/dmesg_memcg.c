// SPDX-License-Identifier: GPL-2.0
/*
 * mm/memcontrol.c, the memory cgroup part of an OOM report:
 * "Task in /a killed as a result of limit of /b" (before 4.19),
 * "memory: usage NkB, limit NkB, failcnt N" with the memory+swap, swap and
 * kmem lines of cgroup v1, and "Memory cgroup stats for /a:" followed by
 * the v1 one-line stats ("cache:..KB rss:..KB") or the cgroup2
 * memory.stat lines ("anon 1234").
 */
#include <ctype.h>
#include <string.h>
#include "dmesg_parsers.h"
#include "dmesg_text.h"

void dmesg_memcg_usage(struct lp_report *r, const char *msg)
{
	long long u = LP_UNKNOWN, l = LP_UNKNOWN, f = LP_UNKNOWN;

	dm_num_after(msg, "usage ", &u);
	dm_num_after(msg, "limit ", &l);
	dm_num_after(msg, "failcnt ", &f);
	if (dm_starts(msg, "memory: ")) {
		r->memcg_usage_kb = u;
		r->memcg_limit_kb = l;
		r->memcg_failcnt = f;
		r->seen |= LP_SEEN_MEMCG;
	} else if (dm_starts(msg, "memory+swap: ")) {
		r->memsw_usage_kb = u;
		r->memsw_limit_kb = l;
	} else if (dm_starts(msg, "swap: ")) {
		r->memcg_swap_usage_kb = u;
		r->memcg_swap_limit_kb = l;
	} else if (dm_starts(msg, "kmem: ")) {
		r->memcg_kmem_usage_kb = u;
	}
}

/* cgroup v1 one-line stats "cache:0KB rss:1024KB ..." or v2 "anon 1234" lines */
bool dmesg_memcg_stat(struct lp_report *r, const char *msg, bool v2)
{
	long long v;

	if (!v2) {
		if (dm_tok_num(msg, "rss:", &v))
			r->memcg_anon_kb = v;
		if (dm_tok_num(msg, "cache:", &v))
			r->memcg_file_kb = v;
		if (dm_tok_num(msg, "shmem:", &v))
			r->memcg_shmem_kb = v;
		return true;
	}
	{
		const char *s = msg;
		size_t n = strcspn(s, " ");

		if (!n || !s[n] || !dm_parse_ll(s + n + 1, &v, NULL))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!(islower((unsigned char)s[i]) || s[i] == '_'))
				return false;
#define IS(w) (n == strlen(w) && !strncmp(s, w, n))
		if (IS("anon"))
			r->memcg_anon_kb = v / 1024;
		else if (IS("file"))
			r->memcg_file_kb = v / 1024;
		else if (IS("kernel"))
			r->memcg_kernel_kb = v / 1024;
		else if (IS("slab"))
			r->memcg_slab_kb = v / 1024;
		else if (IS("shmem"))
			r->memcg_shmem_kb = v / 1024;
#undef IS
		return true;
	}
}

bool dmesg_memcg_stats_header(struct lp_report *r, const char *msg)
{
	const char *c = strstr(msg + 24, ": ");

	/* the first one printed is the OOM domain itself */
	if (!r->memcg[0]) {
		const char *e = c ? c : msg + strlen(msg);

		if (e > msg + 24 && e[-1] == ':' && !c)
			e--;
		dm_copy_span(r->memcg, sizeof(r->memcg), msg + 24, e);
	}
	r->seen |= LP_SEEN_MEMCG;
	if (c && strchr(c, ':') && (strstr(c, "rss:") || strstr(c, "cache:"))) {
		dmesg_memcg_stat(r, c, false);
		return false;
	}
	return r->memcg_anon_kb < 0;
}

void dmesg_task_in(struct lp_report *r, const char *msg, const char *at)
{
	dm_copy_span(r->task_memcg, sizeof(r->task_memcg), msg + 8, at);
	dm_copy_span(r->memcg, sizeof(r->memcg), at + 32, at + 32 + strlen(at + 32));
	if (strcmp(r->memcg, "/"))
		r->seen |= LP_SEEN_MEMCG;
}
