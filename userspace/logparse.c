// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming parser for OOM reports, page allocation failures, allocation
 * stalls and vmalloc failures in kernel log text.  See logparse.h.
 *
 * This file owns the reports: which report a line belongs to, where one
 * ends (the next starts, a boot ends, LP_IDLE_LINES unrelated lines pass,
 * the log ends) and which kernel printed it.  A line goes through
 *   dmesg_strip_prefix()  the log format's prefix (dmesg_prefix.c)
 *   join_wrapped()        hard-wrapped pastes put back into one line
 *   dmesg_classify()      what the message is (dmesg_classify.c)
 *   one printer's parser  its facts into the report (dmesg_parsers.h)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dmesg_classify.h"
#include "dmesg_parsers.h"
#include "dmesg_prefix.h"
#include "dmesg_text.h"
#include "logparse.h"

enum {
	S_HEAD,		/* after the header: stack, registers */
	S_MEMINFO,	/* after "Mem-Info:" */
	S_TASKS,	/* after the task dump header */
	S_MEMCG_STATS,	/* after "Memory cgroup stats for" (cgroup2: lines) */
	S_SLAB,		/* after "Unreclaimable slab info:" */
	S_TAIL,
};

/*
 * warn_alloc() prints its header in pr_cont() pieces ("COMM: ", "page
 * allocation failure: order:N", ", mode:0x..(..), nodemask=", "(null)");
 * when CPUs print at once each piece is a line of its own, this close.
 */
#define FRAG_LINES	8
/* A "Manual OOM execution" line names the OOM report that follows it. */
#define SYSRQ_LINES	8
/* printk time going back by more than this: a new boot */
#define BOOT_RESET_S	1.0

/* Beside the two report buffers: the task columns and the held line. */
struct lp_alloc {
	struct lp_report r[2];
	struct dmesg_task_cols cols;
	char held[LP_LINE_MAX + 1];	/* the last line, until the next shows it is whole */
	size_t held_len;
	bool have_held;
	struct dmesg_prefix held_px;	/* its prefix (ts points into held) */
	long long held_first, held_last;
};

static struct lp_alloc *alloc_of(struct logparse *p)
{
	return p->cur_storage;
}

const char *logparse_kind_name(enum lp_kind k)
{
	switch (k) {
	case LP_KIND_GLOBAL_OOM: return "global_oom";
	case LP_KIND_MEMCG_OOM: return "memcg_oom";
	case LP_KIND_PAGE_ALLOC_FAILURE: return "page_alloc_failure";
	case LP_KIND_VMALLOC_FAILURE: return "vmalloc_failure";
	case LP_KIND_ALLOC_STALL: return "alloc_stall";
	}
	return "unknown";
}

long logparse_strip_prefix(const char *s, size_t n, const char **ts, size_t *ts_len)
{
	struct dmesg_prefix px;

	if (dmesg_strip_prefix(s, n, &px) < 0)
		return -1;
	*ts = px.ts;
	*ts_len = px.ts_len;
	return (long)px.msg;
}

/* ---- report lifetime ---------------------------------------------------- */

void lp_report_reset(struct lp_report *r)
{
	memset(r, 0, sizeof(*r));
	r->pid = -1;
	r->order = -2;
	r->task_oom_score_adj = LP_ADJ_UNKNOWN;
	r->vmalloc_size = r->vmalloc_allocated = r->vmap_size = LP_UNKNOWN;
	r->stall_ms = LP_UNKNOWN;
	r->victim.pid = -1;
	r->victim.uid = -1;
	r->victim.selected_pid = -1;
	r->victim.oom_score_adj = LP_ADJ_UNKNOWN;
	r->victim.total_vm_kb = r->victim.anon_rss_kb = r->victim.file_rss_kb = LP_UNKNOWN;
	r->victim.shmem_rss_kb = r->victim.pgtables_kb = r->victim.score = LP_UNKNOWN;
	r->memcg_usage_kb = r->memcg_limit_kb = r->memcg_failcnt = LP_UNKNOWN;
	r->memsw_usage_kb = r->memsw_limit_kb = LP_UNKNOWN;
	r->memcg_swap_usage_kb = r->memcg_swap_limit_kb = r->memcg_kmem_usage_kb = LP_UNKNOWN;
	r->memcg_anon_kb = r->memcg_file_kb = r->memcg_kernel_kb = LP_UNKNOWN;
	r->memcg_slab_kb = r->memcg_shmem_kb = LP_UNKNOWN;
	r->mi_active_anon = r->mi_inactive_anon = r->mi_active_file = LP_UNKNOWN;
	r->mi_inactive_file = r->mi_unevictable = r->mi_slab_reclaimable = LP_UNKNOWN;
	r->mi_slab_unreclaimable = r->mi_shmem = r->mi_pagetables = LP_UNKNOWN;
	r->mi_free = r->mi_free_cma = r->mi_mapped = r->mi_kernel_stack_kb = LP_UNKNOWN;
	r->free_swap_kb = r->total_swap_kb = LP_UNKNOWN;
	r->ram_pages = r->reserved_pages = r->highmem_pages = r->pagecache_pages = LP_UNKNOWN;
	r->hugetlb_kb = LP_UNKNOWN;
}

