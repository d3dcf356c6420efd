/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict JSON parser and a checker of docs/event-schema.md's tables,
 * libc only: used by tests/unit/event_schema.c (host) and, in the guest, by
 * tests/progs/event_schema_check.c.  The schema is the markdown itself: the
 * rows "| `key` | TYPE | always|optional | ..." under "### object `NAME`".
 * TYPE is alternatives joined by " or ": string, integer, number, boolean,
 * null, object (any), "NAME object", "array of T".
 */
#ifndef OOMDIAG_SCHEMA_CHECK_H
#define OOMDIAG_SCHEMA_CHECK_H

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ JSON */

enum jt { J_NULL, J_BOOL, J_INT, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jt t;
	char *s;			/* J_STR */
	size_t n;			/* J_ARR, J_OBJ: members */
	char **keys;			/* J_OBJ */
	struct jv **v;
};

struct jp {
	const char *p, *end;
	char err[160];
};

static void jv_free(struct jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		jv_free(v->v[i]);
	}
	free(v->keys);
	free(v->v);
	free(v->s);
	free(v);
}

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static struct jv *jp_fail(struct jp *j, const char *what)
{
	if (!j->err[0])
		snprintf(j->err, sizeof(j->err), "%s at byte '%.10s'", what,
			 j->p < j->end ? j->p : "(end)");
	return NULL;
}

static char *jp_string(struct jp *j)
{
	size_t cap = 32, n = 0;
	char *out = malloc(cap);

	j->p++;			/* " */
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p++;

		if (c < 0x20) {
			free(out);
			jp_fail(j, "control character in a string");
			return NULL;
		}
		if (c == '\\') {
			if (j->p >= j->end)
				break;
			c = (unsigned char)*j->p++;
			if (c == 'u') {
				for (int i = 0; i < 4; i++)
					if (j->p >= j->end || !isxdigit((unsigned char)*j->p++)) {
						free(out);
						jp_fail(j, "bad \\u escape");
						return NULL;
					}
				c = '?';
			} else if (!strchr("\"\\/bfnrt", c)) {
				free(out);
				jp_fail(j, "bad escape");
				return NULL;
			}
		}
		if (n + 2 > cap)
			out = realloc(out, cap *= 2);
		out[n++] = (char)c;
	}
	if (j->p >= j->end) {
		free(out);
		jp_fail(j, "unterminated string");
		return NULL;
	}
	j->p++;
	out[n] = 0;
	return out;
}

static struct jv *jp_value(struct jp *j, int depth);

static struct jv *jp_members(struct jp *j, struct jv *v, bool obj, int depth)
{
	char close = obj ? '}' : ']';

	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct jv *m;

		jp_ws(j);
		if (obj) {
			if (j->p >= j->end || *j->p != '"')
				return jp_fail(j, "key expected");
			if (!(key = jp_string(j)))
				return NULL;
			for (size_t i = 0; i < v->n; i++)
				if (!strcmp(v->keys[i], key)) {
					free(key);
					return jp_fail(j, "duplicate key");
				}
			jp_ws(j);
			if (j->p >= j->end || *j->p != ':') {
				free(key);
				return jp_fail(j, "':' expected");
			}
			j->p++;
		}
		m = jp_value(j, depth + 1);
		if (!m) {
			free(key);
			return NULL;
		}
		v->v = realloc(v->v, (v->n + 1) * sizeof(*v->v));
		if (obj) {
			v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
			v->keys[v->n] = key;
		}
		v->v[v->n++] = m;
		jp_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return v;
		}
		return jp_fail(j, obj ? "',' or '}' expected" : "',' or ']' expected");
	}
}

static struct jv *jp_value(struct jp *j, int depth)
{
	struct jv *v;

	jp_ws(j);
	if (j->p >= j->end)
		return jp_fail(j, "value expected");
	if (depth > 64)
		return jp_fail(j, "nested too deep");
	v = calloc(1, sizeof(*v));
	if (*j->p == '{' || *j->p == '[') {
		v->t = *j->p == '{' ? J_OBJ : J_ARR;
		if (!jp_members(j, v, v->t == J_OBJ, depth)) {
			jv_free(v);
			return NULL;
		}
	} else if (*j->p == '"') {
		v->t = J_STR;
		if (!(v->s = jp_string(j))) {
			jv_free(v);
			return NULL;
		}
	} else if (!strncmp(j->p, "null", 4) && j->end - j->p >= 4) {
		v->t = J_NULL;
		j->p += 4;
	} else if (!strncmp(j->p, "true", 4) && j->end - j->p >= 4) {
		v->t = J_BOOL;
		j->p += 4;
	} else if (!strncmp(j->p, "false", 5) && j->end - j->p >= 5) {
		v->t = J_BOOL;
		j->p += 5;
	} else if (*j->p == '-' || isdigit((unsigned char)*j->p)) {
		const char *s = j->p;

		v->t = J_INT;
		if (*j->p == '-')
			j->p++;
		if (j->p >= j->end || !isdigit((unsigned char)*j->p) ||
		    (*j->p == '0' && j->p + 1 < j->end && isdigit((unsigned char)j->p[1]))) {
			jv_free(v);
			return jp_fail(j, "bad number");
		}
		while (j->p < j->end && isdigit((unsigned char)*j->p))
			j->p++;
		if (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E')) {
			char *e;

			v->t = J_NUM;
			strtod(s, &e);
			if (e <= j->p || e > j->end) {
				jv_free(v);
				return jp_fail(j, "bad number");
			}
			j->p = e;
		}
	} else {
		jv_free(v);
		return jp_fail(j, "value expected");
	}
	return v;
}

