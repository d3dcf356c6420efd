// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming parser for OOM reports, page allocation failures and vmalloc
 * failures in kernel log text.  See logparse.h.
 *
 * The formats handled, by the kernel code that prints them:
 *  - mm/page_alloc.c warn_alloc() (4.9+): "COMM: page allocation failure:
 *    order:N, mode:0x..(names), nodemask=..,cpuset=..,mems_allowed=.."
 *    warn_alloc_failed() (3.x): "COMM: page allocation failure: order:N,
 *    mode:0x.." preceded by its own format ("vmalloc: allocation failure,
 *    allocated N of M bytes"); 2.6.x: "page allocation failure. order:N,".
 *  - mm/vmalloc.c: "vmalloc: allocation failure: N bytes" (3.x-5.x),
 *    "vmalloc error: size N, REASON" (5.13+), "vmap allocation for size N
 *    failed: use vmalloc=<size> to increase size".
 *  - mm/oom_kill.c dump_header(): "COMM invoked oom-killer: gfp_mask=..,
 *    order=N, oom_score_adj=N" (oom_adj=, oomkilladj= before), the task
 *    dump with the column set of each era, "oom-kill:constraint=.." (4.19+),
 *    "Out of memory: Killed process N (comm) total-vm:..kB, anon-rss:..",
 *    "Out of memory: Kill process N (comm) score N or sacrifice child".
 *  - mm/memcontrol.c: "Task in /a killed as a result of limit of /b",
 *    "memory: usage NkB, limit NkB, failcnt N", "Memory cgroup stats for".
 *  - mm/show_mem.c / page_alloc.c show_free_areas(): Mem-Info counters,
 *    per node and per zone lines, "lowmem_reserve[]:", buddy lines
 *    "Node 0 DMA32: 2*4kB (UM) ... = 864kB", swap, "N pages RAM".
 *  - mm/slab_common.c dump_unreclaimable_slab() (4.15+).
 *  - lib/ratelimit.c: "FUNC: N callbacks suppressed".
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "logparse.h"

enum {
	S_HEAD,		/* after the header: stack, registers */
	S_MEMINFO,	/* after "Mem-Info:" */
	S_TASKS,	/* after the task dump header */
	S_MEMCG_STATS,	/* after "Memory cgroup stats for" (cgroup2: lines) */
	S_SLAB,		/* after "Unreclaimable slab info:" */
	S_TAIL,
};

/* Task dump columns. */
enum {
	C_UID, C_TGID, C_TOTAL_VM, C_RSS, C_RSS_ANON, C_RSS_FILE, C_RSS_SHMEM,
	C_NR_PTES, C_NR_PMDS, C_PGTABLES_BYTES, C_SWAPENTS, C_OOM_ADJ,
	C_OOM_SCORE_ADJ, C_CPU, C_OTHER,
};

#define MAX_COLS 16

struct lp_private {
	int cols[MAX_COLS];
	int nr_cols;
	bool have_cols;
};

/* The column layout lives beside the two report buffers. */
struct lp_alloc {
	struct lp_report r[2];
	struct lp_private priv;
};

static struct lp_private *priv_of(struct logparse *p)
{
	return &((struct lp_alloc *)p->cur_storage)->priv;
}

const char *logparse_kind_name(enum lp_kind k)
{
	switch (k) {
	case LP_KIND_GLOBAL_OOM: return "global_oom";
	case LP_KIND_MEMCG_OOM: return "memcg_oom";
	case LP_KIND_PAGE_ALLOC_FAILURE: return "page_alloc_failure";
	case LP_KIND_VMALLOC_FAILURE: return "vmalloc_failure";
	}
	return "unknown";
}

