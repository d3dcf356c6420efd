// SPDX-License-Identifier: GPL-2.0
/*
 * Ratelimit notices: lib/ratelimit.c "FUNC: N callbacks suppressed" (the
 * function says whose reports were dropped: warn_alloc, oom_kill_process,
 * dump_header, ...) and 2.6's printk_ratelimit() "printk: N messages
 * suppressed."  Counted until the next report, which they precede.
 */
#include <string.h>
#include "dmesg_parsers.h"
#include "dmesg_text.h"

void dmesg_suppressed(const char *msg, struct dmesg_suppressed *s)
{
	const char *k = strstr(msg, " callbacks suppressed");
	const char *m = strstr(msg, " messages suppressed");
	const char *c, *num;
	long long v;

	if (!k && !m)
		return;
	c = strstr(msg, ": ");
	if (!c)
		return;
	num = c + 2;
	if (!dm_parse_ll(num, &v, NULL) || v < 0)
		return;
	if (m) {
		/* "printk: N messages suppressed." (printk_ratelimit, 2.6) */
		if (dm_starts(msg, "printk"))
			s->other += v;
		return;
	}
#define FN(s) ((size_t)(c - msg) == strlen(s) && !strncmp(msg, s, strlen(s)))
	if (FN("warn_alloc") || FN("warn_alloc_failed") || FN("warn_alloc_show_mem") ||
	    FN("__alloc_pages_slowpath") || FN("__alloc_pages_nodemask") ||
	    FN("__vmalloc_node_range") || FN("__vmalloc_area_node"))
		s->warn_alloc += v;
	else if (FN("oom_kill_process") || FN("dump_header") || FN("out_of_memory") ||
		 FN("mem_cgroup_out_of_memory"))
		s->oom += v;
	else if (FN("__ratelimit"))
		s->other += v;
#undef FN
}
