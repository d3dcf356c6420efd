// SPDX-License-Identifier: GPL-2.0
/* Streaming JSON writer, see json.h. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void json_init(struct json_writer *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

void json_set_pretty(struct json_writer *w, bool pretty)
{
	w->pretty = pretty;
}

static void indent(struct json_writer *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Length of a valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void json_write_escaped(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	fputc('"', f);
	while (i < n) {
		unsigned char c = s[i];
		size_t l;

		switch (c) {
		case '"': fputs("\\\"", f); i++; continue;
		case '\\': fputs("\\\\", f); i++; continue;
		case '\n': fputs("\\n", f); i++; continue;
		case '\r': fputs("\\r", f); i++; continue;
		case '\t': fputs("\\t", f); i++; continue;
		case '\b': fputs("\\b", f); i++; continue;
		case '\f': fputs("\\f", f); i++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
			i++;
			continue;
		}
		l = utf8_len(s + i, n - i);
		if (l == 0) {
			/* not UTF-8: keep the byte visible as U+00XX */
			fprintf(f, "\\u%04x", c);
			i++;
			continue;
		}
		fwrite(s + i, 1, l, f);
		i += l;
	}
	fputc('"', f);
}

/* Comma, indentation and key before a value. */
static void prefix(struct json_writer *w, const char *key)
{
	if (w->need_comma[w->depth])
		fputc(',', w->f);
	if (w->depth > 0)
		indent(w);
	w->need_comma[w->depth] = true;
	if (w->depth > 0 && !w->is_array[w->depth]) {
		json_write_escaped(w->f, key ? key : "", key ? strlen(key) : 0);
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

static void begin(struct json_writer *w, const char *key, bool array)
{
	prefix(w, key);
	fputc(array ? '[' : '{', w->f);
	if (w->depth < JSON_MAX_DEPTH)
		w->depth++;
	w->need_comma[w->depth] = false;
	w->is_array[w->depth] = array;
}

static void end(struct json_writer *w, bool array)
{
	bool had = w->need_comma[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had)
		indent(w);
	fputc(array ? ']' : '}', w->f);
}

void json_begin_object(struct json_writer *w, const char *key)
{
	begin(w, key, false);
}

void json_end_object(struct json_writer *w)
{
	end(w, false);
}

void json_begin_array(struct json_writer *w, const char *key)
{
	begin(w, key, true);
}

void json_end_array(struct json_writer *w)
{
	end(w, true);
}

void json_string_len(struct json_writer *w, const char *key, const char *s, size_t n)
{
	prefix(w, key);
	json_write_escaped(w->f, s, n);
}

void json_string(struct json_writer *w, const char *key, const char *s)
{
	if (!s) {
		json_null(w, key);
		return;
	}
	json_string_len(w, key, s, strlen(s));
}

void json_int(struct json_writer *w, const char *key, int64_t v)
{
	prefix(w, key);
	fprintf(w->f, "%" PRId64, v);
}

void json_uint(struct json_writer *w, const char *key, uint64_t v)
{
	prefix(w, key);
	fprintf(w->f, "%" PRIu64, v);
}

void json_double(struct json_writer *w, const char *key, double v)
{
	prefix(w, key);
	if (isnan(v) || isinf(v)) {
		fputs("null", w->f);
	} else {
		char buf[40];

		/* shortest text that reads back as the same double */
		for (int prec = 6; prec <= 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				break;
		}
		fputs(buf, w->f);
	}
}

void json_bool(struct json_writer *w, const char *key, bool v)
{
	prefix(w, key);
	fputs(v ? "true" : "false", w->f);
}

void json_null(struct json_writer *w, const char *key)
{
	prefix(w, key);
	fputs("null", w->f);
}

void json_hex(struct json_writer *w, const char *key, uint64_t v)
{
	prefix(w, key);
	fprintf(w->f, "\"0x%" PRIx64 "\"", v);
}

void json_newline(struct json_writer *w)
{
	fputc('\n', w->f);
	fflush(w->f);
	w->need_comma[0] = false;
}
