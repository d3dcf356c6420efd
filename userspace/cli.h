/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_CLI_H
#define OOMDIAG_CLI_H
/*
 * The oomdiag commands (main.c dispatches) and the global options: main.c
 * parses --json, --pretty, --no-color and --no-module once, wherever they
 * are, into od_global_*; a command takes them with od_opts_init() and
 * turns them into its output style with od_style_from().
 */
#include <stdbool.h>
#include <stdio.h>

#include "util.h"

#define OOMDIAG_VERSION "0.1"
#define OD_WIDTH 100

/* Set by main from the global options. */
extern bool od_global_json;
extern bool od_global_pretty;
extern bool od_global_no_module;
extern bool od_global_no_color;

int cmd_status(int argc, char **argv);
int cmd_buddy(int argc, char **argv);
int cmd_gfp(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_trace(int argc, char **argv);

/*
 * Options every command's getopt table lists.  Through main.c a command
 * never sees the global ones (main took them out); they stay here so that a
 * command called on its own (oomdiag help CMD, tests) reads them the same.
 */
#define OD_COMMON_LONGOPTS \
	{ "json", no_argument, NULL, 'J' }, \
	{ "pretty", no_argument, NULL, 'P' }, \
	{ "no-module", no_argument, NULL, 'M' }, \
	{ "no-color", no_argument, NULL, 'C' }, \
	{ "help", no_argument, NULL, 'h' }

struct od_opts {
	bool json, pretty, no_module, no_color;
};
void od_opts_init(struct od_opts *o);
/* Handle a common option character; returns 1 handled, 0 not common. */
int od_opts_common(struct od_opts *o, int c);
void od_style_from(struct od_style *st, const struct od_opts *o, FILE *f);
/* Print "oomdiag: CMD: MSG\nTry 'oomdiag CMD --help'." and return EXIT_USAGE. */
int od_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Is the module's debugfs directory there (and readable)? */
bool od_module_loaded(void);
/* Parse an unsigned int option value; -1 on error. */
long od_parse_uint(const char *s, long max);

#define COMMON_HELP \
"      --json         one JSON document on stdout (no colour)\n" \
"      --pretty       indent the JSON\n" \
"      --no-module    do not read the module's debugfs files, use /proc only\n" \
"      --no-color     no colour (also NO_COLOR=1; colour only on a terminal)\n" \
"  -h, --help         this help\n"

#endif