/* ---- small string helpers ---------------------------------------------- */

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *skip_sp(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Decimal (optionally negative) at s; *end after it.  false if no digits. */
static bool parse_ll(const char *s, long long *v, const char **end)
{
	const char *q = s;
	bool neg = false;
	long long x = 0;

	if (*q == '-') {
		neg = true;
		q++;
	}
	if (!isdigit((unsigned char)*q))
		return false;
	while (isdigit((unsigned char)*q)) {
		if (x < (long long)1e17)
			x = x * 10 + (*q - '0');
		q++;
	}
	*v = neg ? -x : x;
	if (end)
		*end = q;
	return true;
}

static bool parse_hex(const char *s, uint64_t *v, const char **end)
{
	const char *q = s;
	uint64_t x = 0;
	int n = 0;

	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		q += 2;
	while (isxdigit((unsigned char)*q)) {
		int d = isdigit((unsigned char)*q) ? *q - '0' :
			(tolower((unsigned char)*q) - 'a' + 10);

		if (n < 16)
			x = (x << 4) | (uint64_t)d;
		n++;
		q++;
	}
	if (!n)
		return false;
	*v = x;
	if (end)
		*end = q;
	return true;
}

/* Number after "key" somewhere in s (key includes its ':' or '='). */
static bool num_after(const char *s, const char *key, long long *v)
{
	const char *k = strstr(s, key);

	if (!k)
		return false;
	return parse_ll(skip_sp(k + strlen(key)), v, NULL);
}

/* Like num_after but the key must start a token (after ' ', ',' or start). */
static bool tok_num(const char *s, const char *key, long long *v)
{
	size_t kl = strlen(key);
	const char *k = s;

	while ((k = strstr(k, key))) {
		if (k == s || k[-1] == ' ' || k[-1] == ',' || k[-1] == '\t')
			return parse_ll(skip_sp(k + kl), v, NULL);
		k += kl;
	}
	return false;
}

/* Copy at most n-1 bytes of [s, e) into dst. */
static void copy_span(char *dst, size_t n, const char *s, const char *e)
{
	size_t l = (size_t)(e - s);

	if (l >= n)
		l = n - 1;
	memcpy(dst, s, l);
	dst[l] = '\0';
}

/* ---- prefixes ---------------------------------------------------------- */

/* s starts with one of the 3-letter names packed in names. */
static bool is_abbrev(const char *s, const char *names)
{
	for (; *names; names += 3)
		if (!strncmp(s, names, 3))
			return true;
	return false;
}

static bool is_month(const char *s)
{
	return is_abbrev(s, "JanFebMarAprMayJunJulAugSepOctNovDec");
}

static bool is_wday(const char *s)
{
	return is_abbrev(s, "MonTueWedThuFriSatSun");
}

/*
 * After a syslog/journal date at s[i]: " HOST TAG: ".  Returns the offset of
 * the message, -1 for another program's line, or i when it does not look
 * like host and tag at all.
 */
static long after_host_tag(const char *s, size_t n, size_t i, bool only_kernel)
{
	size_t j = i, h, t;

	while (j < n && s[j] == ' ')
		j++;
	h = j;
	/* "[ 12.3] kernel: text" (journalctl without the host) */
	if (n - h >= 8 && !strncmp(s + h, "kernel: ", 8))
		return (long)(h + 8);
	while (j < n && s[j] != ' ')
		j++;
	/* a host name does not end with ':' ("comm: text" is a message) */
	if (j == h || j >= n || s[j - 1] == ':')
		return (long)i;
	j++;
	t = j;
	while (j < n && s[j] != ' ' && s[j] != ':' && s[j] != '[')
		j++;
	if (j == t)
		return (long)i;
	if (j - t == 6 && !strncmp(s + t, "kernel", 6)) {
		if (j < n && s[j] == '[')
			while (j < n && s[j] != ']')
				j++, (void)0;
		if (j < n && s[j] == ']')
			j++;
		if (j < n && s[j] == ':') {
			j++;
			if (j < n && s[j] == ' ')
				j++;
			return (long)j;
		}
		return (long)i;
	}
	if (only_kernel)
		return (long)i;
	/* "host prog[123]: text" or "host prog: text": not the kernel */
	while (j < n && s[j] != ' ' && s[j] != ':')
		j++;
	if (j < n && s[j] == ':')
		return -1;
	return (long)i;
}

long logparse_strip_prefix(const char *s, size_t n, const char **ts, size_t *ts_len)
{
	size_t i = 0;

	*ts = NULL;
	*ts_len = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (int guard = 0; guard < 8 && i < n; guard++) {
		size_t j;

		/* "<4>" */
		if (s[i] == '<') {
			j = i + 1;
			while (j < n && j < i + 5 && isdigit((unsigned char)s[j]))
				j++;
			if (j > i + 1 && j < n && s[j] == '>') {
				i = j + 1;
				continue;
			}
		}
		if (isdigit((unsigned char)s[i])) {
			int commas = 0;

			/* /dev/kmsg "4,1234,5678,-;" (",caller=T1" too) */
			j = i;
			while (j < n && j < i + 80 && s[j] != ';' && s[j] != ' ') {
				if (s[j] == ',')
					commas++;
				j++;
			}
			if (commas >= 3 && j < n && s[j] == ';') {
				i = j + 1;
				continue;
			}
			/* ISO "2024-01-31T12:00:00.123+00:00 host kernel: " */
			if (n - i >= 19 && s[i + 4] == '-' && s[i + 7] == '-' &&
			    (s[i + 10] == 'T' || s[i + 10] == ' ') && s[i + 13] == ':') {
				long r;

				j = i + 11;
				while (j < n && s[j] != ' ')
					j++;
				r = after_host_tag(s, n, j, false);
				if (r < 0)
					return -1;
				if ((size_t)r != j) {
					*ts = s + i;
					*ts_len = j - i;
					i = (size_t)r;
					continue;
				}
				i = j + (j < n);
				continue;
			}
		}
		/* "Jan  1 00:00:00 host kernel: " */
		if (n - i >= 15 && is_month(s + i) && s[i + 3] == ' ') {
			j = i + 4;
			while (j < n && s[j] == ' ')
				j++;
			while (j < n && isdigit((unsigned char)s[j]))
				j++;
			if (j + 9 <= n && s[j] == ' ' && s[j + 3] == ':' && s[j + 6] == ':') {
				long r;

				j += 9;
				while (j < n && s[j] != ' ')
					j++;	/* fractions, year */
				r = after_host_tag(s, n, j, false);
				if (r < 0)
					return -1;
				*ts = s + i;
				*ts_len = j - i;
				i = (size_t)r;
				continue;
			}
		}
		if (s[i] == '[') {
			j = i + 1;
			while (j < n && s[j] == ' ')
				j++;
			/* "[ 1234.567890]" */
			if (j < n && isdigit((unsigned char)s[j])) {
				size_t k = j;

				while (k < n && isdigit((unsigned char)s[k]))
					k++;
				if (k < n && s[k] == '.') {
					k++;
					while (k < n && isdigit((unsigned char)s[k]))
						k++;
					if (k < n && s[k] == ']') {
						long r;

						*ts = s + i;
						*ts_len = k + 1 - i;
						i = k + 1;
						if (i < n && s[i] == ' ')
							i++;
						/* journalctl -o short-monotonic */
						r = after_host_tag(s, n, i, true);
						if (r < 0)
							return -1;
						i = (size_t)r;
						continue;
					}
				}
			}
			/* "[T1234]" "[C1]" caller id */
			if (j < n && (s[j] == 'T' || s[j] == 'C') && j + 1 < n &&
			    isdigit((unsigned char)s[j + 1])) {
				size_t k = j + 1;

				while (k < n && isdigit((unsigned char)s[k]))
					k++;
				if (k < n && s[k] == ']') {
					i = k + 1;
					if (i < n && s[i] == ' ')
						i++;
					continue;
				}
			}
			/* dmesg -T "[Sun Nov 22 03:42:17 2026]" */
			if (n - j >= 20 && is_wday(s + j) && s[j + 3] == ' ' && is_month(s + j + 4)) {
				const char *e = memchr(s + j, ']', n - j < 40 ? n - j : 40);

				if (e) {
					*ts = s + i;
					*ts_len = (size_t)(e + 1 - (s + i));
					i = (size_t)(e + 1 - s);
					if (i < n && s[i] == ' ')
						i++;
					continue;
				}
			}
		}
		/* dmesg -x: "kern  :warn  : " */
		if (n - i >= 12 && !strncmp(s + i, "kern ", 5)) {
			const char *c1 = memchr(s + i, ':', n - i < 16 ? n - i : 16);
			const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(s + n - c1 - 1) < 16 ?
					      (size_t)(s + n - c1 - 1) : 16) : NULL;

			if (c2 && c2 + 1 < s + n && c2[1] == ' ') {
				i = (size_t)(c2 + 2 - s);
				continue;
			}
		}
		if (n - i >= 8 && !strncmp(s + i, "kernel: ", 8)) {
			i += 8;
			continue;
		}
		break;
	}
	return (long)i;
}

/* ---- report lifetime ---------------------------------------------------- */

static void report_reset(struct lp_report *r)
{
	memset(r, 0, sizeof(*r));
	r->pid = -1;
	r->order = -2;
	r->task_oom_score_adj = LP_ADJ_UNKNOWN;
	r->vmalloc_size = r->vmalloc_allocated = r->vmap_size = LP_UNKNOWN;
	r->victim.pid = -1;
	r->victim.uid = -1;
	r->victim.selected_pid = -1;
	r->victim.oom_score_adj = LP_ADJ_UNKNOWN;
	r->victim.total_vm_kb = r->victim.anon_rss_kb = r->victim.file_rss_kb = LP_UNKNOWN;
	r->victim.shmem_rss_kb = r->victim.pgtables_kb = r->victim.score = LP_UNKNOWN;
	r->memcg_usage_kb = r->memcg_limit_kb = r->memcg_failcnt = LP_UNKNOWN;
	r->memsw_usage_kb = r->memsw_limit_kb = LP_UNKNOWN;
	r->memcg_swap_usage_kb = r->memcg_swap_limit_kb = r->memcg_kmem_usage_kb = LP_UNKNOWN;
	r->memcg_anon_kb = r->memcg_file_kb = r->memcg_kernel_kb = LP_UNKNOWN;
	r->memcg_slab_kb = r->memcg_shmem_kb = LP_UNKNOWN;
	r->mi_active_anon = r->mi_inactive_anon = r->mi_active_file = LP_UNKNOWN;
	r->mi_inactive_file = r->mi_unevictable = r->mi_slab_reclaimable = LP_UNKNOWN;
	r->mi_slab_unreclaimable = r->mi_shmem = r->mi_pagetables = LP_UNKNOWN;
	r->mi_free = r->mi_free_cma = r->mi_mapped = r->mi_kernel_stack_kb = LP_UNKNOWN;
	r->free_swap_kb = r->total_swap_kb = LP_UNKNOWN;
	r->ram_pages = r->reserved_pages = r->highmem_pages = r->pagecache_pages = LP_UNKNOWN;
	r->hugetlb_kb = LP_UNKNOWN;
	r->page_kb = 4;
}

static bool is_oom(const struct lp_report *r)
{
	return r->kind == LP_KIND_GLOBAL_OOM || r->kind == LP_KIND_MEMCG_OOM;
}

