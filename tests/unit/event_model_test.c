// SPDX-License-Identifier: GPL-2.0
/*
 * One failure model (userspace/event_model.c): module records turned into
 * the report explain builds from dmesg, analysed by causes_analyse().
 *
 * The records are real: lines of a 6.1 guest's events file written by
 * tests/vm/recorder_alloc_fail.sh (the test helper's GFP_NOWAIT order-10
 * failure, printed, and the same request with __GFP_NOWARN, silent).  The
 * dmesg report is a real warn_alloc report of the same request on the same
 * kernel (tests/data/reports/vm-6.1-nowait-order10.log).  The cause ids of
 * the records must be those of the report.  Then one vm_refused record per
 * reason, each with its rule's own numbers, '-' staying unknown.  TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causes.h"
#include "event.h"
#include "event_model.h"
#include "json.h"
#include "logparse.h"
#include "modevents.h"

#include "tap.h"

#define REL "6.1.0-50-amd64"

/* tests/data/reports/vm-6.1-nowait-order10.log, the report's lines */
static const char dmesg[] =
"[    2.516685] insmod: page allocation failure: order:10, mode:0x800(GFP_NOWAIT), nodemask=(null),cpuset=/,mems_allowed=0\n"
"[    2.517725] CPU: 0 PID: 93 Comm: insmod Tainted: G           OE      6.1.0-50-amd64 #1  Debian 6.1.176-1\n"
"[    2.518051] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\n"
"[    2.518512] Call Trace:\n"
"[    2.519058]  <TASK>\n"
"[    2.519402]  dump_stack_lvl+0x44/0x5c\n"
"[    2.519703]  warn_alloc+0x151/0x170\n"
"[    2.519820]  __alloc_pages_slowpath.constprop.0+0xd04/0xe70\n"
"[    2.519978]  __alloc_pages+0x305/0x330\n"
"[    2.520099]  bed_init+0x2e/0x1000 [bed_splat]\n"
"[    2.523760]  </TASK>\n"
"[    2.523969] Mem-Info:\n"
"[    2.524237] active_anon:479 inactive_anon:626 isolated_anon:0\n"
"[    2.524237]  active_file:0 inactive_file:0 isolated_file:0\n"
"[    2.524237]  unevictable:0 dirty:0 writeback:0\n"
"[    2.524237]  slab_reclaimable:2193 slab_unreclaimable:1552\n"
"[    2.524237]  mapped:447 shmem:1074 pagetables:18\n"
"[    2.524237]  sec_pagetables:0 bounce:0\n"
"[    2.524237]  kernel_misc_reclaimable:0\n"
"[    2.524237]  free:5519 free_pcp:501 free_cma:0\n"
"[    2.525384] Node 0 active_anon:1916kB inactive_anon:2504kB active_file:0kB inactive_file:0kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:1788kB dirty:0kB writeback:0kB shmem:4296kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB kernel_stack:736kB pagetables:72kB sec_pagetables:0kB all_unreclaimable? no\n"
"[    2.526387] Node 0 DMA free:2944kB boost:0kB min:136kB low:168kB high:200kB reserved_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:15992kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB\n"
"[    2.527154] lowmem_reserve[]: 0 176 176 176 176\n"
"[    2.527312] Node 0 DMA32 free:19132kB boost:0kB min:1632kB low:2040kB high:2448kB reserved_highatomic:0KB active_anon:1916kB inactive_anon:2504kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:245632kB managed:193384kB mlocked:0kB bounce:0kB free_pcp:2004kB local_pcp:2004kB free_cma:0kB\n"
"[    2.528019] lowmem_reserve[]: 0 0 0 0 0\n"
"[    2.528235] Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 1*128kB (U) 1*256kB (U) 1*512kB (U) 0*1024kB 1*2048kB (M) 0*4096kB = 2944kB\n"
"[    2.528709] Node 0 DMA32: 7*4kB (UM) 6*8kB (UM) 9*16kB (UME) 5*32kB (UM) 3*64kB (M) 7*128kB (UME) 7*256kB (UME) 5*512kB (M) 5*1024kB (ME) 4*2048kB (ME) 0*4096kB = 19132kB\n"
"[    2.529306] Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB\n"
"[    2.529552] Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB\n"
"[    2.529806] 1074 total pagecache pages\n"
"[    2.529939] 0 pages in swap cache\n"
"[    2.530035] Free swap  = 0kB\n"
"[    2.530156] Total swap = 0kB\n"
"[    2.530342] 65406 pages RAM\n"
"[    2.530426] 0 pages HighMem/MovableOnly\n"
"[    2.530532] 13220 pages reserved\n"
"[    2.530627] 0 pages hwpoisoned\n";

