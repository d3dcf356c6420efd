// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the GFP tables and decoder (userspace/gfp.c).  TAP.
 *
 * Oracles: values taken from each kernel's headers (GFP_KERNEL and friends),
 * and the tracefs event formats the four matrix kernels printed
 * (tests/data/tracefs/RELEASE.mm_page_alloc.format, captured in the VMs):
 * the built-in table of each release must name every mask exactly as the
 * table the kernel itself generated.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gfp.h"
#include "util.h"

#include "tap.h"

static void is_str(const char *got, const char *want, const char *what)
{
	ok(!strcmp(got, want), "%s: '%s'", what, want);
	if (strcmp(got, want))
		printf("#   got: '%s'\n", got);
}

static const char *fmt(const char *ver, uint64_t mask)
{
	static char buf[512];
	const struct gfp_layout *l = gfp_layout_for_version(ver);

	if (!l)
		return "(no table)";
	gfp_format(l, mask, buf, sizeof(buf));
	return buf;
}

static void t_versions(void)
{
	static const struct {
		const char *in, *table;
	} v[] = {
		{ "2.6.32", "2.6.32" }, { "2.6.32-754.el6.x86_64", "2.6.32" },
		{ "3.2.0-4-amd64", "2.6.32" }, { "3.10.0-1160.el7.x86_64", "3.10" },
		{ "4.4.0-59-generic", "4.4" }, { "4.9", "4.9" }, { "4.14.200", "4.14" },
		{ "4.15.0-108-generic", "4.15" }, { "4.19.0-17-amd64", "4.19" },
		{ "5.4", "5.4" }, { "5.10.0-32-amd64", "5.10" }, { "5.11", "5.10" },
		{ "5.15", "5.15" }, { "6.1", "6.1" }, { "6.6.14", "6.6" },
		{ "6.12.107+deb13-amd64", "6.12" }, { "6.16.9+deb14-amd64", "6.13" },
		{ "7.2", "7.2" }, { "v7.2.13", "7.2" }, { "2.4.37", "2.6.32" },
	};
	static const char *const bad[] = { "", "abc", "x.y", "-1", "1", NULL };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct gfp_layout *l = gfp_layout_for_version(v[i].in);

		is_str(l ? gfp_layout_name(l) : "NULL", v[i].table, v[i].in);
	}
	for (int i = 0; bad[i]; i++)
		ok(!gfp_layout_for_version(bad[i]), "unparseable version '%s' gives NULL", bad[i]);
	ok(gfp_layout_for_version(NULL) == NULL, "NULL version gives NULL");
}

