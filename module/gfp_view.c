// SPDX-License-Identifier: GPL-2.0
/*
 * The "gfp" view: write "0xMASK [ORDER]", read back what the running
 * kernel makes of it: the flag names as %pGg prints them (the same text as
 * dmesg's mode:0x...(...) and gfp_mask=0x...(...)), the zone and
 * migratetype, and what __alloc_pages_slowpath() will do with it.  The
 * state belongs to the open file, so two readers never see each other's
 * mask.
 *
 * The decoding follows mm/page_alloc.c of the kernel it was built for:
 * gfp_to_alloc_flags() (two rule sets, see OOMDIAG_ALLOC_NON_BLOCK in
 * compat.h), __zone_watermark_ok(), __gfp_pfmemalloc_flags(),
 * __alloc_pages_slowpath(), __alloc_pages_may_oom() and out_of_memory().
 * Only the mask and order are known here; what depends on the calling
 * task (PF_MEMALLOC, OOM victim, RT policy, cpuset, memalloc_noio/nofs
 * scopes) is listed under "context".
 */
#include <linux/ctype.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "oomdiag.h"
#include "views.h"

/* "0x" + 8 hex digits + " " + 2 digits + "\n", with room to spare. */
#define GFP_WRITE_MAX	32

#define GFP_STATE_SET	BIT_ULL(63)

struct gfp_state {
	u64 val;		/* GFP_STATE_SET | order << 32 | mask */
};

