// SPDX-License-Identifier: GPL-2.0
/*
 * The "tasks" view: every process ranked by OOM badness, most likely
 * victim first, with the value /proc/PID/oom_score shows.
 *
 * open() takes the snapshot into a vmalloc'ed array (no printing under
 * RCU), then sorts it; read() prints from the array.  The walk does not
 * hold one RCU read section over all processes (oom_badness() costs a
 * per-CPU counter sum per task on 7.x): one cheap pass takes a reference
 * on each process's struct pid in for_each_process() order, then the
 * processes are read in batches of TASKS_BATCH under their own RCU
 * sections with cond_resched() between.  Memory cgroup paths are resolved
 * once per memcg (a small hash keyed by cgroup id).
 *
 * The order is oom_evaluate_task()'s: an oom_task_origin() task first,
 * then badness, and of equal points the later one in for_each_process()
 * order (the kernel replaces its choice on ">=").
 */
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/ktime.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/memcontrol.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>

#include "oomdiag.h"
#include "taskinfo.h"
#include "views.h"

/* At most this many processes per snapshot (about 100 bytes each). */
#define TASKS_MAX		BIT(18)
/* Processes read per RCU read section. */
#define TASKS_BATCH		64
/* Distinct memory cgroups whose paths are kept; more print as "?". */
#define MEMCG_SLOTS		512
#define MEMCG_NONE		0xffff

struct task_entry {
	struct oomdiag_taskinfo ti;
	u32 walk;			/* position in for_each_process() order */
	u32 slot;			/* its node masks in tasks_snap.nodebits */
	u16 memcg;			/* index into tasks_snap.paths or MEMCG_NONE */
	bool policy_unbound;		/* a thread has no confining mempolicy */
};

struct memcg_slot {
	u64 id;
	u16 idx;
};

struct tasks_snap {
	unsigned long totalpages;
	unsigned long swap_pages;
	unsigned int n, cap;
	unsigned int nr_exempt;
	unsigned int truncated;		/* processes left out (cap reached) */
	unsigned int nr_paths;
	unsigned int memcg_overflow;
	unsigned int nr_batches;
	u64 walk_ns;
	u64 rcu_max_ns;			/* longest RCU read section of the walk */
	struct memcg_slot slots[MEMCG_SLOTS];
	char paths[MEMCG_SLOTS][OOMDIAG_CGROUP_PATH_LEN];
	bool path_cut[MEMCG_SLOTS];
	/*
	 * Per entry slot, two bitmaps of nr_node_ids bits (node_words longs
	 * each): mems_allowed, then the mempolicy nodes.  Sized by the
	 * running machine's node count, not MAX_NUMNODES (1024 on Debian).
	 */
	unsigned int node_words;
	unsigned long *nodebits;
	struct pid **pids;
	struct task_entry e[];
};

/* Index of @p's memcg path in @s, resolving it on first sight.  Under RCU. */
static u16 memcg_index(struct tasks_snap *s, struct task_struct *p)
{
	u64 id = oomdiag_task_memcg_id(p);
	unsigned int h, i;

	h = hash_64(id, 16) % MEMCG_SLOTS;
	for (i = 0; i < MEMCG_SLOTS; i++, h = (h + 1) % MEMCG_SLOTS) {
		struct memcg_slot *slot = &s->slots[h];
		int ret;

		if (slot->idx != MEMCG_NONE) {
			if (slot->id == id)
				return slot->idx;
			continue;
		}
		if (s->nr_paths >= MEMCG_SLOTS - 1)
			break;
		slot->id = id;
		slot->idx = s->nr_paths++;
		ret = oomdiag_task_memcg_path(p, s->paths[slot->idx],
					      OOMDIAG_CGROUP_PATH_LEN);
		if (ret < 0)
			strscpy(s->paths[slot->idx], "?", OOMDIAG_CGROUP_PATH_LEN);
		s->path_cut[slot->idx] = ret == OOMDIAG_PATH_TRUNCATED;
		return slot->idx;
	}
	s->memcg_overflow++;
	return MEMCG_NONE;
}

