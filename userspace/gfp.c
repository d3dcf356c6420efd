// SPDX-License-Identifier: GPL-2.0
/* GFP tables, %pGg-style printing and page allocator behaviour; see gfp.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "gfp.h"
#include "gfp_tables.h"
#include "util.h"

#define PAGE_ALLOC_COSTLY_ORDER 3

unsigned int gfp_parse_version(const char *v)
{
	unsigned long n[3] = { 0, 0, 0 };
	int i;
	char *end;

	if (!v)
		return 0;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == 'v' || *v == 'V')
		v++;
	if (!isdigit((unsigned char)*v))
		return 0;
	for (i = 0; i < 3; i++) {
		errno = 0;
		n[i] = strtoul(v, &end, 10);
		if (end == v || errno || n[i] > 255)
			return i >= 2 ? KV(n[0], n[1], 0) : 0;
		v = end;
		if (*v != '.' || !isdigit((unsigned char)v[1]))
			break;
		v++;
	}
	if (i == 0 && n[0] < 2)
		return 0;
	if (i == 0)	/* "7" alone: treat as 7.0 */
		return KV(n[0], 0, 0);
	return KV(n[0], n[1], n[2]);
}

static int entry_find(const struct gfp_entry *e, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(e[i].name) == len && !strncmp(e[i].name, name, len))
			return (int)i;
	return -1;
}

/* Evaluate "A|B&~C" or a number against the symbols defined so far. */
static int eval_def(const struct gfp_entry *syms, size_t n, const char *expr, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = expr;
	int op = '|';

	while (*p) {
		bool neg = false;
		uint64_t t;
		const char *s;

		if (*p == '~') {
			neg = true;
			p++;
		}
		s = p;
		while (*p && *p != '|' && *p != '&')
			p++;
		if (isdigit((unsigned char)*s)) {
			t = strtoull(s, NULL, 0);
		} else {
			int k = entry_find(syms, n, s, (size_t)(p - s));

			if (k < 0)
				return -1;
			t = syms[k].mask;
		}
		if (neg)
			t = ~t;
		v = op == '|' ? (v | t) : (v & t);
		if (!*p)
			break;
		op = *p++;
	}
	*out = v;
	return 0;
}

static struct gfp_layout *build_builtin(const struct gfp_table_src *src)
{
	struct gfp_layout *l = xcalloc(1, sizeof(*l));
	size_t nd = 0, np = 0;

	while (src->defs[nd])
		nd++;
	while (src->print[np])
		np++;
	snprintf(l->name, sizeof(l->name), "%s", src->name);
	l->version = src->version;
	l->pgg = src->pgg;
	l->zero_text = src->zero_text;
	l->bits_mask = strtoull(src->bits_mask, NULL, 0);
	l->syms = xcalloc(nd, sizeof(*l->syms));
	l->print = xcalloc(np, sizeof(*l->print));
	for (size_t i = 0; i < nd; i++) {
		const char *eq = strchr(src->defs[i], '=');
		uint64_t v;

		if (!eq || eval_def(l->syms, l->nsyms, eq + 1, &v)) {
			fprintf(stderr, "oomdiag: bad gfp table %s entry '%s'\n",
				src->name, src->defs[i]);
			abort();
		}
		l->syms[l->nsyms].name = xstrndup(src->defs[i], (size_t)(eq - src->defs[i]));
		l->syms[l->nsyms].mask = v;
		l->nsyms++;
	}
	for (size_t i = 0; i < np; i++) {
		const char *colon = strchr(src->print[i], ':');
		size_t len = colon ? (size_t)(colon - src->print[i]) : strlen(src->print[i]);
		int k = entry_find(l->syms, l->nsyms, src->print[i], len);

		if (k < 0 || !l->syms[k].mask)
			continue;	/* not in this kernel, or 0 in this config */
		l->print[l->nprint].name = colon ? colon + 1 : l->syms[k].name;
		l->print[l->nprint].mask = l->syms[k].mask;
		l->nprint++;
	}
	return l;
}

static struct gfp_layout *builtin_cache[64];

size_t gfp_builtin_count(void)
{
	return gfp_table_count;
}

