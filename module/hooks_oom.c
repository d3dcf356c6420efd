// SPDX-License-Identifier: GPL-2.0
/*
 * OOM kills:
 *
 * - a kretprobe on oom_kill_process(oc, message): an "oom_kill" record at
 *   entry with the killer's own numbers (oc->chosen, oc->chosen_points,
 *   oc->totalpages, oc->constraint, oc->memcg, gfp and order) and the
 *   victim's memory as oom_badness() counts it (taskinfo.c, shared with
 *   the tasks view).  While it runs, the OOM is
 *   "in progress" for the calling task (the OOM killer is serialised by
 *   oom_lock, so there is at most one).
 * - the oom:mark_victim tracepoint: an "oom_victim" record for every task
 *   marked that is not the victim oom_kill_process() chose: the other
 *   members of a memory.oom.group (flag group_kill) and tasks the kernel
 *   marks without calling oom_kill_process(), such as an exiting current
 *   (flag current).  The probe runs under the victim's task_lock() (or for
 *   current): it reads the victim's mm without taking any lock.  7.x
 *   calls tracepoint probes preemptible (under SRCU, not with preemption
 *   off as 5.10-6.12 do): the probe disables preemption itself, since the
 *   record it fills is per-CPU scratch (rec_begin()).
 *
 * - a kprobe on __oom_kill_process(victim, message) (a function of its own
 *   on all four kernels): counts kills as the kernel counts them.
 *
 * Kill accounting: __oom_kill_process() counts OOM_KILL (/proc/vmstat
 * oom_kill) when the victim still has an mm, and then marks the victim.  A
 * group kill (memory.oom.group) calls it for every member of the group,
 * the chosen victim included a second time (oom_kill_memcg_member() does
 * not skip it, v5.10 to v7.2): the kernel counts that victim twice, while
 * mark_oom_victim() returns early the second time.  So "kills" (entries
 * of __oom_kill_process() with an mm, as vmstat counts) and "victims"
 * (processes, each once) are counted apart.  oom_kill_process() also marks an already exiting
 * victim (task_will_free_mem()) without killing or counting it.  The
 * SIGKILL goes out before the mark, so "exiting" is judged at
 * oom_kill_process() entry: a mark_victim inside oom_kill_process() is one
 * kill as the kernel counts it unless it marks the chosen victim that was
 * already exiting then; everything else is "marked, not killed".  Both counts
 * and /proc/vmstat oom_kill at arming are printed in the events header
 * for the reader to reconcile.
 */
#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/kprobes.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/vmstat.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "ledger.h"
#include "recorder.h"
#include "taskinfo.h"

/* The OOM being handled by oom_kill_process(), if any. */
static struct {
	struct task_struct *killer;
	pid_t victim_tgid;
	bool victim_exiting;	/* at entry: will be marked, not killed */
} oom_now;

/* Since arming: see "Kill accounting" above. */
static atomic64_t nr_kill_calls;
static atomic64_t nr_killed;
static atomic64_t nr_marked_only;
static unsigned long vmstat_oom_kill_at_arm;
static bool have_vmstat_oom_kill;

/*
 * mark_victim calls that arrived preemptible (the 7.x convention; always 0
 * without CONFIG_PREEMPT_COUNT), and records filled preemptible (must stay
 * 0): printed so a test can see both the kernel's convention and ours.
 */
static atomic64_t nr_victim_preemptible_entry;
static atomic64_t nr_victim_preemptible_record;

/*
 * The caller holds the mm's owner's task_lock(), or is its owner.  The
 * lock-free counter read (not the per-CPU sum of v6.19+ oom_badness()):
 * nothing here takes a lock.
 */
