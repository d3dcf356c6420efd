// SPDX-License-Identifier: GPL-2.0
/*
 * explain reads a report the same in every log format people paste: the
 * complete 6.1 report captured in a test VM (tests/data/reports/
 * vm-6.1-hog-oom.log, plain dmesg) is re-rendered line by line in each
 * format below, as the tool named beside it writes it, and every fact
 * explain extracts must equal the facts of the plain dmesg text.  Each
 * format is one TAP test; a prefix that is not stripped becomes the task
 * name and loses the zones, the task dump and the victim, so the facts
 * differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explain_testlib.h"
#include "util.h"

struct line {
	double t;		/* printk seconds */
	const char *msg;
};

typedef void (*render_fn)(FILE *f, const struct line *l, int i);

static void r_plain(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "[%12.6f] %s\n", l->t, l->msg);
}

/* dmesg -t */
static void r_notime(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "%s\n", l->msg);
}

/* dmesg -T */
static void r_ctime(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "[Sun Nov 22 03:40:%02d 2026] %s\n", (int)l->t % 60, l->msg);
}

/* LC_TIME=de_DE.UTF-8 dmesg -T */
static void r_ctime_de(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "[So Nov 22 03:40:%02d 2026] %s\n", (int)l->t % 60, l->msg);
}

/* LC_TIME=fr_FR.UTF-8 dmesg -T */
static void r_ctime_fr(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "[dim. 22 nov. 2026 03:40:%02d] %s\n", (int)l->t % 60, l->msg);
}

/* dmesg -H / --reltime */
static void r_reltime(FILE *f, const struct line *l, int i)
{
	if (!i)
		fprintf(f, "[Nov22 03:40] %s\n", l->msg);
	else
		fprintf(f, "[  +0.%06d] %s\n", (i * 37) % 1000000, l->msg);
}

/* dmesg -d */
static void r_delta(FILE *f, const struct line *l, int i)
{
	fprintf(f, "[%12.6f <%12.6f>] %s\n", l->t, i ? 0.000117 : 0.0, l->msg);
}

/* dmesg -x */
static void r_decode(FILE *f, const struct line *l, int i)
{
	fprintf(f, "kern  :%-6s: [%12.6f] %s\n", i % 3 ? "warn" : "info", l->t, l->msg);
}

/* dmesg -r */
static void r_raw(FILE *f, const struct line *l, int i)
{
	fprintf(f, "<%d>[%12.6f] %s\n", i % 3 ? 4 : 6, l->t, l->msg);
}

/* journalctl -k (short) */
static void r_j_short(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "Nov 22 03:40:%02d myhost kernel: %s\n", (int)l->t % 60, l->msg);
}

static void r_j_full(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "Sun 2026-11-22 03:40:%02d CET myhost kernel: %s\n", (int)l->t % 60, l->msg);
}

static void r_j_unix(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "%.6f myhost kernel: %s\n", 1790000000.0 + l->t, l->msg);
}

static void r_j_iso(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "2026-11-22T03:40:%02d+0100 myhost kernel: %s\n", (int)l->t % 60, l->msg);
}

static void r_j_precise(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "Nov 22 03:40:%09.6f myhost kernel: %s\n", l->t, l->msg);
}

static void r_j_monotonic(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "[%12.6f] myhost kernel: %s\n", l->t, l->msg);
}

/* rsyslog forwarding in RFC 5424 */
static void r_rfc5424(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "<4>1 2026-11-22T03:40:%09.6fZ myhost kernel - - - %s\n", l->t, l->msg);
}

/* RFC 3164 without a host name (busybox syslogd) */
static void r_rfc3164_nohost(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "Nov 22 03:40:%02d kernel: %s\n", (int)l->t % 60, l->msg);
}

/* /var/log/kern.log: syslog and the printk time */
static void r_kernlog(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "Nov 22 03:40:%02d myhost kernel: [%12.6f] %s\n", (int)l->t % 60, l->t,
		l->msg);
}

/* OpenWrt logread */
static void r_logread(FILE *f, const struct line *l, int i)
{
	fprintf(f, "Sun Nov 22 03:40:%02d 2026 kern.%s kernel: [%12.6f] %s\n", (int)l->t % 60,
		i % 2 ? "warn" : "info", l->t, l->msg);
}

