/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flight recorder internals: the ring (ring.c), the hooks (hooks_*.c) and
 * the debugfs files (recorder.c).
 *
 * A hook fills a struct oomdiag_event in a per-CPU, per-context scratch
 * buffer (rec_begin()), or in its kretprobe instance, then copies it into
 * the ring with rec_commit(): a raw spinlock, irqs saved, held only for the
 * copy.  Hooks never allocate, sleep, print or take an allocator lock.
 */
#ifndef OOMDIAG_RECORDER_H
#define OOMDIAG_RECORDER_H

#include <linux/bits.h>
#include <linux/kprobes.h>
#include <linux/mmzone.h>
#include <linux/types.h>

#include "oomdiag.h"

/* Migratetypes kept per zone and order by the worker (enum migratetype). */
#define REC_MAX_MT		6
/* Free-list entries counted per list before giving up (as pagetypeinfo). */
#define REC_MT_WALK_CAP		100000

/* What the worker must attach to a record after it was committed. */
#define REC_AFTER_ZONES		0x1	/* per-migratetype free blocks */
#define REC_AFTER_VM		0x2	/* overcommit and map count sysctls */

/* rec_meta.after_state */
enum rec_after_state {
	REC_AFTER_NONE = 0,
	REC_AFTER_PENDING,
	REC_AFTER_DONE,
};

struct rec_meta {
	const char *hook;	/* static name of the hook that made it */
	u32 after_want;		/* REC_AFTER_* */
	u32 after_state;	/* enum rec_after_state */
};

/* Taken by the worker right after the event. */
struct rec_after {
	u64 delay_ns;			/* worker time minus event time */
	u32 nr_zones;
	u32 nr_mt;
	u32 truncated;			/* a list walk hit REC_MT_WALK_CAP */
	u32 vm_ok;			/* the sysctls below were read */
	u32 mt_free[OOMDIAG_MAX_ZONES][REC_MAX_MT][OOMDIAG_NR_ORDERS];
	u64 max_map_count;
	u64 overcommit_mode;
	u64 overcommit_ratio;
	u64 overcommit_kbytes;
	u64 commit_limit_pages;
};

/* A record as rec_ring_get() decodes it (the ring stores what it needs). */
struct oomdiag_rec {
	struct oomdiag_event ev;
	struct rec_meta meta;
	struct rec_after after;
};

/*
 * Scratch or kretprobe-instance storage of a record being built.  The
 * struct oomdiag_event that rec_fill_common() and rec_stack() take is
 * always the ev of one of these.
 */
struct rec_build {
	struct oomdiag_event ev;
	struct rec_meta meta;
	u32 busy;
};

/* Counters shown in the events header. */
struct rec_stats {
	atomic64_t lost;	/* overwritten by newer records (both parts) */
	atomic64_t dropped;	/* never stored: scratch busy, lock contended */
};

extern struct rec_stats rec_stats;

/* ring.c */
int rec_ring_init(unsigned int size);
void rec_ring_exit(void);
unsigned int rec_ring_size(void);
struct rec_build *rec_begin(unsigned int kind);
void rec_fill_common(struct oomdiag_event *ev, unsigned int kind);
void rec_cancel(struct rec_build *b);
void rec_commit(struct rec_build *b);
void rec_ring_clear(void);
/* Copy the record @seq (or the next still present) to @out; false when none. */
bool rec_ring_get(u64 seq, struct oomdiag_rec *out);
/* The oldest seq in either part of the ring (next when empty), and the next. */
void rec_ring_bounds(u64 *first, u64 *next);
/* Records in the ring now (both parts): at most next - first. */
u64 rec_ring_count(void);
u32 rec_ring_pending(u64 *from, u64 *to);
/*
 * Attach @a to the pending records of [from, to); @fixup, under the ring
 * lock, may update a record's union member (@info) from @a.
 */
void rec_ring_attach(u64 from, u64 to, const struct rec_after *a, u64 now_ns,
		     void (*fixup)(unsigned int kind, void *info, const struct rec_after *a));
/* "# ring ..." header line: record and ring size, longest lock holds. */
void rec_ring_print(struct seq_file *m);
unsigned int rec_context(void);
void rec_stack(struct oomdiag_event *ev, unsigned long func, unsigned long ret);
/*
 * The "  stack ..." lines of a record: never a raw kernel address; frames of
 * a module unloaded since the record was taken as named before it went.
 */
