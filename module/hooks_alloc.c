// SPDX-License-Identifier: GPL-2.0
/*
 * Page allocation failures:
 *
 * - kmem:mm_page_alloc, which the page allocator's entry point fires for
 *   every request, with page == NULL when it failed: an "alloc_fail"
 *   record.  The probe costs a compare and a return on success.
 * - a kretprobe on __alloc_pages_slowpath (notrace, so only a module
 *   kprobe reaches it; the name has a .constprop.0 suffix on our kernels):
 *   per-order calls, failures and entry-to-return latency, the latency of
 *   a failed request handed to the alloc_fail record that follows, and
 *   "slow_alloc" records over the slow_alloc_ms threshold.  Without the
 *   tracepoint, it writes the alloc_fail records itself.
 * - a kretprobe on warn_alloc: a "warn_alloc" record for every call, flagged
 *   silent when the kernel printed nothing: nowarn for __GFP_NOWARN,
 *   ratelimited when warn_alloc returned without printing (detected by a
 *   kprobe on dump_stack_lvl/dump_stack, which warn_alloc calls only when it
 *   prints; see docs/debugfs.md).
 */
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "failstats.h"
#include "recorder.h"

#define SLOW_ORDERS	(OOMDIAG_NR_ORDERS + 1)	/* last bucket: order unknown */

struct slow_stat {
	atomic64_t calls;
	atomic64_t fails;
	atomic64_t lat_sum_ns;
	atomic64_t lat_max_ns;
};

static struct slow_stat slow_stats[SLOW_ORDERS];
static atomic64_t slow_arg_checks;
static atomic64_t slow_arg_mismatch;

/*
 * The slow path's verdict, for the mm_page_alloc probe that follows it.
 * Keyed by task and context level, not by CPU: the task is preemptible
 * between the two and may migrate, and an interrupt's own failed request
 * must not take (or overwrite) the verdict of the task it interrupted.
 */
struct slow_handoff {
	struct task_struct *task;
	u32 ctx;
	u32 order;
	u64 ts_ns;
	u64 latency_ns;
};

#define SLOW_HANDOFF_BITS	6
static struct slow_handoff slow_handoff[1u << SLOW_HANDOFF_BITS];
static atomic64_t slow_handoff_overwritten;

static struct slow_handoff *handoff_of(struct task_struct *t, unsigned int ctx)
{
	return &slow_handoff[hash_ptr((void *)((unsigned long)t + ctx), SLOW_HANDOFF_BITS)];
}

unsigned long rec_slow_alloc_ns;

static void tp_page_alloc(void *data, struct page *page, unsigned int order,
			  gfp_t gfp, int migratetype);
static void tp_page_alloc_failed(unsigned int order, gfp_t gfp);

static struct rec_tp tp_alloc = {
	.name = "mm_page_alloc",
	.probe = tp_page_alloc,
};

/* ---- __alloc_pages_slowpath ---- */

struct slow_data {
	u64 t0;
	u32 gfp;
	u32 order;
};

static int slow_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct slow_data *d = (struct slow_data *)ri->data;

	/* (gfp_t gfp_mask, unsigned int order, struct alloc_context *ac) */
	d->t0 = ktime_get_mono_fast_ns();
	d->gfp = (u32)regs->di;
	d->order = (u32)regs->si;
	return 0;
}

static void atomic64_max(atomic64_t *v, s64 x)
{
	s64 old = atomic64_read(v);

	while (x > old) {
		s64 prev = atomic64_cmpxchg(v, old, x);

		if (prev == old)
			break;
		old = prev;
	}
}

static void slow_record(unsigned int kind, const struct slow_data *d, u64 lat)
{
	struct rec_build *b = rec_begin(kind);

	if (!b)
		return;
	b->ev.alloc.gfp = d->gfp;
	b->ev.alloc.order = d->order;
	b->ev.alloc.latency_ns = lat;
	if (d->gfp & (__force u32)__GFP_NOWARN)
		b->ev.flags |= OOMDIAG_F_NOWARN;
	if (d->order > PAGE_ALLOC_COSTLY_ORDER)
		b->ev.flags |= OOMDIAG_F_COSTLY;
	/* Unwinding from a return handler is exact on v5.14+ only. */
	rec_stack(&b->ev, 0, 0);
	rec_snap(&b->ev);
	b->meta.hook = "slowpath";
	b->meta.after_want = REC_AFTER_ZONES;
	rec_commit(b);
}

