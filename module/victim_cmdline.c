// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM victim's parent chain and command line, for its kill ledger.
 *
 * The parent chain is taken in the hook (oom_kill_process() entry, under
 * oom_lock), under RCU: real_parent up to pid 1, at most OOMDIAG_PARENTS
 * levels, nearest first, each tgid and comm.
 *
 * The command line cannot be read there: reading another process's memory
 * (get_cmdline(), access_process_vm()) takes its mmap_lock and may fault
 * pages in, so it sleeps, and a kprobe handler must not.  Copying every
 * process's arguments at exec time instead (sched_process_exec) would cost
 * memory and time on every exec of the machine for the few processes an
 * OOM kills.  So the hook takes a reference on the victim's mm (mm_users:
 * the pages stay mapped until the read, exit_mmap() waits for it) and an
 * irq_work (the hook may run under int3's nmi_enter(), where queue_work()
 * is not safe) queues a work item on a WQ_MEM_RECLAIM | WQ_HIGHPRI queue
 * (a rescuer thread guarantees progress under memory pressure).  The work
 * adopts the mm (kthread_use_mm(), exported on 5.10 to 7.2, unlike
 * access_remote_vm(); access_process_vm() needs the task to still have
 * its mm, which a killed victim drops at once) and copies
 * arg_start..arg_end, at most OOMDIAG_CMDLINE_LEN bytes, into the slot
 * (no allocation), then drops the reference: held for one copy, a few
 * microseconds after the kill.
 *
 * The OOM reaper may free the victim's private memory before the read.
 * v5.10.0 wakes it at once; v5.18 made it wait OOM_REAPER_DELAY (2 s),
 * and the 5.10 stable series has that too (Debian's 5.10.0-32:
 * task_struct.oom_reaper_timer).  Before v5.18 it skips VM_LOCKED vmas,
 * since then it reaps mlocked memory too (6.1, 6.12, 7.2).  The work is
 * queued at oom_kill_process() entry, before dump_header() and the
 * SIGKILL, so it normally reads long before the reaper runs (a read
 * delayed 3 s on purpose: "gone" on 5.10 except for mlocked arguments,
 * "gone" on 6.1 for both).  The reaper sets
 * MMF_UNSTABLE before it unmaps, and a fault in such an mm fails
 * (check_stable_address_space()), so a reaped page makes the copy fail:
 * state "gone", counted, never guessed (nor a read that returns only
 * zeros).  "unavailable": no mm (kernel thread, exited), no workqueue, or
 * the slot's capture of 32 kills ago still running (a slot is reused only
 * once its work cleared @busy, never waited for in the hook).
 */
#include <linux/atomic.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "victim_cmdline.h"

static struct workqueue_struct *victim_wq;

/* Totals since load: every capture ends in exactly one of them. */
static atomic64_t nr_ok, nr_truncated, nr_gone, nr_unavailable;

void oomdiag_victim_wq_init(void)
{
	/* WQ_UNBOUND: 7.x warns about a queue that is neither per-CPU nor unbound. */
	WRITE_ONCE(victim_wq, alloc_workqueue("oomdiag_cmdline",
					      WQ_UNBOUND | WQ_MEM_RECLAIM | WQ_HIGHPRI, 1));
}

void oomdiag_victim_wq_exit(void)
{
	struct workqueue_struct *wq = victim_wq;

	WRITE_ONCE(victim_wq, NULL);
	if (wq)
		destroy_workqueue(wq);	/* drains: every mm reference is dropped */
}

static void set_state(struct oomdiag_victim *v, u8 state)
{
	atomic64_t *n = state == OOMDIAG_CMDLINE_OK ? &nr_ok :
			state == OOMDIAG_CMDLINE_TRUNCATED ? &nr_truncated :
			state == OOMDIAG_CMDLINE_GONE ? &nr_gone : &nr_unavailable;

	atomic64_inc(n);
	/* Pairs with oomdiag_victim_state(): buf and bytes are complete. */
	smp_store_release(&v->state, state);
}

