// SPDX-License-Identifier: GPL-2.0
/* oomdiag gfp MASK [--order N] [--kernel VERSION]: decode a GFP mask. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gfp.h"
#include "json.h"
#include "render.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag gfp MASK [--order N] [--kernel VERSION] [--json]\n"
		"       oomdiag gfp --list-kernels\n"
		"\n"
		"Decode a GFP mask the way that kernel's %%pGg prints it, and say what the page\n"
		"allocator does with the request: reclaim, kswapd, compaction, reserves, CMA,\n"
		"retries, OOM killer, zone and migratetype.\n"
		"\n"
		"MASK is a number (0x400cc0, 3264) or names (GFP_KERNEL|__GFP_NOWARN).\n"
		"\n"
		"  -o, --order N         allocation order (default 0)\n"
		"  -k, --kernel VERSION  use the built-in table of that kernel (2.6.32 .. 7.x,\n"
		"                        e.g. 4.19.0-17-amd64); default: the running kernel's\n"
		"                        own table (module gfp file, else tracefs event format,\n"
		"                        else built-in by uname)\n"
		"      --list-kernels    list the built-in tables\n"
		COMMON_HELP);
}

/* The name of a single bit: its __GFP_ symbol, else the printed label. */
static const char *bit_name(const struct gfp_layout *l, uint64_t bit)
{
	for (size_t i = 0; i < l->nsyms; i++)
		if (l->syms[i].mask == bit && !strncmp(l->syms[i].name, "__GFP_", 6))
			return l->syms[i].name;
	for (size_t i = 0; i < l->nprint; i++)
		if (l->print[i].mask == bit)
			return l->print[i].name;
	return NULL;
}

static void bits_of(const struct gfp_layout *l, uint64_t mask, struct json_writer *w)
{
	for (int b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		const char *name;

		if (!(mask & bit))
			continue;
		name = bit_name(l, bit);
		json_begin_object(w, NULL);
		json_hex(w, "bit", bit);
		json_string(w, "name", name);
		json_end_object(w);
	}
}

static void print_bits_human(const struct gfp_layout *l, uint64_t mask)
{
	int col = 0;

	printf("  %-12s ", "bits");
	for (int b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		const char *name;
		char item[80];
		int n;

		if (!(mask & bit))
			continue;
		name = bit_name(l, bit);
		n = snprintf(item, sizeof(item), "0x%llx %s", (unsigned long long)bit,
			     name ? name : "(unknown bit)");
		if (col && col + n + 2 > OD_WIDTH - 16) {
			printf("\n  %-12s ", "");
			col = 0;
		}
		printf("%s%s", col ? ", " : "", item);
		col += n + 2;
	}
	printf("\n");
}

static int list_kernels(bool json)
{
	struct json_writer w;

	if (json) {
		json_init(&w, stdout);
		json_begin_object(&w, NULL);
		json_begin_array(&w, "kernels");
	}
	for (size_t i = 0; i < gfp_builtin_count(); i++) {
		const struct gfp_layout *l = gfp_builtin(i);
		char k[64];

		gfp_format(l, gfp_flag(l, "GFP_KERNEL"), k, sizeof(k));
		if (json) {
			json_begin_object(&w, NULL);
			json_string(&w, "name", l->name);
			json_uint(&w, "since", l->version >> 16);
			json_hex(&w, "gfp_kernel", gfp_flag(l, "GFP_KERNEL"));
			json_hex(&w, "bits_mask", l->bits_mask);
			json_end_object(&w);
		} else {
			printf("%-8s from %u.%u  GFP_KERNEL=0x%llx  %s\n", l->name, l->version >> 16,
			       (l->version >> 8) & 0xff,
			       (unsigned long long)gfp_flag(l, "GFP_KERNEL"),
			       l->pgg ? "%pGg names" : "tracepoint names only");
		}
	}
	if (json) {
		json_end_array(&w);
		json_end_object(&w);
		json_newline(&w);
	}
	return EXIT_OK;
}

/* One decoded mask, as both renderers show it. */
struct gfp_cmd {
	const struct gfp_layout *l;
	uint64_t mask;
	long order;
	struct gfp_behaviour b;
	char text[1024];
	char modtext[8192];	/* the module's decoding, "" without it */
	struct od_style st;
	bool pretty;
};

