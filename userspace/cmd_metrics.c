// SPDX-License-Identifier: GPL-2.0
/* oomdiag metrics: Prometheus text exposition format. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "cgroup.h"
#include "modevents.h"
#include "sysmem.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag metrics [--json]\n"
		"\n"
		"Print memory allocator metrics in the Prometheus text exposition format\n"
		"(version 0.0.4), suitable for node_exporter's textfile collector:\n"
		"  oomdiag metrics > /var/lib/node_exporter/oomdiag.prom.$$ &&\n"
		"    mv /var/lib/node_exporter/oomdiag.prom.$$ /var/lib/node_exporter/oomdiag.prom\n"
		"\n"
		"Free blocks per zone/order (and migratetype when readable), zone free pages\n"
		"and watermarks, fragmentation and unusable-free indices, overcommit, and,\n"
		"with the module, event counters by kind and lost-event counters; OOM kills:\n"
		"the kernel's count (/proc/vmstat oom_kill), the module's since it was armed and\n"
		"the gap, and per memory cgroup (memory.events.local) with the container the\n"
		"path names as labels (unit, runtime, container_id, pod_uid, qos).\n"
		"--json prints the same samples as {\"metrics\": [{name, labels, value}]}.\n"
		COMMON_HELP);
}

struct out {
	bool json;
	struct json_writer w;
	const char *cur;	/* metric family being written */
};

static void family(struct out *o, const char *name, const char *type, const char *helptext)
{
	o->cur = name;
	if (!o->json)
		printf("# HELP %s %s\n# TYPE %s %s\n", name, helptext, name, type);
}

/* labels: NULL-terminated key, value pairs */
static void sample(struct out *o, const char *suffix, double v, ...)
{
	va_list ap;
	const char *k;
	bool first = true;
	char name[128];

	snprintf(name, sizeof(name), "%s%s", o->cur, suffix ? suffix : "");
	if (o->json) {
		json_begin_object(&o->w, NULL);
		json_string(&o->w, "name", name);
		json_begin_object(&o->w, "labels");
	} else {
		printf("%s", name);
	}
	va_start(ap, v);
	while ((k = va_arg(ap, const char *))) {
		const char *val = va_arg(ap, const char *);

		if (o->json) {
			json_string(&o->w, k, val);
			continue;
		}
		printf("%s%s=\"", first ? "{" : ",", k);
		for (const char *p = val; *p; p++) {
			if (*p == '\\' || *p == '"')
				printf("\\%c", *p);
			else if (*p == '\n')
				printf("\\n");
			else
				putchar(*p);
		}
		putchar('"');
		first = false;
	}
	va_end(ap);
	if (o->json) {
		json_end_object(&o->w);
		json_double(&o->w, "value", v);
		json_end_object(&o->w);
	} else {
		if (!first)
			putchar('}');
		if (v == (double)(long long)v && v < 1e15 && v > -1e15)
			printf(" %lld\n", (long long)v);
		else
			printf(" %.6g\n", v);
	}
}

/* One per-cgroup sample with the container the path names as labels. */
static void cgroup_sample(struct out *o, const char *path, double v)
{
	struct od_container k;

	cg_container(path, &k);
	sample(o, NULL, v, "cgroup", path, "unit", k.unit, "runtime", k.runtime,
	       "container_id", k.id, "pod_uid", k.pod_uid, "qos", k.qos, NULL);
}

/*
 * Kill accounting: the kernel's counters, what the module recorded since it
 * was armed, the gap, and per memory cgroup (the victims' own cgroups).
 */
static void metrics_kills(struct out *o, bool module, const struct od_event_list *el)
{
	struct od_kill_counts k;
	struct od_cg_kills *cg = NULL;
	int ncg = 0;
	bool have = !cg_read_kill_counts(&k) && k.recorded >= 0;

	if (k.vmstat_now >= 0) {
		family(o, "oomdiag_kernel_oom_kills_total", "counter",
		       "Processes killed by the OOM killer since boot (/proc/vmstat oom_kill).");
		sample(o, NULL, (double)k.vmstat_now, NULL);
	}
	if (module && have) {
		family(o, "oomdiag_oom_kills_recorded_total", "counter",
		       "OOM kill victims the module recorded since it was armed, each once.");
		sample(o, NULL, (double)k.recorded, NULL);
		if (k.recounted >= 0) {
			family(o, "oomdiag_oom_kills_recounted_total", "counter",
			       "Group kill victims the kernel counted twice, since armed.");
			sample(o, NULL, (double)k.recounted, NULL);
		}
		family(o, "oomdiag_oom_victims_marked_only_total", "counter",
		       "Tasks marked OOM victim without a kill (already exiting), since armed.");
		sample(o, NULL, (double)k.marked_only, NULL);
		if (k.kernel >= 0) {
			family(o, "oomdiag_oom_kills_since_arm_total", "counter",
			       "OOM kills the kernel counted since the module was armed.");
			sample(o, NULL, (double)k.kernel, NULL);
			family(o, "oomdiag_oom_kills_unrecorded", "gauge",
			       "Kernel-counted OOM kills the module did not record (should be 0).");
			sample(o, NULL, (double)(k.kernel - (k.kills >= 0 ? k.kills : k.recorded)),
			       NULL);
		}
	}
	ncg = cg_reconcile(el, &cg);
	if (ncg) {
		family(o, "oomdiag_cgroup_oom_kills_total", "counter",
		       "OOM kills of processes in this memory cgroup (memory.events.local oom_kill).");
		for (int i = 0; i < ncg; i++)
			if (cg[i].kernel >= 0)
				cgroup_sample(o, cg[i].path, (double)cg[i].kernel);
	}
	if (ncg && el) {
		family(o, "oomdiag_cgroup_oom_kills_recorded", "gauge",
		       "OOM kill records in the module's ring whose victim was in this cgroup.");
		for (int i = 0; i < ncg; i++)
			cgroup_sample(o, cg[i].path, (double)cg[i].recorded);
	}
	free(cg);
}