static void report_reset(struct lp_report *r)
{
	lp_report_reset(r);
	r->page_kb = 4;
}

static bool is_oom(const struct lp_report *r)
{
	return r->kind == LP_KIND_GLOBAL_OOM || r->kind == LP_KIND_MEMCG_OOM;
}

static void finalize(struct logparse *p, struct lp_report *r)
{
	if (is_oom(r)) {
		if (!strcmp(r->constraint, "CONSTRAINT_MEMCG") ||
		    (r->seen & LP_SEEN_MEMCG))
			r->kind = LP_KIND_MEMCG_OOM;
		/* mm/oom_kill.c is_sysrq_oom(): order -1 is SysRq-f and nothing else */
		if (r->order == -1 && r->kind == LP_KIND_GLOBAL_OOM)
			r->sysrq = true;
		if (!(r->seen & LP_SEEN_VICTIM) && !r->panic && !r->no_killable)
			r->truncated = true;
		if (!(r->seen & LP_SEEN_HEADER))
			r->truncated = true;
		if ((r->seen & LP_SEEN_HEADER) && !(r->seen & LP_SEEN_MEMINFO) &&
		    !(r->seen & LP_SEEN_MEMCG) && !(r->seen & LP_SEEN_TASKS))
			r->truncated = true;
	} else if (r->seen & LP_SEEN_HEADER) {
		/* warn_alloc() ends with show_mem()'s "N pages RAM" block on every kernel */
		if (!(r->seen & (LP_SEEN_RAM)))
			r->truncated = true;
	}
	if (!r->kernel[0] && p->banner_kernel[0]) {
		memcpy(r->kernel, p->banner_kernel, sizeof(r->kernel));
		r->kernel_from_banner = true;
	}
	/* the buddy lines tell the page size (64 kB pages on some arm64) */
	for (int i = 0; i < r->nr_zones; i++)
		if (r->zones[i].has_buddy && r->zones[i].page_kb > 0) {
			r->page_kb = r->zones[i].page_kb;
			break;
		}
}

static void emit_current(struct logparse *p)
{
	struct lp_report *r = p->cur;

	if (!r)
		return;
	if (p->provisional) {
		/* show_mem() text that no OOM line claimed (sysrq-m, a cut paste) */
		p->cur = NULL;
		p->provisional = false;
		return;
	}
	if (p->pend_sup_warn || p->pend_sup_oom || p->pend_sup_other) {
		/* suppressed after this report, with no report following */
		r->suppressed_warn_alloc += p->pend_sup_warn;
		r->suppressed_oom += p->pend_sup_oom;
		r->suppressed_other += p->pend_sup_other;
		p->pend_sup_warn = p->pend_sup_oom = p->pend_sup_other = 0;
	}
	finalize(p, r);
	if (is_oom(r) && r->victim.pid > 0) {
		p->last_victim_pid = r->victim.pid;
		memcpy(p->last_victim_comm, r->victim.comm, sizeof(p->last_victim_comm));
	}
	p->cur = NULL;
	p->reports++;
	p->emit(r, p->arg);
}

