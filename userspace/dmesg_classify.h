/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_DMESG_CLASSIFY_H
#define OOMDIAG_DMESG_CLASSIFY_H
#include <stdbool.h>
/*
 * What one kernel message (its prefix stripped) is, by its text alone:
 * the start of a report, a line of one of the printers inside a report,
 * a boot boundary, or nothing the parser reads.  Lines whose meaning
 * depends on the section they are in (task rows, cgroup2 stat lines, slab
 * rows, Mem-Info counters) are DL_OTHER here; logparse.c reads them by its
 * section state.
 */

enum dmesg_line {
	DL_OTHER,
	/* report headers */
	DL_OOM_HEADER,		/* "COMM invoked oom-killer: " (at: that match) */
	DL_ALLOC_HEADER,	/* "COMM: page allocation failure: order:N, mode:" (at: ": ") */
	DL_STALL_HEADER,	/* "COMM: page allocation stalls for Nms, order:" (at: ": ") */
	DL_VMALLOC_HEADER,	/* "COMM: vmalloc error: size N, .., mode:" (at: ": ") */
	DL_VMALLOC,		/* a vmalloc line waiting for its header */
	DL_VMAP,		/* "vmap allocation for size N failed" */
	/* before a report */
	DL_SUPPRESSED,		/* "FUNC: N callbacks suppressed" */
	DL_SYSRQ_OOM,		/* "sysrq: Manual OOM execution" */
	/* boot boundaries */
	DL_BANNER,		/* "Linux version X ..." */
	DL_BOOT,		/* journalctl "-- Boot ID --", "-- Reboot --" */
	DL_OOM_DISABLED,	/* "OOM killer disabled." (suspend freezer, until "enabled.") */
	DL_OOM_ENABLED,		/* "OOM killer enabled." */
	/* OOM tail, which may start a report whose header was lost */
	DL_KILLED,		/* "Killed process N" (at: after "Killed process ") */
	DL_KILL_SELECT,		/* "Kill process N (c) score N or sacrifice child" (at: the pid) */
	DL_OOM_KILL,		/* "oom-kill:constraint=.." */
	DL_TASK_IN,		/* "Task in /a killed as a result of limit of /b" (at: " killed as") */
	DL_NO_KILLABLE,		/* "Out of memory and no killable processes..." */
	/* report body */
	DL_CPU,			/* "CPU: N PID: N Comm: ..", "Pid: N, comm: .." */
	DL_MEMINFO,		/* "Mem-Info:" */
	DL_ZONE,		/* zone, buddy and node lines of show_free_areas() */
	DL_LOWMEM,		/* "lowmem_reserve[]:" */
	DL_SWAP,		/* "Free swap  = ", "Total swap = " */
	DL_PAGES,		/* "N pages RAM", "N total pagecache pages" */
	DL_HUGEPAGES,		/* "Node 0 hugepages_total=.." */
	DL_MEMCG_USAGE,		/* "memory: usage", "memory+swap: usage", "swap: ", "kmem: " */
	DL_MEMCG_STATS,		/* "Memory cgroup stats for /a:" */
	DL_SLAB_HEADER,		/* "Unreclaimable slab info:" */
	DL_TASKS_STATE,		/* "Tasks state (memory values in pages):" (4.19+, OOM only) */
	DL_TASKS_HEADER,	/* "[  pid  ]   uid  tgid total_vm ..." */
	DL_GROUP_KILL,		/* "Tasks in /a are going to be killed due to memory.oom.group set" */
	DL_PANIC,		/* "Kernel panic - not syncing" */
	DL_MEMCG_STACK,		/* a stack frame of a memcg OOM (mem_cgroup_out_of_memory, ..._oom_synchronize) */
	DL_CPUSET,		/* "COMM cpuset=/ mems_allowed=0" (before 4.19) */
	DL_NOISE,		/* report lines without facts ("Call Trace:", "Out of memory: ...") */
};

struct dmesg_class {
	enum dmesg_line kind;
	const char *at;		/* where the kind's words start, see above */
};

/* in_report: a report is open (outside one, only report starts are looked for) */
void dmesg_classify(const char *msg, bool in_report, struct dmesg_class *c);

/* A line that can continue a report whose first lines are not in the log. */
bool dmesg_body_start(const char *msg);

#endif
