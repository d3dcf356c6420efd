// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag metrics: Prometheus text exposition (0.0.4) or OpenMetrics 1.0.
 *
 * The families are one table (families[] below): name, type, unit, help
 * and the function that emits its samples from one snapshot of the machine
 * (struct mctx).  Conventions (prometheus.io/docs/practices/naming): base
 * units (bytes, seconds; never pages or kB) named as a suffix, counters and
 * only counters end in _total, ratios 0..1 end in _ratio, every family has
 * HELP and TYPE, label values and help text are escaped.  `oomdiag record
 * --textfile` writes the same table (record_metrics.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "cgroup.h"
#include "modevents.h"
#include "record_metrics.h"
#include "sysmem.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag metrics [--openmetrics] [--json]\n"
		"\n"
		"Print memory allocator metrics in the Prometheus text exposition format\n"
		"(version 0.0.4), suitable for node_exporter's textfile collector:\n"
		"  oomdiag metrics > /var/lib/node_exporter/oomdiag.prom.$$ &&\n"
		"    mv /var/lib/node_exporter/oomdiag.prom.$$ /var/lib/node_exporter/oomdiag.prom\n"
		"(`oomdiag record` can keep such a file current, see oomdiag(1)).\n"
		"\n"
		"Free blocks per zone/order (and migratetype when readable), zone free bytes\n"
		"and watermarks, fragmentation index and unusable-free ratio, overcommit, and,\n"
		"with the module, the ring's records by kind and its lost/dropped counters;\n"
		"OOM kills: the kernel's count (/proc/vmstat oom_kill), the module's since it\n"
		"was armed and the gap, and per memory cgroup (memory.events.local) with the\n"
		"container the path names as labels (unit, runtime, container_id, pod_uid, qos).\n"
		"Sizes are bytes, times seconds; the names are listed in oomdiag(1).\n"
		"\n"
		"      --openmetrics  OpenMetrics 1.0 text (application/openmetrics-text):\n"
		"                     # UNIT lines, counters typed without _total, # EOF\n"
		"--json prints the same samples as {\"metrics\": [{name, labels, value}]}.\n"
		COMMON_HELP);
}

/* ------------------------------------------------------------ output */

enum mtype { M_GAUGE, M_COUNTER, M_INFO };

struct out;
struct mctx;

struct family {
	const char *name;	/* without _total (counters) or _info (info) */
	enum mtype type;
	const char *unit;	/* "bytes", "seconds", or NULL; a suffix of name */
	const char *help;
	void (*emit)(struct out *o, const struct family *fam, const struct mctx *c);
};

struct out {
	FILE *f;
	enum metrics_format fmt;
	struct json_writer w;
	const struct family *fam;	/* being written */
	bool header_done;		/* HELP/TYPE written for fam */
};

/* HELP text: backslash and newline escaped (both formats). */
static void put_help(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* A label value: backslash, double quote and newline escaped. */
static void put_label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static const char *type_name(const struct out *o, enum mtype t)
{
	if (t == M_COUNTER)
		return "counter";
	if (t == M_INFO && o->fmt == METRICS_OPENMETRICS)
		return "info";
	return "gauge";
}

/* The sample name: name_total for counters, name_info for info. */
static void sample_name(const struct family *fam, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", fam->name,
		 fam->type == M_COUNTER ? "_total" : fam->type == M_INFO ? "_info" : "");
}

/* HELP, TYPE (and UNIT) before the family's first sample. */
static void header(struct out *o)
{
	const struct family *fam = o->fam;
	char name[128];

	if (o->header_done || o->fmt == METRICS_JSON)
		return;
	o->header_done = true;
	/*
	 * Prometheus 0.0.4 names the family as its samples are named (the
	 * counter with _total); OpenMetrics names the family without the
	 * counter's _total and the info's _info suffix.
	 */
	if (o->fmt == METRICS_OPENMETRICS)
		snprintf(name, sizeof(name), "%s", fam->name);
	else
		sample_name(fam, name, sizeof(name));
	fprintf(o->f, "# HELP %s ", name);
	put_help(o->f, fam->help);
	fprintf(o->f, "\n# TYPE %s %s\n", name, type_name(o, fam->type));
	if (o->fmt == METRICS_OPENMETRICS && fam->unit)
		fprintf(o->f, "# UNIT %s %s\n", name, fam->unit);
}