static void finalize(struct logparse *p, struct lp_report *r)
{
	if (is_oom(r)) {
		if (!strcmp(r->constraint, "CONSTRAINT_MEMCG") ||
		    (r->seen & LP_SEEN_MEMCG))
			r->kind = LP_KIND_MEMCG_OOM;
		if (!(r->seen & LP_SEEN_VICTIM) && !r->panic && !r->no_killable)
			r->truncated = true;
		if (!(r->seen & LP_SEEN_HEADER))
			r->truncated = true;
		if ((r->seen & LP_SEEN_HEADER) && !(r->seen & LP_SEEN_MEMINFO) &&
		    !(r->seen & LP_SEEN_MEMCG) && !(r->seen & LP_SEEN_TASKS))
			r->truncated = true;
	} else if (r->seen & LP_SEEN_HEADER) {
		/* show_mem() ends with the buddy lines on every kernel */
		if (!(r->seen & LP_SEEN_BUDDY))
			r->truncated = true;
	}
	if (!r->kernel[0] && p->banner_kernel[0]) {
		memcpy(r->kernel, p->banner_kernel, sizeof(r->kernel));
		r->kernel_from_banner = true;
	}
	/* the buddy lines tell the page size (64 kB pages on some arm64) */
	for (int i = 0; i < r->nr_zones; i++)
		if (r->zones[i].has_buddy && r->zones[i].page_kb > 0) {
			r->page_kb = r->zones[i].page_kb;
			break;
		}
}

static void emit_current(struct logparse *p)
{
	struct lp_report *r = p->cur;

	if (!r)
		return;
	if (p->provisional) {
		/* show_mem() text that no OOM line claimed (sysrq-m, a cut paste) */
		p->cur = NULL;
		p->provisional = false;
		return;
	}
	if (p->pend_sup_warn || p->pend_sup_oom || p->pend_sup_other) {
		/* suppressed after this report, with no report following */
		r->suppressed_warn_alloc += p->pend_sup_warn;
		r->suppressed_oom += p->pend_sup_oom;
		r->suppressed_other += p->pend_sup_other;
		p->pend_sup_warn = p->pend_sup_oom = p->pend_sup_other = 0;
	}
	finalize(p, r);
	if (is_oom(r) && r->victim.pid > 0) {
		p->last_victim_pid = r->victim.pid;
		memcpy(p->last_victim_comm, r->victim.comm, sizeof(p->last_victim_comm));
	}
	p->cur = NULL;
	p->reports++;
	p->emit(r, p->arg);
}

static struct lp_report *start_report(struct logparse *p, enum lp_kind kind, const char *ts,
				      size_t ts_len)
{
	struct lp_report *r;
	struct lp_alloc *a = p->cur_storage;

	if (p->cur)
		emit_current(p);
	r = &a->r[p->reports & 1];
	report_reset(r);
	r->kind = kind;
	r->first_line = r->last_line = p->lineno;
	r->prev_victim_pid = p->last_victim_pid ? p->last_victim_pid : -1;
	memcpy(r->prev_victim_comm, p->last_victim_comm, sizeof(r->prev_victim_comm));
	if (ts)
		copy_span(r->timestamp, sizeof(r->timestamp), ts, ts + ts_len);
	r->suppressed_warn_alloc = p->pend_sup_warn;
	r->suppressed_oom = p->pend_sup_oom;
	r->suppressed_other = p->pend_sup_other;
	p->pend_sup_warn = p->pend_sup_oom = p->pend_sup_other = 0;
	p->cur = r;
	p->state = S_HEAD;
	p->idle = 0;
	p->lines_in_report = 0;
	priv_of(p)->have_cols = false;
	return r;
}

/* ---- header lines ------------------------------------------------------- */

static void parse_gfp(struct lp_report *r, const char *v)
{
	const char *e;

	if (!parse_hex(v, &r->gfp_mask, &e))
		return;
	r->has_gfp = true;
	if (*e == '(') {
		const char *c = strchr(e, ')');

		if (c)
			copy_span(r->gfp_names, sizeof(r->gfp_names), e + 1, c);
	}
}

/* A value that ends at a space or at a ',' starting the next key. */
static void key_val(const char *k, char *dst, size_t n)
{
	const char *e = k;

	while (*e && *e != ' ' && !(*e == ',' && !isdigit((unsigned char)e[1])))
		e++;
	copy_span(dst, n, k, e);
}

static void parse_mems(struct lp_report *r, const char *msg)
{
	const char *k;

	if ((k = strstr(msg, "nodemask=")))
		key_val(k + 9, r->nodemask, sizeof(r->nodemask));
	if ((k = strstr(msg, "cpuset=")))
		key_val(k + 7, r->cpuset, sizeof(r->cpuset));
	if ((k = strstr(msg, "mems_allowed=")))
		key_val(k + 13, r->mems_allowed, sizeof(r->mems_allowed));
}

static void header_oom(struct logparse *p, const char *msg, const char *at,
		       const char *ts, size_t ts_len)
{
	struct lp_report *r = start_report(p, LP_KIND_GLOBAL_OOM, ts, ts_len);
	const char *k;
	long long v;

	r->seen |= LP_SEEN_HEADER;
	copy_span(r->comm, sizeof(r->comm), msg, at);
	if ((k = strstr(at, "gfp_mask=")))
		parse_gfp(r, k + 9);
	if (tok_num(at, "order=", &v))
		r->order = (int)v;
	if (tok_num(at, "oom_score_adj=", &v))
		r->task_oom_score_adj = (int)v;
	else if (tok_num(at, "oomkilladj=", &v) || tok_num(at, "oom_adj=", &v))
		r->task_oom_score_adj = LP_ADJ_UNKNOWN;
	parse_mems(r, at);
}

static void take_pending_vmalloc(struct logparse *p, struct lp_report *r)
{
	if (!p->pend_vmalloc_line)
		return;
	r->kind = LP_KIND_VMALLOC_FAILURE;
	r->vmalloc_size = p->pend_vmalloc_size;
	r->vmalloc_allocated = p->pend_vmalloc_allocated;
	r->vmap_size = p->pend_vmap_size;
	memcpy(r->vmalloc_reason, p->pend_vmalloc_reason, sizeof(r->vmalloc_reason));
	if (p->pend_ts[0])
		memcpy(r->timestamp, p->pend_ts, sizeof(r->timestamp));
	r->first_line = p->pend_vmalloc_line;
	p->pend_vmalloc_line = 0;
	p->pend_vmalloc_size = p->pend_vmalloc_allocated = p->pend_vmap_size = LP_UNKNOWN;
	p->pend_vmalloc_reason[0] = '\0';
	p->pend_ts[0] = '\0';
}

/* The vmalloc facts of one line into the given fields. */
static void vmalloc_facts(const char *at, long long *size, long long *allocated, char *reason,
			  size_t reason_len)
{
	const char *k;
	long long v;

	if ((k = strstr(at, "allocated ")) && parse_ll(k + 10, &v, &k)) {
		*allocated = v;
		if (!strncmp(k, " of ", 4) && parse_ll(k + 4, &v, NULL))
			*size = v;
	} else if ((k = strstr(at, "allocation failure: ")) && parse_ll(k + 20, &v, NULL)) {
		*size = v;
	} else if ((k = strstr(at, "vmalloc error: size ")) && parse_ll(k + 20, &v, &k)) {
		*size = v;
		if (*k == ',') {
			const char *e = strstr(k, ", mode:");

			k = skip_sp(k + 1);
			if (!e)
				e = k + strlen(k);
			copy_span(reason, reason_len, k, e);
		}
	}
}

