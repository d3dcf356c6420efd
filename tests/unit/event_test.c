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

/*
 * Records of every kind, reason, context, constraint and flag, with '-'
 * (not known) wherever the module can print it, an escaped comm, a kill
 * ledger, the worker's after and after_zone lines.
 */
static const char *const kinds[] = {
"seq=20 ts_ns=1 wall_ns=2 kind=alloc_fail cpu=3 context=task pid=4 tgid=5 comm=a\\x5cb\\x20c flags=silent|nowarn|ratelimited|group_kill|current|snapshot|costly|path_truncated gfp=0x2800 gfp_names=GFP_NOWAIT|__GFP_NOWARN order=- latency_ns=- nodemask_set=- hook=mm_page_alloc after=pending\n"
"  zone node=0 zone=DMA32 free_pages=1 min_pages=2 low_pages=3 high_pages=4 free_cma_pages=5 managed_pages=6 free_blocks=1,2,3\n"
"  stack ?\n"
"  stack __alloc_pages+0x256/0x330\n",
"seq=21 ts_ns=1 wall_ns=0 kind=warn_alloc cpu=0 context=softirq pid=0 tgid=0 comm=- flags=- gfp=0 gfp_names=- order=0 latency_ns=- nodemask_set=1 hook=warn_alloc after=done\n"
"  after delay_ns=5 truncated=0\n"
"  after_zone node=0 zone=DMA Unmovable=1,2 Movable=3,4\n"
"  after_zone node=0 zone=DMA32 Unmovable=5,6 Movable=7,8\n",
"seq=22 ts_ns=1 wall_ns=0 kind=slow_alloc cpu=0 context=irq pid=7 tgid=7 comm=x flags=costly gfp=0xcc0 gfp_names=GFP_KERNEL order=3 latency_ns=150000000 nodemask_set=0 hook=slowpath after=-\n",
"seq=23 ts_ns=1 wall_ns=0 kind=oom_kill cpu=0 context=nmi pid=96 tgid=96 comm=hog flags=snapshot victim_pid=96 victim_uid=0 victim_comm=hog anon_rss_kb=45084 file_rss_kb=4 shmem_rss_kb=648 swap_kb=0 pgtables_kb=124 points=-5 totalpages=500000 oom_score_adj=-1000 constraint=cpuset gfp=0xcc0 gfp_names=GFP_KERNEL order=- memcg=- victim_memcg=/a\\x20b newkey=42 hook=oom_kill_process after=-\n"
"  ledger domain=all constraint=cpuset totalpages=500000 walked=40 candidates=30 exempt=- nodes=unchecked cmdline_ok=1 newkey=x\n"
"  candidate rank=1 pid=96 comm=hog anon_pages=11271 file_pages=1 shmem_pages=162 swap_pages=0 pgtables_pages=31 oom_score_adj=0 adj_points=0 points=11465 origin=0 exempt=- victim=1\n"
"  candidate rank=- pid=200 comm=big\\x20db anon_pages=90000 file_pages=100 shmem_pages=0 swap_pages=5000 pgtables_pages=200 oom_score_adj=-1000 adj_points=- points=- origin=0 exempt=adj_min victim=0\n"
"  victim_cmdline state=ok bytes=14 argv=hog\\x00-m\\x0012\\x00a\\x20b\\x00\n"
"  victim_parents chain=123:bash,100:ss\\x2chd\\x3a,1:systemd\n"
"  zone node=1 zone=Normal free_pages=300 min_pages=366 low_pages=457 high_pages=548 free_cma_pages=0 managed_pages=43738 free_blocks=6,6,5,6,8,7,5,0,0,0,0\n",
"seq=24 ts_ns=1 wall_ns=0 kind=oom_kill cpu=0 context=unknown pid=1 tgid=1 comm=m flags=- victim_pid=2 victim_uid=3 victim_comm=v anon_rss_kb=1 file_rss_kb=2 shmem_rss_kb=3 swap_kb=4 pgtables_kb=5 points=6 totalpages=7 oom_score_adj=8 constraint=memory_policy gfp=0x1 gfp_names=__GFP_DMA order=2 memcg=/m victim_memcg=/m hook=x after=-\n"
"  victim_cmdline state=pending bytes=- argv=\n"
"  victim_parents chain=\n",
"seq=25 ts_ns=1 wall_ns=0 kind=oom_kill cpu=0 context=task pid=1 tgid=1 comm=m flags=- victim_pid=2 victim_uid=3 victim_comm=v anon_rss_kb=1 file_rss_kb=2 shmem_rss_kb=3 swap_kb=4 pgtables_kb=5 points=6 totalpages=7 oom_score_adj=8 constraint=memcg gfp=0x1 gfp_names=__GFP_DMA order=2 memcg=/m victim_memcg=/m hook=x after=-\n",
"seq=26 ts_ns=1 wall_ns=0 kind=oom_kill cpu=0 context=task pid=1 tgid=1 comm=m flags=- victim_pid=2 victim_uid=3 victim_comm=v anon_rss_kb=1 file_rss_kb=2 shmem_rss_kb=3 swap_kb=4 pgtables_kb=5 points=6 totalpages=7 oom_score_adj=8 constraint=none gfp=0x1 gfp_names=__GFP_DMA order=2 memcg=/m victim_memcg=/m hook=x after=-\n",
"seq=27 ts_ns=1 wall_ns=0 kind=oom_victim cpu=0 context=task pid=96 tgid=96 comm=hog flags=group_kill victim_pid=97 victim_uid=0 victim_comm=hog2 anon_rss_kb=1 file_rss_kb=2 shmem_rss_kb=3 swap_kb=4 pgtables_kb=5 points=- totalpages=- oom_score_adj=0 constraint=- memcg=- victim_memcg=- hook=mark_victim after=-\n",
"seq=28 ts_ns=1 wall_ns=0 kind=vm_refused cpu=0 context=task pid=400 tgid=400 comm=big flags=silent reason=overcommit pages=262144 committed_as_pages=70000 commit_limit_pages=- overcommit_mode=- overcommit_ratio=- overcommit_kbytes=- hook=__vm_enough_memory after=pending\n",
"seq=29 ts_ns=1 wall_ns=0 kind=vm_refused cpu=0 context=task pid=400 tgid=400 comm=big flags=silent reason=rlimit_as pages=1 commit_limit_pages=65000 overcommit_mode=2 overcommit_ratio=50 overcommit_kbytes=0 limit=104857600 current=20000 hook=may_expand_vm after=done\n"
"  after delay_ns=9 max_map_count=65530\n",
"seq=30 ts_ns=1 wall_ns=0 kind=vm_refused cpu=0 context=task pid=400 tgid=400 comm=big flags=silent reason=rlimit_data pages=1 commit_limit_pages=- overcommit_mode=- overcommit_ratio=- overcommit_kbytes=- limit=unlimited current=5 hook=x after=-\n",
"seq=31 ts_ns=1 wall_ns=0 kind=vm_refused cpu=0 context=task pid=400 tgid=400 comm=big flags=silent reason=max_map_count pages=1 commit_limit_pages=- overcommit_mode=- overcommit_ratio=- overcommit_kbytes=- limit=65530 current=65530 hook=x after=-\n",
"seq=32 ts_ns=1 wall_ns=0 kind=vm_refused cpu=0 context=task pid=400 tgid=400 comm=big flags=silent reason=other pages=16384 commit_limit_pages=- overcommit_mode=- overcommit_ratio=- overcommit_kbytes=- limit=- current=12 hook=x after=-\n",
"seq=33 ts_ns=1 wall_ns=0 kind=unknown cpu=0 context=task pid=1 tgid=1 comm=q flags=- hook=x after=-\n",
};

