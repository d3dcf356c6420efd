// SPDX-License-Identifier: GPL-2.0
/* Zones and overcommit from the module's views or /proc. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbgtab.h"
#include "sysmem.h"
#include "util.h"

static struct od_zone *zone_get(struct od_zones *zs, int node, const char *name, bool create)
{
	for (int i = 0; i < zs->nr; i++)
		if (zs->z[i].node == node && !strcmp(zs->z[i].name, name))
			return &zs->z[i];
	if (!create || zs->nr >= OD_MAX_ZONES)
		return NULL;
	memset(&zs->z[zs->nr], 0, sizeof(zs->z[0]));
	zs->z[zs->nr].node = node;
	snprintf(zs->z[zs->nr].name, sizeof(zs->z[0].name), "%s", name);
	return &zs->z[zs->nr++];
}

/* "Node 0, zone      DMA      1      1 ..." */
int sysmem_parse_buddyinfo(struct od_zones *zs, const char *text)
{
	const char *line = text;
	int n = 0;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char *l = xstrndup(line, nl ? (size_t)(nl - line) : strlen(line));
		char *f[40];
		int nf = split_ws(l, f, 40);

		if (nf >= 5 && !strcmp(f[0], "Node") && !strcmp(f[2], "zone")) {
			struct od_zone *z = zone_get(zs, atoi(f[1]), f[3], true);

			if (z) {
				z->nr_orders = 0;
				for (int i = 4; i < nf && z->nr_orders < OD_MAX_ORDERS; i++)
					z->free_blocks[z->nr_orders++] = strtoull(f[i], NULL, 10);
				n++;
			}
		}
		free(l);
		line = nl ? nl + 1 : NULL;
	}
	return n ? 0 : -1;
}

/* "Node    0, zone      DMA, type    Unmovable      0      0 ..." */
int sysmem_parse_pagetypeinfo(struct od_zones *zs, const char *text)
{
	const char *line = text;
	int n = 0;
	bool in_free = false;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char *l = xstrndup(line, nl ? (size_t)(nl - line) : strlen(line));
		char *f[40];
		int nf;

		if (strstr(l, "Free pages count per migrate type"))
			in_free = true;
		else if (strstr(l, "Number of blocks type"))
			in_free = false;
		nf = split_ws(l, f, 40);
		if (in_free && nf >= 7 && !strcmp(f[0], "Node") && !strcmp(f[2], "zone") &&
		    !strcmp(f[4], "type")) {
			char *zn = f[3];
			struct od_zone *z;
			int mt;

			zn[strcspn(zn, ",")] = 0;
			z = zone_get(zs, atoi(f[1]), zn, true);
			for (mt = 0; mt < zs->nr_mt; mt++)
				if (!strcmp(zs->mt_names[mt], f[5]))
					break;
			if (mt == zs->nr_mt && mt < OD_MAX_MT) {
				snprintf(zs->mt_names[mt], sizeof(zs->mt_names[0]), "%s", f[5]);
				zs->nr_mt++;
			}
			if (z && mt < OD_MAX_MT) {
				int o = 0;

				for (int i = 6; i < nf && o < OD_MAX_ORDERS; i++, o++)
					z->mt_blocks[mt][o] = strtoull(f[i], NULL, 10);
				if (mt + 1 > z->nr_mt)
					z->nr_mt = mt + 1;
				n++;
			}
		}
		free(l);
		line = nl ? nl + 1 : NULL;
	}
	if (n)
		zs->has_mt = true;
	return n ? 0 : -1;
}

