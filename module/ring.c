// SPDX-License-Identifier: GPL-2.0
/*
 * The flight recorder's ring and the per-CPU scratch records the hooks
 * fill before committing.
 *
 * Concurrency: hooks run on any CPU, in task, softirq and hardirq context,
 * and int3-based kprobe handlers run under nmi_enter() (v5.8+).  A record
 * is built outside any lock, in a scratch buffer private to (CPU, context
 * level): a hook cannot be preempted or migrated while it runs (kprobe
 * handlers run with preemption off; tracepoint probes, preemptible on 7.x,
 * disable it themselves: oomdiag_tp_probe_begin()), and a hook
 * interrupted by an interrupt that also records uses the next level's
 * buffer.  One raw spinlock, irqs saved, is held only to copy the finished
 * record into the ring (about 2 kB, well under a microsecond): a per-CPU
 * ring would make the reader merge by time and make "oldest overwritten"
 * per CPU instead of global, for no gain at failure rates that are, by
 * nature, low.  In NMI context the lock is only tried (a bounded spin on
 * trylock), and a record that cannot get it is counted as dropped: no
 * deadlock with an interrupted holder on the same CPU is possible.
 */
#include <linux/hardirq.h>
#include <linux/irq_work.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "recorder.h"

#define REC_LEVELS	4

struct rec_ring {
	raw_spinlock_t lock;
	struct oomdiag_rec *slots;
	unsigned int size;
	u64 first;	/* oldest seq still in the ring */
	u64 next;	/* seq of the next record */
};

static struct rec_ring ring = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(ring.lock),
};

/* [cpu * REC_LEVELS + level] */
static struct rec_build *scratch;

struct rec_stats rec_stats;

/* The longest the ring lock was held with irqs off, and by what. */
static atomic64_t lock_store_max_ns;
static atomic64_t lock_attach_max_ns;

static void lock_held(atomic64_t *max, u64 t0)
{
	s64 held = ktime_get_mono_fast_ns() - t0, old = atomic64_read(max);

	while (held > old) {
		s64 prev = atomic64_cmpxchg(max, old, held);

		if (prev == old)
			break;
		old = prev;
	}
}

unsigned int rec_context(void)
{
	unsigned long pc = preempt_count();

	/*
	 * Since v5.8 (x86 entry rework, "x86/entry: Convert INT3 exception to
	 * IDTENTRY_RAW") int3 handlers, and so kprobe handlers not based on
	 * ftrace, run under nmi_enter().  None of the hooked functions runs
	 * in a real NMI (the page allocator and the OOM killer are not
	 * NMI-safe), so an NMI level here is int3's: look through it to the
	 * probed code's context.  "nmi" is never reported.
	 */
	if (pc & NMI_MASK)
		pc -= NMI_OFFSET + HARDIRQ_OFFSET;
	if (pc & HARDIRQ_MASK)
		return OOMDIAG_CTX_IRQ;
	if (pc & SOFTIRQ_OFFSET)
		return OOMDIAG_CTX_SOFTIRQ;
	return OOMDIAG_CTX_TASK;
}

void rec_fill_common(struct oomdiag_event *ev, unsigned int kind)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts_ns = ktime_get_mono_fast_ns();
	ev->wall_ns = ktime_get_real_fast_ns();
	ev->kind = kind;
	ev->cpu = smp_processor_id();
	ev->context = rec_context();
	ev->pid = current->pid;
	ev->tgid = current->tgid;
	/* Racy against prctl(PR_SET_NAME), as in every tracepoint. */
	memcpy(ev->comm, current->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = '\0';
}

/*
 * A scratch record for this CPU and context level, or NULL (counted as
 * dropped) when the level's buffer is in use, which only a hook recursing
 * into itself at the same level could cause.  Preemption must be off
 * until rec_commit() or rec_cancel(): smp_processor_id(), not the raw
 * one, so that a DEBUG_PREEMPT kernel reports a hook that forgot it
 * (tests/unit/hardening_debug_kernel.sh, bug 6).
 */
