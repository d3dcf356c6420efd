/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_TASKS_H
#define OOMDIAG_TASKS_H
/* The OOM badness ranking: module "tasks" view, or computed from /proc. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Node masks: the kernel's MAX_NUMNODES on Debian (NODES_SHIFT 10). */
#define OD_MAX_NODES 1024
#define OD_NODE_WORDS (OD_MAX_NODES / 64)
typedef struct {
	uint64_t w[OD_NODE_WORDS];
} od_nodemask;

/* A node list as the kernel prints it ("0-1,3", "" for none) into @m; 0 or -1. */
int nodelist_parse(const char *s, od_nodemask *m);
/* @m as a node list into @buf ("" for none); returns buf. */
char *nodelist_str(const od_nodemask *m, char *buf, size_t len);
bool nodes_intersect(const od_nodemask *a, const od_nodemask *b);
bool nodes_empty(const od_nodemask *m);
bool node_isset(const od_nodemask *m, int nid);

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
	/*
	 * What oom_cpuset_eligible() tests, over all threads: the union of
	 * their mems_allowed (has_mems false: unknown, counted eligible), and
	 * of the nodes of their memory policies that confine a mempolicy OOM
	 * (policy_any: some thread has none, or unknown: eligible for any).
	 */
	bool has_mems;
	bool policy_any;
	od_nodemask mems;
	od_nodemask policy;
};

struct od_tasks {
	int nr, cap;
	struct od_task *t;
	char source[64];	/* "module tasks" or "/proc/PID/{oom_score,status}" */
	uint64_t totalpages;
	bool truncated;
	/* For cpuset and mempolicy OOMs (constrained_alloc()): swap pages and
	 * node_present_pages() per node (nodes_known: which were read). */
	uint64_t swap_pages;
	bool has_nodes;
	od_nodemask nodes_known;
	uint64_t *node_present;	/* OD_MAX_NODES entries, or NULL */
	bool mems_from_proc;	/* mems from /proc/PID/status (the main thread's) */
	bool policy_known;	/* the module said which tasks a mempolicy confines */
};

/* How a node-constrained OOM picks its candidates (oom_cpuset_eligible()). */
enum od_node_constraint {
	OD_CONSTRAINT_CPUSET,		/* tasks whose mems_allowed intersect the nodes */
	OD_CONSTRAINT_MEMPOLICY,	/* tasks no mempolicy confines away from them */
};
/*
 * totalpages of a cpuset or mempolicy OOM on @nodes: total swap pages plus
 * node_present_pages() of each node (constrained_alloc()).  0 and *missing
 * set to the first node whose size is unknown (not a node of this machine).
 */
uint64_t tasks_nodes_totalpages(const struct od_tasks *ts, const od_nodemask *nodes,
				int *missing);
/*
 * The tasks a cpuset or mempolicy constrained OOM on @nodes would rank,
 * ranked with @totalpages as in tasks_rank_domain().
 */
void tasks_rank_nodes(const struct od_tasks *ts, const od_nodemask *nodes,
		      enum od_node_constraint how, uint64_t totalpages, struct od_tasks *out);

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
/*
 * The module's binary view "tasks.bin" (@len bytes, docs/debugfs.md) into
 * @ts, sorted as tasks_parse_module() sorts the text view; -1 when it is
 * not a version this binary reads (the caller falls back to "tasks").
 */
int tasks_parse_bin(struct od_tasks *ts, const char *buf, size_t len);

/* tasks.bin, version 1: header, nr_nodes nodes, nr_tasks records, nr_memcgs paths. */
#define OD_TASKS_BIN_VERSION 1
#define OD_TASKS_BIN_NO_MEMCG 0xffff
struct od_tasks_bin_hdr {
	char magic[8];		/* "OOMDTASK" */
	uint32_t version, hdr_size, rec_size, nr_tasks, node_words, nr_nodes;
	uint32_t nr_memcgs, memcg_len, nr_exempt, truncated, memcg_overflow, nr_batches;
	uint64_t totalpages, swap_pages, walk_ns, rcu_max_ns;
	uint64_t nodes_off, tasks_off, memcgs_off;
};
struct od_tasks_bin_node {
	uint32_t nid, pad;
	uint64_t present_pages;
};
struct od_tasks_bin_rec {
	int32_t pid;
	uint32_t uid;
	char comm[16];		/* NUL-padded, not escaped */
	uint64_t anon_kb, file_kb, shmem_kb, swap_kb, pgtables_kb;
	int64_t badness;	/* INT64_MIN: none */
	uint64_t oom_score;
	int16_t oom_score_adj;
	uint8_t exempt;		/* 0 none, init, kthread, no_mm, adj_min, oom_skip, vfork, oom_victim */
	uint8_t origin, memcg_truncated, policy_unbound;
	uint16_t memcg;		/* index of its path, or OD_TASKS_BIN_NO_MEMCG ("?") */
	/* then uint64_t mems_allowed[node_words], mempolicy[node_words] */
};
/* The exempt column's word for a record's exempt ("" for none, "?" unknown). */
const char *tasks_bin_exempt_name(unsigned int exempt);
void tasks_sort(struct od_tasks *ts);
void tasks_free(struct od_tasks *ts);

#endif