static void header_alloc(struct logparse *p, const char *msg, const char *at, bool vmalloc,
			 const char *ts, size_t ts_len)
{
	struct lp_report *r;
	const char *k;
	long long v;

	r = start_report(p, vmalloc ? LP_KIND_VMALLOC_FAILURE : LP_KIND_PAGE_ALLOC_FAILURE,
			 ts, ts_len);
	r->seen |= LP_SEEN_HEADER;
	/* "COMM: page allocation failure": at points at ": " */
	copy_span(r->comm, sizeof(r->comm), msg, at);
	take_pending_vmalloc(p, r);
	if ((k = strstr(at, "order:")) && parse_ll(k + 6, &v, NULL))
		r->order = (int)v;
	if ((k = strstr(at, "mode:")))
		parse_gfp(r, k + 5);
	if (vmalloc) {
		vmalloc_facts(at, &r->vmalloc_size, &r->vmalloc_allocated, r->vmalloc_reason,
			      sizeof(r->vmalloc_reason));
		if ((k = strstr(at, "page order ")) && parse_ll(k + 11, &v, NULL))
			r->order = (int)v;
	}
	parse_mems(r, at);
}

/* ---- report body lines -------------------------------------------------- */

static void parse_cpu_line(struct lp_report *r, const char *msg)
{
	const char *k;
	long long v;

	if (r->pid < 0) {
		if ((k = strstr(msg, "PID: ")) && parse_ll(k + 5, &v, NULL))
			r->pid = (int)v;
		else if (starts(msg, "Pid: ") && parse_ll(msg + 5, &v, NULL))
			r->pid = (int)v;
	}
	if (!r->comm[0]) {
		if ((k = strstr(msg, "Comm: ")) || (k = strstr(msg, "comm: "))) {
			k += 6;
			copy_span(r->comm, sizeof(r->comm), k,
				  k + strcspn(k, " "));
		}
	}
	k = strstr(msg, "ainted");
	if (k && !r->kernel[0]) {
		/* the first token after the taint flags that looks like a version */
		const char *t = k + 6;

		while (*t) {
			const char *e;

			t = skip_sp(t);
			e = t + strcspn(t, " ");
			if (isdigit((unsigned char)*t) && memchr(t, '.', (size_t)(e - t)) &&
			    isdigit((unsigned char)t[strcspn(t, ".") + 1])) {
				copy_span(r->kernel, sizeof(r->kernel), t, e);
				break;
			}
			if (*t == '#')
				break;
			t = e;
		}
	}
	r->seen |= LP_SEEN_CPU;
}

static struct lp_zone *zone_get(struct lp_report *r, int node, const char *name, size_t nl)
{
	char nm[16];

	copy_span(nm, sizeof(nm), name, name + nl);
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

/* "NNNkB" (or KB, or no unit). */
static long long kb_val(const char *s, const char *key)
{
	long long v;

	if (!tok_num(s, key, &v))
		return LP_UNKNOWN;
	return v;
}

/*
 * "Node 0 DMA32 free:..." (zone), "Node 0 DMA32: 1*4kB ..." (buddy),
 * "DMA free:..." / "DMA: ..." without node (2.6 non-NUMA).  Returns true if
 * the line was one of them.
 */
static bool parse_zone_or_buddy(struct logparse *p, struct lp_report *r, const char *msg)
{
	const char *s = msg, *name, *e;
	long long node = -1;
	struct lp_zone *z;

	if (starts(s, "Node ")) {
		if (!parse_ll(s + 5, &node, &s) || *s != ' ')
			return false;
		s++;
	}
	name = s;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	if (s == name || s - name > 15)
		return false;
	e = s;
	if (starts(s, " free:") && strstr(s, " min:")) {
		z = zone_get(r, (int)node, name, (size_t)(e - name));
		if (!z)
			return true;
		z->has_watermarks = true;
		z->free_kb = kb_val(s, "free:");
		z->min_kb = kb_val(s, "min:");
		z->low_kb = kb_val(s, "low:");
		z->high_kb = kb_val(s, "high:");
		z->boost_kb = kb_val(s, "boost:");
		z->free_cma_kb = kb_val(s, "free_cma:");
		z->managed_kb = kb_val(s, "managed:");
		z->present_kb = kb_val(s, "present:");
		z->reserved_highatomic_kb = kb_val(s, "reserved_highatomic:");
		if (strstr(s, "all_unreclaimable? yes"))
			z->all_unreclaimable = true;
		r->seen |= LP_SEEN_ZONES;
		return true;
	}
	if (s[0] == ':' && s[1] == ' ' && isdigit((unsigned char)s[2]) && strchr(s, '*')) {
		long long total = 0;
		int order = 0;

		z = zone_get(r, (int)node, name, (size_t)(e - name));
		if (!z)
			return true;
		z->has_buddy = true;
		z->nr_orders = 0;
		s += 2;
		while (*s) {
			long long cnt, size;

			s = skip_sp(s);
			if (*s == '=') {
				if (parse_ll(skip_sp(s + 1), &total, NULL))
					z->buddy_total_kb = total;
				break;
			}
			if (!parse_ll(s, &cnt, &s) || *s != '*')
				break;
			if (!parse_ll(s + 1, &size, &s))
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
			s = skip_sp(s);
			if (*s == '(') {
				const char *c = strchr(s, ')');

				if (!c)
					break;
				if (order < LP_MAX_ORDERS)
					copy_span(z->types[order], sizeof(z->types[order]), s + 1, c);
				z->buddy_has_types = true;
				s = c + 1;
			}
			order++;
		}
		z->nr_orders = order < LP_MAX_ORDERS ? order : LP_MAX_ORDERS;
		r->seen |= LP_SEEN_BUDDY;
		(void)p;
		return true;
	}
	if (node >= 0 && *s == ':') {
		/* node line: "Node 0 active_anon:..kB ... all_unreclaimable? yes" */
		if (strstr(msg, "all_unreclaimable? yes"))
			r->all_unreclaimable = true;
		if (r->mi_kernel_stack_kb < 0)
			r->mi_kernel_stack_kb = kb_val(msg, "kernel_stack:");
		return true;
	}
	return false;
}

static void meminfo_kv(struct lp_report *r, const char *msg)
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
		if (tok_num(msg, keys[i].key, &v)) {
			*(long long *)((char *)r + keys[i].off) = v;
			r->seen |= LP_SEEN_MEMINFO;
		}
}

static int col_of(const char *name, size_t n)
{
	static const struct { const char *n; int c; } cols[] = {
		{ "uid", C_UID }, { "tgid", C_TGID }, { "total_vm", C_TOTAL_VM },
		{ "rss", C_RSS }, { "rss_anon", C_RSS_ANON }, { "rss_file", C_RSS_FILE },
		{ "rss_shmem", C_RSS_SHMEM }, { "nr_ptes", C_NR_PTES },
		{ "nr_pmds", C_NR_PMDS }, { "pgtables_bytes", C_PGTABLES_BYTES },
		{ "swapents", C_SWAPENTS }, { "oom_adj", C_OOM_ADJ },
		{ "oom_score_adj", C_OOM_SCORE_ADJ }, { "cpu", C_CPU },
	};

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (strlen(cols[i].n) == n && !strncmp(cols[i].n, name, n))
			return cols[i].c;
	return C_OTHER;
}

