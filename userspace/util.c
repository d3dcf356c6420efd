// SPDX-License-Identifier: GPL-2.0
/* Small helpers shared by the oomdiag commands. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static void oom_die(void)
{
	fputs("oomdiag: out of memory\n", stderr);
	exit(EXIT_FAIL);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom_die();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom_die();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		oom_die();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *read_file(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, len = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	if (lenp)
		*lenp = len;
	return buf;
}

void sbuf_init_fixed(struct sbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	sb->need = 0;
	sb->fixed = true;
	if (buf && cap)
		buf[0] = 0;
}

void sbuf_init(struct sbuf *sb)
{
	sb->cap = 64;
	sb->buf = xmalloc(sb->cap);
	sb->buf[0] = 0;
	sb->len = 0;
	sb->need = 0;
	sb->fixed = false;
}

void sbuf_putn(struct sbuf *sb, const char *s, size_t n)
{
	sb->need += n;
	if (!sb->fixed) {
		if (sb->len + n + 1 > sb->cap) {
			while (sb->len + n + 1 > sb->cap)
				sb->cap *= 2;
			sb->buf = xrealloc(sb->buf, sb->cap);
		}
	} else {
		if (!sb->cap)
			return;
		if (sb->len + n + 1 > sb->cap)
			n = sb->cap - 1 - sb->len;
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
}

void sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_putn(sb, s, strlen(s));
}

void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		sbuf_putn(sb, tmp, (size_t)n);
	} else {
		char *big = xmalloc((size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sbuf_putn(sb, big, (size_t)n);
		free(big);
	}
}

char *sbuf_steal(struct sbuf *sb)
{
	char *p = sb->buf;

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

const char *od_debugfs_dir(void)
{
	const char *d = getenv("OOMDIAG_DEBUGFS");

	return d && *d ? d : OOMDIAG_DEBUGFS_DEFAULT;
}

const char *od_debugfs_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", od_debugfs_dir(), name);
	return buf;
}

void od_err(const char *fmt, ...)
{
	va_list ap;

	fputs("oomdiag: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void od_err_read(const char *path, int e)
{
	const char *hint = "";

	if (e == EACCES || e == EPERM)
		hint = " (run as root)";
	else if (e == ENOENT && !strncmp(path, od_debugfs_dir(), strlen(od_debugfs_dir())))
		hint = access(od_debugfs_dir(), F_OK) ?
			" (is the module loaded? insmod oomdiag.ko)" :
			" (the loaded oomdiag.ko does not provide it: load a newer module)";
	else if (e == ENOENT && !strncmp(path, "/sys/kernel/debug", 17))
		hint = " (is debugfs mounted? mount -t debugfs none /sys/kernel/debug)";
	fprintf(stderr, "oomdiag: cannot read %s: %s%s\n", path, strerror(e), hint);
}

int od_exit_for_errno(int e)
{
	if (e == EACCES || e == EPERM)
		return EXIT_PERM;
	return EXIT_FAIL;
}

char *human_kb(char *buf, size_t len, uint64_t kb)
{
	if (kb < 10240)
		snprintf(buf, len, "%llu kB", (unsigned long long)kb);
	else if (kb < 10ull * 1024 * 1024)
		snprintf(buf, len, "%.1f MB", kb / 1024.0);
	else if (kb < 10ull * 1024 * 1024 * 1024)
		snprintf(buf, len, "%.1f GB", kb / (1024.0 * 1024));
	else
		snprintf(buf, len, "%.1f TB", kb / (1024.0 * 1024 * 1024));
	return buf;
}

bool od_want_color(FILE *f, bool json)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (json)
		return false;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(f));
}

const char *od_c(const struct od_style *st, const char *code)
{
	return st && st->color ? code : "";
}

int split_ws(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			*p++ = 0;
		if (!*p)
			break;
		fields[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
	}
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		*p++ = 0;
	return n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *debugfs_unescape(char *s)
{
	char *r = s, *w = s;

	if (!strcmp(s, "-")) {
		s[0] = 0;
		return s;
	}
	while (*r) {
		if (r[0] == '\\' && r[1] == 'x' && hexval(r[2]) >= 0 && hexval(r[3]) >= 0) {
			*w++ = (char)(hexval(r[2]) * 16 + hexval(r[3]));
			r += 4;
		} else if (r[0] == '\\' && r[1] == '\\') {
			*w++ = '\\';
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
	return s;
}

void debugfs_escape_put(FILE *f, const char *s, size_t max)
{
	if (!max || !s[0]) {
		fputc('-', f);
		return;
	}
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c > ' ' && c < 0x7f && c != '\\')
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
}

void od_note_fallback(const char *path, int e)
{
	static bool said;

	if ((e != EACCES && e != EPERM) || said)
		return;
	said = true;
	fprintf(stderr, "oomdiag: cannot read %s: %s (run as root); using /proc\n", path,
		strerror(e));
}

char *od_escape(const char *in, size_t n, char *out, size_t len)
{
	size_t j = 0;

	for (size_t i = 0; i < n && in[i] && j + 5 < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c < 0x20 || c == 0x7f)
			j += (size_t)snprintf(out + j, len - j, "\\x%02x", c);
		else
			out[j++] = (char)c;
	}
	if (len)
		out[j < len ? j : len - 1] = 0;
	return out;
}
