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

/*
 * The kill ledger of `oomdiag trace` (bpf/oomdiag.bpf.c, oom_kill): at
 * oom_kill_process() entry the OOM's domain is walked again (the memcg
 * subtree of oc->memcg, or every process) with oom_badness()'s formula and
 * oc->totalpages; the best OOMDIAG_LEDGER_ROWS candidates and the
 * OOMDIAG_LEDGER_EXEMPT largest exempt tasks go to the ring buffer as one
 * struct oomdiag_ledger_rec, just before the oom_kill event it belongs to
 * (same CPU, victim_pid).  Rows are unsorted: userspace ranks them as
 * module/ledger.c does (oom_task_origin first, then points, then the later
 * walked).  Told apart from struct oomdiag_event by size and magic.
 */
#define OOMDIAG_LEDGER_MAGIC	0x4c656467u	/* "gdeL" */
#define OOMDIAG_LEDGER_ROWS	8
#define OOMDIAG_LEDGER_EXEMPT	2
#define OOMDIAG_LEDGER_WALK_MAX	8192	/* processes walked at most (walk_truncated) */

/* = module/taskinfo.h enum oomdiag_exempt, same names in userspace */
enum oomdiag_ledger_exempt {
	OOMDIAG_LX_NONE, OOMDIAG_LX_INIT, OOMDIAG_LX_KTHREAD, OOMDIAG_LX_NO_MM,
	OOMDIAG_LX_ADJ_MIN, OOMDIAG_LX_OOM_SKIP, OOMDIAG_LX_VFORK, OOMDIAG_LX_VICTIM,
};

struct oomdiag_ledger_row {
	__u64 anon, file, shmem, swap, pgtables;	/* pages */
	__s64 points;		/* oom_badness(); only when has_points */
	__s64 adj_points;	/* oom_score_adj * (totalpages / 1000) */
	__u32 pid;		/* tgid */
	__u32 walk;		/* position in the walk */
	__s32 oom_score_adj;
	__u8 exempt;		/* enum oomdiag_ledger_exempt */
	__u8 origin;		/* oom_task_origin() */
	__u8 victim;		/* oc->chosen */
	__u8 has_mm;		/* a thread with an mm was found: the components are known */
	__u8 has_points;
	__u8 pad[7];
	char comm[16];
};

struct oomdiag_ledger_rec {
	__u32 magic;		/* OOMDIAG_LEDGER_MAGIC */
	__u32 cpu;
	__u64 ts_ns;
	__u64 totalpages;
	__u32 victim_pid;	/* oc->chosen's tgid */
	__u32 walked, candidates, exempt;
	__u32 nr_rows, nr_exempt;
	__u8 memcg;		/* domain: oc->memcg's subtree */
	__u8 constraint;	/* OOMDIAG_CONSTRAINT_* */
	__u8 nodes_checked;	/* cpuset/mempolicy eligibility known (memcg, or one node) */
	__u8 walk_truncated;	/* stopped at OOMDIAG_LEDGER_WALK_MAX */
	__u32 worst;		/* BPF scratch: index of the lowest-ranked row */
	struct oomdiag_ledger_row rows[OOMDIAG_LEDGER_ROWS];
	struct oomdiag_ledger_row ex[OOMDIAG_LEDGER_EXEMPT];
	/* BPF scratch, not read by userspace */
	__u64 oc_memcg_cgrp;	/* oc->memcg's struct cgroup *, 0: global */
	__u64 chosen;		/* oc->chosen */
};

#endif
