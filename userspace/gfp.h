/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_GFP_H
#define OOMDIAG_GFP_H
/*
 * GFP masks of many kernels: names, bit values, how %pGg prints them, and
 * what the page allocator does with a request.  Built-in tables are taken
 * from each kernel's include/linux/gfp.h (gfp_types.h since 6.0) and
 * include/trace/events/mmflags.h (gfpflags.h before 4.6); see gfp_tables.c.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gfp_entry {
	const char *name;	/* as printed by that kernel */
	uint64_t mask;
};

struct gfp_layout {
	char name[96];		/* "5.10", "running 6.1.0-50-amd64 (tracefs)" */
	unsigned int version;	/* KV(a, b, c) of the behaviour to model */
	bool pgg;		/* kernel has %pGg (4.6+); else show_gfp_flags */
	const char *zero_text;	/* what a zero mask prints as */
	uint64_t bits_mask;	/* __GFP_BITS_MASK */
	size_t nsyms;		/* every symbol, for parsing and gfp_flag() */
	struct gfp_entry *syms;
	size_t nprint;		/* the kernel's name table, in its order */
	struct gfp_entry *print;
};

#define KV(a, b, c) (((a) << 16) | ((b) << 8) | ((c) > 255 ? 255 : (c)))

/* Parse "4.19.0-17-amd64", "v6.1", "2.6.32" → KV; 0 when unparseable. */
unsigned int gfp_parse_version(const char *version);
/* Built-in layout of the nearest version not newer (the oldest table for
 * anything older); NULL when unparseable. */
const struct gfp_layout *gfp_layout_for_version(const char *version);
/* The running kernel: module gfp file, else tracefs print fmt, else
 * built-in by uname.  Never NULL. */
const struct gfp_layout *gfp_layout_running(void);
/* Build a layout from a tracefs format file's text (the __print_flags table
 * of its gfp_flags field); NULL when none is found.  For tests. */
struct gfp_layout *gfp_layout_from_trace_format(const char *text, const char *release);
/* Build a layout by asking the module's gfp file (path) to name masks
 * with the kernel's own %pGg; NULL when it cannot be used. */
struct gfp_layout *gfp_layout_from_module(const char *path, const char *release);
/* Write "0xMASK ORDER" to the module's gfp file and read its answer
 * (key=value lines) into out; 0 or -errno. */
int gfp_module_decode(const char *path, uint64_t mask, unsigned int order, char *out,
		      size_t len);
/* Value of "key=" in key=value lines; 0 or -1. */
int gfp_kv(const char *text, const char *key, char *buf, size_t len);
void gfp_layout_free(struct gfp_layout *l);
const char *gfp_layout_name(const struct gfp_layout *l);
/* The built-in tables, in version order. */
size_t gfp_builtin_count(void);
const struct gfp_layout *gfp_builtin(size_t i);

/* Print mask as that kernel's %pGg would; returns the length it needed
 * (like snprintf).  buf always NUL-terminated when len > 0. */
size_t gfp_format(const struct gfp_layout *l, uint64_t mask, char *buf, size_t len);
/* "GFP_KERNEL|__GFP_NOWARN|0x1000" → mask; 0 ok, -1 on an unknown name. */
int gfp_parse_names(const struct gfp_layout *l, const char *names, uint64_t *mask);
/* Bits of a named flag or composite in that layout, 0 if absent. */
uint64_t gfp_flag(const struct gfp_layout *l, const char *name);
/* A mask given as a number ("0x400cc0", "3264") or names; 0 ok, -1 bad. */
int gfp_parse_mask(const struct gfp_layout *l, const char *s, uint64_t *mask);

enum gfp_retry {
	GFP_RETRY_DEFAULT = 0,
	GFP_RETRY_NORETRY,
	GFP_RETRY_MAYFAIL,
	GFP_RETRY_NOFAIL,
};

struct gfp_behaviour {
	unsigned int order;
	bool costly;		/* order > PAGE_ALLOC_COSTLY_ORDER (3) */
	bool direct_reclaim;	/* may sleep and reclaim itself */
	bool kswapd;		/* wakes kswapd */
	bool compact;		/* may compact directly */
	bool high;		/* __GFP_HIGH: ALLOC_HIGH / ALLOC_MIN_RESERVE */
	bool harder;		/* ALLOC_HARDER / ALLOC_NON_BLOCK (atomic) */
	bool highatomic;	/* may take the MIGRATE_HIGHATOMIC reserve */
	bool highatomic_fallback;	/* ...as a last resort (6.3+ ALLOC_NON_BLOCK) */
	bool no_watermarks;	/* __GFP_MEMALLOC: ignores watermarks */
	unsigned int wmark_num, wmark_den; /* must stay above min * num/den */
	bool cma;		/* may use CMA pageblocks (movable) */
	enum gfp_retry retry;
	const char *retry_text;	/* what the retry policy means here */
	/* none, forever, once, while_progress, while_progress_then_oom */
	const char *retry_kind;
	bool may_oom;		/* may invoke the OOM killer */
	const char *oom_text;	/* why (not) */
	bool warns;		/* a failure is reported by warn_alloc */
	const char *zone;	/* highest zone: DMA DMA32 Normal HighMem Movable */
	const char *migratetype; /* Unmovable Movable Reclaimable */
	bool valid;		/* zone and migratetype bits are consistent */
};

int gfp_behaviour(const struct gfp_layout *l, uint64_t mask, unsigned int order,
		  struct gfp_behaviour *b);
/* The same for kernel version v (KV) with l's names: the rules changed
 * within tables (6.1.116 took the 6.3 rules). */
int gfp_behaviour_v(const struct gfp_layout *l, unsigned int v, uint64_t mask,
		    unsigned int order, struct gfp_behaviour *b);
/* The running kernel's upstream version (/proc/version, else release). */
unsigned int gfp_running_version(const char *release);
const char *gfp_retry_name(enum gfp_retry r);

/*
 * warn_alloc()'s ratelimit on kernel version v (KV()): "1 per 10 s" since
 * 1be334e5c088 (5.5; in 4.14.y/4.19.y stable too, so those say "1 per
 * 10 s (10 per 5 s before the stable backport)"), "10 per 5 s" before.
 */
const char *gfp_warn_ratelimit(unsigned int v);

#endif
