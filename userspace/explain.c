// SPDX-License-Identifier: GPL-2.0
/*
 * `oomdiag explain [--json] [FILE|-]`: read kernel log text (a file, stdin,
 * or the live kernel log), and for every OOM report, page allocation failure
 * and vmalloc failure in it print the facts and the likely causes.
 *
 * Streaming: the input is read in 1 MB chunks and each report is printed as
 * soon as it is complete; memory does not grow with the input.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>
#include "causes.h"
#include "cli.h"
#include "render.h"
#include "explain.h"
#include "json.h"
#include "logparse.h"
#include "util.h"


struct explain_ctx {
	struct od_style st;
	struct json_writer jw;
	FILE *out;
	long long n;
	long long by_kind[LP_NR_KINDS];
};

/* ---- JSON ------------------------------------------------------------- */

/* The victim's oom_score_adj: its kill line, else its task dump row. */
static int victim_adj(const struct lp_report *r)
{
	const struct lp_victim *v = &r->victim;

	if (v->oom_score_adj != LP_ADJ_UNKNOWN)
		return v->oom_score_adj;
	for (int i = 0; i < r->nr_top_badness; i++)
		if (r->top_badness[i].pid == v->pid)
			return r->top_badness[i].oom_score_adj;
	for (int i = 0; i < r->nr_top_rss; i++)
		if (r->top_rss[i].pid == v->pid)
			return r->top_rss[i].oom_score_adj;
	return LP_ADJ_UNKNOWN;
}

static void j_ll(struct json_writer *w, const char *key, long long v)
{
	if (v < 0)
		json_null(w, key);
	else
		json_int(w, key, v);
}

static void j_str(struct json_writer *w, const char *key, const char *s)
{
	json_string(w, key, s && *s ? s : NULL);
}

static void j_adj(struct json_writer *w, const char *key, int adj)
{
	if (adj == LP_ADJ_UNKNOWN)
		json_null(w, key);
	else
		json_int(w, key, adj);
}

static const char *constraint_name(const struct lp_report *r)
{
	const char *c = r->constraint;

	if (!strcmp(c, "CONSTRAINT_NONE"))
		return "none";
	if (!strcmp(c, "CONSTRAINT_CPUSET"))
		return "cpuset";
	if (!strcmp(c, "CONSTRAINT_MEMORY_POLICY"))
		return "memory_policy";
	if (!strcmp(c, "CONSTRAINT_MEMCG"))
		return "memcg";
	if (c[0])
		return "unknown";
	/* before 4.19 the constraint was not printed; memcg is still evident */
	if (r->kind == LP_KIND_MEMCG_OOM)
		return "memcg";
	return NULL;
}

/* The objects of a report in explain --json (docs/explain-schema.md), one writer each. */
static void json_task(struct json_writer *w, const struct lp_report *r)
{
	json_begin_object(w, "task");
	j_str(w, "comm", r->comm);
	if (r->pid >= 0)
		json_int(w, "pid", r->pid);
	else
		json_null(w, "pid");
	j_adj(w, "oom_score_adj", r->task_oom_score_adj);
	json_end_object(w);
}

static void json_gfp(struct json_writer *w, const struct lp_report *r, const struct analysis *a)
{
	if (r->has_gfp) {
		json_begin_object(w, "gfp");
		json_hex(w, "mask", r->gfp_mask);
		gfp_json_flags(w, "flags", a->flags);
		json_string(w, "flags_source", a->flags_decoded ? "decoded" : "kernel");
		j_str(w, "layout", a->layout ? gfp_layout_name(a->layout) : NULL);
		json_bool(w, "layout_assumed", a->layout_assumed);
		if (a->have_behaviour) {
			json_begin_object(w, "behaviour");
			json_bool(w, "direct_reclaim", a->b.direct_reclaim);
			json_bool(w, "kswapd", a->b.kswapd);
			json_bool(w, "compact", a->b.compact);
			json_bool(w, "atomic", !a->b.direct_reclaim);
			json_bool(w, "cma", a->b.cma);
			json_bool(w, "costly", a->b.costly);
			json_string(w, "retry", gfp_retry_name(a->b.retry));
			json_bool(w, "may_oom", a->b.may_oom);
			j_str(w, "zone", a->b.zone);
			j_str(w, "migratetype", a->b.migratetype);
			json_end_object(w);
		}
		json_end_object(w);
	} else {
		json_null(w, "gfp");
	}
}

