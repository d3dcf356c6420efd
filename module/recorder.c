// SPDX-License-Identifier: GPL-2.0
/*
 * Flight recorder: module parameters, arming the hooks, the worker that
 * attaches the "after" part of records, and the debugfs files "events"
 * and "armed".  docs/debugfs.md describes both files.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/irq_work.h>
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "recorder.h"
#include "taskinfo.h"
#include "views.h"

static unsigned int ring_size = 256;
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size,
		 "Failures part of the flight recorder: at least this many records, more of smaller ones (16..65536, default 256)");

static bool armed = true;
module_param(armed, bool, 0444);
MODULE_PARM_DESC(armed, "Attach the recorder's hooks at load (default 1); debugfs \"armed\" toggles");

static unsigned int walk_interval_ms = 100;
module_param(walk_interval_ms, uint, 0444);
MODULE_PARM_DESC(walk_interval_ms,
		 "At most one free-list walk per this many ms, for every record waiting (1..60000, default 100)");

static unsigned int slow_alloc_ms;
module_param(slow_alloc_ms, uint, 0444);
MODULE_PARM_DESC(slow_alloc_ms, "Record slow_alloc when the slow path took this long (ms, 0: off)");

static DEFINE_MUTEX(arm_lock);
static bool is_armed;
static int nr_attached;

/* ---- hooks: register by candidate symbols, tracepoints by name ---- */

/*
 * Arming and disarming batch the kprobes (issue 21).  A kprobe off the
 * ftrace site (dump_stack_lvl, __do_sys_brk, the allocator's slow path) is
 * optimized into a jump; the kernel's kprobe optimizer (un)does that with
 * kprobe_mutex and text_mutex held across synchronize_rcu_tasks(), and
 * every register/unregister waits for those mutexes.  One at a time, an
 * arm/disarm cycle paid up to six RCU Tasks grace periods and ten RCU ones;
 * a task that runs seconds in the kernel without a voluntary switch makes
 * each Tasks grace period seconds long.  So hooks register disabled and are
 * enabled together once all are in (one optimizer pass), and are disabled
 * together (one pass) and unregistered in two array calls.
 */
#define REC_MAX_HOOKS 16

/* The kprobe hooks attached, for rec_arm() and rec_disarm() (arm_lock). */
static struct rec_hook *hooks_on[REC_MAX_HOOKS];
static int nr_hooks_on;
static struct kretprobe *krps_off[REC_MAX_HOOKS];
static struct kprobe *kps_off[REC_MAX_HOOKS];

static struct kprobe *hook_kprobe(struct rec_hook *h)
{
	return h->krp ? &h->krp->kp : h->kp;
}

int rec_hook_register(struct rec_hook *h)
{
	const char * const *s;
	int err = -ENOENT;

	h->attached = NULL;
	for (s = h->symbols; *s; s++) {
		struct kprobe *kp = h->krp ? &h->krp->kp : h->kp;

		/* A kprobe is registered afresh only with these cleared. */
		kp->addr = NULL;
		/* Disabled while a list of hooks_on is in: rec_arm() enables. */
		kp->flags = nr_hooks_on < REC_MAX_HOOKS ? KPROBE_FLAG_DISABLED : 0;
		kp->offset = 0;
		kp->nmissed = 0;
		kp->symbol_name = *s;
		if (h->krp) {
			h->krp->nmissed = 0;
			/* Tasks sleep inside do_mmap() & co: as many as the kernel's default. */
			h->krp->maxactive = max_t(int, h->krp->maxactive, 2 * num_possible_cpus());
			err = register_kretprobe(h->krp);
		} else {
			err = register_kprobe(kp);
		}
		if (!err) {
			h->attached = *s;
			if (kp->flags & KPROBE_FLAG_DISABLED)
				hooks_on[nr_hooks_on++] = h;
			break;
		}
	}
	h->err = err;
	return err;
}

/* Enable what rec_hook_register() left disabled; returns how many failed. */
static int rec_hooks_enable(void)
{
	int i, failed = 0;

	for (i = 0; i < nr_hooks_on; i++) {
		struct rec_hook *h = hooks_on[i];
		int err = enable_kprobe(hook_kprobe(h));

		if (err) {
			/* Registered but never fires: shown as not attached. */
			h->err = err;
			failed++;
		}
	}
	return failed;
}

