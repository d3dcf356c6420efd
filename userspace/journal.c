// SPDX-License-Identifier: GPL-2.0
/* systemd journal native protocol, see journal.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "journal.h"

void jmsg_reset(struct journal_msg *m)
{
	m->len = 0;
	m->overflow = false;
	m->bad_name = false;
}

bool journal_field_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 64 || name[0] == '_' || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static void put(struct journal_msg *m, const void *p, size_t n)
{
	if (m->overflow || n > sizeof(m->buf) - m->len) {
		m->overflow = true;
		return;
	}
	memcpy(m->buf + m->len, p, n);
	m->len += n;
}

void jmsg_add(struct journal_msg *m, const char *name, const void *val, size_t len)
{
	const unsigned char *v = val;
	bool binary = false;
	size_t nlen = strlen(name);

	if (!journal_field_name_ok(name)) {
		m->bad_name = true;
		return;
	}
	for (size_t i = 0; i < len; i++)
		if (v[i] < 0x20 && v[i] != '\t') {
			binary = true;
			break;
		}
	put(m, name, nlen);
	if (binary) {
		unsigned char le[8];
		uint64_t l = len;

		for (int i = 0; i < 8; i++)
			le[i] = (unsigned char)(l >> (8 * i));
		put(m, "\n", 1);
		put(m, le, 8);
	} else {
		put(m, "=", 1);
	}
	put(m, v, len);
	put(m, "\n", 1);
}

void jmsg_add_str(struct journal_msg *m, const char *name, const char *val)
{
	jmsg_add(m, name, val, strlen(val));
}

void jmsg_addf(struct journal_msg *m, const char *name, const char *fmt, ...)
{
	char v[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	jmsg_add(m, name, v, (size_t)n < sizeof(v) ? (size_t)n : sizeof(v) - 1);
}

int jmsg_parse(const char *buf, size_t len, jmsg_field_cb cb, void *arg)
{
	size_t i = 0;
	int n = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		const char *eq;
		size_t end;

		if (!nl)
			return -1;
		end = (size_t)(nl - buf);
		eq = memchr(buf + i, '=', end - i);
		if (eq) {
			cb(buf + i, (size_t)(eq - (buf + i)), eq + 1, (size_t)(nl - eq - 1), arg);
			i = end + 1;
		} else {
			uint64_t l = 0;
			size_t name = i, nlen = end - i;

			i = end + 1;
			if (len - i < 8)
				return -1;
			for (int k = 0; k < 8; k++)
				l |= (uint64_t)(unsigned char)buf[i + k] << (8 * k);
			i += 8;
			if (l > len - i || len - i - l < 1 || buf[i + l] != '\n')
				return -1;
			cb(buf + name, nlen, buf + i, (size_t)l, arg);
			i += l + 1;
		}
		n++;
	}
	return n;
}

int journal_open(struct journal *j, const char *path)
{
	j->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (j->fd < 0)
		return -errno;
	snprintf(j->path, sizeof(j->path), "%s", path ? path : JOURNAL_SOCKET);
	return 0;
}

static void addr_of(const struct journal *j, struct sockaddr_un *sa, socklen_t *salen)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, j->path, strlen(j->path));
	if (sa->sun_path[0] == '@')	/* abstract (NOTIFY_SOCKET) */
		sa->sun_path[0] = 0;
	*salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(j->path));
}

/* Too large for a datagram: the entry in a sealed memfd (sd_journal_sendv). */
static int send_memfd(struct journal *j, const struct journal_msg *m)
{
	struct sockaddr_un sa;
	socklen_t salen;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr mh;
	struct cmsghdr *cm;
	int fd, r = 0;

	fd = memfd_create("oomdiag-journal", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (write(fd, m->buf, m->len) != (ssize_t)m->len ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		r = -errno;
		close(fd);
		return r ? r : -EIO;
	}
	addr_of(j, &sa, &salen);
	memset(&mh, 0, sizeof(mh));
	memset(&c, 0, sizeof(c));
	mh.msg_name = &sa;
	mh.msg_namelen = salen;
	mh.msg_control = c.buf;
	mh.msg_controllen = sizeof(c.buf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(j->fd, &mh, MSG_NOSIGNAL) < 0)
		r = -errno;
	close(fd);
	return r;
}

int journal_send(struct journal *j, const struct journal_msg *m)
{
	struct sockaddr_un sa;
	socklen_t salen;

	if (m->overflow)
		return -E2BIG;
	addr_of(j, &sa, &salen);
	for (int tries = 0; tries < 3; tries++) {
		if (sendto(j->fd, m->buf, m->len, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen) >= 0)
			return 0;
		if (errno == EMSGSIZE || errno == ENOBUFS)
			return send_memfd(j, m);
		if (errno != EINTR && errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}

void journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
}