int sysmem_parse_zoneinfo(struct od_zones *zs, const char *text)
{
	const char *line = text;
	struct od_zone *z = NULL;
	int n = 0;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char *l = xstrndup(line, nl ? (size_t)(nl - line) : strlen(line));
		char *f[8];
		int nf = split_ws(l, f, 8);

		if (nf >= 4 && !strcmp(f[0], "Node") && !strcmp(f[2], "zone")) {
			z = zone_get(zs, atoi(f[1]), f[3], true);
			if (z) {
				z->has_wmark = true;
				n++;
			}
		} else if (z && nf >= 2) {
			const char *k = f[0];
			const char *v = f[1];

			if (!strcmp(k, "pages") && nf >= 3 && !strcmp(f[1], "free")) {
				k = "free";
				v = f[2];
			}
			if (!strcmp(k, "free"))
				z->free_pages = strtoull(v, NULL, 10);
			else if (!strcmp(k, "min"))
				z->min_pages = strtoull(v, NULL, 10);
			else if (!strcmp(k, "low"))
				z->low_pages = strtoull(v, NULL, 10);
			else if (!strcmp(k, "high"))
				z->high_pages = strtoull(v, NULL, 10);
			else if (!strcmp(k, "managed"))
				z->managed_pages = strtoull(v, NULL, 10);
			else if (!strcmp(k, "nr_free_cma"))
				z->free_cma_pages = strtoull(v, NULL, 10);
			else if (!strcmp(k, "boost"))
				z->boost_pages = strtoull(v, NULL, 10);
		}
		free(l);
		line = nl ? nl + 1 : NULL;
	}
	return n ? 0 : -1;
}

static void csv_u64(const char *s, uint64_t *out, int max, int *n)
{
	int i = 0;
	char *end;

	while (*s && i < max) {
		out[i++] = strtoull(s, &end, 10);
		if (*end != ',')
			break;
		s = end + 1;
	}
	if (n)
		*n = i;
}

static void csv_milli(const char *s, int *out, int max)
{
	int i = 0;
	char *end;

	while (*s && i < max) {
		double d = strtod(s, &end);

		out[i++] = (int)(d * 1000 + (d < 0 ? -0.5 : 0.5));
		if (*end != ',')
			break;
		s = end + 1;
	}
}

int sysmem_parse_module_buddyinfo(struct od_zones *zs, const char *text)
{
	struct dbgtab t;
	const char *mts;
	int c_node, c_zone, c_fb, c_free, c_min, c_low, c_high, c_managed, c_cma, c_boost;
	int c_frag, c_unus;
	int c_mt[OD_MAX_MT];

	if (dbgtab_parse(&t, text, "buddyinfo"))
		return -1;
	mts = dbgtab_summary(&t, "migratetypes");
	zs->nr_mt = 0;
	if (mts) {
		char *dup = xstrdup(mts), *tok, *save;

		for (tok = strtok_r(dup, ",", &save); tok && zs->nr_mt < OD_MAX_MT;
		     tok = strtok_r(NULL, ",", &save))
			snprintf(zs->mt_names[zs->nr_mt++], sizeof(zs->mt_names[0]), "%s", tok);
		free(dup);
	}
	c_node = dbgtab_col(&t, "node");
	c_zone = dbgtab_col(&t, "zone");
	c_fb = dbgtab_col(&t, "free_blocks");
	c_free = dbgtab_col(&t, "free_pages");
	c_min = dbgtab_col(&t, "min_pages");
	c_low = dbgtab_col(&t, "low_pages");
	c_high = dbgtab_col(&t, "high_pages");
	c_managed = dbgtab_col(&t, "managed_pages");
	c_cma = dbgtab_col(&t, "free_cma_pages");
	c_boost = dbgtab_col(&t, "boost_pages");
	c_frag = dbgtab_col(&t, "frag_index");
	c_unus = dbgtab_col(&t, "unusable_index");
	for (int mt = 0; mt < zs->nr_mt; mt++) {
		char col[32];

		snprintf(col, sizeof(col), "free_%s", zs->mt_names[mt]);
		c_mt[mt] = dbgtab_col(&t, col);
	}
	if (c_node < 0 || c_zone < 0 || c_fb < 0) {
		dbgtab_free(&t);
		return -1;
	}
	for (int r = 0; r < t.nrows; r++) {
		struct od_zone *z = zone_get(zs, atoi(dbgtab_cell(&t, r, c_node)),
					     dbgtab_cell(&t, r, c_zone), true);

		if (!z)
			break;
		csv_u64(dbgtab_cell(&t, r, c_fb), z->free_blocks, OD_MAX_ORDERS, &z->nr_orders);
#define GETU(c, field) do { if ((c) >= 0) z->field = strtoull(dbgtab_cell(&t, r, c), NULL, 10); } while (0)
		GETU(c_free, free_pages);
		GETU(c_min, min_pages);
		GETU(c_low, low_pages);
		GETU(c_high, high_pages);
		GETU(c_managed, managed_pages);
		GETU(c_cma, free_cma_pages);
		GETU(c_boost, boost_pages);
#undef GETU
		z->has_wmark = c_min >= 0 && c_low >= 0 && c_high >= 0;
		if (c_frag >= 0 && c_unus >= 0) {
			z->has_module_index = true;
			csv_milli(dbgtab_cell(&t, r, c_frag), z->frag_index_k, OD_MAX_ORDERS);
			csv_milli(dbgtab_cell(&t, r, c_unus), z->unusable_index_k, OD_MAX_ORDERS);
		}
		z->nr_mt = 0;
		for (int mt = 0; mt < zs->nr_mt; mt++) {
			if (c_mt[mt] < 0)
				continue;
			csv_u64(dbgtab_cell(&t, r, c_mt[mt]), z->mt_blocks[mt], OD_MAX_ORDERS, NULL);
			z->nr_mt = mt + 1;
			zs->has_mt = true;
		}
	}
	dbgtab_free(&t);
	return zs->nr ? 0 : -1;
}

