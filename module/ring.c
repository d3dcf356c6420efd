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
 * record into the ring (the bytes it needs, 0.2-1.7 kB): a per-CPU
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
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
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
 *
 * Each part is a byte ring of blobs in the order they were written (issue
 * 14 item 5): a record takes what its event needs (its kind's member of
 * the union, nr_stack frames, nr_zones snapshots; struct rec_packed), and
 * the worker's "after" part (per-migratetype free counts, sysctls) is one
 * blob per worker pass and part (struct after_packed), which the records
 * of that pass refer to by offset: it was written after them, so it leaves
 * the ring after them.  An index of record offsets in seq order (positions
 * head..tail) finds a seq by binary search; rec_ring_get() decodes a
 * record into struct oomdiag_rec.  A part holds size * budget bytes
 * (part_budget(): the largest record of its kinds with an after part of its
 * own), so at least size records, and more of smaller ones or of a worker
 * pass shared by many.
 */
enum { RING_FAIL, RING_KEEP, RING_PARTS };

enum { BLOB_PAD = 1, BLOB_REC, BLOB_AFTER };

/* Every blob starts with this; lengths are multiples of 8. */
struct blob_hdr {
	u32 len;
	u32 type;
};

#define REC_HEAD_BYTES		OOMDIAG_ABI_OFF_UNION

/*
 * The union of struct oomdiag_event, through the event's own address: a
 * copy of the OOM member's 608 bytes through &ev->alloc (24) would be a
 * field-spanning memcpy to FORTIFY_SOURCE (a WARNING since v6.1).
 */
static void *ev_union(struct oomdiag_event *ev)
{
	return (u8 *)ev + REC_HEAD_BYTES;
}

/* A record in its part: then its union member, stack, zones. */
struct rec_packed {
	struct blob_hdr h;
	const char *hook;
	u32 after_off;		/* its after blob, with REC_AFTER_DONE */
	u8 after_want;
	u8 after_state;
	u8 nr_stack;
	u8 nr_zones;
	u32 union_len;
	u32 pad;
	u8 head[REC_HEAD_BYTES];	/* struct oomdiag_event up to the union */
	u64 data[];
};

/* A worker pass's after part, once per part; mt_free[nr_zones][nr_mt][orders]. */
struct after_packed {
	struct blob_hdr h;
	u64 now_ns;
	u32 nr_zones;
	u32 nr_mt;
	u32 truncated;
	u32 vm_ok;
	u64 max_map_count;
	u64 overcommit_mode;
	u64 overcommit_ratio;
	u64 overcommit_kbytes;
	u64 commit_limit_pages;
	u32 mt_free[];
};

struct rec_part {
	u8 *buf;
	u32 cap;	/* bytes of buf, a multiple of 8 */
	u32 rd;		/* offset of the oldest blob */
	u32 wr;		/* offset of the next blob */
	u32 used;	/* bytes from rd to wr, padding included */
	u32 *idx;	/* record offsets, [pos % idx_size] */
	u32 idx_size;
	unsigned int size;	/* ring_size or reserved_size */
	u64 head;	/* position of the oldest record still in the part */
	u64 tail;	/* position of the next record */
	u64 lost;	/* overwritten by newer records of this part */
	u64 stored_bytes;	/* bytes of every record stored, for the average */
	u64 stores;
	u32 max_bytes;	/* the largest record stored */
	u64 after_blobs;	/* after parts written */
	u64 after_bytes;
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
		 "Records reserved for oom_kill, oom_victim and vm_refused: at least this many (16..16384, default 0: ring_size/4, at least 16)");

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

/* Bytes of the union a kind uses. */
static u32 union_len_of(unsigned int kind)
{
	switch (kind) {
	case OOMDIAG_KIND_ALLOC_FAIL:
	case OOMDIAG_KIND_WARN_ALLOC:
	case OOMDIAG_KIND_SLOW_ALLOC:
		return sizeof(struct oomdiag_alloc_info);
	case OOMDIAG_KIND_VM_REFUSED:
		return sizeof(struct oomdiag_vm_info);
	default:
		return sizeof(struct oomdiag_oom_info);
	}
}

static_assert(sizeof(struct rec_packed) % 8 == 0);
static_assert(sizeof(struct after_packed) % 8 == 0);
static_assert(sizeof(struct oomdiag_alloc_info) % 8 == 0);
static_assert(sizeof(struct oomdiag_vm_info) % 8 == 0);
static_assert(sizeof(struct oomdiag_oom_info) % 8 == 0);
static_assert(sizeof(struct oomdiag_zone_snap) % 8 == 0);