/* The victim for the shared renderer (render.h): what dmesg's kill line and task dump say. */
static void report_victim(const struct lp_report *r, struct od_victim *o)
{
	const struct lp_victim *v = &r->victim;

	victim_init(o);
	o->pid = v->pid;
	o->comm = v->comm;
	o->comm_len = sizeof(v->comm);
	if (v->uid >= 0)
		o->uid = v->uid;
#define LL(dst, val)	if ((val) >= 0) o->dst = (val)
	LL(anon_rss_kb, v->anon_rss_kb);
	LL(file_rss_kb, v->file_rss_kb);
	LL(shmem_rss_kb, v->shmem_rss_kb);
	LL(pgtables_kb, v->pgtables_kb);
#undef LL
	if (victim_adj(r) != LP_ADJ_UNKNOWN)
		o->oom_score_adj = victim_adj(r);
	/* the kill line's task_memcg= (or "Task in X killed") is the victim's */
	if (r->task_memcg[0]) {
		o->cgroup = r->task_memcg;
		o->cgroup_len = sizeof(r->task_memcg);
		/* the parser keeps LP_PATH_MAX - 1 bytes: a path that long may be cut */
		o->cgroup_truncated = strnlen(r->task_memcg, sizeof(r->task_memcg)) >=
				      sizeof(r->task_memcg) - 1;
	}
}

static void json_victim(struct json_writer *w, const struct lp_report *r)
{
	const struct lp_victim *v = &r->victim;
	struct od_victim o;

	if (r->seen & (LP_SEEN_VICTIM | LP_SEEN_SELECT | LP_SEEN_OOMKILL) && v->pid >= 0) {
		report_victim(r, &o);
		json_begin_object(w, "victim");
		victim_json_scalars(w, &o);
		j_ll(w, "total_vm_kb", v->total_vm_kb);
		j_ll(w, "score", v->score);
		json_bool(w, "killed", v->killed);
		if (v->selected_pid >= 0) {
			json_int(w, "selected_pid", v->selected_pid);
			j_str(w, "selected_comm", v->selected_comm);
		}
		victim_json_where(w, &o);
		json_end_object(w);
	} else {
		json_null(w, "victim");
	}
}

static void json_memcg_stats(struct json_writer *w, const struct lp_report *r)
{
	if (r->memcg_usage_kb >= 0 || r->memcg_anon_kb >= 0) {
		json_begin_object(w, "memcg_stats");
		j_ll(w, "usage_kb", r->memcg_usage_kb);
		j_ll(w, "limit_kb", r->memcg_limit_kb);
		j_ll(w, "failcnt", r->memcg_failcnt);
		j_ll(w, "memsw_usage_kb", r->memsw_usage_kb);
		j_ll(w, "memsw_limit_kb", r->memsw_limit_kb);
		j_ll(w, "swap_usage_kb", r->memcg_swap_usage_kb);
		j_ll(w, "swap_limit_kb", r->memcg_swap_limit_kb);
		j_ll(w, "anon_kb", r->memcg_anon_kb);
		j_ll(w, "file_kb", r->memcg_file_kb);
		j_ll(w, "shmem_kb", r->memcg_shmem_kb);
		j_ll(w, "kernel_kb", r->memcg_kernel_kb);
		json_end_object(w);
	} else {
		json_null(w, "memcg_stats");
	}
}

static void json_vmalloc(struct json_writer *w, const struct lp_report *r)
{
	if (r->kind == LP_KIND_VMALLOC_FAILURE) {
		json_begin_object(w, "vmalloc");
		j_ll(w, "size", r->vmalloc_size);
		j_ll(w, "allocated", r->vmalloc_allocated);
		j_ll(w, "vmap_size", r->vmap_size);
		j_str(w, "reason", r->vmalloc_reason);
		json_end_object(w);
	} else {
		json_null(w, "vmalloc");
	}
}

static void json_meminfo(struct json_writer *w, const struct lp_report *r)
{
	if (r->seen & LP_SEEN_MEMINFO) {
		long long pk = r->page_kb;
#define MI(key, v) j_ll(w, key, (v) < 0 ? -1 : (v) * pk)
		json_begin_object(w, "meminfo");
		MI("free_kb", r->mi_free);
		MI("free_cma_kb", r->mi_free_cma);
		MI("active_anon_kb", r->mi_active_anon);
		MI("inactive_anon_kb", r->mi_inactive_anon);
		MI("active_file_kb", r->mi_active_file);
		MI("inactive_file_kb", r->mi_inactive_file);
		MI("unevictable_kb", r->mi_unevictable);
		MI("shmem_kb", r->mi_shmem);
		MI("slab_reclaimable_kb", r->mi_slab_reclaimable);
		MI("slab_unreclaimable_kb", r->mi_slab_unreclaimable);
		MI("pagetables_kb", r->mi_pagetables);
		MI("ram_kb", r->ram_pages);
		j_ll(w, "swap_total_kb", r->total_swap_kb);
		j_ll(w, "swap_free_kb", r->free_swap_kb);
		j_ll(w, "hugetlb_kb", r->hugetlb_kb);
		json_bool(w, "all_unreclaimable", r->all_unreclaimable);
		json_end_object(w);
#undef MI
	} else {
		json_null(w, "meminfo");
	}
}