int sysmem_read_zones(struct od_zones *zs, bool no_module, char *err, size_t errlen)
{
	char path[512];
	char *text;
	int e;

	memset(zs, 0, sizeof(*zs));
	zs->page_kb = sysconf(_SC_PAGESIZE) / 1024;
	if (zs->page_kb <= 0)
		zs->page_kb = 4;
	if (!no_module) {
		text = read_file(od_debugfs_path(path, sizeof(path), "buddyinfo"), NULL);
		if (!text)
			od_note_fallback(path, errno);
		if (text) {
			int r = sysmem_parse_module_buddyinfo(zs, text);

			free(text);
			if (!r) {
				snprintf(zs->source, sizeof(zs->source), "module buddyinfo");
				return 0;
			}
			memset(zs, 0, sizeof(*zs));
			zs->page_kb = sysconf(_SC_PAGESIZE) / 1024;
		}
	}
	text = read_file("/proc/buddyinfo", NULL);
	if (!text) {
		e = errno;
		snprintf(err, errlen, "cannot read /proc/buddyinfo: %s", strerror(e));
		return -e;
	}
	if (sysmem_parse_buddyinfo(zs, text)) {
		free(text);
		snprintf(err, errlen, "cannot parse /proc/buddyinfo");
		return -EINVAL;
	}
	free(text);
	snprintf(zs->source, sizeof(zs->source), "/proc");
	text = read_file("/proc/zoneinfo", NULL);
	if (text) {
		sysmem_parse_zoneinfo(zs, text);
		free(text);
	}
	text = read_file("/proc/pagetypeinfo", NULL);
	if (text) {
		sysmem_parse_pagetypeinfo(zs, text);
		free(text);
	} else {
		e = errno;
		snprintf(zs->mt_error, sizeof(zs->mt_error),
			 "per-migratetype counts need /proc/pagetypeinfo: %s%s", strerror(e),
			 e == EACCES ? " (run as root)" : "");
	}
	/* zoneinfo lists empty zones too: keep the populated ones, those
	 * /proc/buddyinfo lists */
	{
		int w = 0;

		for (int i = 0; i < zs->nr; i++)
			if (zs->z[i].nr_orders > 0)
				zs->z[w++] = zs->z[i];
		zs->nr = w;
	}
	return 0;
}

uint64_t zone_total_free_pages(const struct od_zone *z)
{
	uint64_t t = 0;

	for (int o = 0; o < z->nr_orders; o++)
		t += z->free_blocks[o] << o;
	return t;
}

int zone_highest_order(const struct od_zone *z)
{
	int h = -1;

	for (int o = 0; o < z->nr_orders; o++)
		if (z->free_blocks[o])
			h = o;
	return h;
}

