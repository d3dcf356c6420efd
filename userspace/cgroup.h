/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_CGROUP_H
#define OOMDIAG_CGROUP_H
/*
 * Memory cgroups as OOM domains: where the hierarchy is mounted, a memcg's
 * limit as the OOM killer sizes it (mem_cgroup_get_max()), its kill
 * counters, and the container a cgroup path belongs to.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest cgroup path kept (the module's OOMDIAG_CGROUP_PATH_LEN is 256). */
#define OD_CGROUP_PATH_MAX 4096

/* What a cgroup path says about the container it belongs to. */
struct od_container {
	char unit[256];		/* innermost systemd unit (.service/.scope), "" if none */
	char runtime[16];	/* "docker", "containerd", "cri-o", "podman", "" */
	char id[72];		/* container id (hex), "" if none */
	char pod_uid[40];	/* Kubernetes pod UID with dashes, "" if none */
	char qos[16];		/* "guaranteed", "burstable", "besteffort", "" */
};

/* Parse a cgroup path (v1 or v2, systemd or cgroupfs driver). */
void cg_container(const char *path, struct od_container *c);
/* "pod=UID qos=Q container=RUNTIME:ID12 unit=U" (only what is known), or
 * "" when the path names nothing; returns buf. */
char *cg_container_str(const struct od_container *c, char *buf, size_t len);

/* A memory cgroup as its OOM sees it.  Sizes in kB, UINT64_MAX for "max". */
struct od_memcg {
	char path[OD_CGROUP_PATH_MAX];	/* relative to the hierarchy root, "/..." */
	bool v1;
	uint64_t limit_kb;		/* memory.max / memory.limit_in_bytes */
	uint64_t swap_kb;		/* swap the OOM counts (0 when swappiness 0) */
	uint64_t usage_kb;		/* memory.current / memory.usage_in_bytes */
	uint64_t totalpages;		/* mem_cgroup_get_max(), 0 when unlimited */
	int64_t oom_kill;		/* memory.events oom_kill (subtree), -1 unknown */
	int64_t oom_kill_local;		/* memory.events.local oom_kill, -1 unknown */
	int64_t oom_group_kill;		/* memory.events oom_group_kill, -1 unknown */
	bool oom_group;			/* memory.oom.group = 1 */
};

/*
 * @path (absolute under the mount, e.g. /sys/fs/cgroup/a, or relative to
 * the hierarchy root, e.g. /a) as a hierarchy-relative path into @rel.
 * 0, or -errno with @err filled.
 */
int cg_resolve(const char *path, char *rel, size_t len, char *err, size_t errlen);
/*
 * The cpuset of cgroup @path (as for cg_resolve, on the hierarchy the cpuset
 * controller is on): its hierarchy-relative path into @rel and the nodes its
 * tasks may allocate from (cpuset.mems.effective, v1 cpuset.effective_mems;
 * a v2 cgroup without the controller has its nearest ancestor's) as the
 * kernel's node list ("0-1,3") into @mems.  0, or -errno with @err filled.
 */
int cg_read_cpuset(const char *path, char *rel, size_t len, char *mems, size_t memslen,
		   char *err, size_t errlen);
/* Read memcg @rel (hierarchy-relative); 0 or -errno with @err filled. */
int cg_read_memcg(const char *rel, struct od_memcg *m, char *err, size_t errlen);
/* Every memcg of the hierarchy, root first, pre-order; *n of them. */
char **cg_list_memcgs(int *n);
void cg_free_list(char **l, int n);
/* Whether task path @p is @dom or below it. */
bool cg_in_subtree(const char *p, const char *dom);

/*
 * Kill accounting: the module's counters since it was armed against
 * /proc/vmstat oom_kill.  Filled by cg_read_kill_counts(); -1 unknown.
 */
struct od_kill_counts {
	int64_t recorded;		/* module: processes killed, each once */
	int64_t kills;			/* module: kills as the kernel counts them */
	int64_t recounted;		/* kills - recorded: group kills count the chosen twice */
	int64_t marked_only;		/* module: marked victim without a kill */
	int64_t vmstat_at_arm;		/* /proc/vmstat oom_kill when armed */
	int64_t vmstat_now;		/* /proc/vmstat oom_kill now */
	int64_t kernel;			/* vmstat_now - vmstat_at_arm */
};
/* 0, or -errno (module absent: only vmstat_now is filled). */
int cg_read_kill_counts(struct od_kill_counts *k);

/*
 * Per memory cgroup: kills the kernel counted there (memory.events.local
 * oom_kill on v2, memory.oom_control oom_kill on v1; -1 when the cgroup is
 * gone or is the v2 root) against the kill records in the module's ring
 * whose victim's own cgroup it is (oom_kill records and group_kill
 * oom_victim records: each victim once).  The kernel counts the chosen
 * victim of a group kill twice (oom_kill_memcg_member() kills it again):
 * an oom_kill record whose cgroup, or an ancestor up to the OOM domain,
 * has memory.oom.group=1 now counts in recounted too.  Sorted by path.
 */
struct od_cg_kills {
	char path[272];
	int64_t kernel;
	int64_t recorded;		/* victims, each once */
	int64_t recounted;		/* chosen victims of group kills: the kernel counts twice */
};
struct od_event_list;
/* Every memcg with a kill counted or recorded; returns how many (*out malloc'ed). */
int cg_reconcile(const struct od_event_list *el, struct od_cg_kills **out);

#endif
