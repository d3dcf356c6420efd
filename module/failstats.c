// SPDX-License-Identifier: GPL-2.0
/*
 * Every page allocation failure, counted by (order, gfp mask, caller), also
 * when its record is overwritten in the ring or never taken (issue 14 item
 * 4): a storm of opportunistic failures (page-frag refills at order 3 with
 * __GFP_NORETRY, THP attempts) must not push the OOM kill out of the ring,
 * and must still be counted by who asked.
 *
 * The table is static (no allocation), 256 keys, open addressing with a
 * bounded probe; a failure whose key finds no slot counts in "other".  It
 * is updated under a raw spinlock with irqs off, held only for the lookup
 * and the counter updates; in NMI (int3) context the lock is only tried
 * and a failure that cannot take it counts in "busy".  Nothing is lost
 * without a count: keys + other + busy = every failure seen.
 *
 * The caller is the first return address outside the page and slab
 * allocators (and outside this module): the stack is walked as rec_stack()
 * does, and each return address is classified once by its symbol name,
 * then remembered in a small lock-free cache, so a storm from one call site
 * costs a stack walk and a few compares per failure.
 *
 * Optionally (fail_records_per_key, 0 = off) once a key has had that many
 * records within a second, its further failures in that second are only
 * counted (counted_only), and the alloc_fail record is not taken.  The
 * warn_alloc records of a key obey the same limit, in a window of their
 * own (warn_counted_only): the warn_alloc() call of a failure comes before
 * the failure is counted, so it only looks its key up, by the caller above
 * warn_alloc()'s return address, or, where the stack cannot be walked that
 * far (v5.10 through a kretprobe's trampoline), the first key of the same
 * order and gfp mask.  A warn_alloc() without a key (no failure of that
 * kind counted yet, vmalloc's) is always recorded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hardirq.h>
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "failstats.h"

static unsigned int fail_records_per_key;
module_param(fail_records_per_key, uint, 0444);
MODULE_PARM_DESC(fail_records_per_key,
		 "alloc_fail records per (order, gfp, caller) and second; beyond, failures are only counted (0: no limit, default)");

#define FS_BITS		8
#define FS_KEYS		BIT(FS_BITS)
#define FS_PROBES	8
#define FS_DEPTH	24
#define FS_WINDOW_NS	NSEC_PER_SEC

struct fs_key {
	unsigned long caller;	/* return address in the caller, 0: slot free */
	u32 gfp;
	u32 order;
	u64 count;
	u64 first_ns;
	u64 last_ns;
	u64 counted_only;	/* failures not recorded: over the per-key limit */
	u64 win_start_ns;	/* the per-key limit's current second */
	u32 win_records;
	u32 used;
	u64 warn_counted_only;	/* warn_alloc records not taken: over the limit */
	u64 warn_win_start_ns;	/* the same for warn_alloc records */
	u32 warn_win_records;
};

struct fs_table {
	struct fs_key keys[FS_KEYS];
	u32 nr_keys;
	u64 other;		/* failures with no key: the table was full */
	u64 other_first_ns;
	u64 other_last_ns;
};

static DEFINE_RAW_SPINLOCK(fs_lock);
static struct fs_table fs;
/* NMI context could not take fs_lock: counted here, no key. */
static atomic64_t fs_busy;
/* fs_lock held with irqs off: the longest hold and the sum, for the header. */
static atomic64_t fs_lock_max_ns;
static atomic64_t fs_lock_total_ns;
static atomic64_t fs_cache_misses;

static void fs_lock_held(u64 t0)
{
	s64 held = ktime_get_mono_fast_ns() - t0, old = atomic64_read(&fs_lock_max_ns);

	atomic64_add(held, &fs_lock_total_ns);
	while (held > old) {
		s64 prev = atomic64_cmpxchg(&fs_lock_max_ns, old, held);

		if (prev == old)
			break;
		old = prev;
	}
}

/* ---- the caller: first return address outside the allocators ---- */