int zone_mt_highest_order(const struct od_zone *z, int mt)
{
	int h = -1;

	if (mt >= z->nr_mt)
		return -1;
	for (int o = 0; o < z->nr_orders; o++)
		if (z->mt_blocks[mt][o])
			h = o;
	return h;
}

int zone_frag_index(const struct od_zone *z, int order)
{
	uint64_t total = 0, suitable = 0, free_pages = 0, requested = 1ull << order;

	for (int o = 0; o < z->nr_orders; o++) {
		total += z->free_blocks[o];
		free_pages += z->free_blocks[o] << o;
		if (o >= order)
			suitable += z->free_blocks[o] << (o - order);
	}
	if (!total)
		return 0;
	if (suitable)
		return -1000;
	return (int)(1000 - (1000 + free_pages * 1000 / requested) / total);
}

int zone_unusable_index(const struct od_zone *z, int order)
{
	uint64_t free_pages = 0, suitable = 0;

	for (int o = 0; o < z->nr_orders; o++) {
		free_pages += z->free_blocks[o] << o;
		if (o >= order)
			suitable += z->free_blocks[o] << (o - order);
	}
	if (!free_pages)
		return 1000;
	return (int)((free_pages - (suitable << order)) * 1000 / free_pages);
}

int64_t meminfo_get(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ':')
			return strtoll(p + kl + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static uint64_t read_u64(const char *path, bool *ok)
{
	char *t = read_file(path, NULL);
	uint64_t v;

	if (!t) {
		*ok = false;
		return 0;
	}
	v = strtoull(t, NULL, 10);
	free(t);
	return v;
}

static int kv_get(const char *text, const char *key, int64_t *v)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			if (p[kl + 1] == '-')
				return -1;
			*v = strtoll(p + kl + 1, NULL, 10);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

int sysmem_read_overcommit(struct od_overcommit *oc, bool no_module)
{
	char path[512];
	char *text;
	bool ok = true;
	int64_t v;

	memset(oc, 0, sizeof(*oc));
	text = read_file("/proc/meminfo", NULL);
	if (!text)
		return -errno;
	oc->mem_total_kb = (uint64_t)meminfo_get(text, "MemTotal");
	oc->mem_free_kb = (uint64_t)meminfo_get(text, "MemFree");
	v = meminfo_get(text, "MemAvailable");
	oc->mem_available_kb = v < 0 ? oc->mem_free_kb : (uint64_t)v;
	oc->swap_total_kb = (uint64_t)meminfo_get(text, "SwapTotal");
	oc->swap_free_kb = (uint64_t)meminfo_get(text, "SwapFree");
	v = meminfo_get(text, "Hugetlb");
	oc->hugetlb_kb = v < 0 ? 0 : (uint64_t)v;
	oc->commit_limit_kb = (uint64_t)meminfo_get(text, "CommitLimit");
	oc->committed_as_kb = (uint64_t)meminfo_get(text, "Committed_AS");
	free(text);
	oc->mode = (int)read_u64("/proc/sys/vm/overcommit_memory", &ok);
	oc->ratio = read_u64("/proc/sys/vm/overcommit_ratio", &ok);
	oc->kbytes = read_u64("/proc/sys/vm/overcommit_kbytes", &ok);
	snprintf(oc->source, sizeof(oc->source), "/proc/meminfo, /proc/sys/vm");
	if (!no_module) {
		text = read_file(od_debugfs_path(path, sizeof(path), "overcommit"), NULL);
		if (!text)
			od_note_fallback(path, errno);
		if (text && !strstr(text, "error=")) {
			if (!kv_get(text, "commit_limit_kb", &v))
				oc->commit_limit_kb = (uint64_t)v;
			if (!kv_get(text, "committed_as_kb", &v))
				oc->committed_as_kb = (uint64_t)v;
			if (!kv_get(text, "mode", &v))
				oc->mode = (int)v;
			snprintf(oc->source, sizeof(oc->source), "module overcommit");
		}
		free(text);
	}
	oc->headroom_kb = (int64_t)oc->commit_limit_kb - (int64_t)oc->committed_as_kb;
	return ok ? 0 : 0;
}