/*
 * recorder_alloc_fail.sh on 6.1 (kernel 6.1.0-50-amd64): the alloc_fail
 * record of the printed failure with its zone snapshot, and the warn_alloc
 * record of the __GFP_NOWARN one.  The test logs the snapshot of the first
 * only; the second gets the same zone lines (taken 1.7 s later, after the
 * helper freed its blocks, its snapshot had the same shape).
 */
#define ZONES \
"  zone node=0 zone=DMA free_pages=736 min_pages=37 low_pages=46 high_pages=55 free_cma_pages=0 managed_pages=3840 free_blocks=0,0,0,0,0,1,1,1,0,1,0\n" \
"  zone node=0 zone=DMA32 free_pages=5238 min_pages=366 low_pages=457 high_pages=548 free_cma_pages=0 managed_pages=43738 free_blocks=6,6,5,6,8,7,5,5,7,4,0\n"

static const char rec_printed[] =
"seq=1 ts_ns=6401179724 wall_ns=1796602464882006546 kind=alloc_fail cpu=0 context=task pid=101 tgid=101 comm=sh flags=snapshot|costly gfp=0x800 gfp_names=GFP_NOWAIT order=10 latency_ns=35822764 nodemask_set=0 hook=mm_page_alloc after=done\n"
ZONES
"  stack __alloc_pages+0x256/0x330\n"
"  stack run_until_fail+0xa5/0x170 [oomdiag_test_alloc]\n";

static const char rec_nowarn[] =
"seq=2 ts_ns=8153303816 wall_ns=1796602466634131741 kind=warn_alloc cpu=0 context=task pid=243 tgid=243 comm=sh flags=silent|nowarn|snapshot|costly gfp=0x2800 gfp_names=GFP_NOWAIT|__GFP_NOWARN order=10 latency_ns=- nodemask_set=0 hook=warn_alloc after=done\n"
ZONES;

/* the same record without its snapshot: the zone causes cannot fire */
static const char rec_nozones[] =
"seq=2 ts_ns=8153303816 wall_ns=1796602466634131741 kind=warn_alloc cpu=0 context=task pid=243 tgid=243 comm=sh flags=silent|nowarn|costly gfp=0x2800 gfp_names=GFP_NOWAIT|__GFP_NOWARN order=10 latency_ns=- nodemask_set=0 hook=warn_alloc after=done\n";

static const char rec_memcg_oom[] =
"seq=8 ts_ns=6000000000 wall_ns=0 kind=oom_kill cpu=0 context=task pid=321 tgid=321 "
"comm=hog flags=- victim_pid=321 victim_uid=1000 victim_comm=hog "
"anon_rss_kb=180000 file_rss_kb=1200 shmem_rss_kb=0 swap_kb=0 pgtables_kb=400 "
"points=45600 totalpages=65536 oom_score_adj=0 constraint=memcg gfp=0xcc0 "
"gfp_names=GFP_KERNEL order=0 memcg=/test victim_memcg=/test hook=oom_kill_process after=-\n";

/*
 * A global OOM kill with its kill ledger (tests/unit/ledger_test.c's record
 * with the largest task exempt) and a zone snapshot: the ledger stands in
 * for the task dump.
 */
