/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_RENDER_H
#define OOMDIAG_RENDER_H
/*
 * One renderer per object, shared by every command that shows it, for
 * people and for JSON (the bpftool habit): zones (render.c), the task table
 * and a task (render_tasks.c), a gfp mask's names, the causes of an
 * analysis (render.c).  Commands include this, never each other's files.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "sysmem.h"
#include "tasks.h"
#include "util.h"

struct analysis;

/* ---- zones */
#define OD_ZONE_ORDERS 16

/* A zone's numbers as every JSON zone object has them (pages; page_kb to convert). */
struct zone_fields {
	int node;
	const char *name;
	size_t name_len;
	uint64_t page_kb;
	uint64_t free_pages, min_pages, low_pages, high_pages, managed_pages, free_cma_pages;
	bool has_wmark;			/* false: no min/low/high/managed/free_cma keys */
	unsigned int nr_orders;
	uint64_t free_blocks[OD_ZONE_ORDERS];
	int highest_free_order;
};
/*
 * Open a zone's object with the keys of every output (node, name, free_kb,
 * min_kb, low_kb, high_kb, managed_kb, free_cma_kb, free_blocks,
 * highest_free_order); the caller adds its own and closes it.
 * buddy, status, events and trace write their zones with it.
 */
void zone_json_open(struct json_writer *w, const struct zone_fields *z);
/* "source", "page_kb", "migratetypes" and "zones" of buddy --json and status --json. */
void zones_json(struct json_writer *w, const struct od_zones *zs);

/* ---- gfp */
/* KEY: ["NAME", ...] from '|'-separated names (explain, events, trace, gfp). */
void gfp_json_flags(struct json_writer *w, const char *key, const char *names);

/* ---- tasks (render_tasks.c) */
/* The ranking table: the first n tasks (exempt ones too with all). */
void task_table_print(const struct od_tasks *ts, int n, bool all, const struct od_style *st);
/* The predicted victim: the first killable task, or NULL. */
const struct od_task *tasks_next_victim(const struct od_tasks *ts);
/* One task's object (top --json, status --json). */
void task_json(struct json_writer *w, const struct od_task *t);
/* "container": {unit, runtime, id, pod_uid, qos} named by @memcg, or null. */
void container_json(struct json_writer *w, const char *memcg);
/* "cgroup PATH, pod=... container=..." for one line of text. */
const char *task_where(const struct od_task *t, char *buf, size_t len);

/* ---- text */
/*
 * Text wrapped at OD_WIDTH, continuation lines indented by indent; the
 * cursor is at first_col.  Words longer than a line (cgroup paths) are
 * cut, after a '/' when there is one.
 */
void od_wrap(FILE *f, int indent, int first_col, const char *text);

/* ---- causes */
/*
 * The causes of an analysis and what it could not know, as explain prints
 * them under a report; also under each event of `events --explain` and
 * `trace --explain` (event_model.h).  truncated: the report was cut.
 */
void causes_print(FILE *f, const struct od_style *st, const struct analysis *a, bool truncated);
/* "causes": [{id, evidence, advice}...] and "missing": [...] of explain --json. */
void causes_json(struct json_writer *w, const struct analysis *a);
void causes_json_missing(struct json_writer *w, const struct analysis *a);

#endif