static struct lp_report *start_report(struct logparse *p, enum lp_kind kind, const char *ts,
				      size_t ts_len)
{
	struct lp_report *r;
	struct lp_alloc *a = alloc_of(p);

	if (p->cur)
		emit_current(p);
	r = &a->r[p->reports & 1];
	report_reset(r);
	r->kind = kind;
	r->oom_killer_disabled = p->oom_disabled;
	r->first_line = p->msg_first;
	r->last_line = p->msg_last;
	r->prev_victim_pid = p->last_victim_pid ? p->last_victim_pid : -1;
	memcpy(r->prev_victim_comm, p->last_victim_comm, sizeof(r->prev_victim_comm));
	if (ts)
		dm_copy_span(r->timestamp, sizeof(r->timestamp), ts, ts + ts_len);
	r->suppressed_warn_alloc = p->pend_sup_warn;
	r->suppressed_oom = p->pend_sup_oom;
	r->suppressed_other = p->pend_sup_other;
	p->pend_sup_warn = p->pend_sup_oom = p->pend_sup_other = 0;
	p->cur = r;
	p->state = S_HEAD;
	p->idle = 0;
	p->lines_in_report = 0;
	a->cols.have = false;
	if (kind == LP_KIND_GLOBAL_OOM && p->pend_sysrq_line) {
		r->sysrq = p->msg_first - p->pend_sysrq_line <= SYSRQ_LINES;
		p->pend_sysrq_line = 0;
	}
	return r;
}

/* ---- vmalloc lines that precede their header ------------------------------ */

static void take_pending_vmalloc(struct logparse *p, struct lp_report *r)
{
	if (!p->pend_vmalloc_line)
		return;
	r->kind = LP_KIND_VMALLOC_FAILURE;
	r->vmalloc_size = p->pend_vmalloc_size;
	r->vmalloc_allocated = p->pend_vmalloc_allocated;
	r->vmap_size = p->pend_vmap_size;
	memcpy(r->vmalloc_reason, p->pend_vmalloc_reason, sizeof(r->vmalloc_reason));
	if (p->pend_ts[0])
		memcpy(r->timestamp, p->pend_ts, sizeof(r->timestamp));
	r->first_line = p->pend_vmalloc_line;
	p->pend_vmalloc_line = 0;
	p->pend_vmalloc_size = p->pend_vmalloc_allocated = p->pend_vmap_size = LP_UNKNOWN;
	p->pend_vmalloc_reason[0] = '\0';
	p->pend_ts[0] = '\0';
}

/* A vmalloc line without its own "mode:" waits for the header below it. */
static void pending_vmalloc(struct logparse *p, const char *msg, bool vmap, const char *ts,
			    size_t ts_len)
{
	if (!p->pend_vmalloc_line) {
		p->pend_vmalloc_size = p->pend_vmalloc_allocated = p->pend_vmap_size = LP_UNKNOWN;
		p->pend_vmalloc_reason[0] = '\0';
		p->pend_ts[0] = '\0';
		if (ts)
			dm_copy_span(p->pend_ts, sizeof(p->pend_ts), ts, ts + ts_len);
		p->pend_vmalloc_line = p->msg_first;
	}
	if (vmap) {
		long long v;

		if (dm_num_after(msg, "for size ", &v))
			p->pend_vmap_size = v;
		return;
	}
	dmesg_vmalloc_facts(msg, &p->pend_vmalloc_size, &p->pend_vmalloc_allocated,
			    p->pend_vmalloc_reason, sizeof(p->pend_vmalloc_reason));
}

static void flush_pending_vmalloc(struct logparse *p)
{
	struct lp_report *r;

	if (!p->pend_vmalloc_line)
		return;
	r = start_report(p, LP_KIND_VMALLOC_FAILURE, NULL, 0);
	take_pending_vmalloc(p, r);
	emit_current(p);
}

/* ---- boots ---------------------------------------------------------------- */

/* A banner, a boot marker or a clock reset: reports of this boot end here. */
static void new_boot(struct logparse *p, const char *banner)
{
	flush_pending_vmalloc(p);
	emit_current(p);
	p->banner_kernel[0] = '\0';
	if (banner)
		dm_copy_span(p->banner_kernel, sizeof(p->banner_kernel), banner,
			     banner + strcspn(banner, " "));
	p->last_victim_pid = 0;
	p->last_victim_comm[0] = '\0';
	p->pend_sup_warn = p->pend_sup_oom = p->pend_sup_other = 0;
	p->pend_sysrq_line = 0;
	p->oom_disabled = false;
}

