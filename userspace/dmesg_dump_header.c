// SPDX-License-Identifier: GPL-2.0
/*
 * mm/oom_kill.c dump_header() and the lines every report starts with:
 * "COMM invoked oom-killer: gfp_mask=0x..(names), [nodemask=..,] order=N,
 * oom_score_adj=N" (oom_adj= and oomkilladj= before 2.6.36), the cpuset
 * line "COMM cpuset=/ mems_allowed=0" (before 4.19) and dump_stack()'s
 * "CPU: N PID: N Comm: x Not tainted 6.1.0 #1" ("Pid: N, comm: x" on
 * 2.6/3.x).  The gfp and node-mask fields are shared with warn_alloc().
 */
#include <ctype.h>
#include <string.h>
#include "dmesg_parsers.h"
#include "dmesg_text.h"

void dmesg_parse_gfp(struct lp_report *r, const char *v)
{
	const char *e;

	if (!dm_parse_hex(v, &r->gfp_mask, &e))
		return;
	r->has_gfp = true;
	if (*e == '(') {
		const char *c = strchr(e, ')');

		if (c)
			dm_copy_span(r->gfp_names, sizeof(r->gfp_names), e + 1, c);
	}
}

/* A value that ends at a space or at a ',' starting the next key. */
static void key_val(const char *k, char *dst, size_t n)
{
	const char *e = k;

	while (*e && *e != ' ' && !(*e == ',' && !isdigit((unsigned char)e[1])))
		e++;
	dm_copy_span(dst, n, k, e);
}

void dmesg_parse_mems(struct lp_report *r, const char *msg)
{
	const char *k;

	if ((k = strstr(msg, "nodemask=")))
		key_val(k + 9, r->nodemask, sizeof(r->nodemask));
	if ((k = strstr(msg, "cpuset=")))
		key_val(k + 7, r->cpuset, sizeof(r->cpuset));
	if ((k = strstr(msg, "mems_allowed=")))
		key_val(k + 13, r->mems_allowed, sizeof(r->mems_allowed));
}

void dmesg_oom_header(struct lp_report *r, const char *msg, const char *at)
{
	const char *k;
	long long v;

	r->seen |= LP_SEEN_HEADER;
	dm_copy_span(r->comm, sizeof(r->comm), msg, at);
	if ((k = strstr(at, "gfp_mask=")))
		dmesg_parse_gfp(r, k + 9);
	if (dm_tok_num(at, "order=", &v))
		r->order = (int)v;
	if (dm_tok_num(at, "oom_score_adj=", &v))
		r->task_oom_score_adj = (int)v;
	else if (dm_tok_num(at, "oomkilladj=", &v) || dm_tok_num(at, "oom_adj=", &v))
		r->task_oom_score_adj = LP_ADJ_UNKNOWN;
	dmesg_parse_mems(r, at);
}

void dmesg_cpu_line(struct lp_report *r, const char *msg)
{
	const char *k;
	long long v;

	if (r->pid < 0) {
		if ((k = strstr(msg, "PID: ")) && dm_parse_ll(k + 5, &v, NULL))
			r->pid = (int)v;
		else if (dm_starts(msg, "Pid: ") && dm_parse_ll(msg + 5, &v, NULL))
			r->pid = (int)v;
	}
	if (!r->comm[0]) {
		if ((k = strstr(msg, "Comm: ")) || (k = strstr(msg, "comm: "))) {
			k += 6;
			dm_copy_span(r->comm, sizeof(r->comm), k,
				  k + strcspn(k, " "));
		}
	}
	k = strstr(msg, "ainted");
	if (k && !r->kernel[0]) {
		/* the first token after the taint flags that looks like a version */
		const char *t = k + 6;

		while (*t) {
			const char *e;

			t = dm_skip_sp(t);
			e = t + strcspn(t, " ");
			if (isdigit((unsigned char)*t) && memchr(t, '.', (size_t)(e - t)) &&
			    isdigit((unsigned char)t[strcspn(t, ".") + 1])) {
				dm_copy_span(r->kernel, sizeof(r->kernel), t, e);
				break;
			}
			if (*t == '#')
				break;
			t = e;
		}
	}
	r->seen |= LP_SEEN_CPU;
}
