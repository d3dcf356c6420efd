// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the event reader (userspace/event.c): module "events"
 * records in the format module/recorder.c prints, parsed into struct
 * od_event and rendered for people and as JSON.  TAP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "modevents.h"

#include "tap.h"

static const char file[] =
"# oomdiag events v1 records=3 first_seq=7 next_seq=10 ring_size=256 lost=2 dropped=1 armed=1 hooks=5\n"
"seq=7 ts_ns=5000000000 wall_ns=1763788800123000000 kind=warn_alloc cpu=1 context=softirq "
"pid=0 tgid=0 comm=swapper/1 flags=silent|nowarn|snapshot gfp=0xa20 gfp_names=GFP_ATOMIC "
"order=3 latency_ns=- nodemask_set=0 hook=warn_alloc after=done\n"
"  zone node=0 zone=DMA32 free_pages=1200 min_pages=1000 low_pages=1250 high_pages=1500 "
"free_cma_pages=0 managed_pages=60000 free_blocks=800,150,25,0,0,0,0,0,0,0,0\n"
"  zone node=0 zone=Normal free_pages=50 min_pages=100 low_pages=125 high_pages=150 "
"free_cma_pages=0 managed_pages=2000 free_blocks=50,0,0,0,0,0,0,0,0,0,0\n"
"  stack warn_alloc+0x5a/0x140\n"
"  stack __alloc_pages_slowpath.constprop.0+0xb4c/0xc00\n"
"  after delay_ns=120000 truncated=0\n"
"  after_zone node=0 zone=DMA32 Unmovable=1,2\n"
"seq=8 ts_ns=6000000000 wall_ns=0 kind=oom_kill cpu=0 context=task pid=321 tgid=321 "
"comm=my\\x20hog flags=- victim_pid=321 victim_uid=1000 victim_comm=my\\x20hog "
"anon_rss_kb=180000 file_rss_kb=1200 shmem_rss_kb=0 swap_kb=0 pgtables_kb=400 "
"points=45600 totalpages=65536 oom_score_adj=900 constraint=memcg gfp=0x140cca "
"gfp_names=GFP_HIGHUSER_MOVABLE|__GFP_COMP order=0 memcg=/test victim_memcg=/test "
"newkey=42 hook=oom_kill_process after=-\n"
"seq=9 ts_ns=7000000000 wall_ns=0 kind=vm_refused cpu=0 context=task pid=400 tgid=400 "
"comm=bigmalloc flags=silent reason=overcommit pages=262144 committed_as_pages=70000 "
"commit_limit_pages=65000 overcommit_mode=2 overcommit_ratio=50 overcommit_kbytes=0 "
"hook=__vm_enough_memory after=done\n";

static char *capture(void (*fn)(FILE *, const struct od_event *, bool), const struct od_event *e,
		     bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, e, color);
	fclose(f);
	return buf;
}

static void json_fn(FILE *f, const struct od_event *e, bool color)
{
	(void)color;
	event_print_json(f, e);
}

