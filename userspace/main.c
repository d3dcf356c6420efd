// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag: why did this allocation fail, why was this process killed.
 * Command dispatch and the global options, parsed here once: --json,
 * --pretty, --no-color and --no-module, before the command or anywhere
 * among its arguments up to "--".  The command gets its arguments without
 * them and reads them with od_opts_init() (cli.h).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "record.h"

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
	{ "record", cmd_record, "drain the ring into the journal, resuming by seq (service)" },
};
#define NCMDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Why did this allocation fail, why was this process killed.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Options, before the command or among its arguments, for every command:\n"
		COMMON_HELP
		"  -V, --version      the version\n"
		"\n"
		"Without the module (oomdiag.ko) everything readable from /proc still works.\n"
		"\n"
		"Exit status: 0 ok, 1 failure, 2 usage error, 3 the module is needed and not\n"
		"loaded, 4 permission denied (run as root).  See oomdiag(1).\n");
}

/* A global option: set it and return true. */
static bool global_option(const char *a)
{
	if (!strcmp(a, "--json"))
		od_global_json = true;
	else if (!strcmp(a, "--pretty"))
		od_global_json = od_global_pretty = true;
	else if (!strcmp(a, "--no-module"))
		od_global_no_module = true;
	else if (!strcmp(a, "--no-color"))
		od_global_no_color = true;
	else
		return false;
	return true;
}

/* The command with its arguments, the global options taken out (up to "--"). */
static int run(int (*fn)(int, char **), int argc, char **argv)
{
	char **av = calloc((size_t)argc + 1, sizeof(char *));
	bool dashdash = false;
	int n = 0, r;

	if (!av) {
		od_err("failed to start: out of memory");
		return EXIT_FAIL;
	}
	av[n++] = argv[0];
	for (int j = 1; j < argc; j++) {
		if (!dashdash && !strcmp(argv[j], "--"))
			dashdash = true;
		if (dashdash || !global_option(argv[j]))
			av[n++] = argv[j];
	}
	av[n] = NULL;
	optind = 1;
	r = fn(n, av);
	free(av);
	return r;
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
		} else if (!global_option(a)) {
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
	for (size_t c = 0; c < NCMDS; c++)
		if (!strcmp(commands[c].name, argv[i]))
			return run(commands[c].fn, argc - i, argv + i);
	fprintf(stderr, "oomdiag: unknown command '%s'\nTry 'oomdiag --help'.\n", argv[i]);
	return EXIT_USAGE;
}