static void json_zones(struct json_writer *w, const struct lp_report *r, const struct analysis *a)
{
	json_begin_array(w, "zones");
	for (int i = 0; i < r->nr_zones; i++) {
		const struct lp_zone *z = &r->zones[i];
		const struct causes_zone *cz = &a->zones[i];

		json_begin_object(w, NULL);
		if (z->node >= 0)
			json_int(w, "node", z->node);
		else
			json_null(w, "node");
		json_string(w, "name", z->name);
		j_ll(w, "free_kb", z->free_kb);
		j_ll(w, "min_kb", z->min_kb);
		j_ll(w, "low_kb", z->low_kb);
		j_ll(w, "high_kb", z->high_kb);
		j_ll(w, "free_cma_kb", z->free_cma_kb);
		j_ll(w, "managed_kb", z->managed_kb);
		if (z->has_buddy) {
			json_begin_array(w, "free_blocks");
			for (int o = 0; o < z->nr_orders; o++)
				json_int(w, NULL, z->free_blocks[o]);
			json_end_array(w);
			if (z->buddy_has_types) {
				json_begin_array(w, "migratetypes");
				for (int o = 0; o < z->nr_orders; o++)
					json_string(w, NULL, z->types[o]);
				json_end_array(w);
			} else {
				json_null(w, "migratetypes");
			}
			json_int(w, "highest_free_order", cz->highest_free_order);
			json_int(w, "highest_usable_order", cz->highest_usable_order);
		} else {
			json_null(w, "free_blocks");
			json_null(w, "migratetypes");
			json_null(w, "highest_free_order");
			json_null(w, "highest_usable_order");
		}
		json_bool(w, "usable", cz->usable);
		json_end_object(w);
	}
	json_end_array(w);
}

static void json_tasks(struct json_writer *w, const struct lp_report *r)
{
	if (r->seen & LP_SEEN_TASKS) {
		json_begin_object(w, "tasks");
		json_int(w, "count", r->nr_tasks);
		json_int(w, "rss_kb", r->tasks_rss_pages * r->page_kb);
		json_begin_array(w, "largest");
		for (int i = 0; i < r->nr_top_rss; i++) {
			const struct lp_task *t = &r->top_rss[i];

			json_begin_object(w, NULL);
			json_int(w, "pid", t->pid);
			json_string(w, "comm", t->comm);
			json_int(w, "rss_kb", t->rss * r->page_kb);
			json_int(w, "swap_kb", t->swapents * r->page_kb);
			j_adj(w, "oom_score_adj", t->oom_score_adj);
			json_end_object(w);
		}
		json_end_array(w);
		json_end_object(w);
	} else {
		json_null(w, "tasks");
	}
}

static void json_report(struct explain_ctx *x, const struct lp_report *r,
			const struct analysis *a)
{
	struct json_writer *w = &x->jw;

	json_begin_object(w, NULL);
	json_string(w, "kind", logparse_kind_name(r->kind));
	json_int(w, "line_first", r->first_line);
	json_int(w, "line_last", r->last_line);
	j_str(w, "timestamp", r->timestamp);
	j_str(w, "kernel", r->kernel);

	json_task(w, r);
	json_gfp(w, r, a);
	if (r->order >= -1)
		json_int(w, "order", r->order);
	else
		json_null(w, "order");
	j_str(w, "nodemask", r->nodemask);
	j_str(w, "cpuset", r->cpuset);
	j_str(w, "mems_allowed", r->mems_allowed);

	json_victim(w, r);
	json_int(w, "killed_count", r->nr_killed);
	j_str(w, "constraint", constraint_name(r));
	j_str(w, "memcg", r->memcg);
	j_str(w, "task_memcg", r->task_memcg);
	domain_json(w, "domain", r->memcg, sizeof(r->memcg),
		    r->memcg[0] ? strnlen(r->memcg, sizeof(r->memcg)) >= sizeof(r->memcg) - 1 : -1);
	json_memcg_stats(w, r);
	json_vmalloc(w, r);
	json_meminfo(w, r);
	json_zones(w, r, a);
	json_tasks(w, r);
	json_begin_object(w, "suppressed");
	json_int(w, "warn_alloc", r->suppressed_warn_alloc);
	json_int(w, "oom", r->suppressed_oom);
	json_int(w, "other", r->suppressed_other);
	json_end_object(w);

	causes_json(w, a);
	json_bool(w, "truncated", r->truncated);
	j_ll(w, "stall_ms", r->stall_ms);
	json_bool(w, "sysrq", r->sysrq);
	json_bool(w, "oom_killer_disabled", r->oom_killer_disabled);
	if (r->panic_on_oom)
		json_int(w, "panic_on_oom", r->panic_on_oom);
	else
		json_null(w, "panic_on_oom");
	causes_json_missing(w, a);
	json_end_object(w);
}

