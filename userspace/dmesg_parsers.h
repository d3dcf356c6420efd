/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_DMESG_PARSERS_H
#define OOMDIAG_DMESG_PARSERS_H
/*
 * One parser per kernel printer, each reading the lines of that printer
 * into struct lp_report; logparse.c decides which report a line belongs to
 * (dmesg_classify.h says what the line is).  A kernel that changes one
 * printer's format changes one of these files:
 *
 *   dmesg_dump_header.c  mm/oom_kill.c dump_header(): "invoked oom-killer",
 *                        the cpuset line, "CPU: N PID: N Comm:"
 *   dmesg_warn_alloc.c   mm/page_alloc.c warn_alloc(), warn_alloc_failed(),
 *                        the allocation stall warning, mm/vmalloc.c
 *   dmesg_show_mem.c     show_free_areas()/__show_mem(): Mem-Info, zones,
 *                        buddy lines, swap, "pages RAM", unreclaimable slab
 *   dmesg_tasks.c        dump_tasks(): the task table of each era
 *   dmesg_memcg.c        mm/memcontrol.c: usage, limits, stats, "Task in"
 *   dmesg_kill.c         oom_kill_process()/__oom_kill_process(): the kill
 *                        lines, "oom-kill:", panics
 *   dmesg_ratelimit.c    lib/ratelimit.c, printk: "callbacks suppressed"
 */
#include <stdbool.h>
#include "logparse.h"

/* dmesg_dump_header.c */
void dmesg_parse_gfp(struct lp_report *r, const char *v);
void dmesg_parse_mems(struct lp_report *r, const char *msg);
/* "COMM invoked oom-killer: gfp_mask=.., order=N, oom_score_adj=N"; at: the match */
void dmesg_oom_header(struct lp_report *r, const char *msg, const char *at);
void dmesg_cpu_line(struct lp_report *r, const char *msg);

/* dmesg_warn_alloc.c */
/* "COMM: page allocation failure: order:N, mode:0x..": at points at ": " */
void dmesg_alloc_header(struct lp_report *r, const char *msg, const char *at, bool vmalloc);
/* "COMM: page allocation stalls for Nms, order:N, mode:0x.." (4.11-4.14) */
void dmesg_stall_header(struct lp_report *r, const char *msg, const char *at);
/* The vmalloc facts of one line into the given fields. */
void dmesg_vmalloc_facts(const char *at, long long *size, long long *allocated, char *reason,
			 size_t reason_len);

/* dmesg_show_mem.c */
enum dmesg_zone_shape { DZ_NONE, DZ_ZONE, DZ_BUDDY, DZ_NODE };
/* Which show_free_areas() line msg is: "[Node N ]NAME free:..min:..", "[Node N ]NAME: N*4kB..",
 * "Node N counter:.."; node (-1 none), the zone name [name, end). */
enum dmesg_zone_shape dmesg_zone_shape(const char *msg, long long *node, const char **name,
				       const char **end);
/* zone, buddy and node lines; false if the line is none of them */
bool dmesg_zone_or_buddy(struct lp_report *r, const char *msg);
void dmesg_lowmem_reserve(struct lp_report *r, const char *msg);
void dmesg_meminfo(struct lp_report *r, const char *msg);
void dmesg_swap(struct lp_report *r, const char *msg);
void dmesg_pages(struct lp_report *r, const char *msg);
void dmesg_hugepages(struct lp_report *r, const char *msg);
bool dmesg_slab_row(struct lp_report *r, const char *msg);

/* dmesg_tasks.c */
#define DMESG_TASK_COLS 16
struct dmesg_task_cols {
	int cols[DMESG_TASK_COLS];
	int nr;
	bool have;
};
void dmesg_task_header(struct dmesg_task_cols *tc, struct lp_report *r, const char *msg);
bool dmesg_task_row(const struct dmesg_task_cols *tc, struct lp_report *r, const char *msg);

/* dmesg_memcg.c */
void dmesg_memcg_usage(struct lp_report *r, const char *msg);
/* cgroup v1 one-line stats, or one cgroup2 "anon 1234" line (v2) */
bool dmesg_memcg_stat(struct lp_report *r, const char *msg, bool v2);
/* "Memory cgroup stats for /a:"; true when cgroup2 stat lines follow */
bool dmesg_memcg_stats_header(struct lp_report *r, const char *msg);
/* "Task in /a killed as a result of limit of /b"; at: " killed as a result..." */
void dmesg_task_in(struct lp_report *r, const char *msg, const char *at);

/* dmesg_kill.c */
/* "Killed process N (comm) total-vm:.."; k after "Killed process " */
void dmesg_victim_killed(struct lp_report *r, const char *k);
/* "Kill process N (comm) score N or sacrifice child"; k at the pid */
void dmesg_victim_selected(struct lp_report *r, const char *k);
void dmesg_oom_kill_line(struct lp_report *r, const char *msg);
void dmesg_panic(struct lp_report *r, const char *msg);

/* dmesg_ratelimit.c */
struct dmesg_suppressed {
	long long warn_alloc, oom, other;
};
/* "FUNC: N callbacks suppressed", "printk: N messages suppressed" */
void dmesg_suppressed(const char *msg, struct dmesg_suppressed *s);

#endif
