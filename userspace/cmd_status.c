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
		"and why the five most recent failures in its ring happened, one line each:\n"
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

/* Why the most recent failures of the ring happened (event_model.h). */
static void recent_causes_text(const struct od_event_list *el, const struct od_style *st)
{
	static struct analysis a;
	size_t idx[RECENT_FAILURES];
	size_t n = event_model_recent(el->ev, el->nr, RECENT_FAILURES, idx);

	printf("\n%sWhy the recent failures%s", od_c(st, C_BOLD), od_c(st, C_RESET));
	if (!n) {
		printf(": none recorded\n");
		return;
	}
	printf(" (last %zu; 'oomdiag events --explain' has the evidence and advice)\n", n);
	for (size_t i = 0; i < n; i++) {
		event_model_analyse(&el->ev[idx[i]], NULL, &a);
		event_model_print_cause_line(stdout, &el->ev[idx[i]], &a, st, OD_WIDTH);
	}
}

static void recent_causes_json(struct json_writer *w, const struct od_event_list *el)
{
	static struct analysis a;
	size_t idx[RECENT_FAILURES], n;

	if (!el) {
		json_null(w, "recent_causes");
		return;
	}
	n = event_model_recent(el->ev, el->nr, RECENT_FAILURES, idx);
	json_begin_array(w, "recent_causes");
	for (size_t i = 0; i < n; i++) {
		event_model_analyse(&el->ev[idx[i]], NULL, &a);
		event_model_json_causes(w, &el->ev[idx[i]], &a);
	}
	json_end_array(w);
}

static const char *mode_name(int m)
{
	return m == 0 ? "heuristic" : m == 1 ? "always" : m == 2 ? "never (strict)" : "?";
}

