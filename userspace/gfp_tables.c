// SPDX-License-Identifier: GPL-2.0
/*
 * Built-in GFP tables, transcribed from each kernel's own headers:
 *   include/linux/gfp.h (include/linux/gfp_types.h since 6.0) for the bits
 *   and composite masks, include/trace/events/gfpflags.h (before 4.6) or
 *   include/trace/events/mmflags.h (4.6+) for the name table that the
 *   tracepoints and, since 4.6, vsprintf's %pGg print (in that order: the
 *   first entry whose bits are all set wins, its bits are removed, and any
 *   bits left over are printed as one hex number).
 *
 * 5.10, 6.1, 6.12 and 7.2 are checked against the Debian headers of the
 * test matrix (linux-headers-*-common); the others against the tagged
 * upstream headers and the names real kernels printed in
 * tests/data/gfp_lines.txt.
 *
 * Config-dependent bits, assumed as Debian amd64 configures them:
 *   CONFIG_LOCKDEP=n        __GFP_NOLOCKDEP is 0 (4.12+) and not named
 *   CONFIG_KASAN_HW_TAGS=n  __GFP_SKIP_ZERO / __GFP_SKIP_KASAN* are 0 (6.0+)
 *   CONFIG_KMEMCHECK=n      __GFP_NOTRACK is 0 in 2.6.32 (a nonzero bit in
 *                           3.x-4.14)
 *   CONFIG_SLAB_OBJ_EXT=y   __GFP_NO_OBJ_EXT is bit 24 (6.10+, always 7.x)
 * Zero-valued entries never match in our printer (the kernels leave them
 * out of their tables for the same reason).
 */
#include "gfp.h"
#include "gfp_tables.h"

/* ---------------------------------------------------------------- 2.6.32 */
static const char *const defs_2_6_32[] = {
	"__GFP_DMA=0x01", "__GFP_HIGHMEM=0x02", "__GFP_DMA32=0x04",
	"__GFP_MOVABLE=0x08", "__GFP_WAIT=0x10", "__GFP_HIGH=0x20",
	"__GFP_IO=0x40", "__GFP_FS=0x80", "__GFP_COLD=0x100",
	"__GFP_NOWARN=0x200", "__GFP_REPEAT=0x400", "__GFP_NOFAIL=0x800",
	"__GFP_NORETRY=0x1000", "__GFP_COMP=0x4000", "__GFP_ZERO=0x8000",
	"__GFP_NOMEMALLOC=0x10000", "__GFP_HARDWALL=0x20000",
	"__GFP_THISNODE=0x40000", "__GFP_RECLAIMABLE=0x80000",
	"__GFP_NOTRACK=0",
	"GFP_ATOMIC=__GFP_HIGH",
	"GFP_NOWAIT=GFP_ATOMIC&~__GFP_HIGH",
	"GFP_NOIO=__GFP_WAIT",
	"GFP_NOFS=__GFP_WAIT|__GFP_IO",
	"GFP_KERNEL=__GFP_WAIT|__GFP_IO|__GFP_FS",
	"GFP_TEMPORARY=__GFP_WAIT|__GFP_IO|__GFP_FS|__GFP_RECLAIMABLE",
	"GFP_USER=__GFP_WAIT|__GFP_IO|__GFP_FS|__GFP_HARDWALL",
	"GFP_HIGHUSER=__GFP_WAIT|__GFP_IO|__GFP_FS|__GFP_HARDWALL|__GFP_HIGHMEM",
	"GFP_HIGHUSER_MOVABLE=GFP_HIGHUSER|__GFP_MOVABLE",
	"GFP_THISNODE=__GFP_THISNODE|__GFP_NOWARN|__GFP_NORETRY",
	"GFP_DMA=__GFP_DMA", "GFP_DMA32=__GFP_DMA32",
	NULL
};

/* include/trace/events/gfpflags.h of 2.6.32: labels without "__"; no __GFP_FS. */
static const char *const print_2_6_32[] = {
	"GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER", "GFP_USER", "GFP_TEMPORARY",
	"GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO",
	"__GFP_HIGH:GFP_HIGH", "__GFP_WAIT:GFP_WAIT", "__GFP_IO:GFP_IO",
	"__GFP_COLD:GFP_COLD", "__GFP_NOWARN:GFP_NOWARN",
	"__GFP_REPEAT:GFP_REPEAT", "__GFP_NOFAIL:GFP_NOFAIL",
	"__GFP_NORETRY:GFP_NORETRY", "__GFP_COMP:GFP_COMP",
	"__GFP_ZERO:GFP_ZERO", "__GFP_NOMEMALLOC:GFP_NOMEMALLOC",
	"__GFP_HARDWALL:GFP_HARDWALL", "__GFP_THISNODE:GFP_THISNODE",
	"__GFP_RECLAIMABLE:GFP_RECLAIMABLE", "__GFP_MOVABLE:GFP_MOVABLE",
	"__GFP_NOTRACK:GFP_NOTRACK",
	NULL
};

