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
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hardirq.h>
#include <linux/hashtable.h>
#include <linux/irq_work.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/printk.h>
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

/*
 * Two parts share the lock and one seq counter (issue 14 item 4): failures
 * (alloc_fail, warn_alloc, slow_alloc), which a storm of opportunistic
 * requests can produce by the hundred thousand a second, and the reserved
 * part for OOM kills, victims and refusals, which failures cannot
 * overwrite.  Each part overwrites only its own oldest record, counted in
 * its lost.  Within a part records are in seq order, so the reader finds
 * the next seq of each part with a binary search and merges the two.
 */
enum { RING_FAIL, RING_KEEP, RING_PARTS };

struct rec_part {
	struct oomdiag_rec *slots;
	unsigned int size;
	u64 head;	/* position of the oldest record still in the part */
	u64 tail;	/* position of the next record */
	u64 lost;	/* overwritten by newer records of this part */
};

struct rec_ring {
	raw_spinlock_t lock;
	struct rec_part part[RING_PARTS];
	u64 next;	/* seq of the next record, of either part */
};

static struct rec_ring ring = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(ring.lock),
};

static const char * const part_names[RING_PARTS] = { "failures", "reserved" };
static const char * const part_kinds[RING_PARTS] = {
	"alloc_fail,warn_alloc,slow_alloc", "oom_kill,oom_victim,vm_refused",
};

static unsigned int reserved_size;
module_param(reserved_size, uint, 0444);
MODULE_PARM_DESC(reserved_size,
		 "Records reserved for oom_kill, oom_victim and vm_refused (16..16384, default 0: ring_size/4, at least 16)");

/* [cpu * REC_LEVELS + level] */
static struct rec_build *scratch;

struct rec_stats rec_stats;

/* The longest and the total time the ring lock was held with irqs off. */
struct lock_stat {
	atomic64_t max_ns;
	atomic64_t total_ns;
	atomic64_t holds;
};

static struct lock_stat lock_store, lock_attach, lock_pending, lock_names;