static struct rec_hook hook_slowpath;

static int slow_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct slow_data *d = (struct slow_data *)ri->data;
	u64 lat = ktime_get_mono_fast_ns() - d->t0;
	unsigned int bucket = d->order < OOMDIAG_NR_ORDERS ? d->order : OOMDIAG_NR_ORDERS;
	struct slow_stat *st = &slow_stats[bucket];

	atomic64_inc(&st->calls);
	atomic64_add(lat, &st->lat_sum_ns);
	atomic64_max(&st->lat_max_ns, lat);
	if (!regs_return_value(regs)) {
		unsigned int ctx = rec_context();
		struct slow_handoff *h = handoff_of(current, ctx);
		struct task_struct *prev = READ_ONCE(h->task);

		atomic64_inc(&st->fails);
		/* Another task's verdict not yet taken: it will read "-". */
		if (prev && prev != current &&
		    d->t0 + lat - READ_ONCE(h->ts_ns) < NSEC_PER_SEC)
			atomic64_inc(&slow_handoff_overwritten);
		WRITE_ONCE(h->task, NULL);
		/* No owner while the fields change: pairs with the reader's smp_rmb(). */
		smp_wmb();
		h->ctx = ctx;
		h->ts_ns = d->t0 + lat;
		h->latency_ns = lat;
		h->order = d->order;
		/* The fields are visible before the owner (smp_load_acquire()). */
		smp_store_release(&h->task, current);
		/* Counted by order, gfp and caller; a record unless over the limit. */
		if (!tp_alloc.registered &&
		    rec_failstats_add(d->order, (__force gfp_t)d->gfp)) {
			atomic64_inc(&hook_slowpath.hits);
			slow_record(OOMDIAG_KIND_ALLOC_FAIL, d, lat);
		}
	}
	if (rec_slow_alloc_ns && lat >= rec_slow_alloc_ns) {
		atomic64_inc(&hook_slowpath.hits);
		slow_record(OOMDIAG_KIND_SLOW_ALLOC, d, lat);
	}
	return 0;
}

static struct kretprobe krp_slowpath = {
	.entry_handler = slow_entry,
	.handler = slow_ret,
	.data_size = sizeof(struct slow_data),
	/* Direct reclaim sleeps in there: many tasks can be inside at once. */
	.maxactive = 256,
};

static const char * const slowpath_syms[] = {
	"__alloc_pages_slowpath.constprop.0",
	"__alloc_pages_slowpath",
	"__alloc_pages_slowpath.isra.0",
	"__alloc_pages_slowpath.constprop.0.isra.0",
	NULL
};

static struct rec_hook hook_slowpath = {
	.name = "slowpath",
	.symbols = slowpath_syms,
	.krp = &krp_slowpath,
};

/* ---- kmem:mm_page_alloc ---- */

static void tp_page_alloc(void *data, struct page *page, unsigned int order,
			  gfp_t gfp, int migratetype)
{
	if (likely(page))
		return;
	/* Per-CPU scratch: see oomdiag_tp_probe_begin() in compat.h. */
	oomdiag_tp_probe_begin();
	tp_page_alloc_failed(order, gfp);
	oomdiag_tp_probe_end();
}

