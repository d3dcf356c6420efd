// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the kill ledger in the event reader (userspace/event.c):
 * the "  ledger" and "  candidate" lines module/ledger.c prints under an
 * oom_kill record (a block captured from a memcg OOM on 6.1), parsed into
 * od_event.ledger, rendered as a table and as JSON, and the sentence that
 * says why this victim.  TAP.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "modevents.h"

#include "tap.h"

#define HEAD \
"seq=12 ts_ns=9000000000 wall_ns=0 kind=oom_kill cpu=0 context=task pid=96 tgid=96 " \
"comm=hog flags=snapshot victim_pid=96 victim_uid=0 victim_comm=hog anon_rss_kb=45084 " \
"file_rss_kb=4 shmem_rss_kb=648 swap_kb=0 pgtables_kb=124 points=11465 totalpages=16384 " \
"oom_score_adj=0 constraint=memcg gfp=0xcc0 order=0 memcg=/ledger victim_memcg=/ledger " \
"hook=oom_kill_process after=-\n"

/* The real block (tests/vm/domain_ledger.sh on 6.1). */
static const char rec[] = HEAD
"  ledger domain=memcg constraint=memcg totalpages=16384 walked=4 candidates=3 exempt=1\n"
"  candidate rank=1 pid=96 comm=hog anon_pages=11271 file_pages=1 shmem_pages=162 swap_pages=0 pgtables_pages=31 oom_score_adj=0 adj_points=0 points=11465 origin=0 exempt=- victim=1\n"
"  candidate rank=2 pid=97 comm=hog anon_pages=2031 file_pages=1 shmem_pages=162 swap_pages=0 pgtables_pages=14 oom_score_adj=500 adj_points=8000 points=10208 origin=0 exempt=- victim=0\n"
"  candidate rank=3 pid=111 comm=hog anon_pages=1899 file_pages=1 shmem_pages=162 swap_pages=0 pgtables_pages=13 oom_score_adj=-500 adj_points=-8000 points=-5925 origin=0 exempt=- victim=0\n"
"  candidate rank=- pid=98 comm=hog anon_pages=976 file_pages=1 shmem_pages=157 swap_pages=0 pgtables_pages=12 oom_score_adj=-1000 adj_points=- points=- origin=0 exempt=adj_min victim=0\n";

/* Made up: the largest task is exempt (oom_score_adj=-1000), a global OOM. */
static const char rec_exempt[] = HEAD
"  ledger domain=all constraint=none totalpages=500000 walked=40 candidates=30 exempt=10\n"
"  candidate rank=1 pid=96 comm=hog anon_pages=11271 file_pages=1 shmem_pages=162 swap_pages=0 pgtables_pages=31 oom_score_adj=0 adj_points=0 points=11465 origin=0 exempt=- victim=1\n"
"  candidate rank=- pid=200 comm=big\\x20db anon_pages=90000 file_pages=100 shmem_pages=0 swap_pages=5000 pgtables_pages=200 oom_score_adj=-1000 adj_points=- points=- origin=0 exempt=adj_min victim=0\n";

/* Made up: an oom_task_origin task chosen before a larger one; nodes unchecked. */
static const char rec_origin[] = HEAD
"  ledger domain=all constraint=cpuset totalpages=200000 walked=9 candidates=2 exempt=7 nodes=unchecked\n"
"  candidate rank=1 pid=96 comm=hog anon_pages=100 file_pages=0 shmem_pages=0 swap_pages=0 pgtables_pages=3 oom_score_adj=0 adj_points=0 points=103 origin=1 exempt=- victim=1\n"
"  candidate rank=2 pid=300 comm=bigger anon_pages=50000 file_pages=0 shmem_pages=0 swap_pages=0 pgtables_pages=100 oom_score_adj=0 adj_points=0 points=50100 origin=0 exempt=- victim=0\n";

/*
 * The ledger, victim_cmdline and victim_parents lines of V1 in
 * tests/vm/domain_cmdline.sh on 6.1 (the rows made up): the header's
 * cmdline_* totals and the two victim lines leave the ledger as it was.
 */
