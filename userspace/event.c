// SPDX-License-Identifier: GPL-2.0
/* Events of every source: parse module records, render for people and JSON. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "json.h"
#include "render.h"
#include "util.h"

/* ------------------------------------------------------------ vocabulary */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int from_name(const struct oomdiag_name *t, const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return (int)t->value;
	return -1;
}

const char *event_kind_name(unsigned int kind)
{
	const char *n = oomdiag_name_of(oomdiag_kind_names, kind);

	return n ? n : "unknown";
}

int event_kind_from_name(const char *name)
{
	return from_name(oomdiag_kind_names, name);
}

const char *event_context_name(unsigned int ctx)
{
	const char *n = oomdiag_name_of(oomdiag_context_names, ctx);

	return n ? n : "unknown";
}

int event_context_from_name(const char *name)
{
	return from_name(oomdiag_context_names, name);
}

const char *event_constraint_name(unsigned int c)
{
	const char *n = oomdiag_name_of(oomdiag_constraint_names, c);

	return n ? n : "-";
}

int event_constraint_from_name(const char *name)
{
	return from_name(oomdiag_constraint_names, name);
}

const char *event_vm_reason_name(unsigned int r)
{
	const char *n = oomdiag_name_of(oomdiag_vm_reason_names, r);

	return n ? n : "-";
}

int event_vm_reason_from_name(const char *name)
{
	return from_name(oomdiag_vm_reason_names, name);
}

#define NFLAGS ARRAY_LEN(oomdiag_flag_names)

void event_flags_text(unsigned int flags, char *buf, size_t len)
{
	struct sbuf sb;

	sbuf_init_fixed(&sb, buf, len);
	for (size_t i = 0; i < NFLAGS; i++) {
		if (!(flags & (1u << i)))
			continue;
		if (sb.len)
			sbuf_puts(&sb, "|");
		sbuf_puts(&sb, oomdiag_flag_names[i]);
		flags &= ~(1u << i);
	}
	if (flags)
		sbuf_printf(&sb, "%s0x%x", sb.len ? "|" : "", flags);
}

unsigned int event_flags_from_text(const char *s)
{
	unsigned int v = 0;
	char *dup, *tok, *save;

	if (isdigit((unsigned char)*s))
		return (unsigned int)strtoul(s, NULL, 0);
	if (!*s || !strcmp(s, "-") || !strcmp(s, "none"))
		return 0;
	dup = xstrdup(s);
	for (tok = strtok_r(dup, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		size_t i;

		for (i = 0; i < NFLAGS; i++)
			if (!strcmp(tok, oomdiag_flag_names[i]))
				break;
		if (i < NFLAGS)
			v |= (1u << i);
		else if (!strncmp(tok, "0x", 2))
			v |= (unsigned int)strtoul(tok, NULL, 16);
	}
	free(dup);
	return v;
}

bool event_is_alloc(unsigned int kind)
{
	return kind == OOMDIAG_KIND_ALLOC_FAIL || kind == OOMDIAG_KIND_WARN_ALLOC ||
	       kind == OOMDIAG_KIND_SLOW_ALLOC;
}

static bool is_oom(unsigned int kind)
{
	return kind == OOMDIAG_KIND_OOM_KILL || kind == OOMDIAG_KIND_OOM_VICTIM;
}

unsigned int event_gfp(const struct od_event *e)
{
	if (event_is_alloc(e->ev.kind))
		return e->ev.alloc.gfp;
	if (is_oom(e->ev.kind))
		return e->ev.oom.gfp;
	return 0;
}

int event_order(const struct od_event *e)
{
	if (event_is_alloc(e->ev.kind))
		return e->ev.alloc.order == ~0u ? -1 : (int)e->ev.alloc.order;
	if (is_oom(e->ev.kind))
		return e->ev.oom.order;
	return -1;
}

/* ------------------------------------------------------------ parsing */

static void copy_field(char *dst, size_t len, const char *src)
{
	char *tmp = xstrdup(src);

	debugfs_unescape(tmp);
	snprintf(dst, len, "%s", tmp);
	free(tmp);
}

/* A zone line's number; "-" (never printed there today) is 0. */
static uint64_t num(const char *s)
{
	if (!strcmp(s, "-"))
		return 0;
	if (s[0] == '-')
		return (uint64_t)strtoll(s, NULL, 0);
	return strtoull(s, NULL, 0);
}

/* An enum by its name, or by its number; -1 for anything else ("-"). */
static int enum_val(const char *s, int (*fromfn)(const char *))
{
	if (isdigit((unsigned char)*s))
		return (int)strtoul(s, NULL, 0);
	return fromfn(s);
}

static void add_extra(struct od_event *e, const char *key, const char *val)
{
	size_t l = strlen(e->extra);

	snprintf(e->extra + l, sizeof(e->extra) - l, "%s%s=%s", l ? " " : "", key, val);
}

struct num_field {
	const char *key;
	enum od_group group;
	size_t off, size;
};

#define NUM_FIELD(id, key, group, member)					\
	[OD_FIELD_##id] = { key, group, offsetof(struct oomdiag_event, member),	\
			    sizeof(((struct oomdiag_event *)0)->member) },
static const struct num_field num_fields[OD_NR_FIELDS] = { OD_RECORD_NUMS(NUM_FIELD) };
#undef NUM_FIELD

static enum od_group group_of(unsigned int kind)
{
	if (event_is_alloc(kind))
		return OD_G_ALLOC;
	if (is_oom(kind))
		return OD_G_OOM;
	if (kind == OOMDIAG_KIND_VM_REFUSED)
		return OD_G_VM;
	return OD_G_ANY;
}

/*
 * A numeric key of the record's kind: stores the value and marks it known.
 * "-", "" and text that is not a number leave the field unknown (its member
 * 0 or its sentinel); "unlimited" is OD_UNLIMITED.  False: not such a key.
 */
static bool set_num(struct od_event *e, const char *k, const char *v)
{
	enum od_group g = group_of(e->ev.kind);
	uint64_t x;
	char *end;

	for (unsigned int f = 0; f < OD_NR_FIELDS; f++) {
		const struct num_field *nf = &num_fields[f];
		char *p = (char *)&e->ev + nf->off;

		if ((nf->group != OD_G_ANY && nf->group != g) || strcmp(nf->key, k))
			continue;
		if (!strcmp(v, "unlimited")) {
			x = OD_UNLIMITED;
		} else {
			errno = 0;
			if (v[0] == '-')
				x = (uint64_t)strtoll(v, &end, 0);
			else
				x = strtoull(v, &end, 0);
			if (end == v || *end || errno)
				return true;	/* stays unknown */
		}
		if (nf->size == 8) {
			memcpy(p, &x, 8);
		} else {
			uint32_t y = (uint32_t)x;

			memcpy(p, &y, 4);
		}
		e->unknown &= ~(1ull << f);
		return true;
	}
	return false;
}

/* One key=value of the first line. */
static void set_key(struct od_event *e, const char *k, const char *v)
{
	struct oomdiag_event *ev = &e->ev;
	bool oom = is_oom(ev->kind), vm = ev->kind == OOMDIAG_KIND_VM_REFUSED;
	int x;

	if (set_num(e, k, v))
		return;
	if (!strcmp(k, "kind")) { /* done first */ }
	else if (!strcmp(k, "flags")) ev->flags = event_flags_from_text(v);
	else if (!strcmp(k, "context")) {
		x = enum_val(v, event_context_from_name);
		ev->context = x < 0 ? OOMDIAG_CTX_UNKNOWN : (uint32_t)x;
	}
	else if (!strcmp(k, "comm")) copy_field(ev->comm, sizeof(ev->comm), v);
	else if (!strcmp(k, "source")) snprintf(e->source, sizeof(e->source), "%s", v);
	else if (!strcmp(k, "gfp_names")) {
		/* the kernel's own %pGg: authoritative, kept as decoded text */
		snprintf(e->gfp_text, sizeof(e->gfp_text), "%s", strcmp(v, "-") ? v : "");
		e->gfp_from_kernel = true;
	}
	else if (!strcmp(k, "nodemask") && event_is_alloc(ev->kind))
		set_num(e, "nodemask_set", v);
	else if (oom && !strcmp(k, "victim_comm"))
		copy_field(ev->oom.victim_comm, sizeof(ev->oom.victim_comm), v);
	else if (oom && !strcmp(k, "constraint")) {
		x = enum_val(v, event_constraint_from_name);
		ev->oom.constraint = x < 0 ? OOMDIAG_CONSTRAINT_UNKNOWN : (uint32_t)x;
	}
	else if (oom && !strcmp(k, "memcg")) copy_field(ev->oom.memcg, sizeof(ev->oom.memcg), v);
	else if (oom && !strcmp(k, "victim_memcg"))
		copy_field(ev->oom.victim_memcg, sizeof(ev->oom.victim_memcg), v);
	else if (vm && !strcmp(k, "reason")) {
		x = enum_val(v, event_vm_reason_from_name);
		ev->vm.reason = x < 0 ? 0 : (uint32_t)x;
	}
	else
		add_extra(e, k, v);
}

static void parse_csv_u32(const char *v, uint32_t *out, unsigned int max, uint32_t *n)
{
	const char *p = v;
	unsigned int i = 0;

	while (*p && i < max) {
		char *end;

		out[i++] = (uint32_t)strtoul(p, &end, 10);
		if (end == p)
			break;
		p = end;
		if (*p == ',')
			p++;
		else
			break;
	}
	if (n)
		*n = i;
}

static void parse_zone(struct od_event *e, char *line)
{
	struct oomdiag_zone_snap *z;
	char *tok, *save;

	if (e->ev.nr_zones >= OOMDIAG_MAX_ZONES)
		return;
	z = &e->ev.zones[e->ev.nr_zones++];
	memset(z, 0, sizeof(*z));
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			continue;
		*eq++ = 0;
		if (!strcmp(tok, "node")) z->node = (uint32_t)num(eq);
		else if (!strcmp(tok, "zone")) copy_field(z->name, sizeof(z->name), eq);
		else if (!strcmp(tok, "free_pages")) z->free_pages = num(eq);
		else if (!strcmp(tok, "min_pages")) z->min_pages = num(eq);
		else if (!strcmp(tok, "low_pages")) z->low_pages = num(eq);
		else if (!strcmp(tok, "high_pages")) z->high_pages = num(eq);
		else if (!strcmp(tok, "free_cma_pages")) z->free_cma_pages = num(eq);
		else if (!strcmp(tok, "managed_pages")) z->managed_pages = num(eq);
		else if (!strcmp(tok, "free_blocks"))
			parse_csv_u32(eq, z->free_blocks, OOMDIAG_NR_ORDERS, &z->nr_orders);
	}
}