const struct gfp_layout *gfp_builtin(size_t i)
{
	if (i >= gfp_table_count)
		return NULL;
	if (!builtin_cache[i])
		builtin_cache[i] = build_builtin(&gfp_table_srcs[i]);
	return builtin_cache[i];
}

const struct gfp_layout *gfp_layout_for_version(const char *version)
{
	unsigned int v = gfp_parse_version(version);
	size_t best = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < gfp_table_count; i++)
		if (gfp_table_srcs[i].version <= v)
			best = i;
	return gfp_builtin(best);
}

const char *gfp_layout_name(const struct gfp_layout *l)
{
	return l ? l->name : "(none)";
}

void gfp_layout_free(struct gfp_layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nsyms; i++)
		free((char *)l->syms[i].name);
	free(l->syms);
	free(l->print);	/* names shared with syms */
	free(l);
}

/* ------------------------------------------------------------ printing */

size_t gfp_format(const struct gfp_layout *l, uint64_t mask, char *buf, size_t len)
{
	struct sbuf sb;
	bool first = true;

	sbuf_init_fixed(&sb, buf, len);
	if (!mask) {
		sbuf_puts(&sb, l->zero_text);
		return sb.need;
	}
	/* lib/vsprintf.c format_flags() / trace_print_flags_seq() */
	for (size_t i = 0; i < l->nprint && mask; i++) {
		uint64_t m = l->print[i].mask;

		if (!m || (mask & m) != m)
			continue;
		if (!first)
			sbuf_puts(&sb, "|");
		sbuf_puts(&sb, l->print[i].name);
		first = false;
		mask &= ~m;
	}
	if (mask) {
		if (!first)
			sbuf_puts(&sb, "|");
		sbuf_printf(&sb, "0x%llx", (unsigned long long)mask);
	}
	return sb.need;
}

uint64_t gfp_flag(const struct gfp_layout *l, const char *name)
{
	int k;

	if (!l || !name)
		return 0;
	k = entry_find(l->syms, l->nsyms, name, strlen(name));
	if (k >= 0)
		return l->syms[k].mask;
	/* labels that differ from symbols (2.6.32 "GFP_WAIT") */
	k = entry_find(l->print, l->nprint, name, strlen(name));
	return k >= 0 ? l->print[k].mask : 0;
}

int gfp_parse_names(const struct gfp_layout *l, const char *names, uint64_t *mask)
{
	uint64_t v = 0;
	const char *p = names;

	if (!l || !names)
		return -1;
	while (*p == ' ')
		p++;
	if (!*p || !strcmp(p, "none") || !strcmp(p, "0"))
		goto done;
	for (;;) {
		const char *s = p;
		size_t n;

		while (*p && *p != '|')
			p++;
		n = (size_t)(p - s);
		while (n && s[n - 1] == ' ')
			n--;
		while (n && *s == ' ') {
			s++;
			n--;
		}
		if (!n)
			return -1;
		if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			char tmp[32];
			char *end;

			if (n >= sizeof(tmp))
				return -1;
			memcpy(tmp, s, n);
			tmp[n] = 0;
			errno = 0;
			v |= strtoull(tmp, &end, 16);
			if (*end || errno)
				return -1;
		} else {
			/* the kernel's printed labels first: 2.6.32 prints
			 * __GFP_THISNODE as "GFP_THISNODE", a symbol too */
			int k = entry_find(l->print, l->nprint, s, n);

			if (k >= 0) {
				v |= l->print[k].mask;
			} else {
				k = entry_find(l->syms, l->nsyms, s, n);
				if (k < 0)
					return -1;
				v |= l->syms[k].mask;
			}
		}
		if (!*p)
			break;
		p++;
	}
done:
	*mask = v;
	return 0;
}

int gfp_parse_mask(const struct gfp_layout *l, const char *s, uint64_t *mask)
{
	char *end;

	if (!s || !*s)
		return -1;
	if (isdigit((unsigned char)s[0]) && !strchr(s, '|')) {
		errno = 0;
		*mask = strtoull(s, &end, 0);
		if (!*end && !errno)
			return 0;
	}
	return gfp_parse_names(l, s, mask);
}