/*
 * Functions a failed request passes through between the caller and the
 * kmem:mm_page_alloc tracepoint (or the slow path's kretprobe), on 5.10 to
 * 7.x; compiler suffixes (.constprop.0, .isra.0) are ignored.
 */
static const char * const alloc_funcs[] = {
	"__traceiter_mm_page_alloc",
	"__alloc_pages", "__alloc_pages_noprof", "__alloc_pages_nodemask",
	"__alloc_frozen_pages_noprof", "alloc_frozen_pages_noprof",
	"__alloc_pages_slowpath",
	"alloc_pages", "alloc_pages_noprof", "alloc_pages_current",
	"alloc_pages_mpol", "alloc_pages_mpol_noprof", "alloc_pages_vma",
	"__alloc_pages_node", "alloc_pages_node", "alloc_pages_node_noprof",
	"__folio_alloc", "__folio_alloc_noprof", "folio_alloc", "folio_alloc_noprof",
	"folio_alloc_mpol", "folio_alloc_mpol_noprof", "vma_alloc_folio",
	"vma_alloc_folio_noprof", "__get_free_pages", "__get_free_pages_noprof",
	"get_zeroed_page", "get_zeroed_page_noprof", "alloc_pages_exact",
	"alloc_pages_exact_noprof", "alloc_pages_exact_nid", "alloc_pages_exact_nid_noprof",
	"__alloc_pages_bulk", "__alloc_pages_bulk_noprof", "alloc_pages_bulk_noprof",
	"__page_frag_cache_refill", "page_frag_alloc_align", "__page_frag_alloc_align",
	"alloc_slab_page", "allocate_slab", "new_slab", "___slab_alloc", "__slab_alloc",
	"__slab_alloc_node", "slab_alloc_node", "kmalloc_large", "kmalloc_large_node",
	"__kmalloc_large_node", "__kmalloc_large_node_noprof", "___kmalloc_large_node",
	"kmalloc_large_noprof", "kmalloc_large_node_noprof", "kmalloc_order",
	"kmalloc_order_trace", "__kmalloc", "__kmalloc_noprof", "__kmalloc_node",
	"__kmalloc_node_noprof", "__do_kmalloc_node", "__kmalloc_node_track_caller",
	"__kmalloc_node_track_caller_noprof", "kmalloc_trace", "kmalloc_trace_noprof",
	"__kmalloc_cache_noprof", "__kmalloc_cache_node_noprof", "__kmem_cache_alloc_node",
	"kmem_cache_alloc", "kmem_cache_alloc_noprof", "kmem_cache_alloc_lru",
	"kmem_cache_alloc_lru_noprof", "kmem_cache_alloc_node", "kmem_cache_alloc_node_noprof",
	/* a kretprobe return handler's own frames */
	"kretprobe_rethook_handler", "rethook_trampoline_handler",
	"arch_rethook_trampoline_callback", "arch_rethook_trampoline",
	"__kretprobe_trampoline_handler", "trampoline_handler", "__kretprobe_trampoline",
	"kretprobe_trampoline",
};

static bool name_is_alloc(const char *sym)
{
	size_t len = strcspn(sym, ". ");
	unsigned int i;

	/* "name [module]": not the kernel's allocator; "0x...": unnamed. */
	if (strchr(sym, '[') || !strncmp(sym, "0x", 2))
		return false;
	for (i = 0; i < ARRAY_SIZE(alloc_funcs); i++)
		if (strlen(alloc_funcs[i]) == len && !strncmp(sym, alloc_funcs[i], len))
			return true;
	return false;
}

/*
 * Classified return addresses.  A kernel text address has its top bit
 * set: an entry equal to the address means "allocator", the address with
 * the top bit cleared means "not the allocator".  One word per entry, so
 * a racing writer leaves a whole entry or another whole entry.
 */
#define FS_CLS_BITS	8
#define FS_CLS_OUTSIDE	(1UL << (BITS_PER_LONG - 1))

static unsigned long cls_cache[1u << FS_CLS_BITS];