static const char rec_cmdline[] = HEAD
"  ledger domain=memcg constraint=memcg totalpages=8192 walked=2 candidates=2 exempt=0 cmdline_ok=1 cmdline_truncated=0 cmdline_gone=0 cmdline_unavailable=0\n"
"  candidate rank=1 pid=96 comm=cmdline_victim anon_pages=7900 file_pages=1 shmem_pages=0 swap_pages=0 pgtables_pages=20 oom_score_adj=0 adj_points=0 points=7921 origin=0 exempt=- victim=1\n"
"  candidate rank=2 pid=95 comm=sh anon_pages=30 file_pages=1 shmem_pages=0 swap_pages=0 pgtables_pages=2 oom_score_adj=0 adj_points=0 points=33 origin=0 exempt=- victim=0\n"
"  victim_cmdline state=ok bytes=64 argv=cmdline_victim\\x00-l\\x00-s\\x004\\x00arg\\x20with\\x20space\\x00back\\x5cslash\\x00com,ma:colon\\x00x\\x00\n"
"  victim_parents chain=101:sh,99:sh\\x2co\\x3ax\\x20y,93:sh,1:init\n";

static char *capture(const struct od_event *e, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (json)
		event_print_json(f, e);
	else
		event_print_human(f, e, false);
	fclose(f);
	return buf;
}

/* Sum "a + b + c + d" / "a + b + c - d" after "= " and compare with the number before it. */
static int formula_adds_up(const char *s)
{
	long long pts, rss, swap, pgt, adj;
	char sign;
	const char *p = strstr(s, " points = rss ");

	if (!p)
		return 0;
	while (p > s && (isdigit((unsigned char)p[-1]) || p[-1] == '-'))
		p--;
	if (sscanf(p, "%lld points = rss %lld + swap %lld + page tables %lld %c %lld", &pts, &rss,
		   &swap, &pgt, &sign, &adj) != 6)
		return 0;
	return pts == rss + swap + pgt + (sign == '-' ? -adj : adj);
}