/* ------------------------------------------------------------ behaviour */

const char *gfp_retry_name(enum gfp_retry r)
{
	switch (r) {
	case GFP_RETRY_NORETRY: return "noretry";
	case GFP_RETRY_MAYFAIL: return "retry_mayfail";
	case GFP_RETRY_NOFAIL: return "nofail";
	default: return "default";
	}
}

#define F(name) gfp_flag(l, name)
#define HAS(name) (F(name) && (mask & F(name)) == F(name))

int gfp_behaviour(const struct gfp_layout *l, uint64_t mask, unsigned int order,
		  struct gfp_behaviour *b)
{
	return gfp_behaviour_v(l, l ? l->version : 0, mask, order, b);
}

/*
 * v6.3 replaced ALLOC_HARDER (__GFP_ATOMIC) with ALLOC_NON_BLOCK (no
 * __GFP_DIRECT_RECLAIM); the series went into 6.1.116 (stable) too.
 */
static bool non_block_rules(unsigned int v)
{
	return v >= KV(6, 3, 0) || (v >= KV(6, 1, 116) && v < KV(6, 2, 0));
}

/* Who may sleep, wake kswapd, compact. */
static void behaviour_reclaim(const struct gfp_layout *l, unsigned int v, uint64_t mask,
			      unsigned int order, struct gfp_behaviour *b)
{
	if (v < KV(4, 4, 0)) {
		b->direct_reclaim = HAS("__GFP_WAIT");
		if (v >= KV(2, 6, 38))
			b->kswapd = !HAS("__GFP_NO_KSWAPD");
		else
			b->kswapd = true;
		/* GFP_THISNODE allocations skip kswapd (2.6.32-3.x slowpath) */
		if (F("GFP_THISNODE") && (mask & F("GFP_THISNODE")) == F("GFP_THISNODE"))
			b->kswapd = false;
	} else {
		b->direct_reclaim = HAS("__GFP_DIRECT_RECLAIM");
		b->kswapd = HAS("__GFP_KSWAPD_RECLAIM");
	}
	/* compaction arrived in 2.6.35; it needs __GFP_IO (and __GFP_FS
	 * before 4.6) */
	b->compact = b->direct_reclaim && order > 0 && v >= KV(2, 6, 35) && HAS("__GFP_IO") &&
		     (v >= KV(4, 6, 0) || HAS("__GFP_FS"));
}

/* gfp_to_alloc_flags() and the watermark it lowers (__zone_watermark_ok()). */
static void behaviour_alloc_flags(const struct gfp_layout *l, unsigned int v, uint64_t mask,
				  unsigned int order, struct gfp_behaviour *b)
{
	b->high = HAS("__GFP_HIGH");
	if (v < KV(4, 4, 0))
		b->harder = !b->direct_reclaim &&
			    (v < KV(3, 0, 0) || !HAS("__GFP_NOMEMALLOC"));
	else if (!non_block_rules(v))
		b->harder = HAS("__GFP_ATOMIC") && !HAS("__GFP_NOMEMALLOC");
	else
		b->harder = !b->direct_reclaim && !HAS("__GFP_NOMEMALLOC");
	/* 6.3+: ALLOC_HIGHATOMIC only with ALLOC_MIN_RESERVE (__GFP_HIGH), as
	 * mainline and the stable kernels fixed it */
	b->highatomic = b->harder && order > 0 && v >= KV(4, 4, 0) &&
			(!non_block_rules(v) || b->high);
	/*
	 * 6.3+ rmqueue_buddy(): a request that cannot block (ALLOC_NON_BLOCK:
	 * no __GFP_DIRECT_RECLAIM, no __GFP_NOMEMALLOC) falls back to the
	 * highatomic free lists when the others are empty, any order.
	 */
	b->highatomic_fallback = non_block_rules(v) && !b->direct_reclaim &&
				 !HAS("__GFP_NOMEMALLOC");
	b->no_watermarks = HAS("__GFP_MEMALLOC") && !HAS("__GFP_NOMEMALLOC");
	/* __zone_watermark_ok(): min -= min/2 for HIGH, then min -= min/4 */
	b->wmark_num = 1;
	b->wmark_den = 1;
	if (non_block_rules(v)) {
		if (b->high) {
			b->wmark_den = 2;
			if (b->harder) {
				b->wmark_num = 3;
				b->wmark_den = 8;
			}
		}
	} else {
		if (b->high)
			b->wmark_den = 2;
		if (b->harder) {
			b->wmark_num *= 3;
			b->wmark_den *= 4;
		}
	}
	if (b->no_watermarks) {
		b->wmark_num = 0;
		b->wmark_den = 1;
	}
}