static noinline bool classify(unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];
	bool alloc;

	atomic64_inc(&fs_cache_misses);
	sprint_symbol_no_offset(sym, addr);
	alloc = name_is_alloc(sym);
	WRITE_ONCE(cls_cache[hash_long(addr, FS_CLS_BITS)], alloc ? addr : addr & ~FS_CLS_OUTSIDE);
	return alloc;
}

static bool is_alloc(unsigned long addr)
{
	unsigned long e = READ_ONCE(cls_cache[hash_long(addr, FS_CLS_BITS)]);

	if (!(addr & FS_CLS_OUTSIDE))
		return false;
	if (e == addr)
		return true;
	if (e == (addr & ~FS_CLS_OUTSIDE))
		return false;
	return classify(addr);
}

static unsigned long fs_caller(void)
{
	unsigned long buf[FS_DEPTH];
	unsigned int n, i;

	n = stack_trace_save(buf, ARRAY_SIZE(buf), 0);
	for (i = 0; i < n; i++) {
		if (within_module(buf[i], THIS_MODULE))
			continue;
		if (!is_alloc(buf[i]))
			return buf[i];
	}
	return 0;
}

/*
 * The caller of a warn_alloc() call: the first frame outside the allocators
 * from its return address @ret on; 0 when the walk does not reach @ret.
 */
static unsigned long fs_caller_from(unsigned long ret)
{
	unsigned long buf[FS_DEPTH];
	unsigned int n, i;

	n = stack_trace_save(buf, ARRAY_SIZE(buf), 0);
	for (i = 0; i < n && buf[i] != ret; i++)
		;
	for (; i < n; i++)
		if (!is_alloc(buf[i]))
			return buf[i];
	return 0;
}

/* ---- counting ---- */

static struct fs_key *fs_find(unsigned long caller, u32 gfp, u32 order)
{
	unsigned long h = hash_long(caller ^ ((unsigned long)gfp << 5) ^ order, FS_BITS);
	unsigned int i;

	for (i = 0; i < FS_PROBES; i++) {
		struct fs_key *k = &fs.keys[(h + i) & (FS_KEYS - 1)];

		if (!k->used) {
			k->used = 1;
			k->caller = caller;
			k->gfp = gfp;
			k->order = order;
			fs.nr_keys++;
			return k;
		}
		if (k->caller == caller && k->gfp == gfp && k->order == order)
			return k;
	}
	return NULL;
}

bool rec_failstats_add(unsigned int order, gfp_t gfp)
{
	unsigned long caller = fs_caller(), flags;
	u64 now = ktime_get_mono_fast_ns(), t0;
	bool record = true;
	struct fs_key *k;

	if (in_nmi()) {
		if (!raw_spin_trylock_irqsave(&fs_lock, flags)) {
			atomic64_inc(&fs_busy);
			return true;
		}
	} else {
		raw_spin_lock_irqsave(&fs_lock, flags);
	}
	t0 = ktime_get_mono_fast_ns();
	k = fs_find(caller, (__force u32)gfp, order);
	if (!k) {
		if (!fs.other++)
			fs.other_first_ns = now;
		fs.other_last_ns = now;
		goto out;
	}
	if (!k->count++)
		k->first_ns = now;
	k->last_ns = now;
	if (fail_records_per_key) {
		if (now - k->win_start_ns >= FS_WINDOW_NS) {
			k->win_start_ns = now;
			k->win_records = 0;
		}
		if (k->win_records < fail_records_per_key) {
			k->win_records++;
		} else {
			k->counted_only++;
			record = false;
		}
	}
out:
	fs_lock_held(t0);
	raw_spin_unlock_irqrestore(&fs_lock, flags);
	return record;
}

/* Over the per-key limit of warn_alloc records in this second? */
static bool fs_warn_limited(struct fs_key *k, u64 now)
	__must_hold(&fs_lock)
{
	if (now - k->warn_win_start_ns >= FS_WINDOW_NS) {
		k->warn_win_start_ns = now;
		k->warn_win_records = 0;
	}
	if (k->warn_win_records < fail_records_per_key) {
		k->warn_win_records++;
		return false;
	}
	k->warn_counted_only++;
	return true;
}