/* Parse "0xHEX[ ORDER][\n]" strictly; -EINVAL for anything else. */
static int gfp_parse(const char *buf, size_t len, unsigned int *mask,
		     unsigned int *order)
{
	char tok[GFP_WRITE_MAX + 1];
	const char *p = buf, *end = buf + len;
	size_t n;

	if (len && end[-1] == '\n')
		end--;
	/* Mask: 0x then 1..8 hex digits. */
	if (end - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
		return -EINVAL;
	for (n = 2; p + n < end && isxdigit(p[n]); n++)
		;
	if (n == 2 || n > 10)
		return -EINVAL;
	memcpy(tok, p, n);
	tok[n] = '\0';
	if (kstrtouint(tok, 16, mask))
		return -EINVAL;
	p += n;
	*order = 0;
	if (p == end)
		return 0;
	/* Order: one space then 1..2 decimal digits, nothing after. */
	if (*p++ != ' ')
		return -EINVAL;
	for (n = 0; p + n < end && isdigit(p[n]); n++)
		;
	if (n == 0 || n > 2 || p + n != end)
		return -EINVAL;
	memcpy(tok, p, n);
	tok[n] = '\0';
	if (kstrtouint(tok, 10, order) || *order >= NR_PAGE_ORDERS)
		return -EINVAL;
	return 0;
}

static ssize_t gfp_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct gfp_state *st = m->private;
	char buf[GFP_WRITE_MAX + 1];
	unsigned int mask, order;

	if (count == 0 || count > GFP_WRITE_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (strnlen(buf, count) != count)
		return -EINVAL;
	if (gfp_parse(buf, count, &mask, &order))
		return -EINVAL;
	WRITE_ONCE(st->val, GFP_STATE_SET | (u64)order << 32 | mask);
	return count;
}

/* What gfp_to_alloc_flags() and the slow path decide from the mask. */
struct gfp_decode {
	bool direct, kswapd, high, non_block, harder, highatomic, cpuset, cma;
	bool no_watermarks;
	int zone;			/* -1: invalid zone modifier combination */
	int mt;				/* -1: invalid mobility combination */
	unsigned int wmark_permille;	/* part of the min watermark it must keep */
};

static void gfp_decode(gfp_t gfp, unsigned int order, struct gfp_decode *d)
{
	unsigned int zbits = (__force unsigned int)(gfp & GFP_ZONEMASK);
	unsigned long min = 1000;

	memset(d, 0, sizeof(*d));
	d->direct = gfp & __GFP_DIRECT_RECLAIM;
	d->kswapd = gfp & __GFP_KSWAPD_RECLAIM;
	d->high = gfp & __GFP_HIGH;
	d->cpuset = true;
	d->zone = ((GFP_ZONE_BAD >> zbits) & 1) ? -1 : gfp_zone(gfp);
	d->mt = oomdiag_gfp_migratetype(gfp);
	if ((gfp & OOMDIAG_GFP_MOBILITY_MASK) == OOMDIAG_GFP_MOBILITY_MASK)
		d->mt = -1;
#if OOMDIAG_ALLOC_NON_BLOCK
	if (!d->direct) {
		if (!(gfp & __GFP_NOMEMALLOC)) {
			d->non_block = true;
			d->highatomic = order > 0 && d->high;
		}
		if (d->high)
			d->cpuset = false;
	}
	if (d->high) {
		min -= min / 2;
		if (d->non_block)
			min -= min / 4;
	}
#else
	if (gfp & __GFP_ATOMIC) {
		d->harder = !(gfp & __GFP_NOMEMALLOC);
		d->cpuset = false;
	}
	d->highatomic = order > 0 && d->harder;
	if (d->high)
		min -= min / 2;
	if (d->harder)
		min -= min / 4;
#endif
	d->cma = IS_ENABLED(CONFIG_CMA) && d->mt == MIGRATE_MOVABLE;
	/* __gfp_pfmemalloc_flags(): the slow path's retry ignores watermarks. */
	d->no_watermarks = (gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC);
	d->wmark_permille = d->no_watermarks ? 0 : min;
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static void show_compaction(struct seq_file *m, gfp_t gfp, unsigned int order,
			    const struct gfp_decode *d)
{
	const bool costly = order > PAGE_ALLOC_COSTLY_ORDER;

	if (!order)
		seq_puts(m, "compaction=no\ncompaction_why=order_0\n");
	else if (!d->direct)
		seq_puts(m, "compaction=no\ncompaction_why=no___GFP_DIRECT_RECLAIM\n");
	else if (!gfp_compaction_allowed(gfp))
		seq_printf(m, "compaction=no\ncompaction_why=%s\n",
			   IS_ENABLED(CONFIG_COMPACTION) ? "no___GFP_IO" : "CONFIG_COMPACTION_off");
	else if (costly || d->mt != MIGRATE_MOVABLE)
		seq_printf(m, "compaction=first\ncompaction_why=%s\n",
			   costly ? "costly_order" : "non_movable_high_order");
	else
		seq_puts(m, "compaction=after_reclaim\ncompaction_why=movable_high_order\n");
}

/* __alloc_pages_slowpath() after the first attempts fail. */
static void show_retry_oom(struct seq_file *m, gfp_t gfp, unsigned int order,
			   const struct gfp_decode *d)
{
	const bool costly = order > PAGE_ALLOC_COSTLY_ORDER;
	const char *retry, *oom_why = NULL;

	if (!d->direct)
		retry = "none";
	else if (gfp & __GFP_NOFAIL)
		retry = "forever";
	else if (gfp & __GFP_NORETRY)
		retry = "once";
	else if (costly && (!gfp_compaction_allowed(gfp) || !(gfp & __GFP_RETRY_MAYFAIL)))
		retry = "once";
	else if (gfp & __GFP_RETRY_MAYFAIL)
		retry = "while_progress";
	else
		retry = "while_progress_then_oom";
	seq_printf(m, "retry=%s\n", retry);

	/* __alloc_pages_may_oom() and out_of_memory(), in their order. */
	if (!d->direct)
		oom_why = "no___GFP_DIRECT_RECLAIM";
	else if ((gfp & __GFP_NORETRY) && !(gfp & __GFP_NOFAIL))
		oom_why = "__GFP_NORETRY";
	else if (costly)
		oom_why = "costly_order";
	else if (gfp & __GFP_RETRY_MAYFAIL)
		oom_why = "__GFP_RETRY_MAYFAIL";
	else if (gfp & __GFP_THISNODE)
		oom_why = "__GFP_THISNODE";
	else if (d->zone >= 0 && d->zone < ZONE_NORMAL)
		oom_why = "lowmem_zone";
	else if (!(gfp & __GFP_FS))
		oom_why = "no___GFP_FS_retries_instead";
	seq_printf(m, "oom_killer=%s\n", yes_no(!oom_why));
	seq_printf(m, "oom_killer_why=%s\n", oom_why ?: "may_kill_after_reclaim_fails");

	if ((gfp & __GFP_NOFAIL) && !d->direct)
		seq_puts(m, "nofail=ignored_without___GFP_DIRECT_RECLAIM\n");
	else
		seq_printf(m, "nofail=%s\n", yes_no(gfp & __GFP_NOFAIL));
}

static int gfp_show(struct seq_file *m, void *unused)
{
	struct gfp_state *st = m->private;
	u64 val = READ_ONCE(st->val);
	unsigned int order = (val >> 32) & 0xff;
	gfp_t gfp = (__force gfp_t)(u32)val;
	unsigned int unknown = (__force unsigned int)(gfp & ~__GFP_BITS_MASK);
	struct gfp_decode d;

	seq_puts(m, "# oomdiag gfp v1\n");
	if (!(val & GFP_STATE_SET)) {
		seq_puts(m, "set=0\n# write \"0xMASK [ORDER]\" to this open file, then read it\n");
		return 0;
	}
	gfp_decode(gfp, order, &d);
	seq_puts(m, "set=1\n");
	seq_printf(m, "mask=0x%x\n", (__force unsigned int)gfp);
	seq_printf(m, "order=%u\n", order);
	/* dmesg prints "()" for no flags; "-" is this file's empty value. */
	if (gfp)
		seq_printf(m, "names=%pGg\n", &gfp);
	else
		seq_puts(m, "names=-\n");
	seq_printf(m, "unknown_bits=%#x\n", unknown);
	if (d.zone < 0)
		seq_puts(m, "zone=invalid\n");
	else
		seq_printf(m, "zone=%s\n",
			   NODE_DATA(first_online_node)->node_zones[d.zone].name);
	seq_printf(m, "migratetype=%s\n",
		   d.mt < 0 ? "invalid" : oomdiag_migratetype_name(d.mt));
	seq_printf(m, "costly_order=%s\n", yes_no(order > PAGE_ALLOC_COSTLY_ORDER));
	seq_printf(m, "alloc_rules=%s\n",
		   OOMDIAG_ALLOC_NON_BLOCK ? "non_block" : "alloc_harder");
	seq_printf(m, "direct_reclaim=%s\n", yes_no(d.direct));
	seq_printf(m, "kswapd=%s\n", yes_no(d.kswapd));
	show_compaction(m, gfp, order, &d);
	seq_printf(m, "min_reserve=%s\n", yes_no(d.high));
	seq_printf(m, "non_block=%s\n", yes_no(d.non_block));
	seq_printf(m, "alloc_harder=%s\n", yes_no(d.harder));
	seq_printf(m, "below_min=%s\n", yes_no(d.wmark_permille < 1000));
	seq_printf(m, "min_watermark_permille=%u\n", d.wmark_permille);
	seq_printf(m, "no_watermarks=%s\n", yes_no(d.no_watermarks));
	seq_printf(m, "highatomic=%s\n", d.highatomic ? "yes" :
#if OOMDIAG_ALLOC_NON_BLOCK
		   d.non_block ? "fallback" :
#endif
		   "no");
	seq_printf(m, "cma=%s\n", yes_no(d.cma));
	seq_printf(m, "cpuset=%s\n", yes_no(d.cpuset));
	show_retry_oom(m, gfp, order, &d);
	seq_printf(m, "warn=%s\n", (gfp & __GFP_NOWARN) ? "no" : "ratelimited");
	seq_puts(m, "context=PF_MEMALLOC_and_OOM_victims_ignore_watermarks,RT_tasks_get_min_reserve,memalloc_noio_nofs_scopes_clear_IO_FS\n");
	return 0;
}

static int gfp_open(struct inode *inode, struct file *file)
{
	struct gfp_state *st;
	int err;

	err = oomdiag_view_may_open();
	if (err)
		return err;
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	err = single_open(file, gfp_show, st);
	if (err)
		goto err_free;
	return 0;

err_free:
	kfree(st);
	return err;
}

static int gfp_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kfree(m->private);
	return single_release(inode, file);
}

const struct file_operations oomdiag_gfp_fops = {
	.owner = THIS_MODULE,
	.open = gfp_open,
	.read = seq_read,
	.write = gfp_write,
	.llseek = seq_lseek,
	.release = gfp_release,
};
