// SPDX-License-Identifier: GPL-2.0
/*
 * The victim of an OOM kill and the cgroups of a failure, one renderer for
 * events, trace, explain and top, for people and for JSON (render.h).  The
 * victim object is documented once, in docs/event-schema.md.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "cli.h"
#include "render.h"
#include "util.h"

void victim_init(struct od_victim *v)
{
	memset(v, 0, sizeof(*v));
	v->pid = v->uid = OD_VUNK;
	v->anon_rss_kb = v->file_rss_kb = v->shmem_rss_kb = v->swap_kb = v->pgtables_kb = OD_VUNK;
	v->oom_score_adj = v->points = OD_VUNK;
	v->cgroup_truncated = -1;
}

static void j_num(struct json_writer *w, const char *key, int64_t v)
{
	if (v == OD_VUNK)
		json_null(w, key);
	else
		json_int(w, key, v);
}

static void j_tri(struct json_writer *w, const char *key, int v)
{
	if (v < 0)
		json_null(w, key);
	else
		json_bool(w, key, v);
}

void victim_json_scalars(struct json_writer *w, const struct od_victim *v)
{
	j_num(w, "pid", v->pid);
	if (v->comm)
		json_string_len(w, "comm", v->comm, strnlen(v->comm, v->comm_len));
	else
		json_null(w, "comm");
	j_num(w, "uid", v->uid);
	j_num(w, "anon_rss_kb", v->anon_rss_kb);
	j_num(w, "file_rss_kb", v->file_rss_kb);
	j_num(w, "shmem_rss_kb", v->shmem_rss_kb);
	j_num(w, "swap_kb", v->swap_kb);
	j_num(w, "pgtables_kb", v->pgtables_kb);
	j_num(w, "oom_score_adj", v->oom_score_adj);
	j_num(w, "points", v->points);
}

/* the container a cgroup path names, null when it names none */
static void container_of(struct json_writer *w, const char *cgroup, size_t len)
{
	char path[OD_CGROUP_PATH_MAX];

	if (!cgroup) {
		json_null(w, "container");
		return;
	}
	snprintf(path, sizeof(path), "%.*s", (int)strnlen(cgroup, len), cgroup);
	container_json(w, path);
}

static void j_cgroup(struct json_writer *w, const char *cgroup, size_t len, int truncated)
{
	if (cgroup && strnlen(cgroup, len)) {
		json_string_len(w, "cgroup", cgroup, strnlen(cgroup, len));
		j_tri(w, "cgroup_truncated", truncated);
		container_of(w, cgroup, len);
	} else {
		json_null(w, "cgroup");
		json_null(w, "cgroup_truncated");
		json_null(w, "container");
	}
}

static void argv_json_one(const char *a, size_t n, void *arg)
{
	json_string_len(arg, NULL, a, n);
}

static bool state_known(const char *s)
{
	static const char *const st[] = { "ok", "truncated", "gone", "unavailable" };

	for (size_t i = 0; s && i < sizeof(st) / sizeof(st[0]); i++)
		if (!strcmp(s, st[i]))
			return true;
	return false;
}

void victim_json_where(struct json_writer *w, const struct od_victim *v)
{
	j_cgroup(w, v->cgroup, v->cgroup ? v->cgroup_len : 0, v->cgroup_truncated);
	if (v->has_cmdline && v->argv_len) {
		json_begin_array(w, "cmdline");
		argv_each(v->argv, v->argv_len, argv_json_one, w);
		json_end_array(w);
	} else {
		json_null(w, "cmdline");
	}
	if (v->has_cmdline && state_known(v->cmdline_state))
		json_string(w, "cmdline_state", v->cmdline_state);
	else
		json_null(w, "cmdline_state");
	if (v->has_parents) {
		json_begin_array(w, "parents");
		for (unsigned int i = 0; i < v->nr_parents; i++) {
			json_begin_object(w, NULL);
			j_num(w, "pid", v->parents[i].pid);
			json_string(w, "comm", v->parents[i].comm);
			json_end_object(w);
		}
		json_end_array(w);
	} else {
		json_null(w, "parents");
	}
}

