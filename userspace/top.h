/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_TOP_H
#define OOMDIAG_TOP_H
#include "json.h"
#include "tasks.h"
#include "util.h"

void top_print_table(const struct od_tasks *ts, int n, bool all, const struct od_style *st);
const struct od_task *top_victim(const struct od_tasks *ts);
void top_json_task(struct json_writer *w, const struct od_task *t);
#endif