/* event_write_record() of e into a new string */
static char *written(const struct od_event *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	event_write_record(f, e);
	fclose(f);
	return buf;
}

/* The writer: module text -> parse -> write is the module's text; write -> parse -> write is stable. */
static void roundtrip(const struct gfp_layout *g)
{
	static struct od_event e, e2;
	size_t nk = sizeof(kinds) / sizeof(kinds[0]);
	int same = 0, stable = 0, seen = 0;
	char *w1, *w2;

	for (size_t i = 0; i < nk; i++) {
		if (event_parse_module_record(kinds[i], strlen(kinds[i]), &e, g))
			continue;
		w1 = written(&e);
		if (!strcmp(w1, kinds[i]))
			same++;
		else
			printf("# module text:\n# %s# written:\n# %s", kinds[i], w1);
		event_parse_module_record(w1, strlen(w1), &e2, g);
		w2 = written(&e2);
		if (!strcmp(w1, w2) && e.unknown == e2.unknown && e.ev.kind == e2.ev.kind &&
		    !memcmp(&e.ev, &e2.ev, sizeof(e.ev)) && !memcmp(&e.ledger, &e2.ledger, sizeof(e.ledger)) &&
		    e.argv_len == e2.argv_len && !memcmp(e.argv, e2.argv, e.argv_len) &&
		    e.nr_parents == e2.nr_parents &&
		    !memcmp(e.parents, e2.parents, sizeof(e.parents[0]) * e.nr_parents))
			stable++;
		seen |= 1 << e.ev.kind;
		free(w1);
		free(w2);
	}
	ok(same == (int)nk, "write(parse(module text)) is the module's text: %d of %zu records", same, nk);
	ok(stable == (int)nk, "write(parse(write)) = write, the same event parsed back: %d of %zu",
	   stable, nk);
	ok(seen == 0x7f, "every kind and an unknown one written (0x%x)", seen);

	/* the seed file of the fuzzer, as the module printed it */
	{
		struct od_event_list l;
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		const char *body = strchr(file, '\n') + 1;

		modevents_parse(&l, file, strlen(file), g);
		for (size_t i = 0; i < l.nr; i++)
			event_write_record(f, &l.ev[i]);
		fclose(f);
		ok(!strcmp(buf, body), "the events file's records written back byte for byte");
		free(buf);
		modevents_free(&l);
	}

	/* a BPF event: every field known, none of the module's keys */
	memset(&e, 0, sizeof(e));
	e.ev.seq = 5;
	e.ev.kind = OOMDIAG_KIND_VM_REFUSED;
	e.ev.vm.reason = OOMDIAG_VM_OVERCOMMIT;
	e.ev.vm.pages = 10;
	snprintf(e.ev.comm, sizeof(e.ev.comm), "t a");
	w1 = written(&e);
	ok(!strcmp(w1, "seq=5 ts_ns=0 wall_ns=0 kind=vm_refused cpu=0 context=task pid=0 tgid=0 "
		       "comm=t\\x20a flags=- reason=overcommit pages=10 committed_as_pages=0 "
		       "commit_limit_pages=0 overcommit_mode=0 overcommit_ratio=0 overcommit_kbytes=0\n"),
	   "a BPF vm_refused in the module's key order: %s", w1);
	free(w1);
}

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