/* ------------------------------------------------------------ schema */

struct sc_key {
	char obj[32], key[48], type[160];
	bool always;
};

struct schema {
	size_t n;
	struct sc_key k[512];
	char err[256];
};

/* Read the tables of the markdown at path; 0 or -1 (err). */
static int schema_load(struct schema *sc, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024], obj[32] = "";

	sc->n = 0;
	if (!f) {
		snprintf(sc->err, sizeof(sc->err), "cannot open %s", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *c[4], *p = line;
		int nc = 0;

		if (!strncmp(line, "### object `", 12)) {
			snprintf(obj, sizeof(obj), "%.*s", (int)strcspn(line + 12, "`"), line + 12);
			continue;
		}
		if (!obj[0] || strncmp(line, "| `", 3))
			continue;
		/* cells 1-3 of "| `key` | type | presence | ..." */
		while (nc < 4 && (p = strchr(p, '|'))) {
			*p++ = 0;
			c[nc++] = p;
		}
		if (nc < 4 || sc->n >= sizeof(sc->k) / sizeof(sc->k[0]))
			continue;
		for (int i = 0; i < 3; i++) {
			char *e;

			while (*c[i] == ' ')
				c[i]++;
			e = c[i] + strlen(c[i]);
			while (e > c[i] && (e[-1] == ' ' || e[-1] == '|'))
				*--e = 0;
		}
		snprintf(sc->k[sc->n].obj, sizeof(sc->k[0].obj), "%s", obj);
		snprintf(sc->k[sc->n].key, sizeof(sc->k[0].key), "%.*s",
			 (int)strcspn(c[0] + 1, "`"), c[0] + 1);
		snprintf(sc->k[sc->n].type, sizeof(sc->k[0].type), "%s", c[1]);
		sc->k[sc->n].always = !strcmp(c[2], "always");
		sc->n++;
	}
	fclose(f);
	if (!sc->n) {
		snprintf(sc->err, sizeof(sc->err), "no object tables in %s", path);
		return -1;
	}
	return 0;
}

static bool schema_has_object(const struct schema *sc, const char *obj)
{
	for (size_t i = 0; i < sc->n; i++)
		if (!strcmp(sc->k[i].obj, obj))
			return true;
	return false;
}

struct sc_ctx {
	const struct schema *sc;
	int errors;
	FILE *out;
	const char *where;
};

static void sc_err(struct sc_ctx *x, const char *path, const char *fmt, ...)
{
	va_list ap;

	x->errors++;
	if (x->errors > 20 || !x->out)
		return;
	fprintf(x->out, "# %s: %s: ", x->where, path);
	va_start(ap, fmt);
	vfprintf(x->out, fmt, ap);
	va_end(ap);
	fputc('\n', x->out);
}

static bool sc_object(struct sc_ctx *x, const struct jv *v, const char *obj, const char *path);

/* Is v of the one type t ("integer", "zone object", "array of string" ...)? */
static bool sc_one(struct sc_ctx *x, const struct jv *v, const char *t, const char *path,
		   bool report)
{
	size_t tl = strlen(t);

	if (!strncmp(t, "array of ", 9)) {
		char sub[512];

		if (v->t != J_ARR)
			return false;
		for (size_t i = 0; i < v->n; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (!sc_one(x, v->v[i], t + 9, sub, report)) {
				if (report)
					sc_err(x, sub, "not %s", t + 9);
				return report;	/* told once */
			}
		}
		return true;
	}
	if (tl > 7 && !strcmp(t + tl - 7, " object")) {
		char name[32];

		if (v->t != J_OBJ)
			return false;
		snprintf(name, sizeof(name), "%.*s", (int)(tl - 7), t);
		if (!report)
			return true;
		sc_object(x, v, name, path);
		return true;
	}
	if (!strcmp(t, "string"))
		return v->t == J_STR;
	if (!strcmp(t, "integer"))
		return v->t == J_INT;
	if (!strcmp(t, "number"))
		return v->t == J_INT || v->t == J_NUM;
	if (!strcmp(t, "boolean"))
		return v->t == J_BOOL;
	if (!strcmp(t, "null"))
		return v->t == J_NULL;
	if (!strcmp(t, "object"))
		return v->t == J_OBJ;
	sc_err(x, path, "the schema's type '%s' is not one the checker knows", t);
	return true;
}