/* ---- facts (tests) ---------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void explain_facts(FILE *f, int idx, const struct lp_report *r, const struct analysis *a)
{
	const struct lp_victim *v = &r->victim;
	const char *ids[CAUSES_MAX];
	int n = a->nr_causes;

	fprintf(f, "%d.kind=%s\n", idx, logparse_kind_name(r->kind));
	fprintf(f, "%d.kernel=%s\n", idx, r->kernel);
	fprintf(f, "%d.task.comm=%s\n", idx, r->comm);
	fprintf(f, "%d.task.pid=%d\n", idx, r->pid);
	if (r->has_gfp) {
		fprintf(f, "%d.gfp.mask=0x%llx\n", idx, (unsigned long long)r->gfp_mask);
		fprintf(f, "%d.gfp.flags=%s\n", idx, a->flags);
	} else {
		fprintf(f, "%d.gfp.mask=\n", idx);
	}
	if (r->order >= -1)
		fprintf(f, "%d.order=%d\n", idx, r->order);
	else
		fprintf(f, "%d.order=\n", idx);
	if ((r->seen & (LP_SEEN_VICTIM | LP_SEEN_SELECT | LP_SEEN_OOMKILL)) && v->pid >= 0) {
		fprintf(f, "%d.victim.pid=%d\n", idx, v->pid);
		fprintf(f, "%d.victim.comm=%s\n", idx, v->comm);
		fprintf(f, "%d.victim.anon_rss_kb=%lld\n", idx, v->anon_rss_kb);
		if (victim_adj(r) == LP_ADJ_UNKNOWN)
			fprintf(f, "%d.victim.oom_score_adj=\n", idx);
		else
			fprintf(f, "%d.victim.oom_score_adj=%d\n", idx, victim_adj(r));
	} else {
		fprintf(f, "%d.victim.pid=\n", idx);
	}
	fprintf(f, "%d.constraint=%s\n", idx, constraint_name(r) ? constraint_name(r) : "");
	fprintf(f, "%d.memcg=%s\n", idx, r->memcg);
	fprintf(f, "%d.memcg.limit_kb=%lld\n", idx, r->memcg_limit_kb);
	fprintf(f, "%d.vmalloc.size=%lld\n", idx, r->vmalloc_size);
	fprintf(f, "%d.zones=%d\n", idx, r->nr_zones);
	for (int i = 0; i < r->nr_zones; i++) {
		const struct lp_zone *z = &r->zones[i];

		fprintf(f, "%d.zone.%s.free_kb=%lld\n", idx, z->name, z->free_kb);
		fprintf(f, "%d.zone.%s.min_kb=%lld\n", idx, z->name, z->min_kb);
		fprintf(f, "%d.zone.%s.highest_free_order=%d\n", idx, z->name,
			a->zones[i].highest_free_order);
		fprintf(f, "%d.zone.%s.free_cma_kb=%lld\n", idx, z->name, z->free_cma_kb);
	}
	fprintf(f, "%d.stall_ms=%lld\n", idx, r->stall_ms);
	fprintf(f, "%d.tasks=%d\n", idx, r->nr_tasks);
	fprintf(f, "%d.suppressed.warn_alloc=%lld\n", idx, r->suppressed_warn_alloc);
	fprintf(f, "%d.suppressed.oom=%lld\n", idx, r->suppressed_oom);
	fprintf(f, "%d.killed_count=%d\n", idx, r->nr_killed);
	if (v->selected_pid >= 0)
		fprintf(f, "%d.victim.selected_pid=%d\n", idx, v->selected_pid);
	fprintf(f, "%d.task_memcg=%s\n", idx, r->task_memcg);
	fprintf(f, "%d.truncated=%s\n", idx, r->truncated ? "true" : "false");
	for (int i = 0; i < n; i++)
		ids[i] = a->causes[i].id;
	qsort(ids, (size_t)n, sizeof(ids[0]), cmp_str);
	fprintf(f, "%d.causes=", idx);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "", ids[i]);
	fputc('\n', f);
}

/* ---- human ------------------------------------------------------------ */

/* A memcg limit in human units; "unlimited" for PAGE_COUNTER_MAX. */
static const char *limit_text(char *buf, size_t len, long long kb)
{
	if (kb < 0)
		snprintf(buf, len, "?");
	else if (kb >= (1LL << 50))
		snprintf(buf, len, "unlimited");
	else
		human_kb(buf, len, (uint64_t)kb);
	return buf;
}

static const char *kind_title(enum lp_kind k)
{
	switch (k) {
	case LP_KIND_GLOBAL_OOM: return "OOM kill (global)";
	case LP_KIND_MEMCG_OOM: return "OOM kill (memory cgroup)";
	case LP_KIND_PAGE_ALLOC_FAILURE: return "page allocation failure";
	case LP_KIND_VMALLOC_FAILURE: return "vmalloc failure";
	case LP_KIND_ALLOC_STALL: return "allocation stall";
	}
	return "report";
}

static void label(struct explain_ctx *x, const char *l)
{
	fprintf(x->out, "  %s%-11s%s ", od_c(&x->st, C_BOLD), l, od_c(&x->st, C_RESET));
}

