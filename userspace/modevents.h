/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_MODEVENTS_H
#define OOMDIAG_MODEVENTS_H
/* The module's flight recorder file (debugfs "events"). */
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct od_event_list {
	size_t nr, cap;
	struct od_event *ev;
	/* "# oomdiag events v1 k=v ..." summary, if the file has one */
	int nsum;
	char sum_key[32][32];
	uint64_t sum_val[32];
	/* the header's abi=, -1 when it has none (a module before abi=) */
	int abi;
};

/* Parse a whole events file text. */
void modevents_parse(struct od_event_list *l, const char *text, size_t len,
		     const struct gfp_layout *layout);
/*
 * Read the module's events file; 0, or -errno.  -EPROTO: the module's
 * header says another ABI version than OOMDIAG_ABI_VERSION (l->abi), no
 * records kept; modevents_abi_error() says it.
 */
int modevents_read(struct od_event_list *l);
/* "oomdiag: failed to read events: module ABI N, ..." and a hint, on stderr. */
void modevents_abi_error(const struct od_event_list *l);
void modevents_free(struct od_event_list *l);
/* A summary counter, or -1 when absent. */
int64_t modevents_summary(const struct od_event_list *l, const char *key);

#endif