/* ------------------------------------------------------------------ 3.10 */
static const char *const defs_3_10[] = {
	"__GFP_DMA=0x01", "__GFP_HIGHMEM=0x02", "__GFP_DMA32=0x04",
	"__GFP_MOVABLE=0x08", "__GFP_WAIT=0x10", "__GFP_HIGH=0x20",
	"__GFP_IO=0x40", "__GFP_FS=0x80", "__GFP_COLD=0x100",
	"__GFP_NOWARN=0x200", "__GFP_REPEAT=0x400", "__GFP_NOFAIL=0x800",
	"__GFP_NORETRY=0x1000", "__GFP_MEMALLOC=0x2000", "__GFP_COMP=0x4000",
	"__GFP_ZERO=0x8000", "__GFP_NOMEMALLOC=0x10000",
	"__GFP_HARDWALL=0x20000", "__GFP_THISNODE=0x40000",
	"__GFP_RECLAIMABLE=0x80000", "__GFP_KMEMCG=0x100000",
	"__GFP_NOTRACK=0x200000", "__GFP_NO_KSWAPD=0x400000",
	"__GFP_OTHER_NODE=0x800000", "__GFP_WRITE=0x1000000",
	"GFP_ATOMIC=__GFP_HIGH",
	"GFP_NOWAIT=GFP_ATOMIC&~__GFP_HIGH",
	"GFP_NOIO=__GFP_WAIT",
	"GFP_NOFS=__GFP_WAIT|__GFP_IO",
	"GFP_KERNEL=__GFP_WAIT|__GFP_IO|__GFP_FS",
	"GFP_TEMPORARY=__GFP_WAIT|__GFP_IO|__GFP_FS|__GFP_RECLAIMABLE",
	"GFP_USER=__GFP_WAIT|__GFP_IO|__GFP_FS|__GFP_HARDWALL",
	"GFP_HIGHUSER=GFP_USER|__GFP_HIGHMEM",
	"GFP_HIGHUSER_MOVABLE=GFP_HIGHUSER|__GFP_MOVABLE",
	"GFP_IOFS=__GFP_IO|__GFP_FS",
	"GFP_TRANSHUGE=GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_NORETRY|__GFP_NOWARN|__GFP_NO_KSWAPD",
	"GFP_THISNODE=__GFP_THISNODE|__GFP_NOWARN|__GFP_NORETRY",
	"GFP_DMA=__GFP_DMA", "GFP_DMA32=__GFP_DMA32",
	NULL
};

static const char *const print_3_10[] = {
	"GFP_TRANSHUGE", "GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER", "GFP_USER",
	"GFP_TEMPORARY", "GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO",
	"__GFP_HIGH:GFP_HIGH", "__GFP_WAIT:GFP_WAIT", "__GFP_IO:GFP_IO",
	"__GFP_COLD:GFP_COLD", "__GFP_NOWARN:GFP_NOWARN",
	"__GFP_REPEAT:GFP_REPEAT", "__GFP_NOFAIL:GFP_NOFAIL",
	"__GFP_NORETRY:GFP_NORETRY", "__GFP_COMP:GFP_COMP",
	"__GFP_ZERO:GFP_ZERO", "__GFP_NOMEMALLOC:GFP_NOMEMALLOC",
	"__GFP_MEMALLOC:GFP_MEMALLOC", "__GFP_HARDWALL:GFP_HARDWALL",
	"__GFP_THISNODE:GFP_THISNODE", "__GFP_RECLAIMABLE:GFP_RECLAIMABLE",
	"__GFP_MOVABLE:GFP_MOVABLE", "__GFP_NOTRACK:GFP_NOTRACK",
	"__GFP_NO_KSWAPD:GFP_NO_KSWAPD", "__GFP_OTHER_NODE:GFP_OTHER_NODE",
	NULL
};