/* Candidates first; origin, then points; of equal ones the later walked. */
static int cmp_badness(const void *a, const void *b)
{
	const struct task_entry *x = a, *y = b;
	bool cx = oomdiag_task_candidate(&x->ti), cy = oomdiag_task_candidate(&y->ti);

	if (cx != cy)
		return cx ? -1 : 1;
	if (x->ti.origin != y->ti.origin)
		return x->ti.origin ? -1 : 1;
	if (x->ti.badness != y->ti.badness)
		return x->ti.badness > y->ti.badness ? -1 : 1;
	return x->walk > y->walk ? -1 : x->walk < y->walk;
}

/* One RCU section: a reference on each process's pid, in walk order. */
static unsigned int collect_pids(struct tasks_snap *s)
{
	struct task_struct *p;
	unsigned int n = 0;
	u64 t0 = ktime_get_ns();

	rcu_read_lock();
	for_each_process(p) {
		if (n >= s->cap) {
			s->truncated++;
			continue;
		}
		s->pids[n++] = get_pid(task_pid(p));
	}
	rcu_read_unlock();
	s->rcu_max_ns = max(s->rcu_max_ns, ktime_get_ns() - t0);
	return n;
}

static unsigned long *entry_nodes(const struct tasks_snap *s,
				  const struct task_entry *e, unsigned int which)
{
	return s->nodebits + ((size_t)e->slot * 2 + which) * s->node_words;
}

static void read_batch(struct tasks_snap *s, unsigned int from, unsigned int to)
{
	unsigned int i;
	nodemask_t mems, policy;
	u64 t0 = ktime_get_ns();

	rcu_read_lock();
	for (i = from; i < to; i++) {
		struct task_struct *p = pid_task(s->pids[i], PIDTYPE_PID);
		struct task_entry *e;

		if (!p)
			continue;	/* exited since the pass */
		e = &s->e[s->n];
		e->slot = s->n++;
		e->walk = i;
		oomdiag_task_badness(p, s->totalpages, &e->ti);
		if (!oomdiag_task_candidate(&e->ti))
			s->nr_exempt++;
		e->memcg = memcg_index(s, p);
		e->policy_unbound = oomdiag_task_nodes(p, &mems, &policy);
		bitmap_copy(entry_nodes(s, e, 0), nodes_addr(mems), nr_node_ids);
		bitmap_copy(entry_nodes(s, e, 1), nodes_addr(policy), nr_node_ids);
	}
	rcu_read_unlock();
	s->rcu_max_ns = max(s->rcu_max_ns, ktime_get_ns() - t0);
	s->nr_batches++;
}

static void tasks_free(struct tasks_snap *s)
{
	vfree(s->nodebits);
	vfree(s);
}

static struct tasks_snap *tasks_snapshot(bool sorted)
{
	struct task_struct *p;
	struct tasks_snap *s;
	unsigned int count = 0, nr_pids, i;
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
	s->node_words = BITS_TO_LONGS(nr_node_ids);
	s->nodebits = vzalloc(array3_size(count, 2 * s->node_words,
					  sizeof(unsigned long)));
	s->pids = vmalloc_array(count, sizeof(*s->pids));
	if (!s->pids || !s->nodebits) {
		vfree(s->pids);
		vfree(s->nodebits);
		vfree(s);
		return NULL;
	}
	s->cap = count;
	for (i = 0; i < MEMCG_SLOTS; i++)
		s->slots[i].idx = MEMCG_NONE;
	s->swap_pages = oomdiag_swap_pages();
	s->totalpages = totalram_pages() + s->swap_pages;

	t0 = ktime_get_ns();
	nr_pids = collect_pids(s);
	for (i = 0; i < nr_pids; i += TASKS_BATCH) {
		read_batch(s, i, min(i + TASKS_BATCH, nr_pids));
		cond_resched();
	}
	s->walk_ns = ktime_get_ns() - t0;
	for (i = 0; i < nr_pids; i++)
		put_pid(s->pids[i]);
	vfree(s->pids);
	s->pids = NULL;

	if (sorted)
		sort(s->e, s->n, sizeof(s->e[0]), cmp_badness, NULL);
	return s;
}