static void task_header(struct logparse *p, struct lp_report *r, const char *msg)
{
	struct lp_private *pv = priv_of(p);
	const char *s = strchr(msg, ']');

	pv->nr_cols = 0;
	pv->have_cols = false;
	if (!s)
		return;
	s++;
	while (*(s = skip_sp(s))) {
		size_t n = strcspn(s, " \t");

		if (n == 4 && !strncmp(s, "name", 4))
			break;
		if (pv->nr_cols >= MAX_COLS)
			return;
		pv->cols[pv->nr_cols++] = col_of(s, n);
		s += n;
	}
	pv->have_cols = true;
	r->seen |= LP_SEEN_TASKS;
	r->tasks_have_adj = false;
	for (int i = 0; i < pv->nr_cols; i++)
		if (pv->cols[i] == C_OOM_SCORE_ADJ)
			r->tasks_have_adj = true;
	p->state = S_TASKS;
}

static void top_insert(struct lp_task *arr, int *n, const struct lp_task *t, bool by_rss)
{
	int i = *n;
	long long key = by_rss ? t->rss : t->badness;

	if (i == LP_TOP_TASKS) {
		long long last = by_rss ? arr[i - 1].rss : arr[i - 1].badness;

		if (key <= last)
			return;
		i--;
	} else {
		(*n)++;
	}
	while (i > 0 && (by_rss ? arr[i - 1].rss : arr[i - 1].badness) < key) {
		arr[i] = arr[i - 1];
		i--;
	}
	arr[i] = *t;
}

static long long totalpages(const struct lp_report *r)
{
	if (r->kind == LP_KIND_MEMCG_OOM || (r->seen & LP_SEEN_MEMCG)) {
		if (r->memcg_limit_kb > 0 && r->memcg_limit_kb < (1LL << 50))
			return r->memcg_limit_kb / r->page_kb;
	}
	if (r->ram_pages > 0)
		return r->ram_pages + (r->total_swap_kb > 0 ? r->total_swap_kb / 4 : 0);
	return 0;
}

static bool task_row(struct logparse *p, struct lp_report *r, const char *msg)
{
	struct lp_private *pv = priv_of(p);
	struct lp_task t;
	const char *s = msg + 1;
	long long v;

	if (!pv->have_cols)
		return false;
	memset(&t, 0, sizeof(t));
	t.rss_anon = t.rss_file = t.rss_shmem = LP_UNKNOWN;
	t.oom_score_adj = LP_ADJ_UNKNOWN;
	if (!parse_ll(skip_sp(s), &v, &s) || *s != ']')
		return false;
	t.pid = (int)v;
	s++;
	for (int c = 0; c < pv->nr_cols; c++) {
		s = skip_sp(s);
		if (!parse_ll(s, &v, &s))
			return false;
		switch (pv->cols[c]) {
		case C_UID: t.uid = (int)v; break;
		case C_TGID: t.tgid = (int)v; break;
		case C_TOTAL_VM: t.total_vm = v; break;
		case C_RSS: t.rss = v; break;
		case C_RSS_ANON: t.rss_anon = v; break;
		case C_RSS_FILE: t.rss_file = v; break;
		case C_RSS_SHMEM: t.rss_shmem = v; break;
		case C_NR_PTES: t.pgtables_kb += v * 4; break;
		case C_NR_PMDS: t.pgtables_kb += v * 4; break;
		case C_PGTABLES_BYTES: t.pgtables_kb = v / 1024; break;
		case C_SWAPENTS: t.swapents = v; break;
		case C_OOM_SCORE_ADJ: t.oom_score_adj = (int)v; break;
		case C_OOM_ADJ:
			/* 2.6.32 had only oom_adj (-17..15) */
			if (!r->tasks_have_adj)
				t.oom_score_adj = v == -17 ? -1000 : (int)(v * 1000 / 17);
			break;
		default: break;
		}
	}
	s = skip_sp(s);
	copy_span(t.comm, sizeof(t.comm), s, s + strlen(s));
	t.badness = t.rss + t.swapents + t.pgtables_kb / (r->page_kb ? r->page_kb : 4);
	if (t.oom_score_adj != LP_ADJ_UNKNOWN) {
		long long tp = totalpages(r);

		if (t.oom_score_adj == -1000)
			t.badness = -1;
		else if (tp)
			t.badness += (long long)t.oom_score_adj * tp / 1000;
	}
	r->nr_tasks++;
	r->tasks_rss_pages += t.rss;
	top_insert(r->top_rss, &r->nr_top_rss, &t, true);
	top_insert(r->top_badness, &r->nr_top_badness, &t, false);
	return true;
}

/* "... (comm) total-vm:..": comm between the first '(' and the ") " */
static const char *paren_comm(const char *s, char *dst, size_t n)
{
	const char *o = strchr(s, '('), *c;

	if (!o)
		return s;
	c = strstr(o, ") ");
	if (!c)
		c = strrchr(o, ')');
	if (!c)
		return s;
	copy_span(dst, n, o + 1, c);
	return c + 1;
}

static void victim_killed(struct lp_report *r, const char *k)
{
	struct lp_victim *v = &r->victim;
	long long x;
	const char *s;
	char comm[LP_COMM_MAX] = "";

	if (!parse_ll(k, &x, &s))
		return;
	r->nr_killed++;
	if (r->nr_killed > 1 && (r->seen & LP_SEEN_VICTIM))
		return;		/* group kill: the first one is the victim */
	if (v->pid > 0 && v->pid != (int)x && (r->seen & LP_SEEN_SELECT)) {
		/* "or sacrifice child": the child was killed */
		v->selected_pid = v->pid;
		memcpy(v->selected_comm, v->comm, sizeof(v->comm));
	}
	v->pid = (int)x;
	if (!strncmp(s, ", UID ", 6) && parse_ll(s + 6, &x, NULL))
		v->uid = (int)x;
	s = paren_comm(s, comm, sizeof(comm));
	if (comm[0])
		memcpy(v->comm, comm, sizeof(comm));
	v->killed = true;
	v->total_vm_kb = kb_val(s, "total-vm:");
	v->anon_rss_kb = kb_val(s, "anon-rss:");
	v->file_rss_kb = kb_val(s, "file-rss:");
	v->shmem_rss_kb = kb_val(s, "shmem-rss:");
	v->pgtables_kb = kb_val(s, "pgtables:");
	if (tok_num(s, "UID:", &x))
		v->uid = (int)x;
	if (tok_num(s, "oom_score_adj:", &x))
		v->oom_score_adj = (int)x;
	r->seen |= LP_SEEN_VICTIM;
}

static void victim_selected(struct lp_report *r, const char *k)
{
	struct lp_victim *v = &r->victim;
	long long x;
	const char *s;

	if (!parse_ll(k, &x, &s))
		return;
	v->pid = (int)x;
	s = paren_comm(s, v->comm, sizeof(v->comm));
	if (num_after(s, "score ", &x))
		v->score = x;
	r->seen |= LP_SEEN_SELECT;
}

/* oom-kill:constraint=..,nodemask=..,cpuset=..,mems_allowed=..,oom_memcg=..,task_memcg=..,task=..,pid=..,uid=.. */
static const char *okv(const char *s, const char *key, char *dst, size_t n)
{
	size_t kl = strlen(key);
	const char *k = s, *e;

	while ((k = strstr(k, key))) {
		if (k[-1] == ':' || k[-1] == ',')
			break;
		k += kl;
	}
	if (!k)
		return NULL;
	k += kl;
	e = k;
	/* the value ends at a ',' that starts the next key (a letter) */
	while (*e && !(*e == ',' && isalpha((unsigned char)e[1])))
		e++;
	copy_span(dst, n, k, e);
	return dst;
}

