// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag: why did this allocation fail, why was this process killed.
 * Command dispatch and the options shared by every command.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "explain.h"
#include "trace.h"

bool od_global_json;
bool od_global_pretty;
bool od_global_no_module;
bool od_global_no_color;

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{ "status", cmd_status, "one screen: zones, fragmentation, overcommit, victims, events" },
	{ "buddy", cmd_buddy, "free blocks per zone x order x migratetype [--watch S]" },
	{ "gfp", cmd_gfp, "decode a GFP mask and say what the allocator does with it" },
	{ "top", cmd_top, "OOM badness ranking and the predicted next victim" },
	{ "events", cmd_events, "the module's flight recorder [--follow]" },
	{ "trace", cmd_trace, "attach the BPF probes and stream events (no module needed)" },
	{ "explain", cmd_explain, "explain OOM reports and allocation failures in kernel logs" },
	{ "metrics", cmd_metrics, "Prometheus text exposition (node_exporter textfile)" },
};
#define NCMDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag [--json] [--no-module] [--no-color] COMMAND [ARGS]\n"
		"\n"
		"Why did this allocation fail, why was this process killed.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Every command takes --json and --help.  Without the module (oomdiag.ko)\n"
		"everything readable from /proc still works.\n"
		"\n"
		"Exit status: 0 ok, 1 failure, 2 usage error, 3 the module is needed and not\n"
		"loaded, 4 permission denied (run as root).  See oomdiag(1).\n");
}

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

int main(int argc, char **argv)
{
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			printf("oomdiag %s\n", OOMDIAG_VERSION);
			return EXIT_OK;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(a, "--json")) {
			od_global_json = true;
		} else if (!strcmp(a, "--pretty")) {
			od_global_json = od_global_pretty = true;
		} else if (!strcmp(a, "--no-module")) {
			od_global_no_module = true;
		} else if (!strcmp(a, "--no-color")) {
			od_global_no_color = true;
		} else {
			fprintf(stderr, "oomdiag: unknown option '%s'\nTry 'oomdiag --help'.\n", a);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		if (i + 1 < argc) {
			char *hargv[] = { argv[i + 1], "--help", NULL };

			for (size_t c = 0; c < NCMDS; c++)
				if (!strcmp(commands[c].name, argv[i + 1]))
					return commands[c].fn(2, hargv);
		}
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t c = 0; c < NCMDS; c++) {
		if (strcmp(commands[c].name, argv[i]))
			continue;
		/* explain and trace parse their own options: pass the global
		 * ones on as command options */
		if (commands[c].fn == cmd_explain || commands[c].fn == cmd_trace) {
			int n = argc - i;
			char **av = calloc((size_t)n + 5, sizeof(char *));
			int k = 0;

			if (!av)
				return EXIT_FAIL;
			av[k++] = argv[i];
			if (od_global_json)
				av[k++] = "--json";
			for (int j = i + 1; j < argc; j++)
				av[k++] = argv[j];
			av[k] = NULL;
			optind = 1;
			int r = commands[c].fn(k, av);

			free(av);
			return r;
		}
		optind = 1;
		return commands[c].fn(argc - i, argv + i);
	}
	fprintf(stderr, "oomdiag: unknown command '%s'\nTry 'oomdiag --help'.\n", argv[i]);
	return EXIT_USAGE;
}