static void tp_page_alloc_failed(unsigned int order, gfp_t gfp)
{
	struct slow_handoff *h;
	struct rec_build *b;

	/* Every failure is counted, whether or not a record of it is taken. */
	if (!rec_failstats_add(order, gfp))
		return;
	b = rec_begin(OOMDIAG_KIND_ALLOC_FAIL);
	if (!b)
		return;
	atomic64_inc(&tp_alloc.hits);
	b->ev.alloc.gfp = (__force u32)gfp;
	b->ev.alloc.order = order;
	if (gfp & __GFP_NOWARN)
		b->ev.flags |= OOMDIAG_F_NOWARN;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		b->ev.flags |= OOMDIAG_F_COSTLY;
	/* The slow path this request just left, if it went there. */
	h = handoff_of(current, b->ev.context);
	/* Pairs with the slow path's smp_store_release() of the owner. */
	if (smp_load_acquire(&h->task) == current) {
		u32 h_ctx = h->ctx, h_order = h->order;
		u64 h_ts = h->ts_ns, h_lat = h->latency_ns;

		/* Still ours after the reads: not rewritten by a colliding task. */
		smp_rmb();
		if (READ_ONCE(h->task) == current && h_ctx == b->ev.context &&
		    b->ev.ts_ns - h_ts < NSEC_PER_SEC) {
			atomic64_inc(&slow_arg_checks);
			if (h_order == order)
				b->ev.alloc.latency_ns = h_lat;
			else
				atomic64_inc(&slow_arg_mismatch);
			cmpxchg(&h->task, current, NULL);
		}
	}
	rec_stack(&b->ev, 0, 0);
	rec_snap(&b->ev);
	b->meta.hook = "mm_page_alloc";
	b->meta.after_want = REC_AFTER_ZONES;
	rec_commit(b);
}

/* ---- warn_alloc ---- */

#define WARN_PRINTED	0x1

static struct rec_calls warn_calls;

struct warn_data {
	struct rec_build b;
	struct rec_call *call;
};

static struct rec_hook hook_warn;
static struct rec_hook hook_dump_stack;
static struct kretprobe krp_warn;

static int warn_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	static const char fmt_page[] = "page allocation failure: order:";
	struct warn_data *w = (struct warn_data *)ri->data;
	struct oomdiag_event *ev = &w->b.ev;
	char fmt[sizeof(fmt_page) - 1];
	unsigned int order = ~0u;

	/* (gfp_t gfp_mask, nodemask_t *nodemask, const char *fmt, ...) */
	/* The slow path's call passes the order as the first vararg. */
	if (!copy_from_kernel_nofault(fmt, (const void *)regs->dx, sizeof(fmt)) &&
	    !memcmp(fmt, fmt_page, sizeof(fmt)))
		order = (u32)regs->cx;
	/* Over fail_records_per_key (counted): no record, no return handler. */
	if (!rec_failstats_warn(order, (__force gfp_t)(u32)regs->di,
				*(unsigned long *)regs->sp))
		return 1;
	rec_fill_common(ev, OOMDIAG_KIND_WARN_ALLOC);
	memset(&w->b.meta, 0, sizeof(w->b.meta));
	ev->alloc.gfp = (u32)regs->di;
	ev->alloc.nodemask_set = regs->si != 0;
	ev->alloc.order = order;
	if (ev->alloc.gfp & (__force u32)__GFP_NOWARN)
		ev->flags |= OOMDIAG_F_NOWARN | OOMDIAG_F_SILENT;
	if (ev->alloc.order != ~0u && ev->alloc.order > PAGE_ALLOC_COSTLY_ORDER)
		ev->flags |= OOMDIAG_F_COSTLY;
	rec_stack(ev, (unsigned long)krp_warn.kp.addr, *(unsigned long *)regs->sp);
	rec_snap(ev);
	w->b.meta.hook = "warn_alloc";
	w->b.meta.after_want = REC_AFTER_ZONES;
	w->call = rec_call_enter(&warn_calls);
	return 0;
}

static int warn_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct warn_data *w = (struct warn_data *)ri->data;
	struct oomdiag_event *ev = &w->b.ev;
	u32 state = w->call ? READ_ONCE(w->call->state) : 0;

	rec_call_exit(w->call);
	/*
	 * Without the dump_stack probe, or with the call not tracked (its
	 * bucket was full), we cannot tell whether it printed: no flag rather
	 * than a guess.
	 */
	if (!(ev->flags & OOMDIAG_F_NOWARN) && hook_dump_stack.attached && w->call &&
	    !(state & WARN_PRINTED))
		ev->flags |= OOMDIAG_F_SILENT | OOMDIAG_F_RATELIMITED;
	atomic64_inc(&hook_warn.hits);
	rec_commit(&w->b);
	return 0;
}