void rec_put_stack(struct seq_file *m, const struct oomdiag_rec *r);
void rec_snap(struct oomdiag_event *ev);

/* recorder.c: wake the worker (any context; called by rec_commit()). */
void rec_after_kick(void);

/* A hook with its attach state, listed in the events header. */
struct rec_hook {
	const char *name;		/* "slowpath", "warn_alloc", ... */
	const char * const *symbols;	/* candidates, first that attaches wins */
	struct kretprobe *krp;		/* kretprobe, or NULL ... */
	struct kprobe *kp;		/* ... kprobe */
	const char *attached;		/* symbol attached, NULL if none */
	int err;			/* last registration error */
	unsigned long missed;		/* nmissed of earlier registrations */
	atomic64_t hits;		/* records this hook produced */
};

/* hooks_*.c: registration, each returns the number of hooks attached. */
int rec_hooks_alloc_register(void);
void rec_hooks_alloc_unregister(void);
int rec_hooks_oom_register(void);
void rec_hooks_oom_unregister(void);
int rec_hooks_vm_register(void);
void rec_hooks_vm_unregister(void);

int rec_hook_register(struct rec_hook *h);
void rec_hook_unregister(struct rec_hook *h);
void rec_hook_print(struct seq_file *m, struct rec_hook *h);

/* Tracepoints found by name (tracepoints are not exported as symbols). */
struct rec_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
	int err;
	atomic64_t hits;
};

int rec_tp_register(struct rec_tp *t);
void rec_tp_unregister(struct rec_tp *t);
void rec_tp_print(struct seq_file *m, struct rec_tp *t);

/* Header lines of each hook file, printed by the events file. */
void rec_hooks_alloc_print(struct seq_file *m);
void rec_hooks_oom_print(struct seq_file *m);
/* hooks_oom.c: indented lines of its own under an oom_kill/oom_victim record. */
void rec_oom_show_lines(struct seq_file *m, const struct oomdiag_rec *r);
void rec_hooks_vm_print(struct seq_file *m);

/*
 * Calls in flight per task (calls.c): whether a hook further down the same
 * call already recorded (or deferred) a refusal, whether warn_alloc printed.
 * Hashed by task, state kept in the slot, never in kretprobe instance data.
 */
#define REC_CALL_BUCKET_BITS	6
#define REC_CALL_BUCKETS	BIT(REC_CALL_BUCKET_BITS)
#define REC_CALL_WAYS		4

/* rec_call.state: bits the hooks set, and the deferred refusal below. */
#define REC_CALL_DEFERRED	BIT(31)

struct rec_deferred {
	u32 reason;		/* enum oomdiag_vm_reason */
	u64 pages;
	u64 limit;
	u64 usage;
};

struct rec_call {
	struct task_struct *task;	/* owner, NULL when free */
	u32 ctx;			/* rec_context() at entry */
	u32 state;
	struct rec_deferred deferred;	/* valid with REC_CALL_DEFERRED */
};

struct rec_call_bucket {
	struct rec_call slot[REC_CALL_WAYS];
} ____cacheline_aligned;

struct rec_calls {
	struct rec_call_bucket buckets[REC_CALL_BUCKETS];
	atomic64_t full;		/* calls not tracked: bucket full */
};

/* A slot for current's call, NULL (counted) when its bucket is full. */
struct rec_call *rec_call_enter(struct rec_calls *tab);
void rec_call_exit(struct rec_call *c);
/* Set and clear bits in every call of current at its context level; how many. */
unsigned int rec_call_update(struct rec_calls *tab, u32 set, u32 clear);
/* Leave a refusal to the outer call's return; how many calls took it. */
unsigned int rec_call_defer(struct rec_calls *tab, const struct rec_deferred *d);
/* Only with the table's hooks unregistered: forget orphaned calls. */
void rec_calls_reset(struct rec_calls *tab);
void rec_calls_print(struct seq_file *m, const char *name, struct rec_calls *tab);

/* Slow-path latency per order (hooks_alloc.c), shown in the header. */
extern unsigned long rec_slow_alloc_ns;

#endif /* OOMDIAG_RECORDER_H */
