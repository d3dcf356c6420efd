// SPDX-License-Identifier: GPL-2.0
/*
 * One schema for the JSON of a failure (issue 15): docs/event-schema.md's
 * tables, read by the checker of schema_check.h, validate the event
 * objects of module records and BPF events as events/trace print them and
 * explain --json over the report corpus; a renamed key, a changed type, a
 * missing key or broken JSON fail.  The guest's copy of the schema
 * (tests/unit/event-schema.md) must be this file.
 * With arguments: SCHEMA.md OBJECT [FILE...], the checker alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "event_model.h"
#include "gfp.h"
#include "tap.h"
#include "schema_check.h"

static const char *const recs[] = {
"seq=20 ts_ns=1 wall_ns=2 kind=alloc_fail cpu=3 context=task pid=4 tgid=5 comm=a\\x20b flags=silent|nowarn gfp=0x2800 gfp_names=GFP_NOWAIT|__GFP_NOWARN order=10 latency_ns=- nodemask_set=0 hook=mm_page_alloc after=pending\n"
"  zone node=0 zone=DMA32 free_pages=1 min_pages=2 low_pages=3 high_pages=4 free_cma_pages=5 managed_pages=6 free_blocks=1,2,3\n"
"  stack __alloc_pages+0x256/0x330\n",
"seq=21 ts_ns=1 wall_ns=0 kind=warn_alloc cpu=0 context=softirq pid=0 tgid=0 comm=- flags=- gfp=0xa20 gfp_names=GFP_ATOMIC order=3 latency_ns=- nodemask_set=1 hook=warn_alloc after=done\n"
"  after delay_ns=5 truncated=0\n",
"seq=22 ts_ns=1 wall_ns=0 kind=slow_alloc cpu=0 context=irq pid=7 tgid=7 comm=x flags=costly gfp=0xcc0 gfp_names=GFP_KERNEL order=3 latency_ns=150000000 nodemask_set=0 hook=slowpath after=-\n",
"seq=23 ts_ns=1 wall_ns=0 kind=oom_kill cpu=0 context=task pid=96 tgid=96 comm=hog flags=snapshot victim_pid=96 victim_uid=0 victim_comm=hog anon_rss_kb=45084 file_rss_kb=4 shmem_rss_kb=648 swap_kb=0 pgtables_kb=124 points=11465 totalpages=500000 oom_score_adj=0 constraint=memcg gfp=0xcc0 gfp_names=GFP_KERNEL order=0 memcg=/kubepods.slice/kubepods-besteffort.slice victim_memcg=/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0e2c1f7a_5b3d_4c8e_9f10_2a3b4c5d6e7f.slice/docker-0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e.scope hook=oom_kill_process after=-\n"
"  ledger domain=memcg constraint=memcg totalpages=500000 walked=40 candidates=30 exempt=- \n"
"  candidate rank=1 pid=96 comm=hog anon_pages=11271 file_pages=1 shmem_pages=162 swap_pages=0 pgtables_pages=31 oom_score_adj=0 adj_points=0 points=11465 origin=0 exempt=- victim=1\n"
"  candidate rank=- pid=200 comm=db anon_pages=9 file_pages=1 shmem_pages=0 swap_pages=5 pgtables_pages=2 oom_score_adj=-1000 adj_points=- points=- origin=0 exempt=adj_min victim=0\n"
"  victim_cmdline state=ok bytes=10 argv=hog\\x00-m\\x0012\\x00\n"
"  victim_parents chain=123:bash,1:systemd\n"
"  zone node=0 zone=Normal free_pages=300 min_pages=366 low_pages=457 high_pages=548 free_cma_pages=0 managed_pages=43738 free_blocks=6,6,5,6,8,7,5,0,0,0,0\n",
"seq=27 ts_ns=1 wall_ns=0 kind=oom_victim cpu=0 context=task pid=96 tgid=96 comm=hog flags=group_kill victim_pid=97 victim_uid=0 victim_comm=hog2 anon_rss_kb=1 file_rss_kb=2 shmem_rss_kb=3 swap_kb=4 pgtables_kb=5 points=- totalpages=- oom_score_adj=0 constraint=- memcg=- victim_memcg=- hook=mark_victim after=-\n",
"seq=28 ts_ns=1 wall_ns=0 kind=vm_refused cpu=0 context=task pid=400 tgid=400 comm=big flags=silent reason=overcommit pages=262144 committed_as_pages=70000 commit_limit_pages=- overcommit_mode=- overcommit_ratio=- overcommit_kbytes=- hook=__vm_enough_memory after=pending\n",
"seq=30 ts_ns=1 wall_ns=0 kind=vm_refused cpu=0 context=task pid=400 tgid=400 comm=big flags=silent reason=rlimit_data pages=1 commit_limit_pages=- overcommit_mode=- overcommit_ratio=- overcommit_kbytes=- limit=unlimited current=5 hook=x after=-\n",
"seq=33 ts_ns=1 wall_ns=0 kind=unknown cpu=0 context=task pid=1 tgid=1 comm=q flags=- hook=x after=-\n",
};

static char *schema_path(const char *rel)
{
	static char buf[2][4096];
	static int k;
	const char *src = getenv("OOMDIAG_SRC");
	char *b = buf[k++ & 1];

	snprintf(b, sizeof(buf[0]), "%s/%s", src && *src ? src : ".", rel);
	return b;
}

/* every record as events prints it: JSON, JSON with causes */
static char *events_json(const struct gfp_layout *g, bool bpf)
{
	static struct od_event e;
	struct od_style st = { .json = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		if (event_parse_module_record(recs[i], strlen(recs[i]), &e, g))
			continue;
		if (bpf) {
			/* what a BPF event has: no ledger, command line, parents, extra keys */
			snprintf(e.source, sizeof(e.source), "bpf");
			memset(&e.ledger, 0, sizeof(e.ledger));
			e.has_cmdline = e.has_parents = false;
			e.extra[0] = e.after[0] = 0;
		}
		event_render(f, &e, false, false, &st);
		event_render(f, &e, false, true, &st);
	}
	fclose(f);
	return buf;
}