/* The zone (gfp_zone() with GFP_ZONE_TABLE) and the migratetype. */
static void behaviour_zone(const struct gfp_layout *l, uint64_t mask, struct gfp_behaviour *b)
{
	unsigned int zbits = (unsigned int)(mask & 0xf);
	bool dma, dma32, highmem, movable, reclaimable;

	dma = zbits & 1;
	highmem = zbits & 2;
	dma32 = zbits & 4;
	movable = zbits & 8;
	reclaimable = HAS("__GFP_RECLAIMABLE");
	if (dma + highmem + dma32 > 1) {
		b->zone = "invalid";
		b->valid = false;
	} else if (dma) {
		b->zone = "DMA";
	} else if (dma32) {
		b->zone = "DMA32";
	} else if (highmem) {
		/* OPT_ZONE_HIGHMEM is ZONE_NORMAL without CONFIG_HIGHMEM (64-bit) */
		b->zone = movable ? "Movable" : sizeof(long) == 4 ? "HighMem" : "Normal";
	} else {
		b->zone = "Normal";
	}
	if (movable && reclaimable) {
		b->migratetype = "invalid";
		b->valid = false;
	} else if (movable) {
		b->migratetype = "Movable";
	} else if (reclaimable) {
		b->migratetype = "Reclaimable";
	} else {
		b->migratetype = "Unmovable";
	}
	b->cma = movable && !reclaimable;
}

/* The retry policy and what __alloc_pages_slowpath() does after the first attempts fail. */
static void behaviour_retry(const struct gfp_layout *l, unsigned int v, uint64_t mask,
			    struct gfp_behaviour *b)
{
	if (HAS("__GFP_NOFAIL")) {
		b->retry = GFP_RETRY_NOFAIL;
		b->retry_text = "never fails: retries forever";
	} else if (HAS("__GFP_NORETRY")) {
		b->retry = GFP_RETRY_NORETRY;
		b->retry_text = "one light reclaim/compaction attempt, then fails";
	} else if (HAS("__GFP_RETRY_MAYFAIL") || HAS("__GFP_REPEAT")) {
		b->retry = GFP_RETRY_MAYFAIL;
		b->retry_text = v >= KV(4, 13, 0) ?
			"retries while reclaim makes progress, fails without OOM kill" :
			"__GFP_REPEAT: retries costly orders while reclaim progresses";
	} else {
		b->retry = GFP_RETRY_DEFAULT;
		b->retry_text = b->costly ?
			"costly order: gives up after reclaim/compaction fail to help" :
			"retries until it succeeds or the OOM killer runs";
	}
	if (!b->direct_reclaim)
		b->retry_text = "cannot reclaim: fails as soon as the free lists fall short";

	/* __alloc_pages_slowpath() after the first attempts fail */
	if (!b->direct_reclaim)
		b->retry_kind = "none";
	else if (b->retry == GFP_RETRY_NOFAIL)
		b->retry_kind = "forever";
	else if (b->retry == GFP_RETRY_NORETRY)
		b->retry_kind = "once";
	else if (b->costly && (!HAS("__GFP_IO") || b->retry != GFP_RETRY_MAYFAIL))
		b->retry_kind = "once";
	else if (b->retry == GFP_RETRY_MAYFAIL)
		b->retry_kind = "while_progress";
	else
		b->retry_kind = "while_progress_then_oom";
}