/* --------------------------------------------- 4.4 - 4.9: the 4.4 rework */
#define BITS_4_4_LOW \
	"__GFP_DMA=0x01", "__GFP_HIGHMEM=0x02", "__GFP_DMA32=0x04", \
	"__GFP_MOVABLE=0x08", "__GFP_RECLAIMABLE=0x10", "__GFP_HIGH=0x20", \
	"__GFP_IO=0x40", "__GFP_FS=0x80", "__GFP_COLD=0x100", \
	"__GFP_NOWARN=0x200", "__GFP_REPEAT=0x400", "__GFP_NOFAIL=0x800", \
	"__GFP_NORETRY=0x1000", "__GFP_MEMALLOC=0x2000", "__GFP_COMP=0x4000", \
	"__GFP_ZERO=0x8000", "__GFP_NOMEMALLOC=0x10000", \
	"__GFP_HARDWALL=0x20000", "__GFP_THISNODE=0x40000", \
	"__GFP_ATOMIC=0x80000"

#define COMPOSITES_4_4 \
	"__GFP_RECLAIM=__GFP_DIRECT_RECLAIM|__GFP_KSWAPD_RECLAIM", \
	"GFP_ATOMIC=__GFP_HIGH|__GFP_ATOMIC|__GFP_KSWAPD_RECLAIM", \
	"GFP_KERNEL=__GFP_RECLAIM|__GFP_IO|__GFP_FS", \
	"GFP_NOWAIT=__GFP_KSWAPD_RECLAIM", \
	"GFP_NOIO=__GFP_RECLAIM", \
	"GFP_NOFS=__GFP_RECLAIM|__GFP_IO", \
	"GFP_USER=__GFP_RECLAIM|__GFP_IO|__GFP_FS|__GFP_HARDWALL", \
	"GFP_DMA=__GFP_DMA", "GFP_DMA32=__GFP_DMA32", \
	"GFP_HIGHUSER=GFP_USER|__GFP_HIGHMEM", \
	"GFP_HIGHUSER_MOVABLE=GFP_HIGHUSER|__GFP_MOVABLE"

static const char *const defs_4_4[] = {
	BITS_4_4_LOW,
	"__GFP_NOACCOUNT=0x100000", "__GFP_NOTRACK=0x200000",
	"__GFP_DIRECT_RECLAIM=0x400000", "__GFP_OTHER_NODE=0x800000",
	"__GFP_WRITE=0x1000000", "__GFP_KSWAPD_RECLAIM=0x2000000",
	COMPOSITES_4_4,
	"GFP_TEMPORARY=__GFP_RECLAIM|__GFP_IO|__GFP_FS|__GFP_RECLAIMABLE",
	"GFP_TRANSHUGE=GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_NORETRY|__GFP_NOWARN&~__GFP_KSWAPD_RECLAIM",
	NULL
};

static const char *const defs_4_6[] = {
	BITS_4_4_LOW,
	"__GFP_ACCOUNT=0x100000", "__GFP_NOTRACK=0x200000",
	"__GFP_DIRECT_RECLAIM=0x400000", "__GFP_OTHER_NODE=0x800000",
	"__GFP_WRITE=0x1000000", "__GFP_KSWAPD_RECLAIM=0x2000000",
	COMPOSITES_4_4,
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT",
	"GFP_TEMPORARY=__GFP_RECLAIM|__GFP_IO|__GFP_FS|__GFP_RECLAIMABLE",
	"GFP_TRANSHUGE=GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_NORETRY|__GFP_NOWARN&~__GFP_KSWAPD_RECLAIM",
	NULL
};

/* 4.8 split GFP_TRANSHUGE into TRANSHUGE_LIGHT and TRANSHUGE. */
#define TRANSHUGE_4_8 \
	"GFP_TRANSHUGE_LIGHT=GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_NOWARN&~__GFP_RECLAIM", \
	"GFP_TRANSHUGE=GFP_TRANSHUGE_LIGHT|__GFP_DIRECT_RECLAIM"

static const char *const defs_4_9[] = {
	BITS_4_4_LOW,
	"__GFP_ACCOUNT=0x100000", "__GFP_NOTRACK=0x200000",
	"__GFP_DIRECT_RECLAIM=0x400000", "__GFP_OTHER_NODE=0x800000",
	"__GFP_WRITE=0x1000000", "__GFP_KSWAPD_RECLAIM=0x2000000",
	COMPOSITES_4_4,
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT",
	"GFP_TEMPORARY=__GFP_RECLAIM|__GFP_IO|__GFP_FS|__GFP_RECLAIMABLE",
	TRANSHUGE_4_8,
	NULL
};

/* 4.10 dropped __GFP_OTHER_NODE; 4.12 added __GFP_NOLOCKDEP (lockdep only). */
static const char *const defs_4_10[] = {
	BITS_4_4_LOW,
	"__GFP_ACCOUNT=0x100000", "__GFP_NOTRACK=0x200000",
	"__GFP_DIRECT_RECLAIM=0x400000", "__GFP_WRITE=0x800000",
	"__GFP_KSWAPD_RECLAIM=0x1000000", "__GFP_NOLOCKDEP=0",
	COMPOSITES_4_4,
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT",
	"GFP_TEMPORARY=__GFP_RECLAIM|__GFP_IO|__GFP_FS|__GFP_RECLAIMABLE",
	TRANSHUGE_4_8,
	NULL
};

