/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_TASKS_H
#define OOMDIAG_TASKS_H
/* The OOM badness ranking: module "tasks" view, or computed from /proc. */
#include <stdbool.h>
#include <stdint.h>

struct od_task {
	int pid;
	unsigned int uid;
	char comm[64];
	uint64_t anon_kb, file_kb, shmem_kb, swap_kb, pgtables_kb;
	int oom_score_adj;
	bool has_badness;
	int64_t badness;	/* pages, the kernel's oom_badness() */
	long oom_score;		/* /proc/PID/oom_score scale */
	char memcg[272];	/* memory cgroup path, whole (the module keeps 255 bytes) */
	bool memcg_truncated;	/* the module had to cut memcg */
	bool origin;		/* oom_task_origin(): swapoff/KSM unmerge, chosen first */
	int tie;		/* among equal points the kernel picks the lowest tie */
	char exempt[24];	/* "" when killable; "unkillable", "kthread", ... */
};

struct od_tasks {
	int nr, cap;
	struct od_task *t;
	char source[64];	/* "module tasks" or "/proc/PID/{oom_score,status}" */
	uint64_t totalpages;
	bool truncated;
};

/* 0 or -errno (err filled). Sorted: killable first, by badness/oom_score. */
int tasks_read(struct od_tasks *ts, bool no_module, char *err, size_t errlen);
/* Whether the OOM killer may choose @t (origin tasks even if exempt). */
bool task_killable(const struct od_task *t);
/*
 * The tasks of memcg @dom's subtree ranked as that memcg's OOM ranks them:
 * badness recomputed with @totalpages (mem_cgroup_get_max()), the kernel's
 * exemptions and order.  @out is a sorted copy (free with tasks_free).
 */
void tasks_rank_domain(const struct od_tasks *ts, const char *dom, uint64_t totalpages,
		       struct od_tasks *out);
int tasks_parse_module(struct od_tasks *ts, const char *text);
void tasks_sort(struct od_tasks *ts);
void tasks_free(struct od_tasks *ts);

#endif
