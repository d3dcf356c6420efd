/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_EVENT_READER_H
#define OOMDIAG_EVENT_READER_H
/*
 * One event of any source (module "events" file, BPF ring buffer, dmesg
 * text) in one shape, and its two renderings: for people (one line plus
 * indented details) and as one JSON line.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "oomdiag_event.h"
#include "gfp.h"
#include "render.h"

#define OD_STACK_SYM_LEN 128

/*
 * The numeric keys of a module record's first line: X(ID, "key", GROUP,
 * member of struct oomdiag_event).  GROUP says for which kinds the key
 * fills the member (a key such as gfp names a member of each).  The record
 * parser is this table; every field also has a bit in od_event.unknown.
 */
#define OD_RECORD_NUMS(X)						\
	X(SEQ, "seq", OD_G_ANY, seq)					\
	X(TS_NS, "ts_ns", OD_G_ANY, ts_ns)				\
	X(WALL_NS, "wall_ns", OD_G_ANY, wall_ns)			\
	X(CPU, "cpu", OD_G_ANY, cpu)					\
	X(PID, "pid", OD_G_ANY, pid)					\
	X(TGID, "tgid", OD_G_ANY, tgid)					\
	X(ALLOC_GFP, "gfp", OD_G_ALLOC, alloc.gfp)			\
	X(ALLOC_ORDER, "order", OD_G_ALLOC, alloc.order)		\
	X(LATENCY_NS, "latency_ns", OD_G_ALLOC, alloc.latency_ns)	\
	X(NODEMASK_SET, "nodemask_set", OD_G_ALLOC, alloc.nodemask_set)	\
	X(VICTIM_PID, "victim_pid", OD_G_OOM, oom.victim_pid)		\
	X(VICTIM_UID, "victim_uid", OD_G_OOM, oom.victim_uid)		\
	X(ANON_RSS_KB, "anon_rss_kb", OD_G_OOM, oom.anon_rss_kb)	\
	X(FILE_RSS_KB, "file_rss_kb", OD_G_OOM, oom.file_rss_kb)	\
	X(SHMEM_RSS_KB, "shmem_rss_kb", OD_G_OOM, oom.shmem_rss_kb)	\
	X(SWAP_KB, "swap_kb", OD_G_OOM, oom.swap_kb)			\
	X(PGTABLES_KB, "pgtables_kb", OD_G_OOM, oom.pgtables_kb)	\
	X(POINTS, "points", OD_G_OOM, oom.points)			\
	X(TOTALPAGES, "totalpages", OD_G_OOM, oom.totalpages)		\
	X(OOM_SCORE_ADJ, "oom_score_adj", OD_G_OOM, oom.oom_score_adj)	\
	X(OOM_GFP, "gfp", OD_G_OOM, oom.gfp)				\
	X(OOM_ORDER, "order", OD_G_OOM, oom.order)			\
	X(OVERCOMMIT_MODE, "overcommit_mode", OD_G_VM, vm.overcommit_mode) \
	X(PAGES, "pages", OD_G_VM, vm.pages)				\
	X(COMMITTED_AS, "committed_as_pages", OD_G_VM, vm.committed_as_pages) \
	X(COMMIT_LIMIT, "commit_limit_pages", OD_G_VM, vm.commit_limit_pages) \
	X(OVERCOMMIT_RATIO, "overcommit_ratio", OD_G_VM, vm.overcommit_ratio) \
	X(OVERCOMMIT_KBYTES, "overcommit_kbytes", OD_G_VM, vm.overcommit_kbytes) \
	X(LIMIT, "limit", OD_G_VM, vm.limit)				\
	X(CURRENT, "current", OD_G_VM, vm.current_usage)

enum od_group { OD_G_ANY, OD_G_ALLOC, OD_G_OOM, OD_G_VM };

#define OD_FIELD_ENUM(id, key, group, member)	OD_FIELD_##id,
enum od_field {
	OD_RECORD_NUMS(OD_FIELD_ENUM)
	OD_NR_FIELDS
};
#undef OD_FIELD_ENUM

/*
 * The kill ledger under an oom_kill record (module/ledger.c): one
 * "  ledger ..." line and up to 8 ranked plus 2 exempt "  candidate ..."
 * lines.  X(ID, "key", member): the numeric keys of a candidate line, each
 * with a bit in od_ledger_row.unknown ("-" or absent: not known, member 0).
 */