static void put_value(FILE *f, double v)
{
	if (v == (double)(long long)v && v < 1e15 && v > -1e15)
		fprintf(f, " %lld\n", (long long)v);
	else
		fprintf(f, " %.15g\n", v);
}

/* One sample; labels: NULL-terminated key, value pairs. */
static void sample(struct out *o, double v, ...)
{
	va_list ap;
	const char *k;
	bool first = true;
	char name[128];

	header(o);
	sample_name(o->fam, name, sizeof(name));
	if (o->fmt == METRICS_JSON) {
		json_begin_object(&o->w, NULL);
		json_string(&o->w, "name", name);
		json_begin_object(&o->w, "labels");
	} else {
		fputs(name, o->f);
	}
	va_start(ap, v);
	while ((k = va_arg(ap, const char *))) {
		const char *val = va_arg(ap, const char *);

		if (o->fmt == METRICS_JSON) {
			json_string(&o->w, k, val);
			continue;
		}
		fprintf(o->f, "%s%s=\"", first ? "{" : ",", k);
		put_label_value(o->f, val);
		fputc('"', o->f);
		first = false;
	}
	va_end(ap);
	if (o->fmt == METRICS_JSON) {
		json_end_object(&o->w);
		json_double(&o->w, "value", v);
		json_end_object(&o->w);
		return;
	}
	if (!first)
		fputc('}', o->f);
	put_value(o->f, v);
}

/* ------------------------------------------------------------ snapshot */

/* One reading of everything the families need. */
struct mctx {
	struct od_zones *zs;
	double page_bytes;
	bool module;
	bool have_oc;
	struct od_overcommit oc;
	bool have_el;			/* the module's events file was read */
	struct od_event_list el;
	bool have_kills;
	struct od_kill_counts k;
	int ncg;
	struct od_cg_kills *cg;
	const struct record_stats *rec;
};

/* Each zone z of the snapshot, with its node number as text in node. */
#define FOR_ZONES(c, z, node)						\
	for (int zi_ = 0; zi_ < (c)->zs->nr; zi_++)			\
		for (const struct od_zone *z = &(c)->zs->z[zi_]; z; z = NULL) \
			for (struct node_text node = node_text(z); node.s[0]; node.s[0] = 0)

struct node_text {
	char s[16];
};

static struct node_text node_text(const struct od_zone *z)
{
	struct node_text t;

	snprintf(t.s, sizeof(t.s), "%d", z->node);
	return t;
}

static void emit_build(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	sample(o, 1, "version", OOMDIAG_VERSION, "source", c->zs->source, NULL);
}

static void emit_module_loaded(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	sample(o, c->module, NULL);
}

static void emit_free_blocks(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	FOR_ZONES(c, z, node)
		for (int k = 0; k < z->nr_orders; k++) {
			char order[16];

			snprintf(order, sizeof(order), "%d", k);
			sample(o, (double)z->free_blocks[k], "node", node.s, "zone", z->name,
			       "order", order, NULL);
		}
}

static void emit_free_blocks_mt(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	if (!c->zs->has_mt)
		return;
	FOR_ZONES(c, z, node)
		for (int mt = 0; mt < z->nr_mt && mt < c->zs->nr_mt; mt++)
			for (int k = 0; k < z->nr_orders; k++) {
				char order[16];

				snprintf(order, sizeof(order), "%d", k);
				sample(o, (double)z->mt_blocks[mt][k], "node", node.s, "zone",
				       z->name, "migratetype", c->zs->mt_names[mt], "order",
				       order, NULL);
			}
}

static void emit_zone_free(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	FOR_ZONES(c, z, node)
		sample(o, (double)zone_total_free_pages(z) * c->page_bytes, "node", node.s, "zone",
		       z->name, NULL);
}

static void emit_watermark(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	FOR_ZONES(c, z, node) {
		if (!z->has_wmark)
			continue;
		sample(o, (double)z->min_pages * c->page_bytes, "node", node.s, "zone", z->name,
		       "level", "min", NULL);
		sample(o, (double)z->low_pages * c->page_bytes, "node", node.s, "zone", z->name,
		       "level", "low", NULL);
		sample(o, (double)z->high_pages * c->page_bytes, "node", node.s, "zone", z->name,
		       "level", "high", NULL);
	}
}

static void emit_managed(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	FOR_ZONES(c, z, node)
		if (z->has_wmark)
			sample(o, (double)z->managed_pages * c->page_bytes, "node", node.s, "zone",
			       z->name, NULL);
}