/* ---- one message ------------------------------------------------------------ */

/* A report found from its tail: its first lines are not in the log. */
static struct lp_report *headless_report(struct logparse *p, const char *ts, size_t ts_len)
{
	struct lp_report *r = start_report(p, LP_KIND_GLOBAL_OOM, ts, ts_len);

	r->header_missing = true;
	return r;
}

/*
 * The OOM tail lines (kill, oom-kill, Task in, no killable): to the open
 * report unless it already has that part (then to a new, headless one).
 * Returns false when the class is not one of them.
 */
static bool oom_tail(struct logparse *p, const struct dmesg_class *c, const char *msg,
		     const char *ts, size_t ts_len)
{
	struct lp_report *r = p->cur;
	long long v;

	if (r && !is_oom(r))
		r = NULL;
	switch (c->kind) {
	case DL_KILLED:
		if (r && (r->seen & LP_SEEN_VICTIM) && !r->group_kill &&
		    dm_parse_ll(c->at, &v, NULL) && v != r->victim.pid)
			r = NULL;
		r = r ? r : headless_report(p, ts, ts_len);
		if (dm_starts(msg, "Memory cgroup out of memory"))
			r->seen |= LP_SEEN_MEMCG;
		dmesg_victim_killed(r, c->at);
		p->state = S_TAIL;
		break;
	case DL_KILL_SELECT:
		if (r && (r->seen & (LP_SEEN_VICTIM | LP_SEEN_SELECT)))
			r = NULL;
		r = r ? r : headless_report(p, ts, ts_len);
		if (dm_starts(msg, "Memory cgroup out of memory"))
			r->seen |= LP_SEEN_MEMCG;
		dmesg_victim_selected(r, c->at);
		p->state = S_TAIL;
		break;
	case DL_OOM_KILL:
		if (r && (r->seen & (LP_SEEN_OOMKILL | LP_SEEN_VICTIM)))
			r = NULL;
		r = r ? r : headless_report(p, ts, ts_len);
		dmesg_oom_kill_line(r, msg);
		break;
	case DL_TASK_IN:
		if (r && (r->seen & LP_SEEN_VICTIM))
			r = NULL;
		r = r ? r : headless_report(p, ts, ts_len);
		dmesg_task_in(r, msg, c->at);
		break;
	case DL_NO_KILLABLE:
		if (!r || (r->seen & LP_SEEN_VICTIM))
			r = headless_report(p, ts, ts_len);
		r->no_killable = true;
		break;
	default:
		return false;
	}
	p->provisional = false;
	return true;
}

/* Report headers and what precedes them.  Returns false for other classes. */
static bool report_start(struct logparse *p, const struct dmesg_class *c, const char *msg,
			 const char *ts, size_t ts_len)
{
	struct lp_report *r;

	switch (c->kind) {
	case DL_OOM_HEADER:
		r = start_report(p, LP_KIND_GLOBAL_OOM, ts, ts_len);
		dmesg_oom_header(r, msg, c->at);
		return true;
	case DL_ALLOC_HEADER:
	case DL_VMALLOC_HEADER:
		r = start_report(p, c->kind == DL_VMALLOC_HEADER ? LP_KIND_VMALLOC_FAILURE :
				 LP_KIND_PAGE_ALLOC_FAILURE, ts, ts_len);
		take_pending_vmalloc(p, r);
		dmesg_alloc_header(r, msg, c->at, c->kind == DL_VMALLOC_HEADER);
		if (!r->comm[0] && p->frag_comm_line && p->msg_first - p->frag_comm_line <= FRAG_LINES)
			memcpy(r->comm, p->frag_comm, sizeof(r->comm));
		p->frag_comm_line = 0;
		return true;
	case DL_STALL_HEADER:
		r = start_report(p, LP_KIND_ALLOC_STALL, ts, ts_len);
		dmesg_stall_header(r, msg, c->at);
		return true;
	case DL_VMAP:
		if (p->pend_vmalloc_line)
			flush_pending_vmalloc(p);
		pending_vmalloc(p, msg, true, ts, ts_len);
		return true;
	case DL_VMALLOC:
		pending_vmalloc(p, msg, false, ts, ts_len);
		return true;
	case DL_SUPPRESSED: {
		struct dmesg_suppressed s = { 0, 0, 0 };

		dmesg_suppressed(msg, &s);
		p->pend_sup_warn += s.warn_alloc;
		p->pend_sup_oom += s.oom;
		p->pend_sup_other += s.other;
		return true;
	}
	case DL_SYSRQ_OOM:
		p->pend_sysrq_line = p->msg_first;
		return true;
	case DL_OOM_DISABLED:
	case DL_OOM_ENABLED:
		p->oom_disabled = c->kind == DL_OOM_DISABLED;
		return true;
	case DL_BANNER:
		new_boot(p, c->at);
		return true;
	case DL_BOOT:
		new_boot(p, NULL);
		return true;
	default:
		return false;
	}
}

