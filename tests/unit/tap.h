/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_TAP_H
#define OOMDIAG_TAP_H
/* TAP output for the C unit tests: ok(cond, fmt, ...) numbers and counts. */
#include <stdarg.h>
#include <stdio.h>

static int n, failed;

static void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	n++;
	printf("%sok %d - ", cond ? "" : "not ", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		failed++;
}

#endif /* OOMDIAG_TAP_H */