/* A signed number of a ledger line; false for "-", "" or not a number. */
static bool ledger_num(const char *v, int64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoll(v, &end, 10);
	return end != v && !*end && !errno;
}

#define LEDGER_FIELD(id, key, member)	[OD_LEDGER_##id] = { key, offsetof(struct od_ledger, member) },
#define LROW_FIELD(id, key, member)	[OD_LROW_##id] = { key, offsetof(struct od_ledger_row, member) },
static const struct { const char *key; size_t off; } ledger_fields[OD_NR_LEDGER_FIELDS] = {
	OD_LEDGER_NUMS(LEDGER_FIELD)
}, lrow_fields[OD_NR_LROW_FIELDS] = {
	OD_LEDGER_ROW_NUMS(LROW_FIELD)
};
#undef LEDGER_FIELD
#undef LROW_FIELD

/* "  ledger domain=memcg constraint=memcg totalpages=N ... [nodes=unchecked]" */
static void parse_ledger(struct od_event *e, char *line)
{
	struct od_ledger *l = &e->ledger;
	char *tok, *save;
	int x;

	memset(l, 0, sizeof(*l));
	l->present = true;
	l->constraint = OOMDIAG_CONSTRAINT_UNKNOWN;
	l->nodes_checked = true;
	l->unknown = (1u << OD_NR_LEDGER_FIELDS) - 1;
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		unsigned int f;

		if (!eq)
			continue;
		*eq++ = 0;
		for (f = 0; f < OD_NR_LEDGER_FIELDS; f++)
			if (!strcmp(tok, ledger_fields[f].key))
				break;
		if (f < OD_NR_LEDGER_FIELDS) {
			int64_t v;

			if (ledger_num(eq, &v)) {
				memcpy((char *)l + ledger_fields[f].off, &v, sizeof(v));
				l->unknown &= ~(1u << f);
			}
		} else if (!strcmp(tok, "domain")) {
			snprintf(l->domain, sizeof(l->domain), "%s", strcmp(eq, "-") ? eq : "");
		} else if (!strcmp(tok, "constraint")) {
			x = enum_val(eq, event_constraint_from_name);
			l->constraint = x < 0 ? OOMDIAG_CONSTRAINT_UNKNOWN : (uint32_t)x;
		} else if (!strcmp(tok, "nodes")) {
			l->nodes_checked = strcmp(eq, "unchecked") != 0;
		} else {
			size_t have = strlen(l->extra);

			/* forward compatible: kept whole or not at all */
			if (have + strlen(tok) + strlen(eq) + 3 < sizeof(l->extra))
				snprintf(l->extra + have, sizeof(l->extra) - have, "%s%s=%s",
					 have ? " " : "", tok, eq);
		}
	}
}

/* "  candidate rank=R pid=P comm=C anon_pages=... victim=0|1" */
static void parse_candidate(struct od_event *e, char *line)
{
	struct od_ledger *l = &e->ledger;
	struct od_ledger_row *r;
	char *tok, *save;

	if (!l->present || l->nr >= OD_LEDGER_MAX_ROWS)
		return;
	r = &l->rows[l->nr++];
	memset(r, 0, sizeof(*r));
	r->unknown = (1u << OD_NR_LROW_FIELDS) - 1;
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		unsigned int f;

		if (!eq)
			continue;
		*eq++ = 0;
		for (f = 0; f < OD_NR_LROW_FIELDS; f++)
			if (!strcmp(tok, lrow_fields[f].key))
				break;
		if (f < OD_NR_LROW_FIELDS) {
			int64_t v;

			if (ledger_num(eq, &v)) {
				memcpy((char *)r + lrow_fields[f].off, &v, sizeof(v));
				r->unknown &= ~(1u << f);
			}
		} else if (!strcmp(tok, "comm")) {
			copy_field(r->comm, sizeof(r->comm), eq);
		} else if (!strcmp(tok, "exempt")) {
			snprintf(r->exempt, sizeof(r->exempt), "%s", strcmp(eq, "-") ? eq : "");
		}
	}
}

/* the value of " key=" in line, its length in *n (argv= runs to the end), or NULL */
static const char *line_val(const char *line, const char *key, size_t *n, bool to_end)
{
	size_t kl = strlen(key);

	for (const char *p = line; (p = strstr(p, key)); p += kl) {
		if ((p == line || p[-1] == ' ') && p[kl] == '=') {
			p += kl + 1;
			*n = to_end ? strlen(p) : strcspn(p, " ");
			return p;
		}
	}
	return NULL;
}

/* "  victim_cmdline state=ok|truncated|gone|unavailable bytes=N argv=ESCAPED" */
static void parse_cmdline(struct od_event *e, const char *line)
{
	const char *v;
	size_t n;

	e->has_cmdline = true;
	if ((v = line_val(line, "state", &n, false)))
		snprintf(e->cmdline_state, sizeof(e->cmdline_state), "%.*s", (int)n, v);
	if ((v = line_val(line, "bytes", &n, false)))
		snprintf(e->cmdline_bytes, sizeof(e->cmdline_bytes), "%.*s", (int)n, v);
	if ((v = line_val(line, "argv", &n, true))) {
		snprintf(e->cmdline_esc, sizeof(e->cmdline_esc), "%.*s", (int)n, v);
		e->argv_len = od_unhex(e->cmdline_esc, strlen(e->cmdline_esc), e->argv,
				       sizeof(e->argv));
	}
}

/* "  victim_parents chain=PID:COMM,PID:COMM,..." nearest first */
static void parse_parents(struct od_event *e, const char *line)
{
	const char *v;
	size_t n;

	e->has_parents = true;
	if ((v = line_val(line, "chain", &n, false))) {
		snprintf(e->parents_esc, sizeof(e->parents_esc), "%.*s", (int)n, v);
		e->nr_parents = victim_parents_parse(e->parents_esc, e->parents, OD_MAX_PARENTS);
	}
}