/*
 * Without a caller: the first key of (@gfp, @order), searched before the
 * lock is taken (a whole-table walk must not keep irqs off), checked again
 * under it.  FS_KEYS when none.
 */
static unsigned int fs_scan(u32 gfp, u32 order)
{
	unsigned int i;

	for (i = 0; i < FS_KEYS; i++)
		if (READ_ONCE(fs.keys[i].used) && READ_ONCE(fs.keys[i].gfp) == gfp &&
		    READ_ONCE(fs.keys[i].order) == order)
			break;
	return i;
}

/* The key of (@caller, @gfp, @order), or with @caller 0 the one fs_scan() found at @at. */
static struct fs_key *fs_lookup(unsigned long caller, u32 gfp, u32 order, unsigned int at)
	__must_hold(&fs_lock)
{
	unsigned long h = hash_long(caller ^ ((unsigned long)gfp << 5) ^ order, FS_BITS);
	struct fs_key *k;
	unsigned int i;

	if (!caller) {
		k = at < FS_KEYS ? &fs.keys[at] : NULL;
		return k && k->used && k->gfp == gfp && k->order == order ? k : NULL;
	}
	for (i = 0; i < FS_PROBES; i++) {
		k = &fs.keys[(h + i) & (FS_KEYS - 1)];
		if (!k->used)
			return NULL;
		if (k->caller == caller && k->gfp == gfp && k->order == order)
			return k;
	}
	return NULL;
}

bool rec_failstats_warn(unsigned int order, gfp_t gfp, unsigned long ret)
{
	unsigned long caller, flags;
	unsigned int at = FS_KEYS;
	bool record = true;
	struct fs_key *k;
	u64 now, t0;

	if (!fail_records_per_key)
		return true;
	caller = fs_caller_from(ret);
	if (!caller)
		at = fs_scan((__force u32)gfp, order);
	now = ktime_get_mono_fast_ns();
	if (in_nmi()) {
		if (!raw_spin_trylock_irqsave(&fs_lock, flags))
			return true;
	} else {
		raw_spin_lock_irqsave(&fs_lock, flags);
	}
	t0 = ktime_get_mono_fast_ns();
	k = fs_lookup(caller, (__force u32)gfp, order, at);
	if (k && fs_warn_limited(k, now))
		record = false;
	fs_lock_held(t0);
	raw_spin_unlock_irqrestore(&fs_lock, flags);
	return record;
}

static void fs_totals(u64 *keyed, u64 *counted_only, u64 *warn_only, u32 *nr_keys, u64 *other)
{
	unsigned long flags;
	unsigned int i;

	*keyed = 0;
	*counted_only = 0;
	*warn_only = 0;
	raw_spin_lock_irqsave(&fs_lock, flags);
	for (i = 0; i < FS_KEYS; i++) {
		*keyed += fs.keys[i].count;
		*counted_only += fs.keys[i].counted_only;
		*warn_only += fs.keys[i].warn_counted_only;
	}
	*nr_keys = fs.nr_keys;
	*other = fs.other;
	raw_spin_unlock_irqrestore(&fs_lock, flags);
}

static void fs_header(struct seq_file *m, const char *prefix)
{
	u64 keyed, counted_only, warn_only, other;
	u32 nr_keys;

	fs_totals(&keyed, &counted_only, &warn_only, &nr_keys, &other);
	seq_printf(m, "%s total=%llu keys=%u max_keys=%u other=%llu busy=%lld counted_only=%llu warn_counted_only=%llu records_per_key=%u lock_max_ns=%lld lock_total_ns=%lld caller_lookups=%lld\n",
		   prefix, keyed + other + atomic64_read(&fs_busy), nr_keys,
		   (unsigned int)FS_KEYS, other, atomic64_read(&fs_busy), counted_only,
		   warn_only, fail_records_per_key,
		   atomic64_read(&fs_lock_max_ns), atomic64_read(&fs_lock_total_ns),
		   atomic64_read(&fs_cache_misses));
}