struct rec_build *rec_begin(unsigned int kind)
{
	unsigned int level = rec_context();
	struct rec_build *b;

	if (!scratch)
		return NULL;
	b = &scratch[smp_processor_id() * REC_LEVELS + level];
	if (b->busy) {
		atomic64_inc(&rec_stats.dropped);
		return NULL;
	}
	b->busy = 1;
	barrier();
	rec_fill_common(&b->ev, kind);
	memset(&b->meta, 0, sizeof(b->meta));
	return b;
}

void rec_cancel(struct rec_build *b)
{
	barrier();
	b->busy = 0;
}

/*
 * Skip the frames of the hook itself: keep the trace from @ret (the probed
 * function's return address, 0 if unknown) on, and put @func (the probed
 * function, 0 for none) first so the trace reads like the kernel's own.
 */
void rec_stack(struct oomdiag_event *ev, unsigned long func, unsigned long ret)
{
	unsigned long buf[OOMDIAG_STACK_DEPTH + 16];
	unsigned int n, i, start = 0, out = 0;

	n = stack_trace_save(buf, ARRAY_SIZE(buf), 0);
	if (ret) {
		for (i = 0; i < n; i++) {
			if (buf[i] == ret) {
				start = i;
				break;
			}
		}
	}
	if (!start) {
		/* No anchor: drop at least our own frames. */
		while (start < n && within_module(buf[start], THIS_MODULE))
			start++;
	}
	if (func)
		ev->stack[out++] = func;
	for (i = start; i < n && out < OOMDIAG_STACK_DEPTH; i++)
		ev->stack[out++] = buf[i];
	ev->nr_stack = out;
}

void rec_snap(struct oomdiag_event *ev)
{
	ev->nr_zones = oomdiag_snap_zones(ev->zones, OOMDIAG_MAX_ZONES);
	if (ev->nr_zones)
		ev->flags |= OOMDIAG_F_SNAPSHOT;
}

/* Copy @b into the ring; returns true when the worker has work. */
static bool ring_store(struct rec_build *b)
	__must_hold(&ring.lock)
{
	struct oomdiag_rec *slot;

	if (ring.next - ring.first >= ring.size) {
		ring.first++;
		atomic64_inc(&rec_stats.lost);
	}
	slot = &ring.slots[ring.next % ring.size];
	b->ev.seq = ring.next++;
	memcpy(&slot->ev, &b->ev, sizeof(slot->ev));
	slot->meta = b->meta;
	if (!slot->meta.after_want)
		return false;
	slot->meta.after_state = REC_AFTER_PENDING;
	return true;
}

/* In NMI (int3) context: only try the lock, a bounded number of times. */
static bool ring_store_nmi(struct rec_build *b, bool *kick)
{
	unsigned long flags;
	int spins;

	for (spins = 0; spins < 10000; spins++) {
		if (raw_spin_trylock_irqsave(&ring.lock, flags)) {
			*kick = ring_store(b);
			raw_spin_unlock_irqrestore(&ring.lock, flags);
			return true;
		}
		cpu_relax();
	}
	return false;
}

void rec_commit(struct rec_build *b)
{
	unsigned long flags;
	bool stored, kick = false;

	if (!ring.slots) {
		atomic64_inc(&rec_stats.dropped);
		goto out;
	}
	if (!in_nmi()) {
		u64 t0;

		raw_spin_lock_irqsave(&ring.lock, flags);
		t0 = ktime_get_mono_fast_ns();
		kick = ring_store(b);
		lock_held(&lock_store_max_ns, t0);
		raw_spin_unlock_irqrestore(&ring.lock, flags);
		stored = true;
	} else {
		stored = ring_store_nmi(b, &kick);
	}
	if (!stored)
		atomic64_inc(&rec_stats.dropped);
	if (kick)
		rec_after_kick();
out:
	rec_cancel(b);
}

void rec_ring_clear(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ring.lock, flags);
	ring.first = ring.next;
	raw_spin_unlock_irqrestore(&ring.lock, flags);
}