static void oom_kill_line(struct lp_report *r, const char *msg)
{
	char buf[LP_PATH_MAX];
	long long v;

	okv(msg, "constraint=", r->constraint, sizeof(r->constraint));
	if (okv(msg, "nodemask=", buf, sizeof(buf)))
		copy_span(r->nodemask, sizeof(r->nodemask), buf, buf + strlen(buf));
	okv(msg, "cpuset=", r->cpuset, sizeof(r->cpuset));
	if (okv(msg, "mems_allowed=", buf, sizeof(buf)))
		copy_span(r->mems_allowed, sizeof(r->mems_allowed), buf, buf + strlen(buf));
	okv(msg, "oom_memcg=", r->memcg, sizeof(r->memcg));
	okv(msg, "task_memcg=", r->task_memcg, sizeof(r->task_memcg));
	if (strstr(msg, ",global_oom"))
		r->global_oom_flag = true;
	if (!(r->seen & (LP_SEEN_VICTIM | LP_SEEN_SELECT))) {
		if (okv(msg, "task=", buf, sizeof(buf)))
			copy_span(r->victim.comm, sizeof(r->victim.comm), buf, buf + strlen(buf));
		if (okv(msg, "pid=", buf, sizeof(buf)) && parse_ll(buf, &v, NULL))
			r->victim.pid = (int)v;
		if (okv(msg, "uid=", buf, sizeof(buf)) && parse_ll(buf, &v, NULL))
			r->victim.uid = (int)v;
	}
	r->seen |= LP_SEEN_OOMKILL;
}

static void memcg_usage(struct lp_report *r, const char *msg)
{
	long long u = LP_UNKNOWN, l = LP_UNKNOWN, f = LP_UNKNOWN;

	num_after(msg, "usage ", &u);
	num_after(msg, "limit ", &l);
	num_after(msg, "failcnt ", &f);
	if (starts(msg, "memory: ")) {
		r->memcg_usage_kb = u;
		r->memcg_limit_kb = l;
		r->memcg_failcnt = f;
		r->seen |= LP_SEEN_MEMCG;
	} else if (starts(msg, "memory+swap: ")) {
		r->memsw_usage_kb = u;
		r->memsw_limit_kb = l;
	} else if (starts(msg, "swap: ")) {
		r->memcg_swap_usage_kb = u;
		r->memcg_swap_limit_kb = l;
	} else if (starts(msg, "kmem: ")) {
		r->memcg_kmem_usage_kb = u;
	}
}

/* cgroup v1 one-line stats "cache:0KB rss:1024KB ..." or v2 "anon 1234" lines */
static bool memcg_stat(struct lp_report *r, const char *msg, bool v2)
{
	long long v;

	if (!v2) {
		if (tok_num(msg, "rss:", &v))
			r->memcg_anon_kb = v;
		if (tok_num(msg, "cache:", &v))
			r->memcg_file_kb = v;
		if (tok_num(msg, "shmem:", &v))
			r->memcg_shmem_kb = v;
		return true;
	}
	{
		const char *s = msg;
		size_t n = strcspn(s, " ");

		if (!n || !s[n] || !parse_ll(s + n + 1, &v, NULL))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!(islower((unsigned char)s[i]) || s[i] == '_'))
				return false;
#define IS(w) (n == strlen(w) && !strncmp(s, w, n))
		if (IS("anon"))
			r->memcg_anon_kb = v / 1024;
		else if (IS("file"))
			r->memcg_file_kb = v / 1024;
		else if (IS("kernel"))
			r->memcg_kernel_kb = v / 1024;
		else if (IS("slab"))
			r->memcg_slab_kb = v / 1024;
		else if (IS("shmem"))
			r->memcg_shmem_kb = v / 1024;
#undef IS
		return true;
	}
}