/* A line that belongs to the section the report is in.  true if it was read. */
static bool section_line(struct logparse *p, struct lp_report *r, const struct dmesg_class *c,
			 const char *msg)
{
	switch (p->state) {
	case S_TASKS:
		return msg[0] == '[' && dmesg_task_row(&alloc_of(p)->cols, r, msg);
	case S_MEMCG_STATS:
		if (c->kind == DL_OTHER && dmesg_memcg_stat(r, msg, true))
			return true;
		p->state = S_TAIL;
		return false;
	case S_SLAB:
		if (c->kind == DL_OTHER && (dm_starts(msg, "Name ") || dmesg_slab_row(r, msg)))
			return true;
		p->state = S_TAIL;
		return false;
	case S_MEMINFO:
		if (c->kind == DL_OTHER && strchr(msg, ':') && !strstr(msg, "per-cpu") &&
		    !dm_starts(msg, "CPU")) {
			dmesg_meminfo(r, msg);
			return true;
		}
		return false;
	default:
		return false;
	}
}

/* The body of a report: one printer's line each.  false: not a fact. */
static bool body_line(struct logparse *p, struct lp_report *r, const struct dmesg_class *c,
		      const char *msg, const char *ts, size_t ts_len)
{
	if (section_line(p, r, c, msg))
		return true;
	switch (c->kind) {
	case DL_TASKS_STATE:
		/* dump_tasks() runs in OOM reports only */
		p->provisional = false;
		return true;
	case DL_TASKS_HEADER:
		dmesg_task_header(&alloc_of(p)->cols, r, msg);
		p->state = S_TASKS;
		return true;
	case DL_CPU:
		/* dump_stack() right after the header; or after the panic of a report
		 * whose header is not in the log (the panicking task's) */
		if ((r->seen & LP_SEEN_CPU) ||
		    (p->lines_in_report >= 8 && !(r->panic && !(r->seen & LP_SEEN_HEADER))))
			return false;
		dmesg_cpu_line(r, msg);
		return true;
	case DL_MEMINFO:
		if (p->provisional && (r->seen & (LP_SEEN_MEMINFO | LP_SEEN_ZONES | LP_SEEN_BUDDY))) {
			/* a second show_mem(): the first one belonged to nothing */
			emit_current(p);
			r = start_report(p, LP_KIND_GLOBAL_OOM, ts, ts_len);
			r->header_missing = true;
			p->provisional = true;
		}
		p->state = S_MEMINFO;
		return true;
	case DL_ZONE:
		return dmesg_zone_or_buddy(r, msg);
	case DL_LOWMEM:
		dmesg_lowmem_reserve(r, msg);
		return true;
	case DL_SWAP:
		dmesg_swap(r, msg);
		return true;
	case DL_PAGES:
		dmesg_pages(r, msg);
		return true;
	case DL_HUGEPAGES:
		dmesg_hugepages(r, msg);
		return true;
	/* mem_cgroup_print_oom_meminfo() prints these only in OOM reports */
	case DL_MEMCG_USAGE:
		dmesg_memcg_usage(r, msg);
		p->provisional = false;
		return true;
	case DL_MEMCG_STATS:
		if (dmesg_memcg_stats_header(r, msg))
			p->state = S_MEMCG_STATS;
		p->provisional = false;
		return true;
	case DL_SLAB_HEADER:
		p->state = S_SLAB;
		return true;
	case DL_GROUP_KILL:
		r->group_kill = true;
		return true;
	case DL_PANIC:
		dmesg_panic(r, msg);
		if (strstr(msg, "Out of memory")) {
			/* "Kernel panic - not syncing: Out of memory and no killable processes..." */
			if (strstr(msg, "no killable"))
				r->no_killable = true;
			p->provisional = false;
		}
		return true;
	case DL_MEMCG_STACK:
		/* the stack says memcg even when the report is cut before its tail */
		if (!is_oom(r))
			return false;
		r->seen |= LP_SEEN_MEMCG;
		return true;
	case DL_CPUSET:
		if (r->cpuset[0])
			return false;
		dmesg_parse_mems(r, msg);
		return true;
	case DL_NOISE:
		return true;
	default:
		return false;
	}
}

