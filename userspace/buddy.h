/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_BUDDY_H
#define OOMDIAG_BUDDY_H
#include "json.h"
#include "sysmem.h"
#include "util.h"

void buddy_bar(const struct od_zone *z, char *bar, size_t width);
void buddy_print(const struct od_zones *zs, const struct od_zones *prev, const struct od_style *st);
void buddy_json_zones(struct json_writer *w, const struct od_zones *zs);
#endif
