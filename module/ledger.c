// SPDX-License-Identifier: GPL-2.0
/*
 * The kill ledger: why this victim.  oom_kill_process() runs under oom_lock
 * right after select_bad_process() chose oc->chosen; at its entry the
 * ledger ranks the same domain again with the same totalpages: the memcg
 * subtree of oc->memcg for a memcg OOM, otherwise every process that
 * oom_cpuset_eligible() lets compete (its memory policy's nodes meet a
 * mempolicy OOM's nodemask; or its mems_allowed meet the allocating task's).
 * It keeps the LEDGER_ROWS best candidates in oom_evaluate_task() order
 * (oom_task_origin first, then points, of equal points the later walked)
 * and the LEDGER_EXEMPT largest tasks the kernel exempts, each with its
 * badness components, into a slot of a preallocated table: no sleeping,
 * no allocation, one task_lock() at a time (taskinfo.c).
 *
 * The victim's parent chain and command line go into its slot too
 * (victim_cmdline.c: the command line is read by a work item after the
 * kill, its line shown once that work is done).
 *
 * One writer (oom_lock), readers at any time: a slot's key is invalid
 * while it is written and published with release semantics after; a
 * reader copies the slot and checks the key before and after.
 */
#include <linux/atomic.h>
#include <linux/memcontrol.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/oom.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "ledger.h"
#include "taskinfo.h"
#include "victim_cmdline.h"

#define LEDGER_SLOTS	32
#define LEDGER_ROWS	8
#define LEDGER_EXEMPT	2
#define LEDGER_NO_KEY	U64_MAX

struct ledger_row {
	struct oomdiag_taskinfo ti;
	u32 walk;			/* position in the walk */
	long adj_points;		/* oom_score_adj * (totalpages / 1000) */
	bool victim;			/* oc->chosen */
};

struct oomdiag_ledger {
	u64 key;			/* record seq, LEDGER_NO_KEY while written */
	u64 ts_ns;
	unsigned long totalpages;
	u32 walked, candidates, exempt;
	u8 constraint;
	bool memcg;
	u8 nr_rows, nr_exempt;
	struct ledger_row rows[LEDGER_ROWS];
	struct ledger_row ex[LEDGER_EXEMPT];
	struct oomdiag_victim victim;	/* parent chain, command line */
};

static struct oomdiag_ledger ledgers[LEDGER_SLOTS];
static unsigned int ledger_next;
/* Readers copy a slot here (no allocation, no kB-sized stack frame). */
static struct oomdiag_ledger ledger_copy;
static DEFINE_MUTEX(ledger_copy_lock);

/* Does @a come before @b in the kernel's choice? */
static bool ranks_before(const struct ledger_row *a, const struct ledger_row *b)
{
	if (a->ti.origin != b->ti.origin)
		return a->ti.origin;
	if (a->ti.badness != b->ti.badness)
		return a->ti.badness > b->ti.badness;
	return a->walk > b->walk;
}

static unsigned long raw_pages(const struct oomdiag_taskinfo *ti)
{
	return ti->anon + ti->file + ti->shmem + ti->swapents + ti->pgtables;
}

/* Insert @r into @rows (@n used of @max), kept sorted by @before. */
static void insert(struct ledger_row *rows, u8 *n, unsigned int max, const struct ledger_row *r,
		   bool (*before)(const struct ledger_row *, const struct ledger_row *))
{
	unsigned int i = *n;

	if (i == max) {
		if (!before(r, &rows[max - 1]))
			return;
		i = max - 1;
	} else {
		(*n)++;
	}
	while (i > 0 && before(r, &rows[i - 1])) {
		rows[i] = rows[i - 1];
		i--;
	}
	rows[i] = *r;
}

static bool larger(const struct ledger_row *a, const struct ledger_row *b)
{
	return raw_pages(&a->ti) > raw_pages(&b->ti);
}

/* oomdiag_task_nodes()'s output; one writer under oom_lock, off the stack. */
static nodemask_t ledger_mems, ledger_policy;

/*
 * mm/oom_kill.c's domain: the memcg subtree, or oom_cpuset_eligible(): any
 * thread of @p whose policy does not confine it or whose policy's nodes
 * meet oc->nodemask (set only for a mempolicy OOM), else any thread whose
 * mems_allowed meet those of current, the task whose allocation failed.
 */
static bool in_domain(struct task_struct *p, const struct oom_control *oc)
{
	bool unbound;

#ifdef CONFIG_MEMCG
	if (oc->memcg) {
		struct mem_cgroup *memcg = mem_cgroup_from_task(p);

		return memcg && mem_cgroup_is_descendant(memcg, oc->memcg);
	}
#endif
	unbound = oomdiag_task_nodes(p, &ledger_mems, &ledger_policy);
	if (oc->nodemask)
		return unbound || nodes_intersects(ledger_policy, *oc->nodemask);
#ifdef CONFIG_CPUSETS
	return nodes_intersects(ledger_mems, current->mems_allowed);
#else
	return true;
#endif
}

struct oomdiag_ledger *oomdiag_ledger_fill(const struct oom_control *oc)
{
	struct oomdiag_ledger *l = &ledgers[ledger_next++ % LEDGER_SLOTS];
	struct task_struct *p;
	struct ledger_row r;
	u32 walk = 0;

