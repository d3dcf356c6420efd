// SPDX-License-Identifier: GPL-2.0
/*
 * Round trip of the event vocabulary (include/oomdiag_event.h's lists):
 * every kind, context, constraint, vm reason and flag the module can write
 * is rendered by name and parsed back to itself, in a module record line
 * of the exact format module/recorder.c prints; and a "-" (not known) in
 * any numeric field of a record never becomes 0: the parsed event marks it
 * unknown, text shows "-", JSON null.  The reader refuses a module header
 * of another ABI version.  TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "modevents.h"

#include "tap.h"

/* Records as module/recorder.c prints them (first lines only). */
static const char rec_alloc[] =
"seq=11 ts_ns=5000000000 wall_ns=1763788800123000000 kind=warn_alloc cpu=1 context=task "
"pid=300 tgid=299 comm=hog flags=silent|nowarn gfp=0xa20 gfp_names=GFP_ATOMIC order=3 "
"latency_ns=64949612 nodemask_set=1 hook=warn_alloc after=done\n";

static const char rec_oom[] =
"seq=12 ts_ns=6000000000 wall_ns=1763788801000000000 kind=oom_kill cpu=2 context=task "
"pid=321 tgid=321 comm=hog flags=- victim_pid=321 victim_uid=1000 victim_comm=hog "
"anon_rss_kb=180000 file_rss_kb=1200 shmem_rss_kb=64 swap_kb=512 pgtables_kb=400 "
"points=45600 totalpages=65536 oom_score_adj=900 constraint=memcg gfp=0x140cca "
"gfp_names=GFP_HIGHUSER_MOVABLE|__GFP_COMP order=2 memcg=/test victim_memcg=/test/a "
"hook=oom_kill after=-\n";

/* reason=overcommit: committed_as_pages, no limit/current */
static const char rec_vm_oc[] =
"seq=13 ts_ns=7000000000 wall_ns=1763788802000000000 kind=vm_refused cpu=3 context=task "
"pid=400 tgid=400 comm=bigmalloc flags=silent reason=overcommit pages=262144 "
"committed_as_pages=70000 commit_limit_pages=65000 overcommit_mode=2 overcommit_ratio=50 "
"overcommit_kbytes=7 hook=vm_enough_memory after=done\n";

/* reason=rlimit_as: limit/current, no committed_as_pages */
static const char rec_vm_rl[] =
"seq=14 ts_ns=8000000000 wall_ns=1763788803000000000 kind=vm_refused cpu=0 context=softirq "
"pid=401 tgid=401 comm=bigmalloc flags=silent reason=rlimit_as pages=262144 "
"commit_limit_pages=65000 overcommit_mode=0 overcommit_ratio=50 overcommit_kbytes=0 "
"limit=1073741824 current=5000 hook=may_expand_vm after=done\n";

/* An oom_victim as the module prints it: the keys it cannot know are "-". */
static const char rec_victim[] =
"seq=15 ts_ns=9000000000 wall_ns=1763788804000000000 kind=oom_victim cpu=0 context=task "
"pid=500 tgid=500 comm=hog flags=group_kill victim_pid=501 victim_uid=0 victim_comm=sib "
"anon_rss_kb=100 file_rss_kb=0 shmem_rss_kb=0 swap_kb=0 pgtables_kb=8 points=- "
"totalpages=- oom_score_adj=0 constraint=- memcg=- victim_memcg=- hook=mark_victim "
"after=-\n";

/* A vm_refused before the worker ran. */
static const char rec_vm_pending[] =
"seq=16 ts_ns=9500000000 wall_ns=0 kind=vm_refused cpu=0 context=task pid=402 tgid=402 "
"comm=m flags=silent reason=other pages=16 commit_limit_pages=- overcommit_mode=- "
"overcommit_ratio=- overcommit_kbytes=- limit=- current=65530 hook=do_mmap after=pending\n";

static const struct gfp_layout *layout;

static char *render(const struct od_event *e, bool json)
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

/* Does s contain the printf-formatted text? */
static bool has(const char *s, const char *fmt, const char *arg)
{
	char want[128];

	snprintf(want, sizeof(want), fmt, arg);
	return strstr(s, want) != NULL;
}