static void emit_free_cma(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	FOR_ZONES(c, z, node)
		if (z->has_wmark)
			sample(o, (double)z->free_cma_pages * c->page_bytes, "node", node.s, "zone",
			       z->name, NULL);
}

static void emit_frag(struct out *o, const struct family *f, const struct mctx *c)
{
	bool unusable = !strcmp(f->name, "oomdiag_unusable_free_ratio");

	FOR_ZONES(c, z, node)
		for (int k = 0; k < z->nr_orders; k++) {
			char order[16];

			snprintf(order, sizeof(order), "%d", k);
			sample(o, (unusable ? zone_unusable_index(z, k) : zone_frag_index(z, k)) /
				  1000.0, "node", node.s, "zone", z->name, "order", order, NULL);
		}
}

/* The overcommit families: one table row each, the value by name. */
static void emit_overcommit(struct out *o, const struct family *f, const struct mctx *c)
{
	const struct od_overcommit *oc = &c->oc;
	const char *n = f->name + strlen("oomdiag_");

	if (!c->have_oc)
		return;
	if (!strcmp(n, "overcommit_mode"))
		sample(o, oc->mode, NULL);
	else if (!strcmp(n, "overcommit_ratio"))
		sample(o, (double)oc->ratio / 100.0, NULL);
	else if (!strcmp(n, "overcommit_kbytes_limit_bytes"))
		sample(o, (double)oc->kbytes * 1024, NULL);
	else if (!strcmp(n, "commit_limit_bytes"))
		sample(o, (double)oc->commit_limit_kb * 1024, NULL);
	else if (!strcmp(n, "committed_as_bytes"))
		sample(o, (double)oc->committed_as_kb * 1024, NULL);
	else if (!strcmp(n, "commit_headroom_bytes"))
		sample(o, (double)oc->headroom_kb * 1024, NULL);
}

static void emit_kernel_kills(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	if (c->k.vmstat_now >= 0)
		sample(o, (double)c->k.vmstat_now, NULL);
}

/* Kill accounting since the module was armed (# oom_kills line). */
static void emit_kills(struct out *o, const struct family *f, const struct mctx *c)
{
	const struct od_kill_counts *k = &c->k;
	const char *n = f->name + strlen("oomdiag_");

	if (!c->module || !c->have_kills)
		return;
	if (!strcmp(n, "oom_kills_recorded"))
		sample(o, (double)k->recorded, NULL);
	else if (!strcmp(n, "oom_kills_recounted") && k->recounted >= 0)
		sample(o, (double)k->recounted, NULL);
	else if (!strcmp(n, "oom_victims_marked_only"))
		sample(o, (double)k->marked_only, NULL);
	else if (!strcmp(n, "oom_kills_since_arm") && k->kernel >= 0)
		sample(o, (double)k->kernel, NULL);
	else if (!strcmp(n, "oom_kills_unrecorded") && k->kernel >= 0)
		sample(o, (double)(k->kernel - (k->kills >= 0 ? k->kills : k->recorded)), NULL);
}

/* One per-cgroup sample with the container the path names as labels. */
static void cgroup_sample(struct out *o, const char *path, double v)
{
	struct od_container k;

	cg_container(path, &k);
	sample(o, v, "cgroup", path, "unit", k.unit, "runtime", k.runtime, "container_id", k.id,
	       "pod_uid", k.pod_uid, "qos", k.qos, NULL);
}

static void emit_cgroup_kills(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	for (int i = 0; i < c->ncg; i++)
		if (c->cg[i].kernel >= 0)
			cgroup_sample(o, c->cg[i].path, (double)c->cg[i].kernel);
}

static void emit_cgroup_in_ring(struct out *o, const struct family *f, const struct mctx *c)
{
	(void)f;
	if (!c->have_el)
		return;
	for (int i = 0; i < c->ncg; i++)
		cgroup_sample(o, c->cg[i].path, (double)c->cg[i].recorded);
}

static void emit_ring_by_kind(struct out *o, const struct family *f, const struct mctx *c)
{
	uint64_t n[OOMDIAG_KIND_MAX] = { 0 };

	(void)f;
	if (!c->have_el)
		return;
	for (size_t i = 0; i < c->el.nr; i++)
		if (c->el.ev[i].ev.kind < OOMDIAG_KIND_MAX)
			n[c->el.ev[i].ev.kind]++;
	for (unsigned int k = 1; k < OOMDIAG_KIND_MAX; k++)
		sample(o, (double)n[k], "kind", event_kind_name(k), NULL);
}

