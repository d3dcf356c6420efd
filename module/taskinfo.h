/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-task memory and OOM badness, computed the way the running kernel's
 * oom_badness() (mm/oom_kill.c) and /proc/PID/oom_score (fs/proc/base.c)
 * compute them.  Used by the "tasks" view and by the flight recorder's OOM
 * hooks.
 *
 * Context rules, per function:
 *   [any]     no sleeping, no allocation, no lock the page allocator or
 *             the OOM killer holds; usable from kprobe handlers and with
 *             irqs off (not from NMI: task_lock() is a spinlock).
 *   [process] may sleep (reads files); debugfs read handlers only.
 */
#ifndef OOMDIAG_TASKINFO_H
#define OOMDIAG_TASKINFO_H

#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include "oomdiag_event.h"

/* Why the OOM killer will not pick a task (the "exempt" column). */
enum oomdiag_exempt {
	OOMDIAG_EXEMPT_NONE = 0,	/* "-": a candidate */
	OOMDIAG_EXEMPT_INIT,		/* "init": is_global_init() */
	OOMDIAG_EXEMPT_KTHREAD,		/* "kthread": PF_KTHREAD */
	OOMDIAG_EXEMPT_NO_MM,		/* "no_mm": no thread has an mm (exiting) */
	OOMDIAG_EXEMPT_ADJ_MIN,		/* "adj_min": oom_score_adj -1000 */
	OOMDIAG_EXEMPT_OOM_SKIP,	/* "oom_skip": MMF_OOM_SKIP, already reaped */
	OOMDIAG_EXEMPT_VFORK,		/* "vfork": vfork child sharing the parent's mm */
	OOMDIAG_EXEMPT_VICTIM,		/* "oom_victim": already an OOM victim */
	OOMDIAG_EXEMPT_MAX
};

/*
 * One task as the OOM killer sees it.  Counters are in pages.  badness is
 * LONG_MIN when oom_badness() itself says "unkillable" (exempt init,
 * kthread, no_mm, adj_min, oom_skip, vfork); an oom_victim keeps its
 * badness (the kernel's formula ignores the flag, the selection loop does
 * not).
 */
struct oomdiag_taskinfo {
	pid_t pid;			/* tgid */
	uid_t uid;			/* in the initial user namespace */
	char comm[TASK_COMM_LEN];
	unsigned long anon;		/* MM_ANONPAGES */
	unsigned long file;		/* MM_FILEPAGES */
	unsigned long shmem;		/* MM_SHMEMPAGES */
	unsigned long swapents;		/* MM_SWAPENTS */
	unsigned long pgtables;		/* mm_pgtables_bytes() / PAGE_SIZE */
	short oom_score_adj;
	u8 exempt;			/* enum oomdiag_exempt */
	/*
	 * oom_task_origin(): swapoff or KSM unmerge running in this task.
	 * oom_evaluate_task() takes it first (points LONG_MAX) before
	 * oom_badness() is asked, so only init, kthread and oom_victim stop it.
	 */
	bool origin;
	long badness;
};

/*
 * [any] Fill @ti for thread group @p and return its badness with the
 * running kernel's oom_badness() formula for @totalpages (LONG_MIN when
 * unkillable).  Takes task_lock() of one thread (the kernel's
 * find_lock_task_mm()); the caller holds rcu_read_lock() or a reference
 * on @p.
 */
long oomdiag_task_badness(struct task_struct *p, unsigned long totalpages,
			  struct oomdiag_taskinfo *ti);

/* [any] The value /proc/PID/oom_score shows for @badness. */
unsigned long oomdiag_oom_score(long badness, unsigned long totalpages);

/*
 * [process] totalpages as /proc/PID/oom_score uses it: totalram_pages() +
 * total_swap_pages.  total_swap_pages is not exported: it is read as
 * SwapTotal of /proc/meminfo (equal to it except while a swapoff runs).
 */
unsigned long oomdiag_totalpages(void);

/*
 * [process] Swap pages as total_swap_pages counts them (not exported: read
 * as SwapTotal of /proc/meminfo; 0 without swap or on a failed read).
 */
unsigned long oomdiag_swap_pages(void);

/*
 * [any] The nodes oom_cpuset_eligible() (mm/oom_kill.c) tests for thread
 * group @p, over all its threads: the union of their mems_allowed into
 * @mems (a cpuset-constrained OOM, or any OOM but a memcg's: eligible when
 * it intersects the allocating task's mems_allowed), and the union of the
 * nodes of their memory policies that confine a mempolicy-constrained OOM
 * into @policy.  Returns true when some thread has no such policy: eligible
 * for any mempolicy OOM (@policy is then not complete).  Without
 * CONFIG_CPUSETS @mems is every possible node.  Caller holds
 * rcu_read_lock(); takes task_lock() of a thread that has a policy.
 */
bool oomdiag_task_nodes(struct task_struct *p, nodemask_t *mems,
			nodemask_t *policy);

/* [any] Name of an enum oomdiag_exempt value ("-" for none). */
const char *oomdiag_exempt_name(unsigned int exempt);

/*
 * [any] Whether @ti is the task oom_evaluate_task() would choose over any
 * task with a lower rank: not skipped, and origin or killable badness.
 */
bool oomdiag_task_candidate(const struct oomdiag_taskinfo *ti);

/*
 * [any, not NMI] Path of @cgrp into @buf, relative to the cgroup root (not
 * to the reader's cgroup namespace); "-" for none or on error.  Returns
 * OOMDIAG_PATH_WHOLE, OOMDIAG_PATH_TRUNCATED when @buf was too small (a
 * path of exactly @len - 1 bytes counts as cut too: cgroup_path() does not
 * tell the two apart on 6.1+), or a negative errno.
 */
#define OOMDIAG_PATH_WHOLE	0
#define OOMDIAG_PATH_TRUNCATED	1
struct cgroup;
int oomdiag_cgroup_path(struct cgroup *cgrp, char *buf, size_t len);

/*
 * [any, not NMI] oomdiag_cgroup_path() of @p's memory cgroup ("/" for the
 * root, "-" when the memory controller is off).  Caller holds
 * rcu_read_lock().
 */
int oomdiag_task_memcg_path(struct task_struct *p, char *buf, size_t len);

/*
 * [any] The id of @p's memory cgroup (cgroup_id(), unique while the system
 * runs), 0 when the memory controller is off.  Caller holds rcu_read_lock().
 */
u64 oomdiag_task_memcg_id(struct task_struct *p);

/*
 * [any] @src with the debugfs text convention into @dst (@len bytes, at
 * least 5): space, tab, newline, backslash and non-printable bytes as
 * \xHH; "-" when empty; cut at a whole character when @dst is full.
 * Returns @dst.  4 * strlen(@src) + 1 bytes always suffice.
 */
char *oomdiag_escape(char *dst, size_t len, const char *src);

/* [any] oomdiag_escape() into @m, for @s up to OOMDIAG_CGROUP_PATH_LEN. */
void oomdiag_seq_put_escaped(struct seq_file *m, const char *s);

#endif /* OOMDIAG_TASKINFO_H */
