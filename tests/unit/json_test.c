// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the streaming JSON writer (userspace/json.c). TAP. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static int n, failed;

static void is(const char *got, const char *want, const char *name)
{
	n++;
	if (!strcmp(got, want)) {
		printf("ok %d - %s\n", n, name);
	} else {
		failed++;
		printf("not ok %d - %s\n#   got:  %s\n#   want: %s\n", n, name, got, want);
	}
}

/* Run fn on a memstream writer and return the text. */
static char *render(void (*fn)(struct json_writer *), int pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_writer w;

	json_init(&w, f);
	json_set_pretty(&w, pretty);
	fn(&w);
	fclose(f);
	return buf;
}

static void t_basic(struct json_writer *w)
{
	json_begin_object(w, NULL);
	json_string(w, "s", "a\"b\\c\n\t\x01");
	json_string(w, "null", NULL);
	json_int(w, "i", -5);
	json_uint(w, "u", 18446744073709551615ull);
	json_bool(w, "t", true);
	json_bool(w, "f", false);
	json_null(w, "n");
	json_hex(w, "h", 0x400cc0);
	json_double(w, "d", 0.1);
	json_double(w, "nan", NAN);
	json_double(w, "inf", INFINITY);
	json_begin_array(w, "a");
	json_int(w, NULL, 1);
	json_begin_object(w, NULL);
	json_end_object(w);
	json_begin_array(w, NULL);
	json_end_array(w);
	json_string(w, NULL, "x");
	json_end_array(w);
	json_begin_object(w, "o");
	json_int(w, "k", 0);
	json_end_object(w);
	json_end_object(w);
}

static void t_utf8(struct json_writer *w)
{
	json_begin_array(w, NULL);
	json_string(w, NULL, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");	/* valid */
	json_string(w, NULL, "bad\xff\xfe end");			/* invalid bytes */
	json_string(w, NULL, "trunc\xe2\x82");				/* truncated */
	json_string(w, NULL, "overlong\xc0\xaf");			/* overlong */
	json_string(w, NULL, "surrogate\xed\xa0\x80");			/* surrogate */
	json_string(w, NULL, "del\x7f");
	json_string_len(w, NULL, "nul\0in", 6);
	json_end_array(w);
}

static void t_pretty(struct json_writer *w)
{
	json_begin_object(w, NULL);
	json_int(w, "a", 1);
	json_begin_array(w, "b");
	json_int(w, NULL, 2);
	json_end_array(w);
	json_begin_object(w, "e");
	json_end_object(w);
	json_end_object(w);
}

static void t_toplevel(struct json_writer *w)
{
	json_begin_object(w, NULL);
	json_end_object(w);
	json_newline(w);
	json_begin_object(w, NULL);
	json_int(w, "x", 1);
	json_end_object(w);
	json_newline(w);
}

int main(void)
{
	char *s;

	printf("1..4\n");
	s = render(t_basic, 0);
	is(s, "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\",\"null\":null,\"i\":-5,"
	      "\"u\":18446744073709551615,\"t\":true,\"f\":false,\"n\":null,"
	      "\"h\":\"0x400cc0\",\"d\":0.1,\"nan\":null,\"inf\":null,"
	      "\"a\":[1,{},[],\"x\"],\"o\":{\"k\":0}}", "types, escapes, nesting");
	free(s);
	s = render(t_utf8, 0);
	is(s, "[\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\",\"bad\\u00ff\\u00fe end\","
	      "\"trunc\\u00e2\\u0082\",\"overlong\\u00c0\\u00af\","
	      "\"surrogate\\u00ed\\u00a0\\u0080\",\"del\\u007f\",\"nul\\u0000in\"]",
	   "UTF-8 kept, invalid bytes and control characters escaped");
	free(s);
	s = render(t_pretty, 1);
	is(s, "{\n  \"a\": 1,\n  \"b\": [\n    2\n  ],\n  \"e\": {}\n}", "pretty mode");
	free(s);
	s = render(t_toplevel, 0);
	is(s, "{}\n{\"x\":1}\n", "one value per line at the top level (JSON Lines)");
	free(s);
	return failed ? 1 : 0;
}