static void victim_work_fn(struct work_struct *work)
{
	struct oomdiag_victim *v = container_of(work, struct oomdiag_victim, work);
	struct mm_struct *mm = v->mm;
	unsigned long start, end, len;
	u8 state = OOMDIAG_CMDLINE_OK;
	unsigned long left;

	spin_lock(&mm->arg_lock);
	start = mm->arg_start;
	end = mm->arg_end;
	spin_unlock(&mm->arg_lock);
	if (!end || end <= start) {
		set_state(v, OOMDIAG_CMDLINE_UNAVAILABLE);
		goto out;
	}
	len = end - start;
	if (len > OOMDIAG_CMDLINE_LEN) {
		len = OOMDIAG_CMDLINE_LEN;
		state = OOMDIAG_CMDLINE_TRUNCATED;
	}
	kthread_use_mm(mm);
	left = copy_from_user(v->buf, (const void __user *)start, len);
	kthread_unuse_mm(mm);
	/* A reaped page fails the copy; all zeros is no command line either. */
	if (left || (len > 1 && !memchr_inv(v->buf, 0, len))) {
		v->bytes = 0;
		set_state(v, OOMDIAG_CMDLINE_GONE);
		goto out;
	}
	v->bytes = len;
	set_state(v, state);
out:
	v->mm = NULL;
	mmput(mm);		/* may run the victim's exit_mmap() here */
	atomic_set_release(&v->busy, 0);
}

static void victim_irq_work_fn(struct irq_work *iw)
{
	struct oomdiag_victim *v = container_of(iw, struct oomdiag_victim, iw);
	struct workqueue_struct *wq = READ_ONCE(victim_wq);

	if (wq && queue_work(wq, &v->work))
		return;
	/* Not pending before (busy was clear): cannot happen; never leak the mm. */
	set_state(v, OOMDIAG_CMDLINE_UNAVAILABLE);
	mmput_async(v->mm);
	v->mm = NULL;
	atomic_set_release(&v->busy, 0);
}

void oomdiag_victim_init(struct oomdiag_victim *v)
{
	memset(v, 0, sizeof(*v));
	atomic_set(&v->busy, 0);
	init_irq_work(&v->iw, victim_irq_work_fn);
	INIT_WORK(&v->work, victim_work_fn);
}

void oomdiag_victim_sync(struct oomdiag_victim *v)
{
	irq_work_sync(&v->iw);
	flush_work(&v->work);
}

/* A reference on the mm of @p's first thread that has one, or NULL. */
static struct mm_struct *victim_mm(struct task_struct *p)
{
	struct mm_struct *mm = NULL;
	struct task_struct *t;

	if (p->flags & PF_KTHREAD)
		return NULL;
	rcu_read_lock();
	for_each_thread(p, t) {
		task_lock(t);
		/* t->mm is set: mm_users is not 0 until exit_mm() clears it. */
		if (t->mm && mmget_not_zero(t->mm))
			mm = t->mm;
		task_unlock(t);
		if (mm)
			break;
	}
	rcu_read_unlock();
	return mm;
}

