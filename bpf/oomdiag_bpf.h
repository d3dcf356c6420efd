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
	OOMDIAG_HIST_ALLOC = 0,		/* page allocator entry function, entry to return */
	OOMDIAG_HIST_RECLAIM = 1,	/* direct reclaim begin to end */
	OOMDIAG_HIST_KINDS
};

struct oomdiag_hist {
	__u64 slots[OOMDIAG_HIST_SLOTS];
	__u64 count;
	__u64 sum_ns;
	__u64 max_ns;
};

#endif