/* 4.13 renamed __GFP_REPEAT to __GFP_RETRY_MAYFAIL; 4.14 removed GFP_TEMPORARY. */
static const char *const defs_4_14[] = {
	"__GFP_DMA=0x01", "__GFP_HIGHMEM=0x02", "__GFP_DMA32=0x04",
	"__GFP_MOVABLE=0x08", "__GFP_RECLAIMABLE=0x10", "__GFP_HIGH=0x20",
	"__GFP_IO=0x40", "__GFP_FS=0x80", "__GFP_COLD=0x100",
	"__GFP_NOWARN=0x200", "__GFP_RETRY_MAYFAIL=0x400", "__GFP_NOFAIL=0x800",
	"__GFP_NORETRY=0x1000", "__GFP_MEMALLOC=0x2000", "__GFP_COMP=0x4000",
	"__GFP_ZERO=0x8000", "__GFP_NOMEMALLOC=0x10000",
	"__GFP_HARDWALL=0x20000", "__GFP_THISNODE=0x40000",
	"__GFP_ATOMIC=0x80000", "__GFP_ACCOUNT=0x100000",
	"__GFP_NOTRACK=0x200000", "__GFP_DIRECT_RECLAIM=0x400000",
	"__GFP_WRITE=0x800000", "__GFP_KSWAPD_RECLAIM=0x1000000",
	"__GFP_NOLOCKDEP=0",
	COMPOSITES_4_4,
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT",
	TRANSHUGE_4_8,
	NULL
};

/* 4.15 removed __GFP_COLD and __GFP_NOTRACK and left their bits unused
 * (Ubuntu 4.15.0-108 prints 0x15000c0 as GFP_KERNEL_ACCOUNT). */
static const char *const defs_4_15[] = {
	"__GFP_DMA=0x01", "__GFP_HIGHMEM=0x02", "__GFP_DMA32=0x04",
	"__GFP_MOVABLE=0x08", "__GFP_RECLAIMABLE=0x10", "__GFP_HIGH=0x20",
	"__GFP_IO=0x40", "__GFP_FS=0x80",
	"__GFP_NOWARN=0x200", "__GFP_RETRY_MAYFAIL=0x400", "__GFP_NOFAIL=0x800",
	"__GFP_NORETRY=0x1000", "__GFP_MEMALLOC=0x2000", "__GFP_COMP=0x4000",
	"__GFP_ZERO=0x8000", "__GFP_NOMEMALLOC=0x10000",
	"__GFP_HARDWALL=0x20000", "__GFP_THISNODE=0x40000",
	"__GFP_ATOMIC=0x80000", "__GFP_ACCOUNT=0x100000",
	"__GFP_DIRECT_RECLAIM=0x400000",
	"__GFP_WRITE=0x800000", "__GFP_KSWAPD_RECLAIM=0x1000000",
	"__GFP_NOLOCKDEP=0",
	COMPOSITES_4_4,
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT",
	TRANSHUGE_4_8,
	NULL
};

/* 4.16-4.20: the bits repacked (4.19.4 prints 0x6000c0 as GFP_KERNEL).
 * The exact release between 4.16 and 4.18 is assumed to be 4.16. */
static const char *const defs_4_16[] = {
	"__GFP_DMA=0x01", "__GFP_HIGHMEM=0x02", "__GFP_DMA32=0x04",
	"__GFP_MOVABLE=0x08", "__GFP_RECLAIMABLE=0x10", "__GFP_HIGH=0x20",
	"__GFP_IO=0x40", "__GFP_FS=0x80", "__GFP_WRITE=0x100",
	"__GFP_NOWARN=0x200", "__GFP_RETRY_MAYFAIL=0x400", "__GFP_NOFAIL=0x800",
	"__GFP_NORETRY=0x1000", "__GFP_MEMALLOC=0x2000", "__GFP_COMP=0x4000",
	"__GFP_ZERO=0x8000", "__GFP_NOMEMALLOC=0x10000",
	"__GFP_HARDWALL=0x20000", "__GFP_THISNODE=0x40000",
	"__GFP_ATOMIC=0x80000", "__GFP_ACCOUNT=0x100000",
	"__GFP_DIRECT_RECLAIM=0x200000", "__GFP_KSWAPD_RECLAIM=0x400000",
	"__GFP_NOLOCKDEP=0",
	COMPOSITES_4_4,
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT",
	TRANSHUGE_4_8,
	NULL
};