int event_parse_module_record(const char *text, size_t len, struct od_event *out,
			      const struct gfp_layout *layout)
{
	char *buf, *line, *next;
	bool first = true;

	memset(out, 0, sizeof(*out));
	snprintf(out->source, sizeof(out->source), "module");
	/* what the record does not say is not known */
	out->unknown = (1ull << OD_NR_FIELDS) - 1;
	if (len < 4 || strncmp(text, "seq=", 4))
		return -1;
	buf = xstrndup(text, len);
	for (line = buf; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (first) {
			char *tok, *save;
			char *kind;

			first = false;
			/* kind decides which union member the keys fill */
			kind = strstr(line, " kind=");
			if (kind) {
				char k[32];
				size_t n = strcspn(kind + 6, " ");

				snprintf(k, sizeof(k), "%.*s", (int)(n < 31 ? n : 31), kind + 6);
				if (isdigit((unsigned char)k[0]))
					out->ev.kind = (uint32_t)strtoul(k, NULL, 0);
				else if (event_kind_from_name(k) > 0)
					out->ev.kind = (uint32_t)event_kind_from_name(k);
			}
			if (event_is_alloc(out->ev.kind))
				out->ev.alloc.order = ~0u;
			if (is_oom(out->ev.kind))
				out->ev.oom.order = -1;
			for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
				char *eq = strchr(tok, '=');

				if (!eq)
					continue;
				*eq++ = 0;
				set_key(out, tok, eq);
			}
			continue;
		}
		if (strncmp(line, "  ", 2))
			break;	/* not a continuation */
		line += 2;
		if (!strncmp(line, "zone ", 5)) {
			parse_zone(out, line + 5);
			out->ev.flags |= OOMDIAG_F_SNAPSHOT;
		} else if (!strncmp(line, "stack ", 6)) {
			if (out->nstack_sym < OOMDIAG_STACK_DEPTH) {
				char *s = line + 6;

				while (*s == ' ')
					s++;
				snprintf(out->stack_sym[out->nstack_sym++], OD_STACK_SYM_LEN, "%s", s);
			}
		} else if (!strncmp(line, "after ", 6)) {
			snprintf(out->after, sizeof(out->after), "%s", line + 6);
		} else if (!strncmp(line, "after_zone ", 11)) {
			size_t have = strlen(out->after_zone), n = strlen(line + 11);

			/* whole lines only: a line that does not fit is left out */
			if (have + (have ? 1 : 0) + n < sizeof(out->after_zone))
				snprintf(out->after_zone + have, sizeof(out->after_zone) - have,
					 "%s%s", have ? "\n" : "", line + 11);
		} else if (is_oom(out->ev.kind) && !strncmp(line, "ledger ", 7)) {
			parse_ledger(out, line + 7);
		} else if (is_oom(out->ev.kind) && !strncmp(line, "candidate ", 10)) {
			parse_candidate(out, line + 10);
		} else if (is_oom(out->ev.kind) && !strncmp(line, "victim_cmdline ", 15)) {
			parse_cmdline(out, line + 15);
		} else if (is_oom(out->ev.kind) && !strncmp(line, "victim_parents ", 15)) {
			parse_parents(out, line + 15);
		}
	}
	free(buf);
	out->ev.nr_stack = out->nstack_sym;
	event_decode_gfp(out, layout);
	return 0;
}

long event_split_records(const char *text, size_t len, event_record_cb cb, void *arg)
{
	const char *p = text, *end = text + len;
	const char *start = NULL;
	long n = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;
		bool cont = lend - p >= 2 && p[0] == ' ' && p[1] == ' ';

		if ((size_t)(lend - p) >= 4 && !strncmp(p, "seq=", 4)) {
			if (start) {
				if (cb(start, (size_t)(p - start), arg))
					return n;
				n++;
			}
			start = p;
		} else if (!cont && start) {
			if (cb(start, (size_t)(p - start), arg))
				return n;
			n++;
			start = NULL;
		}
		p = nl ? nl + 1 : end;
	}
	if (start) {
		cb(start, (size_t)(end - start), arg);
		n++;
	}
	return n;
}

void event_decode_gfp(struct od_event *e, const struct gfp_layout *layout)
{
	unsigned int gfp;

	if (!event_is_alloc(e->ev.kind) && !is_oom(e->ev.kind))
		return;
	gfp = event_gfp(e);
	if (is_oom(e->ev.kind) && e->ev.oom.order < 0 && !gfp)
		return;
	if (e->gfp_from_kernel)
		return;
	if (!layout)
		layout = gfp_layout_running();
	gfp_format(layout, gfp, e->gfp_text, sizeof(e->gfp_text));
}

/* ------------------------------------------------------------ writing */

static void put_u(FILE *f, const struct od_event *e, enum od_field fl, const char *key,
		  unsigned long long v)
{
	if (event_known(e, fl))
		fprintf(f, " %s=%llu", key, v);
	else
		fprintf(f, " %s=-", key);
}

static void put_d(FILE *f, const struct od_event *e, enum od_field fl, const char *key,
		  long long v)
{
	if (event_known(e, fl))
		fprintf(f, " %s=%lld", key, v);
	else
		fprintf(f, " %s=-", key);
}

static void put_str(FILE *f, const char *key, const char *s, size_t max)
{
	fprintf(f, " %s=", key);
	debugfs_escape_put(f, s, max);
}

static void put_gfp(FILE *f, const struct od_event *e, enum od_field fl, unsigned int gfp)
{
	if (event_known(e, fl))
		fprintf(f, " gfp=%#x", gfp);
	else
		fprintf(f, " gfp=-");
	fprintf(f, " gfp_names=%s", e->gfp_text[0] ? e->gfp_text : "-");
}

/* module/recorder.c show_alloc() */
static void write_alloc(FILE *f, const struct od_event *e)
{
	const struct oomdiag_alloc_info *a = &e->ev.alloc;

	put_gfp(f, e, OD_FIELD_ALLOC_GFP, a->gfp);
	if (a->order == ~0u || !event_known(e, OD_FIELD_ALLOC_ORDER))
		fprintf(f, " order=-");
	else
		fprintf(f, " order=%u", a->order);
	/* 0: not measured, as the module prints it */
	if (a->latency_ns && event_known(e, OD_FIELD_LATENCY_NS))
		fprintf(f, " latency_ns=%llu", (unsigned long long)a->latency_ns);
	else
		fprintf(f, " latency_ns=-");
	put_u(f, e, OD_FIELD_NODEMASK_SET, "nodemask_set", a->nodemask_set);
}

/* module/recorder.c show_oom() */
static void write_oom(FILE *f, const struct od_event *e)
{
	const struct oomdiag_oom_info *o = &e->ev.oom;
	bool kill = e->ev.kind == OOMDIAG_KIND_OOM_KILL;
	const char *c = oomdiag_name_of(oomdiag_constraint_names, o->constraint);

	put_u(f, e, OD_FIELD_VICTIM_PID, "victim_pid", o->victim_pid);
	put_u(f, e, OD_FIELD_VICTIM_UID, "victim_uid", o->victim_uid);
	put_str(f, "victim_comm", o->victim_comm, sizeof(o->victim_comm));
	put_u(f, e, OD_FIELD_ANON_RSS_KB, "anon_rss_kb", o->anon_rss_kb);
	put_u(f, e, OD_FIELD_FILE_RSS_KB, "file_rss_kb", o->file_rss_kb);
	put_u(f, e, OD_FIELD_SHMEM_RSS_KB, "shmem_rss_kb", o->shmem_rss_kb);
	put_u(f, e, OD_FIELD_SWAP_KB, "swap_kb", o->swap_kb);
	put_u(f, e, OD_FIELD_PGTABLES_KB, "pgtables_kb", o->pgtables_kb);
	if (o->points == LLONG_MIN)
		fprintf(f, " points=-");
	else
		put_d(f, e, OD_FIELD_POINTS, "points", o->points);
	if (kill)
		put_u(f, e, OD_FIELD_TOTALPAGES, "totalpages", o->totalpages);
	else
		fprintf(f, " totalpages=-");
	put_d(f, e, OD_FIELD_OOM_SCORE_ADJ, "oom_score_adj", o->oom_score_adj);
	fprintf(f, " constraint=%s", c ? c : "-");
	if (kill) {
		put_gfp(f, e, OD_FIELD_OOM_GFP, o->gfp);
		if (o->order < 0)
			fprintf(f, " order=-");
		else
			put_d(f, e, OD_FIELD_OOM_ORDER, "order", o->order);
	}
	put_str(f, "memcg", o->memcg, sizeof(o->memcg));
	put_str(f, "victim_memcg", o->victim_memcg, sizeof(o->victim_memcg));
}

/* module/recorder.c show_vm(): committed_as for overcommit, limit and current for the rest */
static void write_vm(FILE *f, const struct od_event *e)
{
	const struct oomdiag_vm_info *v = &e->ev.vm;
	const char *r = oomdiag_name_of(oomdiag_vm_reason_names, v->reason);
	bool oc = v->reason == OOMDIAG_VM_OVERCOMMIT;

	fprintf(f, " reason=%s", r ? r : "-");
	put_u(f, e, OD_FIELD_PAGES, "pages", v->pages);
	if (oc)
		put_u(f, e, OD_FIELD_COMMITTED_AS, "committed_as_pages", v->committed_as_pages);
	put_u(f, e, OD_FIELD_COMMIT_LIMIT, "commit_limit_pages", v->commit_limit_pages);
	put_u(f, e, OD_FIELD_OVERCOMMIT_MODE, "overcommit_mode", v->overcommit_mode);
	put_u(f, e, OD_FIELD_OVERCOMMIT_RATIO, "overcommit_ratio", v->overcommit_ratio);
	put_u(f, e, OD_FIELD_OVERCOMMIT_KBYTES, "overcommit_kbytes", v->overcommit_kbytes);
	if (oc)
		return;
	if (event_known(e, OD_FIELD_LIMIT) && v->limit == OD_UNLIMITED)
		fprintf(f, " limit=unlimited");
	else
		put_u(f, e, OD_FIELD_LIMIT, "limit", v->limit);
	put_u(f, e, OD_FIELD_CURRENT, "current", v->current_usage);
}