/* __alloc_pages_may_oom() and out_of_memory(): may this request OOM-kill? */
static void behaviour_oom(const struct gfp_layout *l, unsigned int v, uint64_t mask,
			  struct gfp_behaviour *b)
{
	bool dma = mask & 1, dma32 = mask & 4;

	b->may_oom = true;
	b->oom_text = "may invoke the OOM killer";
	if (!b->direct_reclaim) {
		b->may_oom = false;
		b->oom_text = "no: cannot reclaim (slow path gives up first)";
	} else if (b->retry == GFP_RETRY_NORETRY) {
		b->may_oom = false;
		b->oom_text = "no: __GFP_NORETRY";
	} else if ((b->retry != GFP_RETRY_NOFAIL || v >= KV(4, 12, 0)) && b->costly) {
		b->may_oom = false;
		b->oom_text = "no: costly order (> 3)";
	} else if (b->retry == GFP_RETRY_MAYFAIL && v >= KV(4, 13, 0)) {
		b->may_oom = false;
		b->oom_text = "no: __GFP_RETRY_MAYFAIL";
	} else if (b->retry != GFP_RETRY_NOFAIL && !HAS("__GFP_FS")) {
		b->may_oom = false;
		b->oom_text = "no: !__GFP_FS (NOFS/NOIO) requests do not OOM-kill";
	} else if ((b->retry != GFP_RETRY_NOFAIL || v >= KV(4, 12, 0)) && HAS("__GFP_THISNODE")) {
		b->may_oom = false;
		b->oom_text = "no: __GFP_THISNODE";
	} else if ((b->retry != GFP_RETRY_NOFAIL || v >= KV(4, 12, 0)) && (dma || dma32)) {
		b->may_oom = false;
		b->oom_text = "no: lowmem zone request (DMA/DMA32)";
	}
}

int gfp_behaviour_v(const struct gfp_layout *l, unsigned int v, uint64_t mask, unsigned int order,
		    struct gfp_behaviour *b)
{
	if (!l || !b)
		return -1;
	if (!v)
		v = l->version;
	memset(b, 0, sizeof(*b));
	b->order = order;
	b->costly = order > PAGE_ALLOC_COSTLY_ORDER;
	b->valid = true;
	behaviour_reclaim(l, v, mask, order, b);
	behaviour_alloc_flags(l, v, mask, order, b);
	behaviour_zone(l, mask, b);
	behaviour_retry(l, v, mask, b);
	behaviour_oom(l, v, mask, b);
	b->warns = !HAS("__GFP_NOWARN");
	return 0;
}

/* -------------------------------------------- layouts of the running kernel */

/*
 * A tiny C expression evaluator for the print fmt of tracefs event formats:
 * numbers with u/l suffixes, casts "(unsigned long)", "( gfp_t)",
 * parentheses, ~ ! - unary, << >> & ^ |.
 */
struct cexpr {
	const char *p;
	bool err;
};

static uint64_t cx_or(struct cexpr *c);

static void cx_ws(struct cexpr *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n')
		c->p++;
}

/* "(" type-name ")": only identifiers and spaces inside. */
static bool cx_cast(struct cexpr *c)
{
	const char *q = c->p + 1;
	bool any = false;

	while (*q == ' ' || *q == '_' || isalpha((unsigned char)*q) ||
	       (any && isdigit((unsigned char)*q)) || *q == '*') {
		if (isalpha((unsigned char)*q) || *q == '_')
			any = true;
		q++;
	}
	if (!any || *q != ')')
		return false;
	c->p = q + 1;
	return true;
}

static uint64_t cx_unary(struct cexpr *c)
{
	uint64_t v;

	cx_ws(c);
	if (*c->p == '~') {
		c->p++;
		return ~cx_unary(c);
	}
	if (*c->p == '!') {
		c->p++;
		return !cx_unary(c);
	}
	if (*c->p == '-') {
		c->p++;
		return -cx_unary(c);
	}
	if (*c->p == '(') {
		if (cx_cast(c))
			return cx_unary(c);
		c->p++;
		v = cx_or(c);
		cx_ws(c);
		if (*c->p != ')')
			c->err = true;
		else
			c->p++;
		return v;
	}
	if (isdigit((unsigned char)*c->p)) {
		char *end;

		errno = 0;
		v = strtoull(c->p, &end, 0);
		if (errno)
			c->err = true;
		c->p = end;
		while (*c->p == 'u' || *c->p == 'U' || *c->p == 'l' || *c->p == 'L')
			c->p++;
		return v;
	}
	c->err = true;
	return 0;
}