static int parse(const char *rec, struct od_event *e)
{
	return event_parse_module_record(rec, strlen(rec), e, layout);
}

/* rec with " key=VALUE" (or a leading "key=VALUE") replaced by key=val. */
static char *replace_value(const char *rec, const char *key, const char *val)
{
	char pat[64], *out;
	const char *p, *v, *end;
	size_t klen;

	snprintf(pat, sizeof(pat), " %s=", key);
	klen = strlen(key) + 1;
	if (!strncmp(rec, pat + 1, klen))
		p = rec;
	else if ((p = strstr(rec, pat)))
		p++;
	else
		return NULL;
	v = p + klen;
	end = v + strcspn(v, " \n");
	out = malloc(strlen(rec) + strlen(val) + 1);
	sprintf(out, "%.*s%s%s", (int)(v - rec), rec, val, end);
	return out;
}

static void test_names(void)
{
	struct od_event e;
	char *s = NULL, *j = NULL, *rec;

	for (const struct oomdiag_name *t = oomdiag_kind_names; t->name; t++)
		ok(!strcmp(event_kind_name(t->value), t->name) &&
		   event_kind_from_name(t->name) == (int)t->value,
		   "kind %s: name of %u and back", t->name, t->value);
	for (const struct oomdiag_name *t = oomdiag_context_names; t->name; t++)
		ok(!strcmp(event_context_name(t->value), t->name) &&
		   event_context_from_name(t->name) == (int)t->value,
		   "context %s: name of %u and back", t->name, t->value);
	for (const struct oomdiag_name *t = oomdiag_constraint_names; t->name; t++)
		ok(!strcmp(event_constraint_name(t->value), t->name) &&
		   event_constraint_from_name(t->name) == (int)t->value,
		   "constraint %s: name of %u and back", t->name, t->value);
	for (const struct oomdiag_name *t = oomdiag_vm_reason_names; t->name; t++)
		ok(!strcmp(event_vm_reason_name(t->value), t->name) &&
		   event_vm_reason_from_name(t->name) == (int)t->value,
		   "vm reason %s: name of %u and back", t->name, t->value);
	/* every value of the enums has its name: a new one without fails here */
	{
		static const unsigned int kinds[] = { OOMDIAG_KIND_ALLOC_FAIL,
			OOMDIAG_KIND_WARN_ALLOC, OOMDIAG_KIND_OOM_KILL, OOMDIAG_KIND_OOM_VICTIM,
			OOMDIAG_KIND_VM_REFUSED, OOMDIAG_KIND_SLOW_ALLOC };
		static const unsigned int ctxs[] = { OOMDIAG_CTX_TASK, OOMDIAG_CTX_SOFTIRQ,
			OOMDIAG_CTX_IRQ, OOMDIAG_CTX_NMI, OOMDIAG_CTX_UNKNOWN };
		static const unsigned int cons[] = { OOMDIAG_CONSTRAINT_NONE,
			OOMDIAG_CONSTRAINT_CPUSET, OOMDIAG_CONSTRAINT_MEMORY_POLICY,
			OOMDIAG_CONSTRAINT_MEMCG };
		static const unsigned int reasons[] = { OOMDIAG_VM_OVERCOMMIT,
			OOMDIAG_VM_RLIMIT_AS, OOMDIAG_VM_RLIMIT_DATA, OOMDIAG_VM_MAX_MAP_COUNT,
			OOMDIAG_VM_OTHER };
		bool all = sizeof(kinds) / sizeof(kinds[0]) == OOMDIAG_KIND_MAX - 1;

		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			all &= oomdiag_name_of(oomdiag_kind_names, kinds[i]) != NULL;
		for (size_t i = 0; i < sizeof(ctxs) / sizeof(ctxs[0]); i++)
			all &= oomdiag_name_of(oomdiag_context_names, ctxs[i]) != NULL;
		for (size_t i = 0; i < sizeof(cons) / sizeof(cons[0]); i++)
			all &= oomdiag_name_of(oomdiag_constraint_names, cons[i]) != NULL;
		for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
			all &= oomdiag_name_of(oomdiag_vm_reason_names, reasons[i]) != NULL;
		ok(all, "every kind, context, constraint and reason the module writes has a name");
	}
	ok(!strcmp(event_kind_name(0), "unknown") && !strcmp(event_kind_name(99), "unknown") &&
	   event_kind_from_name("bogus") == -1 && !strcmp(event_context_name(7), "unknown") &&
	   !strcmp(event_constraint_name(OOMDIAG_CONSTRAINT_UNKNOWN), "-") &&
	   !strcmp(event_vm_reason_name(0), "-") && event_vm_reason_from_name("-") == -1,
	   "values outside the lists: unknown kind/context, '-' constraint/reason");

	/* each name in a record line, parsed back and rendered by name */
	for (const struct oomdiag_name *t = oomdiag_kind_names; t->name; t++) {
		rec = replace_value(rec_alloc, "kind", t->name);
		ok(rec && !parse(rec, &e) && e.ev.kind == t->value && (j = render(&e, true)) &&
		   has(j, "\"kind\":\"%s\"", t->name) && (s = render(&e, false)) &&
		   has(s, " %s ", t->name),
		   "record kind=%s parsed to %u, rendered by name", t->name, t->value);
		free(rec), free(j), free(s), j = s = NULL;
	}
	for (const struct oomdiag_name *t = oomdiag_context_names; t->name; t++) {
		rec = replace_value(rec_alloc, "context", t->name);
		ok(rec && !parse(rec, &e) && e.ev.context == t->value && (j = render(&e, true)) &&
		   has(j, "\"context\":\"%s\"", t->name) && (s = render(&e, false)) &&
		   has(s, " %s context", t->name),
		   "record context=%s parsed to %u, rendered by name", t->name, t->value);
		free(rec), free(j), free(s), j = s = NULL;
	}
	for (const struct oomdiag_name *t = oomdiag_constraint_names; t->name; t++) {
		rec = replace_value(rec_oom, "constraint", t->name);
		ok(rec && !parse(rec, &e) && e.ev.oom.constraint == t->value &&
		   (j = render(&e, true)) && has(j, "\"constraint\":\"%s\"", t->name) &&
		   (s = render(&e, false)) && has(s, "constraint %s", t->name),
		   "record constraint=%s parsed to %u, rendered by name", t->name, t->value);
		free(rec), free(j), free(s), j = s = NULL;
	}
	for (const struct oomdiag_name *t = oomdiag_vm_reason_names; t->name; t++) {
		rec = replace_value(rec_vm_rl, "reason", t->name);
		ok(rec && !parse(rec, &e) && e.ev.vm.reason == t->value && (j = render(&e, true)) &&
		   has(j, "\"reason\":\"%s\"", t->name) && (s = render(&e, false)) &&
		   has(s, " %s, asked", t->name),
		   "record reason=%s parsed to %u, rendered by name", t->name, t->value);
		free(rec), free(j), free(s), j = s = NULL;
	}

	/* flags, one by one and all at once */
	{
		char all[256] = "", txt[256];
		unsigned int bits = 0;

		for (unsigned int bit = 0; bit < OOMDIAG_NR_FLAGS; bit++) {
			const char *name = oomdiag_flag_names[bit];

			event_flags_text(1u << bit, txt, sizeof(txt));
			rec = replace_value(rec_oom, "flags", name);
			ok(name && !strcmp(txt, name) && event_flags_from_text(name) == 1u << bit &&
			   rec && !parse(rec, &e) && e.ev.flags == 1u << bit &&
			   (j = render(&e, true)) && has(j, "\"flags\":[\"%s\"]", name),
			   "flag %s: bit %u, record flags=%s parsed back, JSON by name", name, bit,
			   name);
			free(rec), free(j), j = NULL;
			snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
				 bits ? "|" : "", name);
			bits |= 1u << bit;
		}
		ok(bits == (OOMDIAG_F_SILENT | OOMDIAG_F_NOWARN | OOMDIAG_F_RATELIMITED |
			    OOMDIAG_F_GROUP_KILL | OOMDIAG_F_CURRENT | OOMDIAG_F_SNAPSHOT |
			    OOMDIAG_F_COSTLY | OOMDIAG_F_PATH_TRUNCATED),
		   "every OOMDIAG_F_ bit has its name");
		event_flags_text(bits, txt, sizeof(txt));
		ok(!strcmp(txt, all) && event_flags_from_text(all) == bits,
		   "all flags: %s and back", all);
		event_flags_text(bits | 0x100, txt, sizeof(txt));
		ok(event_flags_from_text(txt) == (bits | 0x100) && strstr(txt, "|0x100"),
		   "a bit without a name: 0x100 and back");
		ok(event_flags_from_text("-") == 0, "flags=- is none");
	}
}