/* 5.0 ("mm: reorder GFP bits"? see gfp_lines.txt) to 5.14: GFP_KERNEL 0xcc0. */
#define BITS_5_0 \
	"__GFP_DMA=0x01", "__GFP_HIGHMEM=0x02", "__GFP_DMA32=0x04", \
	"__GFP_MOVABLE=0x08", "__GFP_RECLAIMABLE=0x10", "__GFP_HIGH=0x20", \
	"__GFP_IO=0x40", "__GFP_FS=0x80", "__GFP_ZERO=0x100", \
	"__GFP_ATOMIC=0x200", "__GFP_DIRECT_RECLAIM=0x400", \
	"__GFP_KSWAPD_RECLAIM=0x800", "__GFP_WRITE=0x1000", \
	"__GFP_NOWARN=0x2000", "__GFP_RETRY_MAYFAIL=0x4000", \
	"__GFP_NOFAIL=0x8000", "__GFP_NORETRY=0x10000", \
	"__GFP_MEMALLOC=0x20000", "__GFP_COMP=0x40000", \
	"__GFP_NOMEMALLOC=0x80000", "__GFP_HARDWALL=0x100000", \
	"__GFP_THISNODE=0x200000", "__GFP_ACCOUNT=0x400000"

static const char *const defs_5_0[] = {
	BITS_5_0, "__GFP_NOLOCKDEP=0",
	COMPOSITES_4_4,
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT",
	TRANSHUGE_4_8,
	NULL
};

/*
 * 5.15: arm64 MTE bits, unconditional, and GFP_HIGHUSER_MOVABLE carries
 * __GFP_SKIP_KASAN_POISON (the 5.15 gfp.h; Ubuntu 22.04's 5.15.0-124
 * prints "gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE)",
 * awslabs/mountpoint-s3#1206).  GFP_TRANSHUGE* follow from it.
 */
static const char *const defs_5_15[] = {
	BITS_5_0, "__GFP_ZEROTAGS=0x800000", "__GFP_SKIP_KASAN_POISON=0x1000000",
	"__GFP_NOLOCKDEP=0",
	"__GFP_RECLAIM=__GFP_DIRECT_RECLAIM|__GFP_KSWAPD_RECLAIM",
	"GFP_ATOMIC=__GFP_HIGH|__GFP_ATOMIC|__GFP_KSWAPD_RECLAIM",
	"GFP_KERNEL=__GFP_RECLAIM|__GFP_IO|__GFP_FS",
	"GFP_NOWAIT=__GFP_KSWAPD_RECLAIM",
	"GFP_NOIO=__GFP_RECLAIM",
	"GFP_NOFS=__GFP_RECLAIM|__GFP_IO",
	"GFP_USER=__GFP_RECLAIM|__GFP_IO|__GFP_FS|__GFP_HARDWALL",
	"GFP_DMA=__GFP_DMA", "GFP_DMA32=__GFP_DMA32",
	"GFP_HIGHUSER=GFP_USER|__GFP_HIGHMEM",
	"GFP_HIGHUSER_MOVABLE=GFP_HIGHUSER|__GFP_MOVABLE|__GFP_SKIP_KASAN_POISON",
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT",
	TRANSHUGE_4_8,
	NULL
};

/* 6.0-6.2 (Debian 6.1 headers): KASAN bits conditional, 0 here. */
static const char *const defs_6_1[] = {
	BITS_5_0, "__GFP_ZEROTAGS=0x800000", "__GFP_SKIP_ZERO=0",
	"__GFP_SKIP_KASAN_UNPOISON=0", "__GFP_SKIP_KASAN_POISON=0",
	"__GFP_NOLOCKDEP=0",
	COMPOSITES_4_4,
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT",
	TRANSHUGE_4_8,
	NULL
};