/* A node list ("0-1,3"), "-" when empty or @none, then @end. */
static void show_nodes(struct seq_file *m, const struct tasks_snap *s,
		       const struct task_entry *e, unsigned int which, bool none,
		       char end)
{
	const unsigned long *bits = entry_nodes(s, e, which);
	unsigned int first, last;

	first = none ? nr_node_ids : find_first_bit(bits, nr_node_ids);
	if (first >= nr_node_ids) {
		seq_putc(m, '-');
	} else {
		last = find_next_zero_bit(bits, nr_node_ids, first) - 1;
		if (find_next_bit(bits, nr_node_ids, last + 1) < nr_node_ids) {
			seq_printf(m, "%*pbl", nr_node_ids, bits);
		} else {
			/* One range (the usual case): what "%*pbl" prints. */
			seq_put_decimal_ull(m, "", first);
			if (last > first)
				seq_put_decimal_ull(m, "-", last);
		}
	}
	seq_putc(m, end);
}

/*
 * @str escaped (oomdiag_escape()), without copying it when nothing in it
 * needs escaping (nearly every comm and memcg path).
 */
static void put_escaped(struct seq_file *m, const char *str)
{
	const unsigned char *c = (const unsigned char *)str;

	for (; *c; c++)
		if (*c <= ' ' || *c >= 0x7f || *c == '\\')
			break;
	if (*c || !*str)
		oomdiag_seq_put_escaped(m, str);
	else
		seq_puts(m, str);
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

	if (i == 0) {
		int nid;
		char sep = '=';

		seq_printf(m, "# oomdiag tasks v1 totalpages=%lu tasks=%u exempt=%u truncated=%u memcg_overflow=%u walk_ns=%llu batches=%u rcu_max_ns=%llu swap_pages=%lu node_present_pages",
			   s->totalpages, s->n, s->nr_exempt, s->truncated,
			   s->memcg_overflow, s->walk_ns, s->nr_batches,
			   s->rcu_max_ns, s->swap_pages);
		/* What constrained_alloc() sums for a cpuset or mempolicy OOM. */
		for_each_online_node(nid) {
			seq_printf(m, "%c%d:%lu", sep, nid, node_present_pages(nid));
			sep = ',';
		}
		seq_puts(m, "\n# pid uid comm anon_kb file_kb shmem_kb swap_kb pgtables_kb oom_score_adj badness oom_score memcg exempt oom_origin memcg_truncated mems_allowed mempolicy_nodes\n");
		return 0;
	}
	e = &s->e[i - 1];
	ti = &e->ti;
	/*
	 * Field by field with the seq_put_* helpers, as /proc/PID/status does:
	 * a seq_printf() of the whole line was most of the cost of a read.
	 */
	seq_put_decimal_ll(m, "", ti->pid);
	seq_put_decimal_ull(m, " ", ti->uid);
	seq_putc(m, ' ');
	put_escaped(m, ti->comm);
	seq_put_decimal_ull(m, " ", (u64)ti->anon << kb);
	seq_put_decimal_ull(m, " ", (u64)ti->file << kb);
	seq_put_decimal_ull(m, " ", (u64)ti->shmem << kb);
	seq_put_decimal_ull(m, " ", (u64)ti->swapents << kb);
	seq_put_decimal_ull(m, " ", (u64)ti->pgtables << kb);
	seq_put_decimal_ll(m, " ", ti->oom_score_adj);
	if (ti->badness == LONG_MIN)
		seq_puts(m, " -");
	else
		seq_put_decimal_ll(m, " ", ti->badness);
	seq_put_decimal_ull(m, " ",
			    oomdiag_oom_score(ti->badness, s->totalpages));
	seq_putc(m, ' ');
	put_escaped(m, e->memcg == MEMCG_NONE ? "?" : s->paths[e->memcg]);
	seq_putc(m, ' ');
	seq_puts(m, oomdiag_exempt_name(ti->exempt));
	seq_puts(m, ti->origin ? " 1" : " 0");
	seq_puts(m, e->memcg != MEMCG_NONE && s->path_cut[e->memcg] ?
		 " 1 " : " 0 ");
	show_nodes(m, s, e, 0, false, ' ');
	show_nodes(m, s, e, 1, e->policy_unbound, '\n');
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
	s = tasks_snapshot(true);
	if (!s)
		return -ENOMEM;
	err = seq_open(file, &tasks_seq_ops);
	if (err)
		goto err_free;
	((struct seq_file *)file->private_data)->private = s;
	return 0;

err_free:
	tasks_free(s);
	return err;
}

