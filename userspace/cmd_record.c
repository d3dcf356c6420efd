// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag record: drain the module's flight recorder ring into the systemd
 * journal (native protocol), optionally a JSON Lines file and node_exporter
 * textfile metrics, resuming by sequence number across restarts.
 *
 * Built to survive the incidents it records: memory locked (mlockall), the
 * read buffer, the journal entry and the parsed record preallocated
 * (static), no allocation of ours per record; the state line is rewritten
 * in place with one pwrite() per record.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "journal.h"
#include "modevents.h"
#include "record.h"
#include "record_metrics.h"

#define RBUF_SIZE (1024 * 1024)
#define LOST_MESSAGE_ID "fbe24d6c51a94e3aaff899de85d14279"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag record [--state FILE] [--interval S] [--jsonl FILE] [--textfile DIR]\n"
		"                      [--once] [--no-journal]\n"
		"\n"
		"Drain the module's flight recorder ring (debugfs events) into the systemd journal,\n"
		"one entry per record: MESSAGE_ID per kind (journalctl -x explains it), PRIORITY,\n"
		"OOMDIAG_* fields for every field of the record, OOMDIAG_RECORD the record's text.\n"
		"Resumes after a restart at the seq after the last one it handed on (state file),\n"
		"and says how many records the ring lost while it was not running.  Runs until\n"
		"SIGTERM/SIGINT; waits for the module when it is not loaded.  As a service:\n"
		"oomdiag.service of the Debian package.\n"
		"\n"
		"  -s, --state FILE         resume state (default /var/lib/oomdiag/record.state)\n"
		"  -i, --interval S         read the ring every S seconds (default 1)\n"
		"      --jsonl FILE         also append each record as a JSON line to FILE\n"
		"      --jsonl-max-mb N     rotate FILE at N MiB (FILE.1 ... FILE.K; default 16)\n"
		"      --jsonl-keep K       rotated files kept (default 3)\n"
		"      --textfile DIR       write DIR/oomdiag.prom (node_exporter textfile collector;\n"
		"                           oomdiag metrics plus oomdiag_record_*), atomically\n"
		"      --textfile-interval S  rewrite it every S seconds (default 15) and after new records\n"
		"      --once               one pass over the ring, then exit\n"
		"      --no-journal         do not write to the journal\n"
		"      --journal-socket P   journal socket (default " JOURNAL_SOCKET ")\n"
		"      --no-mlock           do not lock memory (mlockall)\n"
		COMMON_HELP);
}

struct rec {
	/* options */
	const char *state_path, *jsonl_path, *textfile_dir, *journal_path;
	double interval, textfile_interval;
	uint64_t jsonl_max;
	int jsonl_keep;
	bool once, journal, mlock, no_module;
	/* run */
	struct journal j;
	int state_fd;
	FILE *jsonl;
	char boot_id[40];
	uint64_t instance;
	bool started;			/* cursor started for instance */
	struct rec_cursor cur;
	struct rec_state st;
	bool advanced;			/* this poll handed on records */
	bool stop_poll;			/* a pending record: wait for its after part */
	uint64_t pending_seq;
	int64_t hdr_next;		/* the header's next_seq, -1 unknown */
	int pending_polls;
	struct record_stats stats;
	double last_textfile;
	bool waiting_said;
	bool journal_down;		/* said: the journal refused, retrying */
};

/* Preallocated: nothing of ours is allocated per record. */
static char rbuf[RBUF_SIZE + 1];
static struct journal_msg jmsg;
static struct od_event parsed;
static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static double now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void read_boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	buf[0] = 0;
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

/*
 * The module instance: its debugfs directory's inode, new at every load
 * (debugfs numbers inodes with get_next_ino()); with the boot id it names
 * the ring whose seqs the state counts.
 */
static int module_instance(uint64_t *inst)
{
	struct stat sb;

	if (stat(od_debugfs_dir(), &sb))
		return -errno;
	*inst = (uint64_t)sb.st_ino;
	return 0;
}

