// SPDX-License-Identifier: GPL-2.0
/* oomdiag buddy [--watch S]: zone x order x migratetype free blocks. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "render.h"
#include "sysmem.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag buddy [--watch S] [--json]\n"
		"\n"
		"Free blocks per zone, order and migratetype, sizes in human units, and a bar\n"
		"per zone showing which block sizes its free memory is in.  Source: the\n"
		"module's buddyinfo view, or /proc/buddyinfo, /proc/pagetypeinfo (root) and\n"
		"/proc/zoneinfo.\n"
		"\n"
		"  -w, --watch S   refresh every S seconds and show the change per order\n"
		"  -c, --count N   with --watch: stop after N refreshes\n"
		COMMON_HELP);
}

static void order_label(char *buf, size_t len, long page_kb, int order)
{
	uint64_t kb = (uint64_t)page_kb << order;

	if (kb >= 1024 * 1024)
		snprintf(buf, len, "%lluG", (unsigned long long)(kb >> 20));
	else if (kb >= 1024)
		snprintf(buf, len, "%lluM", (unsigned long long)(kb >> 10));
	else
		snprintf(buf, len, "%lluk", (unsigned long long)kb);
}

/* 40-column bar: each order's share of the zone's free memory, drawn with
 * the order's digit (A for 10). */
static void buddy_bar(const struct od_zone *z, char *bar, size_t width)
{
	uint64_t total = zone_total_free_pages(z), acc = 0;
	size_t pos = 0;

	if (!total) {
		memset(bar, '.', width);
		bar[width] = 0;
		return;
	}
	for (int o = 0; o < z->nr_orders; o++) {
		size_t end;

		acc += z->free_blocks[o] << o;
		end = (size_t)((acc * width + total / 2) / total);
		while (pos < end && pos < width)
			bar[pos++] = (char)(o < 10 ? '0' + o : 'A' + o - 10);
	}
	while (pos < width)
		bar[pos++] = '.';
	bar[width] = 0;
}

static const char *short_mt(const char *n)
{
	static char buf[12];

	snprintf(buf, sizeof(buf), "%.10s", n);
	return buf;
}

static void buddy_print(const struct od_zones *zs, const struct od_zones *prev, const struct od_style *st)
{
	const char *B = od_c(st, C_BOLD), *R = od_c(st, C_RESET), *D = od_c(st, C_DIM);
	int maxo = 0;

	for (int i = 0; i < zs->nr; i++)
		if (zs->z[i].nr_orders > maxo)
			maxo = zs->z[i].nr_orders;
	printf("Free blocks per order (source: %s; page %ld kB)\n", zs->source, zs->page_kb);
	if (!zs->has_mt && zs->mt_error[0])
		printf("%s(%s)%s\n", D, zs->mt_error, R);
	for (int i = 0; i < zs->nr; i++) {
		const struct od_zone *z = &zs->z[i];
		const struct od_zone *pz = NULL;
		char fr[16], mn[16], lo[16], hi[16], bar[41];

		if (prev)
			for (int j = 0; j < prev->nr; j++)
				if (prev->z[j].node == z->node && !strcmp(prev->z[j].name, z->name))
					pz = &prev->z[j];
		if (!z->nr_orders && !z->managed_pages)
			continue;
		buddy_bar(z, bar, 40);
		printf("\n%sNode %d %-8s%s free %s", B, z->node, z->name, R,
		       human_kb(fr, sizeof(fr), zone_total_free_pages(z) * (uint64_t)zs->page_kb));
		if (z->has_wmark)
			printf("  min %s low %s high %s",
			       human_kb(mn, sizeof(mn), z->min_pages * (uint64_t)zs->page_kb),
			       human_kb(lo, sizeof(lo), z->low_pages * (uint64_t)zs->page_kb),
			       human_kb(hi, sizeof(hi), z->high_pages * (uint64_t)zs->page_kb));
		printf("\n  [%s] top order %d\n", bar, zone_highest_order(z));
		printf("  %-12s", "order");
		for (int o = 0; o < maxo; o++) {
			char l[24];

			order_label(l, sizeof(l), zs->page_kb, o);
			printf(" %6s", l);
		}
		printf("\n");
		for (int mt = 0; mt < z->nr_mt && mt < zs->nr_mt; mt++) {
			bool any = false;

			for (int o = 0; o < z->nr_orders; o++)
				any |= z->mt_blocks[mt][o] != 0;
			if (!any)
				continue;
			printf("  %-12s", short_mt(zs->mt_names[mt]));
			for (int o = 0; o < z->nr_orders; o++)
				printf(" %6llu", (unsigned long long)z->mt_blocks[mt][o]);
			printf("\n");
		}
		printf("  %s%-12s", B, "total");
		for (int o = 0; o < z->nr_orders; o++)
			printf(" %6llu", (unsigned long long)z->free_blocks[o]);
		printf("%s\n", R);
		if (pz) {
			printf("  %-12s", "change");
			for (int o = 0; o < z->nr_orders; o++) {
				long long d = (long long)z->free_blocks[o] -
					      (long long)(o < pz->nr_orders ? pz->free_blocks[o] : 0);
				const char *col = d > 0 ? od_c(st, C_GREEN) : d < 0 ? od_c(st, C_RED) : "";

				if (d)
					printf(" %s%+6lld%s", col, d, R);
				else
					printf(" %6s", "0");
			}
			printf("\n");
		}
	}
	printf("\n%sbar: share of free memory by block order (0-9, A=10); '.' none%s\n", D, R);
}

