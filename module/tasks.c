// SPDX-License-Identifier: GPL-2.0
/*
 * The "tasks" view: every process ranked by OOM badness, most likely
 * victim first, with the value /proc/PID/oom_score shows.
 *
 * open() takes the snapshot: one RCU walk over the thread-group leaders
 * into a vmalloc'ed array (no printing under RCU), then sorts it; read()
 * prints from the array.  Memory cgroup paths are resolved once per memcg
 * (a small hash keyed by the memcg pointer, valid during the RCU walk).
 */
#include <linux/hash.h>
#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/memcontrol.h>

#include "oomdiag.h"
#include "taskinfo.h"
#include "views.h"

/* At most this many processes per snapshot (about 90 bytes each). */
#define TASKS_MAX		BIT(18)
/* Distinct memory cgroups whose paths are kept; more print as "?". */
#define MEMCG_SLOTS		512
#define MEMCG_NONE		0xffff

struct task_entry {
	struct oomdiag_taskinfo ti;
	u16 memcg;			/* index into tasks_snap.paths or MEMCG_NONE */
};

struct memcg_slot {
	const void *key;
	u16 idx;
};

struct tasks_snap {
	unsigned long totalpages;
	unsigned int n, cap;
	unsigned int nr_exempt;
	unsigned int truncated;		/* processes left out (cap reached) */
	unsigned int nr_paths;
	unsigned int memcg_overflow;
	u64 walk_ns;
	struct memcg_slot slots[MEMCG_SLOTS];
	char paths[MEMCG_SLOTS][OOMDIAG_CGROUP_PATH_LEN];
	struct task_entry e[];
};

/* Index of @p's memcg path in @s, resolving it on first sight.  Under RCU. */
static u16 memcg_index(struct tasks_snap *s, struct task_struct *p)
{
	const void *key = NULL;
	unsigned int h, i;

#ifdef CONFIG_MEMCG
	if (!mem_cgroup_disabled())
		key = mem_cgroup_from_task(p);
#endif
	h = hash_ptr((void *)key, 16) % MEMCG_SLOTS;
	for (i = 0; i < MEMCG_SLOTS; i++, h = (h + 1) % MEMCG_SLOTS) {
		struct memcg_slot *slot = &s->slots[h];

		if (slot->idx != MEMCG_NONE) {
			if (slot->key == key)
				return slot->idx;
			continue;
		}
		if (s->nr_paths >= MEMCG_SLOTS - 1)
			break;
		slot->key = key;
		slot->idx = s->nr_paths++;
		if (oomdiag_task_memcg_path(p, s->paths[slot->idx],
					    OOMDIAG_CGROUP_PATH_LEN) < 0)
			strscpy(s->paths[slot->idx], "?", OOMDIAG_CGROUP_PATH_LEN);
		return slot->idx;
	}
	s->memcg_overflow++;
	return MEMCG_NONE;
}

static int cmp_badness(const void *a, const void *b)
{
	const struct task_entry *x = a, *y = b;

	if (x->ti.badness != y->ti.badness)
		return x->ti.badness > y->ti.badness ? -1 : 1;
	return x->ti.pid < y->ti.pid ? -1 : x->ti.pid > y->ti.pid;
}

static struct tasks_snap *tasks_snapshot(void)
{
	struct task_struct *p;
	struct tasks_snap *s;
	unsigned int count = 0, i;
	u64 t0;

	rcu_read_lock();
	for_each_process(p)
		count++;
	rcu_read_unlock();
	/* Room for processes forked between the count and the walk. */
	count = min_t(unsigned int, count + 64, TASKS_MAX);

	s = vzalloc(struct_size(s, e, count));
	if (!s)
		return NULL;
	s->cap = count;
	for (i = 0; i < MEMCG_SLOTS; i++)
		s->slots[i].idx = MEMCG_NONE;
	s->totalpages = oomdiag_totalpages();