	WRITE_ONCE(l->key, LEDGER_NO_KEY);
	smp_wmb();	/* readers see the key invalid before any row changes */
	l->totalpages = oc->totalpages;
	l->constraint = oc->constraint;
	l->memcg = !!oc->memcg;
	l->walked = 0;
	l->candidates = 0;
	l->exempt = 0;
	l->nr_rows = 0;
	l->nr_exempt = 0;
	if (oc->chosen) {
		oomdiag_victim_capture(&l->victim, oc->chosen);
	} else {
		l->victim.nr_parents = 0;
		l->victim.queued = false;
	}
	rcu_read_lock();
	for_each_process(p) {
		if (!in_domain(p, oc))
			continue;
		memset(&r, 0, sizeof(r));
		r.walk = walk++;
		oomdiag_task_badness(p, oc->totalpages, &r.ti);
		r.victim = oc->chosen && p->tgid == oc->chosen->tgid;
		r.adj_points = (long)r.ti.oom_score_adj * (long)(oc->totalpages / 1000);
		l->walked++;
		if (oomdiag_task_candidate(&r.ti)) {
			l->candidates++;
			insert(l->rows, &l->nr_rows, LEDGER_ROWS, &r, ranks_before);
		} else {
			l->exempt++;
			if (r.ti.exempt != OOMDIAG_EXEMPT_KTHREAD && raw_pages(&r.ti))
				insert(l->ex, &l->nr_exempt, LEDGER_EXEMPT, &r, larger);
		}
	}
	rcu_read_unlock();
	return l;
}

void oomdiag_ledger_end(struct oomdiag_ledger *l, u64 seq, u64 ts_ns)
{
	l->ts_ns = ts_ns;
	/* Publish: pairs with the smp_load_acquire() of oomdiag_ledger_show(). */
	smp_store_release(&l->key, seq);
}

static void show_row(struct seq_file *m, const struct ledger_row *r, int rank)
{
	const struct oomdiag_taskinfo *ti = &r->ti;

	if (rank)
		seq_printf(m, "  candidate rank=%d pid=%d comm=", rank, ti->pid);
	else
		seq_printf(m, "  candidate rank=- pid=%d comm=", ti->pid);
	oomdiag_seq_put_escaped(m, ti->comm);
	seq_printf(m, " anon_pages=%lu file_pages=%lu shmem_pages=%lu swap_pages=%lu pgtables_pages=%lu oom_score_adj=%d",
		   ti->anon, ti->file, ti->shmem, ti->swapents, ti->pgtables, ti->oom_score_adj);
	if (ti->badness == LONG_MIN)
		seq_puts(m, " adj_points=- points=-");
	else
		seq_printf(m, " adj_points=%ld points=%ld", r->adj_points, ti->badness);
	seq_printf(m, " origin=%d exempt=%s victim=%d\n", ti->origin,
		   oomdiag_exempt_name(ti->exempt), r->victim);
}

void oomdiag_ledger_show(struct seq_file *m, u64 seq, u64 ts_ns)
{
	const struct oomdiag_ledger *c = &ledger_copy;
	const char *constraint;
	unsigned int i, j;
	u8 cmdline_state;

	mutex_lock(&ledger_copy_lock);
	for (i = 0; i < LEDGER_SLOTS; i++) {
		const struct oomdiag_ledger *l = &ledgers[i];

		/* Pairs with oomdiag_ledger_end(): the rows are complete. */
		if (smp_load_acquire(&l->key) != seq)
			continue;
		/* Before the copy: if done, the command line in it is complete. */
		cmdline_state = oomdiag_victim_state(&l->victim);
		memcpy(&ledger_copy, l, sizeof(ledger_copy));
		smp_rmb();	/* the copy is complete before the key is checked again */
		if (READ_ONCE(l->key) != seq || c->ts_ns != ts_ns)
			continue;
		/* include/oomdiag_event.h's names; a value outside them is "-" */
		constraint = oomdiag_name_of(oomdiag_constraint_names, c->constraint);
		seq_printf(m, "  ledger domain=%s constraint=%s totalpages=%lu walked=%u candidates=%u exempt=%u",
			   c->memcg ? "memcg" : "all", constraint ?: "-",
			   c->totalpages, c->walked, c->candidates, c->exempt);
		oomdiag_victim_show_counts(m);
		seq_putc(m, '\n');
		for (j = 0; j < c->nr_rows; j++)
			show_row(m, &c->rows[j], j + 1);
		for (j = 0; j < c->nr_exempt; j++)
			show_row(m, &c->ex[j], 0);
		oomdiag_victim_show(m, &c->victim, cmdline_state);
		break;
	}
	mutex_unlock(&ledger_copy_lock);
}

void oomdiag_ledger_init(void)
{
	unsigned int i;

	for (i = 0; i < LEDGER_SLOTS; i++)
		oomdiag_victim_init(&ledgers[i].victim);
	oomdiag_victim_wq_init();
}

void oomdiag_ledger_exit(void)
{
	unsigned int i;

	for (i = 0; i < LEDGER_SLOTS; i++)
		oomdiag_victim_sync(&ledgers[i].victim);
	oomdiag_victim_wq_exit();
}
