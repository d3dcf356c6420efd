// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag_test_alloc: test-only helper module.  Makes the kernel fail page
 * allocations on request, and times allocation loops, for the oomdiag VM
 * tests and benchmarks.  Never load it on a machine you care about.
 *
 * Usage (busybox sh is enough):
 *
 *   insmod /oomdiag/kmod/oomdiag_test_alloc.ko
 *   echo 'nowait 10' > /sys/kernel/debug/oomdiag_test/alloc
 *   cat /sys/kernel/debug/oomdiag_test/result
 *
 * Commands written to "alloc" (0200; one per write, words separated by one
 * space, optional trailing newline; anything else is -EINVAL).  Each runs
 * synchronously in the writer's context, beside those of other writers
 * (two CPUs failing at once is a test case):
 *
 *   nowait ORDER          allocate GFP_NOWAIT blocks of ORDER and keep them
 *                         until one allocation fails, then free them all:
 *                         exactly one failure, reported by warn_alloc()
 *                         (subject to its ratelimit).  The mask is
 *                         GFP_NOWAIT without __GFP_NOWARN: GFP_NOWAIT
 *                         includes __GFP_NOWARN in the 6.12 and 7.2 headers
 *                         of the matrix (not in 5.10 and 6.1).
 *   nowait_nowarn ORDER   the same with GFP_NOWAIT | __GFP_NOWARN: the
 *                         failure leaves nothing in dmesg.
 *   burst N [ORDER]       take every free block of ORDER (default 10) with
 *                         GFP_NOWAIT | __GFP_NOWARN, then try N more times
 *                         while holding them (each try fails unless memory
 *                         was freed meanwhile), then free everything: a
 *                         burst of N failures in a few milliseconds.
 *   irq ORDER             take every free block of ORDER (GFP_NOWAIT |
 *                         __GFP_NOWARN), then make one more GFP_ATOMIC |
 *                         __GFP_NOWARN attempt from hard interrupt context
 *                         (an irq_work), then free everything: a failure
 *                         whose context is "irq".
 *   pages N               N times alloc_pages(GFP_KERNEL, 0) + __free_pages()
 *   kmalloc N             N times kmalloc(256, GFP_KERNEL) + kfree()
 *
 * "result" (0400) describes the last command to finish, one line of key=value:
 *
 *   cmd=nowait order=10 gfp=0x... allocated=57 failed=1 tries=58 ns=123456 total_failed=9
 *
 * allocated: blocks obtained (and freed again); failed: allocations that
 * returned NULL; total_failed: those of every command since the module
 * was loaded; tries: allocation calls; ns: time spent in the loop
 * (ktime_get_ns()), for pages/kmalloc the benchmark's measure.  gfp is the
 * mask passed, as the running kernel numbers it.
 *
 * "gate" (0600) holds a task inside do_mmap() for as long as a test needs:
 * mmap() of it sleeps in the file's ->mmap until "open" is written to it,
 * then fails with ENODEV; "close" arms it again.  Reading it prints
 * "waiters=N open=0|1".  (Issue 21: a task inside do_mmap() while the
 * recorder is disarmed.)
 *
 * "bucket" (0400) prints hash_ptr(reader's task_struct, 32): the top
 * bits of it are the reader's bucket in oomdiag's calls-in-flight table
 * (module/calls.c hashes tasks with hash_ptr() too), so a test can put
 * more tasks in one bucket than it has ways (issue 14 item 7).  A shell
 * that reads it and then execs keeps its task_struct.
 *
 * Held blocks are chained through their own first bytes, so holding needs
 * no memory of its own; no cap: "nowait 0" would take all memory the
 * watermarks allow.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/irq_work.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

/* v6.8: MAX_ORDER (exclusive) became NR_PAGE_ORDERS (oomdiag compat.h). */
#ifndef NR_PAGE_ORDERS
#define NR_PAGE_ORDERS MAX_ORDER
#endif

static struct dentry *dir;
/*
 * Commands run concurrently (two CPUs failing at once is a test case), each
 * into a result of its own; cmd_lock only guards the last result shown by
 * "result", and irq_lock the one irq_work the "irq" command uses.
 */
static DEFINE_MUTEX(cmd_lock);
static DEFINE_MUTEX(irq_lock);

struct cmd_result {
	char cmd[16];
	int order;
	u32 gfp;
	unsigned long allocated;
	unsigned long failed;
	unsigned long tries;
	u64 ns;
};

static struct cmd_result last;
/* Failed allocations of every command since load (commands run at once). */
static atomic_long_t total_failed = ATOMIC_LONG_INIT(0);

struct held {
	struct page *head;
	unsigned int order;
};

static bool hold_one(struct held *h, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, h->order);

	if (!page)
		return false;
	*(struct page **)page_address(page) = h->head;
	h->head = page;
	return true;
}