/* What the allocator does with the g->mask: gfp --json. */
static void gfp_json(const struct gfp_cmd *g)
{
	struct json_writer w;

	json_init(&w, stdout);
	json_set_pretty(&w, g->pretty);
	json_begin_object(&w, NULL);
	json_hex(&w, "mask", g->mask);
	json_string(&w, "table", gfp_layout_name(g->l));
	json_string(&w, "text", g->text);
	gfp_json_flags(&w, "flags", g->text);
	json_begin_array(&w, "bits");
	bits_of(g->l, g->mask, &w);
	json_end_array(&w);
	json_hex(&w, "unknown_bits", g->mask & ~g->l->bits_mask);
	json_uint(&w, "order", (uint64_t)g->order);
	json_begin_object(&w, "behaviour");
	json_bool(&w, "costly_order", g->b.costly);
	json_bool(&w, "direct_reclaim", g->b.direct_reclaim);
	json_bool(&w, "wakes_kswapd", g->b.kswapd);
	json_bool(&w, "direct_compaction", g->b.compact);
	json_bool(&w, "high_priority", g->b.high);
	json_bool(&w, "atomic_reserves", g->b.harder);
	json_bool(&w, "highatomic_reserve", g->b.highatomic);
	json_bool(&w, "ignores_watermarks", g->b.no_watermarks);
	json_double(&w, "min_watermark_fraction",
		    g->b.wmark_den ? (double)g->b.wmark_num / g->b.wmark_den : 1.0);
	json_bool(&w, "may_use_cma", g->b.cma);
	json_string(&w, "retry", gfp_retry_name(g->b.retry));
	json_string(&w, "retry_text", g->b.retry_text);
	json_string(&w, "retry_kind", g->b.retry_kind);
	json_bool(&w, "may_oom_kill", g->b.may_oom);
	json_string(&w, "oom_text", g->b.oom_text);
	json_bool(&w, "warns_on_failure", g->b.warns);
	json_string(&w, "zone", g->b.zone);
	json_string(&w, "migratetype", g->b.migratetype);
	json_bool(&w, "valid", g->b.valid);
	json_end_object(&w);
	if (g->modtext[0]) {
		char *dup2 = xstrdup(g->modtext), *line, *save2;

		json_begin_object(&w, "module");
		for (line = strtok_r(dup2, "\n", &save2); line;
		     line = strtok_r(NULL, "\n", &save2)) {
			char *eq = strchr(line, '=');

			if (line[0] == '#' || !eq)
				continue;
			*eq = 0;
			json_string(&w, line, eq + 1);
		}
		json_end_object(&w);
		free(dup2);
	}
	json_end_object(&w);
	json_newline(&w);
}

/* The same for people. */
static void gfp_text(const struct gfp_cmd *g)
{
	const char *B = od_c(&g->st, C_BOLD), *R = od_c(&g->st, C_RESET);
	const char *Y = od_c(&g->st, C_YELLOW), *G = od_c(&g->st, C_GREEN);
	long pk = sysconf(_SC_PAGESIZE) / 1024;
	char sz[32];

	printf("%s0x%llx%s(%s)\n", B, (unsigned long long)g->mask, R, g->text);
	printf("  %-12s %s\n", "table", gfp_layout_name(g->l));
	print_bits_human(g->l, g->mask);
	if (g->mask & ~g->l->bits_mask)
		printf("  %s%-12s 0x%llx is beyond __GFP_BITS_MASK of this kernel%s\n", Y,
		       "warning", (unsigned long long)(g->mask & ~g->l->bits_mask), R);
	printf("  %-12s %ld (%s)%s\n", "order", g->order,
	       human_kb(sz, sizeof(sz), (uint64_t)pk << g->order),
	       g->b.costly ? ", costly (> PAGE_ALLOC_COSTLY_ORDER 3)" : "");
	printf("  %-12s %s%s (highest usable zone; lower zones are fallbacks)\n", "zone",
	       g->b.zone, !strcmp(g->b.zone, "HighMem") ? "/Normal on 64-bit" : "");
	printf("  %-12s %s\n", "migratetype", g->b.migratetype);
	printf("  %-12s %s%s%s\n", "reclaim",
	       g->b.direct_reclaim ? G : Y,
	       g->b.direct_reclaim ? "may sleep and reclaim directly" :
	       "cannot reclaim (atomic/nowait context)", R);
	printf("  %-12s %s\n", "kswapd", g->b.kswapd ? "woken when below the low watermark" :
	       "not woken");
	printf("  %-12s %s\n", "compaction",
	       g->b.compact ? "may compact directly" :
	       g->order == 0 ? "not needed (order 0)" : "no (cannot reclaim)");
	if (g->b.no_watermarks)
		printf("  %-12s ignores watermarks (__GFP_MEMALLOC)\n", "reserves");
	else
		printf("  %-12s must leave %u/%u of the min watermark%s%s\n", "reserves",
		       g->b.wmark_num, g->b.wmark_den,
		       g->b.high ? "; __GFP_HIGH" : "",
		       g->b.highatomic ? "; may take the high-order atomic reserve" :
		       g->b.harder ? "; atomic" : "");
	printf("  %-12s %s\n", "CMA", g->b.cma ? "may use CMA pageblocks (movable)" :
	       "cannot use CMA pageblocks (not movable)");
	printf("  %-12s %s: %s\n", "retry", gfp_retry_name(g->b.retry), g->b.retry_text);
	printf("  %-12s %s%s%s\n", "OOM killer", g->b.may_oom ? Y : "", g->b.oom_text, R);
	printf("  %-12s %s\n", "on failure", g->b.warns ?
	       "warn_alloc() report in dmesg (ratelimited: 10 per 5 s)" :
	       "silent (__GFP_NOWARN)");
	if (!g->b.valid)
		printf("  %s%-12s inconsistent zone/migratetype bits%s\n", Y, "warning", R);
	if (g->modtext[0]) {
		char kn[512], rt[64], oo[64], why[96];

		gfp_kv(g->modtext, "names", kn, sizeof(kn));
		gfp_kv(g->modtext, "retry", rt, sizeof(rt));
		gfp_kv(g->modtext, "oom_killer", oo, sizeof(oo));
		gfp_kv(g->modtext, "oom_killer_why", why, sizeof(why));
		if (!strcmp(kn, "-"))
			kn[0] = 0;	/* debugfs convention: empty is "-" */
		printf("  %-12s %%pGg: %s; retry=%s, oom_killer=%s (%s)\n", "module", kn, rt,
		       oo, why);
		if (strcmp(kn, g->text))
			printf("  %s%-12s the module names it differently from table %s%s\n",
			       Y, "warning", gfp_layout_name(g->l), R);
	}
}