/* 6.3 removed __GFP_ATOMIC (0x200 unused since). */
#define BITS_6_3 \
	"__GFP_DMA=0x01", "__GFP_HIGHMEM=0x02", "__GFP_DMA32=0x04", \
	"__GFP_MOVABLE=0x08", "__GFP_RECLAIMABLE=0x10", "__GFP_HIGH=0x20", \
	"__GFP_IO=0x40", "__GFP_FS=0x80", "__GFP_ZERO=0x100", \
	"__GFP_DIRECT_RECLAIM=0x400", \
	"__GFP_KSWAPD_RECLAIM=0x800", "__GFP_WRITE=0x1000", \
	"__GFP_NOWARN=0x2000", "__GFP_RETRY_MAYFAIL=0x4000", \
	"__GFP_NOFAIL=0x8000", "__GFP_NORETRY=0x10000", \
	"__GFP_MEMALLOC=0x20000", "__GFP_COMP=0x40000", \
	"__GFP_NOMEMALLOC=0x80000", "__GFP_HARDWALL=0x100000", \
	"__GFP_THISNODE=0x200000", "__GFP_ACCOUNT=0x400000", \
	"__GFP_ZEROTAGS=0x800000", "__GFP_SKIP_ZERO=0", "__GFP_SKIP_KASAN=0", \
	"__GFP_NOLOCKDEP=0"

#define COMPOSITES_6_3(nowait) \
	"__GFP_RECLAIM=__GFP_DIRECT_RECLAIM|__GFP_KSWAPD_RECLAIM", \
	"GFP_ATOMIC=__GFP_HIGH|__GFP_KSWAPD_RECLAIM", \
	"GFP_KERNEL=__GFP_RECLAIM|__GFP_IO|__GFP_FS", \
	"GFP_KERNEL_ACCOUNT=GFP_KERNEL|__GFP_ACCOUNT", \
	"GFP_NOWAIT=" nowait, \
	"GFP_NOIO=__GFP_RECLAIM", \
	"GFP_NOFS=__GFP_RECLAIM|__GFP_IO", \
	"GFP_USER=__GFP_RECLAIM|__GFP_IO|__GFP_FS|__GFP_HARDWALL", \
	"GFP_DMA=__GFP_DMA", "GFP_DMA32=__GFP_DMA32", \
	"GFP_HIGHUSER=GFP_USER|__GFP_HIGHMEM", \
	"GFP_HIGHUSER_MOVABLE=GFP_HIGHUSER|__GFP_MOVABLE|__GFP_SKIP_KASAN", \
	TRANSHUGE_4_8

static const char *const defs_6_6[] = {
	BITS_6_3,
	COMPOSITES_6_3("__GFP_KSWAPD_RECLAIM"),
	NULL
};

/* 6.10+: bits from an enum; __GFP_NO_OBJ_EXT with CONFIG_SLAB_OBJ_EXT.
 * Debian's 6.12.107 has GFP_NOWAIT with __GFP_NOWARN (from 6.17). */
static const char *const defs_6_10[] = {
	BITS_6_3, "__GFP_NO_OBJ_EXT=0x1000000",
	COMPOSITES_6_3("__GFP_KSWAPD_RECLAIM"),
	NULL
};

static const char *const defs_6_12[] = {
	BITS_6_3, "__GFP_NO_OBJ_EXT=0x1000000",
	COMPOSITES_6_3("__GFP_KSWAPD_RECLAIM|__GFP_NOWARN"),
	NULL
};

/* ------------------------------------------------------------ name tables */
#define PRINT_HEAD_4_6 \
	"GFP_TRANSHUGE", "GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER", "GFP_USER", \
	"GFP_TEMPORARY", "GFP_KERNEL_ACCOUNT", "GFP_KERNEL", "GFP_NOFS", \
	"GFP_ATOMIC", "GFP_NOIO", "GFP_NOWAIT", "GFP_DMA", "__GFP_HIGHMEM", \
	"GFP_DMA32", "__GFP_HIGH", "__GFP_ATOMIC", "__GFP_IO", "__GFP_FS", \
	"__GFP_COLD", "__GFP_NOWARN", "__GFP_REPEAT", "__GFP_NOFAIL", \
	"__GFP_NORETRY", "__GFP_COMP", "__GFP_ZERO", "__GFP_NOMEMALLOC", \
	"__GFP_MEMALLOC", "__GFP_HARDWALL", "__GFP_THISNODE", \
	"__GFP_RECLAIMABLE", "__GFP_MOVABLE"

/* 4.4 printed no names in dmesg; its tracepoints used this table. */
static const char *const print_4_4[] = {
	PRINT_HEAD_4_6,
	"__GFP_NOTRACK", "__GFP_WRITE", "__GFP_RECLAIM",
	"__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_OTHER_NODE",
	NULL
};

/* include/trace/events/mmflags.h of 4.6 */
static const char *const print_4_6[] = {
	PRINT_HEAD_4_6,
	"__GFP_ACCOUNT", "__GFP_NOTRACK", "__GFP_WRITE", "__GFP_RECLAIM",
	"__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_OTHER_NODE",
	NULL
};