static const char *jt_name(enum jt t)
{
	static const char *const n[] = { "null", "boolean", "integer", "number", "string",
					 "array", "object" };

	return n[t];
}

/* v against a "T or T or T" type */
static void sc_type(struct sc_ctx *x, const struct jv *v, const char *type, const char *path)
{
	char alt[160], *save, *t;

	snprintf(alt, sizeof(alt), "%s", type);
	/* split on " or " */
	for (t = alt; t; t = save) {
		save = strstr(t, " or ");
		if (save) {
			*save = 0;
			save += 4;
		}
		if (sc_one(x, v, t, path, false)) {
			sc_one(x, v, t, path, true);
			return;
		}
	}
	sc_err(x, path, "%s where the schema says %s", jt_name(v->t), type);
}

static bool sc_object(struct sc_ctx *x, const struct jv *v, const char *obj, const char *path)
{
	char sub[512];

	if (!schema_has_object(x->sc, obj)) {
		sc_err(x, path, "no object '%s' in the schema", obj);
		return false;
	}
	if (v->t != J_OBJ) {
		sc_err(x, path, "%s where the schema says %s object", jt_name(v->t), obj);
		return false;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct sc_key *k = NULL;

		for (size_t j = 0; j < x->sc->n; j++)
			if (!strcmp(x->sc->k[j].obj, obj) && !strcmp(x->sc->k[j].key, v->keys[i]))
				k = &x->sc->k[j];
		snprintf(sub, sizeof(sub), "%s.%s", path, v->keys[i]);
		if (!k) {
			sc_err(x, sub, "key not in the schema of %s", obj);
			continue;
		}
		sc_type(x, v->v[i], k->type, sub);
	}
	for (size_t j = 0; j < x->sc->n; j++) {
		const struct sc_key *k = &x->sc->k[j];
		bool there = false;

		if (strcmp(k->obj, obj) || !k->always)
			continue;
		for (size_t i = 0; i < v->n && !there; i++)
			there = !strcmp(v->keys[i], k->key);
		if (!there)
			sc_err(x, path, "key '%s' missing (always in %s)", k->key, obj);
	}
	return true;
}

/*
 * Validate every JSON value of text (one document or JSON Lines) as an
 * object obj.  Returns the number of errors (a parse error counts one);
 * *nvalues: how many values were checked.
 */
static int schema_check_text(const struct schema *sc, const char *obj, const char *text,
			     size_t len, const char *where, FILE *out, int *nvalues)
{
	struct jp j = { text, text + len, "" };
	struct sc_ctx x = { sc, 0, out, where };
	int n = 0;

	for (;;) {
		struct jv *v;

		jp_ws(&j);
		if (j.p >= j.end)
			break;
		v = jp_value(&j, 0);
		if (!v) {
			x.errors++;
			if (out)
				fprintf(out, "# %s: value %d: not JSON: %s\n", where, n + 1, j.err);
			break;
		}
		n++;
		sc_object(&x, v, obj, obj);
		jv_free(v);
	}
	if (nvalues)
		*nvalues = n;
	return x.errors;
}

static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0, r;
	char *buf = malloc(cap);

	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	*len = n;
	return buf;
}

/*
 * The command line of both programs: SCHEMA.md OBJECT [FILE...] ('-' or
 * none: stdin).  Prints "ok N values" or the errors; exit 0 or 1.
 */
static int schema_check_main(int argc, char **argv)
{
	static struct schema sc;
	int bad = 0, total = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s SCHEMA.md OBJECT [FILE...]\n", argv[0]);
		return 2;
	}
	if (schema_load(&sc, argv[1])) {
		fprintf(stderr, "%s: %s\n", argv[0], sc.err);
		return 2;
	}
	if (!schema_has_object(&sc, argv[2])) {
		fprintf(stderr, "%s: no object '%s' in %s\n", argv[0], argv[2], argv[1]);
		return 2;
	}
	for (int i = argc > 3 ? 3 : 2; i < argc || i == 2; i++) {
		const char *name = i == 2 || !strcmp(argv[i], "-") ? "stdin" : argv[i];
		FILE *f = i == 2 || !strcmp(argv[i], "-") ? stdin : fopen(argv[i], "r");
		size_t len;
		char *text;
		int n = 0;

		if (!f) {
			fprintf(stderr, "%s: cannot open %s\n", argv[0], argv[i]);
			return 2;
		}
		text = slurp(f, &len);
		if (f != stdin)
			fclose(f);
		bad += schema_check_text(&sc, argv[2], text, len, name, stdout, &n);
		total += n;
		free(text);
		if (i == 2)
			break;
	}
	if (bad)
		printf("# %d error(s) in %d %s value(s)\n", bad, total, argv[2]);
	else
		printf("# ok: %d %s value(s) valid\n", total, argv[2]);
	return bad || !total ? 1 : 0;
}

#endif