/*
 * The pieces of an interleaved warn_alloc() header: a lone "COMM: " (kept
 * for the header that follows) and ", mode:0x.." (the gfp of the open
 * report when its header had none).  true if msg was one.
 */
static bool interleaved_piece(struct logparse *p, const char *msg)
{
	size_t n = strcspn(msg, " ");
	struct lp_report *r = p->cur;

	if (n > 1 && n < LP_COMM_MAX && msg[n - 1] == ':' && !*dm_skip_sp(msg + n) &&
	    !dm_starts(msg, "Stack:") && !dm_starts(msg, "Backtrace:") && !dm_starts(msg, "Code:")) {
		dm_copy_span(p->frag_comm, sizeof(p->frag_comm), msg, msg + n - 1);
		p->frag_comm_line = p->msg_first;
		return true;
	}
	if (dm_starts(msg, ", mode:") && r && !r->has_gfp && (r->seen & LP_SEEN_HEADER) &&
	    r->kind == LP_KIND_PAGE_ALLOC_FAILURE && p->msg_first - r->first_line <= FRAG_LINES) {
		dmesg_parse_gfp(r, msg + 7);
		r->last_line = p->msg_last;
		return true;
	}
	return false;
}

static void process_message(struct logparse *p, const char *msg, const struct dmesg_prefix *px,
			    const char *line)
{
	const char *ts = px->ts;
	size_t ts_len = px->ts_len;
	struct dmesg_class c;
	struct lp_report *r;
	bool fact;

	(void)line;
	if (px->mono >= 0) {
		if (p->last_mono >= 0 && px->mono + BOOT_RESET_S < p->last_mono)
			new_boot(p, NULL);
		p->last_mono = px->mono;
	}
	if (p->pend_vmalloc_line && p->msg_first - p->pend_vmalloc_line > 3 &&
	    !strstr(msg, "page allocation failure"))
		flush_pending_vmalloc(p);

	dmesg_classify(msg, p->cur != NULL, &c);
	if (c.kind == DL_OTHER && interleaved_piece(p, msg))
		return;
	if (!p->cur && c.kind == DL_OTHER)
		return;
	if (report_start(p, &c, msg, ts, ts_len) || oom_tail(p, &c, msg, ts, ts_len)) {
		fact = true;
	} else {
		r = p->cur;
		if (!r && c.kind == DL_PANIC && strstr(msg, "Out of memory")) {
			/* "Kernel panic - not syncing: Out of memory: ... panic_on_oom":
			 * dump_header() below the console loglevel, or cut */
			r = start_report(p, LP_KIND_GLOBAL_OOM, ts, ts_len);
			r->header_missing = true;
		}
		if (!r) {
			if (!dmesg_body_start(msg))
				return;
			/*
			 * The middle of a report whose first lines are not in the log:
			 * read it provisionally; an OOM tail line ("Killed process",
			 * "oom-kill:") makes it a report, anything else drops it.
			 */
			r = start_report(p, LP_KIND_GLOBAL_OOM, ts, ts_len);
			r->header_missing = true;
			p->provisional = true;
		}
		p->lines_in_report++;
		fact = body_line(p, r, &c, msg, ts, ts_len);
	}
	if (p->cur) {
		if (fact) {
			p->idle = 0;
			p->cur->last_line = p->msg_last;
		} else if (++p->idle > LP_IDLE_LINES) {
			emit_current(p);
		}
	}
}

/* ---- lines ------------------------------------------------------------------ */

/*
 * A pasted log wrapped at a fixed width continues a line on the next one,
 * without the prefix ("gfp_mask=0x15080c0(GFP_KE" / "RNEL_ACCOUNT|..."); so
 * does a multi-line printk under dmesg -T (the Mem-Info counters).  A line
 * without a prefix after one with a prefix continues it when it is nothing
 * the parser would read on its own.
 */