/* 4.8: GFP_TRANSHUGE_LIGHT after GFP_TRANSHUGE. */
static const char *const print_4_9[] = {
	"GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE",
	"GFP_HIGHUSER", "GFP_USER", "GFP_TEMPORARY", "GFP_KERNEL_ACCOUNT",
	"GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO", "GFP_NOWAIT",
	"GFP_DMA", "__GFP_HIGHMEM", "GFP_DMA32", "__GFP_HIGH", "__GFP_ATOMIC",
	"__GFP_IO", "__GFP_FS", "__GFP_COLD", "__GFP_NOWARN", "__GFP_REPEAT",
	"__GFP_NOFAIL", "__GFP_NORETRY", "__GFP_COMP", "__GFP_ZERO",
	"__GFP_NOMEMALLOC", "__GFP_MEMALLOC", "__GFP_HARDWALL",
	"__GFP_THISNODE", "__GFP_RECLAIMABLE", "__GFP_MOVABLE",
	"__GFP_ACCOUNT", "__GFP_NOTRACK", "__GFP_WRITE", "__GFP_RECLAIM",
	"__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_OTHER_NODE",
	NULL
};

static const char *const print_4_14[] = {
	"GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE",
	"GFP_HIGHUSER", "GFP_USER", "GFP_TEMPORARY", "GFP_KERNEL_ACCOUNT",
	"GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO", "GFP_NOWAIT",
	"GFP_DMA", "__GFP_HIGHMEM", "GFP_DMA32", "__GFP_HIGH", "__GFP_ATOMIC",
	"__GFP_IO", "__GFP_FS", "__GFP_COLD", "__GFP_NOWARN",
	"__GFP_REPEAT", "__GFP_RETRY_MAYFAIL",
	"__GFP_NOFAIL", "__GFP_NORETRY", "__GFP_COMP", "__GFP_ZERO",
	"__GFP_NOMEMALLOC", "__GFP_MEMALLOC", "__GFP_HARDWALL",
	"__GFP_THISNODE", "__GFP_RECLAIMABLE", "__GFP_MOVABLE",
	"__GFP_ACCOUNT", "__GFP_NOTRACK", "__GFP_WRITE", "__GFP_RECLAIM",
	"__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM",
	NULL
};

/* 4.15 - 5.14 (checked: Debian 5.10 headers) */
#define PRINT_5_HEAD \
	"GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE", \
	"GFP_HIGHUSER", "GFP_USER", "GFP_KERNEL_ACCOUNT", "GFP_KERNEL", \
	"GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO", "GFP_NOWAIT", "GFP_DMA", \
	"__GFP_HIGHMEM", "GFP_DMA32", "__GFP_HIGH", "__GFP_ATOMIC", \
	"__GFP_IO", "__GFP_FS", "__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", \
	"__GFP_NOFAIL", "__GFP_NORETRY", "__GFP_COMP", "__GFP_ZERO", \
	"__GFP_NOMEMALLOC", "__GFP_MEMALLOC", "__GFP_HARDWALL", \
	"__GFP_THISNODE", "__GFP_RECLAIMABLE", "__GFP_MOVABLE", \
	"__GFP_ACCOUNT", "__GFP_WRITE", "__GFP_RECLAIM", \
	"__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM"

static const char *const print_4_15[] = { PRINT_5_HEAD, NULL };

/* 6.13+: composites, then every bit in enum order (TRACE_GFP_FLAGS);
 * Debian 6.16.9 prints __GFP_ZERO before __GFP_COMP. */
static const char *const print_6_13[] = {
	"GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE",
	"GFP_HIGHUSER", "GFP_USER", "GFP_KERNEL_ACCOUNT", "GFP_KERNEL",
	"GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO", "GFP_NOWAIT", "GFP_DMA",
	"GFP_DMA32", "__GFP_RECLAIM",
	"__GFP_DMA", "__GFP_HIGHMEM", "__GFP_DMA32", "__GFP_MOVABLE",
	"__GFP_RECLAIMABLE", "__GFP_HIGH", "__GFP_IO", "__GFP_FS",
	"__GFP_ZERO", "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM",
	"__GFP_WRITE", "__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL",
	"__GFP_NORETRY", "__GFP_MEMALLOC", "__GFP_COMP", "__GFP_NOMEMALLOC",
	"__GFP_HARDWALL", "__GFP_THISNODE", "__GFP_ACCOUNT", "__GFP_ZEROTAGS",
	"__GFP_NO_OBJ_EXT",
	NULL
};
static const char *const print_5_15[] = {
	PRINT_5_HEAD, "__GFP_ZEROTAGS", "__GFP_SKIP_KASAN_POISON", NULL
};
/* checked: Debian 6.1 headers (KASAN names only with CONFIG_KASAN_HW_TAGS) */
static const char *const print_6_1[] = { PRINT_5_HEAD, "__GFP_ZEROTAGS", NULL };