static const char rec_global_oom[] =
"seq=13 ts_ns=9000000000 wall_ns=0 kind=oom_kill cpu=0 context=task pid=96 tgid=96 "
"comm=hog flags=snapshot victim_pid=96 victim_uid=0 victim_comm=hog anon_rss_kb=45084 "
"file_rss_kb=4 shmem_rss_kb=648 swap_kb=0 pgtables_kb=124 points=11465 totalpages=500000 "
"oom_score_adj=0 constraint=none gfp=0xcc0 gfp_names=GFP_KERNEL order=0 memcg=- "
"victim_memcg=/ledger hook=oom_kill_process after=-\n"
"  zone node=0 zone=DMA32 free_pages=300 min_pages=366 low_pages=457 high_pages=548 "
"free_cma_pages=0 managed_pages=43738 free_blocks=6,6,5,6,8,7,5,0,0,0,0\n"
"  ledger domain=all constraint=none totalpages=500000 walked=40 candidates=30 exempt=10\n"
"  candidate rank=1 pid=96 comm=hog anon_pages=11271 file_pages=1 shmem_pages=162 swap_pages=0 pgtables_pages=31 oom_score_adj=0 adj_points=0 points=11465 origin=0 exempt=- victim=1\n"
"  candidate rank=- pid=200 comm=big\\x20db anon_pages=90000 file_pages=100 shmem_pages=0 swap_pages=5000 pgtables_pages=200 oom_score_adj=-1000 adj_points=- points=- origin=0 exempt=adj_min victim=0\n";

/*
 * An events file for `oomdiag status`'s recent failures: a failure told
 * twice (warn_alloc then alloc_fail of one request; oom_kill then the
 * oom_victim of its victim), a stall (slow_alloc, no failure), and seven
 * failures in all, so the oldest two are not among the last five.
 */