int cmd_metrics(int argc, char **argv)
{
	static const struct option lo[] = {
		OD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct od_opts op;
	struct od_zones *zs;
	struct od_overcommit oc;
	struct out o;
	char err[256] = "";
	int c, r;
	bool module;

	od_opts_init(&op);
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (od_opts_common(&op, c))
			continue;
		if (c == 'h') {
			help(stdout);
			return EXIT_OK;
		}
		return od_usage_error("metrics", "bad option");
	}
	if (optind < argc)
		return od_usage_error("metrics", "unexpected argument '%s'", argv[optind]);
	zs = xcalloc(1, sizeof(*zs));
	r = sysmem_read_zones(zs, op.no_module, err, sizeof(err));
	if (r) {
		od_err("%s", err);
		free(zs);
		return od_exit_for_errno(-r);
	}
	module = !op.no_module && od_module_loaded();
	memset(&o, 0, sizeof(o));
	o.json = op.json;
	if (o.json) {
		json_init(&o.w, stdout);
		json_set_pretty(&o.w, op.pretty);
		json_begin_object(&o.w, NULL);
		json_string(&o.w, "source", zs->source);
		json_begin_array(&o.w, "metrics");
	}

	family(&o, "oomdiag_module_loaded", "gauge",
	       "1 when the oomdiag module's debugfs files are present.");
	sample(&o, NULL, module, NULL);

	family(&o, "oomdiag_free_blocks", "gauge",
	       "Free blocks per zone and order (as /proc/buddyinfo).");
	for (int i = 0; i < zs->nr; i++) {
		const struct od_zone *z = &zs->z[i];
		char node[16], order[16];

		snprintf(node, sizeof(node), "%d", z->node);
		for (int k = 0; k < z->nr_orders; k++) {
			snprintf(order, sizeof(order), "%d", k);
			sample(&o, NULL, (double)z->free_blocks[k], "node", node, "zone", z->name,
			       "order", order, NULL);
		}
	}
	if (zs->has_mt) {
		family(&o, "oomdiag_free_blocks_by_migratetype", "gauge",
		       "Free blocks per zone, migratetype and order (as /proc/pagetypeinfo).");
		for (int i = 0; i < zs->nr; i++) {
			const struct od_zone *z = &zs->z[i];
			char node[16], order[16];

			snprintf(node, sizeof(node), "%d", z->node);
			for (int mt = 0; mt < z->nr_mt && mt < zs->nr_mt; mt++)
				for (int k = 0; k < z->nr_orders; k++) {
					snprintf(order, sizeof(order), "%d", k);
					sample(&o, NULL, (double)z->mt_blocks[mt][k], "node", node,
					       "zone", z->name, "migratetype", zs->mt_names[mt],
					       "order", order, NULL);
				}
		}
	}
	family(&o, "oomdiag_zone_free_pages", "gauge",
	       "Free pages per zone (sum of free blocks x 2^order).");
	for (int i = 0; i < zs->nr; i++) {
		char node[16];

		snprintf(node, sizeof(node), "%d", zs->z[i].node);
		sample(&o, NULL, (double)zone_total_free_pages(&zs->z[i]), "node", node, "zone",
		       zs->z[i].name, NULL);
	}
	family(&o, "oomdiag_zone_watermark_pages", "gauge",
	       "Zone watermarks in pages (as /proc/zoneinfo min/low/high).");
	for (int i = 0; i < zs->nr; i++) {
		const struct od_zone *z = &zs->z[i];
		char node[16];

		if (!z->has_wmark)
			continue;
		snprintf(node, sizeof(node), "%d", z->node);
		sample(&o, NULL, (double)z->min_pages, "node", node, "zone", z->name, "level",
		       "min", NULL);
		sample(&o, NULL, (double)z->low_pages, "node", node, "zone", z->name, "level",
		       "low", NULL);
		sample(&o, NULL, (double)z->high_pages, "node", node, "zone", z->name, "level",
		       "high", NULL);
	}
	family(&o, "oomdiag_zone_managed_pages", "gauge", "Pages managed by the buddy allocator.");
	for (int i = 0; i < zs->nr; i++) {
		char node[16];

		if (!zs->z[i].has_wmark)
			continue;
		snprintf(node, sizeof(node), "%d", zs->z[i].node);
		sample(&o, NULL, (double)zs->z[i].managed_pages, "node", node, "zone",
		       zs->z[i].name, NULL);
	}
	family(&o, "oomdiag_zone_free_cma_pages", "gauge", "Free CMA pages per zone.");
	for (int i = 0; i < zs->nr; i++) {
		char node[16];

		if (!zs->z[i].has_wmark)
			continue;
		snprintf(node, sizeof(node), "%d", zs->z[i].node);
		sample(&o, NULL, (double)zs->z[i].free_cma_pages, "node", node, "zone",
		       zs->z[i].name, NULL);
	}
	family(&o, "oomdiag_fragmentation_index", "gauge",
	       "Fragmentation index per zone and order (mm/vmstat.c; -1 when a block of the "
	       "order is free).");
	for (int i = 0; i < zs->nr; i++) {
		const struct od_zone *z = &zs->z[i];
		char node[16], order[16];

		snprintf(node, sizeof(node), "%d", z->node);
		for (int k = 0; k < z->nr_orders; k++) {
			snprintf(order, sizeof(order), "%d", k);
			sample(&o, NULL, zone_frag_index(z, k) / 1000.0, "node", node, "zone",
			       z->name, "order", order, NULL);
		}
	}
	family(&o, "oomdiag_unusable_free_index", "gauge",
	       "Share of free memory unusable for an allocation of the order (0..1).");
	for (int i = 0; i < zs->nr; i++) {
		const struct od_zone *z = &zs->z[i];
		char node[16], order[16];

		snprintf(node, sizeof(node), "%d", z->node);
		for (int k = 0; k < z->nr_orders; k++) {
			snprintf(order, sizeof(order), "%d", k);
			sample(&o, NULL, zone_unusable_index(z, k) / 1000.0, "node", node, "zone",
			       z->name, "order", order, NULL);
		}
	}
	if (!sysmem_read_overcommit(&oc, op.no_module)) {
		family(&o, "oomdiag_overcommit_memory", "gauge", "vm.overcommit_memory (0, 1, 2).");
		sample(&o, NULL, oc.mode, NULL);
		family(&o, "oomdiag_overcommit_ratio", "gauge", "vm.overcommit_ratio (percent).");
		sample(&o, NULL, (double)oc.ratio, NULL);
		family(&o, "oomdiag_commit_limit_bytes", "gauge", "CommitLimit of /proc/meminfo.");
		sample(&o, NULL, (double)oc.commit_limit_kb * 1024, NULL);
		family(&o, "oomdiag_committed_as_bytes", "gauge", "Committed_AS of /proc/meminfo.");
		sample(&o, NULL, (double)oc.committed_as_kb * 1024, NULL);
		family(&o, "oomdiag_commit_headroom_bytes", "gauge",
		       "CommitLimit - Committed_AS (enforced only in mode 2).");
		sample(&o, NULL, (double)oc.headroom_kb * 1024, NULL);
	}
	if (module) {
		struct od_event_list el;

		if (!modevents_read(&el)) {
			metrics_kills(&o, module, &el);
			uint64_t n[OOMDIAG_KIND_MAX] = { 0 };

			for (size_t i = 0; i < el.nr; i++)
				if (el.ev[i].ev.kind < OOMDIAG_KIND_MAX)
					n[el.ev[i].ev.kind]++;
			family(&o, "oomdiag_events_in_ring", "gauge",
			       "Events in the module's flight recorder ring, by kind.");
			for (unsigned int k = 1; k < OOMDIAG_KIND_MAX; k++)
				sample(&o, NULL, (double)n[k], "kind", event_kind_name(k), NULL);
			for (int i = 0; i < el.nsum; i++) {
				char fam[96];

				/* counters only: records recorded, lost, dropped */
				if (strcmp(el.sum_key[i], "records") && strcmp(el.sum_key[i], "lost") &&
				    strcmp(el.sum_key[i], "dropped"))
					continue;
				snprintf(fam, sizeof(fam), "oomdiag_recorder_%s_total", el.sum_key[i]);
				for (char *p = fam; *p; p++)
					if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
						*p = '_';
				family(&o, fam, "counter",
				       "Counter from the module's events summary line.");
				sample(&o, NULL, (double)el.sum_val[i], NULL);
			}
			modevents_free(&el);
		} else {
			metrics_kills(&o, module, NULL);
		}
	} else {
		metrics_kills(&o, false, NULL);
	}
	if (o.json) {
		json_end_array(&o.w);
		json_end_object(&o.w);
		json_newline(&o.w);
	}
	free(zs);
	return EXIT_OK;
}
