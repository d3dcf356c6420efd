/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_EVENT_MODEL_H
#define OOMDIAG_EVENT_MODEL_H
/*
 * One failure model: a module record or a BPF event (struct od_event) as
 * the struct lp_report that `explain` extracts from a dmesg report, so one
 * cause analysis (causes_analyse()) gives the same ids, evidence and advice
 * whatever the source.  `events --explain` and `trace --explain` print it.
 */
#include <stdbool.h>
#include <stdio.h>

#include "causes.h"
#include "event.h"
#include "logparse.h"
#include "util.h"

struct json_writer;

/*
 * Fill r from e.  release: the kernel release the gfp mask belongs to (the
 * record is from this machine: NULL takes uname's), as a dmesg report's
 * "CPU: N PID: N Comm: ... RELEASE" line does for explain.
 */
void event_model_report(const struct od_event *e, const char *release, struct lp_report *r);

/*
 * event_model_report() and causes_analyse(); a->missing then says what
 * this source cannot show (not what a dmesg report would lack).
 */
void event_model_analyse(const struct od_event *e, const char *release, struct analysis *a);

/* The causes under an event printed by event_print_human(), as explain prints them. */
void event_model_print_causes(FILE *f, const struct analysis *a, const struct od_style *st);
/* event_print_json() with "causes" and "missing" in the object (explain --json's schema). */
void event_model_print_json(FILE *f, const struct od_event *e, const struct analysis *a);

/*
 * One event as `oomdiag events` and `oomdiag trace` print it: with records
 * its module-format record (event_write_record()); else with st->json one
 * JSON line, or its human lines; with explain (not with records) its causes
 * too, under it or in its JSON object.
 */
void event_render(FILE *f, const struct od_event *e, bool records, bool explain,
		  const struct od_style *st);

/*
 * The most recent distinct failures among nr events (oldest first), for
 * `oomdiag status`: slow_alloc (a stall that succeeded) is left out, and a
 * failure told twice counts once: a warn_alloc of the same request (pid,
 * gfp, order) as an alloc_fail at most 4 records away, an oom_victim whose
 * task an oom_kill of the list killed.  When max later failures would hide
 * the newest oom_kill, it takes the oldest place.  Up to max indexes into
 * idx, the newest last; returns how many.
 */
size_t event_model_recent(const struct od_event *ev, size_t nr, size_t max, size_t *idx);
/*
 * Why one event happened, on one line of at most width columns:
 * "  seq N KIND COMM pid P: ID, ID: EVIDENCE OF THE FIRST..." ("no cause
 * recognised" when none); the ids in colour when st asks.
 */
void event_model_print_cause_line(FILE *f, const struct od_event *e, const struct analysis *a,
				  const struct od_style *st, int width);
/* One object {seq, kind, pid, comm, causes, missing} (explain --json's causes). */
void event_model_json_causes(struct json_writer *w, const struct od_event *e,
			     const struct analysis *a);

#endif
