// SPDX-License-Identifier: GPL-2.0
/* Options and helpers shared by the oomdiag commands (see cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cli.h"

bool od_global_json;
bool od_global_pretty;
bool od_global_no_module;
bool od_global_no_color;

void od_opts_init(struct od_opts *o)
{
	o->json = od_global_json;
	o->pretty = od_global_pretty;
	o->no_module = od_global_no_module;
	o->no_color = od_global_no_color;
}

int od_opts_common(struct od_opts *o, int c)
{
	switch (c) {
	case 'J': o->json = true; return 1;
	case 'P': o->pretty = true; o->json = true; return 1;
	case 'M': o->no_module = true; return 1;
	case 'C': o->no_color = true; return 1;
	default: return 0;
	}
}

void od_style_from(struct od_style *st, const struct od_opts *o, FILE *f)
{
	st->json = o->json;
	st->pretty = o->pretty;
	st->color = !o->no_color && od_want_color(f, o->json);
}

int od_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "oomdiag: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'oomdiag %s --help'.\n", cmd);
	return EXIT_USAGE;
}

bool od_module_loaded(void)
{
	struct stat st;

	return !stat(od_debugfs_dir(), &st) && S_ISDIR(st.st_mode);
}

long od_parse_uint(const char *s, long max)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < 0 || v > max)
		return -1;
	return v;
}