static volatile sig_atomic_t stop;

static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

int cmd_buddy(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		OD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct od_opts o;
	struct od_style st;
	struct od_zones *cur, *prev = NULL;
	char err[256] = "";
	long watch = 0, count = -1;
	int c, r;

	od_opts_init(&o);
	while ((c = getopt_long(argc, argv, "w:c:h", lo, NULL)) != -1) {
		if (od_opts_common(&o, c))
			continue;
		switch (c) {
		case 'w':
			watch = od_parse_uint(optarg, 86400);
			if (watch <= 0)
				return od_usage_error("buddy", "bad interval '%s' (1..86400 s)", optarg);
			break;
		case 'c':
			count = od_parse_uint(optarg, 1000000000);
			if (count <= 0)
				return od_usage_error("buddy", "bad count '%s'", optarg);
			break;
		case 'h':
			help(stdout);
			return EXIT_OK;
		default:
			return od_usage_error("buddy", "bad option");
		}
	}
	if (optind < argc)
		return od_usage_error("buddy", "unexpected argument '%s'", argv[optind]);
	od_style_from(&st, &o, stdout);
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	cur = xcalloc(1, sizeof(*cur));
	for (long iter = 0;; iter++) {
		r = sysmem_read_zones(cur, o.no_module, err, sizeof(err));
		if (r) {
			od_err("%s", err);
			free(cur);
			free(prev);
			return od_exit_for_errno(-r);
		}
		if (o.json) {
			struct json_writer w;

			json_init(&w, stdout);
			json_set_pretty(&w, o.pretty && !watch);
			json_begin_object(&w, NULL);
			zones_json(&w, cur);
			json_end_object(&w);
			json_newline(&w);
		} else {
			if (watch && st.color)
				printf("\033[H\033[2J");
			else if (iter)
				printf("\n");
			if (watch)
				printf("every %lds, refresh %ld\n", watch, iter + 1);
			buddy_print(cur, prev, &st);
		}
		fflush(stdout);
		if (!watch || stop || (count > 0 && iter + 1 >= count))
			break;
		for (long s = 0; s < watch && !stop; s++)
			sleep(1);
		if (stop)
			break;
		if (!prev)
			prev = xcalloc(1, sizeof(*prev));
		memcpy(prev, cur, sizeof(*prev));
	}
	free(cur);
	free(prev);
	return EXIT_OK;
}
