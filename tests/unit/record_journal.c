// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag record (issue 18 item 2), host unit test of its two pure parts:
 *
 * - the journal's native protocol (journal.c): a value with a newline or
 *   a NUL goes in the binary-safe form (name, newline, 64-bit LE length,
 *   bytes, newline) and comes back byte for byte; names journald would drop
 *   (lowercase, _TRUSTED, leading digit, > 64 bytes) are refused; an entry
 *   sent over a real AF_UNIX datagram socket arrives whole, and one larger
 *   than the socket's send buffer arrives as a sealed memfd (SCM_RIGHTS) as
 *   journald accepts it;
 * - the journal entry of a record (record_journal.c): every key of the
 *   record's first line is there as OOMDIAG_<KEY> with the record's value,
 *   one MESSAGE_ID per kind (distinct, 32 lowercase hex), PRIORITY, the
 *   stack and the whole record as binary-safe multi-line fields;
 * - the resume logic (record_state.c): the state line round-trips; the
 *   same boot and module instance resume at the saved seq (no duplicate),
 *   another boot, another instance or a state ahead of the ring start at
 *   0; the seqs skipped count as lost while down on the first poll and
 *   while running after it, including a ring emptied below next_seq.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tap.h"
#include "../../userspace/journal.h"
#include "../../userspace/record.h"

struct fields {
	int n;
	char name[64][80];
	char val[64][4096];
	size_t vlen[64];
};

static void collect(const char *name, size_t nlen, const char *val, size_t vlen, void *arg)
{
	struct fields *f = arg;

	if (f->n >= 64 || nlen >= 80 || vlen >= 4096)
		return;
	memcpy(f->name[f->n], name, nlen);
	f->name[f->n][nlen] = 0;
	memcpy(f->val[f->n], val, vlen);
	f->val[f->n][vlen] = 0;
	f->vlen[f->n] = vlen;
	f->n++;
}

static const char *get(const struct fields *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->name[i], name))
			return f->val[i];
	return NULL;
}

static int count(const struct fields *f, const char *name)
{
	int c = 0;

	for (int i = 0; i < f->n; i++)
		c += !strcmp(f->name[i], name);
	return c;
}

static struct journal_msg m;

static void test_encoding(void)
{
	static const char bin[] = "line one\nline two\0after nul";
	struct fields f = { 0 };
	const char *p;

	jmsg_reset(&m);
	jmsg_add_str(&m, "MESSAGE", "plain text = with equals");
	jmsg_add(&m, "OOMDIAG_BIN", bin, sizeof(bin) - 1);
	jmsg_add_str(&m, "OOMDIAG_EMPTY", "");
	ok(!m.bad_name && !m.overflow, "three valid fields encoded");
	ok(!memcmp(m.buf, "MESSAGE=plain text = with equals\n", 33), "a plain value is NAME=value\\n");
	p = m.buf + 33;
	ok(!memcmp(p, "OOMDIAG_BIN\n", 12) && (unsigned char)p[12] == sizeof(bin) - 1 &&
	   !p[13] && !p[14] && !p[19] && !memcmp(p + 20, bin, sizeof(bin) - 1) &&
	   p[20 + sizeof(bin) - 1] == '\n',
	   "a value with a newline and a NUL: NAME\\n, 64-bit LE length, bytes, \\n");
	ok(jmsg_parse(m.buf, m.len, collect, &f) == 3, "the entry parses back into 3 fields");
	ok(f.vlen[1] == sizeof(bin) - 1 && !memcmp(f.val[1], bin, sizeof(bin) - 1),
	   "the binary value comes back byte for byte (%zu bytes)", f.vlen[1]);
	ok(get(&f, "OOMDIAG_EMPTY") && !*get(&f, "OOMDIAG_EMPTY"), "an empty value stays empty");
	ok(jmsg_parse(m.buf, m.len - 1, collect, &f) < 0, "a truncated entry does not parse");

	ok(!journal_field_name_ok("oomdiag_x"), "lowercase name refused");
	ok(!journal_field_name_ok("_PID"), "trusted _NAME refused");
	ok(!journal_field_name_ok("1ABC"), "leading digit refused");
	ok(!journal_field_name_ok("A23456789012345678901234567890123456789012345678901234567890123"
				  "45"), "65-byte name refused");
	ok(journal_field_name_ok("OOMDIAG_VICTIM_PID"), "OOMDIAG_VICTIM_PID accepted");
	jmsg_reset(&m);
	jmsg_add_str(&m, "bad", "x");
	ok(m.bad_name && m.len == 0, "a bad name is flagged and not written");
}

