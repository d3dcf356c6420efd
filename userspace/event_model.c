// SPDX-License-Identifier: GPL-2.0
/*
 * One failure model (see event_model.h): a module record or a BPF event
 * turned into the struct lp_report that explain builds from dmesg text, so
 * causes_analyse() runs once for all three sources.
 *
 * What a record cannot show stays unknown, never 0, exactly as for a dmesg
 * report cut short: a record has no show_mem() "Mem-Info" counters (slab,
 * shmem, page cache, swap, RAM, hugetlb), no task dump (an oom_kill record
 * of the module has its kill ledger, the top candidates, used as the task
 * list), no memory cgroup usage or limit, and its zone snapshot counts free
 * blocks per order of all free lists together (no migratetype letters, so
 * CMA and highatomic blocks are not told apart; the module's after_zone
 * line comes later and is not used).  The causes that need those facts do
 * not fire, and a->missing says what was not known.  A record has what
 * dmesg lacks for silent failures: the request, the task, the context and
 * the zones at that instant.
 *
 * Kinds: alloc_fail and warn_alloc are page allocation failures; slow_alloc
 * (a slow path over the latency threshold, which succeeded) is an
 * allocation stall, like 4.11-4.14's "page allocation stalls" report;
 * oom_kill and oom_victim are OOM kills (global, or memcg by constraint);
 * vm_refused is a refused address-space request (lp_report.vm).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "event_model.h"
#include "render.h"
#include "json.h"

static long long page_kb(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? ps / 1024 : 4;
}

/* Every number unknown, as logparse starts a report; then what only records have. */
static void report_init(struct lp_report *r)
{
	lp_report_reset(r);
	r->prev_victim_pid = -1;
	r->vm.overcommit_mode = -1;
	r->vm.pages = r->vm.committed_as_pages = r->vm.commit_limit_pages = LP_UNKNOWN;
	r->vm.overcommit_ratio = r->vm.overcommit_kbytes = LP_UNKNOWN;
	r->vm.limit = r->vm.current = LP_UNKNOWN;
	r->page_kb = page_kb();
}

