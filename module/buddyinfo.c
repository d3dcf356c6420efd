// SPDX-License-Identifier: GPL-2.0
/*
 * The "buddyinfo" view: per node and zone, free blocks per order (as
 * /proc/buddyinfo), per migratetype and order (as /proc/pagetypeinfo),
 * watermarks with boost, managed/free/free-CMA pages, and per order the
 * unusable free index and fragmentation index (mm/vmstat.c formulas, as in
 * debugfs extfrag/), and the highest order free per migratetype.
 *
 * open() takes the snapshot, read() prints it, so a retried seq_file show
 * never walks the free lists twice.  Order counts are read without
 * zone->lock (as /proc/buddyinfo does).  Per-migratetype counts walk each
 * free list under zone->lock with irqs off, one list per lock hold, capped
 * at LIST_CAP entries like /proc/pagetypeinfo, with cond_resched() between
 * lists; the longest hold is reported for the benchmark.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmstat.h>

#include "compat.h"
#include "oomdiag.h"
#include "views.h"

/* Same cap as pagetypeinfo_showfree_print(): long walks under the lock. */
#define LIST_CAP	100000

struct buddy_zone {
	int node;
	const char *name;
	unsigned long managed, free, free_cma, boost, min, low, high;
	unsigned long nr_free[NR_PAGE_ORDERS];
	unsigned long mt_free[MIGRATE_TYPES][NR_PAGE_ORDERS];
	unsigned int capped;
	u64 max_lock_ns;
};

struct buddy_snap {
	unsigned int nr_zones;
	unsigned int lists, capped;
	u64 max_lock_ns, total_lock_ns;
	struct buddy_zone z[];
};

static void snap_lockless(struct buddy_zone *bz, int nid, struct zone *zone)
{
	unsigned int order;

	bz->node = nid;
	bz->name = zone->name;
	bz->managed = zone_managed_pages(zone);
	bz->free = zone_page_state(zone, NR_FREE_PAGES);
#ifdef CONFIG_CMA
	bz->free_cma = zone_page_state(zone, NR_FREE_CMA_PAGES);
#endif
	bz->boost = oomdiag_wmark_boost(zone);
	bz->min = min_wmark_pages(zone);
	bz->low = low_wmark_pages(zone);
	bz->high = high_wmark_pages(zone);
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		/* Racy by design: /proc/buddyinfo reads it without zone->lock. */
		bz->nr_free[order] = data_race(READ_ONCE(zone->free_area[order].nr_free));
	}
}

static void snap_lists(struct buddy_snap *s, struct buddy_zone *bz, struct zone *zone)
{
	unsigned int order;
	int mt;

	for (mt = 0; mt < MIGRATE_TYPES; mt++) {
		for (order = 0; order < NR_PAGE_ORDERS; order++) {
			struct list_head *head = &zone->free_area[order].free_list[mt];
			struct list_head *curr;
			unsigned long count = 0;
			u64 t0, held;

			spin_lock_irq(&zone->lock);
			t0 = ktime_get_ns();
			list_for_each(curr, head) {
				if (++count >= LIST_CAP) {
					bz->capped++;
					break;
				}
			}
			held = ktime_get_ns() - t0;
			spin_unlock_irq(&zone->lock);

			bz->mt_free[mt][order] = count;
			bz->max_lock_ns = max(bz->max_lock_ns, held);
			s->total_lock_ns += held;
			s->lists++;
			cond_resched();
		}
	}
	s->capped += bz->capped;
	s->max_lock_ns = max(s->max_lock_ns, bz->max_lock_ns);
}

static unsigned int count_zones(void)
{
	unsigned int n = 0;
	int nid, i;

	for_each_online_node(nid)
		for (i = 0; i < MAX_NR_ZONES; i++)
			if (populated_zone(&NODE_DATA(nid)->node_zones[i]))
				n++;
	return n;
}

static struct buddy_snap *buddy_snapshot(void)
{
	struct buddy_snap *s;
	unsigned int n, max = count_zones();
	int nid, i;

	s = kvzalloc(struct_size(s, z, max), GFP_KERNEL);
	if (!s)
		return NULL;
	n = 0;
	for_each_online_node(nid) {
		for (i = 0; i < MAX_NR_ZONES && n < max; i++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[i];

			if (!populated_zone(zone))
				continue;
			snap_lockless(&s->z[n], nid, zone);
			snap_lists(s, &s->z[n], zone);
			n++;
		}
	}
	s->nr_zones = n;
	return s;
}