static bool slab_row(struct lp_report *r, const char *msg)
{
	struct lp_slab s;
	const char *q = msg;
	size_t n = strcspn(q, " \t");
	long long used, total;

	if (!n || !q[n])
		return false;
	q = skip_sp(q + n);
	if (!parse_ll(q, &used, &q))
		return false;
	q += strspn(q, "KkMB");
	q = skip_sp(q);
	if (!parse_ll(q, &total, NULL))
		total = used;
	memset(&s, 0, sizeof(s));
	copy_span(s.name, sizeof(s.name), msg, msg + n);
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

static void suppressed(struct logparse *p, const char *msg)
{
	const char *k = strstr(msg, " callbacks suppressed");
	const char *m = strstr(msg, " messages suppressed");
	const char *c, *num;
	long long v;

	if (!k && !m)
		return;
	c = strstr(msg, ": ");
	if (!c)
		return;
	num = c + 2;
	if (!parse_ll(num, &v, NULL) || v < 0)
		return;
	if (m) {
		/* "printk: N messages suppressed." (printk_ratelimit, 2.6) */
		if (starts(msg, "printk"))
			p->pend_sup_other += v;
		return;
	}
#define FN(s) ((size_t)(c - msg) == strlen(s) && !strncmp(msg, s, strlen(s)))
	if (FN("warn_alloc") || FN("warn_alloc_failed") || FN("warn_alloc_show_mem") ||
	    FN("__alloc_pages_slowpath") || FN("__alloc_pages_nodemask") ||
	    FN("__vmalloc_node_range") || FN("__vmalloc_area_node"))
		p->pend_sup_warn += v;
	else if (FN("oom_kill_process") || FN("dump_header") || FN("out_of_memory") ||
		 FN("mem_cgroup_out_of_memory"))
		p->pend_sup_oom += v;
	else if (FN("__ratelimit"))
		p->pend_sup_other += v;
#undef FN
}

/* A vmalloc line without its own "mode:" waits for the header below it. */
static void pending_vmalloc(struct logparse *p, const char *msg, const char *ts, size_t ts_len)
{
	if (!p->pend_vmalloc_line) {
		p->pend_vmalloc_size = p->pend_vmalloc_allocated = p->pend_vmap_size = LP_UNKNOWN;
		p->pend_vmalloc_reason[0] = '\0';
		p->pend_ts[0] = '\0';
		if (ts)
			copy_span(p->pend_ts, sizeof(p->pend_ts), ts, ts + ts_len);
	}
	p->pend_vmalloc_line = p->pend_vmalloc_line ? p->pend_vmalloc_line : p->lineno;
	if (strstr(msg, "vmap allocation for size ")) {
		long long v;

		if (num_after(msg, "for size ", &v))
			p->pend_vmap_size = v;
		return;
	}
	vmalloc_facts(msg, &p->pend_vmalloc_size, &p->pend_vmalloc_allocated,
		      p->pend_vmalloc_reason, sizeof(p->pend_vmalloc_reason));
}

static void flush_pending_vmalloc(struct logparse *p)
{
	struct lp_report *r;

	if (!p->pend_vmalloc_line)
		return;
	r = start_report(p, LP_KIND_VMALLOC_FAILURE, NULL, 0);
	take_pending_vmalloc(p, r);
	emit_current(p);
}

/* Lines that need an open OOM report, or start a headless one. */
static struct lp_report *oom_tail_report(struct logparse *p, const char *ts, size_t ts_len)
{
	struct lp_report *r = p->cur;

	if (r && is_oom(r))
		return r;
	r = start_report(p, LP_KIND_GLOBAL_OOM, ts, ts_len);
	r->header_missing = true;
	return r;
}

/* The words that can start a report, found in one pass over the line. */
static const char *const trigger_words[] = {
	"oom", "alloc", "emory", "Kill", "kill", "suppressed", "Linux version", "vmap", "Task in ",
};
static uint8_t trigger_pairs[65536 / 8];
static bool trigger_init;

static bool maybe_trigger(const char *s)
{
	if (!trigger_init) {
		for (size_t i = 0; i < sizeof(trigger_words) / sizeof(trigger_words[0]); i++) {
			unsigned int pr = ((unsigned char)trigger_words[i][0] << 8) |
					  (unsigned char)trigger_words[i][1];

			trigger_pairs[pr >> 3] |= (uint8_t)(1u << (pr & 7));
		}
		trigger_init = true;
	}
	for (; s[0] && s[1]; s++) {
		unsigned int pr = ((unsigned char)s[0] << 8) | (unsigned char)s[1];

		if (!(trigger_pairs[pr >> 3] & (1u << (pr & 7))))
			continue;
		for (size_t i = 0; i < sizeof(trigger_words) / sizeof(trigger_words[0]); i++)
			if (!strncmp(s, trigger_words[i], strlen(trigger_words[i])))
				return true;
	}
	return false;
}

/* show_mem() or task dump lines, which may continue a report whose start is lost. */
static bool maybe_body_start(const char *s)
{
	switch (s[0]) {
	case 'M':
		return starts(s, "Mem-Info:") || starts(s, "Mem-info:") ||
		       starts(s, "Memory cgroup stats for ");
	case 'm':
		return starts(s, "memory: usage ");
	case 'N':
		if (starts(s, "Node ") && (strstr(s, " free:") || strchr(s, '*')))
			return true;
		break;
	case 'T':
		return starts(s, "Tasks state");
	case '[':
		return (strstr(s, "pid ]") || strstr(s, "pid  ]")) && strstr(s, "uid");
	default:
		break;
	}
	/* non-NUMA buddy line "DMA: 85*4kB (UME) ..." */
	{
		size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

		return n && n < 16 && s[n] == ':' && s[n + 1] == ' ' &&
		       s[n + 2] >= '0' && s[n + 2] <= '9' && strstr(s, "kB");
	}
}

static void process_line(struct logparse *p, char *line, size_t len)
{
	const char *ts = NULL, *msg, *k;
	size_t ts_len = 0;
	struct lp_report *r;
	long off;
	long long v;
	bool fact = true, trig;

	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		line[--len] = '\0';
	off = logparse_strip_prefix(line, len, &ts, &ts_len);
	if (off < 0)
		return;
	msg = skip_sp(line + off);
	if (!*msg)
		return;

	if (p->pend_vmalloc_line && p->lineno - p->pend_vmalloc_line > 3 &&
	    !strstr(msg, "page allocation failure"))
		flush_pending_vmalloc(p);

	/* Cheap filter: outside a report only a few words matter. */
	trig = maybe_trigger(msg);
	if (!p->cur && !trig && !maybe_body_start(msg))
		return;
	if (!trig)
		goto body;

	/* Report headers. */
	if ((k = strstr(msg, " invoked oom-killer: "))) {
		header_oom(p, msg, k, ts, ts_len);
		goto done;
	}
	if ((k = strstr(msg, "page allocation failure")) &&
	    (strstr(k, "order:") || strstr(k, "mode:"))) {
		/* "COMM: page allocation failure"; the comm may be lost to interleaving */
		if (k - msg >= 2 && k[-2] == ':' && k[-1] == ' ')
			header_alloc(p, msg, k - 2, false, ts, ts_len);
		else
			header_alloc(p, msg, msg, false, ts, ts_len);
		goto done;
	}
	if ((k = strstr(msg, "vmalloc: allocation failure")) || (k = strstr(msg, "vmalloc error: "))) {
		if (strstr(k, "mode:") && k - msg >= 2 && k[-2] == ':') {
			header_alloc(p, msg, k - 2, true, ts, ts_len);
			goto done;
		}
		pending_vmalloc(p, msg, ts, ts_len);
		return;
	}
	if (strstr(msg, "vmap allocation for size ") && strstr(msg, " failed")) {
		if (p->pend_vmalloc_line)
			flush_pending_vmalloc(p);
		pending_vmalloc(p, msg, ts, ts_len);
		return;
	}
	if (strstr(msg, "suppressed")) {
		suppressed(p, msg);
		return;
	}
	if (starts(msg, "Linux version ")) {
		copy_span(p->banner_kernel, sizeof(p->banner_kernel), msg + 14,
			  msg + 14 + strcspn(msg + 14, " "));
		return;
	}

	/* OOM tail lines, which may start a report whose header was lost. */
	if ((k = strstr(msg, "Killed process "))) {
		r = p->cur;
		if (r && is_oom(r) && (r->seen & LP_SEEN_VICTIM) && !r->group_kill &&
		    parse_ll(k + 15, &v, NULL) && v != r->victim.pid)
			r = NULL;
		if (!r || !is_oom(r)) {
			r = oom_tail_report(p, ts, ts_len);
		}
		if (starts(msg, "Memory cgroup out of memory"))
			r->seen |= LP_SEEN_MEMCG;
		victim_killed(r, k + 15);
		p->state = S_TAIL;
		p->provisional = false;
		goto done;
	}
	/* "Kill process N (comm) score N or sacrifice child", 2.6.32 "kill process" */
	if ((k = strstr(msg, "ill process ")) && k > msg && (k[-1] == 'K' || k[-1] == 'k') &&
	    (k - 1 == msg || k[-2] == ' ') && !strstr(msg, "sharing same memory")) {
		k--;
		r = p->cur;
		if (r && is_oom(r) && (r->seen & (LP_SEEN_VICTIM | LP_SEEN_SELECT)))
			r = NULL;
		if (!r || !is_oom(r))
			r = oom_tail_report(p, ts, ts_len);
		if (starts(msg, "Memory cgroup out of memory"))
			r->seen |= LP_SEEN_MEMCG;
		victim_selected(r, k + 13);
		p->state = S_TAIL;
		p->provisional = false;
		goto done;
	}
	if (starts(msg, "oom-kill:")) {
		r = p->cur;
		if (r && is_oom(r) && (r->seen & (LP_SEEN_OOMKILL | LP_SEEN_VICTIM)))
			r = NULL;
		if (!r || !is_oom(r))
			r = oom_tail_report(p, ts, ts_len);
		oom_kill_line(r, msg);
		p->provisional = false;
		goto done;
	}
	if (starts(msg, "Task in ") && (k = strstr(msg, " killed as a result of limit of "))) {
		r = p->cur;
		if (r && is_oom(r) && (r->seen & LP_SEEN_VICTIM))
			r = NULL;
		if (!r || !is_oom(r))
			r = oom_tail_report(p, ts, ts_len);
		copy_span(r->task_memcg, sizeof(r->task_memcg), msg + 8, k);
		copy_span(r->memcg, sizeof(r->memcg), k + 32, k + 32 + strlen(k + 32));
		if (strcmp(r->memcg, "/"))
			r->seen |= LP_SEEN_MEMCG;
		p->provisional = false;
		goto done;
	}
	if (starts(msg, "Out of memory and no killable processes")) {
		r = oom_tail_report(p, ts, ts_len);
		r->no_killable = true;
		p->provisional = false;
		goto done;
	}

body:
	r = p->cur;
	if (!r) {
		if (!maybe_body_start(msg))
			return;
		/*
		 * The middle of a report whose first lines are not in the log:
		 * read it provisionally; an OOM tail line ("Killed process",
		 * "oom-kill:") makes it a report, anything else drops it.
		 */
		r = start_report(p, LP_KIND_GLOBAL_OOM, ts, ts_len);
		r->header_missing = true;
		p->provisional = true;
	}
	p->lines_in_report++;

	if (msg[0] == '[' && p->state == S_TASKS && task_row(p, r, msg))
		goto done;
	if (msg[0] == '[' && (strstr(msg, "pid ]") || strstr(msg, "pid  ]")) && strstr(msg, "uid")) {
		task_header(p, r, msg);
		goto done;
	}
	if (p->state == S_MEMCG_STATS) {
		if (memcg_stat(r, msg, true))
			goto done;
		p->state = S_TAIL;
	}
	if (p->state == S_SLAB) {
		if (starts(msg, "Name ") || slab_row(r, msg))
			goto done;
		p->state = S_TAIL;
	}
	if (starts(msg, "CPU: ") || starts(msg, "Pid: ")) {
		if (!(r->seen & LP_SEEN_CPU) && p->lines_in_report < 8)
			parse_cpu_line(r, msg);
		else
			fact = false;
		goto done;
	}
	if (starts(msg, "Mem-Info:") || starts(msg, "Mem-info:")) {
		if (p->provisional && (r->seen & (LP_SEEN_MEMINFO | LP_SEEN_ZONES | LP_SEEN_BUDDY))) {
			/* a second show_mem(): the first one belonged to nothing */
			emit_current(p);
			r = start_report(p, LP_KIND_GLOBAL_OOM, ts, ts_len);
			r->header_missing = true;
			p->provisional = true;
		}
		p->state = S_MEMINFO;
		goto done;
	}
	if (parse_zone_or_buddy(p, r, msg))
		goto done;
	if (starts(msg, "lowmem_reserve[]:")) {
		struct lp_zone *z = NULL;

		for (int i = r->nr_zones - 1; i >= 0; i--)
			if (r->zones[i].has_watermarks) {
				z = &r->zones[i];
				break;
			}
		if (z) {
			const char *s = msg + 17;

			z->nr_reserve = 0;
			while (z->nr_reserve < LP_MAX_RESERVE && parse_ll(skip_sp(s), &v, &s))
				z->lowmem_reserve[z->nr_reserve++] = v;
		}
		goto done;
	}
	if (p->state == S_MEMINFO && strchr(msg, ':') && !strstr(msg, "per-cpu") &&
	    !starts(msg, "CPU")) {
		meminfo_kv(r, msg);
		goto done;
	}
	if (starts(msg, "Free swap")) {
		num_after(msg, "= ", &r->free_swap_kb);
		goto done;
	}
	if (starts(msg, "Total swap")) {
		num_after(msg, "= ", &r->total_swap_kb);
		r->seen |= LP_SEEN_SWAP;
		goto done;
	}
	if (isdigit((unsigned char)msg[0]) && strstr(msg, " pages")) {
		if (!parse_ll(msg, &v, &k))
			goto done;
		if (!strcmp(k, " pages RAM"))
			r->ram_pages = v, r->seen |= LP_SEEN_RAM;
		else if (!strcmp(k, " pages reserved"))
			r->reserved_pages = v;
		else if (starts(k, " pages HighMem"))
			r->highmem_pages = v;
		else if (!strcmp(k, " total pagecache pages"))
			r->pagecache_pages = v;
		goto done;
	}
	if ((k = strstr(msg, "hugepages_total="))) {
		long long total = 0, size = 0;

		if (parse_ll(k + 16, &total, NULL) && num_after(msg, "hugepages_size=", &size)) {
			if (r->hugetlb_kb < 0)
				r->hugetlb_kb = 0;
			r->hugetlb_kb += total * size;
		}
		goto done;
	}
	if (starts(msg, "memory: usage") || starts(msg, "memory+swap: usage") ||
	    starts(msg, "swap: usage") || starts(msg, "kmem: usage")) {
		memcg_usage(r, msg);
		goto done;
	}
	if (starts(msg, "Memory cgroup stats for ")) {
		const char *c = strstr(msg + 24, ": ");

		/* the first one printed is the OOM domain itself */
		if (!r->memcg[0]) {
			const char *e = c ? c : msg + strlen(msg);

			if (e > msg + 24 && e[-1] == ':' && !c)
				e--;
			copy_span(r->memcg, sizeof(r->memcg), msg + 24, e);
		}

		r->seen |= LP_SEEN_MEMCG;
		if (c && strchr(c, ':') && (strstr(c, "rss:") || strstr(c, "cache:")))
			memcg_stat(r, c, false);
		else if (r->memcg_anon_kb < 0)
			p->state = S_MEMCG_STATS;
		goto done;
	}
	if (starts(msg, "Unreclaimable slab info:")) {
		p->state = S_SLAB;
		goto done;
	}
	if (starts(msg, "Tasks in ") && strstr(msg, "memory.oom.group")) {
		r->group_kill = true;
		goto done;
	}
	if (strstr(msg, "Kernel panic - not syncing")) {
		r->panic = true;
		goto done;
	}
	if (is_oom(r) && strstr(msg, "mem_cgroup_out_of_memory")) {
		/* the stack says memcg even when the report is cut before its tail */
		r->seen |= LP_SEEN_MEMCG;
		goto done;
	}
	if (starts(msg, "Tasks state") || starts(msg, "Call Trace") || starts(msg, "Hardware name"))
		goto done;
	if ((k = strstr(msg, " cpuset=")) && strstr(msg, "mems_allowed=") && !r->cpuset[0]) {
		parse_mems(r, msg);
		goto done;
	}
	if (starts(msg, "Out of memory") || starts(msg, "Memory cgroup out of memory"))
		goto done;
	fact = false;
done:
	if (p->cur) {
		if (fact) {
			p->idle = 0;
			p->cur->last_line = p->lineno;
		} else if (++p->idle > LP_IDLE_LINES) {
			emit_current(p);
		}
	}
}

/* ---- buffering ---------------------------------------------------------- */

int logparse_init(struct logparse *p, lp_emit_fn emit, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->cur_storage = calloc(1, sizeof(struct lp_alloc));
	if (!p->cur_storage) {
		errno = ENOMEM;
		return -1;
	}
	p->emit = emit;
	p->arg = arg;
	p->pend_vmalloc_size = p->pend_vmalloc_allocated = p->pend_vmap_size = LP_UNKNOWN;
	return 0;
}

static void end_line(struct logparse *p)
{
	p->lineno++;
	p->line[p->line_len] = '\0';
	process_line(p, p->line, p->line_len);
	p->line_len = 0;
	p->line_overflow = false;
}

void logparse_feed(struct logparse *p, const char *buf, size_t len)
{
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) : len;
		size_t room = LP_LINE_MAX - p->line_len;

		if (n > room) {
			p->line_overflow = true;
		}
		memcpy(p->line + p->line_len, buf, n < room ? n : room);
		p->line_len += n < room ? n : room;
		if (!nl)
			return;
		end_line(p);
		buf = nl + 1;
		len -= n + 1;
	}
}

void logparse_finish(struct logparse *p)
{
	if (p->line_len)
		end_line(p);
	if (p->pend_vmalloc_line)
		flush_pending_vmalloc(p);
	emit_current(p);
}

void logparse_free(struct logparse *p)
{
	free(p->cur_storage);
	p->cur_storage = NULL;
}

int logparse_buffer(const char *buf, size_t len, lp_emit_fn emit, void *arg)
{
	struct logparse p;

	if (logparse_init(&p, emit, arg))
		return -1;
	logparse_feed(&p, buf, len);
	logparse_finish(&p);
	logparse_free(&p);
	return 0;
}