static void copy_comm(char *dst, size_t dlen, const char *src, size_t slen)
{
	size_t n = strnlen(src, slen);

	if (n >= dlen)
		n = dlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static long long known(const struct od_event *e, enum od_field f, long long v)
{
	return event_known(e, f) ? v : LP_UNKNOWN;
}

static void zones(const struct od_event *e, struct lp_report *r)
{
	const struct oomdiag_event *ev = &e->ev;
	long long pk = r->page_kb;

	for (unsigned int i = 0; i < ev->nr_zones && i < OOMDIAG_MAX_ZONES &&
	     r->nr_zones < LP_MAX_ZONES; i++) {
		const struct oomdiag_zone_snap *s = &ev->zones[i];
		struct lp_zone *z = &r->zones[r->nr_zones++];
		unsigned int n = s->nr_orders ? s->nr_orders : OOMDIAG_NR_ORDERS;

		memset(z, 0, sizeof(*z));
		z->node = (int)s->node;
		copy_comm(z->name, sizeof(z->name), s->name, sizeof(s->name));
		z->free_kb = (long long)s->free_pages * pk;
		z->min_kb = (long long)s->min_pages * pk;	/* the boost included */
		z->low_kb = (long long)s->low_pages * pk;
		z->high_kb = (long long)s->high_pages * pk;
		z->boost_kb = LP_UNKNOWN;
		z->free_cma_kb = (long long)s->free_cma_pages * pk;
		z->managed_kb = (long long)s->managed_pages * pk;
		z->present_kb = z->reserved_highatomic_kb = LP_UNKNOWN;
		z->has_watermarks = true;
		z->has_buddy = true;
		z->page_kb = pk;
		if (n > OOMDIAG_NR_ORDERS)
			n = OOMDIAG_NR_ORDERS;
		z->nr_orders = (int)n;
		for (unsigned int o = 0; o < n && o < LP_MAX_ORDERS; o++) {
			z->free_blocks[o] = s->free_blocks[o];
			z->buddy_total_kb += (long long)s->free_blocks[o] * (pk << o);
		}
	}
	if (r->nr_zones)
		r->seen |= LP_SEEN_ZONES | LP_SEEN_BUDDY;
}

static void gfp(const struct od_event *e, enum od_field f, uint32_t mask, struct lp_report *r)
{
	if (!event_known(e, f))
		return;
	r->has_gfp = true;
	r->gfp_mask = mask;
	/* the module's %pGg, or the running kernel's names decoded by us (BPF) */
	copy_comm(r->gfp_names, sizeof(r->gfp_names), e->gfp_text, sizeof(e->gfp_text));
}

static int cmp_rss(const void *a, const void *b)
{
	const struct lp_task *x = a, *y = b;

	return x->rss < y->rss ? 1 : x->rss > y->rss ? -1 : 0;
}

/* The kill ledger's candidates as the task list: the top of the domain. */
static void ledger_tasks(const struct od_event *e, struct lp_report *r)
{
	const struct od_ledger *l = &e->ledger;
	struct lp_task t[OD_LEDGER_MAX_ROWS];
	int n = 0;

	if (!l->present || !l->nr)
		return;
	for (unsigned int i = 0; i < l->nr && i < OD_LEDGER_MAX_ROWS; i++) {
		const struct od_ledger_row *w = &l->rows[i];
		struct lp_task *k = &t[n];

		if (!ledger_row_known(w, OD_LROW_PID))
			continue;
		memset(k, 0, sizeof(*k));
		k->pid = k->tgid = (int)w->pid;
		k->uid = -1;
		copy_comm(k->comm, sizeof(k->comm), w->comm, sizeof(w->comm));
		k->rss_anon = ledger_row_known(w, OD_LROW_ANON) ? w->anon_pages : LP_UNKNOWN;
		k->rss_file = ledger_row_known(w, OD_LROW_FILE) ? w->file_pages : LP_UNKNOWN;
		k->rss_shmem = ledger_row_known(w, OD_LROW_SHMEM) ? w->shmem_pages : LP_UNKNOWN;
		k->rss = (k->rss_anon > 0 ? k->rss_anon : 0) + (k->rss_file > 0 ? k->rss_file : 0) +
			 (k->rss_shmem > 0 ? k->rss_shmem : 0);
		k->total_vm = LP_UNKNOWN;
		k->swapents = ledger_row_known(w, OD_LROW_SWAP) ? w->swap_pages : LP_UNKNOWN;
		k->pgtables_kb = ledger_row_known(w, OD_LROW_PGTABLES) ?
				 w->pgtables_pages * r->page_kb : LP_UNKNOWN;
		k->oom_score_adj = ledger_row_known(w, OD_LROW_ADJ) ? (int)w->oom_score_adj :
				   LP_ADJ_UNKNOWN;
		k->badness = ledger_row_known(w, OD_LROW_POINTS) ? w->points : LP_UNKNOWN;
		r->tasks_rss_pages += k->rss;
		n++;
	}
	if (!n)
		return;
	/* ranked rows first, in the kernel's order: the badness list */
	for (int i = 0; i < n && r->nr_top_badness < LP_TOP_TASKS; i++)
		if (t[i].badness != LP_UNKNOWN)
			r->top_badness[r->nr_top_badness++] = t[i];
	qsort(t, (size_t)n, sizeof(t[0]), cmp_rss);
	for (int i = 0; i < n && i < LP_TOP_TASKS; i++)
		r->top_rss[r->nr_top_rss++] = t[i];
	r->nr_tasks = n;
	r->tasks_have_adj = true;
	r->seen |= LP_SEEN_TASKS;
}

static void oom(const struct od_event *e, struct lp_report *r)
{
	const struct oomdiag_oom_info *o = &e->ev.oom;
	const char *cons = oomdiag_name_of(oomdiag_constraint_names, o->constraint);

	r->kind = o->constraint == OOMDIAG_CONSTRAINT_MEMCG ? LP_KIND_MEMCG_OOM : LP_KIND_GLOBAL_OOM;
	if (cons) {
		/* as the kernel prints it: "constraint=CONSTRAINT_MEMCG" */
		size_t n = (size_t)snprintf(r->constraint, sizeof(r->constraint), "CONSTRAINT_%s",
					    cons);

		for (size_t i = 0; i < n && i < sizeof(r->constraint); i++)
			if (r->constraint[i] >= 'a' && r->constraint[i] <= 'z')
				r->constraint[i] = (char)(r->constraint[i] - 'a' + 'A');
		r->seen |= LP_SEEN_OOMKILL;
	}
	copy_comm(r->memcg, sizeof(r->memcg), o->memcg, sizeof(o->memcg));
	copy_comm(r->task_memcg, sizeof(r->task_memcg), o->victim_memcg, sizeof(o->victim_memcg));
	if (e->ev.kind == OOMDIAG_KIND_OOM_KILL) {
		gfp(e, OD_FIELD_OOM_GFP, o->gfp, r);
		if (event_known(e, OD_FIELD_OOM_ORDER))
			r->order = o->order;
		if (r->has_gfp)
			r->seen |= LP_SEEN_HEADER;
		/* mm/oom_kill.c is_sysrq_oom(): order -1 of a global OOM */
		if (r->order == -1 && r->kind == LP_KIND_GLOBAL_OOM)
			r->sysrq = true;
	}
	r->group_kill = e->ev.flags & OOMDIAG_F_GROUP_KILL;
	if (event_known(e, OD_FIELD_VICTIM_PID)) {
		struct lp_victim *v = &r->victim;

		v->pid = (int)o->victim_pid;
		v->uid = event_known(e, OD_FIELD_VICTIM_UID) ? (int)o->victim_uid : -1;
		copy_comm(v->comm, sizeof(v->comm), o->victim_comm, sizeof(o->victim_comm));
		v->anon_rss_kb = known(e, OD_FIELD_ANON_RSS_KB, (long long)o->anon_rss_kb);
		v->file_rss_kb = known(e, OD_FIELD_FILE_RSS_KB, (long long)o->file_rss_kb);
		v->shmem_rss_kb = known(e, OD_FIELD_SHMEM_RSS_KB, (long long)o->shmem_rss_kb);
		v->pgtables_kb = known(e, OD_FIELD_PGTABLES_KB, (long long)o->pgtables_kb);
		v->oom_score_adj = event_known(e, OD_FIELD_OOM_SCORE_ADJ) ? o->oom_score_adj :
				   LP_ADJ_UNKNOWN;
		v->killed = true;
		r->nr_killed = 1;
		r->seen |= LP_SEEN_VICTIM;
	}
	ledger_tasks(e, r);
}

static void vm(const struct od_event *e, struct lp_report *r)
{
	const struct oomdiag_vm_info *v = &e->ev.vm;
	struct lp_vm_refusal *m = &r->vm;

	m->present = true;
	m->reason = oomdiag_name_of(oomdiag_vm_reason_names, v->reason) ? (int)v->reason : 0;
	m->overcommit_mode = event_known(e, OD_FIELD_OVERCOMMIT_MODE) ? (int)v->overcommit_mode : -1;
	m->pages = known(e, OD_FIELD_PAGES, (long long)v->pages);
	m->committed_as_pages = known(e, OD_FIELD_COMMITTED_AS, (long long)v->committed_as_pages);
	m->commit_limit_pages = known(e, OD_FIELD_COMMIT_LIMIT, (long long)v->commit_limit_pages);
	m->overcommit_ratio = known(e, OD_FIELD_OVERCOMMIT_RATIO, (long long)v->overcommit_ratio);
	m->overcommit_kbytes = known(e, OD_FIELD_OVERCOMMIT_KBYTES, (long long)v->overcommit_kbytes);
	if (event_known(e, OD_FIELD_LIMIT) && v->limit == OD_UNLIMITED)
		m->limit_unlimited = true;
	else if (event_known(e, OD_FIELD_LIMIT) && v->limit <= (uint64_t)INT64_MAX)
		m->limit = (long long)v->limit;
	m->current = known(e, OD_FIELD_CURRENT, (long long)v->current_usage);
	r->seen |= LP_SEEN_HEADER;
}

void event_model_report(const struct od_event *e, const char *release, struct lp_report *r)
{
	const struct oomdiag_event *ev = &e->ev;
	struct utsname u;

	report_init(r);
	if (!release) {
		release = "";
		if (!uname(&u))
			release = u.release;
	}
	copy_comm(r->kernel, sizeof(r->kernel), release, strlen(release));
	if (r->kernel[0])
		r->seen |= LP_SEEN_CPU;
	copy_comm(r->comm, sizeof(r->comm), ev->comm, sizeof(ev->comm));
	if (event_known(e, OD_FIELD_PID))
		r->pid = (int)ev->pid;

	switch (ev->kind) {
	case OOMDIAG_KIND_ALLOC_FAIL:
	case OOMDIAG_KIND_WARN_ALLOC:
	case OOMDIAG_KIND_SLOW_ALLOC:
		r->kind = LP_KIND_PAGE_ALLOC_FAILURE;
		gfp(e, OD_FIELD_ALLOC_GFP, ev->alloc.gfp, r);
		if (event_known(e, OD_FIELD_ALLOC_ORDER) && ev->alloc.order != ~0u &&
		    ev->alloc.order < 64)
			r->order = (int)ev->alloc.order;
		r->seen |= LP_SEEN_HEADER;
		if (ev->kind == OOMDIAG_KIND_SLOW_ALLOC) {
			r->kind = LP_KIND_ALLOC_STALL;
			if (event_known(e, OD_FIELD_LATENCY_NS))
				r->stall_ms = (long long)(ev->alloc.latency_ns / 1000000);
		}
		break;
	case OOMDIAG_KIND_OOM_KILL:
	case OOMDIAG_KIND_OOM_VICTIM:
		oom(e, r);
		break;
	case OOMDIAG_KIND_VM_REFUSED:
		r->kind = LP_KIND_PAGE_ALLOC_FAILURE;	/* not looked at: r->vm.present */
		vm(e, r);
		return;
	default:
		return;
	}
	zones(e, r);
}

static bool is_oom_kind(unsigned int k)
{
	return k == OOMDIAG_KIND_OOM_KILL || k == OOMDIAG_KIND_OOM_VICTIM;
}

#define MISS(a, s) do {							\
	if ((a)->nr_missing < CAUSES_MISSING_MAX)			\
		(a)->missing[(a)->nr_missing++] = (s);			\
} while (0)