/* Open (create) the state file and read the last run's line. */
static int state_open(struct rec *r)
{
	char line[REC_STATE_LINE_LEN + 1];
	ssize_t n;

	r->state_fd = open(r->state_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (r->state_fd < 0 && errno == ENOENT) {
		/* its directory, one level (the service's StateDirectory makes it) */
		char dir[4096], *slash;

		snprintf(dir, sizeof(dir), "%s", r->state_path);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = 0;
			if (!mkdir(dir, 0755))
				r->state_fd = open(r->state_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		}
	}
	if (r->state_fd < 0)
		return -errno;
	n = pread(r->state_fd, line, REC_STATE_LINE_LEN, 0);
	line[n > 0 ? n : 0] = 0;
	if (n > 0 && rec_state_parse(&r->st, line))
		fprintf(stderr, "oomdiag: record: state file %s not understood; starting afresh\n",
			r->state_path);
	return 0;
}

static void state_write(struct rec *r)
{
	char line[REC_STATE_LINE_LEN];

	rec_state_format(&r->st, line, sizeof(line));
	if (pwrite(r->state_fd, line, strlen(line), 0) != (ssize_t)strlen(line))
		fprintf(stderr, "oomdiag: record: failed to write %s: %s\n", r->state_path,
			strerror(errno));
}

static void jsonl_rotate(struct rec *r)
{
	char from[4096], to[4096];

	fclose(r->jsonl);
	for (int k = r->jsonl_keep; k >= 1; k--) {
		if (k == 1)
			snprintf(from, sizeof(from), "%s", r->jsonl_path);
		else
			snprintf(from, sizeof(from), "%s.%d", r->jsonl_path, k - 1);
		snprintf(to, sizeof(to), "%s.%d", r->jsonl_path, k);
		rename(from, to);
	}
	if (r->jsonl_keep < 1)
		unlink(r->jsonl_path);
	r->jsonl = fopen(r->jsonl_path, "ae");
	if (!r->jsonl)
		fprintf(stderr, "oomdiag: record: failed to open %s: %s\n", r->jsonl_path,
			strerror(errno));
}

static void jsonl_write(struct rec *r, const struct od_event *e)
{
	if (!r->jsonl)
		return;
	event_print_json(r->jsonl, e);
	if (fflush(r->jsonl)) {
		fprintf(stderr, "oomdiag: record: failed to write %s: %s\n", r->jsonl_path,
			strerror(errno));
		return;
	}
	r->stats.jsonl_lines++;
	if ((uint64_t)ftell(r->jsonl) >= r->jsonl_max)
		jsonl_rotate(r);
}

static void journal_note(struct rec *r, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The recorder's own message (resume, loss), to stderr and the journal. */
static void journal_note(struct rec *r, int prio, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "oomdiag: record: %s\n", msg);
	if (!r->journal)
		return;
	jmsg_reset(&jmsg);
	jmsg_add_str(&jmsg, "MESSAGE", msg);
	jmsg_add_str(&jmsg, "MESSAGE_ID", LOST_MESSAGE_ID);
	jmsg_addf(&jmsg, "PRIORITY", "%d", prio);
	jmsg_add_str(&jmsg, "SYSLOG_IDENTIFIER", "oomdiag");
	jmsg_addf(&jmsg, "OOMDIAG_LOST_WHILE_DOWN", "%" PRIu64, r->cur.lost_while_down);
	jmsg_addf(&jmsg, "OOMDIAG_RESUME_SEQ", "%" PRIu64, r->cur.expect);
	if (journal_send(&r->j, &jmsg))
		r->stats.journal_errors++;
}

/* One record of the events file. */
static int on_record(const char *text, size_t len, void *arg)
{
	struct rec *r = arg;
	uint64_t seq;
	char *end;
	const char *nl;

	if (r->stop_poll || len < 5)
		return 0;
	seq = strtoull(text + 4, &end, 10);
	if (end == text + 4)
		return 0;
	if (seq < r->cur.expect)
		return 0;	/* handed on before */
	/* the worker adds the after part soon: wait for it up to 3 polls */
	nl = memchr(text, '\n', len);
	if (memmem(text, nl ? (size_t)(nl - text) : len, " after=pending", 14)) {
		if (r->pending_seq != seq) {
			r->pending_seq = seq;
			r->pending_polls = 0;
		}
		if (r->pending_polls++ < 3 && !r->once) {
			r->stop_poll = true;
			return 0;
		}
	}
	if (event_parse_module_record(text, len, &parsed, NULL)) {
		rec_cursor_take(&r->cur, seq);	/* not a record: skipped */
		return 0;
	}
	if (r->journal) {
		int e;

		rec_journal_entry(&jmsg, &parsed, text, len, r->boot_id);
		e = journal_send(&r->j, &jmsg);
		if (e == -ENOENT || e == -ECONNREFUSED || e == -EAGAIN || e == -ENOBUFS ||
		    e == -ENOTCONN || e == -EINTR) {
			/* journald away (restarting): this record again next poll */
			if (!r->journal_down)
				fprintf(stderr, "oomdiag: record: failed to send to the journal: %s; "
					"retrying seq %" PRIu64 " every poll\n", strerror(-e), seq);
			r->journal_down = true;
			r->stop_poll = true;
			return 0;
		}
		r->journal_down = false;
		if (e)
			r->stats.journal_errors++;	/* this entry cannot be sent */
		else
			r->stats.journal_entries++;
	}
	rec_cursor_take(&r->cur, seq);
	jsonl_write(r, &parsed);
	r->st.next_seq = seq + 1;
	r->stats.last_seq = seq;
	r->stats.drained = true;
	state_write(r);
	r->advanced = true;
	return 0;
}

/*
 * Start (or restart, after a module reload) the cursor from the state, with
 * the header's next_seq.
 */
static void cursor_start(struct rec *r, const struct od_event_list *hdr)
{
	int64_t next = modevents_summary(hdr, "next_seq");
	bool cont = rec_cursor_start(&r->cur, &r->st, r->boot_id, r->instance,
				     next >= 0 ? (uint64_t)next : 0);

	if (cont)
		fprintf(stderr, "oomdiag: record: resuming at seq %" PRIu64 "\n", r->st.next_seq);
	else if (r->st.have)
		fprintf(stderr, "oomdiag: record: the module was loaded again (or the machine "
			"rebooted) since the state's seq %" PRIu64 ": reading its ring from the "
			"start\n", r->st.next_seq);
	snprintf(r->st.boot_id, sizeof(r->st.boot_id), "%s", r->boot_id);
	r->st.instance = r->instance;
	r->st.have = true;
	if (!cont)
		r->st.next_seq = 0;
	r->started = true;
	state_write(r);
}

/* Header: the text before the first record, parsed with modevents_parse. */
static int parse_header(struct rec *r, const char *buf, size_t len)
{
	struct od_event_list hdr;
	const char *first = len >= 4 && !strncmp(buf, "seq=", 4) ? buf : memmem(buf, len, "\nseq=", 5);
	size_t hlen = first ? (size_t)(first - buf) : len;

	modevents_parse(&hdr, buf, hlen, NULL);
	if (hdr.abi >= 0 && hdr.abi != OOMDIAG_ABI_VERSION) {
		modevents_abi_error(&hdr);
		modevents_free(&hdr);
		return -EPROTO;
	}
	r->hdr_next = modevents_summary(&hdr, "next_seq");
	if (!r->started)
		cursor_start(r, &hdr);
	modevents_free(&hdr);
	return 0;
}

/* One pass over the events file, streamed through rbuf. */
static int poll_once(struct rec *r)
{
	char path[512];
	size_t have = 0;
	bool header = true, eof = false;
	uint64_t inst = 0;
	int fd, e;

	if (module_instance(&inst))
		return -ENOENT;
	if (r->started && inst != r->instance) {
		fprintf(stderr, "oomdiag: record: the module was loaded again\n");
		r->started = false;
		r->st.have = false;
	}
	r->instance = inst;
	fd = open(od_debugfs_path(path, sizeof(path), "events"), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r->advanced = false;
	r->stop_poll = false;
	r->hdr_next = -1;
	while (!eof && !r->stop_poll) {
		ssize_t n = read(fd, rbuf + have, RBUF_SIZE - have);
		size_t upto;
		const char *last;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = -errno;
			close(fd);
			return e;
		}
		eof = n == 0;
		have += (size_t)n;
		rbuf[have] = 0;
		if (header) {
			/* the header must be whole: up to the first record or EOF */
			if (!eof && !(have >= 4 && !strncmp(rbuf, "seq=", 4)) &&
			    !memmem(rbuf, have, "\nseq=", 5) && have < RBUF_SIZE)
				continue;
			header = false;
			e = parse_header(r, rbuf, have);
			if (e) {
				close(fd);
				return e;
			}
		}
		/* complete records: up to the start of the last one (EOF: all) */
		last = NULL;
		for (const char *p = rbuf; (p = memmem(p, have - (size_t)(p - rbuf), "\nseq=", 5));
		     p++)
			last = p + 1;
		upto = eof ? have : last ? (size_t)(last - rbuf) : 0;
		if (!upto && have == RBUF_SIZE) {
			close(fd);
			return -EFBIG;	/* one record larger than the buffer */
		}
		event_split_records(rbuf, upto, on_record, r);
		memmove(rbuf, rbuf + upto, have - upto);
		have -= upto;
	}
	close(fd);
	/* seqs below next_seq that the whole ring did not hold are gone */
	if (!r->stop_poll && r->hdr_next >= 0 && (uint64_t)r->hdr_next > r->cur.expect) {
		rec_cursor_seen_next(&r->cur, (uint64_t)r->hdr_next);
		r->st.next_seq = r->cur.expect;
		state_write(r);
		r->advanced = true;
	}
	if (r->advanced)
		fdatasync(r->state_fd);
	return 0;
}

static void textfile_write(struct rec *r)
{
	char tmp[4096], dst[4096], err[256] = "";
	FILE *f;
	int e;

	snprintf(dst, sizeof(dst), "%s/oomdiag.prom", r->textfile_dir);
	snprintf(tmp, sizeof(tmp), "%s/.oomdiag.prom.%d.tmp", r->textfile_dir, (int)getpid());
	f = fopen(tmp, "we");
	if (!f) {
		fprintf(stderr, "oomdiag: record: failed to write %s: %s\n", tmp, strerror(errno));
		return;
	}
	r->stats.lost_while_down = r->cur.lost_while_down;
	r->stats.lost_while_running = r->cur.lost_while_running;
	r->stats.last_poll_time = now_wall();
	e = metrics_write(f, METRICS_PROM, false, r->no_module, &r->stats, err, sizeof(err));
	if (e || fflush(f) || fsync(fileno(f))) {
		fprintf(stderr, "oomdiag: record: failed to write %s: %s\n", tmp,
			e ? err : strerror(errno));
		fclose(f);
		unlink(tmp);
		return;
	}
	fclose(f);
	if (rename(tmp, dst)) {
		fprintf(stderr, "oomdiag: record: failed to rename %s to %s: %s\n", tmp, dst,
			strerror(errno));
		unlink(tmp);
	}
}

static void notify(const char *msg)
{
	const char *sock = getenv("NOTIFY_SOCKET");
	struct journal n;

	if (!sock || !sock[0] || journal_open(&n, sock))
		return;
	jmsg_reset(&jmsg);
	memcpy(jmsg.buf, msg, strlen(msg));
	jmsg.len = strlen(msg);
	journal_send(&n, &jmsg);
	journal_close(&n);
}

int cmd_record(int argc, char **argv)
{
	enum { O_JSONL = 256, O_JMAX, O_JKEEP, O_TEXTFILE, O_TINT, O_ONCE, O_NOJ, O_JSOCK,
	       O_NOMLOCK };
	static const struct option lo[] = {
		OD_COMMON_LONGOPTS,
		{ "state", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "jsonl", required_argument, NULL, O_JSONL },
		{ "jsonl-max-mb", required_argument, NULL, O_JMAX },
		{ "jsonl-keep", required_argument, NULL, O_JKEEP },
		{ "textfile", required_argument, NULL, O_TEXTFILE },
		{ "textfile-interval", required_argument, NULL, O_TINT },
		{ "once", no_argument, NULL, O_ONCE },
		{ "no-journal", no_argument, NULL, O_NOJ },
		{ "journal-socket", required_argument, NULL, O_JSOCK },
		{ "no-mlock", no_argument, NULL, O_NOMLOCK },
		{ NULL, 0, NULL, 0 }
	};
	static struct rec r;
	struct od_opts op;
	struct sigaction sa;
	int c, e;
	long v;

	memset(&r, 0, sizeof(r));
	r.state_path = "/var/lib/oomdiag/record.state";
	r.interval = 1;
	r.textfile_interval = 15;
	r.jsonl_max = 16ull << 20;
	r.jsonl_keep = 3;
	r.journal = r.mlock = true;
	r.state_fd = -1;
	r.j.fd = -1;
	od_opts_init(&op);
	while ((c = getopt_long(argc, argv, "hs:i:", lo, NULL)) != -1) {
		if (od_opts_common(&op, c))
			continue;
		switch (c) {
		case 'h':
			help(stdout);
			return EXIT_OK;
		case 's':
			r.state_path = optarg;
			break;
		case 'i':
		case O_TINT: {
			char *end;
			double d = strtod(optarg, &end);

			if (*end || !(d > 0) || d > 86400)
				return od_usage_error("record", "bad interval '%s'", optarg);
			*(c == 'i' ? &r.interval : &r.textfile_interval) = d;
			break;
		}
		case O_JSONL:
			r.jsonl_path = optarg;
			break;
		case O_JMAX:
			v = od_parse_uint(optarg, 1 << 20);
			if (v < 1)
				return od_usage_error("record", "bad --jsonl-max-mb '%s'", optarg);
			r.jsonl_max = (uint64_t)v << 20;
			break;
		case O_JKEEP:
			v = od_parse_uint(optarg, 100);
			if (v < 0)
				return od_usage_error("record", "bad --jsonl-keep '%s'", optarg);
			r.jsonl_keep = (int)v;
			break;
		case O_TEXTFILE:
			r.textfile_dir = optarg;
			break;
		case O_ONCE:
			r.once = true;
			break;
		case O_NOJ:
			r.journal = false;
			break;
		case O_JSOCK:
			r.journal_path = optarg;
			break;
		case O_NOMLOCK:
			r.mlock = false;
			break;
		default:
			return od_usage_error("record", "bad option");
		}
	}
	if (optind < argc)
		return od_usage_error("record", "unexpected argument '%s'", argv[optind]);
	if (op.no_module)
		return od_usage_error("record", "record drains the module's ring: --no-module "
				      "makes no sense here");
	r.no_module = false;

	/* freed memory stays with the process: no trimming, no new mappings */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	if (r.mlock && mlockall(MCL_CURRENT | MCL_FUTURE))
		fprintf(stderr, "oomdiag: record: failed to lock memory: %s (needs CAP_IPC_LOCK "
			"or a larger RLIMIT_MEMLOCK; continuing unlocked)\n", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	read_boot_id(r.boot_id, sizeof(r.boot_id));
	r.stats.start_time = now_wall();

	e = state_open(&r);
	if (e) {
		od_err("failed to open the state file %s: %s\n"
		       "oomdiag: hint: --state FILE in a writable directory (the service uses "
		       "/var/lib/oomdiag)", r.state_path, strerror(-e));
		return od_exit_for_errno(-e);
	}
	if (r.journal && (e = journal_open(&r.j, r.journal_path))) {
		od_err("failed to open a journal socket: %s", strerror(-e));
		return EXIT_FAIL;
	}
	if (r.jsonl_path && !(r.jsonl = fopen(r.jsonl_path, "ae"))) {
		e = errno;
		od_err("failed to open %s: %s", r.jsonl_path, strerror(e));
		return od_exit_for_errno(e);
	}
	if (r.jsonl)
		setvbuf(r.jsonl, NULL, _IOFBF, 64 * 1024);

	for (bool first = true; !stopping; first = false) {
		e = poll_once(&r);
		if (e == -EPROTO)
			return EXIT_FAIL;
		if (e && !r.waiting_said) {
			char path[512];

			od_err_read(od_debugfs_path(path, sizeof(path), "events"), -e);
			if (!r.once)
				fprintf(stderr, "oomdiag: record: waiting for the module (every %g s)\n",
					r.interval);
			r.waiting_said = true;
		} else if (!e) {
			if (r.waiting_said)
				fprintf(stderr, "oomdiag: record: the module is there; reading\n");
			r.waiting_said = false;
			if (r.cur.first_poll) {
				if (r.cur.lost_while_down)
					journal_note(&r, 4, "the ring lost %" PRIu64 " records while "
						     "oomdiag record was not running; resumed at seq %"
						     PRIu64, r.cur.lost_while_down, r.cur.expect);
				rec_cursor_poll_done(&r.cur);
			}
		}
		if (r.textfile_dir && (r.advanced || first || r.once ||
				       now_mono() - r.last_textfile >= r.textfile_interval)) {
			textfile_write(&r);
			r.last_textfile = now_mono();
		}
		if (first)
			notify("READY=1");
		if (r.once)
			break;
		{
			struct timespec ts = { (time_t)r.interval,
					       (long)((r.interval - (time_t)r.interval) * 1e9) };

			nanosleep(&ts, NULL);
		}
	}
	fprintf(stderr, "oomdiag: record: stopped before seq %" PRIu64 " (%" PRIu64
		" journal entries, %" PRIu64 " lost while down, %" PRIu64 " while running)\n",
		r.st.next_seq, r.stats.journal_entries, r.cur.lost_while_down,
		r.cur.lost_while_running);
	if (r.state_fd >= 0) {
		fdatasync(r.state_fd);
		close(r.state_fd);
	}
	if (r.jsonl)
		fclose(r.jsonl);
	journal_close(&r.j);
	if (r.once && r.journal_down)
		return EXIT_FAIL;
	return r.once && e ? od_exit_for_errno(-e) : EXIT_OK;
}