/* GFP_KERNEL etc. as the kernels' headers define them */
static void t_header_values(void)
{
	static const struct {
		const char *ver, *name;
		uint64_t mask;
	} v[] = {
		{ "2.6.32", "GFP_KERNEL", 0xd0 }, { "2.6.32", "GFP_ATOMIC", 0x20 },
		{ "2.6.32", "GFP_HIGHUSER_MOVABLE", 0x200da }, { "2.6.32", "GFP_NOFS", 0x50 },
		{ "3.10", "GFP_KERNEL", 0xd0 }, { "3.10", "__GFP_WRITE", 0x1000000 },
		{ "4.4", "GFP_KERNEL", 0x24000c0 }, { "4.4", "GFP_ATOMIC", 0x2080020 },
		{ "4.9", "GFP_HIGHUSER_MOVABLE", 0x24200ca }, { "4.9", "__GFP_OTHER_NODE", 0x800000 },
		{ "4.14", "GFP_KERNEL", 0x14000c0 }, { "4.14", "GFP_HIGHUSER_MOVABLE", 0x14200ca },
		{ "4.19", "GFP_KERNEL", 0x6000c0 }, { "4.19", "GFP_ATOMIC", 0x480020 },
		{ "5.10", "GFP_KERNEL", 0xcc0 }, { "5.10", "GFP_ATOMIC", 0xa20 },
		{ "5.10", "GFP_HIGHUSER_MOVABLE", 0x100cca }, { "5.10", "GFP_TRANSHUGE", 0x1c24ca },
		{ "5.15", "__GFP_ZEROTAGS", 0x800000 }, { "6.1", "GFP_KERNEL_ACCOUNT", 0x400cc0 },
		{ "6.1", "__GFP_SKIP_KASAN_POISON", 0 }, { "6.6", "GFP_ATOMIC", 0x820 },
		{ "6.6", "__GFP_ATOMIC", 0 }, { "6.12", "GFP_NOWAIT", 0x2800 },
		{ "6.12", "__GFP_NO_OBJ_EXT", 0x1000000 }, { "7.2", "GFP_NOWAIT", 0x2800 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint64_t got = gfp_flag(gfp_layout_for_version(v[i].ver), v[i].name);

		ok(got == v[i].mask, "%s %s = 0x%llx", v[i].ver, v[i].name,
		   (unsigned long long)v[i].mask);
		if (got != v[i].mask)
			printf("#   got 0x%llx\n", (unsigned long long)got);
	}
}

static void t_format(void)
{
	is_str(fmt("2.6.32", 0), "GFP_NOWAIT", "2.6.32 zero mask (tracepoint text)");
	is_str(fmt("4.4", 0), "none", "4.4 zero mask");
	is_str(fmt("6.1", 0), "", "6.1 zero mask (%pGg prints nothing)");
	is_str(fmt("2.6.32", 0x201da), "GFP_HIGHUSER_MOVABLE|GFP_COLD", "2.6.32 labels without __");
	is_str(fmt("6.12", 0x1000cc0), "GFP_KERNEL|0x1000000", "6.12: unnamed bit as hex remainder");
	is_str(fmt("7.2", 0x1000cc0), "GFP_KERNEL|__GFP_NO_OBJ_EXT", "7.2 names __GFP_NO_OBJ_EXT");
	is_str(fmt("6.1", 0x80000000), "0x80000000", "unknown bit alone");
	is_str(fmt("6.1", 0x2800), "GFP_NOWAIT|__GFP_NOWARN", "6.1 GFP_NOWAIT|__GFP_NOWARN");
	is_str(fmt("6.12", 0x2800), "GFP_NOWAIT", "6.12 (Debian) GFP_NOWAIT includes __GFP_NOWARN");
	is_str(fmt("6.1", 0x140dca), "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO", "6.1 order");
	is_str(fmt("7.2", 0x140dca), "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP", "7.2 order");
	{
		char small[8];
		const struct gfp_layout *l = gfp_layout_for_version("6.1");
		size_t need = gfp_format(l, 0x140dca, small, sizeof(small));

		ok(need == strlen("GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO") &&
		   !strcmp(small, "GFP_HIG"), "truncates, NUL-terminates, returns the length needed");
	}
}

static void t_parse(void)
{
	const struct gfp_layout *l = gfp_layout_for_version("6.1");
	uint64_t m = 0;

	ok(!gfp_parse_names(l, "GFP_KERNEL|__GFP_NOWARN|__GFP_COMP", &m) && m == 0x42cc0,
	   "GFP_KERNEL|__GFP_NOWARN|__GFP_COMP = 0x42cc0");
	ok(gfp_parse_names(l, "GFP_KERNEL|__GFP_BOGUS", &m) == -1, "unknown name: -1");
	ok(gfp_parse_names(l, "GFP_KERNEL|", &m) == -1, "empty element: -1");
	ok(!gfp_parse_names(l, "0x1000000|GFP_KERNEL", &m) && m == 0x1000cc0, "hex element");
	ok(!gfp_parse_names(l, "", &m) && m == 0, "empty string is 0");
	ok(!gfp_parse_names(l, " GFP_ATOMIC | __GFP_ZERO ", &m) && m == 0xb20, "spaces");
	ok(gfp_parse_names(l, "__GFP_SKIP_KASAN_POISON", &m) == 0 && m == 0,
	   "a config-dependent flag that is 0 here parses to 0");
	ok(!gfp_parse_mask(l, "3264", &m) && m == 3264, "decimal mask");
	ok(!gfp_parse_mask(l, "0xcc0", &m) && m == 0xcc0, "hex mask");
	ok(gfp_parse_mask(l, "0xzz", &m) == -1, "bad hex: -1");
	ok(!gfp_parse_names(gfp_layout_for_version("2.6.32"), "GFP_WAIT|GFP_IO", &m) && m == 0x50,
	   "2.6.32 printed labels parse too");
}

/* every table: every printed name parses back to its mask; format of a
 * mask and parse of the text round-trip */
static void t_roundtrip(void)
{
	for (size_t t = 0; t < gfp_builtin_count(); t++) {
		const struct gfp_layout *l = gfp_builtin(t);
		int bad = 0;

		for (size_t i = 0; i < l->nprint; i++) {
			uint64_t m;
			char buf[512];

			if (gfp_parse_names(l, l->print[i].name, &m) || m != l->print[i].mask)
				bad++;
			gfp_format(l, l->print[i].mask | 0x2000, buf, sizeof(buf));
			if (gfp_parse_names(l, buf, &m) || m != (l->print[i].mask | 0x2000))
				bad++;
		}
		ok(!bad && l->nprint > 15, "table %s: %zu names round-trip", l->name, l->nprint);
	}
}

static void t_behaviour(void)
{
	const struct gfp_layout *l61 = gfp_layout_for_version("6.1");
	const struct gfp_layout *l66 = gfp_layout_for_version("6.6");
	const struct gfp_layout *l510 = gfp_layout_for_version("5.10");
	const struct gfp_layout *l49 = gfp_layout_for_version("4.9");
	struct gfp_behaviour b;

	gfp_behaviour(l61, 0xcc0, 0, &b);
	ok(b.direct_reclaim && b.kswapd && b.may_oom && !b.costly && !b.compact &&
	   b.retry == GFP_RETRY_DEFAULT && !strcmp(b.zone, "Normal") &&
	   !strcmp(b.migratetype, "Unmovable") && !b.cma && b.wmark_num == 1 && b.wmark_den == 1,
	   "6.1 GFP_KERNEL order 0: reclaim, kswapd, OOM, Normal, Unmovable, full min");
	gfp_behaviour(l61, 0xcc0, 4, &b);
	ok(b.costly && b.compact && !b.may_oom, "6.1 GFP_KERNEL order 4: costly, compacts, no OOM");
	gfp_behaviour(l61, 0xa20, 1, &b);
	ok(!b.direct_reclaim && b.kswapd && b.high && b.harder && b.highatomic &&
	   b.wmark_num == 3 && b.wmark_den == 8 && !b.may_oom,
	   "6.1 GFP_ATOMIC order 1: no reclaim, 3/8 of min, highatomic, no OOM");
	gfp_behaviour(l510, 0x800, 0, &b);
	ok(!b.harder && b.wmark_num == 1 && b.wmark_den == 1, "5.10 GFP_NOWAIT: no reserves");
	gfp_behaviour(l66, 0x800, 0, &b);
	ok(b.harder && b.wmark_num == 1 && b.wmark_den == 1,
	   "6.6 GFP_NOWAIT: ALLOC_NON_BLOCK but no min reserve (no __GFP_HIGH)");
	gfp_behaviour(l66, 0x820, 0, &b);
	ok(b.wmark_num == 3 && b.wmark_den == 8, "6.6 GFP_ATOMIC: 3/8 of min");
	/* lede#11831: swapper/3 GFP_ATOMIC order 0 on 6.6.14 */
	ok(!b.highatomic && b.highatomic_fallback,
	   "6.6 GFP_ATOMIC order 0: highatomic only as the ALLOC_NON_BLOCK last resort");
	gfp_behaviour(l66, 0x80820, 0, &b);
	ok(!b.highatomic_fallback, "6.6 GFP_ATOMIC|__GFP_NOMEMALLOC: no highatomic fallback");
	gfp_behaviour(l66, 0xcc0, 0, &b);
	ok(!b.highatomic_fallback, "6.6 GFP_KERNEL: can block, no highatomic fallback");
	gfp_behaviour_v(l61, KV(6, 1, 0), 0xa20, 0, &b);
	ok(!b.highatomic_fallback, "6.1.0 GFP_ATOMIC order 0: no fallback (before the 6.1.116 backport)");
	gfp_behaviour_v(l61, KV(6, 1, 116), 0xa20, 0, &b);
	ok(b.highatomic_fallback, "6.1.116 GFP_ATOMIC order 0: the backported fallback");
	is_str(gfp_warn_ratelimit(KV(6, 1, 0)), "1 per 10 s", "warn_alloc ratelimit on 6.1");
	is_str(gfp_warn_ratelimit(KV(4, 9, 0)), "10 per 5 s", "warn_alloc ratelimit on 4.9");
	{
		/* Ubuntu 22.04 5.15.0-124, awslabs/mountpoint-s3#1206:
		 * "gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE)" */
		const struct gfp_layout *l515 = gfp_layout_for_version("5.15.0-124-generic");
		char buf[256];
		uint64_t m;

		gfp_format(l515, 0x1100cca, buf, sizeof(buf));
		is_str(buf, "GFP_HIGHUSER_MOVABLE", "5.15 0x1100cca as the kernel printed it");
		gfp_format(l515, 0x100cca, buf, sizeof(buf));
		is_str(buf, "GFP_HIGHUSER|__GFP_MOVABLE", "5.15 0x100cca lacks __GFP_SKIP_KASAN_POISON");
		ok(!gfp_parse_names(l515, "GFP_TRANSHUGE", &m) && m == 0x11c24ca,
		   "5.15 GFP_TRANSHUGE = 0x11c24ca (from GFP_HIGHUSER_MOVABLE)");
	}
	gfp_behaviour(l61, 0x100cca, 0, &b);
	ok(b.cma && !strcmp(b.zone, "Movable") && !strcmp(b.migratetype, "Movable") && b.may_oom,
	   "GFP_HIGHUSER_MOVABLE: CMA, Movable zone and migratetype");
	gfp_behaviour(l61, 0xcc4, 0, &b);
	ok(!strcmp(b.zone, "DMA32") && !b.may_oom, "GFP_DMA32: lowmem, no OOM");
	gfp_behaviour(l61, 0xc40, 0, &b);
	ok(!b.may_oom && b.direct_reclaim, "GFP_NOFS: reclaims, no OOM kill");
	gfp_behaviour(l61, 0x4cc0, 0, &b);
	ok(b.retry == GFP_RETRY_MAYFAIL && !b.may_oom, "__GFP_RETRY_MAYFAIL: no OOM");
	gfp_behaviour(l61, 0x10cc0, 0, &b);
	ok(b.retry == GFP_RETRY_NORETRY && !b.may_oom, "__GFP_NORETRY: no OOM");
	gfp_behaviour(l61, 0x8cc0, 5, &b);
	ok(b.retry == GFP_RETRY_NOFAIL && !b.may_oom && !strcmp(b.retry_kind, "forever"),
	   "6.1 __GFP_NOFAIL costly: retries forever, OOM killer does not help costly orders");
	gfp_behaviour(gfp_layout_for_version("2.6.32"), 0x8d0, 5, &b);
	ok(b.may_oom, "2.6.32 __GFP_NOFAIL costly: may OOM (NOFAIL bypassed the checks then)");
	gfp_behaviour(l66, 0x800, 1, &b);
	ok(!b.highatomic && b.harder, "6.6 GFP_NOWAIT order 1: non-block but no highatomic");
	gfp_behaviour(l66, 0x820, 1, &b);
	ok(b.highatomic, "6.6 GFP_ATOMIC order 1: highatomic reserve");
	gfp_behaviour(l61, 0xc80, 2, &b);
	ok(!b.compact && !strcmp(b.retry_kind, "while_progress_then_oom"),
	   "no __GFP_IO: no compaction");
	gfp_behaviour(l61, 0x4cc0, 5, &b);
	ok(!strcmp(b.retry_kind, "while_progress"), "costly with RETRY_MAYFAIL retries");
	gfp_behaviour(l61, 0x22cc0, 0, &b);
	ok(b.no_watermarks && !b.warns, "__GFP_MEMALLOC|__GFP_NOWARN: no watermarks, silent");
	gfp_behaviour(l61, 0x18, 0, &b);
	ok(!b.valid, "MOVABLE|RECLAIMABLE is invalid");
	gfp_behaviour(l49, 0x24004c0, 0, &b);
	ok(b.retry == GFP_RETRY_MAYFAIL && b.may_oom, "4.9 __GFP_REPEAT may still OOM");
	gfp_behaviour(gfp_layout_for_version("2.6.32"), 0x20, 0, &b);
	ok(!b.direct_reclaim && b.harder && b.high && b.kswapd,
	   "2.6.32 GFP_ATOMIC: no __GFP_WAIT, ALLOC_HARDER|ALLOC_HIGH");
}

/* Tables the kernels generated (tracefs formats from the VMs) */
static void t_tracefs(void)
{
	const char *src = getenv("OOMDIAG_SRC");
	char dir[1024];
	DIR *d;
	struct dirent *de;
	int files = 0;

	snprintf(dir, sizeof(dir), "%s/tests/data/tracefs", src ? src : ".");
	d = opendir(dir);
	if (!d) {
		ok(0, "open %s (set OOMDIAG_SRC)", dir);
		return;
	}
	while ((de = readdir(d))) {
		char path[2048], rel[256], *text, *dot;
		struct gfp_layout *tl;
		const struct gfp_layout *bl;
		int bad = 0, checked = 0;

		if (!strstr(de->d_name, ".mm_page_alloc.format"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(rel, sizeof(rel), "%s", de->d_name);
		dot = strstr(rel, ".mm_page_alloc");
		*dot = 0;
		text = read_file(path, NULL);
		tl = gfp_layout_from_trace_format(text, rel);
		bl = gfp_layout_for_version(rel);
		free(text);
		files++;
		ok(tl && tl->nprint > 20, "%s: tracefs table parsed (%zu names)", rel,
		   tl ? tl->nprint : 0);
		if (!tl)
			continue;
		/* every kernel entry, every single bit, and pairs of them */
		for (size_t i = 0; i < tl->nprint; i++) {
			for (int b = -1; b < 28; b++) {
				uint64_t m = tl->print[i].mask | (b >= 0 ? 1ull << b : 0);
				char x[512], y[512];

				gfp_format(tl, m, x, sizeof(x));
				gfp_format(bl, m, y, sizeof(y));
				checked++;
				if (strcmp(x, y) && bad++ < 3)
					printf("#   0x%llx kernel '%s' ours '%s'\n",
					       (unsigned long long)m, x, y);
			}
		}
		ok(!bad, "%s: built-in table %s names %d masks as the kernel's own table",
		   rel, gfp_layout_name(bl), checked);
		gfp_layout_free(tl);
	}
	closedir(d);
	ok(files >= 4, "%d kernels' tracefs formats", files);
}

static void t_trace_parser_edge(void)
{
	ok(!gfp_layout_from_trace_format("", "6.1"), "empty format: NULL");
	ok(!gfp_layout_from_trace_format("print fmt: \"%s\", __print_flags(REC->gfp_flags, \"|\", {(",
					 "6.1"), "truncated format: NULL");
	ok(!gfp_layout_from_trace_format(NULL, "6.1"), "NULL: NULL");
}

int main(void)
{
	t_versions();
	t_header_values();
	t_format();
	t_parse();
	t_roundtrip();
	t_behaviour();
	t_tracefs();
	t_trace_parser_edge();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