/* What this source cannot show, instead of what a dmesg report would lack. */
static void event_missing(const struct od_event *e, const struct lp_report *r,
			  struct analysis *a)
{
	unsigned int k = e->ev.kind;
	bool alloc = event_is_alloc(k), oomk = k == OOMDIAG_KIND_OOM_KILL;

	a->nr_missing = 0;
	if (k == OOMDIAG_KIND_VM_REFUSED) {
		if (r->vm.reason == OOMDIAG_VM_OVERCOMMIT && r->vm.overcommit_mode < 0)
			MISS(a, "vm.overcommit_memory and CommitLimit: read by the module's worker "
			     "after the event, not yet read (after=pending) or not by this source");
		if ((r->vm.reason == OOMDIAG_VM_RLIMIT_AS || r->vm.reason == OOMDIAG_VM_RLIMIT_DATA ||
		     r->vm.reason == OOMDIAG_VM_MAX_MAP_COUNT) &&
		    r->vm.limit < 0 && !r->vm.limit_unlimited)
			MISS(a, "the limit: not in the record");
		return;
	}
	if (alloc && !r->has_gfp)
		MISS(a, "gfp mask: not in the record");
	if (alloc && r->order < 0)
		MISS(a, "order: not in the record (a warn_alloc caller other than the page "
		     "allocator)");
	if (r->has_gfp && a->layout_assumed)
		MISS(a, "gfp flag names: no kernel release, decoded with an assumed layout");
	if ((alloc || oomk) && !r->nr_zones)
		MISS(a, "zone free memory and watermarks: the record has no zone snapshot");
	else if (r->nr_zones)
		MISS(a, "free blocks per migratetype: the snapshot counts all free lists of an "
		     "order together, so CMA and highatomic blocks are not told apart");
	if (alloc || is_oom_kind(k))
		MISS(a, "Mem-Info counters (slab, shmem, page cache, swap, RAM, hugetlb): an event "
		     "record has none, so slab_growth, shmem_tmpfs and hugetlb_reserved are not "
		     "judged");
	if (oomk && !(r->seen & LP_SEEN_TASKS))
		MISS(a, "task list: the record has the victim, not the task dump (the module's "
		     "kill ledger has the top candidates); largest consumers unknown");
	if (r->kind == LP_KIND_MEMCG_OOM)
		MISS(a, "memory cgroup usage and limit: not in the record");
	if (k == OOMDIAG_KIND_OOM_VICTIM)
		MISS(a, "the OOM itself (request, constraint, zones): in its oom_kill event; an "
		     "oom_victim is a task marked victim besides it (group kill, exiting task)");
}
#undef MISS