static int check(const struct schema *sc, const char *obj, const char *text, const char *what,
		 int *cnt)
{
	return schema_check_text(sc, obj, text, strlen(text), what, stdout, cnt);
}

/* text with the first "from" replaced by "to" */
static char *mutate(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	char *out;

	if (!p)
		return NULL;
	out = malloc(strlen(text) + strlen(to) + 1);
	sprintf(out, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
	return out;
}

static void mutations(const struct schema *sc, const char *good)
{
	static const struct { const char *from, *to, *what; } m[] = {
		{ "\"points\":11465", "\"point\":11465", "a victim key renamed (points -> point)" },
		{ "\"pid\":96,\"comm\":\"hog\"", "\"pid\":\"96\",\"comm\":\"hog\"",
		  "a type changed (victim pid as a string)" },
		{ "\"cgroup_truncated\":false,", "", "an always key removed (cgroup_truncated)" },
		{ "\"cmdline\":[\"hog\"", "\"cmdline\":[96", "an element of the wrong type (cmdline)" },
		{ "\"container\":{\"unit\":", "\"container\":{\"pod\":1,\"unit\":",
		  "an unknown key in a nested object (container.pod)" },
		{ "\"kind\":\"oom_kill\",", "\"kind\":\"oom_kill\",,", "not JSON (a double comma)" },
		{ "\"ts_ns\":1,", "\"ts_ns\":1.5,", "a fraction where an integer is due" },
	};
	int cnt;

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		char *bad = mutate(good, m[i].from, m[i].to);

		if (!bad) {
			ok(0, "mutation: '%s' found in the output to break it", m[i].from);
			continue;
		}
		ok(schema_check_text(sc, "event", bad, strlen(bad), "mutated", NULL, &cnt) > 0,
		   "fails: %s", m[i].what);
		free(bad);
	}
}