static uint64_t cx_shift(struct cexpr *c)
{
	uint64_t v = cx_unary(c);

	for (;;) {
		cx_ws(c);
		if (c->p[0] == '<' && c->p[1] == '<') {
			uint64_t s;

			c->p += 2;
			s = cx_unary(c);
			v = s < 64 ? v << s : 0;
		} else if (c->p[0] == '>' && c->p[1] == '>') {
			uint64_t s;

			c->p += 2;
			s = cx_unary(c);
			v = s < 64 ? v >> s : 0;
		} else {
			return v;
		}
	}
}

static uint64_t cx_and(struct cexpr *c)
{
	uint64_t v = cx_shift(c);

	for (;;) {
		cx_ws(c);
		if (c->p[0] == '&' && c->p[1] != '&') {
			c->p++;
			v &= cx_shift(c);
		} else {
			return v;
		}
	}
}

static uint64_t cx_xor(struct cexpr *c)
{
	uint64_t v = cx_and(c);

	for (;;) {
		cx_ws(c);
		if (c->p[0] == '^') {
			c->p++;
			v ^= cx_and(c);
		} else {
			return v;
		}
	}
}

static uint64_t cx_or(struct cexpr *c)
{
	uint64_t v = cx_xor(c);

	for (;;) {
		cx_ws(c);
		if (c->p[0] == '|' && c->p[1] != '|') {
			c->p++;
			v |= cx_xor(c);
		} else {
			return v;
		}
	}
}

/*
 * The running kernel's upstream version: distributions keep an ABI name in
 * uname -r ("6.1.0-50-amd64") and say the real one in /proc/version
 * ("... Debian 6.1.176-1 ..."); Ubuntu says "(Ubuntu 5.15.0-91.101-generic
 * 5.15.131)".  Falls back to uname -r.
 */
unsigned int gfp_running_version(const char *release)
{
	char *text = read_file("/proc/version", NULL);
	unsigned int v = 0, u = gfp_parse_version(release);

	if (text) {
		const char *p = strstr(text, " Debian ");

		if (p)
			v = gfp_parse_version(p + 8);
		if (!v && (p = strrchr(text, ')'))) {
			/* Ubuntu: upstream version right before the last ')' */
			const char *q = p;

			while (q > text && q[-1] != ' ')
				q--;
			v = gfp_parse_version(q);
		}
		free(text);
	}
	/* only trust it when major.minor agree with uname */
	if (v && u && (v >> 8) == (u >> 8))
		return v;
	return u;
}

/* Find the layout used by the behaviour model for a release string. */
static void take_builtin_base(struct gfp_layout *l, const char *release)
{
	const struct gfp_layout *b = gfp_layout_for_version(release);

	if (!b)
		b = gfp_builtin(gfp_table_count - 1);
	l->version = gfp_running_version(release);
	if (!l->version)
		l->version = b->version;
	l->pgg = b->pgg;
	l->zero_text = b->zero_text;
	l->bits_mask = b->bits_mask;
}

/* Add the built-in symbols the dynamic table lacks (composites such as
 * GFP_THISNODE, bits named nowhere in the print table), only where their
 * value agrees with the running kernel's table. */
static void add_symbol(struct gfp_layout *l, size_t *cap, const char *name, uint64_t mask)
{
	if (entry_find(l->syms, l->nsyms, name, strlen(name)) >= 0)
		return;
	if (l->nsyms == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		l->syms = xrealloc(l->syms, *cap * sizeof(*l->syms));
	}
	l->syms[l->nsyms].name = xstrdup(name);
	l->syms[l->nsyms].mask = mask;
	l->nsyms++;
}