/* 6.3 - 6.x (checked: Debian 6.12 headers) */
static const char *const print_6_6[] = {
	"GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE",
	"GFP_HIGHUSER", "GFP_USER", "GFP_KERNEL_ACCOUNT", "GFP_KERNEL",
	"GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO", "GFP_NOWAIT", "GFP_DMA",
	"__GFP_HIGHMEM", "GFP_DMA32", "__GFP_HIGH", "__GFP_IO", "__GFP_FS",
	"__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL",
	"__GFP_NORETRY", "__GFP_COMP", "__GFP_ZERO", "__GFP_NOMEMALLOC",
	"__GFP_MEMALLOC", "__GFP_HARDWALL", "__GFP_THISNODE",
	"__GFP_RECLAIMABLE", "__GFP_MOVABLE", "__GFP_ACCOUNT", "__GFP_WRITE",
	"__GFP_RECLAIM", "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM",
	"__GFP_ZEROTAGS",
	NULL
};

/* 7.x (checked: Debian sid 7.2 headers): composites, then every bit in
 * enum order (TRACE_GFP_FLAGS). */
static const char *const print_7[] = {
	"GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE",
	"GFP_HIGHUSER", "GFP_USER", "GFP_KERNEL_ACCOUNT", "GFP_KERNEL",
	"GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO", "GFP_NOWAIT", "GFP_DMA",
	"GFP_DMA32", "__GFP_RECLAIM",
	"__GFP_DMA", "__GFP_HIGHMEM", "__GFP_DMA32", "__GFP_MOVABLE",
	"__GFP_RECLAIMABLE", "__GFP_HIGH", "__GFP_IO", "__GFP_FS",
	"__GFP_ZERO", "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM",
	"__GFP_WRITE", "__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL",
	"__GFP_NORETRY", "__GFP_MEMALLOC", "__GFP_COMP", "__GFP_NOMEMALLOC",
	"__GFP_HARDWALL", "__GFP_THISNODE", "__GFP_ACCOUNT", "__GFP_ZEROTAGS",
	"__GFP_NO_OBJ_EXT",
	NULL
};

const struct gfp_table_src gfp_table_srcs[] = {
	{ "2.6.32", KV(2, 6, 32), false, "GFP_NOWAIT", "0x3fffff", defs_2_6_32, print_2_6_32 },
	{ "3.10", KV(3, 10, 0), false, "GFP_NOWAIT", "0x1ffffff", defs_3_10, print_3_10 },
	{ "4.4", KV(4, 4, 0), false, "none", "0x3ffffff", defs_4_4, print_4_4 },
	{ "4.6", KV(4, 6, 0), true, "", "0x3ffffff", defs_4_6, print_4_6 },
	{ "4.9", KV(4, 8, 0), true, "", "0x3ffffff", defs_4_9, print_4_9 },
	{ "4.10", KV(4, 10, 0), true, "", "0x1ffffff", defs_4_10, print_4_9 },
	{ "4.14", KV(4, 13, 0), true, "", "0x1ffffff", defs_4_14, print_4_14 },
	{ "4.15", KV(4, 15, 0), true, "", "0x1ffffff", defs_4_15, print_4_15 },
	{ "4.19", KV(4, 16, 0), true, "", "0x7fffff", defs_4_16, print_4_15 },
	{ "5.4", KV(5, 0, 0), true, "", "0x7fffff", defs_5_0, print_4_15 },
	{ "5.10", KV(5, 10, 0), true, "", "0x7fffff", defs_5_0, print_4_15 },
	{ "5.15", KV(5, 15, 0), true, "", "0x1ffffff", defs_5_15, print_5_15 },
	{ "6.1", KV(6, 0, 0), true, "", "0xffffff", defs_6_1, print_6_1 },
	{ "6.6", KV(6, 3, 0), true, "", "0xffffff", defs_6_6, print_6_6 },
	{ "6.10", KV(6, 10, 0), true, "", "0x1ffffff", defs_6_10, print_6_6 },
	{ "6.12", KV(6, 12, 0), true, "", "0x1ffffff", defs_6_12, print_6_6 },
	{ "6.13", KV(6, 13, 0), true, "", "0x1ffffff", defs_6_10, print_6_13 },
	{ "7.2", KV(6, 17, 0), true, "", "0x1ffffff", defs_6_12, print_7 },
};

const unsigned int gfp_table_count = sizeof(gfp_table_srcs) / sizeof(gfp_table_srcs[0]);