static void put_lnum(FILE *f, const char *key, bool known, int64_t v)
{
	if (known)
		fprintf(f, " %s=%lld", key, (long long)v);
	else
		fprintf(f, " %s=-", key);
}

/* module/ledger.c oomdiag_ledger_show() and show_row() */
static void write_ledger(FILE *f, const struct od_ledger *l)
{
	const char *c = oomdiag_name_of(oomdiag_constraint_names, l->constraint);

	fprintf(f, "  ledger domain=%s constraint=%s", l->domain[0] ? l->domain : "-", c ? c : "-");
	put_lnum(f, "totalpages", !(l->unknown & 1u << OD_LEDGER_TOTALPAGES), l->totalpages);
	put_lnum(f, "walked", !(l->unknown & 1u << OD_LEDGER_WALKED), l->walked);
	put_lnum(f, "candidates", !(l->unknown & 1u << OD_LEDGER_CANDIDATES), l->candidates);
	put_lnum(f, "exempt", !(l->unknown & 1u << OD_LEDGER_EXEMPT), l->exempt);
	fprintf(f, "%s%s%s\n", l->nodes_checked ? "" : " nodes=unchecked", l->extra[0] ? " " : "",
		l->extra);
	for (unsigned int i = 0; i < l->nr && i < OD_LEDGER_MAX_ROWS; i++) {
		const struct od_ledger_row *r = &l->rows[i];

		fprintf(f, "  candidate");
		put_lnum(f, "rank", ledger_row_known(r, OD_LROW_RANK), r->rank);
		put_lnum(f, "pid", ledger_row_known(r, OD_LROW_PID), r->pid);
		put_str(f, "comm", r->comm, sizeof(r->comm));
		put_lnum(f, "anon_pages", ledger_row_known(r, OD_LROW_ANON), r->anon_pages);
		put_lnum(f, "file_pages", ledger_row_known(r, OD_LROW_FILE), r->file_pages);
		put_lnum(f, "shmem_pages", ledger_row_known(r, OD_LROW_SHMEM), r->shmem_pages);
		put_lnum(f, "swap_pages", ledger_row_known(r, OD_LROW_SWAP), r->swap_pages);
		put_lnum(f, "pgtables_pages", ledger_row_known(r, OD_LROW_PGTABLES),
			 r->pgtables_pages);
		put_lnum(f, "oom_score_adj", ledger_row_known(r, OD_LROW_ADJ), r->oom_score_adj);
		put_lnum(f, "adj_points", ledger_row_known(r, OD_LROW_ADJ_POINTS), r->adj_points);
		put_lnum(f, "points", ledger_row_known(r, OD_LROW_POINTS), r->points);
		put_lnum(f, "origin", ledger_row_known(r, OD_LROW_ORIGIN), r->origin);
		fprintf(f, " exempt=%s", r->exempt[0] ? r->exempt : "-");
		put_lnum(f, "victim", ledger_row_known(r, OD_LROW_VICTIM), r->victim);
		fputc('\n', f);
	}
}