/* the request: order, gfp, what the allocator may do */
static void human_request(struct explain_ctx *x, const struct lp_report *r, const struct analysis *a)
{
	FILE *f = x->out;
	char h1[32], line[512];

	if (r->has_gfp || r->order >= -1) {
		label(x, "request");
		if (r->order >= 0)
			snprintf(line, sizeof(line), "order %d (%s)", r->order,
				 human_kb(h1, sizeof(h1), (uint64_t)(r->page_kb << (r->order < 40 ? r->order : 0))));
		else if (r->order == -1)
			snprintf(line, sizeof(line), "order -1 (memcg charge or sysrq)");
		else
			snprintf(line, sizeof(line), "order ?");
		if (r->has_gfp) {
			size_t l = strlen(line);

			snprintf(line + l, sizeof(line) - l, ", gfp 0x%llx %s%s",
				 (unsigned long long)r->gfp_mask, a->flags,
				 a->flags_decoded ? (a->layout_assumed ? " (decoded, layout assumed)" :
						     " (decoded)") : "");
		}
		od_wrap(f, 14, 14, line);
		if (a->have_behaviour) {
			snprintf(line, sizeof(line), "%s, %s, zones up to %s, %s; %s",
				 a->b.direct_reclaim ? "may reclaim" : "cannot reclaim (atomic)",
				 a->b.compact ? "may compact" : "no compaction",
				 a->b.zone ? a->b.zone : "?",
				 a->b.cma ? "movable (may use CMA)" : "not movable (no CMA)",
				 a->b.retry_text ? a->b.retry_text : "");
			od_wrap(f, 14, 0, line);
		}
	}
}

/* a vmalloc failure: size, pages allocated, reason */
static void human_vmalloc(struct explain_ctx *x, const struct lp_report *r)
{
	FILE *f = x->out;
	char h1[32], line[512];

	if (r->kind == LP_KIND_VMALLOC_FAILURE) {
		label(x, "vmalloc");
		line[0] = '\0';
		if (r->vmalloc_size >= 0)
			snprintf(line, sizeof(line), "size %lld bytes (%s)", r->vmalloc_size,
				 human_kb(h1, sizeof(h1), (uint64_t)r->vmalloc_size / 1024));
		if (r->vmalloc_allocated >= 0)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 ", %lld allocated before failing", r->vmalloc_allocated);
		if (r->vmalloc_reason[0])
			snprintf(line + strlen(line), sizeof(line) - strlen(line), ", %s",
				 r->vmalloc_reason);
		if (r->vmap_size >= 0)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 "%svmap of %lld bytes failed", line[0] ? ", " : "", r->vmap_size);
		od_wrap(f, 14, 14, line[0] ? line : "?");
	}
}

/* the OOM constraint and memory cgroup with its usage */
static void human_constraint(struct explain_ctx *x, const struct lp_report *r)
{
	FILE *f = x->out;
	char h1[32], h2[32], line[512];

	if (constraint_name(r) || r->memcg[0]) {
		label(x, "constraint");
		snprintf(line, sizeof(line), "%s%s%s", constraint_name(r) ? constraint_name(r) : "?",
			 r->memcg[0] ? " " : "", r->memcg);
		if (r->memcg_usage_kb >= 0)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 " (usage %s of limit %s)",
				 human_kb(h1, sizeof(h1), (uint64_t)r->memcg_usage_kb),
				 limit_text(h2, sizeof(h2), r->memcg_limit_kb));
		od_wrap(f, 14, 14, line);
		container_print(f, 14, r->memcg);
	}
}

/* the victim and its memory */
static void human_victim(struct explain_ctx *x, const struct lp_report *r)
{
	FILE *f = x->out;
	const struct lp_victim *v = &r->victim;
	char h1[32], h2[32], h3[32], line[512];
	struct od_victim o;

	if ((r->seen & (LP_SEEN_VICTIM | LP_SEEN_SELECT | LP_SEEN_OOMKILL)) && v->pid >= 0) {
		label(x, "victim");
		snprintf(line, sizeof(line), "%s (pid %d)", v->comm, v->pid);
		if (v->anon_rss_kb >= 0)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 ": anon-rss %s, file-rss %s, shmem-rss %s",
				 human_kb(h1, sizeof(h1), (uint64_t)v->anon_rss_kb),
				 v->file_rss_kb >= 0 ? human_kb(h2, sizeof(h2), (uint64_t)v->file_rss_kb) : "?",
				 v->shmem_rss_kb >= 0 ? human_kb(h3, sizeof(h3), (uint64_t)v->shmem_rss_kb) : "?");
		if (victim_adj(r) != LP_ADJ_UNKNOWN)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 ", oom_score_adj %d", victim_adj(r));
		if (!v->killed)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 " (selected; kill not in the log)");
		if (r->nr_killed > 1)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 "; %d tasks killed (memory.oom.group)", r->nr_killed);
		od_wrap(f, 14, 14, line);
		report_victim(r, &o);
		victim_print_where(f, 14, &o);
	}
}