void event_model_analyse(const struct od_event *e, const char *release, struct analysis *a)
{
	static struct lp_report r;	/* 40 kB: not on the stack */

	event_model_report(e, release, &r);
	causes_analyse(&r, a);
	event_missing(e, &r, a);
}

void event_model_print_causes(FILE *f, const struct analysis *a, const struct od_style *st)
{
	causes_print(f, st, a, false);
}

void event_model_print_json(FILE *f, const struct od_event *e, const struct analysis *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct json_writer w;

	if (!m) {
		event_print_json(f, e);
		return;
	}
	event_print_json(m, e);
	fclose(m);
	/* event_print_json() writes one object and a newline: reopen the object */
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	if (!len || buf[len - 1] != '}') {
		fwrite(buf, 1, len, f);
		fputc('\n', f);
		free(buf);
		return;
	}
	fwrite(buf, 1, len - 1, f);
	free(buf);
	json_init(&w, f);
	w.depth = 1;
	w.need_comma[1] = len > 2;	/* "{}" has no member yet */
	causes_json(&w, a);
	causes_json_missing(&w, a);
	json_end_object(&w);
	json_newline(&w);
}

void event_render(FILE *f, const struct od_event *e, bool records, bool explain,
		  const struct od_style *st)
{
	static struct analysis a;

	if (records) {
		event_write_record(f, e);
		return;
	}
	if (!explain) {
		if (st->json)
			event_print_json(f, e);
		else
			event_print_human(f, e, st->color);
		return;
	}
	event_model_analyse(e, NULL, &a);
	if (st->json) {
		event_model_print_json(f, e, &a);
	} else {
		event_print_human(f, e, st->color);
		event_model_print_causes(f, &a, st);
	}
}