static const char ring[] =
"# oomdiag events v1 records=10 first_seq=1 next_seq=12 ring_size=256 lost=0 dropped=0 armed=1 hooks=5\n"
"seq=1 ts_ns=1000 wall_ns=0 kind=vm_refused cpu=0 context=task pid=10 tgid=10 comm=old1 flags=silent reason=other pages=16384 committed_as_pages=- commit_limit_pages=- overcommit_mode=- overcommit_ratio=- overcommit_kbytes=- limit=- current=12 hook=x after=-\n"
"seq=2 ts_ns=2000 wall_ns=0 kind=vm_refused cpu=0 context=task pid=11 tgid=11 comm=old2 flags=silent reason=other pages=16384 committed_as_pages=- commit_limit_pages=- overcommit_mode=- overcommit_ratio=- overcommit_kbytes=- limit=- current=12 hook=x after=-\n"
"seq=3 ts_ns=3000 wall_ns=0 kind=vm_refused cpu=0 context=task pid=400 tgid=400 comm=bigmalloc flags=silent reason=overcommit pages=262144 committed_as_pages=70000 commit_limit_pages=65000 overcommit_mode=2 overcommit_ratio=50 overcommit_kbytes=0 hook=__vm_enough_memory after=done\n"
"seq=4 ts_ns=8153303816 wall_ns=0 kind=warn_alloc cpu=0 context=task pid=243 tgid=243 comm=sh flags=snapshot|costly gfp=0x800 gfp_names=GFP_NOWAIT order=10 latency_ns=- nodemask_set=0 hook=warn_alloc after=done\n"
ZONES
"seq=5 ts_ns=8153303900 wall_ns=0 kind=alloc_fail cpu=0 context=task pid=243 tgid=243 comm=sh flags=snapshot|costly gfp=0x800 gfp_names=GFP_NOWAIT order=10 latency_ns=35822764 nodemask_set=0 hook=mm_page_alloc after=done\n"
ZONES
"seq=6 ts_ns=8200000000 wall_ns=0 kind=slow_alloc cpu=0 context=task pid=244 tgid=244 comm=sh flags=- gfp=0xcc0 gfp_names=GFP_KERNEL order=0 latency_ns=150000000 nodemask_set=0 hook=x after=-\n"
"seq=7 ts_ns=8300000000 wall_ns=0 kind=warn_alloc cpu=0 context=task pid=245 tgid=245 comm=sh flags=silent|nowarn|snapshot|costly gfp=0x2800 gfp_names=GFP_NOWAIT|__GFP_NOWARN order=10 latency_ns=- nodemask_set=0 hook=warn_alloc after=done\n"
ZONES
"seq=8 ts_ns=6000000000 wall_ns=0 kind=oom_kill cpu=0 context=task pid=321 tgid=321 "
"comm=hog flags=- victim_pid=321 victim_uid=1000 victim_comm=hog "
"anon_rss_kb=180000 file_rss_kb=1200 shmem_rss_kb=0 swap_kb=0 pgtables_kb=400 "
"points=45600 totalpages=65536 oom_score_adj=0 constraint=memcg gfp=0xcc0 "
"gfp_names=GFP_KERNEL order=0 memcg=/test victim_memcg=/test hook=oom_kill_process after=-\n"
"seq=9 ts_ns=6000000100 wall_ns=0 kind=oom_victim cpu=0 context=task pid=321 tgid=321 "
"comm=hog flags=- victim_pid=321 victim_uid=1000 victim_comm=hog anon_rss_kb=180000 "
"file_rss_kb=1200 shmem_rss_kb=0 swap_kb=0 pgtables_kb=400 points=- totalpages=- "
"oom_score_adj=0 constraint=- memcg=- victim_memcg=- hook=mark_victim after=-\n"
"seq=10 ts_ns=7000000000 wall_ns=0 kind=vm_refused cpu=0 context=task pid=401 tgid=401 comm=a\\x1b[31mb flags=silent reason=rlimit_as pages=262144 committed_as_pages=- commit_limit_pages=- overcommit_mode=0 overcommit_ratio=50 overcommit_kbytes=0 limit=104857600 current=20000 hook=x after=done\n";

static char ids_buf[4][256];

static const char *ids(const struct analysis *a, int slot)
{
	char *b = ids_buf[slot];

	b[0] = '\0';
	for (int i = 0; i < a->nr_causes; i++)
		snprintf(b + strlen(b), sizeof(ids_buf[0]) - strlen(b), "%s%s", i ? "," : "",
			 a->causes[i].id);
	return b;
}

static struct analysis dm_a;
static int dm_n;

static void on_report(const struct lp_report *r, void *arg)
{
	(void)arg;
	if (!dm_n++)
		causes_analyse(r, &dm_a);
}

static int parse(const char *text, struct od_event *e)
{
	memset(e, 0, sizeof(*e));
	return event_parse_module_record(text, strlen(text), e, gfp_layout_for_version(REL));
}

static const struct cause *find(const struct analysis *a, const char *id)
{
	for (int i = 0; i < a->nr_causes; i++)
		if (!strcmp(a->causes[i].id, id))
			return &a->causes[i];
	return NULL;
}

static bool missing_has(const struct analysis *a, const char *s)
{
	for (int i = 0; i < a->nr_missing; i++)
		if (strstr(a->missing[i], s))
			return true;
	return false;
}

/* One vm_refused record: its one cause and the numbers its evidence must state. */
static void vm_case(const char *keys, const char *id, const char *const *want)
{
	static struct od_event e;
	static struct analysis a;
	char rec[1024];
	const struct cause *c;

	snprintf(rec, sizeof(rec), "seq=9 ts_ns=7000000000 wall_ns=0 kind=vm_refused cpu=0 "
		 "context=task pid=400 tgid=400 comm=bigmalloc flags=silent %s hook=x after=done\n",
		 keys);
	ok(parse(rec, &e) == 0, "vm_refused %s parses", id);
	event_model_analyse(&e, REL, &a);
	c = find(&a, id);
	ok(a.nr_causes == 1 && c, "vm_refused (%s): the one cause %s (%s)", keys, id, ids(&a, 0));
	for (; c && *want; want++)
		ok(strstr(c->evidence, *want) != NULL, "%s evidence states '%s': %s", id, *want,
		   c->evidence);
}