static int tasks_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	tasks_free(m->private);
	return seq_release(inode, file);
}

const struct file_operations oomdiag_tasks_fops = {
	.owner = THIS_MODULE,
	.open = tasks_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = tasks_release,
};

/*
 * "tasks.bin": the same snapshot as fixed-size records in walk order (the
 * reader sorts), built whole at open.  Format: docs/debugfs.md.  All
 * fields are in the host's byte order; padding is zero.
 */
#define TASKS_BIN_VERSION	1
#define TASKS_BIN_NO_MEMCG	0xffff

struct tasks_bin_hdr {
	char magic[8];			/* "OOMDTASK" */
	u32 version;
	u32 hdr_size;
	u32 rec_size;			/* with both node masks */
	u32 nr_tasks;
	u32 node_words;			/* u64 words per node mask */
	u32 nr_nodes;
	u32 nr_memcgs;
	u32 memcg_len;
	u32 nr_exempt;
	u32 truncated;
	u32 memcg_overflow;
	u32 nr_batches;
	u64 totalpages;
	u64 swap_pages;
	u64 walk_ns;
	u64 rcu_max_ns;
	u64 nodes_off;
	u64 tasks_off;
	u64 memcgs_off;
};

struct tasks_bin_node {
	u32 nid;
	u32 pad;
	u64 present_pages;
};

struct tasks_bin_rec {
	s32 pid;
	u32 uid;
	char comm[16];
	u64 anon_kb;
	u64 file_kb;
	u64 shmem_kb;
	u64 swap_kb;
	u64 pgtables_kb;
	s64 badness;			/* S64_MIN: none ("-") */
	u64 oom_score;
	s16 oom_score_adj;
	u8 exempt;
	u8 origin;
	u8 memcg_truncated;
	u8 policy_unbound;
	u16 memcg;			/* memcg table index or TASKS_BIN_NO_MEMCG */
	/* then u64 mems_allowed[node_words], u64 mempolicy[node_words] */
};

struct tasks_bin {
	size_t size;
	char data[];
};

static void bin_nodes(u64 *dst, const unsigned long *src, unsigned int words)
{
#if BITS_PER_LONG == 64
	memcpy(dst, src, words * sizeof(u64));
#else
	unsigned int i, nlongs = BITS_TO_LONGS(nr_node_ids);

	for (i = 0; i < words; i++) {
		dst[i] = src[2 * i];
		if (2 * i + 1 < nlongs)
			dst[i] |= (u64)src[2 * i + 1] << 32;
	}
#endif
}

static struct tasks_bin *tasks_bin_build(const struct tasks_snap *s)
{
	const int kb = PAGE_SHIFT - 10;
	unsigned int words = DIV_ROUND_UP(nr_node_ids, 64);
	size_t rec_size = sizeof(struct tasks_bin_rec) + 2 * words * sizeof(u64);
	unsigned int nr_nodes = 0, i;
	struct tasks_bin_hdr *h;
	struct tasks_bin_node *nd;
	struct tasks_bin *b;
	size_t size;
	char *r;
	int nid;