/* Where each field shows: its JSON key, and its text for people when "-". */
static const struct {
	enum od_field f;
	const char *rec;
	const char *key;	/* record key */
	const char *json;	/* JSON key: null or absent, never 0 */
	const char *human;	/* the text line's "-", NULL: not shown */
} fields[] = {
	{ OD_FIELD_SEQ, rec_alloc, "seq", "seq", NULL },
	{ OD_FIELD_TS_NS, rec_alloc, "ts_ns", "ts_ns", NULL },
	{ OD_FIELD_WALL_NS, rec_alloc, "wall_ns", "wall_ns", NULL },
	{ OD_FIELD_CPU, rec_alloc, "cpu", "cpu", "cpu -" },
	{ OD_FIELD_PID, rec_alloc, "pid", "tid", NULL },
	{ OD_FIELD_TGID, rec_alloc, "tgid", NULL, NULL },
	{ OD_FIELD_ALLOC_GFP, rec_alloc, "gfp", "mask", "gfp -" },
	{ OD_FIELD_ALLOC_ORDER, rec_alloc, "order", "order", NULL },
	{ OD_FIELD_LATENCY_NS, rec_alloc, "latency_ns", "latency_ns", NULL },
	{ OD_FIELD_NODEMASK_SET, rec_alloc, "nodemask_set", "nodemask_set", NULL },
	{ OD_FIELD_VICTIM_PID, rec_oom, "victim_pid", "pid", NULL },
	{ OD_FIELD_VICTIM_UID, rec_oom, "victim_uid", "uid", NULL },
	{ OD_FIELD_ANON_RSS_KB, rec_oom, "anon_rss_kb", "anon_rss_kb", "anon -" },
	{ OD_FIELD_FILE_RSS_KB, rec_oom, "file_rss_kb", "file_rss_kb", "file -" },
	{ OD_FIELD_SHMEM_RSS_KB, rec_oom, "shmem_rss_kb", "shmem_rss_kb", "shmem -" },
	{ OD_FIELD_SWAP_KB, rec_oom, "swap_kb", "swap_kb", "swap -" },
	{ OD_FIELD_PGTABLES_KB, rec_oom, "pgtables_kb", "pgtables_kb", NULL },
	{ OD_FIELD_POINTS, rec_oom, "points", "points", "points -" },
	{ OD_FIELD_TOTALPAGES, rec_oom, "totalpages", "totalpages", NULL },
	{ OD_FIELD_OOM_SCORE_ADJ, rec_oom, "oom_score_adj", "oom_score_adj", "oom_score_adj -" },
	{ OD_FIELD_OOM_GFP, rec_oom, "gfp", "mask", "gfp -" },
	{ OD_FIELD_OOM_ORDER, rec_oom, "order", "order", NULL },
	{ OD_FIELD_OVERCOMMIT_MODE, rec_vm_oc, "overcommit_mode", "overcommit_mode",
	  "overcommit_memory=-" },
	{ OD_FIELD_PAGES, rec_vm_oc, "pages", "pages", "asked -" },
	{ OD_FIELD_COMMITTED_AS, rec_vm_oc, "committed_as_pages", "committed_as_pages",
	  "Committed_AS -" },
	{ OD_FIELD_COMMIT_LIMIT, rec_vm_oc, "commit_limit_pages", "commit_limit_pages",
	  "CommitLimit -" },
	{ OD_FIELD_OVERCOMMIT_RATIO, rec_vm_oc, "overcommit_ratio", "overcommit_ratio", NULL },
	{ OD_FIELD_OVERCOMMIT_KBYTES, rec_vm_oc, "overcommit_kbytes", "overcommit_kbytes", NULL },
	{ OD_FIELD_LIMIT, rec_vm_rl, "limit", "limit", "limit -" },
	{ OD_FIELD_CURRENT, rec_vm_rl, "current", "current", "current -" },
};