static void emit_last_event(struct out *o, const struct family *f, const struct mctx *c)
{
	uint64_t last[OOMDIAG_KIND_MAX] = { 0 };

	(void)f;
	if (!c->have_el)
		return;
	for (size_t i = 0; i < c->el.nr; i++) {
		const struct od_event *e = &c->el.ev[i];

		if (e->ev.kind < OOMDIAG_KIND_MAX && event_known(e, OD_FIELD_WALL_NS) &&
		    e->ev.wall_ns > last[e->ev.kind])
			last[e->ev.kind] = e->ev.wall_ns;
	}
	for (unsigned int k = 1; k < OOMDIAG_KIND_MAX; k++)
		if (last[k])
			sample(o, (double)last[k] / 1e9, "kind", event_kind_name(k), NULL);
}

/* A number of the events file's summary line, by the family's summary key. */
static void emit_summary(struct out *o, const struct family *f, const struct mctx *c)
{
	static const struct { const char *family, *key; } keys[] = {
		{ "oomdiag_ring_records", "records" },
		{ "oomdiag_ring_size_records", "ring_size" },
		{ "oomdiag_recorder_stored", "next_seq" },
		{ "oomdiag_recorder_lost", "lost" },
		{ "oomdiag_recorder_dropped", "dropped" },
		{ "oomdiag_recorder_armed", "armed" },
		{ "oomdiag_recorder_hooks_attached", "hooks" },
	};
	int64_t v = -1;

	if (!c->have_el)
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].family, f->name))
			v = modevents_summary(&c->el, keys[i].key);
	if (v >= 0)
		sample(o, (double)v, NULL);
}

/* The recorder's own families, only in `oomdiag record --textfile`. */
static void emit_record(struct out *o, const struct family *f, const struct mctx *c)
{
	const struct record_stats *r = c->rec;
	const char *n = f->name + strlen("oomdiag_record_");

	if (!r)
		return;
	if (!strcmp(n, "journal_entries"))
		sample(o, (double)r->journal_entries, NULL);
	else if (!strcmp(n, "journal_errors"))
		sample(o, (double)r->journal_errors, NULL);
	else if (!strcmp(n, "jsonl_lines"))
		sample(o, (double)r->jsonl_lines, NULL);
	else if (!strcmp(n, "lost_while_down"))
		sample(o, (double)r->lost_while_down, NULL);
	else if (!strcmp(n, "lost_while_running"))
		sample(o, (double)r->lost_while_running, NULL);
	else if (!strcmp(n, "last_seq") && r->drained)
		sample(o, (double)r->last_seq, NULL);
	else if (!strcmp(n, "start_time_seconds"))
		sample(o, r->start_time, NULL);
	else if (!strcmp(n, "last_poll_timestamp_seconds"))
		sample(o, r->last_poll_time, NULL);
}