static unsigned long hook_nmissed(struct rec_hook *h)
{
	unsigned long n = h->missed;

	if (!h->attached)
		return n;
	if (h->krp)
		return n + h->krp->nmissed + h->krp->kp.nmissed;
	return n + h->kp->nmissed;
}

/*
 * Unregister every hook of hooks_on at once; the hooks_*_unregister()
 * functions then find them detached and reset what calls in flight left.
 */
static void rec_hooks_unregister_all(void)
{
	int i, nr_krp = 0, nr_kp = 0;

	/*
	 * Disabled first, back to back: the optimizer then undoes every
	 * optimized jump in one pass, which the unregistrations wait for.
	 */
	for (i = 0; i < nr_hooks_on; i++)
		if (hooks_on[i]->attached)
			disable_kprobe(hook_kprobe(hooks_on[i]));
	for (i = 0; i < nr_hooks_on; i++) {
		struct rec_hook *h = hooks_on[i];

		if (!h->attached)
			continue;
		if (h->krp)
			krps_off[nr_krp++] = h->krp;
		else
			kps_off[nr_kp++] = h->kp;
	}
	if (nr_krp)
		unregister_kretprobes(krps_off, nr_krp);
	if (nr_kp)
		unregister_kprobes(kps_off, nr_kp);
	for (i = 0; i < nr_hooks_on; i++) {
		struct rec_hook *h = hooks_on[i];

		if (!h->attached)
			continue;
		h->missed = hook_nmissed(h);
		h->attached = NULL;
	}
	nr_hooks_on = 0;
}

void rec_hook_unregister(struct rec_hook *h)
{
	if (!h->attached)
		return;
	if (h->krp)
		unregister_kretprobe(h->krp);
	else
		unregister_kprobe(h->kp);
	h->missed = hook_nmissed(h);
	h->attached = NULL;
}

void rec_hook_print(struct seq_file *m, struct rec_hook *h)
{
	/* Registered but left disabled (enable_kprobe() failed): not attached. */
	bool on = h->attached && !kprobe_disabled(hook_kprobe(h));

	seq_printf(m, "# hook name=%s type=%s symbol=%s attached=%d err=%d nmissed=%lu hits=%lld\n",
		   h->name, h->krp ? "kretprobe" : "kprobe",
		   h->attached ? h->attached : h->symbols[0], on,
		   on ? 0 : h->err, hook_nmissed(h), atomic64_read(&h->hits));
}

static void tp_find(struct tracepoint *tp, void *priv)
{
	struct rec_tp *t = priv;

	if (!t->tp && !strcmp(tp->name, t->name))
		t->tp = tp;
}

int rec_tp_register(struct rec_tp *t)
{
	if (!t->tp)
		for_each_kernel_tracepoint(tp_find, t);
	if (!t->tp) {
		t->err = -ENOENT;
		return t->err;
	}
	t->err = tracepoint_probe_register(t->tp, t->probe, NULL);
	t->registered = !t->err;
	return t->err;
}

/*
 * Before v5.12 ("tracepoint: Do not fail unregistering a probe due to
 * memory failure") removing a probe that shares the tracepoint with
 * another one can fail with -ENOMEM, leaving ours registered: retry, since
 * the module's text must not be freed under a live probe.
 */
void rec_tp_unregister(struct rec_tp *t)
{
	int tries, err = 0;

	if (!t->registered)
		return;
	for (tries = 0; tries < 100; tries++) {
		err = tracepoint_probe_unregister(t->tp, t->probe, NULL);
		if (err != -ENOMEM)
			break;
		msleep(20);
	}
	if (err && err != -ENOENT)
		pr_err("tracepoint %s: probe still registered (%d)\n", t->name, err);
	t->registered = false;
}

void rec_tp_print(struct seq_file *m, struct rec_tp *t)
{
	seq_printf(m, "# hook name=%s type=tracepoint symbol=%s attached=%d err=%d nmissed=0 hits=%lld\n",
		   t->name, t->name, t->registered, t->registered ? 0 : t->err,
		   atomic64_read(&t->hits));
}

/* Caller holds arm_lock. */
static void rec_disarm(void)
{
	if (!is_armed)
		return;
	rec_hooks_unregister_all();
	rec_hooks_vm_unregister();
	rec_hooks_oom_unregister();
	rec_hooks_alloc_unregister();
	/* No probe runs any more once this returns (kprobes synchronise). */
	tracepoint_synchronize_unregister();
	is_armed = false;
	nr_attached = 0;
}