/* JSON says key is null or leaves it out; never 0. */
static bool json_unknown(const char *j, const char *key)
{
	char k[64], n[80], z[80], x[80];

	snprintf(k, sizeof(k), "\"%s\":", key);
	snprintf(n, sizeof(n), "\"%s\":null", key);
	snprintf(z, sizeof(z), "\"%s\":0", key);
	snprintf(x, sizeof(x), "\"%s\":\"0x0\"", key);
	return (strstr(j, n) || !strstr(j, k)) && !strstr(j, z) && !strstr(j, x);
}

static void test_unknown(void)
{
	struct od_event e, base;
	size_t nf = sizeof(fields) / sizeof(fields[0]);
	bool all = true;

	ok(nf == OD_NR_FIELDS, "every numeric record field is tested (%zu of %d)", nf,
	   OD_NR_FIELDS);
	for (size_t i = 0; i < nf; i++) {
		char *rec = replace_value(fields[i].rec, fields[i].key, "-");
		char *j = NULL, *s = NULL;

		all &= rec != NULL;
		parse(fields[i].rec, &base);
		ok(event_known(&base, fields[i].f), "%s=<number> is known", fields[i].key);
		ok(rec && !parse(rec, &e) && !event_known(&e, fields[i].f) &&
		   e.unknown == (base.unknown | 1ull << fields[i].f),
		   "%s=- is not known, and only it", fields[i].key);
		j = render(&e, true);
		s = render(&e, false);
		if (fields[i].json)
			ok(json_unknown(j, fields[i].json), "%s=-: JSON %s null or absent, not 0",
			   fields[i].key, fields[i].json);
		if (fields[i].human)
			ok(strstr(s, fields[i].human) != NULL, "%s=-: text says '%s'",
			   fields[i].key, fields[i].human);
		free(rec);
		free(j);
		free(s);
	}
	ok(all, "every field found in its record");

	/* records the module prints with "-" and keys left out */
	{
		char *j, *s;

		ok(!parse(rec_victim, &e) && !event_known(&e, OD_FIELD_POINTS) &&
		   !event_known(&e, OD_FIELD_TOTALPAGES) &&
		   e.ev.oom.constraint == OOMDIAG_CONSTRAINT_UNKNOWN && !e.ev.oom.memcg[0] &&
		   event_known(&e, OD_FIELD_FILE_RSS_KB) && e.ev.oom.file_rss_kb == 0,
		   "oom_victim: points, totalpages, constraint not known; file_rss_kb=0 is 0");
		j = render(&e, true);
		s = render(&e, false);
		ok(strstr(j, "\"points\":null") && strstr(j, "\"totalpages\":null") &&
		   strstr(j, "\"constraint\":null") && strstr(j, "\"memcg\":null") &&
		   strstr(j, "\"file_rss_kb\":0"), "oom_victim JSON: null for not known, 0 for 0");
		ok(strstr(s, "points -") && strstr(s, "constraint -"), "oom_victim text: '-'");
		free(j);
		free(s);

		ok(!parse(rec_vm_pending, &e) && e.ev.vm.reason == OOMDIAG_VM_OTHER &&
		   !event_known(&e, OD_FIELD_COMMIT_LIMIT) && !event_known(&e, OD_FIELD_LIMIT) &&
		   !event_known(&e, OD_FIELD_COMMITTED_AS) && event_known(&e, OD_FIELD_CURRENT) &&
		   e.ev.vm.current_usage == 65530, "vm_refused pending: reason other, '-' not known");
		j = render(&e, true);
		s = render(&e, false);
		ok(strstr(j, "\"reason\":\"other\"") && strstr(j, "\"commit_limit_pages\":null") &&
		   strstr(j, "\"overcommit_mode\":null") && strstr(j, "\"limit\":null") &&
		   strstr(j, "\"committed_as_pages\":null") && strstr(j, "\"current\":65530"),
		   "vm_refused pending JSON: reason other, null for '-' and left out");
		ok(strstr(s, "other, asked") && strstr(s, "CommitLimit -") &&
		   strstr(s, "Committed_AS -") && !strstr(s, " 0 kB") && strstr(s, "limit -"),
		   "vm_refused pending text: 'CommitLimit -', never 0 kB");
		free(j);
		free(s);

		ok(!parse(rec_vm_oc, &e) && !event_known(&e, OD_FIELD_LIMIT) &&
		   !event_known(&e, OD_FIELD_CURRENT) && event_known(&e, OD_FIELD_COMMITTED_AS),
		   "overcommit record: limit and current left out, not known");
	}
	{
		char *rec = replace_value(rec_vm_rl, "limit", "unlimited"), *j = NULL;

		ok(rec && !parse(rec, &e) && event_known(&e, OD_FIELD_LIMIT) &&
		   e.ev.vm.limit == OD_UNLIMITED && (j = render(&e, true)) &&
		   strstr(j, "\"limit\":\"unlimited\""), "limit=unlimited is known, not 0");
		free(rec);
		free(j);
	}
}