/* mm/vmstat.c fill_contig_page_info() on the snapshot's order counts. */
static void contig_info(const struct buddy_zone *bz, unsigned int suitable_order,
			unsigned long *free_pages, unsigned long *blocks_total,
			unsigned long *blocks_suitable)
{
	unsigned int order;

	*free_pages = 0;
	*blocks_total = 0;
	*blocks_suitable = 0;
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long blocks = bz->nr_free[order];

		*blocks_total += blocks;
		*free_pages += blocks << order;
		if (order >= suitable_order)
			*blocks_suitable += blocks << (order - suitable_order);
	}
}

/* mm/vmstat.c unusable_free_index(), in thousandths. */
static int unusable_index(const struct buddy_zone *bz, unsigned int order)
{
	unsigned long free_pages, total, suitable;

	contig_info(bz, order, &free_pages, &total, &suitable);
	if (!free_pages)
		return 1000;
	return div_u64((free_pages - (suitable << order)) * 1000ULL, free_pages);
}

/* mm/vmstat.c __fragmentation_index(), in thousandths. */
static int frag_index(const struct buddy_zone *bz, unsigned int order)
{
	unsigned long free_pages, total, suitable;
	unsigned long requested = 1UL << order;

	contig_info(bz, order, &free_pages, &total, &suitable);
	if (!total)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - div_u64(1000 + div_u64(free_pages * 1000ULL, requested), total);
}

static void print_ulongs(struct seq_file *m, const unsigned long *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		seq_printf(m, "%s%lu", i ? "," : " ", v[i]);
}

static int buddy_show(struct seq_file *m, void *v)
{
	const struct buddy_snap *s = m->private;
	unsigned int i, order;
	int mt;

	seq_printf(m, "# oomdiag buddyinfo v1 zones=%u orders=%u migratetypes=",
		   s->nr_zones, NR_PAGE_ORDERS);
	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_printf(m, "%s%s", mt ? "," : "", oomdiag_migratetype_name(mt));
	seq_printf(m, " list_cap=%u lists=%u capped_lists=%u max_lock_ns=%llu total_lock_ns=%llu\n",
		   LIST_CAP, s->lists, s->capped, s->max_lock_ns, s->total_lock_ns);

	seq_puts(m, "# node zone managed_pages free_pages free_cma_pages boost_pages min_pages low_pages high_pages free_blocks unusable_index frag_index highest_order");
	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_printf(m, " free_%s", oomdiag_migratetype_name(mt));
	seq_puts(m, " capped_lists max_lock_ns\n");

	for (i = 0; i < s->nr_zones; i++) {
		const struct buddy_zone *bz = &s->z[i];

		seq_printf(m, "%d %s %lu %lu %lu %lu %lu %lu %lu", bz->node, bz->name,
			   bz->managed, bz->free, bz->free_cma, bz->boost,
			   bz->min, bz->low, bz->high);
		print_ulongs(m, bz->nr_free, NR_PAGE_ORDERS);
		for (order = 0; order < NR_PAGE_ORDERS; order++) {
			int idx = unusable_index(bz, order);

			seq_printf(m, "%s%d.%03d", order ? "," : " ", idx / 1000, idx % 1000);
		}
		for (order = 0; order < NR_PAGE_ORDERS; order++) {
			int idx = frag_index(bz, order);

			seq_printf(m, "%s%d.%03d", order ? "," : " ", idx / 1000,
				   abs(idx % 1000));
		}
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			int top = -1;

			for (order = 0; order < NR_PAGE_ORDERS; order++)
				if (bz->mt_free[mt][order])
					top = order;
			seq_printf(m, "%s%d", mt ? "," : " ", top);
		}
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			print_ulongs(m, bz->mt_free[mt], NR_PAGE_ORDERS);
		seq_printf(m, " %u %llu\n", bz->capped, bz->max_lock_ns);
	}
	return 0;
}

static int buddy_open(struct inode *inode, struct file *file)
{
	struct buddy_snap *s;
	int err;

	err = oomdiag_view_may_open();
	if (err)
		return err;
	s = buddy_snapshot();
	if (!s)
		return -ENOMEM;
	err = single_open(file, buddy_show, s);
	if (err)
		goto err_free;
	return 0;

err_free:
	kvfree(s);
	return err;
}

static int buddy_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kvfree(m->private);
	return single_release(inode, file);
}

const struct file_operations oomdiag_buddyinfo_fops = {
	.owner = THIS_MODULE,
	.open = buddy_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = buddy_release,
};
