// SPDX-License-Identifier: GPL-2.0
/*
 * Lock-free zone snapshot, usable from any hook: only counters that
 * /proc/buddyinfo itself reads without zone->lock.
 */
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/string.h>
#include <linux/vmstat.h>

#include "compat.h"
#include "oomdiag.h"

static void snap_zone(struct oomdiag_zone_snap *zs, int nid, struct zone *zone)
{
	unsigned int order;

	zs->node = nid;
	strscpy(zs->name, zone->name, sizeof(zs->name));
	zs->nr_orders = min_t(unsigned int, NR_PAGE_ORDERS, OOMDIAG_NR_ORDERS);
	zs->free_pages = zone_page_state(zone, NR_FREE_PAGES);
	zs->min_pages = min_wmark_pages(zone);
	zs->low_pages = low_wmark_pages(zone);
	zs->high_pages = high_wmark_pages(zone);
#ifdef CONFIG_CMA
	zs->free_cma_pages = zone_page_state(zone, NR_FREE_CMA_PAGES);
#else
	zs->free_cma_pages = 0;
#endif
	zs->managed_pages = zone_managed_pages(zone);
	for (order = 0; order < zs->nr_orders; order++) {
		/* Racy by design, as in /proc/buddyinfo: no zone->lock in hooks. */
		zs->free_blocks[order] = data_race(READ_ONCE(zone->free_area[order].nr_free));
	}
}

unsigned int oomdiag_snap_zones(struct oomdiag_zone_snap *snap, unsigned int max)
{
	unsigned int n = 0;
	int nid, i;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (i = 0; i < MAX_NR_ZONES && n < max; i++) {
			struct zone *zone = &pgdat->node_zones[i];

			if (!populated_zone(zone))
				continue;
			memset(&snap[n], 0, sizeof(snap[n]));
			snap_zone(&snap[n], nid, zone);
			n++;
		}
	}
	return n;
}