static void fill_mm(struct oomdiag_oom_info *o, struct mm_struct *mm)
{
	o->anon_rss_kb = get_mm_counter(mm, MM_ANONPAGES) << (PAGE_SHIFT - 10);
	o->file_rss_kb = get_mm_counter(mm, MM_FILEPAGES) << (PAGE_SHIFT - 10);
	o->shmem_rss_kb = get_mm_counter(mm, MM_SHMEMPAGES) << (PAGE_SHIFT - 10);
	o->swap_kb = get_mm_counter(mm, MM_SWAPENTS) << (PAGE_SHIFT - 10);
	o->pgtables_kb = mm_pgtables_bytes(mm) >> 10;
}

static void fill_task(struct oomdiag_oom_info *o, struct task_struct *p)
{
	o->victim_pid = p->tgid;
	o->victim_uid = from_kuid(&init_user_ns, task_uid(p));
	memcpy(o->victim_comm, p->comm, sizeof(o->victim_comm));
	o->victim_comm[sizeof(o->victim_comm) - 1] = '\0';
	o->oom_score_adj = READ_ONCE(p->signal->oom_score_adj);
}

/* @ret of oomdiag_cgroup_path(): flag a cut path on the record. */
static void mark_cut(struct oomdiag_event *ev, int ret)
{
	if (ret == OOMDIAG_PATH_TRUNCATED)
		ev->flags |= OOMDIAG_F_PATH_TRUNCATED;
}

/* ---- oom_kill_process ---- */

/* Exiting already: oom_kill_process() marks it without killing it. */
static bool victim_exiting(struct task_struct *p)
{
	return (READ_ONCE(p->signal->flags) & SIGNAL_GROUP_EXIT) ||
	       (READ_ONCE(p->flags) & PF_EXITING);
}

static struct rec_hook hook_oom_kill;
static struct kretprobe krp_oom_kill;

static int oom_kill_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct oom_control *oc = (struct oom_control *)regs->di;
	struct task_struct *victim = oc->chosen;
	struct oomdiag_ledger *ledger;
	struct oomdiag_taskinfo ti;
	struct oomdiag_oom_info *o;
	struct rec_build *b;

	if (!victim)
		return 0;
	oom_now.victim_tgid = victim->tgid;
	oom_now.victim_exiting = victim_exiting(victim);
	WRITE_ONCE(oom_now.killer, current);
	b = rec_begin(OOMDIAG_KIND_OOM_KILL);
	if (!b)
		return 0;
	o = &b->ev.oom;
	fill_task(o, victim);
	o->points = oc->chosen_points;
	o->totalpages = oc->totalpages;
	o->constraint = oc->constraint <= CONSTRAINT_MEMCG ? oc->constraint :
			OOMDIAG_CONSTRAINT_UNKNOWN;
	o->gfp = (__force u32)oc->gfp_mask;
	o->order = oc->order;
	if (oc->order > PAGE_ALLOC_COSTLY_ORDER)
		b->ev.flags |= OOMDIAG_F_COSTLY;
	/* No lock held here: taskinfo takes one thread's task_lock(). */
	oomdiag_task_badness(victim, oc->totalpages, &ti);
	o->anon_rss_kb = ti.anon << (PAGE_SHIFT - 10);
	o->file_rss_kb = ti.file << (PAGE_SHIFT - 10);
	o->shmem_rss_kb = ti.shmem << (PAGE_SHIFT - 10);
	o->swap_kb = ti.swapents << (PAGE_SHIFT - 10);
	o->pgtables_kb = ti.pgtables << (PAGE_SHIFT - 10);
	rcu_read_lock();
#ifdef CONFIG_MEMCG
	mark_cut(&b->ev, oomdiag_cgroup_path(oc->memcg ? oc->memcg->css.cgroup : NULL,
					     o->memcg, sizeof(o->memcg)));
#else
	strscpy(o->memcg, "-", sizeof(o->memcg));
