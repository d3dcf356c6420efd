// SPDX-License-Identifier: GPL-2.0
/*
 * show_free_areas() (mm/page_alloc.c, mm/show_mem.c since 6.5) and
 * __show_mem(): the "Mem-Info:" counters, per node and per zone lines
 * "Node 0 DMA32 free:..kB min:..kB ...", "lowmem_reserve[]:", the buddy
 * lines "Node 0 DMA32: 2*4kB (UM) ... = 864kB" (without "Node N" on 2.6
 * non-NUMA kernels), hugepages, swap, "N pages RAM"; and
 * mm/slab_common.c dump_unreclaimable_slab() (4.15+).
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include "dmesg_parsers.h"
#include "dmesg_text.h"

static struct lp_zone *zone_get(struct lp_report *r, int node, const char *name, size_t nl)
{
	char nm[16];

	dm_copy_span(nm, sizeof(nm), name, name + nl);
	for (int i = 0; i < r->nr_zones; i++)
		if (r->zones[i].node == node && !strcmp(r->zones[i].name, nm))
			return &r->zones[i];
	if (r->nr_zones >= LP_MAX_ZONES)
		return NULL;
	struct lp_zone *z = &r->zones[r->nr_zones++];

	memset(z, 0, sizeof(*z));
	z->node = node;
	memcpy(z->name, nm, sizeof(nm));
	z->free_kb = z->min_kb = z->low_kb = z->high_kb = z->boost_kb = LP_UNKNOWN;
	z->free_cma_kb = z->managed_kb = z->present_kb = LP_UNKNOWN;
	z->reserved_highatomic_kb = LP_UNKNOWN;
	return z;
}

/* "Node 0 DMA32 free:..kB min:..kB ..." (per zone, show_free_areas()) */
static void zone_line(struct lp_zone *z, struct lp_report *r, const char *s)
{
	z->has_watermarks = true;
	z->free_kb = dm_kb_val(s, "free:");
	z->min_kb = dm_kb_val(s, "min:");
	z->low_kb = dm_kb_val(s, "low:");
	z->high_kb = dm_kb_val(s, "high:");
	z->boost_kb = dm_kb_val(s, "boost:");
	z->free_cma_kb = dm_kb_val(s, "free_cma:");
	z->managed_kb = dm_kb_val(s, "managed:");
	z->present_kb = dm_kb_val(s, "present:");
	z->reserved_highatomic_kb = dm_kb_val(s, "reserved_highatomic:");
	if (strstr(s, "all_unreclaimable? yes"))
		z->all_unreclaimable = true;
	r->seen |= LP_SEEN_ZONES;
}

/* "Node 0 DMA32: 2*4kB (UM) 1*8kB ... = 864kB" (the free lists); s at ": " */
static void buddy_line(struct lp_zone *z, struct lp_report *r, const char *s)
{
	long long total = 0;
	int order = 0;

	z->has_buddy = true;
	z->nr_orders = 0;
	s += 2;
	while (*s) {
		long long cnt, size;

		s = dm_skip_sp(s);
		if (*s == '=') {
			if (dm_parse_ll(dm_skip_sp(s + 1), &total, NULL))
				z->buddy_total_kb = total;
			break;
		}
		if (!dm_parse_ll(s, &cnt, &s) || *s != '*')
			break;
		if (!dm_parse_ll(s + 1, &size, &s))
			break;
		if (*s == 'k' || *s == 'K')
			s += 2;
		else if (*s == 'M') {
			size *= 1024;
			s += 2;
		}
		if (order == 0) {
			z->page_kb = size;
		} else if (z->page_kb > 0 && size > z->page_kb) {
			/* the order is the block size's: robust to skipped entries */
			int o = 0;

			while (o < LP_MAX_ORDERS && (z->page_kb << o) < size)
				o++;
			if ((z->page_kb << o) == size && o > order) {
				for (int i = order; i < o && i < LP_MAX_ORDERS; i++) {
					z->free_blocks[i] = 0;
					z->types[i][0] = '\0';
				}
				order = o;
			}
		}
		if (order < LP_MAX_ORDERS) {
			z->free_blocks[order] = cnt;
			z->types[order][0] = '\0';
		}
		s = dm_skip_sp(s);
		if (*s == '(') {
			const char *c = strchr(s, ')');

			if (!c)
				break;
			if (order < LP_MAX_ORDERS)
				dm_copy_span(z->types[order], sizeof(z->types[order]), s + 1, c);
			z->buddy_has_types = true;
			s = c + 1;
		}
		order++;
	}
	z->nr_orders = order < LP_MAX_ORDERS ? order : LP_MAX_ORDERS;
	r->seen |= LP_SEEN_BUDDY;
}

/*
 * "Node 0 DMA32 free:..." (zone), "Node 0 DMA32: 1*4kB ..." (buddy),
 * "DMA free:..." / "DMA: ..." without node (2.6 non-NUMA), "Node 0
 * active_anon:..." (node).  Returns true if the line was one of them.
 */
enum dmesg_zone_shape dmesg_zone_shape(const char *msg, long long *node, const char **name,
				       const char **end)
{
	const char *s = msg;

	*node = -1;
	if (dm_starts(s, "Node ")) {
		if (!dm_parse_ll(s + 5, node, &s) || *s != ' ')
			return DZ_NONE;
		s++;
	}
	*name = s;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	*end = s;
	if (s == *name || s - *name > 15)
		return DZ_NONE;
	if (dm_starts(s, " free:") && strstr(s, " min:"))
		return DZ_ZONE;
	if (s[0] == ':' && s[1] == ' ' && isdigit((unsigned char)s[2]) && strchr(s, '*'))
		return DZ_BUDDY;
	return *node >= 0 && *s == ':' ? DZ_NODE : DZ_NONE;
}

