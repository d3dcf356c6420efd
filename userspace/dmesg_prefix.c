// SPDX-License-Identifier: GPL-2.0
/*
 * Transport prefixes of kernel log lines (see dmesg_prefix.h).  Prefixes
 * stack ("> " quote, syslog date, host, "kernel:", "[ 12.345678]", caller
 * id), so the recognisers run in a loop, each consuming one layer:
 *
 *   <4>  /dev/kmsg "4,1234,5678,-;"  RFC 5424 "<4>1 ISO HOST kernel - - - "
 *   syslog "Jan  1 00:00:00[.frac] [HOST] kernel[: ]" (RFC 3164, empty host)
 *   ISO "2024-01-31T12:00:00.123+00:00 HOST kernel: " (journalctl short-iso,
 *     rsyslog high precision, dmesg --time-format=iso with a comma)
 *   journalctl short-full "Sun 2026-11-22 03:40:02 CET HOST kernel: ",
 *     short-unix "1790000002.796816 HOST kernel: ",
 *     short-monotonic "[    2.796816] HOST kernel: "
 *   OpenWrt logread "Sat Jan 27 00:14:32 2024 kern.warn kernel: "
 *   dmesg "[ 12.345678]", -d "[ 12.345678 <  0.000100>]", -H/--reltime
 *     "[Nov22 03:40]" and "[  +0.000100]", -T in any locale "[... 03:42:17 ...]",
 *     -x "kern  :warn  : ", caller ids "[T123]" "[C1]"
 *   vendor per-CPU tags after the timestamp: "c0 0      " (cpu, pid),
 *     "[3:  kworker/3:1:  123]", "[pid:123,cpu3,comm]", "(3)[123:comm]"
 *   quotes "> " and indentation; "123: " line numbers before a prefix
 *   host-side prefixes (serial console capture, hypervisor logs such as
 *     VMware's "ISO In(05) vcpu-5 - Guest: "): anything before a printk
 *     timestamp near the start of the line
 */
#include <ctype.h>
#include <string.h>
#include "dmesg_prefix.h"

#define HOST_PREFIX_MAX 160	/* how far a printk timestamp is looked for */

/* s starts with one of the 3-letter names packed in names ("Jan", "Mon"). */
static bool is_abbrev(const char *s, const char *names)
{
	if (!isupper((unsigned char)s[0]) || !islower((unsigned char)s[1]))
		return false;
	for (; *names; names += 3)
		if (s[0] == names[0] && s[1] == names[1] && s[2] == names[2])
			return true;
	return false;
}

static bool is_month(const char *s)
{
	return is_abbrev(s, "JanFebMarAprMayJunJulAugSepOctNovDec");
}

static bool is_wday(const char *s)
{
	return is_abbrev(s, "MonTueWedThuFriSatSun");
}

static bool dig(const char *s, size_t n, size_t i)
{
	return i < n && isdigit((unsigned char)s[i]);
}