void rec_failstats_print(struct seq_file *m)
{
	fs_header(m, "# failstats");
}

/* ---- debugfs "failures" ---- */

struct fs_snap {
	u32 nr;
	u64 other, other_first_ns, other_last_ns;
	struct fs_key keys[FS_KEYS];
};

/* Same rule as the events file: a frame %pS cannot name prints as '?'. */
static void put_caller(struct seq_file *m, unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];

	if (!addr) {
		seq_puts(m, " caller=?");
		return;
	}
	snprintf(sym, sizeof(sym), "%pS", (void *)addr);
	if (!strncmp(sym, "0x", 2))
		seq_puts(m, " caller=?");
	else
		seq_printf(m, " caller=%s", sym);
}

static int fs_show(struct seq_file *m, void *v)
{
	struct fs_snap *s = m->private;
	unsigned int i;

	fs_header(m, "# oomdiag failures v1");
	for (i = 0; i < s->nr; i++) {
		const struct fs_key *k = &s->keys[i];
		gfp_t gfp = (__force gfp_t)k->gfp;

		seq_printf(m, "order=%u gfp=%#x gfp_names=%pGg", k->order, k->gfp, &gfp);
		put_caller(m, k->caller);
		seq_printf(m, " count=%llu first_ns=%llu last_ns=%llu counted_only=%llu warn_counted_only=%llu\n",
			   k->count, k->first_ns, k->last_ns, k->counted_only,
			   k->warn_counted_only);
	}
	if (s->other)
		seq_printf(m, "order=- gfp=- gfp_names=- caller=other count=%llu first_ns=%llu last_ns=%llu counted_only=0 warn_counted_only=0\n",
			   s->other, s->other_first_ns, s->other_last_ns);
	return 0;
}

/* A copy taken a few keys at a time: the hooks wait for no reader. */
#define FS_COPY_CHUNK	32

static int fs_open(struct inode *inode, struct file *file)
{
	struct fs_snap *s;
	unsigned long flags;
	unsigned int i, j;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	s = kvzalloc(sizeof(*s), GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < FS_KEYS; i += FS_COPY_CHUNK) {
		raw_spin_lock_irqsave(&fs_lock, flags);
		for (j = i; j < i + FS_COPY_CHUNK && j < FS_KEYS; j++)
			if (fs.keys[j].used && fs.keys[j].count)
				s->keys[s->nr++] = fs.keys[j];
		if (i + FS_COPY_CHUNK >= FS_KEYS) {
			s->other = fs.other;
			s->other_first_ns = fs.other_first_ns;
			s->other_last_ns = fs.other_last_ns;
		}
		raw_spin_unlock_irqrestore(&fs_lock, flags);
	}
	err = single_open_size(file, fs_show, s, 4096 + s->nr * 256);
	if (err)
		kvfree(s);
	return err;
}

static int fs_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kvfree(m->private);
	return single_release(inode, file);
}

/* Exactly "clear", with or without one trailing newline: empty the table. */
static ssize_t fs_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	unsigned long flags;
	char buf[8];

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (strnlen(buf, len) != len)
		return -EINVAL;
	if (buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	if (strcmp(buf, "clear"))
		return -EINVAL;
	raw_spin_lock_irqsave(&fs_lock, flags);
	memset(&fs, 0, sizeof(fs));
	raw_spin_unlock_irqrestore(&fs_lock, flags);
	atomic64_set(&fs_busy, 0);
	return len;
}

static const struct file_operations fs_fops = {
	.owner = THIS_MODULE,
	.open = fs_open,
	.read = seq_read,
	.write = fs_write,
	.llseek = seq_lseek,
	.release = fs_release,
};

int rec_failstats_init(struct dentry *dir)
{
	struct dentry *d = debugfs_create_file("failures", 0400, dir, NULL, &fs_fops);

	if (IS_ERR_OR_NULL(d))
		return d ? PTR_ERR(d) : -ENOMEM;
	return 0;
}