static void rec_arm(void)
{
	if (is_armed)
		return;
	nr_hooks_on = 0;
	nr_attached = rec_hooks_alloc_register();
	nr_attached += rec_hooks_oom_register();
	nr_attached += rec_hooks_vm_register();
	nr_attached -= rec_hooks_enable();
	is_armed = true;
}

/* ---- the worker: per-migratetype free blocks and sysctls, right after ---- */

/*
 * The worker runs at most once per walk_interval_ms, for every record
 * committed meanwhile: a storm of failures costs one walk per interval,
 * not one per failure (issue 14).  Its cost is counted for the header.
 */
static void after_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(after_work, after_work_fn);
static bool after_stopping;
static unsigned long after_next_run;	/* jiffies */

static struct {
	atomic64_t runs;
	atomic64_t walks;
	atomic64_t irqoff_ns;		/* zone->lock held, irqs off, in all walks */
	atomic64_t irqoff_max_ns;	/* the longest one list */
	atomic64_t walk_max_ns;		/* the longest walk, locks dropped between lists */
} worker_stats;

static void after_irq_work_fn(struct irq_work *iw)
{
	long delay = (long)(READ_ONCE(after_next_run) - jiffies);

	if (!READ_ONCE(after_stopping))
		queue_delayed_work(oomdiag_unbound_wq, &after_work, max(delay, 0L));
}

static struct irq_work after_irq_work;

void rec_after_kick(void)
{
	irq_work_queue(&after_irq_work);
}

static void stat_max(atomic64_t *v, s64 x)
{
	s64 old = atomic64_read(v);

	while (x > old) {
		s64 prev = atomic64_cmpxchg(v, old, x);

		if (prev == old)
			break;
		old = prev;
	}
}

/* One free list, counted under zone->lock with irqs off, capped. */
static u32 count_free_list(struct zone *zone, struct list_head *head, u32 *truncated)
{
	struct list_head *pos;
	u32 cnt = 0;
	u64 t0, held;

	spin_lock_irq(&zone->lock);
	t0 = ktime_get_mono_fast_ns();
	list_for_each(pos, head) {
		if (++cnt >= REC_MT_WALK_CAP) {
			*truncated = 1;
			break;
		}
	}
	held = ktime_get_mono_fast_ns() - t0;
	spin_unlock_irq(&zone->lock);
	atomic64_add(held, &worker_stats.irqoff_ns);
	stat_max(&worker_stats.irqoff_max_ns, held);
	return cnt;
}

/* Same zone order as oomdiag_snap_zones(); the lock dropped between lists. */
static void walk_migratetypes(struct rec_after *a)
{
	unsigned int n = 0, order, mt;
	unsigned int orders = min_t(unsigned int, NR_PAGE_ORDERS, OOMDIAG_NR_ORDERS);
	int nid, i;

	a->nr_mt = min_t(unsigned int, MIGRATE_TYPES, REC_MAX_MT);
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (i = 0; i < MAX_NR_ZONES && n < OOMDIAG_MAX_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];

			if (!populated_zone(zone))
				continue;
			for (order = 0; order < orders; order++) {
				struct free_area *area = &zone->free_area[order];

				for (mt = 0; mt < a->nr_mt; mt++)
					a->mt_free[n][mt][order] =
						count_free_list(zone, &area->free_list[mt],
								&a->truncated);
				cond_resched();
			}
			n++;
		}
	}
	a->nr_zones = n;
}

static int read_ulong_file(const char *path, u64 *val)
{
	char buf[32];
	ssize_t n = oomdiag_read_proc(path, buf, sizeof(buf));

	if (n < 0)
		return n;
	return kstrtoull(strim(buf), 10, val);
}

/*
 * sysctl_overcommit_*, sysctl_max_map_count and vm_commit_limit() are not
 * exported: read them where the kernel publishes them.
 */
static void read_vm(struct rec_after *a)
{
	char *buf, *p;
	u64 kb;
	int err;

	err = read_ulong_file("sys/vm/overcommit_memory", &a->overcommit_mode);
	err = err ?: read_ulong_file("sys/vm/overcommit_ratio", &a->overcommit_ratio);
	err = err ?: read_ulong_file("sys/vm/overcommit_kbytes", &a->overcommit_kbytes);
	err = err ?: read_ulong_file("sys/vm/max_map_count", &a->max_map_count);
	if (err)
		return;
	/* Right after a failure: no reclaim, no warning of our own. */
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	if (!buf)
		return;
	if (oomdiag_read_proc("meminfo", buf, PAGE_SIZE) > 0) {
		p = strstr(buf, "\nCommitLimit:");
		if (p && sscanf(p + 13, "%llu", &kb) == 1) {
			a->commit_limit_pages = kb >> (PAGE_SHIFT - 10);
			a->vm_ok = 1;
		}
	}
	kfree(buf);
}