void event_write_record(FILE *f, const struct od_event *e)
{
	const struct oomdiag_event *ev = &e->ev;
	const char *kind = oomdiag_name_of(oomdiag_kind_names, ev->kind);
	const char *ctx = oomdiag_name_of(oomdiag_context_names, ev->context);
	char fl[128];

	if (event_known(e, OD_FIELD_SEQ))
		fprintf(f, "seq=%llu", (unsigned long long)ev->seq);
	else
		fprintf(f, "seq=-");
	put_u(f, e, OD_FIELD_TS_NS, "ts_ns", ev->ts_ns);
	put_u(f, e, OD_FIELD_WALL_NS, "wall_ns", ev->wall_ns);
	fprintf(f, " kind=%s", kind ? kind : "unknown");
	put_u(f, e, OD_FIELD_CPU, "cpu", ev->cpu);
	fprintf(f, " context=%s", ctx ? ctx : "unknown");
	put_u(f, e, OD_FIELD_PID, "pid", ev->pid);
	put_u(f, e, OD_FIELD_TGID, "tgid", ev->tgid);
	put_str(f, "comm", ev->comm, sizeof(ev->comm));
	event_flags_text(ev->flags, fl, sizeof(fl));
	fprintf(f, " flags=%s", fl[0] ? fl : "-");
	if (event_is_alloc(ev->kind))
		write_alloc(f, e);
	else if (is_oom(ev->kind))
		write_oom(f, e);
	else if (ev->kind == OOMDIAG_KIND_VM_REFUSED)
		write_vm(f, e);
	if (e->extra[0])
		fprintf(f, " %s", e->extra);
	fputc('\n', f);
	if (ev->kind == OOMDIAG_KIND_OOM_KILL && e->ledger.present)
		write_ledger(f, &e->ledger);
	if (is_oom(ev->kind) && e->has_cmdline)
		fprintf(f, "  victim_cmdline state=%s bytes=%s argv=%s\n",
			e->cmdline_state[0] ? e->cmdline_state : "-",
			e->cmdline_bytes[0] ? e->cmdline_bytes : "-", e->cmdline_esc);
	if (is_oom(ev->kind) && e->has_parents)
		fprintf(f, "  victim_parents chain=%s\n", e->parents_esc);
	for (unsigned int i = 0; i < ev->nr_zones && i < OOMDIAG_MAX_ZONES; i++) {
		const struct oomdiag_zone_snap *z = &ev->zones[i];

		fprintf(f, "  zone node=%u zone=", z->node);
		debugfs_escape_put(f, z->name, sizeof(z->name));
		fprintf(f, " free_pages=%llu min_pages=%llu low_pages=%llu high_pages=%llu"
			" free_cma_pages=%llu managed_pages=%llu free_blocks=",
			(unsigned long long)z->free_pages, (unsigned long long)z->min_pages,
			(unsigned long long)z->low_pages, (unsigned long long)z->high_pages,
			(unsigned long long)z->free_cma_pages, (unsigned long long)z->managed_pages);
		for (unsigned int o = 0; o < z->nr_orders && o < OOMDIAG_NR_ORDERS; o++)
			fprintf(f, "%s%u", o ? "," : "", z->free_blocks[o]);
		fputc('\n', f);
	}
	for (unsigned int i = 0; i < e->nstack_sym && i < OOMDIAG_STACK_DEPTH; i++)
		fprintf(f, "  stack %s\n", e->stack_sym[i][0] ? e->stack_sym[i] : "?");
	if (e->after[0]) {
		const char *p = e->after_zone;

		fprintf(f, "  after %s\n", e->after);
		while (*p) {
			size_t n = strcspn(p, "\n");

			fprintf(f, "  after_zone %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
}

/* ------------------------------------------------------------ rendering */

static long page_kb(void)
{
	static long kb;

	if (!kb) {
		long ps = sysconf(_SC_PAGESIZE);

		kb = ps > 0 ? ps / 1024 : 4;
	}
	return kb;
}

static int highest_order(const struct oomdiag_zone_snap *z)
{
	int h = -1;
	unsigned int n = z->nr_orders ? z->nr_orders : OOMDIAG_NR_ORDERS;

	for (unsigned int i = 0; i < n && i < OOMDIAG_NR_ORDERS; i++)
		if (z->free_blocks[i])
			h = (int)i;
	return h;
}

/* A size in kB for people, or "-" when the field is not known. */
static const char *kb_text(const struct od_event *e, enum od_field f, uint64_t kb, char *buf,
			   size_t len)
{
	if (!event_known(e, f))
		return "-";
	return human_kb(buf, len, kb);
}

/* A number for people, or "-". */
static const char *num_text(const struct od_event *e, enum od_field f, long long v, char *buf,
			    size_t len)
{
	if (!event_known(e, f))
		return "-";
	if (f == OD_FIELD_LIMIT && (uint64_t)v == OD_UNLIMITED)
		return "unlimited";
	snprintf(buf, len, "%lld", v);
	return buf;
}

static void time_text(const struct od_event *e, char *buf, size_t len)
{
	if (e->ev.wall_ns) {
		time_t t = (time_t)(e->ev.wall_ns / 1000000000ull);
		struct tm tm;

		gmtime_r(&t, &tm);
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%03u",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (unsigned int)(e->ev.wall_ns % 1000000000ull / 1000000));
	} else {
		snprintf(buf, len, "[%5llu.%06llu]",
			 (unsigned long long)(e->ev.ts_ns / 1000000000ull),
			 (unsigned long long)(e->ev.ts_ns % 1000000000ull / 1000));
	}
}

/* ------------------------------------------------------------ kill ledger */

#define LK(r, f) ledger_row_known(r, OD_LROW_##f)

/* rss + swap + page tables of a row, the memory the kernel counts; -1: not known */
static int64_t row_mem(const struct od_ledger_row *r)
{
	if (!LK(r, ANON) || !LK(r, FILE) || !LK(r, SHMEM) || !LK(r, SWAP) || !LK(r, PGTABLES))
		return -1;
	return r->anon_pages + r->file_pages + r->shmem_pages + r->swap_pages +
	       r->pgtables_pages;
}

static const char *row_comm(const struct od_ledger_row *r, char *buf, size_t len)
{
	if (!r->comm[0])
		return "-";
	return od_escape(r->comm, sizeof(r->comm), buf, len);
}

/* Why the kernel skips an exempt task, for the sentence. */
static void exempt_reason(struct sbuf *sb, const struct od_ledger_row *r)
{
	if (!strcmp(r->exempt, "adj_min")) {
		if (LK(r, ADJ))
			sbuf_printf(sb, "oom_score_adj=%lld", (long long)r->oom_score_adj);
		else
			sbuf_puts(sb, "oom_score_adj=-1000");
	} else if (!strcmp(r->exempt, "oom_skip")) {
		sbuf_puts(sb, "its memory already reaped (MMF_OOM_SKIP)");
	} else if (!strcmp(r->exempt, "vfork")) {
		sbuf_puts(sb, "in vfork()");
	} else if (!strcmp(r->exempt, "no_mm")) {
		sbuf_puts(sb, "no memory of its own");
	} else if (!strcmp(r->exempt, "oom_victim")) {
		sbuf_puts(sb, "already an OOM victim");
	} else {
		sbuf_puts(sb, r->exempt);
	}
}

/* "N points = rss R + swap S + page tables P + A from oom_score_adj=J" */
static void points_formula(struct sbuf *sb, const struct od_ledger_row *r)
{
	sbuf_printf(sb, "%lld points", (long long)r->points);
	if (row_mem(r) < 0 || !LK(r, ADJ_POINTS) || !LK(r, ADJ))
		return;
	sbuf_printf(sb, " = rss %lld + swap %lld + page tables %lld %c %lld from oom_score_adj=%lld",
		    (long long)(r->anon_pages + r->file_pages + r->shmem_pages),
		    (long long)r->swap_pages, (long long)r->pgtables_pages,
		    r->adj_points < 0 ? '-' : '+',
		    (long long)(r->adj_points < 0 ? -r->adj_points : r->adj_points),
		    (long long)r->oom_score_adj);
}

bool event_ledger_why(const struct od_event *e, char *buf, size_t len)
{
	const struct od_ledger *l = &e->ledger;
	const struct od_ledger_row *v = NULL, *next = NULL, *big = NULL;
	char c1[72], c2[72], hk[32];
	struct sbuf sb;

	if (len)
		buf[0] = 0;
	if (!l->present)
		return false;
	for (unsigned int i = 0; i < l->nr; i++) {
		const struct od_ledger_row *r = &l->rows[i];

		if (LK(r, VICTIM) && r->victim && !v)
			v = r;
		else if (LK(r, RANK) && !next && (!LK(r, VICTIM) || !r->victim))
			next = r;
		if (row_mem(r) >= 0 && (!big || row_mem(r) > row_mem(big)))
			big = r;
	}
	if (!v)
		return false;
	sbuf_init_fixed(&sb, buf, len);
	sbuf_printf(&sb, "%s (pid %lld) was chosen", row_comm(v, c1, sizeof(c1)),
		    (long long)v->pid);
	if (LK(v, ORIGIN) && v->origin) {
		sbuf_puts(&sb, " first as an oom_task_origin task (swapoff, KSM unmerge), "
			  "whatever its points");
		if (LK(v, POINTS)) {
			sbuf_puts(&sb, " (");
			points_formula(&sb, v);
			sbuf_puts(&sb, ", in pages)");
		}
	} else if (LK(v, POINTS)) {
		sbuf_puts(&sb, ": ");
		points_formula(&sb, v);
		sbuf_puts(&sb, " (pages)");
	} else {
		sbuf_puts(&sb, ", its points not known");
	}
	if (next) {
		sbuf_printf(&sb, "; the next, %s (pid %lld), had ", row_comm(next, c2, sizeof(c2)),
			    (long long)next->pid);
		if (!LK(next, POINTS)) {
			sbuf_puts(&sb, "points not known");
		} else {
			sbuf_printf(&sb, "%lld", (long long)next->points);
			if (LK(next, ADJ_POINTS) && LK(next, ADJ) && next->adj_points) {
				int64_t k = (l->unknown & (1u << OD_LEDGER_TOTALPAGES)) ? -1 :
					    l->totalpages / 1000;

				sbuf_puts(&sb, " (");
				if (k >= 0 && next->oom_score_adj * k == next->adj_points)
					sbuf_printf(&sb, "%lld x %lld = ",
						    (long long)next->oom_score_adj, (long long)k);
				sbuf_printf(&sb, "%lld of them from oom_score_adj=%lld)",
					    (long long)next->adj_points,
					    (long long)next->oom_score_adj);
			}
		}
	} else if (l->unknown & (1u << OD_LEDGER_CANDIDATES) || l->candidates <= 1) {
		sbuf_puts(&sb, "; it was the only candidate");
	}
	if (big && big != v && row_mem(big) > row_mem(v)) {
		sbuf_printf(&sb, "; the largest, %s (pid %lld), with %lld pages (%s) of rss, swap "
			    "and page tables, ", row_comm(big, c2, sizeof(c2)), (long long)big->pid,
			    (long long)row_mem(big),
			    human_kb(hk, sizeof(hk), (uint64_t)row_mem(big) * (uint64_t)page_kb()));
		if (big->exempt[0]) {
			sbuf_puts(&sb, "was exempt: ");
			exempt_reason(&sb, big);
		} else if (LK(v, ORIGIN) && v->origin) {
			sbuf_puts(&sb, "ranks after an oom_task_origin task");
		} else if (LK(big, POINTS)) {
			sbuf_printf(&sb, "had %lld points", (long long)big->points);
			if (LK(big, ADJ_POINTS) && LK(big, ADJ) && big->adj_points)
				sbuf_printf(&sb, " (%lld of them from oom_score_adj=%lld)",
					    (long long)big->adj_points,
					    (long long)big->oom_score_adj);
		} else {
			sbuf_puts(&sb, "was not chosen");
		}
	}
	return true;
}

/* A row's pages as kB/MB for people, or "-". */
static const char *row_size(const struct od_ledger_row *r, enum od_lrow_field f, int64_t pages,
			    char *buf, size_t len)
{
	if (!ledger_row_known(r, f))
		return "-";
	return human_kb(buf, len, (uint64_t)pages * (uint64_t)page_kb());
}

static const char *row_num(const struct od_ledger_row *r, enum od_lrow_field f, int64_t v,
			   char *buf, size_t len)
{
	if (!ledger_row_known(r, f))
		return "-";
	snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

/* Print text after "    why: " wrapped at 100 columns, continued under its start. */
static void print_wrapped(FILE *f, const char *lead, const char *text)
{
	size_t col = strlen(lead), ind = col;
	const char *p = text;

	fputs(lead, f);
	while (*p) {
		size_t w = strcspn(p, " ");

		if (p != text && col + 1 + w > 100) {
			fprintf(f, "\n%*s", (int)ind, "");
			col = ind;
		} else if (p != text) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

#define LEDGER_COLS 12

/*
 * The ledger's rows as a table, each column as wide as its widest cell (a
 * 15-character comm and sizes in kB/MB fit 100 columns); "  > " marks the
 * victim.
 */
static void ledger_print_human(FILE *f, const struct od_event *e)
{
	static const char *const head[LEDGER_COLS] = {
		"rank", "pid", "comm", "anon", "file", "shmem", "swap", "pgtables", "adj",
		"adj_points", "points", "exempt"
	};
	const struct od_ledger *l = &e->ledger;
	char why[768], tp[32], line[256];
	struct sbuf sb;
	char cell[OD_LEDGER_MAX_ROWS][LEDGER_COLS][72];
	int width[LEDGER_COLS];

	if (event_ledger_why(e, why, sizeof(why)))
		print_wrapped(f, "    why: ", why);
	sbuf_init_fixed(&sb, line, sizeof(line));
	sbuf_printf(&sb, "%s, constraint %s, totalpages ", l->domain[0] ? l->domain : "-",
		    event_constraint_name(l->constraint));
	if (l->unknown & (1u << OD_LEDGER_TOTALPAGES))
		sbuf_puts(&sb, "-");
	else
		sbuf_printf(&sb, "%lld (%s)", (long long)l->totalpages,
			    human_kb(tp, sizeof(tp), (uint64_t)l->totalpages * (uint64_t)page_kb()));
	for (unsigned int i = OD_LEDGER_WALKED; i <= OD_LEDGER_EXEMPT; i++) {
		static const char *const what[] = { NULL, "walked", "candidates", "exempt" };
		int64_t v = i == OD_LEDGER_WALKED ? l->walked : i == OD_LEDGER_CANDIDATES ?
			    l->candidates : l->exempt;

		if (l->unknown & (1u << i))
			sbuf_printf(&sb, ", %s -", what[i]);
		else
			sbuf_printf(&sb, ", %s %lld", what[i], (long long)v);
	}
	if (!l->nodes_checked)
		sbuf_puts(&sb, ", nodes not checked");
	print_wrapped(f, "    ledger ", line);
	if (!l->nr)
		return;
	for (unsigned int c = 0; c < LEDGER_COLS; c++)
		width[c] = (int)strlen(head[c]);
	for (unsigned int i = 0; i < l->nr; i++) {
		const struct od_ledger_row *r = &l->rows[i];
		char (*t)[72] = cell[i], tmp[72];

		snprintf(t[0], sizeof(t[0]), "%s", row_num(r, OD_LROW_RANK, r->rank, tmp, sizeof(tmp)));
		snprintf(t[1], sizeof(t[1]), "%s", row_num(r, OD_LROW_PID, r->pid, tmp, sizeof(tmp)));
		snprintf(t[2], sizeof(t[2]), "%s", row_comm(r, tmp, sizeof(tmp)));
		snprintf(t[3], sizeof(t[3]), "%s",
			 row_size(r, OD_LROW_ANON, r->anon_pages, tmp, sizeof(tmp)));
		snprintf(t[4], sizeof(t[4]), "%s",
			 row_size(r, OD_LROW_FILE, r->file_pages, tmp, sizeof(tmp)));
		snprintf(t[5], sizeof(t[5]), "%s",
			 row_size(r, OD_LROW_SHMEM, r->shmem_pages, tmp, sizeof(tmp)));
		snprintf(t[6], sizeof(t[6]), "%s",
			 row_size(r, OD_LROW_SWAP, r->swap_pages, tmp, sizeof(tmp)));
		snprintf(t[7], sizeof(t[7]), "%s",
			 row_size(r, OD_LROW_PGTABLES, r->pgtables_pages, tmp, sizeof(tmp)));
		snprintf(t[8], sizeof(t[8]), "%s",
			 row_num(r, OD_LROW_ADJ, r->oom_score_adj, tmp, sizeof(tmp)));
		snprintf(t[9], sizeof(t[9]), "%s",
			 row_num(r, OD_LROW_ADJ_POINTS, r->adj_points, tmp, sizeof(tmp)));
		snprintf(t[10], sizeof(t[10]), "%s",
			 row_num(r, OD_LROW_POINTS, r->points, tmp, sizeof(tmp)));
		snprintf(t[11], sizeof(t[11]), "%s%s", r->exempt[0] ? r->exempt : "-",
			 LK(r, ORIGIN) && r->origin ? " origin" : "");
		for (unsigned int c = 0; c < LEDGER_COLS; c++)
			if ((int)strlen(t[c]) > width[c])
				width[c] = (int)strlen(t[c]);
	}
	/* comm and exempt left-aligned, the numbers right-aligned */
	for (int i = -1; i < (int)l->nr; i++) {
		const struct od_ledger_row *r = i < 0 ? NULL : &l->rows[i];

		fputs(r && LK(r, VICTIM) && r->victim ? "  > " : "    ", f);
		for (unsigned int c = 0; c < LEDGER_COLS; c++) {
			const char *t = i < 0 ? head[c] : cell[i][c];
			bool left = c == 2 || c == LEDGER_COLS - 1;

			if (c == LEDGER_COLS - 1)
				fprintf(f, "%s\n", t);
			else
				fprintf(f, left ? "%-*s " : "%*s ", width[c], t);
		}
	}
}

/* The head line: time, kind, task, what failed, [source]; the gfp text on its own line past 100 columns. */
static void human_head(FILE *f, const struct od_event *e, bool color)
{
	const struct oomdiag_event *ev = &e->ev;
	char ts[40], comm[72], vcomm[72];
	const char *b = color ? C_BOLD : "", *r = color ? C_RESET : "";
	const char *kc = "";
	long pk = page_kb();

	if (color)
		kc = is_oom(ev->kind) ? C_RED : ev->kind == OOMDIAG_KIND_SLOW_ALLOC ? C_YELLOW :
		     C_YELLOW;
	time_text(e, ts, sizeof(ts));
	od_escape(ev->comm, sizeof(ev->comm), comm, sizeof(comm));
	struct sbuf h, g;
	char tail[64];

	sbuf_init(&h);
	sbuf_init(&g);
	sbuf_printf(&h, "%s %-10s %s pid %u", ts, event_kind_name(ev->kind), comm,
		    ev->tgid ? ev->tgid : ev->pid);
	if (ev->tgid && ev->pid != ev->tgid)
		sbuf_printf(&h, "/%u", ev->pid);
	if (event_is_alloc(ev->kind)) {
		if (ev->alloc.order != ~0u)
			sbuf_printf(&h, " order %u", ev->alloc.order);
		if (event_known(e, OD_FIELD_ALLOC_GFP))
			sbuf_printf(&g, "gfp 0x%x(%s)", ev->alloc.gfp, e->gfp_text);
		else
			sbuf_puts(&g, "gfp -");
		if (event_known(e, OD_FIELD_LATENCY_NS))
			sbuf_printf(&h, " %.3f ms", ev->alloc.latency_ns / 1e6);
		else if (ev->kind == OOMDIAG_KIND_SLOW_ALLOC)
			sbuf_puts(&h, " - ms");
	} else if (is_oom(ev->kind)) {
		od_escape(ev->oom.victim_comm, sizeof(ev->oom.victim_comm), vcomm,
			  sizeof(vcomm));
		sbuf_printf(&h, " killed %s pid %u", vcomm, ev->oom.victim_pid);
	} else if (ev->kind == OOMDIAG_KIND_VM_REFUSED) {
		char hk[32];

		sbuf_printf(&h, " %s, asked %s", event_vm_reason_name(ev->vm.reason),
			    kb_text(e, OD_FIELD_PAGES, ev->vm.pages * (uint64_t)pk, hk,
				    sizeof(hk)));
	}
	snprintf(tail, sizeof(tail), " [%s]", e->source[0] ? e->source : "?");
	/* colour: kind and comm; lengths are those of the plain text */
	{
		const char *p = h.buf + strlen(ts) + 1;

		fprintf(f, "%s %s%-10s%s %s%s%s", ts, kc, event_kind_name(ev->kind), r, b,
			comm, r);
		p += 11 + strlen(comm);
		fputs(p, f);
	}
	if (g.len && h.len + 1 + g.len + strlen(tail) <= 100)
		fprintf(f, " %s%s\n", g.buf, tail);
	else if (g.len)
		fprintf(f, "%s\n    %s\n", tail, g.buf);
	else
		fprintf(f, "%s\n", tail);
	free(h.buf);
	free(g.buf);
}

/* An OOM kill or victim: the victim's memory, constraint, gfp, kill ledger. */
static void human_oom(FILE *f, const struct od_event *e)
{
	const struct oomdiag_event *ev = &e->ev;
	char a[32], fr[32], sh[32], sw[32], adj[24], pt[24];

	fprintf(f, "    victim rss anon %s file %s shmem %s, swap %s, oom_score_adj %s, "
		"points %s\n",
		kb_text(e, OD_FIELD_ANON_RSS_KB, ev->oom.anon_rss_kb, a, sizeof(a)),
		kb_text(e, OD_FIELD_FILE_RSS_KB, ev->oom.file_rss_kb, fr, sizeof(fr)),
		kb_text(e, OD_FIELD_SHMEM_RSS_KB, ev->oom.shmem_rss_kb, sh, sizeof(sh)),
		kb_text(e, OD_FIELD_SWAP_KB, ev->oom.swap_kb, sw, sizeof(sw)),
		num_text(e, OD_FIELD_OOM_SCORE_ADJ, ev->oom.oom_score_adj, adj,
			 sizeof(adj)),
		num_text(e, OD_FIELD_POINTS, ev->oom.points, pt, sizeof(pt)));
	struct od_victim v;

	event_victim(e, &v);
	victim_print_where(f, 4, &v);
	fprintf(f, "    constraint %s", event_constraint_name(ev->oom.constraint));
	if (ev->oom.order >= 0)
		fprintf(f, ", order %d", ev->oom.order);
	fputc('\n', f);
	cgroup_print(f, 4, "OOM domain cgroup", ev->oom.memcg, sizeof(ev->oom.memcg),
		     event_path_cut(e, ev->oom.memcg, sizeof(ev->oom.memcg)));
	if (ev->oom.order >= 0 && event_known(e, OD_FIELD_OOM_GFP))
		fprintf(f, "    gfp 0x%x(%s)\n", ev->oom.gfp, e->gfp_text);
	else if (ev->oom.order >= 0)
		fprintf(f, "    gfp -\n");
	if (e->ledger.present)
		ledger_print_human(f, e);
}

int event_path_cut(const struct od_event *e, const char *path, size_t size)
{
	/* the flag is the record's; only a path of the field's whole length can be the cut one */
	return (e->ev.flags & OOMDIAG_F_PATH_TRUNCATED) && strnlen(path, size) >= size - 1;
}

void event_victim(const struct od_event *e, struct od_victim *v)
{
	const struct oomdiag_oom_info *o = &e->ev.oom;

	victim_init(v);
	if (!is_oom(e->ev.kind))
		return;
#define VNUM(field, dst, val)	if (event_known(e, OD_FIELD_##field)) v->dst = (int64_t)(val)
	VNUM(VICTIM_PID, pid, o->victim_pid);
	VNUM(VICTIM_UID, uid, o->victim_uid);
	VNUM(ANON_RSS_KB, anon_rss_kb, o->anon_rss_kb);
	VNUM(FILE_RSS_KB, file_rss_kb, o->file_rss_kb);
	VNUM(SHMEM_RSS_KB, shmem_rss_kb, o->shmem_rss_kb);
	VNUM(SWAP_KB, swap_kb, o->swap_kb);
	VNUM(PGTABLES_KB, pgtables_kb, o->pgtables_kb);
	VNUM(OOM_SCORE_ADJ, oom_score_adj, o->oom_score_adj);
	if (o->points != LLONG_MIN)
		VNUM(POINTS, points, o->points);
#undef VNUM
	if (o->victim_comm[0]) {
		v->comm = o->victim_comm;
		v->comm_len = sizeof(o->victim_comm);
	}
	if (o->victim_memcg[0]) {
		v->cgroup = o->victim_memcg;
		v->cgroup_len = sizeof(o->victim_memcg);
		v->cgroup_truncated = event_path_cut(e, o->victim_memcg, sizeof(o->victim_memcg));
	}
	v->has_cmdline = e->has_cmdline;
	v->cmdline_state = e->cmdline_state;
	v->argv = e->argv;
	v->argv_len = e->argv_len;
	v->has_parents = e->has_parents;
	v->nr_parents = e->nr_parents;
	v->parents = e->parents;
}

/* A refused mmap/brk: the overcommit state, the limit it hit. */
static void human_vm(FILE *f, const struct od_event *e)
{
	const struct oomdiag_event *ev = &e->ev;
	long pk = page_kb();
	char c1[32], c2[32], md[24], lim[24], cur[24];

	fprintf(f, "    overcommit_memory=%s, Committed_AS %s, CommitLimit %s\n",
		num_text(e, OD_FIELD_OVERCOMMIT_MODE, ev->vm.overcommit_mode, md,
			 sizeof(md)),
		kb_text(e, OD_FIELD_COMMITTED_AS, ev->vm.committed_as_pages * (uint64_t)pk,
			c1, sizeof(c1)),
		kb_text(e, OD_FIELD_COMMIT_LIMIT, ev->vm.commit_limit_pages * (uint64_t)pk,
			c2, sizeof(c2)));
	if (ev->vm.reason != OOMDIAG_VM_OVERCOMMIT &&
	    (event_known(e, OD_FIELD_LIMIT) || event_known(e, OD_FIELD_CURRENT)))
		fprintf(f, "    limit %s, current %s\n",
			num_text(e, OD_FIELD_LIMIT, (long long)ev->vm.limit, lim,
				 sizeof(lim)),
			num_text(e, OD_FIELD_CURRENT, (long long)ev->vm.current_usage, cur,
				 sizeof(cur)));
}

/* The zone snapshot, one line per zone (blocks on the next past 100 columns). */
static void human_zones(FILE *f, const struct od_event *e)
{
	const struct oomdiag_event *ev = &e->ev;
	long pk = page_kb();

	for (unsigned int i = 0; i < ev->nr_zones && i < OOMDIAG_MAX_ZONES; i++) {
		const struct oomdiag_zone_snap *z = &ev->zones[i];
		char fr[32], mn[32];
		unsigned int n = z->nr_orders ? z->nr_orders : OOMDIAG_NR_ORDERS;

		char blocks[160];
		struct sbuf bs;
		int w;

		sbuf_init_fixed(&bs, blocks, sizeof(blocks));
		for (unsigned int o = 0; o < n && o < OOMDIAG_NR_ORDERS; o++)
			sbuf_printf(&bs, "%s%u", o ? "," : "", z->free_blocks[o]);
		w = fprintf(f, "    node %u %-7.*s free %9s min %9s top order %2d", z->node,
			    (int)sizeof(z->name), z->name,
			    human_kb(fr, sizeof(fr), z->free_pages * (uint64_t)pk),
			    human_kb(mn, sizeof(mn), z->min_pages * (uint64_t)pk), highest_order(z));
		if (w + 9 + (int)bs.len <= 100)
			fprintf(f, "  blocks %s", blocks);
		else
			fprintf(f, "\n      blocks %s", blocks);
		fputc('\n', f);
	}
}

void event_print_human(FILE *f, const struct od_event *e, bool color)
{
	const struct oomdiag_event *ev = &e->ev;
	char fl[96];

	human_head(f, e, color);
	event_flags_text(ev->flags & ~(unsigned int)OOMDIAG_F_SNAPSHOT, fl, sizeof(fl));
	if (fl[0] || ev->cpu || ev->context || !event_known(e, OD_FIELD_CPU)) {
		char cpu[24];

		fprintf(f, "    cpu %s, %s context%s%s\n",
			num_text(e, OD_FIELD_CPU, ev->cpu, cpu, sizeof(cpu)),
			event_context_name(ev->context), fl[0] ? ", " : "", fl);
	}
	if (is_oom(ev->kind))
		human_oom(f, e);
	else if (ev->kind == OOMDIAG_KIND_VM_REFUSED)
		human_vm(f, e);
	human_zones(f, e);
	for (unsigned int i = 0; i < e->nstack_sym; i++)
		fprintf(f, "      %s\n", e->stack_sym[i]);
	if (e->after[0])
		fprintf(f, "    after %s\n", e->after);
}

/* A number of the record, null when not known. */
static void json_known_uint(struct json_writer *w, const char *key, const struct od_event *e,
			    enum od_field f, uint64_t v)
{
	if (event_known(e, f))
		json_uint(w, key, v);
	else
		json_null(w, key);
}

/* A name of the vocabulary, null for a value outside its list. */
static void json_name(struct json_writer *w, const char *key, const char *name)
{
	if (name)
		json_string(w, key, name);
	else
		json_null(w, key);
}

static void json_comm(struct json_writer *w, const char *key, const char *comm, size_t n)
{
	json_string_len(w, key, comm, strnlen(comm, n));
}

static void json_lrow_int(struct json_writer *w, const char *key, const struct od_ledger_row *r,
			  enum od_lrow_field f, int64_t v)
{
	if (ledger_row_known(r, f))
		json_int(w, key, v);
	else
		json_null(w, key);
}

static void json_lrow_bool(struct json_writer *w, const char *key, const struct od_ledger_row *r,
			   enum od_lrow_field f, int64_t v)
{
	if (ledger_row_known(r, f))
		json_bool(w, key, v != 0);
	else
		json_null(w, key);
}

static void ledger_print_json(struct json_writer *w, const struct od_event *e)
{
	const struct od_ledger *l = &e->ledger;
	char why[768];

	json_begin_object(w, "ledger");
	if (l->domain[0])
		json_string(w, "domain", l->domain);
	else
		json_null(w, "domain");
	json_name(w, "constraint", oomdiag_name_of(oomdiag_constraint_names, l->constraint));
	for (unsigned int i = 0; i < OD_NR_LEDGER_FIELDS; i++) {
		int64_t v;

		memcpy(&v, (const char *)l + ledger_fields[i].off, sizeof(v));
		if (l->unknown & (1u << i))
			json_null(w, ledger_fields[i].key);
		else
			json_int(w, ledger_fields[i].key, v);
	}
	json_bool(w, "nodes_checked", l->nodes_checked);
	json_begin_array(w, "rows");
	for (unsigned int i = 0; i < l->nr; i++) {
		const struct od_ledger_row *r = &l->rows[i];

		json_begin_object(w, NULL);
		json_lrow_int(w, "rank", r, OD_LROW_RANK, r->rank);
		json_lrow_int(w, "pid", r, OD_LROW_PID, r->pid);
		json_comm(w, "comm", r->comm, sizeof(r->comm));
		json_lrow_int(w, "anon_pages", r, OD_LROW_ANON, r->anon_pages);
		json_lrow_int(w, "file_pages", r, OD_LROW_FILE, r->file_pages);
		json_lrow_int(w, "shmem_pages", r, OD_LROW_SHMEM, r->shmem_pages);
		json_lrow_int(w, "swap_pages", r, OD_LROW_SWAP, r->swap_pages);
		json_lrow_int(w, "pgtables_pages", r, OD_LROW_PGTABLES, r->pgtables_pages);
		json_lrow_int(w, "oom_score_adj", r, OD_LROW_ADJ, r->oom_score_adj);
		json_lrow_int(w, "adj_points", r, OD_LROW_ADJ_POINTS, r->adj_points);
		json_lrow_int(w, "points", r, OD_LROW_POINTS, r->points);
		json_lrow_bool(w, "origin", r, OD_LROW_ORIGIN, r->origin);
		if (r->exempt[0])
			json_string(w, "exempt", r->exempt);
		else
			json_null(w, "exempt");
		json_lrow_bool(w, "victim", r, OD_LROW_VICTIM, r->victim);
		json_end_object(w);
	}
	json_end_array(w);
	json_end_object(w);
	if (event_ledger_why(e, why, sizeof(why)))
		json_string(w, "why", why);
	else
		json_null(w, "why");
}

/* The keys of an allocation (alloc_fail, warn_alloc, slow_alloc). */
static void json_alloc(struct json_writer *w, const struct od_event *e)
{
	const struct oomdiag_event *ev = &e->ev;

	if (event_known(e, OD_FIELD_LATENCY_NS))
		json_uint(w, "latency_ns", ev->alloc.latency_ns);
	else if (ev->kind == OOMDIAG_KIND_SLOW_ALLOC)
		json_null(w, "latency_ns");
	if (event_known(e, OD_FIELD_NODEMASK_SET))
		json_bool(w, "nodemask_set", ev->alloc.nodemask_set);
	else
		json_null(w, "nodemask_set");
}

/* The keys of an OOM kill or victim: the victim, the domain, the ledger. */
static void json_oom(struct json_writer *w, const struct od_event *e)
{
	const struct oomdiag_event *ev = &e->ev;

	struct od_victim v;

	event_victim(e, &v);
	json_begin_object(w, "victim");
	victim_json_scalars(w, &v);
	if (ev->oom.victim_memcg[0])
		json_comm(w, "memcg", ev->oom.victim_memcg, sizeof(ev->oom.victim_memcg));
	victim_json_where(w, &v);
	json_end_object(w);
	json_known_uint(w, "totalpages", e, OD_FIELD_TOTALPAGES, ev->oom.totalpages);
	json_name(w, "constraint",
		  oomdiag_name_of(oomdiag_constraint_names, ev->oom.constraint));
	if (ev->oom.memcg[0])
		json_comm(w, "memcg", ev->oom.memcg, sizeof(ev->oom.memcg));
	else
		json_null(w, "memcg");
	domain_json(w, "domain", ev->oom.memcg, sizeof(ev->oom.memcg),
		    event_path_cut(e, ev->oom.memcg, sizeof(ev->oom.memcg)));
	if (e->ledger.present)
		ledger_print_json(w, e);
}

/* The keys of a refused mmap/brk. */
static void json_vm(struct json_writer *w, const struct od_event *e)
{
	const struct oomdiag_event *ev = &e->ev;

	json_name(w, "reason",
		  oomdiag_name_of(oomdiag_vm_reason_names, ev->vm.reason));
	json_known_uint(w, "overcommit_mode", e, OD_FIELD_OVERCOMMIT_MODE,
			ev->vm.overcommit_mode);
	json_known_uint(w, "pages", e, OD_FIELD_PAGES, ev->vm.pages);
	json_known_uint(w, "committed_as_pages", e, OD_FIELD_COMMITTED_AS,
			ev->vm.committed_as_pages);
	json_known_uint(w, "commit_limit_pages", e, OD_FIELD_COMMIT_LIMIT,
			ev->vm.commit_limit_pages);
	json_known_uint(w, "overcommit_ratio", e, OD_FIELD_OVERCOMMIT_RATIO,
			ev->vm.overcommit_ratio);
	json_known_uint(w, "overcommit_kbytes", e, OD_FIELD_OVERCOMMIT_KBYTES,
			ev->vm.overcommit_kbytes);
	if (event_known(e, OD_FIELD_LIMIT) && ev->vm.limit == OD_UNLIMITED)
		json_string(w, "limit", "unlimited");
	else
		json_known_uint(w, "limit", e, OD_FIELD_LIMIT, ev->vm.limit);
	json_known_uint(w, "current", e, OD_FIELD_CURRENT, ev->vm.current_usage);
}

void event_print_json(FILE *f, const struct od_event *e)
{
	const struct oomdiag_event *ev = &e->ev;
	struct json_writer w;
	long pk = page_kb();

	json_init(&w, f);
	json_begin_object(&w, NULL);
	json_string(&w, "source", e->source[0] ? e->source : "unknown");
	json_known_uint(&w, "seq", e, OD_FIELD_SEQ, ev->seq);
	json_string(&w, "kind", event_kind_name(ev->kind));
	json_known_uint(&w, "ts_ns", e, OD_FIELD_TS_NS, ev->ts_ns);
	if (ev->wall_ns && event_known(e, OD_FIELD_WALL_NS))
		json_uint(&w, "wall_ns", ev->wall_ns);
	json_begin_array(&w, "flags");
	for (size_t i = 0; i < NFLAGS; i++)
		if (ev->flags & (1u << i))
			json_string(&w, NULL, oomdiag_flag_names[i]);
	json_end_array(&w);
	json_known_uint(&w, "cpu", e, OD_FIELD_CPU, ev->cpu);
	json_string(&w, "context", event_context_name(ev->context));
	json_begin_object(&w, "task");
	json_comm(&w, "comm", ev->comm, sizeof(ev->comm));
	if (ev->tgid && event_known(e, OD_FIELD_TGID))
		json_uint(&w, "pid", ev->tgid);
	else
		json_known_uint(&w, "pid", e, OD_FIELD_PID, ev->pid);
	json_known_uint(&w, "tid", e, OD_FIELD_PID, ev->pid);
	json_end_object(&w);
	if (event_is_alloc(ev->kind) || (is_oom(ev->kind) && ev->oom.order >= 0)) {
		json_begin_object(&w, "gfp");
		if (event_known(e, event_is_alloc(ev->kind) ? OD_FIELD_ALLOC_GFP : OD_FIELD_OOM_GFP))
			json_hex(&w, "mask", event_gfp(e));
		else
			json_null(&w, "mask");
		gfp_json_flags(&w, "flags", e->gfp_text);
		json_end_object(&w);
		if (event_order(e) >= 0)
			json_int(&w, "order", event_order(e));
		else
			json_null(&w, "order");
	}
	if (event_is_alloc(ev->kind))
		json_alloc(&w, e);
	else if (is_oom(ev->kind))
		json_oom(&w, e);
	else if (ev->kind == OOMDIAG_KIND_VM_REFUSED)
		json_vm(&w, e);
	json_begin_array(&w, "zones");
	for (unsigned int i = 0; i < ev->nr_zones && i < OOMDIAG_MAX_ZONES; i++) {
		const struct oomdiag_zone_snap *z = &ev->zones[i];
		unsigned int n = z->nr_orders ? z->nr_orders : OOMDIAG_NR_ORDERS;
		struct zone_fields zf = {
			.node = (int)z->node, .name = z->name, .name_len = sizeof(z->name),
			.page_kb = (uint64_t)pk, .free_pages = z->free_pages,
			.min_pages = z->min_pages, .low_pages = z->low_pages,
			.high_pages = z->high_pages, .managed_pages = z->managed_pages,
			.free_cma_pages = z->free_cma_pages, .has_wmark = true,
			.highest_free_order = highest_order(z),
		};

		for (unsigned int o = 0; o < n && o < OOMDIAG_NR_ORDERS; o++)
			zf.free_blocks[zf.nr_orders++] = z->free_blocks[o];
		zone_json_open(&w, &zf);
		json_end_object(&w);
	}
	json_end_array(&w);
	json_begin_array(&w, "stack");
	for (unsigned int i = 0; i < e->nstack_sym; i++)
		json_string(&w, NULL, e->stack_sym[i]);
	json_end_array(&w);
	if (e->after[0])
		json_string(&w, "after", e->after);
	if (e->extra[0])
		json_string(&w, "extra", e->extra);
	json_end_object(&w);
	json_newline(&w);
}