static void release_all(struct held *h)
{
	while (h->head) {
		struct page *next = *(struct page **)page_address(h->head);

		__free_pages(h->head, h->order);
		h->head = next;
	}
}

static unsigned int irq_order;
static struct page *irq_page;

static void irq_alloc_fn(struct irq_work *w)
{
	irq_page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, irq_order);
}

static struct irq_work irq_alloc_work;

/* Allocate until failure; then, for a burst, @extra more failing tries. */
static void run_until_fail(struct cmd_result *res, const char *cmd, unsigned int order,
			   gfp_t gfp, unsigned long extra)
{
	struct held h = { .head = NULL, .order = order };
	u64 t0 = ktime_get_ns();
	unsigned long i;

	strscpy(res->cmd, cmd, sizeof(res->cmd));
	res->order = order;
	res->gfp = (__force u32)gfp;
	for (;;) {
		res->tries++;
		if (!hold_one(&h, gfp)) {
			res->failed++;
			atomic_long_inc(&total_failed);
			break;
		}
		res->allocated++;
	}
	for (i = 0; i < extra; i++) {
		res->tries++;
		if (hold_one(&h, gfp)) {
			res->allocated++;
		} else {
			res->failed++;
			atomic_long_inc(&total_failed);
		}
	}
	res->ns = ktime_get_ns() - t0;
	release_all(&h);
}

/* Hold every free block of @order, then try once more from hardirq. */
static void run_irq(struct cmd_result *res, unsigned int order)
{
	struct held h = { .head = NULL, .order = order };
	u64 t0 = ktime_get_ns();

	strscpy(res->cmd, "irq", sizeof(res->cmd));
	res->order = order;
	res->gfp = (__force u32)(GFP_ATOMIC | __GFP_NOWARN);
	while (hold_one(&h, GFP_NOWAIT | __GFP_NOWARN))
		res->allocated++;
	irq_order = order;
	irq_page = NULL;
	irq_work_queue(&irq_alloc_work);
	irq_work_sync(&irq_alloc_work);
	res->tries++;
	if (irq_page) {
		res->allocated++;
		__free_pages(irq_page, order);
	} else {
		res->failed++;
		atomic_long_inc(&total_failed);
	}
	res->ns = ktime_get_ns() - t0;
	release_all(&h);
}

static void run_loop(struct cmd_result *res, const char *cmd, unsigned long n)
{
	bool pages = !strcmp(cmd, "pages");
	u64 t0 = ktime_get_ns();
	unsigned long i;

	strscpy(res->cmd, cmd, sizeof(res->cmd));
	res->order = pages ? 0 : -1;
	res->gfp = (__force u32)GFP_KERNEL;
	for (i = 0; i < n; i++) {
		bool got;

		res->tries++;
		if (pages) {
			struct page *p = alloc_pages(GFP_KERNEL, 0);

			got = p;
			if (p)
				__free_pages(p, 0);
		} else {
			void *p = kmalloc(256, GFP_KERNEL);

			got = p;
			kfree(p);
		}
		if (got) {
			res->allocated++;
		} else {
			res->failed++;
			atomic_long_inc(&total_failed);
		}
		if (!(i & 1023))
			cond_resched();
	}
	res->ns = ktime_get_ns() - t0;
}

static int parse_order(const char *s, unsigned int *order)
{
	if (kstrtouint(s, 10, order) || *order >= NR_PAGE_ORDERS)
		return -EINVAL;
	return 0;
}

