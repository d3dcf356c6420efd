// SPDX-License-Identifier: GPL-2.0
/*
 * The "overcommit" view: the overcommit policy and what it allows right
 * now, one key=value per line.
 *
 * The rule is __vm_enough_memory() (mm/util.c, the same from v5.10 to
 * v7.2): it first adds the request to vm_committed_as, then
 *   mode 1 (always): allows everything;
 *   mode 0 (guess):  refuses a single request above totalram + swap;
 *   mode 2 (never):  allows while committed < CommitLimit - (admin reserve
 *                    unless CAP_SYS_ADMIN) - min(total_vm / 32, user
 *                    reserve), CommitLimit = (totalram - hugetlb) *
 *                    ratio / 100 + swap, or overcommit_kbytes + swap.
 * The sysctls, total_swap_pages and hugetlb_total_pages() are not
 * exported: they are read from /proc/sys/vm and /proc/meminfo (views.c).
 */
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmstat.h>

#include "oomdiag.h"
#include "views.h"

struct oc_values {
	unsigned long mode, ratio, kbytes, admin_kb, user_kb;
	unsigned long swap_kb, hugetlb_kb;
};

static int read_values(struct oc_values *v)
{
	static const struct {
		const char *name;
		size_t off;
	} sysctls[] = {
		{ "overcommit_memory", offsetof(struct oc_values, mode) },
		{ "overcommit_ratio", offsetof(struct oc_values, ratio) },
		{ "overcommit_kbytes", offsetof(struct oc_values, kbytes) },
		{ "admin_reserve_kbytes", offsetof(struct oc_values, admin_kb) },
		{ "user_reserve_kbytes", offsetof(struct oc_values, user_kb) },
	};
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(sysctls); i++) {
		err = oomdiag_read_sysctl_vm(sysctls[i].name,
					     (unsigned long *)((char *)v + sysctls[i].off));
		if (err)
			return err;
	}
	/* Both lines are absent without CONFIG_SWAP / CONFIG_HUGETLB_PAGE. */
	err = oomdiag_read_meminfo_kb("SwapTotal", &v->swap_kb);
	if (err == -ENOENT)
		v->swap_kb = 0;
	else if (err)
		return err;
	/* "Hugetlb:" (all huge page sizes) exists since v4.17. */
	err = oomdiag_read_meminfo_kb("Hugetlb", &v->hugetlb_kb);
	if (err == -ENOENT) {
		v->hugetlb_kb = 0;
		err = 0;
	}
	return err;
}

static long max_mmap_never(long allowed, long committed)
{
	/* committed + pages < allowed, after adding the request. */
	return max(allowed - committed - 1, 0L);
}

static int overcommit_show(struct seq_file *m, void *unused)
{
	const struct oc_values *vals = m->private;
	const int kb = PAGE_SHIFT - 10;
	unsigned long totalram = totalram_pages();
	unsigned long limit, swap, hugetlb, user_res, admin_res, mm_res, total_vm;
	unsigned int cpus = num_present_cpus();
	long committed, allowed, batch;
	struct oc_values v = *vals;

	swap = v.swap_kb >> kb;
	hugetlb = v.hugetlb_kb >> kb;
	if (v.kbytes)
		limit = v.kbytes >> kb;
	else
		limit = (totalram - hugetlb) * v.ratio / 100;
	limit += swap;
	committed = vm_memory_committed();
	user_res = v.user_kb >> kb;
	admin_res = v.admin_kb >> kb;
	total_vm = current->mm ? READ_ONCE(current->mm->total_vm) : 0;
	mm_res = min(total_vm / 32, user_res);
	allowed = (long)limit - (long)mm_res;
	/* mm_compute_batch(): how far the counter __vm_enough_memory() reads may lag. */
	if (v.mode == OVERCOMMIT_NEVER)
		batch = max_t(long, totalram / cpus / 256, max_t(long, cpus * 2, 32));
	else
		batch = max_t(long, totalram / cpus / 4, max_t(long, cpus * 2, 32));

	seq_puts(m, "# oomdiag overcommit v1\n");
	seq_printf(m, "mode=%lu\n", v.mode);
	seq_printf(m, "mode_name=%s\n", v.mode == OVERCOMMIT_GUESS ? "guess" :
		   v.mode == OVERCOMMIT_ALWAYS ? "always" :
		   v.mode == OVERCOMMIT_NEVER ? "never" : "unknown");
	seq_printf(m, "overcommit_ratio=%lu\n", v.ratio);
	seq_printf(m, "overcommit_kbytes=%lu\n", v.kbytes);
	seq_printf(m, "admin_reserve_kb=%lu\n", v.admin_kb);
	seq_printf(m, "user_reserve_kb=%lu\n", v.user_kb);
	seq_printf(m, "totalram_kb=%lu\n", totalram << kb);
	seq_printf(m, "hugetlb_kb=%lu\n", hugetlb << kb);
	seq_printf(m, "swap_total_kb=%lu\n", swap << kb);
	seq_printf(m, "free_kb=%lu\n", global_zone_page_state(NR_FREE_PAGES) << kb);
	seq_printf(m, "available_kb=%ld\n", si_mem_available() << kb);
	seq_printf(m, "commit_limit_kb=%lu\n", limit << kb);
	seq_printf(m, "committed_as_kb=%ld\n", committed << kb);
	seq_printf(m, "headroom_kb=%ld\n", ((long)limit - committed) << kb);
	seq_printf(m, "committed_as_slack_kb=%ld\n", (batch * (long)num_online_cpus()) << kb);
	seq_printf(m, "reader_total_vm_kb=%lu\n", total_vm << kb);
	/* Largest single new mapping each mode's rule allows now, for this reader. */
	seq_puts(m, "largest_mmap_always_kb=-\n");
	seq_printf(m, "largest_mmap_guess_kb=%lu\n", (totalram + swap) << kb);
	seq_printf(m, "largest_mmap_never_root_kb=%ld\n",
		   max_mmap_never(allowed, committed) << kb);
	seq_printf(m, "largest_mmap_never_user_kb=%ld\n",
		   max_mmap_never(allowed - (long)admin_res, committed) << kb);
	if (v.mode == OVERCOMMIT_ALWAYS)
		seq_puts(m, "largest_mmap_kb=-\n");
	else if (v.mode == OVERCOMMIT_GUESS)
		seq_printf(m, "largest_mmap_kb=%lu\n", (totalram + swap) << kb);
	else
		seq_printf(m, "largest_mmap_kb=%ld\n",
			   max_mmap_never(allowed, committed) << kb);
	return 0;
}

/*
 * The sysctls and /proc/meminfo are read here, before the seq_file exists:
 * reading another seq_file from inside ->show would nest two seq_file
 * locks of one class (lockdep: possible recursive locking).
 */
static int overcommit_open(struct inode *inode, struct file *file)
{
	struct oc_values *v;
	int err = oomdiag_view_may_open();

	if (err)
		return err;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	err = read_values(v);
	if (err)
		goto err_free;
	err = single_open(file, overcommit_show, v);
	if (err)
		goto err_free;
	return 0;

err_free:
	kfree(v);
	return err;
}

static int overcommit_release(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

const struct file_operations oomdiag_overcommit_fops = {
	.owner = THIS_MODULE,
	.open = overcommit_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = overcommit_release,
};