bool dmesg_zone_or_buddy(struct lp_report *r, const char *msg)
{
	const char *s, *name;
	long long node;
	struct lp_zone *z;
	enum dmesg_zone_shape shape = dmesg_zone_shape(msg, &node, &name, &s);
	bool zone = shape == DZ_ZONE, buddy = shape == DZ_BUDDY;

	if (zone || buddy) {
		z = zone_get(r, (int)node, name, (size_t)(s - name));
		if (z && zone)
			zone_line(z, r, s);
		else if (z)
			buddy_line(z, r, s);
		return true;
	}
	if (shape == DZ_NODE) {
		/* node line: "Node 0 active_anon:..kB ... all_unreclaimable? yes" */
		if (strstr(msg, "all_unreclaimable? yes"))
			r->all_unreclaimable = true;
		if (r->mi_kernel_stack_kb < 0)
			r->mi_kernel_stack_kb = dm_kb_val(msg, "kernel_stack:");
		return true;
	}
	return false;
}

/* "lowmem_reserve[]: 0 1910 1910 1910": of the zone line just before */
void dmesg_lowmem_reserve(struct lp_report *r, const char *msg)
{
	struct lp_zone *z = NULL;
	const char *s = msg + 17;
	long long v;

	for (int i = r->nr_zones - 1; i >= 0; i--)
		if (r->zones[i].has_watermarks) {
			z = &r->zones[i];
			break;
		}
	if (!z)
		return;
	z->nr_reserve = 0;
	while (z->nr_reserve < LP_MAX_RESERVE && dm_parse_ll(dm_skip_sp(s), &v, &s))
		z->lowmem_reserve[z->nr_reserve++] = v;
}

void dmesg_meminfo(struct lp_report *r, const char *msg)
{
	static const struct { const char *key; size_t off; } keys[] = {
#define K(name, field) { name, offsetof(struct lp_report, field) }
		K("active_anon:", mi_active_anon),
		K("inactive_anon:", mi_inactive_anon),
		K("active_file:", mi_active_file),
		K("inactive_file:", mi_inactive_file),
		K("unevictable:", mi_unevictable),
		K("slab_reclaimable:", mi_slab_reclaimable),
		K("slab_unreclaimable:", mi_slab_unreclaimable),
		K("shmem:", mi_shmem),
		K("pagetables:", mi_pagetables),
		K("free:", mi_free),
		K("free_cma:", mi_free_cma),
		K("mapped:", mi_mapped),
#undef K
	};
	long long v;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (dm_tok_num(msg, keys[i].key, &v)) {
			*(long long *)((char *)r + keys[i].off) = v;
			r->seen |= LP_SEEN_MEMINFO;
		}
}

/* "Free swap  = 0kB", "Total swap = 0kB" */
void dmesg_swap(struct lp_report *r, const char *msg)
{
	if (dm_starts(msg, "Free swap")) {
		dm_num_after(msg, "= ", &r->free_swap_kb);
	} else {
		dm_num_after(msg, "= ", &r->total_swap_kb);
		r->seen |= LP_SEEN_SWAP;
	}
}

/* "N pages RAM", "N pages reserved", "N pages HighMem/MovableOnly", "N total pagecache pages" */
void dmesg_pages(struct lp_report *r, const char *msg)
{
	const char *k;
	long long v;

	if (!dm_parse_ll(msg, &v, &k))
		return;
	/* "N pages of RAM" on arm and mips before 3.x */
	if (!strcmp(k, " pages RAM") || !strcmp(k, " pages of RAM")) {
		r->ram_pages = v;
		r->seen |= LP_SEEN_RAM;
	} else if (!strcmp(k, " pages reserved")) {
		r->reserved_pages = v;
	} else if (dm_starts(k, " pages HighMem")) {
		r->highmem_pages = v;
	} else if (!strcmp(k, " total pagecache pages")) {
		r->pagecache_pages = v;
	}
}

/* "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB" */
void dmesg_hugepages(struct lp_report *r, const char *msg)
{
	const char *k = strstr(msg, "hugepages_total=");
	long long total = 0, size = 0;

	if (k && dm_parse_ll(k + 16, &total, NULL) && dm_num_after(msg, "hugepages_size=", &size)) {
		if (r->hugetlb_kb < 0)
			r->hugetlb_kb = 0;
		r->hugetlb_kb += total * size;
	}
}

bool dmesg_slab_row(struct lp_report *r, const char *msg)
{
	struct lp_slab s;
	const char *q = msg;
	size_t n = strcspn(q, " \t");
	long long used, total;

	if (!n || !q[n])
		return false;
	q = dm_skip_sp(q + n);
	if (!dm_parse_ll(q, &used, &q))
		return false;
	q += strspn(q, "KkMB");
	q = dm_skip_sp(q);
	if (!dm_parse_ll(q, &total, NULL))
		total = used;
	memset(&s, 0, sizeof(s));
	dm_copy_span(s.name, sizeof(s.name), msg, msg + n);
	s.used_kb = used;
	s.total_kb = total;
	/* keep the largest LP_TOP_SLABS */
	int i = r->nr_slabs;

	if (i == LP_TOP_SLABS) {
		if (used <= r->slabs[i - 1].used_kb)
			return true;
		i--;
	} else {
		r->nr_slabs++;
	}
	while (i > 0 && r->slabs[i - 1].used_kb < used) {
		r->slabs[i] = r->slabs[i - 1];
		i--;
	}
	r->slabs[i] = s;
	return true;
}