static void test_abi(void)
{
	struct od_event_list l;
	char text[1024];
	char *err = NULL;
	size_t len = 0;
	FILE *f;
	int saved;

	snprintf(text, sizeof(text),
		 "# oomdiag events v1 abi=%d records=1 first_seq=11 next_seq=12 ring_size=256 "
		 "lost=0 dropped=0 armed=1 hooks=5\n%s", OOMDIAG_ABI_VERSION, rec_alloc);
	modevents_parse(&l, text, strlen(text), layout);
	ok(l.abi == OOMDIAG_ABI_VERSION && l.nr == 1, "abi=%d: this ABI, 1 record read",
	   OOMDIAG_ABI_VERSION);
	modevents_free(&l);
	snprintf(text, sizeof(text),
		 "# oomdiag events v1 abi=%d records=1 first_seq=11 next_seq=12 ring_size=256 "
		 "lost=0 dropped=0 armed=1 hooks=5\n%s", OOMDIAG_ABI_VERSION + 1, rec_alloc);
	modevents_parse(&l, text, strlen(text), layout);
	ok(l.abi == OOMDIAG_ABI_VERSION + 1 && l.nr == 0, "abi=%d: another ABI, no record read",
	   OOMDIAG_ABI_VERSION + 1);
	/* the message, from stderr */
	fflush(stderr);
	saved = dup(2);
	f = tmpfile();
	if (f && saved >= 0 && dup2(fileno(f), 2) >= 0) {
		modevents_abi_error(&l);
		fflush(stderr);
		dup2(saved, 2);
		len = (size_t)ftell(f);
		err = calloc(1, len + 1);
		rewind(f);
		if (fread(err, 1, len, f) != len)
			err[0] = 0;
	}
	{
		char want[128];

		snprintf(want, sizeof(want), "oomdiag: failed to read events: module ABI %d, "
			 "this oomdiag reads ABI %d\n", OOMDIAG_ABI_VERSION + 1, OOMDIAG_ABI_VERSION);
		ok(err && !strncmp(err, want, strlen(want)) && strstr(err, "hint"),
		   "mismatch message and hint");
	}
	free(err);
	if (f)
		fclose(f);
	if (saved >= 0)
		close(saved);
	modevents_free(&l);
	snprintf(text, sizeof(text),
		 "# oomdiag events v1 records=1 first_seq=11 next_seq=12 ring_size=256 lost=0 "
		 "dropped=0 armed=1 hooks=5\n%s", rec_alloc);
	modevents_parse(&l, text, strlen(text), layout);
	ok(l.abi == -1 && l.nr == 1, "a header without abi= (older module): records read");
	modevents_free(&l);
}

int main(void)
{
	layout = gfp_layout_for_version("6.1");
	test_names();
	test_unknown();
	test_abi();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
