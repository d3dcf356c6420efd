/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_UTIL_H
#define OOMDIAG_UTIL_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define OOMDIAG_DEBUGFS_DEFAULT "/sys/kernel/debug/oomdiag"

/* Exit codes of the oomdiag binary (documented in oomdiag(1)). */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* the command failed (cannot read, bad data) */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_NOMODULE	3	/* needs the module and it is not loaded */
#define EXIT_PERM	4	/* needs root (permission denied) */

void *xcalloc(size_t n, size_t size);
void *xmalloc(size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Whole file, NUL-terminated; NULL with errno set on failure. */
char *read_file(const char *path, size_t *len);

/* String builder: fixed buffer (truncating, counts what it needed) or
 * growing (buf NULL at init). */
struct sbuf {
	char *buf;
	size_t len, cap;
	size_t need;
	bool fixed;
};
void sbuf_init_fixed(struct sbuf *sb, char *buf, size_t cap);
void sbuf_init(struct sbuf *sb);
void sbuf_puts(struct sbuf *sb, const char *s);
void sbuf_putn(struct sbuf *sb, const char *s, size_t n);
void sbuf_printf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sbuf_steal(struct sbuf *sb);

/* The debugfs directory (OOMDIAG_DEBUGFS overrides, for tests). */
const char *od_debugfs_dir(void);
/* "/sys/kernel/debug/oomdiag/NAME" into buf */
const char *od_debugfs_path(char *buf, size_t len, const char *name);

/* "oomdiag: cannot read PATH: REASON (hint)" for errno e. */
void od_err_read(const char *path, int e);
/* A module file could not be read for permissions: say so once (stderr)
 * before falling back to /proc. */
void od_note_fallback(const char *path, int e);
/* Exit code matching errno e of a failed read. */
int od_exit_for_errno(int e);
void od_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Human size from kB: "512 kB", "3.4 MB", "1.2 GB". */
char *human_kb(char *buf, size_t len, uint64_t kb);

/* Output style for a command. */
struct od_style {
	bool json;
	bool color;
	bool pretty;
};
/* Colour only on a tty, never with --json or NO_COLOR. */
bool od_want_color(FILE *f, bool json);
const char *od_c(const struct od_style *st, const char *code);
#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BLUE "\033[34m"
#define C_DIM "\033[2m"

/* Copy at most n bytes of in (up to a NUL) for a terminal: control
 * characters as \xHH.  Returns out. */
char *od_escape(const char *in, size_t n, char *out, size_t len);
/* Split a line into whitespace-separated fields (modifies line). */
int split_ws(char *line, char **fields, int max);
/* Unescape a debugfs field: "\xHH" → byte, "-" → "". In place. */
char *debugfs_unescape(char *s);
/*
 * Write a debugfs field as the module escapes it (module/taskinfo.c
 * oomdiag_escape()): space, control, non-ASCII and '\\' as "\xHH", ""
 * as "-"; at most max bytes of s.  debugfs_unescape() reads it back.
 */
void debugfs_escape_put(FILE *f, const char *s, size_t max);

#endif