static const struct family families[] = {
	{ "oomdiag_build", M_INFO, NULL,
	  "oomdiag version and where it read the zones (module buddyinfo or /proc).", emit_build },
	{ "oomdiag_module_loaded", M_GAUGE, NULL,
	  "1 when the oomdiag module's debugfs files are present.", emit_module_loaded },
	{ "oomdiag_free_blocks", M_GAUGE, NULL,
	  "Free blocks per zone and order (as /proc/buddyinfo); a block is 2^order pages.",
	  emit_free_blocks },
	{ "oomdiag_free_blocks_by_migratetype", M_GAUGE, NULL,
	  "Free blocks per zone, migratetype and order (as /proc/pagetypeinfo).",
	  emit_free_blocks_mt },
	{ "oomdiag_zone_free_bytes", M_GAUGE, "bytes",
	  "Free memory per zone (sum of free blocks x 2^order pages).", emit_zone_free },
	{ "oomdiag_zone_watermark_bytes", M_GAUGE, "bytes",
	  "Zone watermarks (/proc/zoneinfo min, low, high).", emit_watermark },
	{ "oomdiag_zone_managed_bytes", M_GAUGE, "bytes",
	  "Memory managed by the buddy allocator per zone.", emit_managed },
	{ "oomdiag_zone_free_cma_bytes", M_GAUGE, "bytes", "Free CMA memory per zone.",
	  emit_free_cma },
	{ "oomdiag_fragmentation_index", M_GAUGE, NULL,
	  "Fragmentation index per zone and order (mm/vmstat.c extfrag_index: towards 0 "
	  "lack of memory, towards 1 fragmentation; -1 when a block of the order is free).",
	  emit_frag },
	{ "oomdiag_unusable_free_ratio", M_GAUGE, NULL,
	  "Share of free memory in blocks too small for the order (mm/vmstat.c "
	  "unusable_index), 0..1.", emit_frag },
	{ "oomdiag_overcommit_mode", M_GAUGE, NULL, "vm.overcommit_memory (0, 1 or 2).",
	  emit_overcommit },
	{ "oomdiag_overcommit_ratio", M_GAUGE, NULL,
	  "vm.overcommit_ratio as a ratio (the sysctl's percent / 100).", emit_overcommit },
	{ "oomdiag_overcommit_kbytes_limit_bytes", M_GAUGE, "bytes",
	  "vm.overcommit_kbytes in bytes (0: vm.overcommit_ratio applies).", emit_overcommit },
	{ "oomdiag_commit_limit_bytes", M_GAUGE, "bytes", "CommitLimit of /proc/meminfo.",
	  emit_overcommit },
	{ "oomdiag_committed_as_bytes", M_GAUGE, "bytes", "Committed_AS of /proc/meminfo.",
	  emit_overcommit },
	{ "oomdiag_commit_headroom_bytes", M_GAUGE, "bytes",
	  "CommitLimit - Committed_AS (enforced only in overcommit mode 2).", emit_overcommit },
	{ "oomdiag_kernel_oom_kills", M_COUNTER, NULL,
	  "Processes killed by the OOM killer since boot (/proc/vmstat oom_kill).",
	  emit_kernel_kills },
	{ "oomdiag_oom_kills_recorded", M_COUNTER, NULL,
	  "OOM kill victims the module recorded since it was armed, each once.", emit_kills },
	{ "oomdiag_oom_kills_recounted", M_COUNTER, NULL,
	  "Group kill victims the kernel counted twice, since armed.", emit_kills },
	{ "oomdiag_oom_victims_marked_only", M_COUNTER, NULL,
	  "Tasks marked OOM victim without a kill (already exiting), since armed.", emit_kills },
	{ "oomdiag_oom_kills_since_arm", M_COUNTER, NULL,
	  "OOM kills the kernel counted since the module was armed.", emit_kills },
	{ "oomdiag_oom_kills_unrecorded", M_GAUGE, NULL,
	  "Kernel-counted OOM kills the module did not record (should be 0).", emit_kills },
	{ "oomdiag_cgroup_oom_kills", M_COUNTER, NULL,
	  "OOM kills of processes in this memory cgroup (memory.events.local oom_kill).",
	  emit_cgroup_kills },
	{ "oomdiag_cgroup_oom_kills_recorded", M_GAUGE, NULL,
	  "OOM kill records in the module's ring whose victim was in this cgroup.",
	  emit_cgroup_in_ring },
	{ "oomdiag_events_in_ring", M_GAUGE, NULL,
	  "Records in the module's flight recorder ring now, by kind.", emit_ring_by_kind },
	{ "oomdiag_last_event_timestamp_seconds", M_GAUGE, "seconds",
	  "Wall-clock time of the newest record of the kind in the ring (Unix seconds).",
	  emit_last_event },
	{ "oomdiag_ring_records", M_GAUGE, NULL,
	  "Records in the module's ring now (events file records=).", emit_summary },
	{ "oomdiag_ring_size_records", M_GAUGE, NULL,
	  "Records the ring's failures part holds at least (module parameter ring_size; more when records are small).",
	  emit_summary },
	{ "oomdiag_recorder_stored", M_COUNTER, NULL,
	  "Records the module stored since it was loaded (next_seq).", emit_summary },
	{ "oomdiag_recorder_lost", M_COUNTER, NULL,
	  "Records overwritten in the ring before anyone read them (lost=).", emit_summary },
	{ "oomdiag_recorder_dropped", M_COUNTER, NULL,
	  "Events never stored: re-entered hook or ring lock unavailable (dropped=).",
	  emit_summary },
	{ "oomdiag_recorder_armed", M_GAUGE, NULL, "1 when the module's hooks are attached.",
	  emit_summary },
	{ "oomdiag_recorder_hooks_attached", M_GAUGE, NULL, "Hooks of the module attached now.",
	  emit_summary },
	{ "oomdiag_record_journal_entries", M_COUNTER, NULL,
	  "Records oomdiag record sent to the journal since it started.", emit_record },
	{ "oomdiag_record_journal_errors", M_COUNTER, NULL,
	  "Records the journal socket refused since oomdiag record started.", emit_record },
	{ "oomdiag_record_jsonl_lines", M_COUNTER, NULL,
	  "Records oomdiag record wrote to its JSON Lines file since it started.", emit_record },
	{ "oomdiag_record_lost_while_down", M_COUNTER, NULL,
	  "Records the ring lost while oomdiag record was not running (at its start).",
	  emit_record },
	{ "oomdiag_record_lost_while_running", M_COUNTER, NULL,
	  "Records the ring lost between two reads of oomdiag record.", emit_record },
	{ "oomdiag_record_last_seq", M_GAUGE, NULL,
	  "Sequence number of the last record oomdiag record drained.", emit_record },
	{ "oomdiag_record_start_time_seconds", M_GAUGE, "seconds",
	  "When oomdiag record started (Unix seconds).", emit_record },
	{ "oomdiag_record_last_poll_timestamp_seconds", M_GAUGE, "seconds",
	  "When oomdiag record last read the ring (Unix seconds).", emit_record },
};

