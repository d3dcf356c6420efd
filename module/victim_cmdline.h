/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OOM victim's parent chain and command line, kept in its kill ledger
 * slot (ledger.c).  victim_cmdline.c says how and why.
 */
#ifndef OOMDIAG_VICTIM_CMDLINE_H
#define OOMDIAG_VICTIM_CMDLINE_H

#include <linux/atomic.h>
#include <linux/irq_work.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define OOMDIAG_CMDLINE_LEN	512
#define OOMDIAG_PARENTS		8

/* The work's result; PENDING until it ran ("victim_cmdline" not shown). */
enum oomdiag_cmdline_state {
	OOMDIAG_CMDLINE_PENDING = 0,
	OOMDIAG_CMDLINE_OK,
	OOMDIAG_CMDLINE_TRUNCATED,
	OOMDIAG_CMDLINE_GONE,
	OOMDIAG_CMDLINE_UNAVAILABLE,
};

struct oomdiag_parent {
	pid_t pid;			/* tgid */
	char comm[TASK_COMM_LEN];
};

struct oomdiag_victim {
	/* Written by the hook (one writer: oom_lock), with the slot. */
	u8 nr_parents;
	bool queued;			/* else the record's state is unavailable */
	struct oomdiag_parent parents[OOMDIAG_PARENTS];
	/*
	 * Owned by the work from queueing until it clears @busy, even if the
	 * slot is taken by a newer record meanwhile (which then gets no
	 * command line: @queued false).
	 */
	atomic_t busy;
	u8 state;			/* enum oomdiag_cmdline_state, release */
	u16 bytes;
	struct mm_struct *mm;		/* mm_users held from hook to work end */
	struct irq_work iw;
	struct work_struct work;
	char buf[OOMDIAG_CMDLINE_LEN];
};

/* [process] Create the workqueue; without it every victim is "unavailable". */
void oomdiag_victim_wq_init(void);
/* [process] After the hooks are gone: wait for every capture, drop the queue. */
void oomdiag_victim_wq_exit(void);
/* [process] Once per slot, before any hook runs. */
void oomdiag_victim_init(struct oomdiag_victim *v);
/* [process] Once per slot, after the hooks are gone (before the queue goes). */
void oomdiag_victim_sync(struct oomdiag_victim *v);
/*
 * [any, not a real NMI; the caller holds oom_lock] Take @p's parent chain
 * and, unless the slot's previous capture still runs, a reference on its
 * mm for the work that reads the command line.  No sleeping, no allocation.
 */
void oomdiag_victim_capture(struct oomdiag_victim *v, struct task_struct *p);
/*
 * [process] The two lines of a copy @c of a slot whose live state was
 * @state (read with acquire before the copy).
 */
void oomdiag_victim_show(struct seq_file *m, const struct oomdiag_victim *c, u8 state);
/* [any] The live state of a slot, to pass to oomdiag_victim_show(). */
u8 oomdiag_victim_state(const struct oomdiag_victim *v);
/* [process] " cmdline_read=N cmdline_gone=N cmdline_unavailable=N" (totals). */
void oomdiag_victim_show_counts(struct seq_file *m);

#endif /* OOMDIAG_VICTIM_CMDLINE_H */
