// SPDX-License-Identifier: GPL-2.0
/* oomdiag status: one screen of everything. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cgroup.h"
#include "cli.h"
#include "event_model.h"
#include "json.h"
#include "modevents.h"
#include "render.h"
#include "sysmem.h"
#include "tasks.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag status [--json]\n"
		"\n"
		"One screen: per zone free memory against its watermarks, the highest free\n"
		"order per zone and migratetype, fragmentation, overcommit headroom, the five\n"
		"most likely OOM victims, and recent events when the module is loaded; with\n"
		"the module, the OOM kills it recorded reconciled with the kernel's counters\n"
		"(/proc/vmstat oom_kill, each memory cgroup's memory.events), naming any gap,\n"
		"and why the five most recent failures in its ring happened (the newest OOM\n"
		"kill among them even if more failures followed it), one line each:\n"
		"the cause ids and the first cause's evidence, which 'oomdiag events -x'\n"
		"gives in full (with --json: \"recent_causes\", one object per failure with\n"
		"\"causes\" and \"missing\" in the schema of 'oomdiag explain').\n"
		"Without the module everything readable from /proc is shown.\n"
		COMMON_HELP);
}

static const char *zone_state(const struct od_zone *z)
{
	uint64_t f = z->has_wmark && z->free_pages ? z->free_pages : zone_total_free_pages(z);

	if (!z->has_wmark || !z->managed_pages)
		return "-";
	if (f < z->min_pages)
		return "below min";
	if (f < z->low_pages)
		return "below low";
	if (f < z->high_pages)
		return "below high";
	return "ok";
}

/* Kill accounting: the module's counters, the kernel's, per memcg. */
struct kills {
	bool have;			/* the module prints its counters */
	struct od_kill_counts k;
	struct od_cg_kills *cg;
	int ncg;
	int64_t lost;			/* ring records overwritten */
};

static void kills_read(struct kills *kl, const struct od_event_list *el, bool module, int er)
{
	memset(kl, 0, sizeof(*kl));
	kl->have = module && !cg_read_kill_counts(&kl->k) && kl->k.recorded >= 0;
	if (!module || er)
		return;
	kl->lost = modevents_summary(el, "lost");
	kl->ncg = cg_reconcile(el, &kl->cg);
}

/* What the kernel's counter should read: the module's kill count if it has one. */
static int64_t kills_expected(const struct od_kill_counts *k)
{
	return k->kills >= 0 ? k->kills : k->recorded;
}

static void kills_json(struct json_writer *w, const struct kills *kl)
{
	if (!kl->have) {
		json_null(w, "oom_kills");
		return;
	}
	json_begin_object(w, "oom_kills");
	json_int(w, "recorded", kl->k.recorded);
	json_int(w, "kills", kl->k.kills);
	json_int(w, "recounted", kl->k.recounted);
	json_int(w, "kernel", kl->k.kernel);
	if (kl->k.kernel >= 0)
		json_int(w, "unrecorded", kl->k.kernel - kills_expected(&kl->k));
	else
		json_null(w, "unrecorded");
	json_int(w, "marked_only", kl->k.marked_only);
	json_int(w, "vmstat_oom_kill", kl->k.vmstat_now);
	json_int(w, "vmstat_oom_kill_at_arm", kl->k.vmstat_at_arm);
	json_int(w, "ring_lost", kl->lost);
	json_begin_array(w, "cgroups");
	for (int i = 0; i < kl->ncg; i++) {
		json_begin_object(w, NULL);
		json_string(w, "path", kl->cg[i].path);
		json_int(w, "kernel", kl->cg[i].kernel);
		json_int(w, "recorded", kl->cg[i].recorded);
		json_int(w, "recounted", kl->cg[i].recounted);
		container_json(w, kl->cg[i].path);
		json_end_object(w);
	}
	json_end_array(w);
	json_end_object(w);
}