/* the largest tasks of the task dump */
static void human_largest(struct explain_ctx *x, const struct lp_report *r)
{
	FILE *f = x->out;
	char h1[32], line[512];

	if (r->seen & LP_SEEN_TASKS && r->nr_top_rss) {
		label(x, "largest");
		line[0] = '\0';
		for (int i = 0; i < r->nr_top_rss && i < 3; i++)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s (%d) %s",
				 i ? ", " : "", r->top_rss[i].comm, r->top_rss[i].pid,
				 human_kb(h1, sizeof(h1), (uint64_t)(r->top_rss[i].rss * r->page_kb)));
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "; %d task%s, %s rss",
			 r->nr_tasks, r->nr_tasks == 1 ? "" : "s", human_kb(h1, sizeof(h1), (uint64_t)(r->tasks_rss_pages * r->page_kb)));
		od_wrap(f, 14, 14, line);
	}
}

/* the zones table */
static void human_zones(struct explain_ctx *x, const struct lp_report *r, const struct analysis *a)
{
	FILE *f = x->out;
	char h1[32], h2[32], h3[32], h4[32], h5[32];

	if (r->nr_zones) {
		fprintf(f, "  %szones%s       %-12s %9s %9s %9s %9s %9s  %s\n", od_c(&x->st, C_BOLD),
			od_c(&x->st, C_RESET), "", "free", "min", "low", "high", "CMA",
			"largest free block");
		for (int i = 0; i < r->nr_zones; i++) {
			const struct lp_zone *z = &r->zones[i];
			const struct causes_zone *cz = &a->zones[i];
			char name[24], big[48];

			snprintf(name, sizeof(name), "%s%.10s", z->node >= 0 ? "" : "",
				 z->name);
			if (z->node >= 0)
				snprintf(name, sizeof(name), "%d %.10s", z->node, z->name);
			if (cz->highest_free_order >= 0)
				snprintf(big, sizeof(big), "order %d (%s)%s", cz->highest_free_order,
					 human_kb(h5, sizeof(h5), (uint64_t)(z->page_kb << cz->highest_free_order)),
					 cz->highest_usable_order != cz->highest_free_order ?
					 (cz->highest_usable_order >= 0 ? "*" : "*none") : "");
			else
				snprintf(big, sizeof(big), "%s", cz->highest_free_order == -1 ? "none" : "?");
			fprintf(f, "              %-12s %9s %9s %9s %9s %9s  %s%s\n", name,
				z->free_kb >= 0 ? human_kb(h1, sizeof(h1), (uint64_t)z->free_kb) : "?",
				z->min_kb >= 0 ? human_kb(h2, sizeof(h2), (uint64_t)z->min_kb) : "?",
				z->low_kb >= 0 ? human_kb(h3, sizeof(h3), (uint64_t)z->low_kb) : "?",
				z->high_kb >= 0 ? human_kb(h4, sizeof(h4), (uint64_t)z->high_kb) : "?",
				z->free_cma_kb >= 0 ? human_kb(h5, sizeof(h5), (uint64_t)z->free_cma_kb) : "?",
				big, cz->usable ? "" : " (not usable)");
		}
		for (int i = 0; i < r->nr_zones; i++)
			if (a->zones[i].highest_usable_order != a->zones[i].highest_free_order &&
			    a->zones[i].highest_free_order >= 0) {
				fprintf(f, "              * larger blocks only in free lists this "
					"request may not use\n"
					"                (CMA, highatomic, isolated)\n");
				break;
			}
	}
}

static void human_report(struct explain_ctx *x, const struct lp_report *r,
			 const struct analysis *a)
{
	FILE *f = x->out;

	fprintf(f, "%s%sReport %lld: %s%s  (lines %lld-%lld%s%s)\n", x->n > 1 ? "\n" : "",
		od_c(&x->st, C_BOLD), x->n, kind_title(r->kind), od_c(&x->st, C_RESET),
		r->first_line, r->last_line, r->timestamp[0] ? ", " : "", r->timestamp);
	label(x, "kernel");
	fprintf(f, "%s%s\n", r->kernel[0] ? r->kernel : "unknown",
		r->kernel_from_banner ? " (from the boot banner)" : "");
	label(x, "task");
	if (r->comm[0] || r->pid >= 0) {
		fprintf(f, "%s", r->comm[0] ? r->comm : "?");
		if (r->pid >= 0)
			fprintf(f, " (pid %d)", r->pid);
		if (r->task_oom_score_adj != LP_ADJ_UNKNOWN)
			fprintf(f, ", oom_score_adj %d", r->task_oom_score_adj);
		fputc('\n', f);
	} else {
		fprintf(f, "unknown\n");
	}
	human_request(x, r, a);
	human_vmalloc(x, r);
	human_constraint(x, r);
	human_victim(x, r);
	human_largest(x, r);
	human_zones(x, r, a);
	causes_print(f, &x->st, a, r->truncated);
}