static int bound_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	unlink(path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return fd;
}

/* Receive one entry: the datagram, or the memfd it carries. */
static ssize_t receive(int fd, char *buf, size_t len, bool *memfd)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { buf, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b,
			     .msg_controllen = sizeof(c.b) };
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	*memfd = false;
	if (n >= 0 && cm && cm->cmsg_type == SCM_RIGHTS) {
		int mfd;

		memcpy(&mfd, CMSG_DATA(cm), sizeof(int));
		*memfd = true;
		n = pread(mfd, buf, len, 0);
		ok(fcntl(mfd, F_GET_SEALS) & F_SEAL_WRITE, "the memfd is sealed against writes");
		close(mfd);
	}
	return n;
}

static char rbuf[1 << 20];

static void test_socket(void)
{
	char path[64];
	struct journal j;
	struct fields f = { 0 };
	static char big[100000];
	bool memfd;
	ssize_t n;
	int fd, sz = 4096;

	snprintf(path, sizeof(path), "/tmp/oomdiag-jtest.%d", (int)getpid());
	fd = bound_socket(path);
	ok(fd >= 0 && !journal_open(&j, path), "a datagram socket bound at %s", path);
	jmsg_reset(&m);
	jmsg_add_str(&m, "MESSAGE", "hello");
	jmsg_add(&m, "OOMDIAG_STACK", "a+0x1/0x2\nb+0x3/0x4", 19);
	ok(!journal_send(&j, &m), "journal_send of a small entry");
	n = receive(fd, rbuf, sizeof(rbuf), &memfd);
	ok(n == (ssize_t)m.len && !memfd && !memcmp(rbuf, m.buf, m.len),
	   "it arrives as one datagram, byte for byte (%zd bytes)", n);
	jmsg_parse(rbuf, (size_t)n, collect, &f);
	ok(f.n == 2 && !strcmp(get(&f, "OOMDIAG_STACK"), "a+0x1/0x2\nb+0x3/0x4"),
	   "the multi-line stack field comes back whole");

	memset(big, 'x', sizeof(big));
	big[500] = '\n';
	jmsg_reset(&m);
	jmsg_add_str(&m, "MESSAGE", "big");
	jmsg_add(&m, "OOMDIAG_RECORD", big, sizeof(big));
	setsockopt(j.fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	ok(!journal_send(&j, &m), "journal_send of a %zu-byte entry over a 4 KiB send buffer",
	   m.len);
	n = receive(fd, rbuf, sizeof(rbuf), &memfd);
	ok(memfd && n == (ssize_t)m.len && !memcmp(rbuf, m.buf, m.len),
	   "it arrives as a memfd (SCM_RIGHTS) holding the whole entry");
	journal_close(&j);
	close(fd);
	unlink(path);
}

/* A record as the module prints it: an oom_kill with ledger, stack, zone. */
static const char rec_oom[] =
	"seq=42 ts_ns=6000000000 wall_ns=1700000001500000000 kind=oom_kill cpu=1 context=task "
	"pid=60 tgid=60 comm=hog\\x20x flags=group_kill victim_pid=61 victim_uid=1000 "
	"victim_comm=worker anon_rss_kb=1000 file_rss_kb=12 shmem_rss_kb=0 swap_kb=3 pgtables_kb=4 "
	"points=250 totalpages=1000 oom_score_adj=-5 constraint=memcg gfp=0xcc0 "
	"gfp_names=GFP_KERNEL order=0 memcg=/t victim_memcg=/t/leaf hook=oom_kill after=done\n"
	"  zone node=0 zone=DMA32 free_pages=1234 min_pages=500 low_pages=625 high_pages=750 "
	"free_cma_pages=0 managed_pages=60000 free_blocks=100,50,20,10,5,2,1,0,0,0,0\n"
	"  stack out_of_memory+0x1/0x2\n"
	"  stack mem_cgroup_oom+0x3/0x4\n"
	"  after delay_ns=1000 truncated=0\n";

static void test_entry(void)
{
	static struct od_event e;
	struct fields f = { 0 };
	char first[1024], *tok, *save;
	int missing = 0, differ = 0, keys = 0;
	const char *ids[OOMDIAG_KIND_MAX];
	bool distinct = true, hex = true;

	ok(!event_parse_module_record(rec_oom, sizeof(rec_oom) - 1, &e, NULL),
	   "the canned oom_kill record parses (event.c's parser)");
	rec_journal_entry(&m, &e, rec_oom, sizeof(rec_oom) - 1, "boot");
	ok(!m.bad_name && !m.overflow, "its journal entry has only valid names, fits");
	jmsg_parse(m.buf, m.len, collect, &f);
	ok(f.n > 30, "the entry parses back (%d fields)", f.n);
	ok(get(&f, "MESSAGE_ID") && !strcmp(get(&f, "MESSAGE_ID"), rec_message_id(OOMDIAG_KIND_OOM_KILL)),
	   "MESSAGE_ID of oom_kill");
	ok(get(&f, "PRIORITY") && !strcmp(get(&f, "PRIORITY"), "3"), "PRIORITY 3 (err) for a kill");
	ok(get(&f, "MESSAGE") && !strchr(get(&f, "MESSAGE"), '\n') &&
	   strstr(get(&f, "MESSAGE"), "worker[61]"), "MESSAGE one line naming the victim: %s",
	   get(&f, "MESSAGE"));
	/* every key of the first line, as OOMDIAG_<KEY>, with its value */
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(rec_oom, "\n"), rec_oom);
	for (tok = strtok_r(first, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '='), name[80];
		const char *v;

		*eq = 0;
		snprintf(name, sizeof(name), "OOMDIAG_%s", tok);
		for (char *p = name; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p -= 'a' - 'A';
		keys++;
		v = get(&f, name);
		if (!v) {
			missing++;
			printf("# missing %s\n", name);
			continue;
		}
		if (!strcmp(tok, "comm"))
			eq = "hog x";		/* unescaped */
		else if (!strcmp(tok, "flags"))
			eq = "group_kill|snapshot";	/* the zone line adds snapshot */
		else
			eq++;
		if (strcmp(v, eq)) {
			differ++;
			printf("# %s: '%s', record '%s'\n", name, v, eq);
		}
	}
	ok(!missing && !differ, "all %d keys of the first line are OOMDIAG_ fields with the "
	   "record's values (%d missing, %d differ)", keys, missing, differ);
	ok(count(&f, "OOMDIAG_HOOK") == 1 && count(&f, "OOMDIAG_AFTER") == 1,
	   "each field once (OOMDIAG_HOOK, OOMDIAG_AFTER)");
	ok(get(&f, "OOMDIAG_STACK") &&
	   !strcmp(get(&f, "OOMDIAG_STACK"), "out_of_memory+0x1/0x2\nmem_cgroup_oom+0x3/0x4"),
	   "OOMDIAG_STACK: the frames, one per line");
	ok(get(&f, "OOMDIAG_RECORD") &&
	   !strncmp(get(&f, "OOMDIAG_RECORD"), rec_oom, sizeof(rec_oom) - 2) &&
	   strlen(get(&f, "OOMDIAG_RECORD")) == sizeof(rec_oom) - 2,
	   "OOMDIAG_RECORD: the record's text, continuation lines included");
	ok(get(&f, "OOMDIAG_AFTER_DETAIL") &&
	   !strcmp(get(&f, "OOMDIAG_AFTER_DETAIL"), "delay_ns=1000 truncated=0"),
	   "OOMDIAG_AFTER_DETAIL: the worker's after line");
	for (unsigned int k = 1; k < OOMDIAG_KIND_MAX; k++) {
		ids[k] = rec_message_id(k);
		if (strlen(ids[k]) != 32 || strspn(ids[k], "0123456789abcdef") != 32)
			hex = false;
		for (unsigned int l = 1; l < k; l++)
			if (!strcmp(ids[k], ids[l]))
				distinct = false;
	}
	ok(hex && distinct, "one MESSAGE_ID per kind: %d kinds, 128-bit lowercase hex, distinct",
	   OOMDIAG_KIND_MAX - 1);
	ok(strcmp(ids[OOMDIAG_KIND_OOM_KILL], "fe6faa94e7774663a0da52717891d8ef") &&
	   strcmp(ids[OOMDIAG_KIND_OOM_KILL], "d989611b15e44c9dbf31e3c81256e4ed"),
	   "not systemd's own OOM MESSAGE_IDs");
}

static void test_resume(void)
{
	struct rec_state s = { .have = true, .boot_id = "b-1", .instance = 77, .next_seq = 10 }, t;
	struct rec_cursor c;
	char line[REC_STATE_LINE_LEN];
	size_t l1;

	rec_state_format(&s, line, sizeof(line));
	l1 = strlen(line);
	ok(!rec_state_parse(&t, line) && t.have && !strcmp(t.boot_id, "b-1") && t.instance == 77 &&
	   t.next_seq == 10, "the state line round-trips: %.*s", (int)l1 - 1, line);
	s.next_seq = 123456789;
	rec_state_format(&s, line, sizeof(line));
	ok(strlen(line) == l1, "fixed width: rewritten in place, never shorter (%zu bytes)", l1);
	ok(rec_state_parse(&t, "garbage") && !t.have, "a garbled state is not used");
	s.next_seq = 10;

	/* same boot and instance: resume; 10..12 seen before? no: 10 is next */
	ok(rec_cursor_start(&c, &s, "b-1", 77, 15) && c.expect == 10,
	   "same boot and instance: resume at the saved next seq 10");
	ok(!rec_cursor_take(&c, 8) && !rec_cursor_take(&c, 9), "seqs 8, 9 handed on before: "
	   "not again (no duplicate)");
	ok(rec_cursor_take(&c, 10) & rec_cursor_take(&c, 13) && c.lost_while_down == 2,
	   "10 taken, 13 taken: 11 and 12 lost while down");
	rec_cursor_poll_done(&c);
	ok(rec_cursor_take(&c, 16) && c.lost_while_running == 2 && c.lost_while_down == 2,
	   "after the first poll a gap (14, 15) is lost while running");
	rec_cursor_seen_next(&c, 20);
	ok(c.expect == 20 && c.lost_while_running == 5,
	   "a ring emptied below next_seq 20: 17..19 lost too (%llu)",
	   (unsigned long long)c.lost_while_running);
	rec_cursor_seen_next(&c, 20);
	ok(c.lost_while_running == 5, "seen_next again: nothing more");

	ok(!rec_cursor_start(&c, &s, "b-2", 77, 15) && c.expect == 0,
	   "another boot: from seq 0");
	ok(!rec_cursor_start(&c, &s, "b-1", 78, 15) && c.expect == 0,
	   "another module instance (reloaded): from seq 0");
	ok(!rec_cursor_start(&c, &s, "b-1", 77, 5) && c.expect == 0,
	   "a state ahead of the ring's next_seq: from seq 0");
	ok(!rec_cursor_start(&c, NULL, "b-1", 77, 5) && rec_cursor_take(&c, 3) &&
	   c.lost_while_down == 3, "no state: seqs 0..2 no longer in the ring count as lost");
}

int main(void)
{
	printf("1..46\n");
	test_encoding();
	test_socket();
	test_entry();
	test_resume();
	return failed ? 1 : 0;
}