/* The bytes a record of @ev takes in its part. */
static u32 rec_len(const struct oomdiag_event *ev)
{
	return sizeof(struct rec_packed) + union_len_of(ev->kind) +
	       min_t(u32, ev->nr_stack, OOMDIAG_STACK_DEPTH) * sizeof(ev->stack[0]) +
	       min_t(u32, ev->nr_zones, OOMDIAG_MAX_ZONES) * sizeof(ev->zones[0]);
}

static u32 after_len(u32 nr_zones, u32 nr_mt)
{
	return sizeof(struct after_packed) +
	       round_up(nr_zones * nr_mt * OOMDIAG_NR_ORDERS * sizeof(u32), 8);
}

static void *part_at(struct rec_part *p, u32 off)
{
	return p->buf + off;
}

static struct rec_packed *part_rec(struct rec_part *p, u64 pos)
{
	return part_at(p, p->idx[pos % p->idx_size]);
}

static u64 rec_seq(const struct rec_packed *r)
{
	return ((const struct oomdiag_event *)r->head)->seq;
}

/* The position of the first record of @p with seq >= @seq (tail if none). */
static u64 part_find(struct rec_part *p, u64 seq)
	__must_hold(&ring.lock)
{
	u64 lo = p->head, hi = p->tail;

	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (rec_seq(part_rec(p, mid)) < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Free the oldest blob; a record still indexed leaves the index, counted. */
static void part_evict(struct rec_part *p)
	__must_hold(&ring.lock)
{
	struct blob_hdr *h = part_at(p, p->rd);

	if (h->type == BLOB_REC && p->head < p->tail && p->idx[p->head % p->idx_size] == p->rd) {
		p->head++;
		p->lost++;
		atomic64_inc(&rec_stats.lost);
	}
	p->used -= h->len;
	p->rd += h->len;
	if (p->rd >= p->cap)
		p->rd = 0;
}

/*
 * Room for @len bytes at p->wr, the oldest blobs freed as needed (a bounded
 * number: a blob is at least a record header); the end of the buffer is
 * skipped with a pad blob when @len does not fit before it.  @len <= cap.
 */
static void *part_reserve(struct rec_part *p, u32 len)
	__must_hold(&ring.lock)
{
	for (;;) {
		if (!p->used) {
			p->rd = 0;
			p->wr = 0;
		}
		if (!p->used || p->wr > p->rd) {
			struct blob_hdr *pad;

			if (p->cap - p->wr >= len)
				break;
			pad = part_at(p, p->wr);
			pad->len = p->cap - p->wr;
			pad->type = BLOB_PAD;
			p->used += pad->len;
			p->wr = 0;
			continue;
		}
		if (p->rd - p->wr >= len)
			break;
		part_evict(p);
	}
	return part_at(p, p->wr);
}

static void part_commit_blob(struct rec_part *p, struct blob_hdr *h, u32 len, u32 type)
	__must_hold(&ring.lock)
{
	h->len = len;
	h->type = type;
	p->used += len;
	p->wr += len;
	if (p->wr >= p->cap)
		p->wr = 0;
}

/* Copy @b into its part of the ring; returns true when the worker has work. */
static bool ring_store(struct rec_build *b)
	__must_hold(&ring.lock)
{
	struct oomdiag_event *ev = &b->ev;
	struct rec_part *p = &ring.part[part_of(ev->kind)];
	u32 len = rec_len(ev), ulen = union_len_of(ev->kind), off;
	u32 nr_stack = min_t(u32, ev->nr_stack, OOMDIAG_STACK_DEPTH);
	u32 nr_zones = min_t(u32, ev->nr_zones, OOMDIAG_MAX_ZONES);
	struct rec_packed *r;
	u8 *data;

	/* The index holds more records than fit: never full, but be sure. */
	while (p->tail - p->head >= p->idx_size && p->used)
		part_evict(p);
	r = part_reserve(p, len);
	off = (u8 *)r - p->buf;
	ev->seq = ring.next++;
	r->hook = b->meta.hook;
	r->after_off = 0;
	r->after_want = b->meta.after_want;
	r->after_state = b->meta.after_want ? REC_AFTER_PENDING : REC_AFTER_NONE;
	r->nr_stack = nr_stack;
	r->nr_zones = nr_zones;
	r->union_len = ulen;
	r->pad = 0;
	memcpy(r->head, ev, REC_HEAD_BYTES);
	data = (u8 *)r->data;
	memcpy(data, ev_union(ev), ulen);
	data += ulen;
	memcpy(data, ev->stack, nr_stack * sizeof(ev->stack[0]));
	data += nr_stack * sizeof(ev->stack[0]);
	memcpy(data, ev->zones, nr_zones * sizeof(ev->zones[0]));
	part_commit_blob(p, &r->h, len, BLOB_REC);
	p->idx[p->tail++ % p->idx_size] = off;
	p->stored_bytes += len;
	p->stores++;
	p->max_bytes = max(p->max_bytes, len);
	return r->after_want;
}

/* The record @r as struct oomdiag_rec: @out was zeroed by the caller. */
static void rec_decode(struct rec_part *p, const struct rec_packed *r, struct oomdiag_rec *out)
	__must_hold(&ring.lock)
{
	struct oomdiag_event *ev = &out->ev;
	const u8 *data = (const u8 *)r->data;

	memcpy(ev, r->head, REC_HEAD_BYTES);
	memcpy(ev_union(ev), data, min_t(u32, r->union_len, sizeof(struct oomdiag_oom_info)));
	data += r->union_len;
	ev->nr_stack = r->nr_stack;
	ev->nr_zones = r->nr_zones;
	memcpy(ev->stack, data, r->nr_stack * sizeof(ev->stack[0]));
	data += r->nr_stack * sizeof(ev->stack[0]);
	memcpy(ev->zones, data, r->nr_zones * sizeof(ev->zones[0]));
	out->meta.hook = r->hook;
	out->meta.after_want = r->after_want;
	out->meta.after_state = r->after_state;
	if (r->after_state == REC_AFTER_DONE) {
		const struct after_packed *ap = part_at(p, r->after_off);
		struct rec_after *a = &out->after;
		unsigned int z, mt;

		a->delay_ns = ap->now_ns > ev->ts_ns ? ap->now_ns - ev->ts_ns : 0;
		a->nr_zones = ap->nr_zones;
		a->nr_mt = ap->nr_mt;
		a->truncated = ap->truncated;
		a->vm_ok = ap->vm_ok;
		a->max_map_count = ap->max_map_count;
		a->overcommit_mode = ap->overcommit_mode;
		a->overcommit_ratio = ap->overcommit_ratio;
		a->overcommit_kbytes = ap->overcommit_kbytes;
		a->commit_limit_pages = ap->commit_limit_pages;
		for (z = 0; z < ap->nr_zones; z++)
			for (mt = 0; mt < ap->nr_mt; mt++)
				memcpy(a->mt_free[z][mt],
				       &ap->mt_free[(z * ap->nr_mt + mt) * OOMDIAG_NR_ORDERS],
				       sizeof(a->mt_free[z][mt]));
	}
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

	if (!ring.part[RING_FAIL].buf) {
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
	for (i = 0; i < RING_PARTS; i++) {
		ring.part[i].head = ring.part[i].tail;
		ring.part[i].used = 0;
	}
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
			first = min(first, rec_seq(part_rec(p, p->head)));
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
	struct rec_packed *best = NULL;
	struct rec_part *best_p = NULL;
	unsigned long flags;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	raw_spin_lock_irqsave(&ring.lock, flags);
	for (i = 0; i < RING_PARTS; i++) {
		struct rec_part *p = &ring.part[i];
		u64 pos;

		if (!p->buf)
			continue;
		pos = part_find(p, seq);
		if (pos < p->tail && (!best || rec_seq(part_rec(p, pos)) < rec_seq(best))) {
			best = part_rec(p, pos);
			best_p = p;
		}
	}
	if (best)
		rec_decode(best_p, best, out);
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
				struct rec_packed *r = part_rec(p, pos);

				if (rec_seq(r) >= *to)
					break;
				if (r->after_state == REC_AFTER_PENDING)
					want |= r->after_want;
				s = rec_seq(r) + 1;
			}
			more = n == REC_PENDING_CHUNK;
			lock_held(&lock_pending, t0);
			raw_spin_unlock_irqrestore(&ring.lock, flags);
		}
	}
	return want;
}