/* Under the ring lock: what the worker learnt, into the record itself. */
static void after_fixup(unsigned int kind, void *info, const struct rec_after *a)
{
	struct oomdiag_vm_info *vm = info;

	if (kind != OOMDIAG_KIND_VM_REFUSED || !a->vm_ok)
		return;
	vm->overcommit_mode = a->overcommit_mode;
	vm->overcommit_ratio = a->overcommit_ratio;
	vm->overcommit_kbytes = a->overcommit_kbytes;
	vm->commit_limit_pages = a->commit_limit_pages;
	/* do_mmap()/do_brk_flags() refuse once map_count > max_map_count. */
	if (vm->reason == OOMDIAG_VM_OTHER && vm->current_usage >= a->max_map_count) {
		vm->reason = OOMDIAG_VM_MAX_MAP_COUNT;
		vm->limit = a->max_map_count;
	}
}

static u64 after_from;

static void after_work_fn(struct work_struct *work)
{
	static struct rec_after a;	/* the work item never runs twice at once */
	u64 to, now;
	u32 want;

	WRITE_ONCE(after_next_run, jiffies + msecs_to_jiffies(walk_interval_ms));
	want = rec_ring_pending(&after_from, &to);
	if (!want)
		return;
	atomic64_inc(&worker_stats.runs);
	memset(&a, 0, sizeof(a));
	now = ktime_get_mono_fast_ns();
	if (want & REC_AFTER_ZONES) {
		walk_migratetypes(&a);
		atomic64_inc(&worker_stats.walks);
		stat_max(&worker_stats.walk_max_ns, ktime_get_mono_fast_ns() - now);
	}
	if (want & REC_AFTER_VM)
		read_vm(&a);
	rec_ring_attach(after_from, to, &a, now, after_fixup);
	after_from = to;
}

/* ---- the events file ---- */

/* enum migratetype, as mm/page_alloc.c names it (not exported). */
static const char * const mt_names[REC_MAX_MT] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic",
#ifdef CONFIG_CMA
	"CMA",
#endif
#ifdef CONFIG_MEMORY_ISOLATION
	"Isolate",
#endif
};

/* A name of include/oomdiag_event.h's lists, or @none for a value outside it. */
static const char *name_or(const char *name, const char *none)
{
	return name ?: none;
}

static void put_flags(struct seq_file *m, u32 flags)
{
	unsigned int i;
	bool first = true;

	seq_puts(m, " flags=");
	for (i = 0; i < ARRAY_SIZE(oomdiag_flag_names); i++) {
		if (!(flags & (1u << i)))
			continue;
		seq_printf(m, "%s%s", first ? "" : "|", oomdiag_flag_names[i]);
		first = false;
	}
	if (first)
		seq_putc(m, '-');
}

static void put_gfp(struct seq_file *m, u32 raw)
{
	gfp_t gfp = (__force gfp_t)raw;

	seq_printf(m, " gfp=%#x gfp_names=%pGg", raw, &gfp);
}

static void put_u32_list(struct seq_file *m, const u32 *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		seq_printf(m, "%s%u", i ? "," : "", v[i]);
}

static void show_alloc(struct seq_file *m, const struct oomdiag_rec *r)
{
	const struct oomdiag_alloc_info *a = &r->ev.alloc;

	put_gfp(m, a->gfp);
	if (a->order == ~0u)
		seq_puts(m, " order=-");
	else
		seq_printf(m, " order=%u", a->order);
	if (a->latency_ns)
		seq_printf(m, " latency_ns=%llu", a->latency_ns);
	else
		seq_puts(m, " latency_ns=-");
	seq_printf(m, " nodemask_set=%u", a->nodemask_set);
}