/* a mail or markdown quote of kern.log */
static void r_quote(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "> Nov 22 03:40:%02d myhost kernel: [%12.6f] %s\n", (int)l->t % 60, l->t,
		l->msg);
}

static void r_tab(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "\t[%12.6f] %s\n", l->t, l->msg);
}

static void r_spaces(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "    [%12.6f] %s\n", l->t, l->msg);
}

/* cat -n of a dmesg file */
static void r_numbered(FILE *f, const struct line *l, int i)
{
	fprintf(f, "%6d\t[%12.6f] %s\n", i + 1, l->t, l->msg);
}

/* Samsung Exynos "[cpu:  comm:  pid]" after the time */
static void r_exynos(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "<4>[%12.6f]  [0:          hog:   93] %s\n", l->t, l->msg);
}

/* HiSilicon "[pid:N,cpuN,comm]" */
static void r_hisi(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "<4>[%12.6f][pid:93,cpu0,hog]%s\n", l->t, l->msg);
}

/* MediaTek "(cpu)[pid:comm]" */
static void r_mtk(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "[%12.6f] (0)[93:hog]%s\n", l->t, l->msg);
}

/* Qualcomm "c0 PID" */
static void r_qcom(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "[%12.6f] c0     93 %s\n", l->t, l->msg);
}

/* serial console captured with host time stamps (grabserial, tio -t) */
static void r_serial_host(FILE *f, const struct line *l, int i)
{
	fprintf(f, "[2026-11-22 03:40:02.%03d] [%12.6f] %s\n", i % 1000, l->t, l->msg);
}

/* minicom/picocom-style clock */
static void r_serial_clock(FILE *f, const struct line *l, int i)
{
	fprintf(f, "03:40:02.%03d [%12.6f] %s\n", i % 1000, l->t, l->msg);
}

/* a VMware guest's serial port in vmware.log */
static void r_vmware(FILE *f, const struct line *l, int i)
{
	fprintf(f, "2026-11-22T03:40:02.%03dZ In(05) vcpu-0 - Guest: <4>[%12.6f] %s\n", i % 1000,
		l->t, l->msg);
}

/* CRLF line ends (a log copied from Windows) */
static void r_crlf(FILE *f, const struct line *l, int i)
{
	(void)i;
	fprintf(f, "[%12.6f] %s\r\n", l->t, l->msg);
}

/* A paste hard-wrapped at 72 columns: the rest of a line goes on without a prefix. */
static void wrap_out(FILE *f, const char *text)
{
	size_t n = strlen(text);

	while (n > 72) {
		fprintf(f, "%.72s\n", text);
		text += 72;
		n -= 72;
	}
	fprintf(f, "%s\n", text);
}

static void r_wrapped(FILE *f, const struct line *l, int i)
{
	char buf[LP_LINE_MAX + 64];

	(void)i;
	snprintf(buf, sizeof(buf), "[%12.6f] %s", l->t, l->msg);
	wrap_out(f, buf);
}

static void r_wrapped_syslog(FILE *f, const struct line *l, int i)
{
	char buf[LP_LINE_MAX + 64];

	(void)i;
	snprintf(buf, sizeof(buf), "Nov 22 03:40:%02d myhost kernel: %s", (int)l->t % 60,
		 l->msg);
	wrap_out(f, buf);
}