int metrics_write(FILE *f, enum metrics_format fmt, bool pretty, bool no_module,
		  const struct record_stats *rec, char *err, size_t errlen)
{
	struct mctx c;
	struct out o;
	int r;

	memset(&c, 0, sizeof(c));
	c.zs = xcalloc(1, sizeof(*c.zs));
	r = sysmem_read_zones(c.zs, no_module, err, errlen);
	if (r) {
		free(c.zs);
		return r;
	}
	c.page_bytes = (double)(c.zs->page_kb > 0 ? c.zs->page_kb : 4) * 1024;
	c.rec = rec;
	c.module = !no_module && od_module_loaded();
	c.have_oc = !sysmem_read_overcommit(&c.oc, no_module);
	if (c.module)
		c.have_el = !modevents_read(&c.el);
	c.have_kills = !cg_read_kill_counts(&c.k) && c.k.recorded >= 0;
	c.ncg = cg_reconcile(c.have_el ? &c.el : NULL, &c.cg);

	memset(&o, 0, sizeof(o));
	o.f = f;
	o.fmt = fmt;
	if (fmt == METRICS_JSON) {
		json_init(&o.w, f);
		json_set_pretty(&o.w, pretty);
		json_begin_object(&o.w, NULL);
		json_string(&o.w, "source", c.zs->source);
		json_begin_array(&o.w, "metrics");
	}
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		o.fam = &families[i];
		o.header_done = false;
		families[i].emit(&o, &families[i], &c);
	}
	if (fmt == METRICS_JSON) {
		json_end_array(&o.w);
		json_end_object(&o.w);
		json_newline(&o.w);
	} else if (fmt == METRICS_OPENMETRICS) {
		fputs("# EOF\n", f);
	}
	if (c.have_el)
		modevents_free(&c.el);
	free(c.cg);
	free(c.zs);
	return 0;
}

int cmd_metrics(int argc, char **argv)
{
	static const struct option lo[] = {
		OD_COMMON_LONGOPTS,
		{ "openmetrics", no_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 }
	};
	struct od_opts op;
	char err[256] = "";
	bool om = false;
	int c, r;

	od_opts_init(&op);
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (od_opts_common(&op, c))
			continue;
		if (c == 'h') {
			help(stdout);
			return EXIT_OK;
		}
		if (c == 'O') {
			om = true;
			continue;
		}
		return od_usage_error("metrics", "bad option");
	}
	if (optind < argc)
		return od_usage_error("metrics", "unexpected argument '%s'", argv[optind]);
	if (om && op.json)
		return od_usage_error("metrics", "--openmetrics and --json exclude each other");
	r = metrics_write(stdout, op.json ? METRICS_JSON : om ? METRICS_OPENMETRICS : METRICS_PROM,
			  op.pretty, op.no_module, NULL, err, sizeof(err));
	if (r) {
		od_err("%s", err);
		return od_exit_for_errno(-r);
	}
	return EXIT_OK;
}