/* `oomdiag status`: why the recent failures happened, one line each */
static void recent_case(void)
{
	static struct analysis a;
	struct od_event_list l;
	size_t idx[5], nr;
	char seqs[64] = "", *out = NULL;
	size_t len = 0;
	int lines = 0, wide = 0, same = 0;
	FILE *f;

	modevents_parse(&l, ring, strlen(ring), gfp_layout_for_version(REL));
	ok(l.nr == 10, "status ring: 10 records parse (%zu)", l.nr);
	nr = event_model_recent(l.ev, l.nr, 5, idx);
	for (size_t i = 0; i < nr; i++)
		snprintf(seqs + strlen(seqs), sizeof(seqs) - strlen(seqs), "%s%llu", i ? "," : "",
			 (unsigned long long)l.ev[idx[i]].ev.seq);
	ok(!strcmp(seqs, "2,3,5,7,8,10") || !strcmp(seqs, "3,5,7,8,10"),
	   "recent failures oldest first, each once, no stall: %s", seqs);
	ok(nr == 5 && !strcmp(seqs, "3,5,7,8,10"), "the last five (%zu)", nr);
	/* A later failure must not hide the OOM kill (seq 8): it takes the oldest place. */
	nr = event_model_recent(l.ev, l.nr, 1, idx);
	ok(nr == 1 && l.ev[idx[0]].ev.seq == 8, "room for one: the OOM kill, not the later failure (seq %llu)",
	   nr ? (unsigned long long)l.ev[idx[0]].ev.seq : 0ULL);
	nr = event_model_recent(l.ev, l.nr, 5, idx);
	f = open_memstream(&out, &len);
	for (size_t i = 0; i < nr; i++) {
		struct od_style st = { 0 };

		event_model_analyse(&l.ev[idx[i]], REL, &a);
		event_model_print_cause_line(f, &l.ev[idx[i]], &a, &st, 100);
		/* the line names every cause id of the full analysis, in order */
		if (a.nr_causes) {
			char want[256];

			snprintf(want, sizeof(want), ": %s", ids(&a, 2));
			for (char *p = want; (p = strchr(p, ',')); )
				memmove(p + 2, p + 1, strlen(p + 1) + 1), p[1] = ' ', p += 2;
			fflush(f);
			same += strstr(out, want) != NULL;
		}
	}
	fclose(f);
	for (const char *p = out; p && *p;) {
		size_t n = strcspn(p, "\n");

		lines++;
		wide += n > 100;
		p += n + (p[n] == '\n');
	}
	ok(lines == 5 && !wide, "one line per failure, within 100 columns (%d lines, %d wide)",
	   lines, wide);
	ok(same == 5, "each line names the causes of events --explain (%d of 5)", same);
	ok(out && strstr(out, "  seq 5 alloc_fail sh pid 243: atomic_context, costly_order, "
			 "fragmentation: ") &&
	   strstr(out, "  seq 3 vm_refused bigmalloc pid 400: overcommit_strict: ") &&
	   strstr(out, "  seq 10 vm_refused a\\x1b[31mb pid 401: rlimit_as: RLIMIT_AS: ") &&
	   strstr(out, "\033") == NULL && strstr(out, "  seq 8 oom_kill hog pid 321: memcg_limit"),
	   "lines: seq, kind, comm (escaped), pid, ids, first evidence");
	for (char *p = out, *q; p && *p; p = q ? q + 1 : p + strlen(p)) {
		q = strchr(p, '\n');
		printf("# %.*s\n", q ? (int)(q - p) : (int)strlen(p), p);
	}
	free(out);
	out = NULL;
	f = open_memstream(&out, &len);
	{
		struct json_writer w;

		json_init(&w, f);
		json_begin_array(&w, NULL);
		if (nr)
			event_model_analyse(&l.ev[idx[0]], REL, &a);
		if (nr)
			event_model_json_causes(&w, &l.ev[idx[0]], &a);
		json_end_array(&w);
	}
	fclose(f);
	ok(nr && out && !strncmp(out, "[{\"seq\":3,\"kind\":\"vm_refused\",\"pid\":400,\"comm\":"
			    "\"bigmalloc\",\"causes\":[{\"id\":\"overcommit_strict\"", 92) &&
	   strstr(out, "\"missing\":["), "JSON: seq, kind, pid, comm, causes, missing: %s",
	   out ? out : "");
	free(out);
	modevents_free(&l);
}