	t0 = ktime_get_ns();
	rcu_read_lock();
	for_each_process(p) {
		struct task_entry *e;

		if (s->n >= s->cap) {
			s->truncated++;
			continue;
		}
		e = &s->e[s->n++];
		oomdiag_task_badness(p, s->totalpages, &e->ti);
		if (e->ti.exempt)
			s->nr_exempt++;
		e->memcg = memcg_index(s, p);
	}
	rcu_read_unlock();
	s->walk_ns = ktime_get_ns() - t0;

	sort(s->e, s->n, sizeof(s->e[0]), cmp_badness, NULL);
	return s;
}

/* Position 0 is the two header lines, position i + 1 is entry i. */
static void *tasks_start(struct seq_file *m, loff_t *pos)
{
	struct tasks_snap *s = m->private;

	return *pos <= s->n ? (void *)(uintptr_t)(*pos + 1) : NULL;
}

static void *tasks_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return tasks_start(m, pos);
}

static void tasks_stop(struct seq_file *m, void *v)
{
}

static int tasks_show(struct seq_file *m, void *v)
{
	struct tasks_snap *s = m->private;
	unsigned long i = (uintptr_t)v - 1;
	const struct task_entry *e;
	const struct oomdiag_taskinfo *ti;
	const int kb = PAGE_SHIFT - 10;
	char comm[4 * TASK_COMM_LEN + 1];
	char memcg[4 * OOMDIAG_CGROUP_PATH_LEN + 1];
	char badness[24];

	if (i == 0) {
		seq_printf(m, "# oomdiag tasks v1 totalpages=%lu tasks=%u exempt=%u truncated=%u memcg_overflow=%u walk_ns=%llu\n",
			   s->totalpages, s->n, s->nr_exempt, s->truncated,
			   s->memcg_overflow, s->walk_ns);
		seq_puts(m, "# pid uid comm anon_kb file_kb shmem_kb swap_kb pgtables_kb oom_score_adj badness oom_score memcg exempt\n");
		return 0;
	}
	e = &s->e[i - 1];
	ti = &e->ti;
	oomdiag_escape(comm, sizeof(comm), ti->comm);
	oomdiag_escape(memcg, sizeof(memcg),
		       e->memcg == MEMCG_NONE ? "?" : s->paths[e->memcg]);
	if (ti->badness == LONG_MIN)
		strscpy(badness, "-", sizeof(badness));
	else
		snprintf(badness, sizeof(badness), "%ld", ti->badness);
	/* One call per line: printing dominates the cost of a read. */
	seq_printf(m, "%d %u %s %lu %lu %lu %lu %lu %d %s %lu %s %s\n",
		   ti->pid, ti->uid, comm, ti->anon << kb, ti->file << kb,
		   ti->shmem << kb, ti->swapents << kb, ti->pgtables << kb,
		   ti->oom_score_adj, badness,
		   oomdiag_oom_score(ti->badness, s->totalpages), memcg,
		   oomdiag_exempt_name(ti->exempt));
	return 0;
}

static const struct seq_operations tasks_seq_ops = {
	.start = tasks_start,
	.next = tasks_next,
	.stop = tasks_stop,
	.show = tasks_show,
};

static int tasks_open(struct inode *inode, struct file *file)
{
	struct tasks_snap *s;
	int err;

	err = oomdiag_view_may_open();
	if (err)
		return err;
	s = tasks_snapshot();
	if (!s)
		return -ENOMEM;
	err = seq_open(file, &tasks_seq_ops);
	if (err)
		goto err_free;
	((struct seq_file *)file->private_data)->private = s;
	return 0;

err_free:
	vfree(s);
	return err;
}

static int tasks_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	vfree(m->private);
	return seq_release(inode, file);
}

const struct file_operations oomdiag_tasks_fops = {
	.owner = THIS_MODULE,
	.open = tasks_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = tasks_release,
};