int main(void)
{
	struct od_event_list l;
	const struct gfp_layout *g = gfp_layout_for_version("6.1");
	char *s;
	struct od_event e;

	modevents_parse(&l, file, strlen(file), g);
	ok(l.nr == 3, "3 records parsed (%zu)", l.nr);
	ok(modevents_summary(&l, "lost") == 2 && modevents_summary(&l, "dropped") == 1,
	   "summary counters lost=2 dropped=1");
	if (l.nr != 3)
		goto out;

	/* warn_alloc */
	ok(l.ev[0].ev.kind == OOMDIAG_KIND_WARN_ALLOC && l.ev[0].ev.seq == 7 &&
	   l.ev[0].ev.context == OOMDIAG_CTX_SOFTIRQ && l.ev[0].ev.cpu == 1,
	   "warn_alloc: kind, seq, context, cpu");
	ok(l.ev[0].ev.alloc.gfp == 0xa20 && l.ev[0].ev.alloc.order == 3 &&
	   !strcmp(l.ev[0].gfp_text, "GFP_ATOMIC") && l.ev[0].gfp_from_kernel,
	   "warn_alloc: gfp, order, the kernel's gfp_names");
	ok(l.ev[0].ev.flags == (OOMDIAG_F_SILENT | OOMDIAG_F_NOWARN | OOMDIAG_F_SNAPSHOT),
	   "flags by name");
	ok(l.ev[0].ev.nr_zones == 2 && l.ev[0].ev.zones[0].free_blocks[1] == 150 &&
	   l.ev[0].ev.zones[0].nr_orders == 11 && l.ev[0].ev.zones[1].min_pages == 100 &&
	   !strcmp(l.ev[0].ev.zones[1].name, "Normal"), "zone snapshot lines");
	ok(l.ev[0].nstack_sym == 2 && !strcmp(l.ev[0].stack_sym[0], "warn_alloc+0x5a/0x140"),
	   "stack lines");
	ok(!strcmp(l.ev[0].after, "delay_ns=120000 truncated=0"), "after line kept");

	/* oom_kill */
	ok(l.ev[1].ev.kind == OOMDIAG_KIND_OOM_KILL && l.ev[1].ev.oom.victim_pid == 321 &&
	   !strcmp(l.ev[1].ev.oom.victim_comm, "my hog") && !strcmp(l.ev[1].ev.comm, "my hog"),
	   "oom_kill: victim, \\x20 unescaped");
	ok(l.ev[1].ev.oom.anon_rss_kb == 180000 && l.ev[1].ev.oom.oom_score_adj == 900 &&
	   l.ev[1].ev.oom.points == 45600 && l.ev[1].ev.oom.constraint == OOMDIAG_CONSTRAINT_MEMCG &&
	   l.ev[1].ev.oom.gfp == 0x140cca && l.ev[1].ev.oom.order == 0 &&
	   !strcmp(l.ev[1].ev.oom.memcg, "/test"), "oom_kill: rss, adj, points, constraint, memcg");
	ok(strstr(l.ev[1].extra, "newkey=42") != NULL, "unknown keys kept in extra");

	/* vm_refused */
	ok(l.ev[2].ev.kind == OOMDIAG_KIND_VM_REFUSED &&
	   l.ev[2].ev.vm.reason == OOMDIAG_VM_OVERCOMMIT && l.ev[2].ev.vm.pages == 262144 &&
	   l.ev[2].ev.vm.commit_limit_pages == 65000 && l.ev[2].ev.vm.overcommit_mode == 2,
	   "vm_refused: reason, pages, commit limit, mode");

	/* rendering */
	s = capture(event_print_human, &l.ev[0], false);
	ok(strstr(s, "warn_alloc") && strstr(s, "order 3") && strstr(s, "gfp 0xa20(GFP_ATOMIC)") &&
	   strstr(s, "[module]") && strstr(s, "2025-11-22") && !strchr(s, '\033'),
	   "human: one line with kind, order, gfp, source, time; no colour");
	{
		int lines = 0, wide = 0;
		const char *p = s;

		while (*p) {
			size_t len = strcspn(p, "\n");

			lines++;
			wide += len > 100;
			p += len + (p[len] == '\n');
		}
		ok(lines >= 5 && !wide, "human: %d lines, all within 100 columns", lines);
	}
	free(s);
	s = capture(event_print_human, &l.ev[1], true);
	ok(strchr(s, '\033') != NULL && strstr(s, "killed") && strstr(s, "my hog"),
	   "human with colour: escape codes, victim");
	free(s);
	s = capture(json_fn, &l.ev[1], false);
	ok(!strncmp(s, "{\"source\":\"module\",\"seq\":8,\"kind\":\"oom_kill\"",
		     strlen("{\"source\":\"module\",\"seq\":8,\"kind\":\"oom_kill\"")) &&
	   strstr(s, "\"gfp\":{\"mask\":\"0x140cca\",\"flags\":[\"GFP_HIGHUSER_MOVABLE\",\"__GFP_COMP\"]}") &&
	   strstr(s, "\"victim\":{\"pid\":321,\"comm\":\"my hog\"") &&
	   strstr(s, "\"constraint\":\"memcg\"") && s[strlen(s) - 1] == '\n' &&
	   !strchr(s, '\033') && strchr(s, '\n') == s + strlen(s) - 1,
	   "JSON: one line, schema keys");
	free(s);
	s = capture(json_fn, &l.ev[0], false);
	ok(strstr(s, "\"zones\":[{\"node\":0,\"name\":\"DMA32\",\"free_kb\":4800,\"min_kb\":4000") &&
	   strstr(s, "\"free_blocks\":[800,150,25,0,0,0,0,0,0,0,0],\"highest_free_order\":2") &&
	   strstr(s, "\"stack\":[\"warn_alloc+0x5a/0x140\""), "JSON: zones in kB, stack");
	free(s);

	/* malformed input never crashes and is refused */
	ok(event_parse_module_record("junk", 4, &e, g) == -1, "not a record: -1");
	ok(event_parse_module_record("seq=", 4, &e, g) == 0 && e.ev.kind == 0, "bare seq= parses");
	ok(event_parse_module_record("seq=1 kind=999 gfp=zz order=-", 29, &e, g) == 0 &&
	   !strcmp(event_kind_name(e.ev.kind), "unknown"), "unknown kind survives");
	modevents_free(&l);
out:
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