#endif
	mark_cut(&b->ev, oomdiag_task_memcg_path(victim, o->victim_memcg,
						 sizeof(o->victim_memcg)));
	rcu_read_unlock();
	rec_stack(&b->ev, (unsigned long)krp_oom_kill.kp.addr, *(unsigned long *)regs->sp);
	rec_snap(&b->ev);
	b->meta.hook = "oom_kill_process";
	b->meta.after_want = REC_AFTER_ZONES;
	atomic64_inc(&hook_oom_kill.hits);
	ledger = oomdiag_ledger_fill(oc);
	rec_commit(b);
	/* b is this CPU's scratch at this level: nothing reuses it before this. */
	oomdiag_ledger_end(ledger, b->ev.seq, b->ev.ts_ns);
	return 0;
}

static int oom_kill_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (READ_ONCE(oom_now.killer) == current)
		WRITE_ONCE(oom_now.killer, NULL);
	return 0;
}

static struct kretprobe krp_oom_kill = {
	.entry_handler = oom_kill_entry,
	.handler = oom_kill_ret,
	.maxactive = 8,
};

static const char * const oom_kill_syms[] = { "oom_kill_process", NULL };

static struct rec_hook hook_oom_kill = {
	.name = "oom_kill",
	.symbols = oom_kill_syms,
	.krp = &krp_oom_kill,
};

/* ---- __oom_kill_process ---- */

static struct rec_hook hook_kill_count;

/* The kernel counts the kill right after find_lock_task_mm() succeeds. */
static int kill_count_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *victim = (struct task_struct *)regs->di;
	struct task_struct *t;
	bool has_mm = false;

	rcu_read_lock();
	for_each_thread(victim, t) {
		if (READ_ONCE(t->mm)) {
			has_mm = true;
			break;
		}
	}
	rcu_read_unlock();
	if (has_mm) {
		atomic64_inc(&nr_kill_calls);
		atomic64_inc(&hook_kill_count.hits);
	}
	return 0;
}

static struct kprobe kp_kill_count = {
	.pre_handler = kill_count_pre,
};

static const char * const kill_count_syms[] = { "__oom_kill_process", NULL };

static struct rec_hook hook_kill_count = {
	.name = "oom_kill_count",
	.symbols = kill_count_syms,
	.kp = &kp_kill_count,
};

/* ---- oom:mark_victim ---- */

static struct rec_tp tp_victim;

/*
 * @p's task_lock() is held by our caller, or @p is current.  Preemption
 * is off (the record is per-CPU scratch until committed).
 */
static void victim_record(struct task_struct *p)
{
	struct oomdiag_oom_info *o;
	struct rec_build *b;
	struct mm_struct *mm;
	bool in_kill = READ_ONCE(oom_now.killer) == current;

	if (preemptible())
		atomic64_inc(&nr_victim_preemptible_record);
	if (in_kill && !(p->tgid == oom_now.victim_tgid && oom_now.victim_exiting))
		atomic64_inc(&nr_killed);
	else
		atomic64_inc(&nr_marked_only);
	if (in_kill && p->tgid == oom_now.victim_tgid)
		return;		/* the oom_kill record has it */
	b = rec_begin(OOMDIAG_KIND_OOM_VICTIM);
	if (!b)
		return;
	o = &b->ev.oom;
	fill_task(o, p);
	o->points = LLONG_MIN;	/* not ranked: printed as "-" */
	o->constraint = OOMDIAG_CONSTRAINT_UNKNOWN;
	o->order = -1;
	b->ev.flags |= in_kill ? OOMDIAG_F_GROUP_KILL : OOMDIAG_F_CURRENT;
	mm = READ_ONCE(p->mm);
	if (mm)
		fill_mm(o, mm);
	strscpy(o->memcg, "-", sizeof(o->memcg));
	rcu_read_lock();
	mark_cut(&b->ev, oomdiag_task_memcg_path(p, o->victim_memcg,
						 sizeof(o->victim_memcg)));
	rcu_read_unlock();
	rec_stack(&b->ev, 0, 0);
	b->meta.hook = "mark_victim";
	atomic64_inc(&tp_victim.hits);
	rec_commit(b);
}