static ssize_t alloc_write(struct file *file, const char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	struct cmd_result res = { };
	char buf[64], *p, *w[3];
	unsigned int nw = 0, order = 10;
	unsigned long n = 0;
	int err = -EINVAL;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	p = buf;
	while (p && nw < ARRAY_SIZE(w)) {
		w[nw] = strsep(&p, " ");
		if (!*w[nw])
			return -EINVAL;	/* empty word: two spaces, leading space */
		nw++;
	}
	if (p)
		return -EINVAL;		/* too many words */

	if (nw == 2 && !strcmp(w[0], "nowait")) {
		err = parse_order(w[1], &order);
		if (!err)
			run_until_fail(&res, w[0], order, GFP_NOWAIT & ~__GFP_NOWARN, 0);
	} else if (nw == 2 && !strcmp(w[0], "nowait_nowarn")) {
		err = parse_order(w[1], &order);
		if (!err)
			run_until_fail(&res, w[0], order, GFP_NOWAIT | __GFP_NOWARN, 0);
	} else if (nw == 2 && !strcmp(w[0], "irq")) {
		err = parse_order(w[1], &order);
		if (!err) {
			mutex_lock(&irq_lock);
			run_irq(&res, order);
			mutex_unlock(&irq_lock);
		}
	} else if ((nw == 2 || nw == 3) && !strcmp(w[0], "burst")) {
		err = kstrtoul(w[1], 10, &n);
		if (!err && nw == 3)
			err = parse_order(w[2], &order);
		if (!err)
			run_until_fail(&res, w[0], order, GFP_NOWAIT | __GFP_NOWARN, n);
	} else if (nw == 2 && (!strcmp(w[0], "pages") || !strcmp(w[0], "kmalloc"))) {
		err = kstrtoul(w[1], 10, &n);
		if (!err)
			run_loop(&res, w[0], n);
	}
	if (!err) {
		mutex_lock(&cmd_lock);
		last = res;
		mutex_unlock(&cmd_lock);
	}
	return err ? err : len;
}

static int result_show(struct seq_file *m, void *v)
{
	mutex_lock(&cmd_lock);
	if (!last.cmd[0])
		seq_puts(m, "cmd=-\n");
	else
		seq_printf(m, "cmd=%s order=%d gfp=%#x allocated=%lu failed=%lu tries=%lu ns=%llu total_failed=%ld\n",
			   last.cmd, last.order, last.gfp, last.allocated, last.failed,
			   last.tries, last.ns, atomic_long_read(&total_failed));
	mutex_unlock(&cmd_lock);
	return 0;
}

static int result_open(struct inode *inode, struct file *file)
{
	return single_open(file, result_show, NULL);
}

static DECLARE_WAIT_QUEUE_HEAD(gate_wq);
static bool gate_open;
static atomic_t gate_waiters = ATOMIC_INIT(0);

static int gate_mmap(struct file *file, struct vm_area_struct *vma)
{
	int err;

	atomic_inc(&gate_waiters);
	err = wait_event_interruptible(gate_wq, READ_ONCE(gate_open));
	atomic_dec(&gate_waiters);
	return err ? err : -ENODEV;
}

static ssize_t gate_write(struct file *file, const char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	char buf[8];

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	if (!strcmp(buf, "open")) {
		WRITE_ONCE(gate_open, true);
		wake_up_all(&gate_wq);
	} else if (!strcmp(buf, "close")) {
		WRITE_ONCE(gate_open, false);
	} else {
		return -EINVAL;
	}
	return len;
}

static ssize_t gate_read(struct file *file, char __user *ubuf, size_t len, loff_t *ppos)
{
	char buf[32];
	int n = scnprintf(buf, sizeof(buf), "waiters=%d open=%d\n",
			  atomic_read(&gate_waiters), READ_ONCE(gate_open));

	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static ssize_t bucket_read(struct file *file, char __user *ubuf, size_t len, loff_t *ppos)
{
	char buf[16];
	int n = scnprintf(buf, sizeof(buf), "%u\n", hash_ptr(current, 32));

	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations bucket_fops = {
	.owner = THIS_MODULE,
	.read = bucket_read,
	.llseek = noop_llseek,
};

/* debugfs proxies no ->mmap: the file is created "unsafe", owner-pinned. */
static const struct file_operations gate_fops = {
	.owner = THIS_MODULE,
	.read = gate_read,
	.write = gate_write,
	.mmap = gate_mmap,
	.llseek = noop_llseek,
};

static const struct file_operations alloc_fops = {
	.owner = THIS_MODULE,
	.write = alloc_write,
	.llseek = noop_llseek,
};

static const struct file_operations result_fops = {
	.owner = THIS_MODULE,
	.open = result_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init test_alloc_init(void)
{
	init_irq_work(&irq_alloc_work, irq_alloc_fn);
	dir = debugfs_create_dir("oomdiag_test", NULL);
	if (IS_ERR_OR_NULL(dir))
		return dir ? PTR_ERR(dir) : -ENODEV;
	debugfs_create_file("alloc", 0200, dir, NULL, &alloc_fops);
	debugfs_create_file("result", 0400, dir, NULL, &result_fops);
	debugfs_create_file_unsafe("gate", 0600, dir, NULL, &gate_fops);
	debugfs_create_file("bucket", 0400, dir, NULL, &bucket_fops);
	return 0;
}

static void __exit test_alloc_exit(void)
{
	debugfs_remove_recursive(dir);
}

module_init(test_alloc_init);
module_exit(test_alloc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("oomdiag test helper: page allocation failures and allocation loops on request");