static size_t skip_digits(const char *s, size_t n, size_t i)
{
	while (dig(s, n, i))
		i++;
	return i;
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t skip_token(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	return i;
}

/* "YYYY-MM-DD" followed by 'T' or ' ' and "HH:" */
static bool is_iso_date(const char *s, size_t n, size_t i)
{
	return n - i >= 16 && dig(s, n, i) && dig(s, n, i + 3) && s[i + 4] == '-' &&
	       s[i + 7] == '-' && (s[i + 10] == 'T' || s[i + 10] == ' ') && dig(s, n, i + 11) &&
	       s[i + 13] == ':';
}

/* "HH:MM:SS" at i */
static bool is_hms(const char *s, size_t n, size_t i)
{
	return n - i >= 8 && dig(s, n, i) && dig(s, n, i + 1) && s[i + 2] == ':' &&
	       dig(s, n, i + 3) && s[i + 5] == ':' && dig(s, n, i + 6);
}

/* A time zone token: "CET", "UTC", "+0100", "-05:00". */
static bool is_tz(const char *s, size_t n, size_t i, size_t e)
{
	if (e <= i || e - i > 6)
		return false;
	if (s[i] == '+' || s[i] == '-')
		return dig(s, n, i + 1);
	for (size_t k = i; k < e; k++)
		if (!isupper((unsigned char)s[k]))
			return false;
	return e - i >= 2;
}

/*
 * After a syslog/journal date at s[i]: " HOST TAG: ".  Returns the offset of
 * the message, -1 for another program's line, or i when it does not look
 * like host and tag at all.
 */
static long after_host_tag(const char *s, size_t n, size_t i, bool only_kernel)
{
	size_t j = skip_spaces(s, n, i), h, t;

	h = j;
	/* "[ 12.3] kernel: text" (journalctl without the host), empty host */
	if (n - h >= 8 && !strncmp(s + h, "kernel: ", 8))
		return (long)(h + 8);
	if (n - h == 7 && !strncmp(s + h, "kernel:", 7))
		return (long)n;
	j = skip_token(s, n, j);
	/* a host name does not end with ':' ("comm: text" is a message) */
	if (j == h || j >= n || s[j - 1] == ':')
		return (long)i;
	j++;
	t = j;
	while (j < n && s[j] != ' ' && s[j] != ':' && s[j] != '[')
		j++;
	if (j == t)
		return (long)i;
	if (j - t == 6 && !strncmp(s + t, "kernel", 6)) {
		if (j < n && s[j] == '[')
			while (j < n && s[j] != ']')
				j++;
		if (j < n && s[j] == ']')
			j++;
		if (j < n && s[j] == ':') {
			j++;
			if (j < n && s[j] == ' ')
				j++;
			return (long)j;
		}
		return (long)i;
	}
	if (only_kernel)
		return (long)i;
	/* "host prog[123]: text" or "host prog: text": not the kernel */
	while (j < n && s[j] != ' ' && s[j] != ':')
		j++;
	if (j < n && s[j] == ':')
		return -1;
	return (long)i;
}

/*
 * "[ 12.345678]" (also "[ 12.345678 <  0.000100>]" of dmesg -d) at s[i]:
 * returns the offset after ']' and the seconds, or 0.
 */
static size_t printk_ts(const char *s, size_t n, size_t i, double *sec)
{
	size_t j = skip_spaces(s, n, i + 1), k, f;
	double v = 0, scale = 1;

	if (i >= n || s[i] != '[' || !dig(s, n, j))
		return 0;
	k = skip_digits(s, n, j);
	if (k >= n || s[k] != '.')
		return 0;
	f = skip_digits(s, n, k + 1);
	if (f == k + 1)
		return 0;
	for (size_t q = j; q < k; q++)
		v = v * 10 + (s[q] - '0');
	for (size_t q = k + 1; q < f; q++) {
		scale /= 10;
		v += (s[q] - '0') * scale;
	}
	if (f + 1 < n && s[f] == ' ' && s[f + 1] == '<') {
		const char *e = memchr(s + f, ']', n - f < 32 ? n - f : 32);

		if (!e || e[-1] != '>')
			return 0;
		f = (size_t)(e - s);
	}
	if (f >= n || s[f] != ']')
		return 0;
	*sec = v;
	return f + 1;
}

/* dmesg -H / --reltime: "[Nov22 03:40]", "[  +0.000100]". */
static size_t reltime_ts(const char *s, size_t n, size_t i)
{
	size_t j = skip_spaces(s, n, i + 1), k;

	if (j < n && s[j] == '+') {
		k = skip_digits(s, n, j + 1);
		if (k > j + 1 && k < n && s[k] == '.') {
			k = skip_digits(s, n, k + 1);
			if (k < n && s[k] == ']')
				return k + 1;
		}
		return 0;
	}
	if (n - j >= 11 && is_month(s + j) && dig(s, n, j + 3)) {
		k = skip_digits(s, n, j + 3);
		if (k + 6 < n && s[k] == ' ' && dig(s, n, k + 1) && s[k + 3] == ':' &&
		    dig(s, n, k + 4) && s[k + 6] == ']')
			return k + 7;
	}
	return 0;
}

/* "[...HH:MM:SS...]" of at most 48 bytes: dmesg -T in any locale, host dates. */
static size_t bracket_date(const char *s, size_t n, size_t i)
{
	size_t lim = n - i < 48 ? n : i + 48;

	for (size_t k = i + 1; k < lim; k++) {
		if (s[k] == ']' || s[k] == '[')
			return 0;
		if (is_hms(s, n, k)) {
			const char *e = memchr(s + k, ']', lim - k);

			return e ? (size_t)(e + 1 - s) : 0;
		}
	}
	return 0;
}

/* Vendor per-CPU tags that follow the printk timestamp. */
static size_t vendor_tag(const char *s, size_t n, size_t i)
{
	size_t k;

	/* "[pid:123,cpu3,comm]" */
	if (n - i > 6 && !strncmp(s + i, "[pid:", 5)) {
		const char *e = memchr(s + i, ']', n - i < 64 ? n - i : 64);

		return e ? (size_t)(e + 1 - s) : 0;
	}
	/* "[3:  kworker/3:1:  123]" */
	if (s[i] == '[' && dig(s, n, i + 1)) {
		k = skip_digits(s, n, i + 1);
		if (k < n && s[k] == ':') {
			const char *e = memchr(s + k, ']', n - k < 64 ? n - k : 64);
			size_t q;

			if (!e)
				return 0;
			q = (size_t)(e - s);
			while (q > k && isdigit((unsigned char)s[q - 1]))
				q--;
			if (q < (size_t)(e - s) && q > k + 1 && (s[q - 1] == ' ' || s[q - 1] == ':'))
				return (size_t)(e + 1 - s);
		}
		return 0;
	}
	/* "(3)[123:comm]" */
	if (s[i] == '(' && dig(s, n, i + 1) && i + 3 < n && s[i + 2] == ')' && s[i + 3] == '[') {
		const char *e = memchr(s + i, ']', n - i < 64 ? n - i : 64);

		return e ? (size_t)(e + 1 - s) : 0;
	}
	/* "c0 0      " (cpu, pid) */
	if (s[i] == 'c' && dig(s, n, i + 1)) {
		k = skip_digits(s, n, i + 1);
		if (k < n && s[k] == ' ') {
			size_t p = skip_spaces(s, n, k);
			size_t q = skip_digits(s, n, p);

			if (q > p && q < n && s[q] == ' ')
				return q;
		}
	}
	return 0;
}

/* A printk timestamp after a host-side prefix; the offset of its '[' or 0. */
static size_t host_prefixed_ts(const char *s, size_t n, size_t i)
{
	size_t lim = n - i < HOST_PREFIX_MAX ? n : i + HOST_PREFIX_MAX;
	double sec;

	for (size_t k = i + 1; k + 3 < lim; k++)
		if (s[k] == '[' && printk_ts(s, n, k, &sec) && k + 1 < n)
			return k;
	return 0;
}

/* RFC 5424 after "<PRI>": "1 TS HOST APP PROCID MSGID SD MSG". */
static long rfc5424(const char *s, size_t n, size_t i, struct dmesg_prefix *px)
{
	size_t t, h, a, ae;

	if (n - i < 4 || s[i] != '1' || s[i + 1] != ' ' ||
	    !(is_iso_date(s, n, i + 2) || s[i + 2] == '-'))
		return 0;
	t = i + 2;
	h = skip_token(s, n, t) + 1;
	a = skip_token(s, n, h) + 1;
	if (a >= n)
		return 0;
	ae = skip_token(s, n, a);
	px->ts = s + t;
	px->ts_len = h - 1 - t;
	if (!(ae - a == 6 && !strncmp(s + a, "kernel", 6)))
		return -1;
	/* PROCID MSGID */
	t = skip_token(s, n, skip_spaces(s, n, ae));
	t = skip_token(s, n, skip_spaces(s, n, t));
	t = skip_spaces(s, n, t);
	if (t < n && s[t] == '[') {
		while (t < n && s[t] == '[') {
			const char *e = memchr(s + t, ']', n - t);

			if (!e)
				return (long)n;
			t = (size_t)(e + 1 - s);
		}
	} else {
		t = skip_token(s, n, t);
	}
	return (long)skip_spaces(s, n, t);
}

/*
 * A date that ends at end, from s[i]: then " HOST TAG: " (after an optional
 * zone "CET" or year "2024" token).  Returns the offset of the message, or
 * -1 for another program's line.
 */
static long dated(const char *s, size_t n, size_t i, size_t end, struct dmesg_prefix *px)
{
	size_t z = skip_spaces(s, n, end), ze = skip_token(s, n, z);
	long r;

	px->ts = s + i;
	px->ts_len = end - i;
	if (is_tz(s, n, z, ze) || (ze - z == 4 && dig(s, n, z) && dig(s, n, z + 3))) {
		r = after_host_tag(s, n, ze, false);
		if (r >= 0 && r != (long)ze) {
			px->ts_len = ze - i;
			return r;
		}
	}
	r = after_host_tag(s, n, end, false);
	if (r < 0)
		return -1;
	return r == (long)end ? (long)z : r;
}

/* One line being stripped: each layer recognizer consumes one prefix. */
struct scan {
	const char *s;
	size_t n, i;
	int layer;		/* layers consumed so far */
	bool had_ts;		/* a printk or dmesg timestamp was consumed */
	struct dmesg_prefix *px;
};

/* Layer results: consumed (sc->i advanced), no match, another program's line. */
enum { L_NONE = 0, L_TAKEN = 1, L_OTHER = -1 };

static int took(struct scan *sc, size_t i, bool prefix)
{
	sc->i = i;
	if (prefix)
		sc->px->prefixed = true;
	return L_TAKEN;
}

/* A date ending at end from start, then HOST and TAG. */
static int took_dated(struct scan *sc, size_t start, size_t end)
{
	long r = dated(sc->s, sc->n, start, end, sc->px);

	return r < 0 ? L_OTHER : took(sc, (size_t)r, true);
}

/* "<4>", and RFC 5424 after it */
static int layer_priority(struct scan *sc)
{
	const char *s = sc->s;
	size_t n = sc->n, i = sc->i, j = skip_digits(s, n, i + 1);
	long r;

	if (s[i] != '<' || j == i + 1 || j >= i + 5 || j >= n || s[j] != '>')
		return L_NONE;
	r = rfc5424(s, n, j + 1, sc->px);
	if (r < 0)
		return L_OTHER;
	return took(sc, r > 0 ? (size_t)r : j + 1, true);
}

/* Prefixes that start with a digit. */
static int layer_numeric(struct scan *sc)
{
	const char *s = sc->s;
	size_t n = sc->n, i = sc->i, j;
	int commas = 0;

	if (!dig(s, n, i))
		return L_NONE;
	/* /dev/kmsg "4,1234,5678,-;" (",caller=T1" too) */
	for (j = i; j < n && j < i + 80 && s[j] != ';' && s[j] != ' '; j++)
		commas += s[j] == ',';
	if (commas >= 3 && j < n && s[j] == ';')
		return took(sc, j + 1, true);
	/* ISO "2024-01-31T12:00:00.123+00:00", "2024-01-31 12:00:00" */
	if (is_iso_date(s, n, i))
		return took_dated(sc, i, skip_token(s, n, i + 11));
	j = skip_digits(s, n, i);
	/* journalctl short-unix "1790000002.796816 HOST kernel: " */
	if (j - i >= 9 && j < n && s[j] == '.') {
		size_t f = skip_digits(s, n, j + 1);
		long r = f < n && s[f] == ' ' ? after_host_tag(s, n, f, true) : (long)f;

		if (r > (long)f) {
			sc->px->ts = s + i;
			sc->px->ts_len = f - i;
			return took(sc, (size_t)r, true);
		}
	}
	/* a line number ("12: ", "12\t") before another prefix */
	if (j < i + 7 && j + 1 < n && (s[j] == ':' || s[j] == '\t' || s[j] == ' ')) {
		size_t q = skip_spaces(s, n, j + (s[j] == ':'));

		if (q < n && q > j && (s[q] == '[' || s[q] == '<' || is_month(s + q) ||
				       is_iso_date(s, n, q)))
			return took(sc, q, false);
	}
	/* a printk timestamp whose "[" a paste lost: "5193605.506728] text" */
	if (j < n && s[j] == '.' && !sc->layer) {
		size_t f = skip_digits(s, n, j + 1);

		if (f > j + 1 && f + 1 < n && s[f] == ']' && s[f + 1] == ' ') {
			sc->px->ts = s + i;
			sc->px->ts_len = f + 1 - i;
			return took(sc, skip_spaces(s, n, f + 1), true);
		}
	}
	/* a host-side clock "12:00:00.123 " before a printk timestamp */
	if (is_hms(s, n, i)) {
		size_t q = skip_spaces(s, n, skip_token(s, n, i));

		if (q < n && (s[q] == '[' || s[q] == '<'))
			return took(sc, q, false);
	}
	return L_NONE;
}

/*
 * Syslog dates: "Jan  1 00:00:00 host kernel: ", OpenWrt "Sat Jan 27
 * 00:14:32 2024 kern.warn kernel: ", journalctl short-full "Sun 2026-11-22
 * 03:40:02 CET host kernel: ".
 */
static int layer_syslog_date(struct scan *sc)
{
	const char *s = sc->s;
	size_t n = sc->n, i = sc->i, d = i, j;

	if (n - i < 15)
		return L_NONE;
	if (is_wday(s + i) && s[i + 3] == ' ') {
		if (is_iso_date(s, n, i + 4))
			return took_dated(sc, i, skip_token(s, n, i + 15));
		if (is_month(s + i + 4))
			d = i + 4;	/* then as a syslog date with the year after it */
	}
	if (!is_month(s + d) || s[d + 3] != ' ')
		return L_NONE;
	j = skip_digits(s, n, skip_spaces(s, n, d + 4));
	if (j + 9 > n || s[j] != ' ' || !is_hms(s, n, j + 1))
		return L_NONE;
	return took_dated(sc, i, skip_token(s, n, j + 1));	/* with fractions */
}

/* "[...]": printk time, caller id, dmesg -H and -T. */
static int layer_bracket(struct scan *sc)
{
	const char *s = sc->s;
	size_t n = sc->n, i = sc->i, j;
	double sec;
	long r;

	if (s[i] != '[')
		return L_NONE;
	j = printk_ts(s, n, i, &sec);
	if (j) {
		sc->px->ts = s + i;
		sc->px->ts_len = j - i;
		sc->px->mono = sec;
		sc->had_ts = true;
		if (j < n && s[j] == ' ')
			j++;
		/* journalctl -o short-monotonic "[ 2.79] HOST kernel: " */
		r = after_host_tag(s, n, j, true);
		if (r < 0)
			return L_OTHER;
		return took(sc, skip_spaces(s, n, (size_t)r), true);
	}
	/* "[T1234]" "[C1]" caller id */
	j = skip_spaces(s, n, i + 1);
	if (j + 1 < n && (s[j] == 'T' || s[j] == 'C') && dig(s, n, j + 1)) {
		size_t k = skip_digits(s, n, j + 1);

		if (k < n && s[k] == ']')
			return took(sc, skip_spaces(s, n, k + 1), false);
	}
	j = reltime_ts(s, n, i);
	if (!j)
		j = bracket_date(s, n, i);
	if (!j)
		return L_NONE;
	sc->px->ts = s + i;
	sc->px->ts_len = j - i;
	sc->had_ts = true;
	return took(sc, skip_spaces(s, n, j), true);
}

/* dmesg -x "kern  :warn  : ", a bare "kernel: " */
static int layer_tags(struct scan *sc)
{
	const char *s = sc->s, *c1, *c2;
	size_t n = sc->n, i = sc->i, rest;

	if (n - i >= 8 && !strncmp(s + i, "kernel: ", 8))
		return took(sc, i + 8, true);
	if (n - i < 12 || strncmp(s + i, "kern ", 5))
		return L_NONE;
	c1 = memchr(s + i, ':', n - i < 16 ? n - i : 16);
	if (!c1)
		return L_NONE;
	rest = (size_t)(s + n - c1 - 1);
	c2 = memchr(c1 + 1, ':', rest < 16 ? rest : 16);
	if (!c2 || c2 + 1 >= s + n || c2[1] != ' ')
		return L_NONE;
	return took(sc, (size_t)(c2 + 2 - s), true);
}

/* quotes ("> ", ">> ") and the indentation of a paste */
static size_t strip_quotes(const char *s, size_t n, struct dmesg_prefix *px)
{
	size_t i = 0;

	for (;;) {
		size_t q = skip_spaces(s, n, i);

		if (q < n && s[q] == '>' && (q + 1 >= n || s[q + 1] == ' ' || s[q + 1] == '>' ||
					     s[q + 1] == '\t')) {
			i = q + 1;
			if (i < n && s[i] == ' ')
				i++;	/* the quote's own blank */
			continue;
		}
		px->indented = q > i;
		return q;
	}
}

int dmesg_strip_prefix(const char *s, size_t n, struct dmesg_prefix *px)
{
	struct scan sc = { .s = s, .n = n, .px = px };

	memset(px, 0, sizeof(*px));
	px->mono = -1;
	sc.i = strip_quotes(s, n, px);
	for (; sc.layer < 12 && sc.i < n; sc.layer++) {
		size_t j;
		int r = layer_priority(&sc);

		if (r == L_NONE)
			r = layer_numeric(&sc);
		if (r == L_NONE)
			r = layer_syslog_date(&sc);
		if (r == L_NONE)
			r = layer_bracket(&sc);
		if (r == L_NONE && sc.had_ts && (j = vendor_tag(s, n, sc.i)))
			r = took(&sc, skip_spaces(s, n, j), false);
		if (r == L_NONE)
			r = layer_tags(&sc);
		/* a host-side prefix before the printk timestamp */
		if (r == L_NONE && !sc.had_ts && (j = host_prefixed_ts(s, n, sc.i)))
			r = took(&sc, j, false);
		if (r == L_OTHER)
			return -1;
		if (r == L_NONE)
			break;
	}
	px->msg = sc.i;
	return 0;
}
