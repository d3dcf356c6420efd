/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_DMESG_PREFIX_H
#define OOMDIAG_DMESG_PREFIX_H
/*
 * The transport prefix of one kernel log line: what dmesg, journalctl,
 * syslog daemons, logread, serial consoles, vendor kernels and people
 * pasting into mail or issue trackers put before the kernel's own text.
 * Every format known to the parser is recognised here and only here.
 */
#include <stdbool.h>
#include <stddef.h>

struct dmesg_prefix {
	size_t msg;		/* offset of the kernel's message in the line */
	const char *ts;		/* the timestamp as written, NULL when none */
	size_t ts_len;
	double mono;		/* printk seconds "[ 12.345678]", -1 when not shown */
	bool prefixed;		/* some prefix (timestamp, syslog header) was found */
	bool indented;		/* blanks before the message (beyond a quote's "> ") */
};

/*
 * Strip the prefixes of the line s[0..n).  Returns 0, or -1 when the line
 * is from another program than the kernel (a syslog or RFC 5424 header
 * whose tag is not "kernel").
 */
int dmesg_strip_prefix(const char *s, size_t n, struct dmesg_prefix *px);

#endif
