/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_SYSMEM_H
#define OOMDIAG_SYSMEM_H
/*
 * Memory state of this machine: zones (free blocks per order and
 * migratetype, watermarks), overcommit, from the module's debugfs views
 * when readable, else from /proc.  Every struct says where it came from.
 */
#include <stdbool.h>
#include <stdint.h>

#define OD_MAX_ORDERS 16
#define OD_MAX_MT 8
#define OD_MAX_ZONES 32

struct od_zone {
	int node;
	char name[16];
	int nr_orders;
	uint64_t free_blocks[OD_MAX_ORDERS];
	/* per migratetype (pagetypeinfo or module free_<mt> columns) */
	int nr_mt;
	uint64_t mt_blocks[OD_MAX_MT][OD_MAX_ORDERS];
	/* zoneinfo / module */
	bool has_wmark;
	uint64_t free_pages, min_pages, low_pages, high_pages;
	uint64_t managed_pages, free_cma_pages, boost_pages;
	/* module-computed indices (per order, x1000), -1001 when absent */
	bool has_module_index;
	int frag_index_k[OD_MAX_ORDERS];
	int unusable_index_k[OD_MAX_ORDERS];
};

struct od_zones {
	int nr;
	struct od_zone z[OD_MAX_ZONES];
	int nr_mt;
	char mt_names[OD_MAX_MT][16];
	char source[64];	/* "module buddyinfo" or "/proc/buddyinfo" */
	bool has_mt;
	char mt_error[160];	/* why per-migratetype numbers are missing */
	long page_kb;
};

/* Read zones: module first (unless no_module), else /proc. 0 or -errno. */
int sysmem_read_zones(struct od_zones *zs, bool no_module, char *err, size_t errlen);
/* Parsers, exposed for tests. */
int sysmem_parse_buddyinfo(struct od_zones *zs, const char *text);
int sysmem_parse_pagetypeinfo(struct od_zones *zs, const char *text);
int sysmem_parse_zoneinfo(struct od_zones *zs, const char *text);
int sysmem_parse_module_buddyinfo(struct od_zones *zs, const char *text);

uint64_t zone_total_free_pages(const struct od_zone *z);
int zone_highest_order(const struct od_zone *z);
int zone_mt_highest_order(const struct od_zone *z, int mt);
/* mm/vmstat.c __fragmentation_index(): x1000; -1000 when a block of the
 * order is free; 0 when nothing is free. */
int zone_frag_index(const struct od_zone *z, int order);
/* mm/vmstat.c unusable_free_index(): x1000 */
int zone_unusable_index(const struct od_zone *z, int order);

struct od_overcommit {
	char source[64];
	int mode;
	uint64_t ratio, kbytes;
	uint64_t commit_limit_kb, committed_as_kb;
	uint64_t mem_total_kb, mem_free_kb, mem_available_kb;
	uint64_t swap_total_kb, swap_free_kb, hugetlb_kb;
	int64_t headroom_kb;
};

int sysmem_read_overcommit(struct od_overcommit *oc, bool no_module);
/* meminfo value in kB, or -1 */
int64_t meminfo_get(const char *text, const char *key);

#endif
