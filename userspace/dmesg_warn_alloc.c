// SPDX-License-Identifier: GPL-2.0
/*
 * The allocation failure warnings: mm/page_alloc.c warn_alloc() (4.9+)
 * "COMM: page allocation failure: order:N, mode:0x..(names),
 * nodemask=..,cpuset=..,mems_allowed=..", warn_alloc_failed() (3.x) with
 * the same start, 2.6's "COMM: page allocation failure. order:N, mode:0x..",
 * the stall warning of 4.11-4.14 "COMM: page allocation stalls for Nms,
 * order:N, mode:0x..", and mm/vmalloc.c's own lines: "vmalloc: allocation
 * failure: N bytes" (3.x-5.x), "vmalloc: allocation failure, allocated N of
 * M bytes" (3.x), "vmalloc error: size N, REASON, mode:.." (5.13+).
 */
#include <string.h>
#include "dmesg_parsers.h"
#include "dmesg_text.h"

/* The vmalloc facts of one line into the given fields. */
void dmesg_vmalloc_facts(const char *at, long long *size, long long *allocated, char *reason,
			  size_t reason_len)
{
	const char *k;
	long long v;

	if ((k = strstr(at, "allocated ")) && dm_parse_ll(k + 10, &v, &k)) {
		*allocated = v;
		if (!strncmp(k, " of ", 4) && dm_parse_ll(k + 4, &v, NULL))
			*size = v;
	} else if ((k = strstr(at, "allocation failure: ")) && dm_parse_ll(k + 20, &v, NULL)) {
		*size = v;
	} else if ((k = strstr(at, "vmalloc error: size ")) && dm_parse_ll(k + 20, &v, &k)) {
		*size = v;
		if (*k == ',') {
			const char *e = strstr(k, ", mode:");

			k = dm_skip_sp(k + 1);
			if (!e)
				e = k + strlen(k);
			dm_copy_span(reason, reason_len, k, e);
		}
	}
}

void dmesg_alloc_header(struct lp_report *r, const char *msg, const char *at, bool vmalloc)
{
	const char *k;
	long long v;

	r->seen |= LP_SEEN_HEADER;
	/* "COMM: page allocation failure": at points at ": " */
	dm_copy_span(r->comm, sizeof(r->comm), msg, at);
	if ((k = strstr(at, "order:")) && dm_parse_ll(k + 6, &v, NULL))
		r->order = (int)v;
	if ((k = strstr(at, "mode:")))
		dmesg_parse_gfp(r, k + 5);
	if (vmalloc) {
		dmesg_vmalloc_facts(at, &r->vmalloc_size, &r->vmalloc_allocated, r->vmalloc_reason,
			      sizeof(r->vmalloc_reason));
		if ((k = strstr(at, "page order ")) && dm_parse_ll(k + 11, &v, NULL))
			r->order = (int)v;
	}
	dmesg_parse_mems(r, at);
}

void dmesg_stall_header(struct lp_report *r, const char *msg, const char *at)
{
	const char *k;
	long long v;

	r->seen |= LP_SEEN_HEADER;
	dm_copy_span(r->comm, sizeof(r->comm), msg, at);
	if ((k = strstr(at, "stalls for ")) && dm_parse_ll(k + 11, &v, NULL))
		r->stall_ms = v;
	if ((k = strstr(at, "order:")) && dm_parse_ll(k + 6, &v, NULL))
		r->order = (int)v;
	if ((k = strstr(at, "mode:")))
		dmesg_parse_gfp(r, k + 5);
	dmesg_parse_mems(r, at);
}
