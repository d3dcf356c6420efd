/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Maps and counters shared by bpf/oomdiag.bpf.c and userspace/trace.c
 * (besides struct oomdiag_event, which is in include/oomdiag_event.h).
 */
#ifndef OOMDIAG_BPF_H
#define OOMDIAG_BPF_H

#define OOMDIAG_HIST_SLOTS	32	/* log2(ns) buckets */
#define OOMDIAG_HIST_ORDERS	12	/* orders 0..10, 11 = "above 10" */

/* hist map index = kind * OOMDIAG_HIST_ORDERS + order */
enum oomdiag_hist_kind {
	OOMDIAG_HIST_ALLOC = 0,		/* --latency: allocator entry function, entry to return */
	OOMDIAG_HIST_RECLAIM = 1,	/* direct reclaim begin to end */
	OOMDIAG_HIST_STALL = 2,		/* first reclaim/compaction of a request to its return */
	OOMDIAG_HIST_KINDS
};

struct oomdiag_hist {
	__u64 slots[OOMDIAG_HIST_SLOTS];
	__u64 count;
	__u64 sum_ns;
	__u64 max_ns;
};

/*
 * Per-thread tables whose inserts can fail when full: every failure is
 * counted in map_full[] (nothing is lost silently).
 */
enum oomdiag_table {
	OOMDIAG_TABLE_STALL,		/* stall_start: requests in their slow path */
	OOMDIAG_TABLE_LATENCY,		/* lat_start: --latency entry times */
	OOMDIAG_TABLE_WARN,		/* warn_start: warn_alloc() calls in flight */
	OOMDIAG_TABLE_VM,		/* vm_start: __vm_enough_memory() (kprobe fallback) */
	OOMDIAG_TABLE_BURSTS,		/* bursts: aggregation keys */
	OOMDIAG_TABLE_SLOW,		/* slow_req: slow path calls in flight (LRU) */
	OOMDIAG_TABLE_MAX
};

/*
 * Bursts: failures of one kind with the same flags, gfp, order and stack
 * are counted under one key; the first "samples" of each key are also
 * sent as events, the rest only counted (aggregated[kind]).
 */
struct oomdiag_burst_key {
	__u32 kind;
	__u32 flags;
	__u32 gfp;
	__u32 order;
	__u64 stack_hash;
};

#define OOMDIAG_BURST_STACK	16	/* = OOMDIAG_STACK_DEPTH */

struct oomdiag_burst {
	__u64 count;
	__u64 first_ns;
	__u64 last_ns;
	__u32 pid;			/* first task seen */
	__u32 tgid;
	char comm[16];
	__u32 nr_stack;
	__u32 pad;
	__u64 stack[OOMDIAG_BURST_STACK];
};

#endif