int cmd_status(int argc, char **argv)
{
	static const struct option lo[] = {
		OD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct od_opts o;
	struct od_style st;
	struct od_zones *zs = xcalloc(1, sizeof(*zs));
	struct od_overcommit oc;
	struct od_tasks ts;
	struct od_event_list el;
	struct kills kl;
	struct utsname u;
	char err[256] = "", terr[256] = "";
	int c, zr, tr, er = -1, ocr;
	bool module;

	od_opts_init(&o);
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (od_opts_common(&o, c))
			continue;
		if (c == 'h') {
			help(stdout);
			free(zs);
			return EXIT_OK;
		}
		free(zs);
		return od_usage_error("status", "bad option");
	}
	if (optind < argc) {
		free(zs);
		return od_usage_error("status", "unexpected argument '%s'", argv[optind]);
	}
	od_style_from(&st, &o, stdout);
	uname(&u);
	module = !o.no_module && od_module_loaded();
	zr = sysmem_read_zones(zs, o.no_module, err, sizeof(err));
	ocr = sysmem_read_overcommit(&oc, o.no_module);
	tr = tasks_read(&ts, o.no_module, terr, sizeof(terr));
	memset(&el, 0, sizeof(el));
	if (module)
		er = modevents_read(&el);
	kills_read(&kl, &el, module, er);
	if (zr) {
		od_err("%s", err);
		free(kl.cg);
		if (!tr)
			tasks_free(&ts);
		free(zs);
		return od_exit_for_errno(-zr);
	}

	if (o.json) {
		struct json_writer w;
		const struct od_task *v = tr ? NULL : tasks_next_victim(&ts);

		json_init(&w, stdout);
		json_set_pretty(&w, o.pretty);
		json_begin_object(&w, NULL);
		json_string(&w, "kernel", u.release);
		json_bool(&w, "module_loaded", module);
		json_begin_object(&w, "memory");
		zones_json(&w, zs);
		json_end_object(&w);
		if (!ocr) {
			json_begin_object(&w, "overcommit");
			json_string(&w, "source", oc.source);
			json_int(&w, "mode", oc.mode);
			json_uint(&w, "ratio", oc.ratio);
			json_uint(&w, "kbytes", oc.kbytes);
			json_uint(&w, "commit_limit_kb", oc.commit_limit_kb);
			json_uint(&w, "committed_as_kb", oc.committed_as_kb);
			json_int(&w, "headroom_kb", oc.headroom_kb);
			json_uint(&w, "mem_total_kb", oc.mem_total_kb);
			json_uint(&w, "mem_available_kb", oc.mem_available_kb);
			json_uint(&w, "swap_total_kb", oc.swap_total_kb);
			json_end_object(&w);
		} else {
			json_null(&w, "overcommit");
		}
		json_begin_object(&w, "victims");
		if (!tr) {
			int shown = 0;

			json_string(&w, "source", ts.source);
			json_begin_array(&w, "tasks");
			for (int i = 0; i < ts.nr && shown < 5; i++)
				if (!ts.t[i].exempt[0]) {
					task_json(&w, &ts.t[i]);
					shown++;
				}
			json_end_array(&w);
			if (v)
				json_int(&w, "next_victim_pid", v->pid);
		} else {
			json_string(&w, "error", terr);
		}
		json_end_object(&w);
		kills_json(&w, &kl);
		json_begin_object(&w, "events");
		json_bool(&w, "available", module && !er);
		if (module && !er) {
			size_t first = el.nr > 5 ? el.nr - 5 : 0;

			json_uint(&w, "in_ring", el.nr);
			json_int(&w, "lost", modevents_summary(&el, "lost"));
			json_int(&w, "dropped", modevents_summary(&el, "dropped"));
			json_begin_array(&w, "last");
			for (size_t i = first; i < el.nr; i++) {
				const struct od_event *e = &el.ev[i];

				json_begin_object(&w, NULL);
				json_uint(&w, "seq", e->ev.seq);
				json_string(&w, "kind", event_kind_name(e->ev.kind));
				json_uint(&w, "pid", e->ev.tgid ? e->ev.tgid : e->ev.pid);
				json_string_len(&w, "comm", e->ev.comm,
						strnlen(e->ev.comm, sizeof(e->ev.comm)));
				if (event_order(e) >= 0)
					json_int(&w, "order", event_order(e));
				json_string(&w, "gfp", e->gfp_text);
				json_end_object(&w);
			}
			json_end_array(&w);
		}
		json_end_object(&w);
		recent_causes_json(&w, module && !er ? &el : NULL);
		json_end_object(&w);
		json_newline(&w);
		goto out;
	}

	{
		const char *B = od_c(&st, C_BOLD), *R = od_c(&st, C_RESET);
		const char *Y = od_c(&st, C_YELLOW), *RED = od_c(&st, C_RED);
		const char *D = od_c(&st, C_DIM);
		uint64_t pk = (uint64_t)zs->page_kb;
		char a[16], b[16], cc[16], d[16], e[16];

		printf("%soomdiag status%s  kernel %s, ", B, R, u.release);
		if (module)
			printf("module loaded (%s)\n", od_debugfs_dir());
		else if (o.no_module)
			printf("module not used (--no-module)\n");
		else
			printf("%smodule not loaded%s\n  showing what /proc tells; insmod "
			       "oomdiag.ko for the flight recorder (events)\n  and the exact "
			       "in-kernel badness ranking\n", Y, R);

		printf("\n%sZones%s (source: %s)\n", B, R, zs->source);
		printf("  %-4s %-8s %9s %9s %9s %9s %9s %4s %6s  %s\n", "NODE", "ZONE", "FREE",
		       "MIN", "LOW", "HIGH", "MANAGED", "TOP", "FRAG3", "STATE");
		for (int i = 0; i < zs->nr; i++) {
			const struct od_zone *z = &zs->z[i];
			const char *s = zone_state(z);
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
			       !strcmp(s, "below min") ? RED : strncmp(s, "below", 5) ? "" : Y, s,
			       R);
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

		printf("\n%sOvercommit%s (source: %s)\n", B, R, ocr ? "unreadable" : oc.source);
		if (!ocr) {
			printf("  mode %d (%s), Committed_AS %s of CommitLimit %s, headroom %s%s\n",
			       oc.mode, mode_name(oc.mode),
			       human_kb(a, sizeof(a), oc.committed_as_kb),
			       human_kb(b, sizeof(b), oc.commit_limit_kb),
			       oc.headroom_kb < 0 ? "-" : "",
			       human_kb(cc, sizeof(cc), (uint64_t)(oc.headroom_kb < 0 ?
							 -oc.headroom_kb : oc.headroom_kb)));
			if (oc.mode == 2)
				printf("  %sstrict: mmap/brk beyond the headroom fail with ENOMEM "
				       "(no OOM, no log line)%s\n", oc.headroom_kb < 0 ? RED : "", R);
			else
				printf("  %sCommitLimit is enforced only with vm.overcommit_memory=2%s\n",
				       D, R);
		}

		printf("\n%sLikely OOM victims%s", B, R);
		if (tr) {
			printf(": %s\n", terr);
		} else {
			const struct od_task *v = tasks_next_victim(&ts);

			printf(" (source: %s)\n", ts.source);
			task_table_print(&ts, 5, false, &st);
			if (v) {
				char where[1024];

				printf("  next victim: %s (pid %d)", v->comm, v->pid);
				if (*task_where(v, where, sizeof(where)))
					printf(", %s", where);
				printf("\n");
			}
		}
		if (module)
			kills_text(&kl, &st);

		printf("\n%sRecent events%s", B, R);
		if (!module) {
			printf(": module not loaded (no flight recorder; 'oomdiag trace' streams "
			       "without it,\n  'oomdiag explain' reads dmesg)\n");
		} else if (er) {
			printf(": cannot read %s/events: %s\n", od_debugfs_dir(), strerror(-er));
		} else if (!el.nr) {
			printf(": none recorded\n");
		} else {
			size_t first = el.nr > 5 ? el.nr - 5 : 0;

			printf(" (last %zu of %zu)\n", el.nr - first, el.nr);
			for (size_t i = first; i < el.nr; i++)
				event_print_human(stdout, &el.ev[i], st.color);
		}
		if (module && !er)
			recent_causes_text(&el, &st);
	}
out:
	free(kl.cg);
	modevents_free(&el);
	if (!tr)
		tasks_free(&ts);
	free(zs);
	return EXIT_OK;
}