#define OD_LEDGER_ROW_NUMS(X)					\
	X(RANK, "rank", rank)					\
	X(PID, "pid", pid)					\
	X(ANON, "anon_pages", anon_pages)			\
	X(FILE, "file_pages", file_pages)			\
	X(SHMEM, "shmem_pages", shmem_pages)			\
	X(SWAP, "swap_pages", swap_pages)			\
	X(PGTABLES, "pgtables_pages", pgtables_pages)		\
	X(ADJ, "oom_score_adj", oom_score_adj)			\
	X(ADJ_POINTS, "adj_points", adj_points)			\
	X(POINTS, "points", points)				\
	X(ORIGIN, "origin", origin)				\
	X(VICTIM, "victim", victim)

/* The numeric keys of the "  ledger" line, bits of od_ledger.unknown. */
#define OD_LEDGER_NUMS(X)					\
	X(TOTALPAGES, "totalpages", totalpages)			\
	X(WALKED, "walked", walked)				\
	X(CANDIDATES, "candidates", candidates)			\
	X(EXEMPT, "exempt", exempt)

#define OD_LROW_ENUM(id, key, member)	OD_LROW_##id,
enum od_lrow_field { OD_LEDGER_ROW_NUMS(OD_LROW_ENUM) OD_NR_LROW_FIELDS };
#undef OD_LROW_ENUM
#define OD_LEDGER_ENUM(id, key, member)	OD_LEDGER_##id,
enum od_ledger_field { OD_LEDGER_NUMS(OD_LEDGER_ENUM) OD_NR_LEDGER_FIELDS };
#undef OD_LEDGER_ENUM

#define OD_LEDGER_MAX_ROWS 10	/* LEDGER_ROWS + LEDGER_EXEMPT of module/ledger.c */

struct od_ledger_row {
	int64_t rank, pid, anon_pages, file_pages, shmem_pages, swap_pages, pgtables_pages;
	int64_t oom_score_adj, adj_points, points, origin, victim;
	char comm[16];
	char exempt[16];		/* reason, "" for "-" (not exempt) */
	uint32_t unknown;		/* 1 << OD_LROW_x: not known */
};

struct od_ledger {
	bool present;			/* the record had a "  ledger" line */
	char domain[8];			/* "memcg", "all", "" when "-" */
	uint32_t constraint;		/* OOMDIAG_CONSTRAINT_*, _UNKNOWN for "-" */
	int64_t totalpages, walked, candidates, exempt;
	bool nodes_checked;		/* false with nodes=unchecked */
	char extra[256];		/* keys this version does not know, raw, written back after nodes= */
	uint32_t unknown;		/* 1 << OD_LEDGER_x: not known */
	unsigned int nr;
	struct od_ledger_row rows[OD_LEDGER_MAX_ROWS];
};

static inline bool ledger_row_known(const struct od_ledger_row *r, enum od_lrow_field f)
{
	return !(r->unknown & (1u << f));
}

/* limit=unlimited (RLIM_INFINITY) */
#define OD_UNLIMITED UINT64_MAX

struct od_event {
	struct oomdiag_event ev;
	char source[8];			/* "module", "bpf", "dmesg" */
	char gfp_text[256];		/* decoded gfp names, "" if not decoded */
	unsigned int nstack_sym;	/* symbolised frames, "func+0x1a/0x40" */
	char stack_sym[OOMDIAG_STACK_DEPTH][OD_STACK_SYM_LEN];
	char after[256];		/* module "after" line, raw key=value text */
	/* its "after_zone" lines, raw, '\n'-separated; whole lines only */
	char after_zone[2048];
	char extra[256];		/* unknown keys of the first line, raw */
	bool gfp_from_kernel;		/* gfp_text came from the record (%pGg) */
	/*
	 * Bit 1 << OD_FIELD_x: that field is not known ("-" in the record, or
	 * absent from it); its member then holds 0, or the sentinel of
	 * alloc.order (~0u) and oom.order (-1).  0: all known (BPF events).
	 */
	uint64_t unknown;
	struct od_ledger ledger;	/* oom_kill of the module: the kill ledger */
	/*
	 * oom_kill of the module: "  victim_cmdline state=S bytes=N argv=ESC"
	 * and "  victim_parents chain=PID:COMM,..." after the candidate lines
	 * (module/ledger.c).  The escaped text is kept as written, so the
	 * record writer puts back what the module wrote; argv and parents
	 * are its decoded form.
	 */
	bool has_cmdline;		/* the record had a victim_cmdline line */
	char cmdline_state[24];		/* as written; unknown states stay what they were */
	char cmdline_bytes[24];		/* bytes= as written */
	char cmdline_esc[4096];		/* argv= as written */
	char argv[2048];		/* decoded: NUL-separated arguments */
	size_t argv_len;
	bool has_parents;		/* the record had a victim_parents line */
	char parents_esc[1024];		/* chain= as written */
	unsigned int nr_parents;
	struct od_parent parents[OD_MAX_PARENTS];
};