	BUILD_BUG_ON(sizeof(struct tasks_bin_hdr) != 112);
	BUILD_BUG_ON(sizeof(struct tasks_bin_rec) != 88);
	BUILD_BUG_ON(TASK_COMM_LEN != 16);
	/* Room for every node id: nodes may come online meanwhile. */
	size = sizeof(*h) + nr_node_ids * sizeof(*nd) + s->n * rec_size +
	       s->nr_paths * OOMDIAG_CGROUP_PATH_LEN;
	b = vzalloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	h = (struct tasks_bin_hdr *)b->data;
	memcpy(h->magic, "OOMDTASK", sizeof(h->magic));
	h->version = TASKS_BIN_VERSION;
	h->hdr_size = sizeof(*h);
	h->rec_size = rec_size;
	h->nr_tasks = s->n;
	h->node_words = words;
	h->nr_memcgs = s->nr_paths;
	h->memcg_len = OOMDIAG_CGROUP_PATH_LEN;
	h->nr_exempt = s->nr_exempt;
	h->truncated = s->truncated;
	h->memcg_overflow = s->memcg_overflow;
	h->nr_batches = s->nr_batches;
	h->totalpages = s->totalpages;
	h->swap_pages = s->swap_pages;
	h->walk_ns = s->walk_ns;
	h->rcu_max_ns = s->rcu_max_ns;
	h->nodes_off = sizeof(*h);
	h->tasks_off = h->nodes_off + nr_node_ids * sizeof(*nd);
	h->memcgs_off = h->tasks_off + s->n * rec_size;

	nd = (struct tasks_bin_node *)(b->data + h->nodes_off);
	for_each_online_node(nid) {
		nd[nr_nodes].nid = nid;
		nd[nr_nodes].present_pages = node_present_pages(nid);
		nr_nodes++;
	}
	h->nr_nodes = nr_nodes;

	r = b->data + h->tasks_off;
	for (i = 0; i < s->n; i++, r += rec_size) {
		const struct task_entry *e = &s->e[i];
		const struct oomdiag_taskinfo *ti = &e->ti;
		struct tasks_bin_rec *rec = (struct tasks_bin_rec *)r;
		u64 *nodes = (u64 *)(rec + 1);

		rec->pid = ti->pid;
		rec->uid = ti->uid;
		memcpy(rec->comm, ti->comm, sizeof(rec->comm));
		rec->anon_kb = (u64)ti->anon << kb;
		rec->file_kb = (u64)ti->file << kb;
		rec->shmem_kb = (u64)ti->shmem << kb;
		rec->swap_kb = (u64)ti->swapents << kb;
		rec->pgtables_kb = (u64)ti->pgtables << kb;
		rec->badness = ti->badness == LONG_MIN ? S64_MIN : ti->badness;
		rec->oom_score = oomdiag_oom_score(ti->badness, s->totalpages);
		rec->oom_score_adj = ti->oom_score_adj;
		rec->exempt = ti->exempt;
		rec->origin = ti->origin;
		rec->memcg = e->memcg == MEMCG_NONE ? TASKS_BIN_NO_MEMCG : e->memcg;
		rec->memcg_truncated = e->memcg != MEMCG_NONE && s->path_cut[e->memcg];
		rec->policy_unbound = e->policy_unbound;
		bin_nodes(nodes, entry_nodes(s, e, 0), words);
		bin_nodes(nodes + words, entry_nodes(s, e, 1), words);
	}
	for (i = 0; i < s->nr_paths; i++)
		strscpy(b->data + h->memcgs_off + (size_t)i * OOMDIAG_CGROUP_PATH_LEN,
			s->paths[i], OOMDIAG_CGROUP_PATH_LEN);
	return b;
}

static int tasks_bin_open(struct inode *inode, struct file *file)
{
	struct tasks_snap *s;
	struct tasks_bin *b;
	int err;

	err = oomdiag_view_may_open();
	if (err)
		return err;
	s = tasks_snapshot(false);
	if (!s)
		return -ENOMEM;
	b = tasks_bin_build(s);
	tasks_free(s);
	if (!b)
		return -ENOMEM;
	file->private_data = b;
	return 0;
}

static ssize_t tasks_bin_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct tasks_bin *b = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, b->data, b->size);
}

static int tasks_bin_release(struct inode *inode, struct file *file)
{
	vfree(file->private_data);
	return 0;
}

const struct file_operations oomdiag_tasks_bin_fops = {
	.owner = THIS_MODULE,
	.open = tasks_bin_open,
	.read = tasks_bin_read,
	.llseek = default_llseek,
	.release = tasks_bin_release,
};
