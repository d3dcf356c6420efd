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

/* ---- victim and cgroups (render_victim.c) */
/*
 * The victim of an OOM kill as every command shows it (events, trace,
 * explain, top), filled from whatever the source has: a module record, a
 * BPF event, a dmesg report, the task list.  docs/event-schema.md says
 * which source fills which key; what a source cannot show stays
 * OD_VUNK / NULL and is written as null (JSON) or "-" (text).
 */
#define OD_VUNK INT64_MIN
#define OD_MAX_PARENTS 32

struct od_parent {
	int64_t pid;			/* OD_VUNK: not a number in the record */
	char comm[64];			/* raw bytes, unescaped */
};

struct od_victim {
	int64_t pid, uid;
	const char *comm;		/* NULL: not known */
	size_t comm_len;
	int64_t anon_rss_kb, file_rss_kb, shmem_rss_kb, swap_kb, pgtables_kb;
	int64_t oom_score_adj;
	int64_t points;			/* oom_badness() points (pages) */
	const char *cgroup;		/* the victim's own memory cgroup; NULL: not known */
	size_t cgroup_len;
	int cgroup_truncated;		/* 1: cut by the source, 0: whole, -1: not known */
	/* command line: has_cmdline false when the source cannot show it */
	bool has_cmdline;
	const char *cmdline_state;	/* "ok", "truncated", "gone", "unavailable"; other: unknown */
	const char *argv;		/* raw, NUL-separated */
	size_t argv_len;
	bool has_parents;		/* false: the source cannot show them */
	unsigned int nr_parents;	/* nearest first */
	const struct od_parent *parents;
};

/* Everything not known. */
void victim_init(struct od_victim *v);
/*
 * The victim object's keys, in two parts so a command can add its own
 * between them: the scalars (pid, comm, uid, anon_rss_kb, file_rss_kb,
 * shmem_rss_kb, swap_kb, pgtables_kb, oom_score_adj, points), then where it
 * lives and who it was (cgroup, cgroup_truncated, container, cmdline,
 * cmdline_state, parents).  The caller opens and closes the object.
 */
void victim_json_scalars(struct json_writer *w, const struct od_victim *v);
void victim_json_where(struct json_writer *w, const struct od_victim *v);
/* KEY: {all of the above} */
void victim_json(struct json_writer *w, const char *key, const struct od_victim *v);
/*
 * The victim's cgroup and container, command line and parents for people,
 * one line each (only what the source can show), every line starting with
 * indent spaces and wrapped at OD_WIDTH: "cgroup PATH", "container
 * pod=... qos=...", "command line: a b c", "parents: bash (123) < ...".
 */
void victim_print_where(FILE *f, int indent, const struct od_victim *v);
/*
 * The OOM domain (the memory cgroup whose limit was hit, maybe a parent of
 * the victim's): KEY: {"cgroup", "cgroup_truncated", "container"}, its
 * cgroup null for a machine-wide OOM or when the source does not say.
 */
void domain_json(struct json_writer *w, const char *key, const char *cgroup, size_t len,
		 int truncated);
/* "LABEL PATH (cut by the source)" and its container on the next line. */
void cgroup_print(FILE *f, int indent, const char *label, const char *cgroup, size_t len,
		  int truncated);
/* "container: pod=... qos=... container=RUNTIME:ID unit=U" when @cgroup names one. */
void container_print(FILE *f, int indent, const char *cgroup);
/*
 * A module record's escaped list "PID:COMM,PID:COMM" (victim_parents
 * chain=) into parents; returns how many, at most max.
 */
unsigned int victim_parents_parse(const char *chain, struct od_parent *p, unsigned int max);
/* "\xHH" back to bytes (NUL too); returns the length, out NUL-terminated. */
size_t od_unhex(const char *s, size_t n, char *out, size_t len);
/* The arguments of a raw NUL-separated command line, one callback each. */
void argv_each(const char *argv, size_t len, void (*cb)(const char *a, size_t n, void *arg),
	       void *arg);

#endif