static void show_oom(struct seq_file *m, const struct oomdiag_rec *r)
{
	const struct oomdiag_oom_info *o = &r->ev.oom;

	seq_printf(m, " victim_pid=%u victim_uid=%u victim_comm=", o->victim_pid, o->victim_uid);
	oomdiag_seq_put_escaped(m, o->victim_comm);
	seq_printf(m, " anon_rss_kb=%llu file_rss_kb=%llu shmem_rss_kb=%llu swap_kb=%llu pgtables_kb=%llu",
		   o->anon_rss_kb, o->file_rss_kb, o->shmem_rss_kb, o->swap_kb, o->pgtables_kb);
	if (o->points == LLONG_MIN)
		seq_puts(m, " points=-");
	else
		seq_printf(m, " points=%lld", o->points);
	if (r->ev.kind == OOMDIAG_KIND_OOM_KILL)
		seq_printf(m, " totalpages=%llu", o->totalpages);
	else
		seq_puts(m, " totalpages=-");
	seq_printf(m, " oom_score_adj=%d constraint=%s", o->oom_score_adj,
		   name_or(oomdiag_name_of(oomdiag_constraint_names, o->constraint), "-"));
	if (r->ev.kind == OOMDIAG_KIND_OOM_KILL) {
		put_gfp(m, o->gfp);
		if (o->order < 0)
			seq_puts(m, " order=-");
		else
			seq_printf(m, " order=%d", o->order);
	}
	seq_puts(m, " memcg=");
	oomdiag_seq_put_escaped(m, o->memcg);
	seq_puts(m, " victim_memcg=");
	oomdiag_seq_put_escaped(m, o->victim_memcg);
}

static void show_vm(struct seq_file *m, const struct oomdiag_rec *r)
{
	const struct oomdiag_vm_info *v = &r->ev.vm;
	bool known = r->meta.after_state == REC_AFTER_DONE && r->after.vm_ok;

	seq_printf(m, " reason=%s pages=%llu",
		   name_or(oomdiag_name_of(oomdiag_vm_reason_names, v->reason), "-"), v->pages);
	if (v->reason == OOMDIAG_VM_OVERCOMMIT)
		seq_printf(m, " committed_as_pages=%llu", v->committed_as_pages);
	if (known)
		seq_printf(m, " commit_limit_pages=%llu overcommit_mode=%u overcommit_ratio=%llu overcommit_kbytes=%llu",
			   v->commit_limit_pages, v->overcommit_mode, v->overcommit_ratio,
			   v->overcommit_kbytes);
	else
		seq_puts(m, " commit_limit_pages=- overcommit_mode=- overcommit_ratio=- overcommit_kbytes=-");
	if (v->reason == OOMDIAG_VM_OVERCOMMIT)
		return;
	if (v->limit == RLIM_INFINITY)
		seq_puts(m, " limit=unlimited");
	else if (v->limit || v->reason != OOMDIAG_VM_OTHER)
		seq_printf(m, " limit=%llu", v->limit);
	else
		seq_puts(m, " limit=-");
	seq_printf(m, " current=%llu", v->current_usage);
}

static void show_after(struct seq_file *m, const struct oomdiag_rec *r)
{
	const struct rec_after *a = &r->after;
	unsigned int z, mt;

	seq_printf(m, "  after delay_ns=%llu", a->delay_ns);
	if (r->meta.after_want & REC_AFTER_ZONES)
		seq_printf(m, " truncated=%u", a->truncated);
	if ((r->meta.after_want & REC_AFTER_VM) && a->vm_ok)
		seq_printf(m, " max_map_count=%llu", a->max_map_count);
	seq_putc(m, '\n');
	if (!(r->meta.after_want & REC_AFTER_ZONES))
		return;
	for (z = 0; z < a->nr_zones && z < r->ev.nr_zones; z++) {
		seq_printf(m, "  after_zone node=%u zone=", r->ev.zones[z].node);
		oomdiag_seq_put_escaped(m, r->ev.zones[z].name);
		for (mt = 0; mt < a->nr_mt; mt++) {
			seq_printf(m, " %s=", mt_names[mt]);
			put_u32_list(m, a->mt_free[z][mt], r->ev.zones[z].nr_orders);
		}
		seq_putc(m, '\n');
	}
}