/* Write the worker's @a into @p once for this pass; its offset. */
static u32 part_store_after(struct rec_part *p, const struct rec_after *a, u64 now_ns)
	__must_hold(&ring.lock)
{
	u32 nz = min_t(u32, a->nr_zones, OOMDIAG_MAX_ZONES);
	u32 nmt = min_t(u32, a->nr_mt, REC_MAX_MT);
	u32 len = after_len(nz, nmt), z, mt;
	struct after_packed *ap = part_reserve(p, len);

	ap->now_ns = now_ns;
	ap->nr_zones = nz;
	ap->nr_mt = nmt;
	ap->truncated = a->truncated;
	ap->vm_ok = a->vm_ok;
	ap->max_map_count = a->max_map_count;
	ap->overcommit_mode = a->overcommit_mode;
	ap->overcommit_ratio = a->overcommit_ratio;
	ap->overcommit_kbytes = a->overcommit_kbytes;
	ap->commit_limit_pages = a->commit_limit_pages;
	for (z = 0; z < nz; z++)
		for (mt = 0; mt < nmt; mt++)
			memcpy(&ap->mt_free[(z * nmt + mt) * OOMDIAG_NR_ORDERS], a->mt_free[z][mt],
			       sizeof(a->mt_free[z][mt]));
	part_commit_blob(p, &ap->h, len, BLOB_AFTER);
	p->after_blobs++;
	p->after_bytes += len;
	return (u8 *)ap - p->buf;
}

