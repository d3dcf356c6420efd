/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_JOURNAL_H
#define OOMDIAG_JOURNAL_H
/*
 * systemd journal native protocol without libsystemd (the binary is
 * static): one datagram per entry to /run/systemd/journal/socket holding
 * "FIELD=value\n" lines, or for a value with a newline (binary-safe form)
 * "FIELD\n", its length as 64-bit little endian, the bytes and "\n"
 * (systemd's docs/JOURNAL_NATIVE_PROTOCOL.md).  An entry too large for a
 * datagram goes as a sealed memfd passed with SCM_RIGHTS, as
 * sd_journal_sendv() does.  The message buffer is preallocated: building
 * and sending an entry allocates nothing.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define JOURNAL_MSG_MAX (128 * 1024)

struct journal_msg {
	size_t len;
	bool overflow;		/* a field did not fit: the entry is not sent */
	bool bad_name;		/* a field name the journal would drop */
	char buf[JOURNAL_MSG_MAX];
};

void jmsg_reset(struct journal_msg *m);
/*
 * Append a field.  Names: A-Z, 0-9 and _, not starting with _ or a digit,
 * at most 64 bytes (journald drops other names; _FIELDS are its trusted
 * ones).  The value may hold any bytes: with a newline (or any byte below
 * 0x20 but tab) it is written in the binary-safe form.
 */
void jmsg_add(struct journal_msg *m, const char *name, const void *val, size_t len);
void jmsg_add_str(struct journal_msg *m, const char *name, const char *val);
void jmsg_addf(struct journal_msg *m, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool journal_field_name_ok(const char *name);

/*
 * Parse an entry back (the journal's side, for the tests): calls cb for
 * each field with its name and value; returns the number of fields, -1 on
 * a malformed entry.
 */
typedef void (*jmsg_field_cb)(const char *name, size_t nlen, const char *val, size_t vlen,
			      void *arg);
int jmsg_parse(const char *buf, size_t len, jmsg_field_cb cb, void *arg);

struct journal {
	int fd;
	char path[108];
};

/* Open a datagram socket for path (NULL: JOURNAL_SOCKET); 0 or -errno. */
int journal_open(struct journal *j, const char *path);
/* Send one entry; 0 or -errno (-EMSGSIZE falls back to a memfd). */
int journal_send(struct journal *j, const struct journal_msg *m);
void journal_close(struct journal *j);

#endif
