/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_JSON_H
#define OOMDIAG_JSON_H
/*
 * A small streaming JSON writer.  Values are written as they come; the
 * writer only remembers, per nesting level, whether a comma is needed.
 * Inside an object every value needs a key; inside an array and at the top
 * level the key must be NULL (it is ignored there).
 *
 * Compact output is one line; json_end at depth 0 does not add a newline,
 * json_newline() does.  Pretty mode indents by two spaces.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json_writer {
	FILE *f;
	int depth;
	bool pretty;
	bool need_comma[JSON_MAX_DEPTH + 1];
	bool is_array[JSON_MAX_DEPTH + 1];
};

void json_init(struct json_writer *w, FILE *f);
void json_set_pretty(struct json_writer *w, bool pretty);

void json_begin_object(struct json_writer *w, const char *key);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w, const char *key);
void json_end_array(struct json_writer *w);

/* s NULL → null.  Control characters escaped, invalid UTF-8 bytes → \u00XX. */
void json_string(struct json_writer *w, const char *key, const char *s);
/* The first n bytes of s (may contain NUL, escaped as \u0000). */
void json_string_len(struct json_writer *w, const char *key, const char *s, size_t n);
void json_int(struct json_writer *w, const char *key, int64_t v);
void json_uint(struct json_writer *w, const char *key, uint64_t v);
/* NaN and infinities → null (JSON has no spelling for them). */
void json_double(struct json_writer *w, const char *key, double v);
void json_bool(struct json_writer *w, const char *key, bool v);
void json_null(struct json_writer *w, const char *key);
/* "0x..." lower-case hex, as a string. */
void json_hex(struct json_writer *w, const char *key, uint64_t v);
/* Ends a top-level value: newline, flush. */
void json_newline(struct json_writer *w);

/* Escape s as a JSON string (with quotes) to f. */
void json_write_escaped(FILE *f, const char *s, size_t n);

#endif