static struct kretprobe krp_warn = {
	.entry_handler = warn_entry,
	.handler = warn_ret,
	.data_size = sizeof(struct warn_data),
	.maxactive = 32,
};

static const char * const warn_syms[] = { "warn_alloc", NULL };

static struct rec_hook hook_warn = {
	.name = "warn_alloc",
	.symbols = warn_syms,
	.krp = &krp_warn,
};

static int dump_stack_pre(struct kprobe *p, struct pt_regs *regs)
{
	/*
	 * An ftrace-based kprobe runs in the probed code's own context, so
	 * NMI here is a real one (a hard-lockup report, sysrq-l) dumping the
	 * stack of whatever it interrupted: not warn_alloc printing.
	 */
	if (in_nmi() && (p->flags & KPROBE_FLAG_FTRACE))
		return 0;
	/* hits: warn_alloc calls seen printing */
	if (rec_call_update(&warn_calls, WARN_PRINTED, 0))
		atomic64_inc(&hook_dump_stack.hits);
	return 0;
}

static struct kprobe kp_dump_stack = {
	.pre_handler = dump_stack_pre,
};

/* dump_stack() calls dump_stack_lvl() since v5.13. */
static const char * const dump_stack_syms[] = { "dump_stack_lvl", "dump_stack", NULL };

static struct rec_hook hook_dump_stack = {
	.name = "warn_alloc_printed",
	.symbols = dump_stack_syms,
	.kp = &kp_dump_stack,
};

/* ---- registration ---- */

int rec_hooks_alloc_register(void)
{
	int n = 0;

	n += !rec_tp_register(&tp_alloc);
	n += !rec_hook_register(&hook_slowpath);
	n += !rec_hook_register(&hook_dump_stack);
	n += !rec_hook_register(&hook_warn);
	return n;
}

void rec_hooks_alloc_unregister(void)
{
	rec_hook_unregister(&hook_warn);
	rec_hook_unregister(&hook_dump_stack);
	rec_hook_unregister(&hook_slowpath);
	rec_tp_unregister(&tp_alloc);
	/* Called with every hook synchronised: calls in flight are orphans. */
	rec_calls_reset(&warn_calls);
	memset(slow_handoff, 0, sizeof(slow_handoff));
}

void rec_hooks_alloc_print(struct seq_file *m)
{
	unsigned int o;

	rec_tp_print(m, &tp_alloc);
	rec_hook_print(m, &hook_slowpath);
	rec_hook_print(m, &hook_warn);
	rec_hook_print(m, &hook_dump_stack);
	rec_calls_print(m, "warn_alloc", &warn_calls);
	rec_failstats_print(m);
	seq_printf(m, "# slowpath_handoff checks=%lld order_mismatch=%lld overwritten=%lld slow_alloc_ns=%lu\n",
		   atomic64_read(&slow_arg_checks), atomic64_read(&slow_arg_mismatch),
		   atomic64_read(&slow_handoff_overwritten), rec_slow_alloc_ns);
	for (o = 0; o < SLOW_ORDERS; o++) {
		struct slow_stat *st = &slow_stats[o];
		s64 calls = atomic64_read(&st->calls);

		if (!calls)
			continue;
		if (o < OOMDIAG_NR_ORDERS)
			seq_printf(m, "# slowpath order=%u", o);
		else
			seq_puts(m, "# slowpath order=-");
		seq_printf(m, " calls=%lld fails=%lld latency_avg_ns=%lld latency_max_ns=%lld\n",
			   calls, atomic64_read(&st->fails),
			   div64_s64(atomic64_read(&st->lat_sum_ns), calls),
			   atomic64_read(&st->lat_max_ns));
	}
}
