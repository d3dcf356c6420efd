/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The zone snapshot of an event from BPF: what module/zones.c records, read
 * the same lock-free way /proc/buddyinfo reads it (nr_free, vm_stat,
 * watermarks; never zone->lock).
 *
 * Layouts come from the running kernel's BTF: struct zone and struct
 * free_area change size with the kernel and its config (MIGRATE_TYPES,
 * padding), so every address is computed from bpf_core_field_offset() and
 * bpf_core_type_size(), never from the 6.1 vmlinux.h sizes.  The nodes are
 * node_data[] (CONFIG_NUMA, every Debian amd64 kernel) or contig_page_data.
 */
#ifndef OOMDIAG_ZONE_SNAP_H
#define OOMDIAG_ZONE_SNAP_H

#include <bpf/bpf_core_read.h>

extern const void node_data __ksym __weak;
extern const void contig_page_data __ksym __weak;

/* Nodes looked at: OOMDIAG_MAX_ZONES holds 4 zone types of two. */
#define OOMDIAG_SNAP_NODES	2

/*
 * The code below has no data-dependent branch: one that may go either way
 * at each of the 8 zones doubles the verifier's states every time (the
 * first version, branching on populated_zone() and on the sign of
 * vm_stat, verified 300,000-500,000 instructions per program on 6.1 and
 * hit the 1M limit on 6.12).  Reads that fail (no node 1) leave zeroes;
 * an unpopulated zone gets nr_orders 0 and the reader drops it, and the
 * reader clamps vm_stat's negative per-CPU drift to 0 as
 * zone_page_state() does.
 */
static __always_inline __u64 oomdiag_zone_stat(const char *zone, __u32 item)
{
	return read_ulong(zone + bpf_core_field_offset(struct zone, vm_stat) +
				  item * sizeof(atomic_long_t));
}

/* 1 when @v is not 0, without a branch (and hidden from the compiler's selects). */
static __always_inline __u64 oomdiag_nonzero(__u64 v)
{
	__u64 nz = (v | -v) >> 63;

	asm volatile("" : "+r"(nz));
	return nz;
}

static __always_inline void oomdiag_snap_zone(struct oomdiag_zone_snap *zs, __u32 nid,
					      const char *zone)
{
	__u32 fa_size = bpf_core_type_size(struct free_area);
	__u32 fa_off = bpf_core_field_offset(struct zone, free_area);
	__u32 nr_free_off = bpf_core_field_offset(struct free_area, nr_free);
	__u32 wm_off = bpf_core_field_offset(struct zone, _watermark);
	__u32 nr_orders = bpf_core_field_size(struct zone, free_area) / fa_size;
	unsigned long boost, name;
	__u32 order;

	if (nr_orders > OOMDIAG_NR_ORDERS)
		nr_orders = OOMDIAG_NR_ORDERS;
	/* populated_zone(): present_pages */
	zs->nr_orders = nr_orders *
		oomdiag_nonzero(read_ulong(zone + bpf_core_field_offset(struct zone,
										 present_pages)));
	zs->node = nid;
	zs->pad = 0;
	name = read_ulong(zone + bpf_core_field_offset(struct zone, name));
	bpf_probe_read_kernel_str(zs->name, sizeof(zs->name), (const void *)name);
	zs->free_pages = oomdiag_zone_stat(zone, bpf_core_enum_value(enum zone_stat_item,
								     NR_FREE_PAGES));
	if (bpf_core_enum_value_exists(enum zone_stat_item, NR_FREE_CMA_PAGES))
		zs->free_cma_pages =
			oomdiag_zone_stat(zone, bpf_core_enum_value(enum zone_stat_item,
								    NR_FREE_CMA_PAGES));
	else
		zs->free_cma_pages = 0;
	/* {min,low,high}_wmark_pages(): _watermark[WMARK_*] + watermark_boost */
	boost = read_ulong(zone + bpf_core_field_offset(struct zone, watermark_boost));
	zs->min_pages = read_ulong(zone + wm_off + WMARK_MIN * sizeof(long)) + boost;
	zs->low_pages = read_ulong(zone + wm_off + WMARK_LOW * sizeof(long)) + boost;
	zs->high_pages = read_ulong(zone + wm_off + WMARK_HIGH * sizeof(long)) + boost;
	zs->managed_pages = read_ulong(zone + bpf_core_field_offset(struct zone,
									   managed_pages));
	for (order = 0; order < OOMDIAG_NR_ORDERS; order++) {
		if (order >= nr_orders)	/* a load-time constant: no branch left */
			break;
		zs->free_blocks[order] =
			read_ulong(zone + fa_off + order * fa_size + nr_free_off);
	}
}

/*
 * oomdiag_snap_zones(): zone type i of node nid goes to slot
 * nid * OOMDIAG_SNAP_ZONE_TYPES + i, populated or not (nr_orders 0 marks
 * an empty slot); the reader compacts them in node and zone order, as
 * /proc/buddyinfo lists them.  Covered: nodes 0 and 1, zone types DMA,
 * DMA32, Normal, Movable (ZONE_DEVICE is never populated).
 */
#define OOMDIAG_SNAP_ZONE_TYPES	(OOMDIAG_MAX_ZONES / OOMDIAG_SNAP_NODES)

static __always_inline void oomdiag_snap_zones(struct oomdiag_event *e)
{
	__u32 zone_size = bpf_core_type_size(struct zone);
	__u32 zones_off = bpf_core_field_offset(struct pglist_data, node_zones);
	__u32 nr_zone_types = bpf_core_field_size(struct pglist_data, node_zones) / zone_size;
	__u32 nid, i;

	for (nid = 0; nid < OOMDIAG_SNAP_NODES; nid++) {
		const char *pgdat = NULL;

		/* NULL for a node that does not exist: every read then fails */
		if (&node_data)
			pgdat = (const char *)read_ulong((const char *)&node_data +
								 nid * sizeof(void *));
		else if (&contig_page_data && nid == 0)
			pgdat = (const char *)&contig_page_data;
		for (i = 0; i < OOMDIAG_SNAP_ZONE_TYPES; i++) {
			if (i >= nr_zone_types) {	/* load-time constant */
				e->zones[nid * OOMDIAG_SNAP_ZONE_TYPES + i].nr_orders = 0;
				continue;
			}
			oomdiag_snap_zone(&e->zones[nid * OOMDIAG_SNAP_ZONE_TYPES + i], nid,
					  pgdat + zones_off + i * zone_size);
		}
	}
	e->nr_zones = OOMDIAG_SNAP_NODES * OOMDIAG_SNAP_ZONE_TYPES;
	e->flags |= OOMDIAG_F_SNAPSHOT;
}

#endif /* OOMDIAG_ZONE_SNAP_H */