int main(void)
{
	static struct od_event e;
	static struct analysis a;
	static struct lp_report r;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	/* the dmesg report */
	logparse_buffer(dmesg, strlen(dmesg), on_report, NULL);
	ok(dm_n == 1, "the 6.1 warn_alloc report parses (%d report)", dm_n);
	ok(!strcmp(ids(&dm_a, 0), "atomic_context,costly_order,fragmentation"),
	   "dmesg: causes %s (as its .expect)", ids(&dm_a, 0));

	/* the printed failure's alloc_fail record */
	ok(parse(rec_printed, &e) == 0 && e.ev.nr_zones == 2, "alloc_fail record with 2 zones parses");
	event_model_report(&e, REL, &r);
	ok(r.kind == LP_KIND_PAGE_ALLOC_FAILURE && r.order == 10 && r.has_gfp &&
	   r.gfp_mask == 0x800 && !strcmp(r.gfp_names, "GFP_NOWAIT") && r.pid == 101 &&
	   !strcmp(r.comm, "sh") && !strcmp(r.kernel, REL),
	   "report: page allocation failure, order 10, gfp 0x800 GFP_NOWAIT, task sh 101, kernel");
	ok(r.nr_zones == 2 && r.zones[1].free_kb == 5238 * r.page_kb &&
	   r.zones[1].min_kb == 366 * r.page_kb && r.zones[1].free_blocks[9] == 4 &&
	   r.zones[1].nr_orders == 11 && r.zones[1].has_buddy && r.zones[1].has_watermarks,
	   "report: zones from the snapshot in kB, free blocks per order");
	ok(r.mi_slab_unreclaimable == LP_UNKNOWN && r.mi_free == LP_UNKNOWN &&
	   r.total_swap_kb == LP_UNKNOWN && r.ram_pages == LP_UNKNOWN && r.hugetlb_kb == LP_UNKNOWN,
	   "report: Mem-Info counters, swap and RAM unknown (-1), not 0");
	event_model_analyse(&e, REL, &a);
	ok(!strcmp(ids(&a, 1), ids(&dm_a, 0)), "alloc_fail record: causes %s = dmesg's %s",
	   ids(&a, 1), ids(&dm_a, 0));
	ok(missing_has(&a, "Mem-Info") && missing_has(&a, "migratetype") && a.nr_missing == 2,
	   "alloc_fail record: not known says Mem-Info and migratetypes, nothing else (%d)",
	   a.nr_missing);

	/* the silent __GFP_NOWARN failure: the same request, nothing in dmesg */
	ok(parse(rec_nowarn, &e) == 0, "warn_alloc silent|nowarn record parses");
	event_model_analyse(&e, REL, &a);
	ok(!strcmp(ids(&a, 1), ids(&dm_a, 0)), "__GFP_NOWARN record: causes %s = dmesg's %s",
	   ids(&a, 1), ids(&dm_a, 0));
	ok(find(&a, "atomic_context") &&
	   strstr(find(&a, "atomic_context")->evidence, "GFP_NOWAIT|__GFP_NOWARN"),
	   "its evidence names the record's flags");
	ok(find(&a, "fragmentation") &&
	   strstr(find(&a, "fragmentation")->evidence, "largest usable free block order 9"),
	   "fragmentation: largest usable block order 9, as in dmesg");

	/* without its snapshot the zone causes do not fire, and that is said */
	ok(parse(rec_nozones, &e) == 0, "record without zones parses");
	event_model_analyse(&e, REL, &a);
	ok(!strcmp(ids(&a, 1), "atomic_context,costly_order"),
	   "no snapshot: only the request's causes (%s)", ids(&a, 1));
	ok(missing_has(&a, "no zone snapshot"), "no snapshot: said in not known");

	/* human and JSON renderings */
	ok(parse(rec_nowarn, &e) == 0, "record parses again");
	event_model_analyse(&e, REL, &a);
	f = open_memstream(&out, &len);
	{
		struct od_style st = { 0 };

		event_model_print_causes(f, &a, &st);
	}
	fclose(f);
	ok(out && strstr(out, "  causes\n    atomic_context: gfp 0x2800") &&
	   strstr(out, "      advice: ") && strstr(out, "  not known:\n    - "),
	   "text: causes, advice and not known as explain prints them");
	free(out);
	out = NULL;
	f = open_memstream(&out, &len);
	event_model_print_json(f, &e, &a);
	fclose(f);
	ok(out && !strncmp(out, "{\"source\":\"module\"", 18) &&
	   strstr(out, ",\"causes\":[{\"id\":\"atomic_context\",\"evidence\":") &&
	   strstr(out, "\"advice\":") && strstr(out, "],\"missing\":[\"") &&
	   len > 3 && !strcmp(out + len - 3, "]}\n") && strchr(out, '\n') == out + len - 1,
	   "JSON: one line, the event's keys then causes [{id, evidence, advice}] and missing");
	free(out);

	/* a memcg OOM kill record */
	ok(parse(rec_memcg_oom, &e) == 0, "oom_kill memcg record parses");
	event_model_report(&e, REL, &r);
	ok(r.kind == LP_KIND_MEMCG_OOM && !strcmp(r.constraint, "CONSTRAINT_MEMCG") &&
	   !strcmp(r.memcg, "/test") && r.victim.pid == 321 && r.victim.anon_rss_kb == 180000 &&
	   r.memcg_usage_kb == LP_UNKNOWN,
	   "oom_kill: memcg OOM, constraint, domain, victim; memcg usage unknown");
	event_model_analyse(&e, REL, &a);
	ok(find(&a, "memcg_limit") && strstr(find(&a, "memcg_limit")->evidence, "memory cgroup /test") &&
	   !strstr(find(&a, "memcg_limit")->evidence, "usage"),
	   "oom_kill: memcg_limit with the domain, no usage invented (%s)", ids(&a, 0));
	ok(missing_has(&a, "memory cgroup usage and limit") && missing_has(&a, "task list"),
	   "oom_kill: memcg usage and task list said not known");

	/* a global OOM kill with the kill ledger as its task list */
	ok(parse(rec_global_oom, &e) == 0 && e.ledger.present, "oom_kill global record with ledger parses");
	event_model_report(&e, REL, &r);
	ok(r.kind == LP_KIND_GLOBAL_OOM && !strcmp(r.constraint, "CONSTRAINT_NONE") &&
	   r.nr_top_rss == 2 && r.top_rss[0].pid == 200 && r.top_rss[0].rss == 90100 &&
	   r.top_rss[0].oom_score_adj == -1000 && (r.seen & LP_SEEN_TASKS),
	   "oom_kill: global, the ledger's rows as the task list, largest first");
	event_model_analyse(&e, REL, &a);
	ok(find(&a, "memory_exhausted") && find(&a, "oom_score_adj") &&
	   strstr(find(&a, "oom_score_adj")->evidence, "largest task big db (pid 200)"),
	   "oom_kill: memory_exhausted and oom_score_adj (the exempt largest task) (%s)", ids(&a, 0));
	ok(!missing_has(&a, "task list"), "oom_kill with a ledger: the task list is not said missing");

	/* vm_refused, one rule per reason, each with its own numbers */
	{
		static const char *const strict[] = { "vm.overcommit_memory=2",
			"Committed_AS 273.4 MB (70000 pages)", "request 1024.0 MB (262144 pages)",
			"= 1297.4 MB (332144 pages)", "CommitLimit 253.9 MB (65000 pages)",
			"vm.overcommit_ratio 50%", NULL };
		static const char *const heur[] = { "vm.overcommit_memory=0",
			"one request of 8192.0 MB (2097152 pages)", "larger than RAM + swap", NULL };
		static const char *const unk[] = { "Committed_AS ?", "CommitLimit ?",
			"vm.overcommit_memory not known", NULL };
		static const char *const as[] = { "RLIMIT_AS", "address space in use 78.1 MB (20000 pages)",
			"request 1024.0 MB (262144 pages)", "limit 104857600 bytes (100.0 MB)", NULL };
		static const char *const data[] = { "RLIMIT_DATA", "data (private writable + brk) in use",
			"(1000 pages)", "limit unlimited", NULL };
		static const char *const maps[] = { "map count 65530",
			"vm.max_map_count 65530", "request 4 kB (1 pages)", NULL };
		static const char *const other[] = { "a request of 64.0 MB (16384 pages)", "map count 12",
			NULL };

		if (r.page_kb != 4) {
			printf("# page size not 4 kB: vm numbers skipped\n");
		} else {
		vm_case("reason=overcommit pages=262144 committed_as_pages=70000 "
			"commit_limit_pages=65000 overcommit_mode=2 overcommit_ratio=50 "
			"overcommit_kbytes=0 limit=- current=-", "overcommit_strict", strict);
		vm_case("reason=overcommit pages=2097152 committed_as_pages=70000 "
			"commit_limit_pages=65000 overcommit_mode=0 overcommit_ratio=50 "
			"overcommit_kbytes=0 limit=- current=-", "overcommit_heuristic", heur);
		vm_case("reason=overcommit pages=262144 committed_as_pages=- commit_limit_pages=- "
			"overcommit_mode=- overcommit_ratio=- overcommit_kbytes=- limit=- current=-",
			"overcommit_refused", unk);
		vm_case("reason=rlimit_as pages=262144 committed_as_pages=- commit_limit_pages=- "
			"overcommit_mode=0 overcommit_ratio=50 overcommit_kbytes=0 limit=104857600 "
			"current=20000", "rlimit_as", as);
		vm_case("reason=rlimit_data pages=1000 committed_as_pages=- commit_limit_pages=- "
			"overcommit_mode=0 overcommit_ratio=50 overcommit_kbytes=0 limit=unlimited "
			"current=5000", "rlimit_data", data);
		vm_case("reason=max_map_count pages=1 committed_as_pages=- commit_limit_pages=- "
			"overcommit_mode=0 overcommit_ratio=50 overcommit_kbytes=0 limit=65530 "
			"current=65530", "max_map_count", maps);
		vm_case("reason=other pages=16384 committed_as_pages=- commit_limit_pages=- "
			"overcommit_mode=0 overcommit_ratio=50 overcommit_kbytes=0 limit=- current=12",
			"vm_refused_other", other);
		}
	}
	/* the strict rule with Committed_AS '-': '?', never 0 */
	{
		static const char *const q[] = { "Committed_AS ?", "CommitLimit 253.9 MB", NULL };

		if (r.page_kb == 4)
			vm_case("reason=overcommit pages=262144 committed_as_pages=- "
				"commit_limit_pages=65000 overcommit_mode=2 overcommit_ratio=50 "
				"overcommit_kbytes=0 limit=- current=-", "overcommit_strict", q);
	}

	recent_case();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