/* Log text for a terminal: control characters as \xHH, as `top` shows comms. */
static void term_safe(char *s, size_t size)
{
	char buf[4 * LP_PATH_MAX + 8];
	size_t n = strlen(s);
	bool ctl = false;

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			ctl = true;
	if (!ctl)
		return;
	od_escape(s, n, buf, sizeof(buf) < size ? sizeof(buf) : size);
	memcpy(s, buf, strlen(buf) + 1);
}

/*
 * Every string of a report that comes from the log (comms are chosen by any
 * user with prctl(PR_SET_NAME)), made safe to print; the JSON writer
 * escapes on its own.
 */
static void report_term_safe(struct lp_report *r)
{
#define SAFE(f) term_safe((f), sizeof(f))
	SAFE(r->timestamp);
	SAFE(r->kernel);
	SAFE(r->comm);
	SAFE(r->gfp_names);
	SAFE(r->nodemask);
	SAFE(r->cpuset);
	SAFE(r->mems_allowed);
	SAFE(r->vmalloc_reason);
	SAFE(r->victim.comm);
	SAFE(r->victim.selected_comm);
	SAFE(r->constraint);
	SAFE(r->memcg);
	SAFE(r->task_memcg);
	SAFE(r->prev_victim_comm);
	for (int i = 0; i < r->nr_top_rss; i++)
		SAFE(r->top_rss[i].comm);
	for (int i = 0; i < r->nr_top_badness; i++)
		SAFE(r->top_badness[i].comm);
	for (int i = 0; i < r->nr_slabs; i++)
		SAFE(r->slabs[i].name);
	for (int i = 0; i < r->nr_zones; i++)
		SAFE(r->zones[i].name);
#undef SAFE
}

static void on_report(const struct lp_report *r, void *arg)
{
	struct explain_ctx *x = arg;
	struct analysis a;

	x->n++;
	if ((unsigned)r->kind < LP_NR_KINDS)
		x->by_kind[r->kind]++;
	if (x->st.json) {
		causes_analyse(r, &a);
		json_report(x, r, &a);
	} else {
		static struct lp_report safe;

		safe = *r;
		report_term_safe(&safe);
		causes_analyse(&safe, &a);
		human_report(x, &safe, &a);
	}
}

/* ---- input ------------------------------------------------------------ */

static int feed_fd(struct logparse *p, int fd, const char *name)
{
	static char buf[1 << 20];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			od_err_read(name, e);
			return od_exit_for_errno(e);
		}
		if (n == 0)
			return 0;
		logparse_feed(p, buf, (size_t)n);
	}
}

/*
 * One /dev/kmsg record "PRI,SEQ,USEC,FLAGS;text\n KEY=val\n" as a dmesg
 * line "[SSSSS.UUUUUU] text", with "\x0a" inside the text made new lines.
 */
static void feed_kmsg_record(struct logparse *p, char *rec, size_t n)
{
	char out[LP_LINE_MAX + 64];
	char *semi = memchr(rec, ';', n), *s, *end;
	unsigned long long usec = 0;
	char ts[40];
	size_t o = 0;
	int field = 0;

	if (!semi)
		return;
	for (s = rec; s < semi; s++) {
		if (*s == ',') {
			field++;
			continue;
		}
		if (field == 2 && *s >= '0' && *s <= '9')
			usec = usec * 10 + (unsigned long long)(*s - '0');
	}
	snprintf(ts, sizeof(ts), "[%5llu.%06llu] ", usec / 1000000, usec % 1000000);
	end = memchr(semi, '\n', n - (size_t)(semi - rec));
	if (!end)
		end = rec + n;
	o = (size_t)snprintf(out, sizeof(out), "%s", ts);
	for (s = semi + 1; s < end; s++) {
		if (s + 3 < end && s[0] == '\\' && s[1] == 'x' && s[2] == '0' && s[3] == 'a') {
			out[o++] = '\n';
			logparse_feed(p, out, o);
			o = (size_t)snprintf(out, sizeof(out), "%s", ts);
			s += 3;
			continue;
		}
		if (o < sizeof(out) - 2)
			out[o++] = *s;
	}
	out[o++] = '\n';
	logparse_feed(p, out, o);
}