static void show_record(struct seq_file *m, const struct oomdiag_rec *r)
{
	const struct oomdiag_event *ev = &r->ev;
	unsigned int i;

	seq_printf(m, "seq=%llu ts_ns=%llu wall_ns=%llu kind=%s cpu=%u context=%s pid=%u tgid=%u comm=",
		   ev->seq, ev->ts_ns, ev->wall_ns,
		   name_or(oomdiag_name_of(oomdiag_kind_names, ev->kind), "unknown"), ev->cpu,
		   name_or(oomdiag_name_of(oomdiag_context_names, ev->context), "unknown"),
		   ev->pid, ev->tgid);
	oomdiag_seq_put_escaped(m, ev->comm);
	put_flags(m, ev->flags);
	switch (ev->kind) {
	case OOMDIAG_KIND_ALLOC_FAIL:
	case OOMDIAG_KIND_WARN_ALLOC:
	case OOMDIAG_KIND_SLOW_ALLOC:
		show_alloc(m, r);
		break;
	case OOMDIAG_KIND_OOM_KILL:
	case OOMDIAG_KIND_OOM_VICTIM:
		show_oom(m, r);
		break;
	case OOMDIAG_KIND_VM_REFUSED:
		show_vm(m, r);
		break;
	}
	seq_printf(m, " hook=%s after=%s\n", r->meta.hook ? r->meta.hook : "-",
		   r->meta.after_state == REC_AFTER_DONE ? "done" :
		   r->meta.after_state == REC_AFTER_PENDING ? "pending" : "-");
	if (ev->kind == OOMDIAG_KIND_OOM_KILL || ev->kind == OOMDIAG_KIND_OOM_VICTIM)
		rec_oom_show_lines(m, r);
	for (i = 0; i < ev->nr_zones && i < OOMDIAG_MAX_ZONES; i++) {
		const struct oomdiag_zone_snap *z = &ev->zones[i];

		seq_printf(m, "  zone node=%u zone=", z->node);
		oomdiag_seq_put_escaped(m, z->name);
		seq_printf(m, " free_pages=%llu min_pages=%llu low_pages=%llu high_pages=%llu free_cma_pages=%llu managed_pages=%llu free_blocks=",
			   z->free_pages, z->min_pages, z->low_pages, z->high_pages,
			   z->free_cma_pages, z->managed_pages);
		put_u32_list(m, z->free_blocks, min_t(u32, z->nr_orders, OOMDIAG_NR_ORDERS));
		seq_putc(m, '\n');
	}
	rec_put_stack(m, r);
	if (r->meta.after_state == REC_AFTER_DONE)
		show_after(m, r);
}

static void show_header(struct seq_file *m, u64 first, u64 next)
{
	seq_printf(m, "# oomdiag events v1 abi=%d records=%llu first_seq=%llu next_seq=%llu ring_size=%u lost=%lld dropped=%lld armed=%d hooks=%d\n",
		   OOMDIAG_ABI_VERSION, rec_ring_count(), first, next, rec_ring_size(),
		   atomic64_read(&rec_stats.lost), atomic64_read(&rec_stats.dropped),
		   is_armed, nr_attached);
	seq_printf(m, "# worker interval_ms=%u runs=%lld walks=%lld walk_max_ns=%lld irqoff_ns=%lld irqoff_max_ns=%lld\n",
		   walk_interval_ms, atomic64_read(&worker_stats.runs),
		   atomic64_read(&worker_stats.walks), atomic64_read(&worker_stats.walk_max_ns),
		   atomic64_read(&worker_stats.irqoff_ns),
		   atomic64_read(&worker_stats.irqoff_max_ns));
	rec_ring_print(m);
	rec_hooks_alloc_print(m);
	rec_hooks_oom_print(m);
	rec_hooks_vm_print(m);
}

struct ev_iter {
	u64 base;	/* first seq when the header was printed */
	struct oomdiag_rec rec;
};

static void *ev_lookup(struct ev_iter *it, loff_t *pos)
{
	u64 want = it->base + *pos - 1;

	if (!rec_ring_get(want, &it->rec))
		return NULL;
	/* Overwritten while we read: go on with the oldest still there. */
	if (it->rec.ev.seq != want)
		*pos = it->rec.ev.seq - it->base + 1;
	return &it->rec;
}

static void *ev_start(struct seq_file *m, loff_t *pos)
{
	struct ev_iter *it = m->private;
	u64 next;

	if (*pos == 0) {
		rec_ring_bounds(&it->base, &next);
		return SEQ_START_TOKEN;
	}
	return ev_lookup(it, pos);
}

static void *ev_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return ev_lookup(m->private, pos);
}

static void ev_stop(struct seq_file *m, void *v)
{
}

