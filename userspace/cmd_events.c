// SPDX-License-Identifier: GPL-2.0
/* oomdiag events [--follow]: the module's flight recorder. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "event_model.h"
#include "modevents.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag events [-f] [-n N] [--kind KIND] [--explain] [--json | --records]\n"
		"\n"
		"Print the module's flight recorder: every allocation failure, warn_alloc call\n"
		"(also the silent __GFP_NOWARN ones), OOM kill and victim, refused mmap/brk and\n"
		"slow allocation, each with the buddy allocator's state at that instant; an\n"
		"OOM kill with its kill ledger (the top candidates of its domain, their\n"
		"points and why this victim).\n"
		"Needs the module (/sys/kernel/debug/oomdiag/events, root).  For the same\n"
		"events without the module use 'oomdiag trace'.\n"
		"\n"
		"  -f, --follow      keep printing new events as they are recorded (Ctrl-C ends)\n"
		"  -i, --interval S  with --follow: poll every S seconds (default 1)\n"
		"  -n N              only the last N events\n"
		"  -k, --kind KIND   only events of KIND: alloc_fail warn_alloc oom_kill\n"
		"                    oom_victim vm_refused slow_alloc\n"
		"  -x, --explain     under each event its likely causes, with evidence and\n"
		"                    advice, as 'oomdiag explain' gives them for dmesg reports\n"
		"  -r, --records     the records in the module's key=value format, written\n"
		"                    again by the writer 'oomdiag trace --records' uses\n"
		"\n"
		"With --json every event is one JSON object on its own line (JSON Lines);\n"
		"with --explain too, each object has \"causes\" and \"missing\" as in\n"
		"'oomdiag explain --json'.\n"
		COMMON_HELP);
}

static volatile sig_atomic_t stop;

static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

/* The events file could not be read (errno e): say why, the exit code. */
static int read_failed(struct od_event_list *l, const char *path, int e)
{
	if (e == EPROTO) {
		modevents_abi_error(l);
		modevents_free(l);
		return EXIT_FAIL;
	}
	od_err_read(path, e);
	return e == ENOENT ? EXIT_NOMODULE : od_exit_for_errno(e);
}

int cmd_events(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'i' },
		{ "kind", required_argument, NULL, 'k' },
		{ "explain", no_argument, NULL, 'x' },
		{ "records", no_argument, NULL, 'r' },
		OD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct od_opts o;
	struct od_style st;
	bool follow = false, have_last = false, explain = false, records = false;
	long interval = 1, last_n = -1;
	int kind = -1, c;
	uint64_t last_seq = 0;
	char path[512];

	od_opts_init(&o);
	while ((c = getopt_long(argc, argv, "fi:n:k:xrh", lo, NULL)) != -1) {
		if (od_opts_common(&o, c))
			continue;
		switch (c) {
		case 'f':
			follow = true;
			break;
		case 'i':
			interval = od_parse_uint(optarg, 3600);
			if (interval <= 0)
				return od_usage_error("events", "bad interval '%s'", optarg);
			break;
		case 'n':
			last_n = od_parse_uint(optarg, 100000000);
			if (last_n < 0)
				return od_usage_error("events", "bad count '%s'", optarg);
			break;
		case 'k':
			kind = event_kind_from_name(optarg);
			if (kind < 0)
				return od_usage_error("events", "unknown kind '%s'", optarg);
			break;
		case 'x':
			explain = true;
			break;
		case 'r':
			records = true;
			break;
		case 'h':
			help(stdout);
			return EXIT_OK;
		default:
			return od_usage_error("events", "bad option");
		}
	}
	if (optind < argc)
		return od_usage_error("events", "unexpected argument '%s'", argv[optind]);
	if (records && (o.json || explain))
		return od_usage_error("events", "--records excludes --json and --explain");
	if (o.no_module) {
		od_err("events: the flight recorder is in the module; without it use "
		       "'oomdiag trace' (BPF) or 'oomdiag explain' (dmesg)");
		return EXIT_NOMODULE;
	}
	od_style_from(&st, &o, stdout);
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	od_debugfs_path(path, sizeof(path), "events");
	for (int iter = 0;; iter++) {
		struct od_event_list l;
		int r = modevents_read(&l);
		size_t first = 0;

		if (r)
			return read_failed(&l, path, -r);
		if (!iter && last_n >= 0 && l.nr > (size_t)last_n)
			first = l.nr - (size_t)last_n;
		if (!iter && !o.json && !records && !l.nr && !follow)
			printf("No events recorded (source: %s).\n", path);
		for (size_t i = first; i < l.nr; i++) {
			const struct od_event *e = &l.ev[i];

			if (have_last && e->ev.seq <= last_seq)
				continue;
			if (kind >= 0 && e->ev.kind != (unsigned int)kind)
				continue;
			event_render(stdout, e, records, explain, &st);
		}
		if (l.nr) {
			if (!have_last || l.ev[l.nr - 1].ev.seq > last_seq)
				last_seq = l.ev[l.nr - 1].ev.seq;
			have_last = true;
		}
		{
			int64_t dropped = modevents_summary(&l, "dropped");

			if (!iter && !o.json && dropped > 0)
				fprintf(stderr, "oomdiag: the recorder dropped %lld events\n",
					(long long)dropped);
		}
		modevents_free(&l);
		fflush(stdout);
		if (!follow || stop)
			break;
		for (long s = 0; s < interval && !stop; s++)
			sleep(1);
		if (stop)
			break;
	}
	return EXIT_OK;
}