static void kills_text(const struct kills *kl, const struct od_style *st)
{
	const char *B = od_c(st, C_BOLD), *R = od_c(st, C_RESET), *Y = od_c(st, C_YELLOW);
	const struct od_kill_counts *k = &kl->k;
	int64_t want = kills_expected(k);

	printf("\n%sOOM kills%s (since the module was armed)\n", B, R);
	if (!kl->have) {
		printf("  the module prints no kill counters (older module?)\n");
		return;
	}
	printf("  recorded %lld (each victim once), kernel counted %lld (vmstat oom_kill %lld, "
	       "%lld at arm)", (long long)k->recorded, (long long)k->kernel,
	       (long long)k->vmstat_now, (long long)k->vmstat_at_arm);
	if (k->kernel < 0)
		printf(": the kernel's counter is unreadable\n");
	else if (k->kernel == want)
		printf(": all accounted\n");
	else if (k->kernel > want)
		printf("\n  %s%lld kill(s) not recorded%s (the oom_kill_process kretprobe missed "
		       "them: see its nmissed in the events header)\n", Y,
		       (long long)(k->kernel - want), R);
	else
		printf("\n  %s%lld more recorded than counted%s (a kill raced with arming)\n", Y,
		       (long long)(want - k->kernel), R);
	if (k->recounted > 0)
		printf("  the kernel counted %lld group kill victim(s) twice (oom_kill_memcg_member() "
		       "kills the chosen victim again)\n", (long long)k->recounted);
	else if (k->kills < 0)
		printf("  (no __oom_kill_process hook: a group kill's chosen victim counts twice in "
		       "the kernel's counter)\n");
	if (k->marked_only > 0)
		printf("  %lld victim(s) marked without a kill (already exiting: the kernel "
		       "counts no kill)\n", (long long)k->marked_only);
	if (!kl->ncg)
		return;
	printf("  per memory cgroup (the victims' own; kernel: memory.events.local, since its "
	       "creation)\n");
	for (int i = 0; i < kl->ncg; i++) {
		const struct od_cg_kills *c = &kl->cg[i];
		int64_t cw = c->recorded + c->recounted;
		struct od_container ct;
		char cn[400], p[300], kn[24] = "-";

		cg_container(c->path, &ct);
		cg_container_str(&ct, cn, sizeof(cn));
		od_escape(c->path, strlen(c->path), p, sizeof(p));
		if (c->kernel >= 0)
			snprintf(kn, sizeof(kn), "%lld", (long long)c->kernel);
		printf("    %-32s kernel %4s recorded %4lld", p, kn, (long long)c->recorded);
		if (c->recounted)
			printf(" (+%lld counted twice by a group kill)", (long long)c->recounted);
		if (c->kernel >= 0 && c->kernel > cw)
			printf("  %s%lld not in the ring (%s)%s", Y, (long long)(c->kernel - cw),
			       kl->lost > 0 ? "overwritten, or before arming" : "before arming", R);
		printf("%s%s\n", cn[0] ? "  " : "", cn);
	}
}

#define RECENT_FAILURES 5

/* Everything status shows, read once; each section renders it for people and as JSON. */
struct status {
	struct od_opts o;
	struct od_style st;
	struct utsname u;
	bool module;
	struct od_zones *zs;
	int zr;
	char zerr[256];
	struct od_overcommit oc;
	int ocr;
	struct od_tasks ts;
	int tr;
	char terr[256];
	struct od_event_list el;
	int er;				/* events file: 0 read, -errno, -1 not tried */
	struct kills kl;
};

static bool have_events(const struct status *s)
{
	return s->module && !s->er;
}

static void header_json(struct json_writer *w, const struct status *s)
{
	json_string(w, "kernel", s->u.release);
	json_bool(w, "module_loaded", s->module);
}

static void header_text(const struct status *s)
{
	const char *B = od_c(&s->st, C_BOLD), *R = od_c(&s->st, C_RESET);
	const char *Y = od_c(&s->st, C_YELLOW);

	printf("%soomdiag status%s  kernel %s, ", B, R, s->u.release);
	if (s->module)
		printf("module loaded (%s)\n", od_debugfs_dir());
	else if (s->o.no_module)
		printf("module not used (--no-module)\n");
	else
		printf("%smodule not loaded%s\n  showing what /proc tells; insmod "
		       "oomdiag.ko for the flight recorder (events)\n  and the exact "
		       "in-kernel badness ranking\n", Y, R);
}

static void zones_section_json(struct json_writer *w, const struct status *s)
{
	json_begin_object(w, "memory");
	zones_json(w, s->zs);
	json_end_object(w);
}

