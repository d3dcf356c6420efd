/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_TOP_H
#define OOMDIAG_TOP_H
#include "json.h"
#include "tasks.h"
#include "util.h"

void top_print_table(const struct od_tasks *ts, int n, bool all, const struct od_style *st);
const struct od_task *top_victim(const struct od_tasks *ts);
void top_json_task(struct json_writer *w, const struct od_task *t);
/* "container": {unit, runtime, id, pod_uid, qos} named by @memcg, or null. */
void top_json_container(struct json_writer *w, const char *memcg);
/* "cgroup PATH, pod=... container=..." for one line of text. */
const char *top_task_where(const struct od_task *t, char *buf, size_t len);
#endif