/* ------------------------------------------------- recent failures (status) */

static bool same_request(const struct od_event *a, const struct od_event *b)
{
	uint64_t d = a->ev.seq > b->ev.seq ? a->ev.seq - b->ev.seq : b->ev.seq - a->ev.seq;

	return a->ev.pid == b->ev.pid && event_gfp(a) == event_gfp(b) &&
	       event_order(a) == event_order(b) && d <= 4;
}

/* Is ev[i] a failure that another record of the list already tells? */
static bool told_twice(const struct od_event *ev, size_t nr, size_t i)
{
	const struct od_event *e = &ev[i];

	for (size_t j = 0; j < nr; j++) {
		const struct od_event *o = &ev[j];

		if (j == i)
			continue;
		if (e->ev.kind == OOMDIAG_KIND_WARN_ALLOC && o->ev.kind == OOMDIAG_KIND_ALLOC_FAIL &&
		    same_request(e, o))
			return true;
		if (e->ev.kind == OOMDIAG_KIND_OOM_VICTIM && o->ev.kind == OOMDIAG_KIND_OOM_KILL &&
		    event_known(o, OD_FIELD_VICTIM_PID) &&
		    o->ev.oom.victim_pid == e->ev.oom.victim_pid)
			return true;
	}
	return false;
}