static void finish_dynamic(struct gfp_layout *l, size_t *cap)
{
	/* print names are the symbols of this kernel */
	for (size_t i = 0; i < l->nprint; i++)
		add_symbol(l, cap, l->print[i].name, l->print[i].mask);
	/* print entries point into syms (stable after the loop above) */
	for (size_t i = 0; i < l->nprint; i++) {
		int k = entry_find(l->syms, l->nsyms, l->print[i].name,
				   strlen(l->print[i].name));

		free((char *)l->print[i].name);
		l->print[i].name = l->syms[k].name;
	}
}

struct gfp_layout *gfp_layout_from_trace_format(const char *text, const char *release)
{
	const char *p = text ? strstr(text, "__print_flags(") : NULL;
	struct gfp_layout *l;
	size_t cap = 0, pcap = 0;

	/* the gfp table is the __print_flags over a field named *gfp* */
	while (p) {
		const char *comma = strchr(p, ',');

		if (comma && memmem(p, (size_t)(comma - p), "gfp", 3))
			break;
		p = strstr(p + 1, "__print_flags(");
	}
	if (!p)
		return NULL;
	p = strchr(p, ',');		/* after the value */
	if (!p || !(p = strchr(p + 1, ',')))	/* after the delimiter */
		return NULL;
	l = xcalloc(1, sizeof(*l));
	take_builtin_base(l, release);
	snprintf(l->name, sizeof(l->name), "running %s (tracefs)", release ? release : "?");
	for (;;) {
		struct cexpr c;
		uint64_t v;
		const char *q, *e;

		while (*p == ',' || *p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (*p != '{')
			break;
		c.p = p + 1;
		c.err = false;
		v = cx_or(&c);
		cx_ws(&c);
		if (c.err || *c.p != ',')
			goto skip;
		q = c.p + 1;
		while (*q == ' ')
			q++;
		if (*q != '"')
			goto skip;
		e = strchr(q + 1, '"');
		if (!e)
			break;
		if (l->nprint == pcap) {
			pcap = pcap ? pcap * 2 : 64;
			l->print = xrealloc(l->print, pcap * sizeof(*l->print));
		}
		l->print[l->nprint].name = xstrndup(q + 1, (size_t)(e - q - 1));
		l->print[l->nprint].mask = v;
		l->nprint++;
skip:
		p = strchr(p, '}');
		if (!p)
			break;
		p++;
	}
	if (!l->nprint) {
		free(l->print);
		free(l);
		return NULL;
	}
	finish_dynamic(l, &cap);
	return l;
}

int gfp_module_decode(const char *path, uint64_t mask, unsigned int order, char *out,
		      size_t len)
{
	char cmd[48];
	int fd, n, e;
	size_t got = 0;

	if (!len)
		return -EINVAL;
	out[0] = 0;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(cmd, sizeof(cmd), "0x%llx %u\n", (unsigned long long)mask, order);
	if (write(fd, cmd, (size_t)n) != n) {
		e = errno ? errno : EIO;
		close(fd);
		return -e;
	}
	for (;;) {
		ssize_t r = read(fd, out + got, len - 1 - got);

		if (r < 0) {
			e = errno;
			close(fd);
			return -e;
		}
		if (r == 0 || got + (size_t)r >= len - 1) {
			got += (size_t)(r > 0 ? r : 0);
			break;
		}
		got += (size_t)r;
	}
	out[got] = 0;
	close(fd);
	return strstr(out, "set=1") ? 0 : -EIO;
}

int gfp_kv(const char *text, const char *key, char *buf, size_t len)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, "\n");

			snprintf(buf, len, "%.*s", (int)n, p + kl + 1);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/* Single names only ("GFP_KERNEL", not "GFP_KERNEL|__GFP_COMP"). */
static bool module_name_of(const char *path, uint64_t mask, char *name, size_t len)
{
	char text[4096];

	if (gfp_module_decode(path, mask, 0, text, sizeof(text)))
		return false;
	if (gfp_kv(text, "names", name, len))
		return false;
	return name[0] && !strchr(name, '|') && strncmp(name, "0x", 2);
}

