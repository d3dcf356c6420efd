/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_EVENT_READER_H
#define OOMDIAG_EVENT_READER_H
/*
 * One event of any source (module "events" file, BPF ring buffer, dmesg
 * text) in one shape, and its two renderings: for people (one line plus
 * indented details) and as one JSON line.
 */
#include <stdbool.h>
#include <stdio.h>

#include "oomdiag_event.h"
#include "gfp.h"

#define OD_STACK_SYM_LEN 128

struct od_event {
	struct oomdiag_event ev;
	char source[8];			/* "module", "bpf", "dmesg" */
	char gfp_text[256];		/* decoded gfp names, "" if not decoded */
	unsigned int nstack_sym;	/* symbolised frames, "func+0x1a/0x40" */
	char stack_sym[OOMDIAG_STACK_DEPTH][OD_STACK_SYM_LEN];
	char after[256];		/* module "after" line, raw key=value text */
	char extra[256];		/* unknown keys of the first line, raw */
	bool has_latency;
	bool gfp_from_kernel;		/* gfp_text came from the record (%pGg) */
};

const char *event_kind_name(unsigned int kind);
int event_kind_from_name(const char *name);	/* -1 if unknown */
const char *event_context_name(unsigned int ctx);
const char *event_constraint_name(unsigned int c);
const char *event_vm_reason_name(unsigned int r);
/* flags as "silent|nowarn"; "" for none */
void event_flags_text(unsigned int flags, char *buf, size_t len);

/* Is this kind one with alloc info (gfp/order in ev.alloc)? */
bool event_is_alloc(unsigned int kind);
/* The gfp mask and order of any kind (0/-1 when none). */
unsigned int event_gfp(const struct od_event *e);
int event_order(const struct od_event *e);

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

void event_print_human(FILE *f, const struct od_event *e, bool color);
void event_print_json(FILE *f, const struct od_event *e);

#endif