static bool same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
	size_t la = 0, lb = 0;
	char *ta, *tb;
	bool same;

	if (!fa || !fb) {
		if (fa)
			fclose(fa);
		if (fb)
			fclose(fb);
		return false;
	}
	ta = slurp(fa, &la);
	tb = slurp(fb, &lb);
	fclose(fa);
	fclose(fb);
	same = la == lb && !memcmp(ta, tb, la);
	free(ta);
	free(tb);
	return same;
}

int main(int argc, char **argv)
{
	static struct schema sc, sc2;
	const struct gfp_layout *g = gfp_layout_for_version("6.1");
	const char *bin = getenv("OOMDIAG");
	char *mod, *bpf, *line;
	int cnt = 0, errs;

	if (argc > 1)
		return schema_check_main(argc, argv);
	if (schema_load(&sc, schema_path("docs/event-schema.md"))) {
		ok(0, "%s (set OOMDIAG_SRC to the source tree)", sc.err);
		printf("1..%d\n", n);
		return 1;
	}
	ok(sc.n > 100 && schema_has_object(&sc, "event") && schema_has_object(&sc, "victim") &&
	   schema_has_object(&sc, "report"), "docs/event-schema.md: %zu keys in its tables", sc.n);
	ok(same_file(schema_path("docs/event-schema.md"), schema_path("tests/unit/event-schema.md")),
	   "the guest's copy tests/unit/event-schema.md is docs/event-schema.md");

	mod = events_json(g, false);
	errs = check(&sc, "event", mod, "module", &cnt);
	ok(!errs && cnt == 16, "module records of every kind as events prints them (%d objects, "
	   "with and without causes): valid (%d errors)", cnt, errs);
	bpf = events_json(g, true);
	errs = check(&sc, "event", bpf, "bpf", &cnt);
	ok(!errs && cnt == 16, "the same as BPF events (no ledger, cmdline, parents): valid (%d errors)",
	   errs);

	/* the module's oom_kill line, broken key by key */
	line = strstr(mod, "{\"source\":\"module\",\"seq\":23,");
	if (line)
		line = strndup(line, strcspn(line, "\n"));
	ok(line && !check(&sc, "event", line, "oom_kill", &cnt) && cnt == 1,
	   "the oom_kill object alone is valid");
	if (line)
		mutations(&sc, line);

	/* the schema binds the output: a type changed in the table fails the same output */
	sc2 = sc;
	for (size_t i = 0; i < sc2.n; i++)
		if (!strcmp(sc2.k[i].obj, "victim") && !strcmp(sc2.k[i].key, "points"))
			snprintf(sc2.k[i].type, sizeof(sc2.k[i].type), "string or null");
	ok(line && schema_check_text(&sc2, "event", line, strlen(line), "schema", NULL, &cnt) > 0,
	   "fails against a schema whose victim.points is a string");
	free(line);
	free(mod);
	free(bpf);

	/* dmesg: explain --json over the report corpus */
	if (bin && *bin) {
		char cmd[8192];
		FILE *p;
		size_t len;
		char *text;

		snprintf(cmd, sizeof(cmd), "cat '%s'/tests/data/reports/*.log | '%s' explain --json -",
			 getenv("OOMDIAG_SRC") ? getenv("OOMDIAG_SRC") : ".", bin);
		p = popen(cmd, "r");
		text = p ? slurp(p, &len) : NULL;
		if (p)
			pclose(p);
		errs = text ? schema_check_text(&sc, "explain", text, len, "explain", stdout, &cnt) : 1;
		ok(text && !errs && cnt == 1, "explain --json over the corpus: valid (%d errors)", errs);
		if (text && (line = mutate(text, "\"task_memcg\":", "\"task_cgroup\":"))) {
			ok(schema_check_text(&sc, "explain", line, strlen(line), "x", NULL, &cnt) > 0,
			   "fails: a report key renamed (task_memcg -> task_cgroup)");
			free(line);
		} else {
			ok(0, "task_memcg in explain's output");
		}
		free(text);
	} else {
		printf("ok %d - explain --json # SKIP OOMDIAG (the binary) not set\n", ++n);
		printf("ok %d - explain mutation # SKIP OOMDIAG not set\n", ++n);
	}
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