/*
 * The running kernel's table through the module's gfp file, which prints
 * masks with the kernel's own %pGg: every entry of the built-in table of
 * this version is kept only when the kernel names its mask the same, and
 * every single bit the kernel names is added.
 */
struct gfp_layout *gfp_layout_from_module(const char *path, const char *release)
{
	const struct gfp_layout *base = gfp_layout_for_version(release);
	struct gfp_layout *l;
	size_t cap = 0, pcap = 0;
	char name[128];

	if (!base)
		base = gfp_builtin(gfp_table_count - 1);
	if (!module_name_of(path, gfp_flag(base, "GFP_KERNEL"), name, sizeof(name)) &&
	    !module_name_of(path, 0x1, name, sizeof(name)))
		return NULL;
	l = xcalloc(1, sizeof(*l));
	take_builtin_base(l, release);
	snprintf(l->name, sizeof(l->name), "running %s (module)", release ? release : "?");
	pcap = base->nprint + 64;
	l->print = xcalloc(pcap, sizeof(*l->print));
	for (size_t i = 0; i < base->nprint; i++) {
		if (!module_name_of(path, base->print[i].mask, name, sizeof(name)) ||
		    strcmp(name, base->print[i].name))
			continue;
		l->print[l->nprint].name = xstrdup(name);
		l->print[l->nprint].mask = base->print[i].mask;
		l->nprint++;
	}
	for (int b = 0; b < 32 && l->nprint < pcap; b++) {
		uint64_t bit = 1ull << b;
		bool have = false;

		for (size_t i = 0; i < l->nprint; i++)
			have |= l->print[i].mask == bit;
		if (have || !module_name_of(path, bit, name, sizeof(name)))
			continue;
		l->print[l->nprint].name = xstrdup(name);
		l->print[l->nprint].mask = bit;
		l->nprint++;
	}
	finish_dynamic(l, &cap);
	/* composites the print table lacks (GFP_THISNODE, ...) from the base */
	for (size_t i = 0; i < base->nsyms; i++)
		if (base->syms[i].mask)
			add_symbol(l, &cap, base->syms[i].name, base->syms[i].mask);
	return l;
}

static const char *const trace_formats[] = {
	"/sys/kernel/tracing/events/kmem/mm_page_alloc/format",
	"/sys/kernel/debug/tracing/events/kmem/mm_page_alloc/format",
	NULL
};

const struct gfp_layout *gfp_layout_running(void)
{
	static struct gfp_layout *running;
	static const struct gfp_layout *fallback;
	struct utsname u;
	const char *path;
	char *text;

	if (running)
		return running;
	if (fallback)
		return fallback;
	if (uname(&u))
		strcpy(u.release, "0");
	path = getenv("OOMDIAG_DEBUGFS");
	{
		char buf[512];

		snprintf(buf, sizeof(buf), "%s/gfp", path ? path : OOMDIAG_DEBUGFS_DEFAULT);
		running = gfp_layout_from_module(buf, u.release);
		if (running)
			return running;
	}
	for (int i = 0; trace_formats[i]; i++) {
		text = read_file(trace_formats[i], NULL);
		if (!text)
			continue;
		running = gfp_layout_from_trace_format(text, u.release);
		free(text);
		if (running)
			return running;
	}
	{
		const struct gfp_layout *b = gfp_layout_for_version(u.release);
		size_t idx = gfp_table_count - 1;
		struct gfp_layout *copy;

		for (size_t i = 0; b && i < gfp_table_count; i++)
			if (gfp_builtin(i) == b)
				idx = i;
		copy = build_builtin(&gfp_table_srcs[idx]);
		snprintf(copy->name, sizeof(copy->name), "built-in %s (by uname %s)",
			 gfp_table_srcs[idx].name, u.release);
		if (gfp_running_version(u.release))
			copy->version = gfp_running_version(u.release);
		fallback = copy;
	}
	return fallback;
}

const char *gfp_warn_ratelimit(unsigned int v)
{
	if (v >= KV(5, 5, 0))
		return "1 per 10 s";
	if (v >= KV(4, 14, 0))
		return "1 per 10 s (10 per 5 s before the 4.14.y/4.19.y stable backport)";
	return "10 per 5 s";
}