void victim_json(struct json_writer *w, const char *key, const struct od_victim *v)
{
	json_begin_object(w, key);
	victim_json_scalars(w, v);
	victim_json_where(w, v);
	json_end_object(w);
}

void domain_json(struct json_writer *w, const char *key, const char *cgroup, size_t len,
		 int truncated)
{
	json_begin_object(w, key);
	j_cgroup(w, cgroup, len, truncated);
	json_end_object(w);
}

void argv_each(const char *argv, size_t len, void (*cb)(const char *a, size_t n, void *arg),
	       void *arg)
{
	size_t i = 0;

	while (i < len) {
		size_t n = strnlen(argv + i, len - i);

		/* a NUL ends an argument; the one after the last ends nothing */
		cb(argv + i, n, arg);
		i += n + 1;
	}
}

/* ---- text */

struct sb_arg {
	struct sbuf *sb;
	unsigned int n;
};

/* one argument: printable ASCII as is, the rest \xHH; quoted when empty or with a space */
static void argv_text_one(const char *a, size_t n, void *arg)
{
	struct sb_arg *s = arg;
	bool q = !n || memchr(a, ' ', n);

	sbuf_puts(s->sb, s->n++ ? " " : "");
	if (q)
		sbuf_puts(s->sb, "'");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)a[i];

		if (c < 0x20 || c > 0x7e || c == '\\' || (q && c == '\''))
			sbuf_printf(s->sb, "\\x%02x", c);
		else
			sbuf_printf(s->sb, "%c", c);
	}
	if (q)
		sbuf_puts(s->sb, "'");
}

static void text_comm(struct sbuf *sb, const char *c, size_t n)
{
	char buf[300];

	od_escape(c, n, buf, sizeof(buf));
	sbuf_puts(sb, buf);
}

/*
 * "LABEL PATH" from column indent, the path whole: a line too long is
 * broken after a '/' (else at the width) and goes on indent + 2 spaces in.
 */
void cgroup_print(FILE *f, int indent, const char *label, const char *cgroup, size_t len,
		  int truncated)
{
	char path[OD_CGROUP_PATH_MAX], esc[OD_CGROUP_PATH_MAX * 4 + 64];
	const char *p = esc;
	int col;

	if (!cgroup || !strnlen(cgroup, len))
		return;
	snprintf(path, sizeof(path), "%.*s", (int)strnlen(cgroup, len), cgroup);
	od_escape(path, sizeof(path), esc, sizeof(esc));
	col = fprintf(f, "%*s%s ", indent, "", label);
	while ((int)strlen(p) + col > OD_WIDTH) {
		size_t room = (size_t)(OD_WIDTH - col), cut = room;

		for (size_t i = room; i > room / 3; i--)
			if (p[i - 1] == '/') {
				cut = i;
				break;
			}
		fprintf(f, "%.*s\n%*s", (int)cut, p, indent + 2, "");
		col = indent + 2;
		p += cut;
	}
	fputs(p, f);
	col += (int)strlen(p);
	if (truncated > 0) {
		const char *cut = " (path cut by the source: it keeps 255 bytes)";

		if (col + (int)strlen(cut) > OD_WIDTH)
			fprintf(f, "\n%*s%s", indent + 2, "", cut + 1);
		else
			fputs(cut, f);
	}
	fputc('\n', f);
	container_print(f, indent + 2, path);
}

void container_print(FILE *f, int indent, const char *cgroup)
{
	struct od_container k;
	struct sbuf sb;
	char c[600];

	if (!cgroup || !cgroup[0])
		return;
	cg_container(cgroup, &k);
	cg_container_str(&k, c, sizeof(c));
	if (c[0]) {
		fprintf(f, "%*s", indent, "");
		sbuf_init(&sb);
		sbuf_printf(&sb, "container: %s", c);
		od_wrap(f, indent, indent, sb.buf);
		free(sb.buf);
	}
}