size_t event_model_recent(const struct od_event *ev, size_t nr, size_t max, size_t *idx)
{
	size_t n = 0;

	for (size_t i = nr; i-- > 0 && n < max;) {
		unsigned int k = ev[i].ev.kind;

		if (k == 0 || k >= OOMDIAG_KIND_MAX || k == OOMDIAG_KIND_SLOW_ALLOC)
			continue;
		if (told_twice(ev, nr, i))
			continue;
		idx[n++] = i;
	}
	/* A burst of later failures must not hide the newest OOM kill: it takes the oldest place. */
	if (n && n == max) {
		bool have_kill = false;

		for (size_t j = 0; j < n; j++)
			have_kill |= ev[idx[j]].ev.kind == OOMDIAG_KIND_OOM_KILL;
		for (size_t i = idx[n - 1]; !have_kill && i-- > 0;) {
			if (ev[i].ev.kind == OOMDIAG_KIND_OOM_KILL) {
				idx[n - 1] = i;
				break;
			}
		}
	}
	/* newest first so far: oldest first */
	for (size_t a = 0, b = n ? n - 1 : 0; a < b; a++, b--) {
		size_t t = idx[a];

		idx[a] = idx[b];
		idx[b] = t;
	}
	return n;
}

void event_model_print_cause_line(FILE *f, const struct od_event *e, const struct analysis *a,
				  const struct od_style *st, int width)
{
	char comm[4 * sizeof(e->ev.comm) + 1], head[160], ids[200] = "";
	const char *text;
	int used, room;

	od_escape(e->ev.comm, strnlen(e->ev.comm, sizeof(e->ev.comm)), comm, sizeof(comm));
	snprintf(head, sizeof(head), "  seq %llu %s %s pid %u: ", (unsigned long long)e->ev.seq,
		 event_kind_name(e->ev.kind), comm, e->ev.tgid ? e->ev.tgid : e->ev.pid);
	for (int i = 0; i < a->nr_causes; i++)
		snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%s%s", i ? ", " : "",
			 a->causes[i].id);
	if (!a->nr_causes)
		snprintf(ids, sizeof(ids), "no cause recognised");
	text = a->nr_causes ? a->causes[0].evidence : "";
	used = (int)strlen(head) + (int)strlen(ids);
	fprintf(f, "%s%s%s%s", head, od_c(st, a->nr_causes ? C_YELLOW : C_DIM), ids,
		od_c(st, C_RESET));
	room = width - used - 2;
	if (*text && room > 12) {
		int n = (int)strcspn(text, "\n");

		if (n <= room)
			fprintf(f, ": %.*s", n, text);
		else
			fprintf(f, ": %.*s...", room - 3, text);
	}
	fputc('\n', f);
}

void event_model_json_causes(struct json_writer *w, const struct od_event *e,
			     const struct analysis *a)
{
	json_begin_object(w, NULL);
	json_uint(w, "seq", e->ev.seq);
	json_string(w, "kind", event_kind_name(e->ev.kind));
	json_uint(w, "pid", e->ev.tgid ? e->ev.tgid : e->ev.pid);
	json_string_len(w, "comm", e->ev.comm, strnlen(e->ev.comm, sizeof(e->ev.comm)));
	causes_json(w, a);
	causes_json_missing(w, a);
	json_end_object(w);
}