#ifdef OOMDIAG_HAVE_MARK_VICTIM_TASK
/*
 * The v6.8 cycle changed the tracepoint from (int pid) to (task, uid), with
 * comm and rss in the event; Debian backported it to 6.1.  No macro shows
 * it: module/Kbuild greps include/trace/events/oom.h for the prototype.
 */
static void tp_mark_victim(void *data, struct task_struct *task, uid_t uid)
{
	if (preemptible())
		atomic64_inc(&nr_victim_preemptible_entry);
	preempt_disable_notrace();
	victim_record(task);
	preempt_enable_notrace();
}
#else
/* Before: only the pid. */
static void tp_mark_victim(void *data, int pid)
{
	struct task_struct *p;

	if (preemptible())
		atomic64_inc(&nr_victim_preemptible_entry);
	preempt_disable_notrace();
	rcu_read_lock();
	p = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (p)
		victim_record(p);
	rcu_read_unlock();
	preempt_enable_notrace();
}
#endif

static struct rec_tp tp_victim = {
	.name = "mark_victim",
	.probe = tp_mark_victim,
};

/* [process] /proc/vmstat oom_kill, from the kernel's counters. */
static bool read_vmstat_oom_kill(unsigned long *val)
{
#ifdef CONFIG_VM_EVENT_COUNTERS
	unsigned long *ev = kmalloc_array(NR_VM_EVENT_ITEMS, sizeof(*ev), GFP_KERNEL);

	if (!ev)
		return false;
	all_vm_events(ev);
	*val = ev[OOM_KILL];
	kfree(ev);
	return true;
#else
	return false;
#endif
}

int rec_hooks_oom_register(void)
{
	int n = 0;

	atomic64_set(&nr_kill_calls, 0);
	atomic64_set(&nr_killed, 0);
	atomic64_set(&nr_marked_only, 0);
	atomic64_set(&nr_victim_preemptible_entry, 0);
	atomic64_set(&nr_victim_preemptible_record, 0);
	have_vmstat_oom_kill = read_vmstat_oom_kill(&vmstat_oom_kill_at_arm);

	n += !rec_hook_register(&hook_oom_kill);
	n += !rec_hook_register(&hook_kill_count);
	n += !rec_tp_register(&tp_victim);
	return n;
}

void rec_hooks_oom_unregister(void)
{
	rec_tp_unregister(&tp_victim);
	rec_hook_unregister(&hook_kill_count);
	rec_hook_unregister(&hook_oom_kill);
	WRITE_ONCE(oom_now.killer, NULL);
}

/* Under an oom_kill record: its kill ledger (ledger.c), while kept. */
void rec_oom_show_lines(struct seq_file *m, const struct oomdiag_rec *r)
{
	if (r->ev.kind == OOMDIAG_KIND_OOM_KILL)
		oomdiag_ledger_show(m, r->ev.seq, r->ev.ts_ns);
}

void rec_hooks_oom_print(struct seq_file *m)
{
	char kills[24] = "-", at_arm[24] = "-";

	rec_hook_print(m, &hook_oom_kill);
	rec_hook_print(m, &hook_kill_count);
	rec_tp_print(m, &tp_victim);
	if (hook_kill_count.attached)
		snprintf(kills, sizeof(kills), "%lld", atomic64_read(&nr_kill_calls));
	if (have_vmstat_oom_kill)
		snprintf(at_arm, sizeof(at_arm), "%lu", vmstat_oom_kill_at_arm);
	seq_printf(m, "# oom_kills victims=%lld kills=%s marked_only=%lld vmstat_oom_kill_at_arm=%s\n",
		   atomic64_read(&nr_killed), kills, atomic64_read(&nr_marked_only), at_arm);
	seq_printf(m, "# mark_victim preemptible_entry=%lld preemptible_record=%lld\n",
		   atomic64_read(&nr_victim_preemptible_entry),
		   atomic64_read(&nr_victim_preemptible_record));
}