int main(void)
{
	const struct gfp_layout *g = gfp_layout_for_version("6.1");
	const struct od_ledger_row *r;
	struct od_event e;
	char why[768];
	char *s;
	long pk = sysconf(_SC_PAGESIZE) / 1024;

	ok(event_parse_module_record(rec, strlen(rec), &e, g) == 0, "record parsed");
	ok(e.ledger.present && !strcmp(e.ledger.domain, "memcg") &&
	   e.ledger.constraint == OOMDIAG_CONSTRAINT_MEMCG && e.ledger.totalpages == 16384 &&
	   e.ledger.walked == 4 && e.ledger.candidates == 3 && e.ledger.exempt == 1 &&
	   e.ledger.nodes_checked && !e.ledger.unknown, "ledger line: domain, constraint, counts");
	ok(e.ledger.nr == 4, "4 candidate lines (%u)", e.ledger.nr);
	r = &e.ledger.rows[0];
	ok(r->rank == 1 && r->pid == 96 && !strcmp(r->comm, "hog") && r->anon_pages == 11271 &&
	   r->file_pages == 1 && r->shmem_pages == 162 && r->swap_pages == 0 &&
	   r->pgtables_pages == 31 && r->points == 11465 && r->victim == 1 && !r->exempt[0] &&
	   !r->unknown, "row 1: every component, victim");
	r = &e.ledger.rows[2];
	ok(r->oom_score_adj == -500 && r->adj_points == -8000 && r->points == -5925,
	   "row 3: negative adj and points");
	r = &e.ledger.rows[3];
	ok(!ledger_row_known(r, OD_LROW_RANK) && !ledger_row_known(r, OD_LROW_POINTS) &&
	   !ledger_row_known(r, OD_LROW_ADJ_POINTS) && r->points == 0 &&
	   ledger_row_known(r, OD_LROW_ANON) && !strcmp(r->exempt, "adj_min"),
	   "exempt row: rank, adj_points and points '-' stay unknown, never 0");
	for (unsigned int i = 0; i < e.ledger.nr; i++) {
		r = &e.ledger.rows[i];
		if (!ledger_row_known(r, OD_LROW_POINTS))
			continue;
		ok(r->points == r->anon_pages + r->file_pages + r->shmem_pages + r->swap_pages +
		   r->pgtables_pages + r->adj_points &&
		   r->adj_points == r->oom_score_adj * (e.ledger.totalpages / 1000),
		   "row %u: components add up to %lld points", i + 1, (long long)r->points);
	}

	ok(event_ledger_why(&e, why, sizeof(why)), "why: a sentence");
	ok(!strcmp(why, "hog (pid 96) was chosen: 11465 points = rss 11434 + swap 0 + page tables "
		   "31 + 0 from oom_score_adj=0 (pages); the next, hog (pid 97), had 10208 "
		   "(500 x 16 = 8000 of them from oom_score_adj=500)"),
	   "why: exact sentence (%s)", why);
	ok(formula_adds_up(why), "why: its arithmetic adds up");

	s = capture(&e, false);
	ok(strstr(s, "    why: hog (pid 96) was chosen: 11465 points") != NULL, "text: why line");
	ok(strstr(s, "\n    ledger memcg, constraint memcg, totalpages 16384 (") &&
	   strstr(s, ", walked 4, candidates 3, exempt 1\n"), "text: ledger line");
	ok(strstr(s, "\n    rank pid comm    anon file  shmem swap pgtables   adj adj_points points "
		  "exempt\n") != NULL, "text: table header, columns as wide as their cells");
	{
		char want[256], a[32];

		snprintf(a, sizeof(a), "%s", pk == 4 ? "44.0 MB" : "?");
		snprintf(want, sizeof(want), "\n  >    1  96 hog  %s 4 kB 648 kB 0 kB   124 kB     0          0  11465 -\n", a);
		ok(pk != 4 || strstr(s, want), "text: row 1 anon 11271 pages as %s", a);
	}
	ok(strstr(s, "\n       -  98 hog  3904 kB 4 kB 628 kB 0 kB    48 kB -1000          -      - "
		  "adj_min\n") != NULL,
	   "text: exempt row with '-' rank, adj_points, points");
	ok(strstr(s, "\n  >    2") == NULL && strstr(s, "\n  >    1") != NULL, "text: victim marked");
	{
		int wide = 0;
		const char *p = s;

		while (*p) {
			size_t len = strcspn(p, "\n");

			if (len > 100)
				wide++;
			p += len + (p[len] == '\n');
		}
		ok(!wide, "text: within 100 columns");
	}
	if (failed)
		fputs(s, stdout);
	free(s);

	s = capture(&e, true);
	ok(strstr(s, "\"ledger\":{\"domain\":\"memcg\",\"constraint\":\"memcg\",\"totalpages\":16384,"
		  "\"walked\":4,\"candidates\":3,\"exempt\":1,\"nodes_checked\":true,\"rows\":[") != NULL,
	   "JSON: ledger header");
	ok(strstr(s, "\"rows\":[{\"rank\":1,\"pid\":96,\"comm\":\"hog\",\"anon_pages\":11271,"
		  "\"file_pages\":1,\"shmem_pages\":162,\"swap_pages\":0,\"pgtables_pages\":31,"
		  "\"oom_score_adj\":0,\"adj_points\":0,\"points\":11465,\"origin\":false,"
		  "\"exempt\":null,\"victim\":true}") != NULL, "JSON: victim row first");
	ok(strstr(s, "{\"rank\":null,\"pid\":98,\"comm\":\"hog\",\"anon_pages\":976,") &&
	   strstr(s, "\"oom_score_adj\":-1000,\"adj_points\":null,\"points\":null,\"origin\":false,"
		  "\"exempt\":\"adj_min\",\"victim\":false}"), "JSON: '-' is null, exempt reason");
	ok(strstr(s, "\"why\":\"hog (pid 96) was chosen: 11465 points = rss 11434") != NULL,
	   "JSON: why");
	ok(strchr(s, '\n') == s + strlen(s) - 1, "JSON: one line");
	free(s);

	/* the largest task exempt */
	ok(event_parse_module_record(rec_exempt, strlen(rec_exempt), &e, g) == 0 &&
	   e.ledger.nr == 2 && !strcmp(e.ledger.rows[1].comm, "big db"), "exempt: parsed");
	event_ledger_why(&e, why, sizeof(why));
	ok(strstr(why, "; it was the only candidate") == NULL && formula_adds_up(why),
	   "exempt: 30 candidates, not the only one (%s)", why);
	ok(strstr(why, "; the largest, big db (pid 200), with 95300 pages (") &&
	   strstr(why, "was exempt: oom_score_adj=-1000"), "exempt: the largest named, why not");
	s = capture(&e, true);
	ok(strstr(s, "\"domain\":\"all\",\"constraint\":\"none\"") != NULL, "exempt: JSON domain");
	free(s);

	/* the victim's command line and parents after the rows */
	ok(event_parse_module_record(rec_cmdline, strlen(rec_cmdline), &e, g) == 0 &&
	   e.ledger.present && e.ledger.totalpages == 8192 && e.ledger.walked == 2 &&
	   e.ledger.candidates == 2 && e.ledger.exempt == 0 && !e.ledger.unknown &&
	   e.ledger.nr == 2 && e.ledger.rows[0].victim == 1 && e.ledger.rows[1].pid == 95 &&
	   !e.ledger.rows[1].unknown, "cmdline: ledger and rows parsed as before");

	/* an oom_task_origin victim */
	ok(event_parse_module_record(rec_origin, strlen(rec_origin), &e, g) == 0 &&
	   !e.ledger.nodes_checked && e.ledger.constraint == OOMDIAG_CONSTRAINT_CPUSET,
	   "origin: nodes=unchecked, cpuset");
	event_ledger_why(&e, why, sizeof(why));
	ok(!strncmp(why, "hog (pid 96) was chosen first as an oom_task_origin task",
		     strlen("hog (pid 96) was chosen first as an oom_task_origin task")) &&
	   strstr(why, "; the next, bigger (pid 300), had 50100") &&
	   strstr(why, "; the largest, bigger (pid 300), with 50100 pages (") &&
	   strstr(why, "ranks after an oom_task_origin task") && formula_adds_up(why),
	   "origin: said, and the larger task named (%s)", why);
	s = capture(&e, false);
	ok(strstr(s, "nodes not checked\n") && strstr(s, "\n  >    1") && strstr(s, " - origin\n"),
	   "origin: text marks");
	if (failed)
		fputs(s, stdout);
	free(s);
	s = capture(&e, true);
	ok(strstr(s, "\"nodes_checked\":false") && strstr(s, "\"origin\":true"), "origin: JSON");
	free(s);

	/* no ledger: no key; a truncated or odd ledger never crashes */
	{
		static const char bare[] = HEAD;
		static const char odd[] = HEAD
		"  ledger domain=- constraint=- totalpages=- walked=x\n"
		"  candidate rank=1 pid=5 comm= victim=1 points=-\n";

		ok(event_parse_module_record(bare, strlen(bare), &e, g) == 0 && !e.ledger.present &&
		   !event_ledger_why(&e, why, sizeof(why)), "no ledger: none, no sentence");
		s = capture(&e, true);
		ok(!strstr(s, "\"ledger\"") && !strstr(s, "\"why\""), "no ledger: no JSON keys");
		free(s);
		ok(event_parse_module_record(odd, strlen(odd), &e, g) == 0 && e.ledger.present &&
		   e.ledger.unknown == (1u << OD_NR_LEDGER_FIELDS) - 1 &&
		   e.ledger.constraint == OOMDIAG_CONSTRAINT_UNKNOWN, "odd ledger: all unknown");
		ok(event_ledger_why(&e, why, sizeof(why)) &&
		   !strcmp(why, "- (pid 5) was chosen, its points not known; it was the only candidate"),
		   "odd ledger: a sentence (%s)", why);
		s = capture(&e, true);
		ok(strstr(s, "\"domain\":null,\"constraint\":null,\"totalpages\":null") != NULL,
		   "odd ledger: JSON nulls");
		free(s);
	}
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