static inline bool event_known(const struct od_event *e, enum od_field f)
{
	return !(e->unknown & (1ull << f));
}

static inline void event_set_unknown(struct od_event *e, enum od_field f)
{
	e->unknown |= 1ull << f;
}

/*
 * Names of include/oomdiag_event.h's lists.  A value outside its list is
 * "unknown" (kind, context) or "-" (constraint, reason: not known).
 */
const char *event_kind_name(unsigned int kind);
const char *event_context_name(unsigned int ctx);
const char *event_constraint_name(unsigned int c);
const char *event_vm_reason_name(unsigned int r);
/* Parsed back, or -1 for a name outside the list. */
int event_kind_from_name(const char *name);
int event_context_from_name(const char *name);
int event_constraint_from_name(const char *name);
int event_vm_reason_from_name(const char *name);
/* flags as "silent|nowarn"; "" for none */
void event_flags_text(unsigned int flags, char *buf, size_t len);
/* "silent|nowarn", "-", "0x..." back to bits; names not known are ignored */
unsigned int event_flags_from_text(const char *s);

/* Is this kind one with alloc info (gfp/order in ev.alloc)? */
bool event_is_alloc(unsigned int kind);
/* The gfp mask and order of any kind (0/-1 when none). */
unsigned int event_gfp(const struct od_event *e);
int event_order(const struct od_event *e);

/*
 * The victim of an OOM kill or victim event, for the shared renderer: its
 * pointers point into e.
 */
void event_victim(const struct od_event *e, struct od_victim *v);
/* Is the OOM domain's or the victim's cgroup path possibly cut (255 bytes and path_truncated)? */
int event_path_cut(const struct od_event *e, const char *path, size_t size);

/*
 * Parse one module "events" record: text holds the "seq=..." line and its
 * continuation lines ("  zone ...", "  stack ...", "  after ..."), len
 * bytes.  Unknown keys are kept in extra (forward compatible).  Fills
 * gfp_text with the layout (NULL: gfp_layout_running()).
 * Returns 0, or -1 when the text is not a record.
 */
int event_parse_module_record(const char *text, size_t len, struct od_event *out,
			      const struct gfp_layout *layout);

/*
 * Split a stream of records: calls cb for each complete record.  Lines
 * before the first "seq=" (headers, "# ..." comments) are skipped.
 * Returns the number of records, -1 on read error.
 */
typedef int (*event_record_cb)(const char *rec, size_t len, void *arg);
long event_split_records(const char *text, size_t len, event_record_cb cb, void *arg);

/* Decode gfp text of e with layout (NULL: running kernel). */
void event_decode_gfp(struct od_event *e, const struct gfp_layout *layout);

/*
 * Why the ledger's victim, in one sentence (no newline), from its rows;
 * false (buf "") when the event has no ledger or no victim row in it.
 */
bool event_ledger_why(const struct od_event *e, char *buf, size_t len);

/*
 * The one writer of the module's record format (module/recorder.c
 * show_record(), module/ledger.c): the "seq=..." line with the keys of the
 * kind in the module's order, then the "  ledger" and "  candidate" lines
 * of a kill ledger, "  zone", "  stack", "  after" and "  after_zone"
 * lines.  Not known is "-"; keys the parser did not know (extra, e.g. the
 * module's hook= and after=) end the first line.  event_parse_module_record()
 * reads it back: write, parse, write gives the same text.  `oomdiag events
 * --records` and `oomdiag trace --records` print with it.
 */
void event_write_record(FILE *f, const struct od_event *e);

void event_print_human(FILE *f, const struct od_event *e, bool color);
void event_print_json(FILE *f, const struct od_event *e);

#endif