static int feed_live(struct logparse *p)
{
	static char rec[16384];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int kmsg_errno = errno;

	if (fd >= 0) {
		for (;;) {
			ssize_t n = read(fd, rec, sizeof(rec));

			if (n < 0 && (errno == EINTR || errno == EPIPE))
				continue;	/* EPIPE: records overwritten while reading */
			if (n < 0 && errno == EAGAIN)
				break;
			if (n < 0) {
				kmsg_errno = errno;
				close(fd);
				fd = -1;
				break;
			}
			if (n == 0)
				break;
			feed_kmsg_record(p, rec, (size_t)n);
		}
		if (fd >= 0) {
			close(fd);
			return 0;
		}
	}
	/* fallback: syslog(2) */
	{
		int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
		char *buf;
		int n;

		if (size <= 0)
			size = 1 << 20;
		buf = malloc((size_t)size);
		if (!buf) {
			od_err("failed to read the kernel log: %s", strerror(ENOMEM));
			return EXIT_FAIL;
		}
		n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
		if (n < 0) {
			int e = errno;

			free(buf);
			fprintf(stderr, "oomdiag: failed to read the kernel log: /dev/kmsg: %s, "
				"syslog(2): %s%s\n", strerror(kmsg_errno), strerror(e),
				(e == EPERM || e == EACCES) ?
				" (run as root, or allow it with sysctl kernel.dmesg_restrict=0; or "
				"give a saved log: oomdiag explain FILE, or journalctl -k | oomdiag explain)" : "");
			return od_exit_for_errno(e);
		}
		logparse_feed(p, buf, (size_t)n);
		free(buf);
	}
	return 0;
}

/* Standard input is a pipe, a file or a socket (not a terminal, not /dev/null). */
static bool stdin_is_data(void)
{
	struct stat st;

	if (isatty(0) || fstat(0, &st))
		return false;
	return S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: oomdiag explain [--json] [--pretty] [--no-color] [FILE|-]\n"
		"\n"
		"Find every OOM report, page allocation failure and vmalloc failure in kernel\n"
		"log text and explain it: the facts (task, gfp flags, order, victim, zones and\n"
		"free blocks) and the likely causes, with the evidence and advice for each.\n"
		"\n"
		"  FILE        dmesg, journalctl -k or syslog text; '-' reads stdin; without\n"
		"              FILE stdin when it is a pipe or a file, else the live kernel\n"
		"              log (/dev/kmsg, or syslog(2); needs root when\n"
		"              kernel.dmesg_restrict=1; from scripts and ssh: </dev/null)\n"
		COMMON_HELP
		"\n"
		"With --json one document {\"reports\": [...]}, schema in docs/explain-schema.md.\n"
		"Exit status: 0 done (also when no report was found), 1 the input could not be\n"
		"read, 2 bad usage, 4 permission denied.\n");
}

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		OD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct explain_ctx x;
	struct logparse p;
	struct od_opts o;
	const char *file = NULL, *source = "the kernel log";
	int opt, rc = 0;

	memset(&x, 0, sizeof(x));
	x.out = stdout;
	od_opts_init(&o);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (od_opts_common(&o, opt))
			continue;
		switch (opt) {
		case 'h': usage(stdout); return EXIT_OK;
		default:
			fprintf(stderr, "oomdiag: explain: unknown option '%s' (see oomdiag explain "
				"--help)\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		file = argv[optind++];
		source = strcmp(file, "-") ? file : "standard input";
	}
	if (optind < argc) {
		fprintf(stderr, "oomdiag: explain takes one FILE (see oomdiag explain --help)\n");
		return EXIT_USAGE;
	}
	/* --no-module: explain reads the log, never the module */
	od_style_from(&x.st, &o, stdout);
	if (logparse_init(&p, on_report, &x)) {
		od_err("failed to explain: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (x.st.json) {
		json_init(&x.jw, stdout);
		json_set_pretty(&x.jw, x.st.pretty);
		json_begin_object(&x.jw, NULL);
		json_begin_array(&x.jw, "reports");
	}
	if (!file && stdin_is_data()) {
		/* "journalctl -k -b -1 | oomdiag explain": the pipe, not the live log */
		file = "-";
		source = "standard input";
	}
	if (!file) {
		rc = feed_live(&p);
	} else if (!strcmp(file, "-")) {
		rc = feed_fd(&p, 0, "stdin");
	} else {
		int fd = open(file, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			int e = errno;

			od_err_read(file, e);
			rc = od_exit_for_errno(e);
		} else {
			rc = feed_fd(&p, fd, file);
			close(fd);
		}
	}
	logparse_finish(&p);
	logparse_free(&p);
	if (x.st.json) {
		json_end_array(&x.jw);
		json_end_object(&x.jw);
		json_newline(&x.jw);
	} else if (!rc) {
		char src[PATH_MAX + 32];

		od_escape(source, strlen(source), src, sizeof(src));
		if (!x.n)
			printf("No OOM report, page allocation failure or vmalloc failure found in "
			       "%s.\n", src);
		else
			printf("\n%lld report%s in %s:\n  %lld global OOM, %lld memcg OOM, %lld page "
			       "allocation failure, %lld vmalloc failure%s\n", x.n, x.n == 1 ? "" : "s",
			       src, x.by_kind[LP_KIND_GLOBAL_OOM], x.by_kind[LP_KIND_MEMCG_OOM],
			       x.by_kind[LP_KIND_PAGE_ALLOC_FAILURE],
			       x.by_kind[LP_KIND_VMALLOC_FAILURE],
			       x.by_kind[LP_KIND_ALLOC_STALL] ? ", and allocation stalls" : "");
	}
	fflush(stdout);
	return rc;
}