void victim_print_where(FILE *f, int indent, const struct od_victim *v)
{
	struct sbuf sb;

	if (v->cgroup)
		cgroup_print(f, indent, "victim cgroup", v->cgroup, v->cgroup_len,
			     v->cgroup_truncated);
	if (v->has_cmdline) {
		struct sb_arg a = { &sb, 0 };

		sbuf_init(&sb);
		sbuf_puts(&sb, "command line:");
		if (v->argv_len) {
			sbuf_puts(&sb, " ");
			argv_each(v->argv, v->argv_len, argv_text_one, &a);
		}
		if (!state_known(v->cmdline_state))
			sbuf_puts(&sb, " (state not known)");
		else if (!strcmp(v->cmdline_state, "truncated"))
			sbuf_puts(&sb, " (cut: longer than the module keeps)");
		else if (!strcmp(v->cmdline_state, "gone"))
			sbuf_puts(&sb, v->argv_len ? "" : " - (the process had released it)");
		else if (!strcmp(v->cmdline_state, "unavailable"))
			sbuf_puts(&sb, v->argv_len ? "" : " - (not readable without sleeping)");
		else if (!v->argv_len)
			sbuf_puts(&sb, " (empty: a kernel thread or a cleared argv)");
		fprintf(f, "%*s", indent, "");
		od_wrap(f, indent, indent, sb.buf);
		free(sb.buf);
	}
	if (v->has_parents) {
		sbuf_init(&sb);
		sbuf_puts(&sb, "parents:");
		if (!v->nr_parents)
			sbuf_puts(&sb, " none recorded");
		for (unsigned int i = 0; i < v->nr_parents; i++) {
			sbuf_puts(&sb, i ? " < " : " ");
			text_comm(&sb, v->parents[i].comm, sizeof(v->parents[i].comm));
			if (v->parents[i].pid == OD_VUNK)
				sbuf_puts(&sb, " (-)");
			else
				sbuf_printf(&sb, " (%lld)", (long long)v->parents[i].pid);
		}
		fprintf(f, "%*s", indent, "");
		od_wrap(f, indent, indent, sb.buf);
		free(sb.buf);
	}
}

size_t od_unhex(const char *s, size_t n, char *out, size_t len)
{
	size_t j = 0;

	if (!len)
		return 0;
	for (size_t i = 0; i < n && j + 1 < len; i++) {
		char h[3];

		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    isxdigit((unsigned char)s[i + 2]) && isxdigit((unsigned char)s[i + 3])) {
			h[0] = s[i + 2];
			h[1] = s[i + 3];
			h[2] = 0;
			out[j++] = (char)strtoul(h, NULL, 16);
			i += 3;
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = 0;
	return j;
}

unsigned int victim_parents_parse(const char *chain, struct od_parent *p, unsigned int max)
{
	unsigned int n = 0;
	const char *s = chain;

	while (s && *s && n < max) {
		size_t l = strcspn(s, ",");
		const char *colon = memchr(s, ':', l);
		char num[24], *end;

		p[n].pid = OD_VUNK;
		p[n].comm[0] = 0;
		if (colon) {
			snprintf(num, sizeof(num), "%.*s", (int)(colon - s), s);
			long long v = strtoll(num, &end, 10);

			if (num[0] && !*end)
				p[n].pid = v;
			od_unhex(colon + 1, l - (size_t)(colon + 1 - s), p[n].comm, sizeof(p[n].comm));
		} else {
			od_unhex(s, l, p[n].comm, sizeof(p[n].comm));
		}
		n++;
		s += l;
		if (*s == ',')
			s++;
	}
	return n;
}