/* Records the worker attaches to per hold of the ring lock. */
#define REC_ATTACH_CHUNK	32

/*
 * Attach @a to every pending record of [from, to) still in the ring: @a is
 * written once into each part that has such a record (evicting its oldest
 * blobs like a record would), and each record gets its offset, a chunk of
 * records at a time with the lock dropped between chunks.  The after blob
 * is newer than the records of this pass, so it outlives them.
 */
void rec_ring_attach(u64 from, u64 to, const struct rec_after *a, u64 now_ns,
		     void (*fixup)(unsigned int kind, void *info, const struct rec_after *a))
{
	unsigned long flags;
	unsigned int i;
	u64 t0;

	for (i = 0; i < RING_PARTS; i++) {
		struct rec_part *p = &ring.part[i];
		bool have_after = false, more = true;
		u32 after_off = 0;
		u64 s = from;

		while (more) {
			unsigned int n = 0;
			u64 pos;

			raw_spin_lock_irqsave(&ring.lock, flags);
			t0 = ktime_get_mono_fast_ns();
			for (pos = part_find(p, s); pos < p->tail && n < REC_ATTACH_CHUNK;
			     pos++, n++) {
				struct rec_packed *r = part_rec(p, pos);
				const struct oomdiag_event *ev = (const void *)r->head;

				if (rec_seq(r) >= to)
					break;
				if (r->after_state != REC_AFTER_PENDING) {
					s = rec_seq(r) + 1;
					continue;
				}
				if (!have_after) {
					/* May evict records: find s again. */
					after_off = part_store_after(p, a, now_ns);
					have_after = true;
					n = REC_ATTACH_CHUNK;
					break;
				}
				s = rec_seq(r) + 1;
				r->after_off = after_off;
				r->after_state = REC_AFTER_DONE;
				if (fixup)
					fixup(ev->kind, r->data, a);
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
	if (first == until || !ring.part[RING_FAIL].buf)
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
				const struct rec_packed *r = part_rec(p, pos);
				const u64 *stack = (const void *)r->data + r->union_len;

				if (rec_seq(r) >= until)
					break;
				s = rec_seq(r) + 1;
				for (f = 0; f < r->nr_stack; f++)
					if (frame_of(stack[f], mod, init_only))
						addrs[nr++] = stack[f];
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

/* Memory of a part: its bytes and its index. */
static u64 part_bytes(const struct rec_part *p)
{
	return p->cap + (u64)p->idx_size * sizeof(*p->idx);
}

void rec_ring_print(struct seq_file *m)
{
	struct rec_part snap[RING_PARTS];
	unsigned long flags;
	u64 bytes = 0, stored = 0, stores = 0, slots = 0;
	u32 max = 0;
	unsigned int i;

	raw_spin_lock_irqsave(&ring.lock, flags);
	memcpy(snap, ring.part, sizeof(snap));
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	for (i = 0; i < RING_PARTS; i++) {
		bytes += part_bytes(&snap[i]);
		slots += snap[i].size;
		stored += snap[i].stored_bytes;
		stores += snap[i].stores;
		max = max(max, snap[i].max_bytes);
	}
	/* record_bytes: memory per record the ring holds at least. */
	seq_printf(m, "# ring record_bytes=%llu record_bytes_avg=%llu record_bytes_max=%u ring_bytes=%llu lock_store_max_ns=%lld lock_attach_max_ns=%lld",
		   slots ? div64_u64(bytes, slots) : 0,
		   stores ? div64_u64(stored, stores) : 0, max, bytes,
		   atomic64_read(&lock_store.max_ns), atomic64_read(&lock_attach.max_ns));
	seq_printf(m, " lock_store_total_ns=%lld stores=%lld lock_attach_total_ns=%lld lock_pending_max_ns=%lld lock_pending_total_ns=%lld\n",
		   atomic64_read(&lock_store.total_ns), atomic64_read(&lock_store.holds),
		   atomic64_read(&lock_attach.total_ns), atomic64_read(&lock_pending.max_ns),
		   atomic64_read(&lock_pending.total_ns));
	for (i = 0; i < RING_PARTS; i++) {
		struct rec_part *p = &snap[i];

		seq_printf(m, "# ring_part name=%s size=%u records=%llu lost=%llu kinds=%s",
			   part_names[i], p->size, p->tail - p->head, p->lost, part_kinds[i]);
		seq_printf(m, " budget=%u bytes=%u index_bytes=%zu used=%u record_bytes_avg=%llu record_bytes_max=%u after_blobs=%llu after_bytes=%llu\n",
			   p->size ? p->cap / p->size : 0, p->cap,
			   (size_t)p->idx_size * sizeof(*p->idx), p->used,
			   p->stores ? div64_u64(p->stored_bytes, p->stores) : 0, p->max_bytes,
			   p->after_blobs, p->after_bytes);
	}
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
	vfree(p->buf);
	vfree(p->idx);
	memset(p, 0, sizeof(*p));
}

/*
 * @size records of up to @budget bytes each, a record with its share of
 * the after part; the index has room for as many of the smallest records
 * as the bytes hold.
 */
static int part_alloc(struct rec_part *p, unsigned int size, u32 budget)
{
	memset(p, 0, sizeof(*p));
	p->cap = round_up(size * budget, 8);
	p->idx_size = p->cap / (sizeof(struct rec_packed) + sizeof(struct oomdiag_alloc_info)) + 1;
	p->buf = vmalloc(p->cap);
	p->idx = vmalloc(array_size(p->idx_size, sizeof(*p->idx)));
	if (!p->buf || !p->idx) {
		part_free(p);
		return -ENOMEM;
	}
	p->size = size;
	return 0;
}

/*
 * A record's budget: the largest record of the part's kinds with every
 * frame and a snapshot of each zone populated now, plus an after part of
 * its own (a worker pass per record, the worst case).  Zones added later
 * (memory hotplug) make records larger: the part then holds fewer.
 */
static u32 part_budget(unsigned int kind)
{
	u32 nz = 0;
	int nid, i;

	/* As the worker and the snapshot count them (for_each_populated_zone() is not exported). */
	for_each_online_node(nid)
		for (i = 0; i < MAX_NR_ZONES; i++)
			nz += populated_zone(&NODE_DATA(nid)->node_zones[i]);
	nz = clamp_t(u32, nz, 1, OOMDIAG_MAX_ZONES);
	return sizeof(struct rec_packed) + union_len_of(kind) +
	       OOMDIAG_STACK_DEPTH * sizeof(u64) + nz * sizeof(struct oomdiag_zone_snap) +
	       after_len(nz, min_t(u32, MIGRATE_TYPES, REC_MAX_MT));
}

int rec_ring_init(unsigned int size)
{
	unsigned int keep = reserved_size ?: max(size / 4, 16u);
	int err;

	if (keep < 16 || keep > 16384) {
		pr_err("reserved_size=%u out of range (16..16384)\n", keep);
		return -EINVAL;
	}
	err = part_alloc(&ring.part[RING_FAIL], size, part_budget(OOMDIAG_KIND_ALLOC_FAIL));
	if (err)
		return err;
	err = part_alloc(&ring.part[RING_KEEP], keep, part_budget(OOMDIAG_KIND_OOM_KILL));
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
