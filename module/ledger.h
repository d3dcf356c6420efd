/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kill ledger: at each oom_kill_process(), the top candidates of the
 * OOM's domain with their badness components, kept in a preallocated table
 * keyed by the oom_kill record's seq and printed under that record.
 */
#ifndef OOMDIAG_LEDGER_H
#define OOMDIAG_LEDGER_H

#include <linux/seq_file.h>
#include <linux/types.h>

struct oom_control;
struct oomdiag_ledger;

/*
 * [any, not NMI; the caller holds oom_lock: one writer] Take the next slot
 * (invalid until oomdiag_ledger_end()) and rank the domain of @oc into it.
 * Neither sleeps nor allocates.
 */
struct oomdiag_ledger *oomdiag_ledger_fill(const struct oom_control *oc);
/* [any] The slot now belongs to the record with @seq and @ts_ns. */
void oomdiag_ledger_end(struct oomdiag_ledger *l, u64 seq, u64 ts_ns);
/* [process] The ledger lines of the record @seq/@ts_ns, if it still has one. */
void oomdiag_ledger_show(struct seq_file *m, u64 seq, u64 ts_ns);
/*
 * [process] Before the hooks: the victims' command line workqueue.  Without
 * it, every victim_cmdline is "unavailable" (victim_cmdline.c).
 */
void oomdiag_ledger_init(void);
/* [process] After the hooks are gone: every capture finished, queue gone. */
void oomdiag_ledger_exit(void);

#endif /* OOMDIAG_LEDGER_H */