static const struct {
	const char *name;
	render_fn fn;
} formats[] = {
	{ "dmesg -t", r_notime },
	{ "dmesg -T", r_ctime },
	{ "dmesg -T, LC_TIME=de_DE", r_ctime_de },
	{ "dmesg -T, LC_TIME=fr_FR", r_ctime_fr },
	{ "dmesg -H / --reltime", r_reltime },
	{ "dmesg -d", r_delta },
	{ "dmesg -x", r_decode },
	{ "dmesg -r", r_raw },
	{ "journalctl -k -o short", r_j_short },
	{ "journalctl -o short-full", r_j_full },
	{ "journalctl -o short-unix", r_j_unix },
	{ "journalctl -o short-iso", r_j_iso },
	{ "journalctl -o short-precise", r_j_precise },
	{ "journalctl -o short-monotonic", r_j_monotonic },
	{ "RFC 5424 (rsyslog forwarding)", r_rfc5424 },
	{ "RFC 3164 without host (busybox syslogd)", r_rfc3164_nohost },
	{ "kern.log (syslog + printk time)", r_kernlog },
	{ "OpenWrt logread", r_logread },
	{ "'> ' quoted kern.log", r_quote },
	{ "TAB-indented paste", r_tab },
	{ "space-indented paste", r_spaces },
	{ "cat -n line numbers", r_numbered },
	{ "Exynos [cpu: comm: pid]", r_exynos },
	{ "HiSilicon [pid:N,cpuN,comm]", r_hisi },
	{ "MediaTek (cpu)[pid:comm]", r_mtk },
	{ "Qualcomm c0 PID", r_qcom },
	{ "serial console, host timestamps", r_serial_host },
	{ "serial console, host clock", r_serial_clock },
	{ "VMware vmware.log guest serial", r_vmware },
	{ "CRLF", r_crlf },
	{ "dmesg hard-wrapped at 72 columns", r_wrapped },
	{ "syslog hard-wrapped at 72 columns", r_wrapped_syslog },
};

/* The report's lines "[ t] msg" split into time and message (in place). */
static int split_lines(char *text, struct line *out, int max)
{
	int n = 0;

	for (char *s = strtok(text, "\n"); s && n < max; s = strtok(NULL, "\n")) {
		char *e;

		if (s[0] != '[')
			continue;
		out[n].t = strtod(s + 1, &e);
		if (*e != ']')
			continue;
		out[n].msg = e[1] == ' ' ? e + 2 : e + 1;
		n++;
	}
	return n;
}

static char *render(render_fn fn, const struct line *l, int n, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	for (int i = 0; i < n; i++)
		fn(f, &l[i], i);
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	const char *src = getenv("OOMDIAG_SRC");
	char path[1024];
	static struct line lines[4096];
	char *text, *want, *got, *plain;
	size_t len, plen;
	int n, failed = 0;
	const int nf = (int)(sizeof(formats) / sizeof(formats[0]));

	snprintf(path, sizeof(path), "%s/tests/data/reports/vm-6.1-hog-oom.log",
		 argc > 1 ? argv[1] : src ? src : ".");
	text = read_file(path, &len);
	if (!text) {
		printf("1..0 # SKIP cannot read %s\n", path);
		return 0;
	}
	n = split_lines(text, lines, 4096);
	printf("1..%d\n", nf + 1);
	plain = render(r_plain, lines, n, &plen);
	want = plain ? facts_of_text(plain, plen) : NULL;
	if (!want) {
		printf("not ok 1 - plain dmesg facts\n");
		return 1;
	}
	/* the baseline itself must be a full report, or every comparison is empty */
	{
		size_t vl;
		const char *v = facts_lookup(want, "1.victim.comm", &vl);

		printf("%sok 1 - plain dmesg: %s\n",
		       strstr(want, "reports=2\n") && v && vl == 3 && !strncmp(v, "hog", 3) &&
		       strstr(want, "1.zones=2\n") ? "" : "not ", "2 reports, victim hog, 2 zones");
	}
	for (int i = 0; i < nf; i++) {
		char *r = render(formats[i].fn, lines, n, &len);
		bool same;

		got = r ? facts_of_text(r, len) : NULL;
		same = got && !strcmp(got, want);
		printf("%sok %d - %s: the same facts as plain dmesg\n", same ? "" : "not ", i + 2,
		       formats[i].name);
		if (!same && got) {
			/* the first differing fact */
			const char *a = want, *b = got;

			while (*a && *a == *b)
				a++, b++;
			while (a > want && a[-1] != '\n')
				a--, b--;
			printf("#   expected %.*s\n#   got      %.*s\n", (int)strcspn(a, "\n"), a,
			       (int)strcspn(b, "\n"), b);
			printf("#   first line: %.*s\n", (int)strcspn(r, "\n"), r);
		}
		failed += !same;
		free(got);
		free(r);
	}
	free(want);
	free(plain);
	free(text);
	return failed ? 1 : 0;
}