static bool has(const char *s, const char *what)
{
	if (strstr(s, what))
		return true;
	printf("# not found: %s\n", what);
	return false;
}

/* The victim: command line, parents, its cgroup and the OOM domain's, containers, cut paths. */
static void victim_lines(const struct gfp_layout *g)
{
	static struct od_event e;
	char rec[2048], path[300];
	char *s;

	event_parse_module_record(kinds[3], strlen(kinds[3]), &e, g);
	ok(e.has_cmdline && e.argv_len == 14 && !memcmp(e.argv, "hog\0-m\00012\0a b\0", 14) &&
	   !strcmp(e.cmdline_state, "ok") && !strcmp(e.cmdline_bytes, "14"),
	   "victim_cmdline: state, bytes, argv unescaped (NUL, space)");
	ok(e.has_parents && e.nr_parents == 3 && e.parents[0].pid == 123 &&
	   !strcmp(e.parents[0].comm, "bash") && !strcmp(e.parents[1].comm, "ss,hd:") &&
	   e.parents[2].pid == 1 && !strcmp(e.parents[2].comm, "systemd"),
	   "victim_parents: nearest first, ',' and ':' unescaped");
	s = capture(event_print_human, &e, false);
	ok(has(s, "\n    command line: hog -m 12 'a b'\n") &&
	   has(s, "\n    parents: bash (123) < ss,hd: (100) < systemd (1)\n") &&
	   has(s, "\n    victim cgroup /a b\n"), "human: command line, parents, victim cgroup");
	free(s);
	s = capture(json_fn, &e, false);
	ok(has(s, "\"cmdline\":[\"hog\",\"-m\",\"12\",\"a b\"],\"cmdline_state\":\"ok\"") &&
	   has(s, "\"parents\":[{\"pid\":123,\"comm\":\"bash\"},{\"pid\":100,\"comm\":\"ss,hd:\"},"
		  "{\"pid\":1,\"comm\":\"systemd\"}]") &&
	   has(s, "\"victim\":{\"pid\":96,\"comm\":\"hog\",\"uid\":0,\"anon_rss_kb\":45084,"
		  "\"file_rss_kb\":4,\"shmem_rss_kb\":648,\"swap_kb\":0,\"pgtables_kb\":124,"
		  "\"oom_score_adj\":-1000,\"points\":-5,\"memcg\":\"/a b\",\"cgroup\":\"/a b\","
		  "\"cgroup_truncated\":false,\"container\":null,"),
	   "JSON: the victim's keys, cmdline as an array, parents as objects");
	free(s);
	/* a state not in the list stays unknown; an empty chain is no parents, not null */
	event_parse_module_record(kinds[4], strlen(kinds[4]), &e, g);
	s = capture(json_fn, &e, false);
	ok(has(s, "\"cmdline\":null,\"cmdline_state\":null,\"parents\":[]"),
	   "JSON: unknown state null, no argv null, empty chain []");
	free(s);
	s = capture(event_print_human, &e, false);
	ok(has(s, "\n    command line: (state not known)\n") && has(s, "\n    parents: none recorded\n"),
	   "human: unknown state said");
	free(s);
	/* a BPF event has neither */
	memset(&e, 0, sizeof(e));
	snprintf(e.source, sizeof(e.source), "bpf");
	e.ev.kind = OOMDIAG_KIND_OOM_KILL;
	e.ev.oom.order = -1;
	snprintf(e.ev.oom.victim_comm, sizeof(e.ev.oom.victim_comm), "hog");
	s = capture(json_fn, &e, false);
	ok(has(s, "\"cmdline\":null,\"cmdline_state\":null,\"parents\":null") &&
	   has(s, "\"cgroup\":null,\"cgroup_truncated\":null,\"container\":null"),
	   "BPF event: cmdline, parents, cgroup null");
	free(s);
	/* the victim's cgroup and the OOM domain named apart, each with its container */
	snprintf(rec, sizeof(rec), "seq=40 ts_ns=1 wall_ns=0 kind=oom_kill cpu=0 context=task pid=5 "
		 "tgid=5 comm=trigger flags=- victim_pid=6 victim_uid=0 victim_comm=hog anon_rss_kb=1 "
		 "file_rss_kb=2 shmem_rss_kb=3 swap_kb=4 pgtables_kb=5 points=6 totalpages=7 "
		 "oom_score_adj=0 constraint=memcg gfp=0xcc0 gfp_names=GFP_KERNEL order=0 "
		 "memcg=/kubepods.slice/kubepods-burstable.slice/"
		 "kubepods-burstable-pod0e2c1f7a_5b3d_4c8e_9f10_2a3b4c5d6e7f.slice "
		 "victim_memcg=/kubepods.slice/kubepods-burstable.slice/"
		 "kubepods-burstable-pod0e2c1f7a_5b3d_4c8e_9f10_2a3b4c5d6e7f.slice/"
		 "cri-containerd-0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e.scope "
		 "hook=x after=-\n");
	event_parse_module_record(rec, strlen(rec), &e, g);
	s = capture(json_fn, &e, false);
	ok(has(s, "\"cgroup_truncated\":false,\"container\":{\"unit\":\"cri-containerd-0f3e8c1d2b4a"
		  "0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e.scope\",\"runtime\":\"containerd\"") &&
	   has(s, "\"domain\":{\"cgroup\":\"/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod0e2c1f7a_5b3d_4c8e_9f10_2a3b4c5d6e7f.slice\",\"cgroup_truncated\":false,"
		  "\"container\":{\"unit\":null,\"runtime\":null,\"id\":null,"
		  "\"pod_uid\":\"0e2c1f7a-5b3d-4c8e-9f10-2a3b4c5d6e7f\",\"qos\":\"burstable\"}}"),
	   "JSON: the victim's container and the OOM domain's pod, apart");
	free(s);
	s = capture(event_print_human, &e, false);
	ok(has(s, "\n    victim cgroup /kubepods.slice/") && has(s, "\n    OOM domain cgroup /kubepods.slice/") &&
	   has(s, "container: pod=0e2c1f7a-5b3d-4c8e-9f10-2a3b4c5d6e7f qos=burstable") &&
	   has(s, "container=containerd:0f3e8c1d2b4a") &&
	   has(s, "cri-containerd-0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e8c1d2b4a0f3e.scope"),
	   "human: victim cgroup and OOM domain, containers, the whole path kept");
	{
		int wide = 0;

		for (const char *p = s; *p;) {
			size_t len = strcspn(p, "\n");

			wide += len > 100;
			p += len + (p[len] == '\n');
		}
		ok(!wide, "human: long cgroup paths wrapped within 100 columns");
	}
	free(s);
	/* a cut path: flag path_truncated and a path of the field's whole length */
	memset(path, 'x', sizeof(path));
	path[0] = '/';
	path[255] = 0;
	snprintf(rec, sizeof(rec), "seq=41 ts_ns=1 wall_ns=0 kind=oom_kill cpu=0 context=task pid=5 "
		 "tgid=5 comm=t flags=path_truncated victim_pid=6 victim_uid=0 victim_comm=hog "
		 "anon_rss_kb=1 file_rss_kb=2 shmem_rss_kb=3 swap_kb=4 pgtables_kb=5 points=6 "
		 "totalpages=7 oom_score_adj=0 constraint=memcg gfp=0xcc0 gfp_names=GFP_KERNEL order=0 "
		 "memcg=/short victim_memcg=%s hook=x after=-\n", path);
	event_parse_module_record(rec, strlen(rec), &e, g);
	s = capture(json_fn, &e, false);
	ok(has(s, "x\",\"cgroup_truncated\":true,") &&
	   has(s, "\"domain\":{\"cgroup\":\"/short\",\"cgroup_truncated\":false"),
	   "path_truncated: the 255-byte victim path is the cut one, the short domain is whole");
	free(s);
	s = capture(event_print_human, &e, false);
	ok(has(s, "(path cut by the source"), "human: the cut path said");
	free(s);
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
	roundtrip(g);
	victim_lines(g);
out:
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