static int ev_show(struct seq_file *m, void *v)
{
	struct ev_iter *it = m->private;

	if (v == SEQ_START_TOKEN) {
		u64 first, next;

		rec_ring_bounds(&first, &next);
		show_header(m, it->base, next);
		return 0;
	}
	show_record(m, v);
	return 0;
}

static const struct seq_operations ev_sops = {
	.start = ev_start,
	.next = ev_next,
	.stop = ev_stop,
	.show = ev_show,
};

static int ev_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!seq_open_private(file, &ev_sops, sizeof(struct ev_iter)))
		return 0;
	return -ENOMEM;
}

/*
 * Copy a short write into @buf (NUL-terminated, one trailing newline
 * dropped).  Returns 0, or -EINVAL when empty, too long for @size, or
 * holding a NUL byte ("clear\0X" is not "clear").
 */
static int copy_word_from_user(char *buf, size_t size, const char __user *ubuf, size_t len)
{
	if (len == 0 || len >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (strnlen(buf, len) != len)
		return -EINVAL;
	if (buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return 0;
}

/* Exactly "clear", with or without a newline. */
static ssize_t ev_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	char buf[8];
	int err = copy_word_from_user(buf, sizeof(buf), ubuf, len);

	if (err)
		return err;
	if (strcmp(buf, "clear"))
		return -EINVAL;
	rec_ring_clear();
	return len;
}

static const struct file_operations ev_fops = {
	.owner = THIS_MODULE,
	.open = ev_open,
	.read = seq_read,
	.write = ev_write,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/* ---- the armed file: "0" or "1" ---- */

static int armed_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", is_armed);
	return 0;
}

static int armed_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return single_open(file, armed_show, NULL);
}

static ssize_t armed_write(struct file *file, const char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	char buf[4];
	int err = copy_word_from_user(buf, sizeof(buf), ubuf, len);

	if (err)
		return err;
	if (strcmp(buf, "0") && strcmp(buf, "1"))
		return -EINVAL;
	mutex_lock(&arm_lock);
	if (buf[0] == '1')
		rec_arm();
	else
		rec_disarm();
	mutex_unlock(&arm_lock);
	return len;
}

static const struct file_operations armed_fops = {
	.owner = THIS_MODULE,
	.open = armed_open,
	.read = seq_read,
	.write = armed_write,
	.llseek = seq_lseek,
	.release = single_release,
};

int oomdiag_recorder_init(struct dentry *dir)
{
	struct dentry *d;
	int err;

	if (ring_size < 16 || ring_size > 65536) {
		pr_err("ring_size=%u out of range (16..65536)\n", ring_size);
		return -EINVAL;
	}
	if (walk_interval_ms < 1 || walk_interval_ms > 60000) {
		pr_err("walk_interval_ms=%u out of range (1..60000)\n", walk_interval_ms);
		return -EINVAL;
	}
	rec_slow_alloc_ns = (unsigned long)slow_alloc_ms * NSEC_PER_MSEC;
	after_next_run = jiffies;
	init_irq_work(&after_irq_work, after_irq_work_fn);
	WRITE_ONCE(after_stopping, false);
	after_from = 0;
	err = rec_ring_init(ring_size);
	if (err)
		return err;
	d = debugfs_create_file("events", 0600, dir, NULL, &ev_fops);
	if (IS_ERR_OR_NULL(d)) {
		err = d ? PTR_ERR(d) : -ENOMEM;
		goto err_ring;
	}
	d = debugfs_create_file("armed", 0600, dir, NULL, &armed_fops);
	if (IS_ERR_OR_NULL(d)) {
		err = d ? PTR_ERR(d) : -ENOMEM;
		goto err_ring;
	}
	if (armed) {
		mutex_lock(&arm_lock);
		rec_arm();
		mutex_unlock(&arm_lock);
		pr_info("flight recorder armed: %d hooks attached (see events)\n", nr_attached);
	}
	return 0;

err_ring:
	/* The caller removes the debugfs directory with what is in it. */
	rec_ring_exit();
	return err;
}

void oomdiag_recorder_exit(void)
{
	mutex_lock(&arm_lock);
	rec_disarm();
	mutex_unlock(&arm_lock);
	WRITE_ONCE(after_stopping, true);
	irq_work_sync(&after_irq_work);
	cancel_delayed_work_sync(&after_work);
	rec_ring_exit();
}