static bool continues(const struct lp_alloc *a, const char *line, const struct dmesg_prefix *px)
{
	const char *msg = line + px->msg;
	struct dmesg_class c;

	if (!a->have_held || !a->held_px.prefixed || px->prefixed || !*msg || msg[0] == '[')
		return false;
	/* a multi-line printk record shown by dmesg -T or journalctl: its later lines are
	 * indented to the width of the prefix; each is a line of its own */
	if (px->indented && px->msg >= a->held_px.msg)
		return false;
	dmesg_classify(msg, true, &c);
	return c.kind == DL_OTHER && !dmesg_body_start(msg);
}

static void join_wrapped(struct lp_alloc *a, const char *line, const struct dmesg_prefix *px)
{
	const char *msg = line + px->msg;
	size_t l = strlen(msg);

	/* a wrap inside a token joins directly; one at a blank keeps one blank */
	if (px->indented && a->held_len && a->held[a->held_len - 1] != ' ' &&
	    a->held_len < LP_LINE_MAX)
		a->held[a->held_len++] = ' ';
	if (l > LP_LINE_MAX - a->held_len)
		l = LP_LINE_MAX - a->held_len;
	memcpy(a->held + a->held_len, msg, l);
	a->held_len += l;
	a->held[a->held_len] = '\0';
}

static void process_held(struct logparse *p)
{
	struct lp_alloc *a = alloc_of(p);

	if (!a->have_held)
		return;
	a->have_held = false;
	p->msg_first = a->held_first;
	p->msg_last = a->held_last;
	process_message(p, dm_skip_sp(a->held + a->held_px.msg), &a->held_px, a->held);
}

static void end_line(struct logparse *p)
{
	struct lp_alloc *a = alloc_of(p);
	struct dmesg_prefix px;
	size_t len = p->line_len;

	p->lineno++;
	while (len && (p->line[len - 1] == '\r' || p->line[len - 1] == '\n'))
		len--;
	p->line[len] = '\0';
	p->line_len = 0;
	p->line_overflow = false;
	if (dmesg_strip_prefix(p->line, len, &px) < 0) {
		process_held(p);
		return;		/* another program's line */
	}
	if (continues(a, p->line, &px)) {
		join_wrapped(a, p->line, &px);
		a->held_last = p->lineno;
		return;
	}
	process_held(p);
	memcpy(a->held, p->line, len + 1);
	a->held_len = len;
	a->have_held = true;
	a->held_px = px;
	if (px.ts)
		a->held_px.ts = a->held + (px.ts - p->line);
	a->held_first = a->held_last = p->lineno;
}

/* ---- buffering ---------------------------------------------------------------- */

int logparse_init(struct logparse *p, lp_emit_fn emit, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->cur_storage = calloc(1, sizeof(struct lp_alloc));
	if (!p->cur_storage) {
		errno = ENOMEM;
		return -1;
	}
	p->emit = emit;
	p->arg = arg;
	p->last_mono = -1;
	p->pend_vmalloc_size = p->pend_vmalloc_allocated = p->pend_vmap_size = LP_UNKNOWN;
	return 0;
}

void logparse_feed(struct logparse *p, const char *buf, size_t len)
{
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) : len;
		size_t room = LP_LINE_MAX - p->line_len;

		if (n > room)
			p->line_overflow = true;
		memcpy(p->line + p->line_len, buf, n < room ? n : room);
		p->line_len += n < room ? n : room;
		if (!nl)
			return;
		end_line(p);
		buf = nl + 1;
		len -= n + 1;
	}
}

void logparse_finish(struct logparse *p)
{
	if (p->line_len)
		end_line(p);
	process_held(p);
	if (p->pend_vmalloc_line)
		flush_pending_vmalloc(p);
	emit_current(p);
}

void logparse_free(struct logparse *p)
{
	free(p->cur_storage);
	p->cur_storage = NULL;
}

int logparse_buffer(const char *buf, size_t len, lp_emit_fn emit, void *arg)
{
	struct logparse p;

	if (logparse_init(&p, emit, arg))
		return -1;
	logparse_feed(&p, buf, len);
	logparse_finish(&p);
	logparse_free(&p);
	return 0;
}
