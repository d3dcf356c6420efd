// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task memory and OOM badness with the running kernel's formula.
 *
 * oom_badness() is not exported, so this is the same computation
 * (mm/oom_kill.c, identical from v5.9 to v7.2 except for how the rss
 * counters are read, see compat.h):
 *
 *   unkillable (LONG_MIN): global init, kernel threads, no thread with an
 *   mm, oom_score_adj == -1000, MMF_OOM_SKIP, in_vfork();
 *   otherwise rss + swap entries + page tables (pages)
 *             + oom_score_adj * (totalpages / 1000).
 *
 * oom_evaluate_task() (same in v5.10 to v7.2) asks oom_badness() only after
 * two checks of its own: an OOM victim without MMF_OOM_SKIP aborts the
 * selection, and an oom_task_origin() task is chosen with LONG_MAX points
 * whatever its badness.  Equal points: the later task in the walk wins.
 */
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/memcontrol.h>
#include <linux/mempolicy.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/uidgid.h>

#include "compat.h"
#include "taskinfo.h"
#include "views.h"

static const char * const exempt_names[OOMDIAG_EXEMPT_MAX] = {
	[OOMDIAG_EXEMPT_NONE] = "-",
	[OOMDIAG_EXEMPT_INIT] = "init",
	[OOMDIAG_EXEMPT_KTHREAD] = "kthread",
	[OOMDIAG_EXEMPT_NO_MM] = "no_mm",
	[OOMDIAG_EXEMPT_ADJ_MIN] = "adj_min",
	[OOMDIAG_EXEMPT_OOM_SKIP] = "oom_skip",
	[OOMDIAG_EXEMPT_VFORK] = "vfork",
	[OOMDIAG_EXEMPT_VICTIM] = "oom_victim",
};

const char *oomdiag_exempt_name(unsigned int exempt)
{
	return exempt < OOMDIAG_EXEMPT_MAX ? exempt_names[exempt] : "?";
}

/*
 * The part of oom_badness() under task_lock() of the thread find_lock_task_mm()
 * (not exported) finds: false when @t has no mm.  Caller holds RCU.
 */
static bool read_task_mm(struct task_struct *t, struct oomdiag_taskinfo *ti)
{
	struct mm_struct *mm;
	long adj;

	task_lock(t);
	mm = t->mm;
	if (!mm) {
		task_unlock(t);
		return false;
	}
	ti->anon = oomdiag_mm_counter(mm, MM_ANONPAGES);
	ti->file = oomdiag_mm_counter(mm, MM_FILEPAGES);
	ti->shmem = oomdiag_mm_counter(mm, MM_SHMEMPAGES);
	ti->swapents = oomdiag_mm_counter(mm, MM_SWAPENTS);
	ti->pgtables = mm_pgtables_bytes(mm) / PAGE_SIZE;
	adj = (long)t->signal->oom_score_adj;
	ti->oom_score_adj = adj;
	if (adj == OOM_SCORE_ADJ_MIN)
		ti->exempt = OOMDIAG_EXEMPT_ADJ_MIN;
	else if (oomdiag_mm_flag(mm, MMF_OOM_SKIP))
		ti->exempt = OOMDIAG_EXEMPT_OOM_SKIP;
	else if (in_vfork(t))
		ti->exempt = OOMDIAG_EXEMPT_VFORK;
	task_unlock(t);
	return true;
}

long oomdiag_task_badness(struct task_struct *p, unsigned long totalpages,
			  struct oomdiag_taskinfo *ti)
{
	struct task_struct *t;
	bool found = false;
	long points, adj;

	memset(ti, 0, sizeof(*ti));
	ti->badness = LONG_MIN;
	rcu_read_lock();
	ti->pid = task_tgid_nr(p);
	ti->uid = from_kuid(&init_user_ns, task_uid(p));
	strscpy(ti->comm, p->comm, sizeof(ti->comm));
	ti->oom_score_adj = READ_ONCE(p->signal->oom_score_adj);

	if (is_global_init(p)) {
		ti->exempt = OOMDIAG_EXEMPT_INIT;
		goto out;
	}
	if (p->flags & PF_KTHREAD) {
		ti->exempt = OOMDIAG_EXEMPT_KTHREAD;
		goto out;
	}
	ti->origin = oom_task_origin(p);
	for_each_thread(p, t) {
		found = read_task_mm(t, ti);
		if (found)
			break;
	}
	if (!found)
		ti->exempt = OOMDIAG_EXEMPT_NO_MM;
	if (ti->exempt)
		goto out;

	points = ti->anon + ti->file + ti->shmem + ti->swapents + ti->pgtables;
	/* Same types and order as the kernel: adj *= totalpages / 1000. */
	adj = ti->oom_score_adj;
	adj *= totalpages / 1000;
	points += adj;
	ti->badness = points;
	if (tsk_is_oom_victim(p))
		ti->exempt = OOMDIAG_EXEMPT_VICTIM;
out:
	rcu_read_unlock();
	return ti->badness;
}

bool oomdiag_task_candidate(const struct oomdiag_taskinfo *ti)
{
	if (ti->exempt == OOMDIAG_EXEMPT_INIT ||
	    ti->exempt == OOMDIAG_EXEMPT_KTHREAD ||
	    ti->exempt == OOMDIAG_EXEMPT_VICTIM)
		return false;
	return ti->origin || ti->badness != LONG_MIN;
}