void rec_ring_bounds(u64 *first, u64 *next)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ring.lock, flags);
	*first = ring.first;
	*next = ring.next;
	raw_spin_unlock_irqrestore(&ring.lock, flags);
}

bool rec_ring_get(u64 seq, struct oomdiag_rec *out)
{
	unsigned long flags;
	bool found = false;

	raw_spin_lock_irqsave(&ring.lock, flags);
	if (seq < ring.first)
		seq = ring.first;
	if (seq < ring.next) {
		memcpy(out, &ring.slots[seq % ring.size], sizeof(*out));
		found = true;
	}
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	return found;
}

/*
 * The worker's side: find records waiting for their "after" part.  Returns
 * the union of what they want, and the seq range to look at in @from/@to.
 */
u32 rec_ring_pending(u64 *from, u64 *to)
{
	unsigned long flags;
	u32 want = 0;
	u64 s;

	raw_spin_lock_irqsave(&ring.lock, flags);
	if (*from < ring.first)
		*from = ring.first;
	*to = ring.next;
	for (s = *from; s < *to; s++) {
		struct oomdiag_rec *r = &ring.slots[s % ring.size];

		if (r->meta.after_state == REC_AFTER_PENDING)
			want |= r->meta.after_want;
	}
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	return want;
}

/* Records the worker attaches to per hold of the ring lock. */
#define REC_ATTACH_CHUNK	32

/*
 * Attach @a to every pending record of [from, to) still in the ring, a
 * chunk at a time with the lock dropped between chunks: a full ring of
 * pending records must not keep irqs off for the whole copy.
 */
void rec_ring_attach(u64 from, u64 to, const struct rec_after *a, u64 now_ns,
		     void (*fixup)(struct oomdiag_rec *r, const struct rec_after *a))
{
	unsigned long flags;
	u64 s = from, t0;

	while (s < to) {
		unsigned int n = 0;

		raw_spin_lock_irqsave(&ring.lock, flags);
		t0 = ktime_get_mono_fast_ns();
		if (s < ring.first)
			s = ring.first;
		for (; s < to && s < ring.next && n < REC_ATTACH_CHUNK; s++, n++) {
			struct oomdiag_rec *r = &ring.slots[s % ring.size];

			if (r->meta.after_state != REC_AFTER_PENDING)
				continue;
			memcpy(&r->after, a, sizeof(r->after));
			r->after.delay_ns = now_ns > r->ev.ts_ns ? now_ns - r->ev.ts_ns : 0;
			r->meta.after_state = REC_AFTER_DONE;
			if (fixup)
				fixup(r, a);
		}
		if (s >= ring.next)
			s = to;
		lock_held(&lock_attach_max_ns, t0);
		raw_spin_unlock_irqrestore(&ring.lock, flags);
		cond_resched();
	}
}

void rec_ring_print(struct seq_file *m)
{
	seq_printf(m, "# ring record_bytes=%zu ring_bytes=%zu lock_store_max_ns=%lld lock_attach_max_ns=%lld\n",
		   sizeof(struct oomdiag_rec), sizeof(struct oomdiag_rec) * ring.size,
		   atomic64_read(&lock_store_max_ns), atomic64_read(&lock_attach_max_ns));
}

unsigned int rec_ring_size(void)
{
	return ring.size;
}

int rec_ring_init(unsigned int size)
{
	ring.slots = vzalloc(array_size(size, sizeof(*ring.slots)));
	if (!ring.slots)
		return -ENOMEM;
	scratch = vzalloc(array_size(nr_cpu_ids * REC_LEVELS, sizeof(*scratch)));
	if (!scratch) {
		vfree(ring.slots);
		ring.slots = NULL;
		return -ENOMEM;
	}
	ring.size = size;
	ring.first = 0;
	ring.next = 0;
	return 0;
}

/* Hooks are unregistered and synchronised before this runs. */
void rec_ring_exit(void)
{
	vfree(scratch);
	scratch = NULL;
	vfree(ring.slots);
	ring.slots = NULL;
}