static void zones_section_text(const struct status *s)
{
	const struct od_zones *zs = s->zs;
	const struct od_style *st = &s->st;
	const char *B = od_c(st, C_BOLD), *R = od_c(st, C_RESET);
	const char *Y = od_c(st, C_YELLOW), *RED = od_c(st, C_RED), *D = od_c(st, C_DIM);
	uint64_t pk = (uint64_t)zs->page_kb;
	char a[16], b[16], cc[16], d[16], e[16];

	printf("\n%sZones%s (source: %s)\n", B, R, zs->source);
	printf("  %-4s %-8s %9s %9s %9s %9s %9s %4s %6s  %s\n", "NODE", "ZONE", "FREE",
	       "MIN", "LOW", "HIGH", "MANAGED", "TOP", "FRAG3", "STATE");
	for (int i = 0; i < zs->nr; i++) {
		const struct od_zone *z = &zs->z[i];
		const char *zst = zone_state(z);
		int fi = zone_frag_index(z, 3);
		char fr[16];

		if (!z->managed_pages && !zone_total_free_pages(z))
			continue;
		if (fi == -1000)
			snprintf(fr, sizeof(fr), "%6s", "-");
		else
			snprintf(fr, sizeof(fr), "%6.3f", fi / 1000.0);
		printf("  %-4d %-8s %9s %9s %9s %9s %9s %4d %s  %s%s%s\n", z->node, z->name,
		       human_kb(a, sizeof(a), zone_total_free_pages(z) * pk),
		       z->has_wmark ? human_kb(b, sizeof(b), z->min_pages * pk) : "-",
		       z->has_wmark ? human_kb(cc, sizeof(cc), z->low_pages * pk) : "-",
		       z->has_wmark ? human_kb(d, sizeof(d), z->high_pages * pk) : "-",
		       z->managed_pages ? human_kb(e, sizeof(e), z->managed_pages * pk) : "-",
		       zone_highest_order(z), fr,
		       !strcmp(zst, "below min") ? RED : strncmp(zst, "below", 5) ? "" : Y, zst, R);
	}
	if (zs->has_mt) {
		printf("\n  %shighest free order per migratetype%s\n", B, R);
		for (int i = 0; i < zs->nr; i++) {
			const struct od_zone *z = &zs->z[i];
			int col = 0;

			if (!z->nr_mt || (!z->managed_pages && !zone_total_free_pages(z)))
				continue;
			printf("  %-4d %-8s", z->node, z->name);
			col = 15;
			for (int mt = 0; mt < z->nr_mt && mt < zs->nr_mt; mt++) {
				int h = zone_mt_highest_order(z, mt);
				char item[40];
				int n;

				n = snprintf(item, sizeof(item), " %s %s", zs->mt_names[mt],
					     h < 0 ? "-" : "");
				if (h >= 0)
					n += snprintf(item + n, sizeof(item) - (size_t)n, "%d", h);
				if (col + n > OD_WIDTH - 2) {
					printf("\n  %13s", "");
					col = 15;
				}
				printf("%s", item);
				col += n;
			}
			printf("\n");
		}
	} else if (zs->mt_error[0]) {
		printf("  %s(%s)%s\n", D, zs->mt_error, R);
	}
	printf("  %sFRAG3: fragmentation index for order 3 (0..1, near 1: free memory "
	       "is there but in\n  smaller blocks; '-': a block is free)%s\n", D, R);
}

static const char *mode_name(int m)
{
	return m == 0 ? "heuristic" : m == 1 ? "always" : m == 2 ? "never (strict)" : "?";
}

static void overcommit_json(struct json_writer *w, const struct status *s)
{
	const struct od_overcommit *oc = &s->oc;

	if (s->ocr) {
		json_null(w, "overcommit");
		return;
	}
	json_begin_object(w, "overcommit");
	json_string(w, "source", oc->source);
	json_int(w, "mode", oc->mode);
	json_uint(w, "ratio", oc->ratio);
	json_uint(w, "kbytes", oc->kbytes);
	json_uint(w, "commit_limit_kb", oc->commit_limit_kb);
	json_uint(w, "committed_as_kb", oc->committed_as_kb);
	json_int(w, "headroom_kb", oc->headroom_kb);
	json_uint(w, "mem_total_kb", oc->mem_total_kb);
	json_uint(w, "mem_available_kb", oc->mem_available_kb);
	json_uint(w, "swap_total_kb", oc->swap_total_kb);
	json_end_object(w);
}