void oomdiag_victim_capture(struct oomdiag_victim *v, struct task_struct *p)
{
	struct task_struct *t = p, *parent;
	struct mm_struct *mm;

	v->nr_parents = 0;
	rcu_read_lock();
	while (v->nr_parents < OOMDIAG_PARENTS) {
		struct oomdiag_parent *pp = &v->parents[v->nr_parents];

		parent = rcu_dereference(t->real_parent);
		/* init's real_parent is the idle task (pid 0) */
		if (!parent || parent == t || !parent->tgid)
			break;
		pp->pid = parent->tgid;
		memcpy(pp->comm, parent->comm, sizeof(pp->comm));
		pp->comm[sizeof(pp->comm) - 1] = '\0';
		v->nr_parents++;
		if (parent->tgid == 1)
			break;
		t = parent;
	}
	rcu_read_unlock();

	v->queued = false;
	/* The previous capture in this slot still owns the rest: leave it. */
	if (atomic_read_acquire(&v->busy)) {
		atomic64_inc(&nr_unavailable);
		return;
	}
	WRITE_ONCE(v->state, OOMDIAG_CMDLINE_PENDING);
	v->bytes = 0;
	v->queued = true;
	if (!READ_ONCE(victim_wq)) {
		set_state(v, OOMDIAG_CMDLINE_UNAVAILABLE);
		return;
	}
	mm = victim_mm(p);
	if (!mm) {
		set_state(v, OOMDIAG_CMDLINE_UNAVAILABLE);
		return;
	}
	v->mm = mm;
	atomic_set(&v->busy, 1);
	/* irq_work is NMI-safe; it was idle, since busy was clear. */
	if (!irq_work_queue(&v->iw)) {
		/* cannot happen; mmput_async() never sleeps */
		v->mm = NULL;
		mmput_async(mm);
		set_state(v, OOMDIAG_CMDLINE_UNAVAILABLE);
		atomic_set_release(&v->busy, 0);
	}
}

u8 oomdiag_victim_state(const struct oomdiag_victim *v)
{
	/* Pairs with set_state(): a final state means buf and bytes are written. */
	return smp_load_acquire(&v->state);
}

/* Bytes outside 0x21..0x7e, a backslash and any of @extra as \xHH. */
static void put_escaped(struct seq_file *m, const char *s, size_t n, const char *extra)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c > ' ' && c < 0x7f && c != '\\' && !strchr(extra, c))
			seq_putc(m, c);
		else
			seq_printf(m, "\\x%02x", c);
	}
}

static const char * const state_names[] = {
	[OOMDIAG_CMDLINE_OK] = "ok",
	[OOMDIAG_CMDLINE_TRUNCATED] = "truncated",
	[OOMDIAG_CMDLINE_GONE] = "gone",
	[OOMDIAG_CMDLINE_UNAVAILABLE] = "unavailable",
};

void oomdiag_victim_show(struct seq_file *m, const struct oomdiag_victim *c, u8 state)
{
	unsigned int i;

	if (!c->queued)
		state = OOMDIAG_CMDLINE_UNAVAILABLE;
	/* While the work has not run, no line (the format has no "pending"). */
	if (state != OOMDIAG_CMDLINE_PENDING && state < ARRAY_SIZE(state_names)) {
		unsigned int bytes = min_t(unsigned int, c->bytes, OOMDIAG_CMDLINE_LEN);

		if (state != OOMDIAG_CMDLINE_OK && state != OOMDIAG_CMDLINE_TRUNCATED)
			bytes = 0;
		seq_printf(m, "  victim_cmdline state=%s bytes=%u argv=",
			   state_names[state], bytes);
		put_escaped(m, c->buf, bytes, "");
		seq_putc(m, '\n');
	}
	seq_puts(m, "  victim_parents chain=");
	for (i = 0; i < c->nr_parents && i < OOMDIAG_PARENTS; i++) {
		const struct oomdiag_parent *p = &c->parents[i];

		seq_printf(m, "%s%d:", i ? "," : "", p->pid);
		put_escaped(m, p->comm, strnlen(p->comm, sizeof(p->comm)), ",:");
	}
	seq_putc(m, '\n');
}

void oomdiag_victim_show_counts(struct seq_file *m)
{
	seq_printf(m, " cmdline_ok=%lld cmdline_truncated=%lld", (long long)atomic64_read(&nr_ok),
		   (long long)atomic64_read(&nr_truncated));
	seq_printf(m, " cmdline_gone=%lld cmdline_unavailable=%lld",
		   (long long)atomic64_read(&nr_gone), (long long)atomic64_read(&nr_unavailable));
}