unsigned long oomdiag_oom_score(long badness, unsigned long totalpages)
{
	if (badness == LONG_MIN || !totalpages)
		return 0;
	return (1000 + badness * 1000 / (long)totalpages) * 2 / 3;
}

unsigned long oomdiag_swap_pages(void)
{
	unsigned long swap_kb = 0;

	/* No swap configured reads as 0 kB; a failed read as no swap too. */
	if (oomdiag_read_meminfo_kb("SwapTotal", &swap_kb))
		swap_kb = 0;
	return swap_kb >> (PAGE_SHIFT - 10);
}

unsigned long oomdiag_totalpages(void)
{
	return totalram_pages() + oomdiag_swap_pages();
}

#ifdef CONFIG_NUMA
/*
 * The nodes of @pol that confine a mempolicy-constrained OOM, NULL when it
 * does not.  Before v5.14 mempolicy_nodemask_intersects() tested MPOL_BIND
 * and MPOL_INTERLEAVE (nodes in pol->v.nodes; MPOL_PREFERRED may fall back
 * anywhere); v5.14 made it mempolicy_in_oom_domain(), MPOL_BIND only (to
 * v7.2), in the series that moved the nodes to pol->nodes and made
 * MPOL_LOCAL a mode of its own, dropping the internal flag MPOL_F_LOCAL:
 * that flag tells the two apart (Debian's 5.10 has it, 6.1 not).  Caller
 * holds task_lock() of the policy's task.
 */
static const nodemask_t *mpol_oom_nodes(const struct mempolicy *pol)
{
#ifdef MPOL_F_LOCAL
	if (pol->mode == MPOL_BIND || pol->mode == MPOL_INTERLEAVE)
		return &pol->v.nodes;
#else
	if (pol->mode == MPOL_BIND)
		return &pol->nodes;
#endif
	return NULL;
}
#endif

bool oomdiag_task_nodes(struct task_struct *p, nodemask_t *mems,
			nodemask_t *policy)
{
	bool unbound = false;
#ifdef CONFIG_NUMA
	struct task_struct *t;
#endif

	nodes_clear(*policy);
#ifdef CONFIG_CPUSETS
	nodes_clear(*mems);
#else
	*mems = node_states[N_POSSIBLE];
#endif
#ifdef CONFIG_NUMA
	for_each_thread(p, t) {
		const nodemask_t *nodes;

#ifdef CONFIG_CPUSETS
		nodes_or(*mems, *mems, t->mems_allowed);
#endif
		if (unbound)
			continue;
		/* Most tasks have none: no lock for them. */
		if (!READ_ONCE(t->mempolicy)) {
			unbound = true;
			continue;
		}
		task_lock(t);
		nodes = t->mempolicy ? mpol_oom_nodes(t->mempolicy) : NULL;
		if (nodes)
			nodes_or(*policy, *policy, *nodes);
		else
			unbound = true;
		task_unlock(t);
	}
#else
	unbound = true;
#endif
	return unbound;
}

int oomdiag_cgroup_path(struct cgroup *cgrp, char *buf, size_t len)
{
	int ret;

	if (!cgrp) {
		strscpy(buf, "-", len);
		return OOMDIAG_PATH_WHOLE;
	}
	/*
	 * 5.10 returns the length the whole path needs, 6.1+ what it copied
	 * (kernfs_path_from_node_locked() uses scnprintf), so a full buffer
	 * is all either shows.  -E2BIG: cut while copying.
	 */
	ret = cgroup_path(cgrp, buf, len);
	if (ret == -E2BIG)
		return OOMDIAG_PATH_TRUNCATED;
	if (ret < 0) {
		strscpy(buf, "-", len);
		return ret;
	}
	return (size_t)ret >= len - 1 ? OOMDIAG_PATH_TRUNCATED : OOMDIAG_PATH_WHOLE;
}

int oomdiag_task_memcg_path(struct task_struct *p, char *buf, size_t len)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg;

	if (!mem_cgroup_disabled()) {
		memcg = mem_cgroup_from_task(p);
		if (memcg)
			return oomdiag_cgroup_path(memcg->css.cgroup, buf, len);
	}
#endif
	strscpy(buf, "-", len);
	return OOMDIAG_PATH_WHOLE;
}

u64 oomdiag_task_memcg_id(struct task_struct *p)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg;

	if (!mem_cgroup_disabled()) {
		memcg = mem_cgroup_from_task(p);
		if (memcg)
			return cgroup_id(memcg->css.cgroup);
	}
#endif
	return 0;
}

char *oomdiag_escape(char *dst, size_t len, const char *src)
{
	const unsigned char *c = (const unsigned char *)src;
	size_t n = 0;

	if (!len)
		return dst;
	if (!*c) {
		strscpy(dst, "-", len);
		return dst;
	}
	for (; *c && n + 5 <= len; c++) {
		if (*c > ' ' && *c < 0x7f && *c != '\\')
			dst[n++] = *c;
		else
			n += scnprintf(dst + n, len - n, "\\x%02x", *c);
	}
	dst[n] = '\0';
	return dst;
}

void oomdiag_seq_put_escaped(struct seq_file *m, const char *s)
{
	char buf[4 * OOMDIAG_CGROUP_PATH_LEN + 1];

	seq_puts(m, oomdiag_escape(buf, sizeof(buf), s));
}