static void overcommit_text(const struct status *s)
{
	const struct od_overcommit *oc = &s->oc;
	const char *B = od_c(&s->st, C_BOLD), *R = od_c(&s->st, C_RESET);
	const char *RED = od_c(&s->st, C_RED), *D = od_c(&s->st, C_DIM);
	char a[16], b[16], c[16];

	printf("\n%sOvercommit%s (source: %s)\n", B, R, s->ocr ? "unreadable" : oc->source);
	if (s->ocr)
		return;
	printf("  mode %d (%s), Committed_AS %s of CommitLimit %s, headroom %s%s\n",
	       oc->mode, mode_name(oc->mode), human_kb(a, sizeof(a), oc->committed_as_kb),
	       human_kb(b, sizeof(b), oc->commit_limit_kb), oc->headroom_kb < 0 ? "-" : "",
	       human_kb(c, sizeof(c), (uint64_t)(oc->headroom_kb < 0 ? -oc->headroom_kb :
						  oc->headroom_kb)));
	if (oc->mode == 2)
		printf("  %sstrict: mmap/brk beyond the headroom fail with ENOMEM "
		       "(no OOM, no log line)%s\n", oc->headroom_kb < 0 ? RED : "", R);
	else
		printf("  %sCommitLimit is enforced only with vm.overcommit_memory=2%s\n", D, R);
}

static void victims_json(struct json_writer *w, const struct status *s)
{
	json_begin_object(w, "victims");
	if (!s->tr) {
		const struct od_task *v = tasks_next_victim(&s->ts);
		int shown = 0;

		json_string(w, "source", s->ts.source);
		json_begin_array(w, "tasks");
		for (int i = 0; i < s->ts.nr && shown < 5; i++)
			if (!s->ts.t[i].exempt[0]) {
				task_json(w, &s->ts.t[i]);
				shown++;
			}
		json_end_array(w);
		if (v)
			json_int(w, "next_victim_pid", v->pid);
	} else {
		json_string(w, "error", s->terr);
	}
	json_end_object(w);
}

static void victims_text(const struct status *s)
{
	const struct od_task *v;
	char where[1024];

	printf("\n%sLikely OOM victims%s", od_c(&s->st, C_BOLD), od_c(&s->st, C_RESET));
	if (s->tr) {
		printf(": %s\n", s->terr);
		return;
	}
	printf(" (source: %s)\n", s->ts.source);
	task_table_print(&s->ts, 5, false, &s->st);
	v = tasks_next_victim(&s->ts);
	if (!v)
		return;
	printf("  next victim: %s (pid %d)", v->comm, v->pid);
	if (*task_where(v, where, sizeof(where)))
		printf(", %s", where);
	printf("\n");
}

static void kills_section_json(struct json_writer *w, const struct status *s)
{
	kills_json(w, &s->kl);
}

static void kills_section_text(const struct status *s)
{
	if (s->module)
		kills_text(&s->kl, &s->st);
}

static void events_json(struct json_writer *w, const struct status *s)
{
	const struct od_event_list *el = &s->el;

	json_begin_object(w, "events");
	json_bool(w, "available", have_events(s));
	if (have_events(s)) {
		size_t first = el->nr > 5 ? el->nr - 5 : 0;

		json_uint(w, "in_ring", el->nr);
		json_int(w, "lost", modevents_summary(el, "lost"));
		json_int(w, "dropped", modevents_summary(el, "dropped"));
		json_begin_array(w, "last");
		for (size_t i = first; i < el->nr; i++) {
			const struct od_event *e = &el->ev[i];

			json_begin_object(w, NULL);
			json_uint(w, "seq", e->ev.seq);
			json_string(w, "kind", event_kind_name(e->ev.kind));
			json_uint(w, "pid", e->ev.tgid ? e->ev.tgid : e->ev.pid);
			json_string_len(w, "comm", e->ev.comm, strnlen(e->ev.comm, sizeof(e->ev.comm)));
			if (event_order(e) >= 0)
				json_int(w, "order", event_order(e));
			json_string(w, "gfp", e->gfp_text);
			json_end_object(w);
		}
		json_end_array(w);
	}
	json_end_object(w);
}