static void lock_held(struct lock_stat *st, u64 t0)
{
	s64 held = ktime_get_mono_fast_ns() - t0, old = atomic64_read(&st->max_ns);

	atomic64_add(held, &st->total_ns);
	atomic64_inc(&st->holds);
	while (held > old) {
		s64 prev = atomic64_cmpxchg(&st->max_ns, old, held);

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

static unsigned int part_of(unsigned int kind)
{
	switch (kind) {
	case OOMDIAG_KIND_OOM_KILL:
	case OOMDIAG_KIND_OOM_VICTIM:
	case OOMDIAG_KIND_VM_REFUSED:
		return RING_KEEP;
	default:
		return RING_FAIL;
	}
}

static struct oomdiag_rec *part_slot(struct rec_part *p, u64 pos)
{
	return &p->slots[pos % p->size];
}

/* The position of the first record of @p with seq >= @seq (tail if none). */
static u64 part_find(struct rec_part *p, u64 seq)
	__must_hold(&ring.lock)
{
	u64 lo = p->head, hi = p->tail;

	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (part_slot(p, mid)->ev.seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Copy @b into its part of the ring; returns true when the worker has work. */
static bool ring_store(struct rec_build *b)
	__must_hold(&ring.lock)
{
	struct rec_part *p = &ring.part[part_of(b->ev.kind)];
	struct oomdiag_rec *slot;

	if (p->tail - p->head >= p->size) {
		p->head++;
		p->lost++;
		atomic64_inc(&rec_stats.lost);
	}
	slot = part_slot(p, p->tail++);
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

	if (!ring.part[RING_FAIL].slots) {
		atomic64_inc(&rec_stats.dropped);
		goto out;
	}
	if (!in_nmi()) {
		u64 t0;

		raw_spin_lock_irqsave(&ring.lock, flags);
		t0 = ktime_get_mono_fast_ns();
		kick = ring_store(b);
		lock_held(&lock_store, t0);
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
	unsigned int i;

	raw_spin_lock_irqsave(&ring.lock, flags);
	for (i = 0; i < RING_PARTS; i++)
		ring.part[i].head = ring.part[i].tail;
	raw_spin_unlock_irqrestore(&ring.lock, flags);
}

/* The oldest seq still in the ring, next if it is empty. */
static u64 ring_first(void)
	__must_hold(&ring.lock)
{
	u64 first = ring.next;
	unsigned int i;

	for (i = 0; i < RING_PARTS; i++) {
		struct rec_part *p = &ring.part[i];

		if (p->head < p->tail)
			first = min(first, part_slot(p, p->head)->ev.seq);
	}
	return first;
}

void rec_ring_bounds(u64 *first, u64 *next)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ring.lock, flags);
	*first = ring_first();
	*next = ring.next;
	raw_spin_unlock_irqrestore(&ring.lock, flags);
}

u64 rec_ring_count(void)
{
	unsigned long flags;
	unsigned int i;
	u64 n = 0;

	raw_spin_lock_irqsave(&ring.lock, flags);
	for (i = 0; i < RING_PARTS; i++)
		n += ring.part[i].tail - ring.part[i].head;
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	return n;
}

/*
 * The record with the smallest seq >= @seq of either part: a binary search
 * in each, so a reader jumps over the seqs the other part holds or lost.
 */
bool rec_ring_get(u64 seq, struct oomdiag_rec *out)
{
	struct oomdiag_rec *best = NULL;
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&ring.lock, flags);
	for (i = 0; i < RING_PARTS; i++) {
		struct rec_part *p = &ring.part[i];
		u64 pos;

		if (!p->slots)
			continue;
		pos = part_find(p, seq);
		if (pos < p->tail && (!best || part_slot(p, pos)->ev.seq < best->ev.seq))
			best = part_slot(p, pos);
	}
	if (best)
		memcpy(out, best, sizeof(*out));
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	return best;
}

/*
 * The worker's side: find records waiting for their "after" part.  Returns
 * the union of what they want, and the seq range to look at in @from/@to.
 * One part at a time, a chunk at a time, the lock dropped in between.
 */
#define REC_PENDING_CHUNK	256

u32 rec_ring_pending(u64 *from, u64 *to)
{
	unsigned long flags;
	unsigned int i;
	u32 want = 0;
	u64 t0;

	raw_spin_lock_irqsave(&ring.lock, flags);
	if (*from < ring_first())
		*from = ring_first();
	*to = ring.next;
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	for (i = 0; i < RING_PARTS; i++) {
		struct rec_part *p = &ring.part[i];
		u64 s = *from;
		bool more = true;

		while (more) {
			unsigned int n = 0;
			u64 pos;

			raw_spin_lock_irqsave(&ring.lock, flags);
			t0 = ktime_get_mono_fast_ns();
			for (pos = part_find(p, s); pos < p->tail && n < REC_PENDING_CHUNK;
			     pos++, n++) {
				struct oomdiag_rec *r = part_slot(p, pos);

				if (r->ev.seq >= *to)
					break;
				if (r->meta.after_state == REC_AFTER_PENDING)
					want |= r->meta.after_want;
				s = r->ev.seq + 1;
			}
			more = n == REC_PENDING_CHUNK;
			lock_held(&lock_pending, t0);
			raw_spin_unlock_irqrestore(&ring.lock, flags);
		}
	}
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
	unsigned int i;
	u64 t0;

	for (i = 0; i < RING_PARTS; i++) {
		struct rec_part *p = &ring.part[i];
		u64 s = from;
		bool more = true;

		while (more) {
			unsigned int n = 0;
			u64 pos;

			raw_spin_lock_irqsave(&ring.lock, flags);
			t0 = ktime_get_mono_fast_ns();
			for (pos = part_find(p, s); pos < p->tail && n < REC_ATTACH_CHUNK;
			     pos++, n++) {
				struct oomdiag_rec *r = part_slot(p, pos);

				if (r->ev.seq >= to)
					break;
				s = r->ev.seq + 1;
				if (r->meta.after_state != REC_AFTER_PENDING)
					continue;
				memcpy(&r->after, a, sizeof(r->after));
				r->after.delay_ns = now_ns > r->ev.ts_ns ? now_ns - r->ev.ts_ns : 0;
				r->meta.after_state = REC_AFTER_DONE;
				if (fixup)
					fixup(r, a);
			}
			more = n == REC_ATTACH_CHUNK;
			lock_held(&lock_attach, t0);
			raw_spin_unlock_irqrestore(&ring.lock, flags);
			cond_resched();
		}
	}
}

/*
 * ---- Naming frames in the module area (issue 14 item 8) ----
 *
 * Frames outside the kernel image (modules, and on x86 the BPF JIT, ftrace
 * and kprobe trampolines, all in the module area) are named when a record
 * is read, with %pS like every other frame: the hooks pay nothing for it.
 * (Naming them in the hook, sprint_symbol() up to 4 times a record, was
 * 18-42 % of what the recorder cost a failure in a module on the KASAN
 * kernel: docs/hardening.md.)
 *
 * A module's frames would read as raw addresses once it is unloaded, or as
 * another module's loaded at the same address since.  So when a module goes
 * (MODULE_STATE_GOING, also after a failed init) and when its init text is
 * about to be freed (MODULE_STATE_LIVE, init returned), the notifier names
 * the frames of that module (or of its init text) in the records still in
 * the ring, in process context, scanning a chunk of records per hold of the
 * ring lock, and keeps each name in a table, valid for the records older
 * than its scan (seq < until): a later record at the same address is
 * another module's.  No hook can still be recording a frame of that module
 * then: a frame is recorded by the task running it, before it returns,
 * and the module's exit (or init) has returned.  The table is bounded
 * (REC_NAMES_MAX): a frame it cannot name is counted (missed) and prints
 * as '?', as does every frame %pS cannot name (unnamed).  Entries go when
 * no record older than their scan is left in the ring.
 */
#define REC_NAME_LEN	128
#define REC_NAMES_MAX	4096
#define REC_NAME_BITS	8
/* Records scanned per hold of the ring lock. */
#define REC_NAME_CHUNK	32

struct rec_name {
	struct hlist_node node;
	unsigned long addr;
	u64 until;			/* names the frame in records with seq < until */
	char text[REC_NAME_LEN];	/* as %pS, shortened by keep_name() */
};

/* Names, their count and the sprint buffer: all under names_lock. */
static DEFINE_MUTEX(names_lock);
static DEFINE_HASHTABLE(names, REC_NAME_BITS);
static unsigned int nr_names;
static char names_buf[KSYM_SYMBOL_LEN];

static struct {
	atomic64_t scans;	/* notifier scans of the ring (module load or unload) */
	atomic64_t named;	/* frames named by a scan (table entries made) */
	atomic64_t missed;	/* frames a scan could not keep: table full, no memory */
	atomic64_t unnamed;	/* frames printed as '?': nothing could name them */
} names_stats;

static bool in_module_area(unsigned long addr)
{
#ifdef MODULES_VADDR
	return addr >= MODULES_VADDR && addr < MODULES_END;
#else
	return is_vmalloc_addr((void *)addr);
#endif
}

/*
 * Keep @sym ("sym+0xoff/0xsize [mod]") in @out, REC_NAME_LEN bytes: if it
 * is too long, without "/0xsize", then with the symbol name shortened to
 * end in "~" (what identifies the frame, module and offset, stays).  The
 * same for a name read from %pS and one kept by the notifier, so a frame
 * reads the same before and after its module is unloaded.
 */
static void keep_name(char *out, char *sym)
{
	char *slash, *plus, *end;
	size_t tail;

	if (strscpy(out, sym, REC_NAME_LEN) >= 0)
		return;
	slash = strchr(sym, '/');
	if (slash) {
		end = strchrnul(slash, ' ');
		memmove(slash, end, strlen(end) + 1);
	}
	if (strscpy(out, sym, REC_NAME_LEN) >= 0)
		return;
	plus = strchr(sym, '+');
	tail = plus ? strlen(plus) : 0;
	if (!plus || plus - sym < 2 || tail + 2 > REC_NAME_LEN - 1)
		return;	/* strscpy() kept the start, cut at the end */
	memcpy(out + REC_NAME_LEN - 1 - tail, plus, tail + 1);
	out[REC_NAME_LEN - 2 - tail] = '~';
}

/* The name of @addr in a record of @seq: the oldest scan after it. */
static struct rec_name *name_find(unsigned long addr, u64 seq)
	__must_hold(&names_lock)
{
	struct rec_name *n, *best = NULL;

	hash_for_each_possible(names, n, node, addr)
		if (n->addr == addr && seq < n->until && (!best || n->until < best->until))
			best = n;
	return best;
}

static void name_add(unsigned long addr, u64 until)
	__must_hold(&names_lock)
{
	struct rec_name *n;

	hash_for_each_possible(names, n, node, addr)
		if (n->addr == addr && n->until == until)
			return;
	if (nr_names >= REC_NAMES_MAX) {
		atomic64_inc(&names_stats.missed);
		return;
	}
	n = kmalloc(sizeof(*n), GFP_KERNEL | __GFP_NOWARN);
	if (!n) {
		atomic64_inc(&names_stats.missed);
		return;
	}
	sprint_symbol(names_buf, addr);
	if (!strncmp(names_buf, "0x", 2)) {
		kfree(n);	/* '?' when read, counted there */
		return;
	}
	keep_name(n->text, names_buf);
	n->addr = addr;
	n->until = until;
	hash_add(names, &n->node, addr);
	nr_names++;
	atomic64_inc(&names_stats.named);
}

/* Forget the names no record in the ring can need: all before @first. */
static void names_gc(u64 first)
	__must_hold(&names_lock)
{
	struct hlist_node *tmp;
	struct rec_name *n;
	int bkt;

	hash_for_each_safe(names, bkt, tmp, n, node) {
		if (n->until > first)
			continue;
		hash_del(&n->node);
		kfree(n);
		nr_names--;
	}
}

static void names_free(void)
{
	mutex_lock(&names_lock);
	names_gc(U64_MAX);
	mutex_unlock(&names_lock);
}

static bool frame_of(unsigned long addr, struct module *mod, bool init_only)
{
	if (!in_module_area(addr))
		return false;
	return init_only ? within_module_init(addr, mod) : within_module(addr, mod);
}

/*
 * Name the frames of @mod (only its init text with @init_only) in every
 * record of the ring older than now, a chunk of records per hold of the
 * ring lock; the names are taken with the lock dropped.
 */
static void name_module_frames(struct module *mod, bool init_only)
{
	unsigned long *addrs;
	unsigned long flags;
	unsigned int i;
	u64 first, until, t0;

	addrs = kmalloc_array(REC_NAME_CHUNK * OOMDIAG_STACK_DEPTH, sizeof(*addrs),
			      GFP_KERNEL | __GFP_NOWARN);
	mutex_lock(&names_lock);
	raw_spin_lock_irqsave(&ring.lock, flags);
	first = ring_first();
	until = ring.next;
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	names_gc(first);
	if (first == until || !ring.part[RING_FAIL].slots)
		goto out;
	atomic64_inc(&names_stats.scans);
	if (!addrs) {
		/* Which frames are lost is not known: one miss for the scan. */
		atomic64_inc(&names_stats.missed);
		goto out;
	}
	for (i = 0; i < RING_PARTS; i++) {
		struct rec_part *p = &ring.part[i];
		u64 s = first;
		bool more = true;

		while (more) {
			unsigned int n = 0, nr = 0, f, k;
			u64 pos;

			raw_spin_lock_irqsave(&ring.lock, flags);
			t0 = ktime_get_mono_fast_ns();
			for (pos = part_find(p, s); pos < p->tail && n < REC_NAME_CHUNK;
			     pos++, n++) {
				const struct oomdiag_event *ev = &part_slot(p, pos)->ev;

				if (ev->seq >= until)
					break;
				s = ev->seq + 1;
				for (f = 0; f < ev->nr_stack && f < OOMDIAG_STACK_DEPTH; f++)
					if (frame_of(ev->stack[f], mod, init_only))
						addrs[nr++] = ev->stack[f];
			}
			more = n == REC_NAME_CHUNK;
			lock_held(&lock_names, t0);
			raw_spin_unlock_irqrestore(&ring.lock, flags);
			for (k = 0; k < nr; k++)
				if (!k || addrs[k] != addrs[k - 1])
					name_add(addrs[k], until);
			cond_resched();
		}
	}
out:
	mutex_unlock(&names_lock);
	kfree(addrs);
}

static int names_notify(struct notifier_block *nb, unsigned long state, void *data)
{
	if (state == MODULE_STATE_LIVE)
		name_module_frames(data, true);
	else if (state == MODULE_STATE_GOING)
		name_module_frames(data, false);
	return NOTIFY_DONE;
}

static struct notifier_block names_nb = {
	.notifier_call = names_notify,
};

/*
 * A frame %pS cannot name (a module unloaded since the record was taken
 * and not named by the notifier, a BPF program freed since) prints as '?',
 * so that no kernel address reaches the reader.  Frames in the module area
 * print as the notifier named them for a record older than the module's
 * unload, else as %pS names them now; names_lock is held across both, so
 * no unload completes between the two.
 */
void rec_put_stack(struct seq_file *m, const struct oomdiag_rec *r)
{
	const struct oomdiag_event *ev = &r->ev;
	char sym[KSYM_SYMBOL_LEN], text[REC_NAME_LEN];
	unsigned int i;

	for (i = 0; i < ev->nr_stack && i < OOMDIAG_STACK_DEPTH; i++) {
		unsigned long addr = ev->stack[i];
		const char *out = text;

		if (in_module_area(addr)) {
			struct rec_name *n;

			mutex_lock(&names_lock);
			n = name_find(addr, ev->seq);
			if (n) {
				strscpy(text, n->text, sizeof(text));
			} else {
				snprintf(sym, sizeof(sym), "%pS", (void *)addr);
				keep_name(text, sym);
			}
			mutex_unlock(&names_lock);
		} else {
			snprintf(sym, sizeof(sym), "%pS", (void *)addr);
			out = sym;
		}
		if (!strncmp(out, "0x", 2)) {
			atomic64_inc(&names_stats.unnamed);
			out = "?";
		}
		seq_printf(m, "  stack %s\n", out);
	}
}

void rec_ring_print(struct seq_file *m)
{
	unsigned long flags;
	u64 records[RING_PARTS], lost[RING_PARTS];
	unsigned int i, slots = 0;

	raw_spin_lock_irqsave(&ring.lock, flags);
	for (i = 0; i < RING_PARTS; i++) {
		records[i] = ring.part[i].tail - ring.part[i].head;
		lost[i] = ring.part[i].lost;
		slots += ring.part[i].size;
	}
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	seq_printf(m, "# ring record_bytes=%zu ring_bytes=%zu lock_store_max_ns=%lld lock_attach_max_ns=%lld",
		   sizeof(struct oomdiag_rec), sizeof(struct oomdiag_rec) * slots,
		   atomic64_read(&lock_store.max_ns), atomic64_read(&lock_attach.max_ns));
	seq_printf(m, " lock_store_total_ns=%lld stores=%lld lock_attach_total_ns=%lld lock_pending_max_ns=%lld lock_pending_total_ns=%lld\n",
		   atomic64_read(&lock_store.total_ns), atomic64_read(&lock_store.holds),
		   atomic64_read(&lock_attach.total_ns), atomic64_read(&lock_pending.max_ns),
		   atomic64_read(&lock_pending.total_ns));
	for (i = 0; i < RING_PARTS; i++)
		seq_printf(m, "# ring_part name=%s size=%u records=%llu lost=%llu kinds=%s\n",
			   part_names[i], ring.part[i].size, records[i], lost[i], part_kinds[i]);
	mutex_lock(&names_lock);
	seq_printf(m, "# ring_names entries=%u max=%u scans=%lld named=%lld missed=%lld unnamed=%lld lock_max_ns=%lld lock_total_ns=%lld\n",
		   nr_names, REC_NAMES_MAX, atomic64_read(&names_stats.scans),
		   atomic64_read(&names_stats.named), atomic64_read(&names_stats.missed),
		   atomic64_read(&names_stats.unnamed), atomic64_read(&lock_names.max_ns),
		   atomic64_read(&lock_names.total_ns));
	mutex_unlock(&names_lock);
}

unsigned int rec_ring_size(void)
{
	return ring.part[RING_FAIL].size;
}

static void part_free(struct rec_part *p)
{
	vfree(p->slots);
	p->slots = NULL;
	p->size = 0;
}

static int part_alloc(struct rec_part *p, unsigned int size)
{
	p->slots = vzalloc(array_size(size, sizeof(*p->slots)));
	if (!p->slots)
		return -ENOMEM;
	p->size = size;
	p->head = 0;
	p->tail = 0;
	p->lost = 0;
	return 0;
}

int rec_ring_init(unsigned int size)
{
	unsigned int keep = reserved_size ?: max(size / 4, 16u);
	int err;

	if (keep < 16 || keep > 16384) {
		pr_err("reserved_size=%u out of range (16..16384)\n", keep);
		return -EINVAL;
	}
	err = part_alloc(&ring.part[RING_FAIL], size);
	if (err)
		return err;
	err = part_alloc(&ring.part[RING_KEEP], keep);
	if (err)
		goto err_fail;
	scratch = vzalloc(array_size(nr_cpu_ids * REC_LEVELS, sizeof(*scratch)));
	if (!scratch) {
		err = -ENOMEM;
		goto err_scratch;
	}
	ring.next = 0;
	err = register_module_notifier(&names_nb);
	if (err)
		goto err_scratch;
	return 0;

err_scratch:
	vfree(scratch);
	scratch = NULL;
	part_free(&ring.part[RING_KEEP]);
err_fail:
	part_free(&ring.part[RING_FAIL]);
	return err;
}

/* Hooks are unregistered and synchronised before this runs. */
void rec_ring_exit(void)
{
	unregister_module_notifier(&names_nb);
	names_free();
	vfree(scratch);
	scratch = NULL;
	part_free(&ring.part[RING_KEEP]);
	part_free(&ring.part[RING_FAIL]);
}