int cmd_gfp(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "order", required_argument, NULL, 'o' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "list-kernels", no_argument, NULL, 'L' },
		OD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static struct gfp_cmd gc;
	struct gfp_cmd *g = &gc;
	struct od_opts o;
	const char *kernel = NULL;
	bool list = false;
	int c;

	od_opts_init(&o);
	while ((c = getopt_long(argc, argv, "o:k:h", lo, NULL)) != -1) {
		if (od_opts_common(&o, c))
			continue;
		switch (c) {
		case 'o':
			g->order = od_parse_uint(optarg, 20);
			if (g->order < 0)
				return od_usage_error("gfp", "bad order '%s' (0..20)", optarg);
			break;
		case 'k':
			kernel = optarg;
			break;
		case 'L':
			list = true;
			break;
		case 'h':
			help(stdout);
			return EXIT_OK;
		default:
			return od_usage_error("gfp", "bad option");
		}
	}
	if (list)
		return list_kernels(o.json);
	if (optind != argc - 1)
		return od_usage_error("gfp", optind >= argc ? "missing MASK" : "one MASK only");
	od_style_from(&g->st, &o, stdout);
	g->pretty = o.pretty;
	if (kernel) {
		g->l = gfp_layout_for_version(kernel);
		if (!g->l)
			return od_usage_error("gfp", "cannot parse kernel version '%s'", kernel);
	} else {
		g->l = gfp_layout_running();
	}
	if (gfp_parse_mask(g->l, argv[optind], &g->mask)) {
		od_err("gfp: cannot parse mask '%s': unknown flag name for kernel table %s",
		       argv[optind], gfp_layout_name(g->l));
		return EXIT_USAGE;
	}
	gfp_format(g->l, g->mask, g->text, sizeof(g->text));
	/* rules of the exact version asked for (6.1.116+ has the 6.3 rules) */
	gfp_behaviour_v(g->l, kernel ? gfp_parse_version(kernel) : g->l->version, g->mask,
			(unsigned int)g->order, &g->b);
	/* the running kernel's own decoding, when the module is there */
	if (!kernel && !o.no_module && od_module_loaded()) {
		char path[512];
		int r;

		od_debugfs_path(path, sizeof(path), "gfp");
		r = gfp_module_decode(path, g->mask, (unsigned int)g->order, g->modtext,
				      sizeof(g->modtext));
		if (r) {
			g->modtext[0] = 0;
			if (g->mask > 0xffffffffull)
				;	/* the module takes 32-bit masks only */
			else
				od_err_read(path, -r);
		}
	}

	if (o.json)
		gfp_json(g);
	else
		gfp_text(g);
	return EXIT_OK;
}