static void events_text(const struct status *s)
{
	const struct od_event_list *el = &s->el;

	printf("\n%sRecent events%s", od_c(&s->st, C_BOLD), od_c(&s->st, C_RESET));
	if (!s->module) {
		printf(": module not loaded (no flight recorder; 'oomdiag trace' streams "
		       "without it,\n  'oomdiag explain' reads dmesg)\n");
	} else if (s->er) {
		printf(": cannot read %s/events: %s\n", od_debugfs_dir(), strerror(-s->er));
	} else if (!el->nr) {
		printf(": none recorded\n");
	} else {
		size_t first = el->nr > 5 ? el->nr - 5 : 0;

		printf(" (last %zu of %zu)\n", el->nr - first, el->nr);
		for (size_t i = first; i < el->nr; i++)
			event_print_human(stdout, &el->ev[i], s->st.color);
	}
}

/* Why the most recent failures of the ring happened (event_model.h). */
static void recent_causes_text(const struct status *s)
{
	static struct analysis a;
	size_t idx[RECENT_FAILURES], n;

	if (!have_events(s))
		return;
	n = event_model_recent(s->el.ev, s->el.nr, RECENT_FAILURES, idx);
	printf("\n%sWhy the recent failures%s", od_c(&s->st, C_BOLD), od_c(&s->st, C_RESET));
	if (!n) {
		printf(": none recorded\n");
		return;
	}
	printf(" (last %zu; 'oomdiag events --explain' has the evidence and advice)\n", n);
	for (size_t i = 0; i < n; i++) {
		event_model_analyse(&s->el.ev[idx[i]], NULL, &a);
		event_model_print_cause_line(stdout, &s->el.ev[idx[i]], &a, &s->st, OD_WIDTH);
	}
}

static void recent_causes_json(struct json_writer *w, const struct status *s)
{
	static struct analysis a;
	size_t idx[RECENT_FAILURES], n;

	if (!have_events(s)) {
		json_null(w, "recent_causes");
		return;
	}
	n = event_model_recent(s->el.ev, s->el.nr, RECENT_FAILURES, idx);
	json_begin_array(w, "recent_causes");
	for (size_t i = 0; i < n; i++) {
		event_model_analyse(&s->el.ev[idx[i]], NULL, &a);
		event_model_json_causes(w, &s->el.ev[idx[i]], &a);
	}
	json_end_array(w);
}

/* The sections, in the order of the screen and of the JSON document. */
static const struct {
	void (*json)(struct json_writer *w, const struct status *s);
	void (*text)(const struct status *s);
} sections[] = {
	{ header_json, header_text },
	{ zones_section_json, zones_section_text },
	{ overcommit_json, overcommit_text },
	{ victims_json, victims_text },
	{ kills_section_json, kills_section_text },
	{ events_json, events_text },
	{ recent_causes_json, recent_causes_text },
};

static void status_read(struct status *s)
{
	uname(&s->u);
	s->module = !s->o.no_module && od_module_loaded();
	s->zr = sysmem_read_zones(s->zs, s->o.no_module, s->zerr, sizeof(s->zerr));
	s->ocr = sysmem_read_overcommit(&s->oc, s->o.no_module);
	s->tr = tasks_read(&s->ts, s->o.no_module, s->terr, sizeof(s->terr));
	s->er = s->module ? modevents_read(&s->el) : -1;
	kills_read(&s->kl, &s->el, s->module, s->er);
}

static void status_free(struct status *s)
{
	free(s->kl.cg);
	modevents_free(&s->el);
	if (!s->tr)
		tasks_free(&s->ts);
	free(s->zs);
	free(s);
}

int cmd_status(int argc, char **argv)
{
	static const struct option lo[] = {
		OD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct status *s = xcalloc(1, sizeof(*s));
	int c, rc = EXIT_OK;

	od_opts_init(&s->o);
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (od_opts_common(&s->o, c))
			continue;
		free(s);
		if (c == 'h') {
			help(stdout);
			return EXIT_OK;
		}
		return od_usage_error("status", "bad option");
	}
	if (optind < argc) {
		free(s);
		return od_usage_error("status", "unexpected argument '%s'", argv[optind]);
	}
	od_style_from(&s->st, &s->o, stdout);
	s->zs = xcalloc(1, sizeof(*s->zs));
	status_read(s);
	if (s->zr) {
		od_err("%s", s->zerr);
		rc = od_exit_for_errno(-s->zr);
	} else if (s->o.json) {
		struct json_writer w;

		json_init(&w, stdout);
		json_set_pretty(&w, s->o.pretty);
		json_begin_object(&w, NULL);
		for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
			sections[i].json(&w, s);
		json_end_object(&w);
		json_newline(&w);
	} else {
		for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
			sections[i].text(s);
	}
	status_free(s);
	return rc;
}
