// SPDX-License-Identifier: GPL-2.0
/*
 * Small scanners shared by the dmesg printers' parsers (dmesg_*.c): numbers,
 * hex masks, "key:value" tokens, bounded copies.  See dmesg_text.h.
 */
#include <ctype.h>
#include <string.h>
#include "dmesg_text.h"
#include "logparse.h"

bool dm_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *dm_skip_sp(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Decimal (optionally negative) at s; *end after it.  false if no digits. */
bool dm_parse_ll(const char *s, long long *v, const char **end)
{
	const char *q = s;
	bool neg = false;
	long long x = 0;

	if (*q == '-') {
		neg = true;
		q++;
	}
	if (!isdigit((unsigned char)*q))
		return false;
	while (isdigit((unsigned char)*q)) {
		if (x < (long long)1e17)
			x = x * 10 + (*q - '0');
		q++;
	}
	*v = neg ? -x : x;
	if (end)
		*end = q;
	return true;
}

bool dm_parse_hex(const char *s, uint64_t *v, const char **end)
{
	const char *q = s;
	uint64_t x = 0;
	int n = 0;

	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		q += 2;
	while (isxdigit((unsigned char)*q)) {
		int d = isdigit((unsigned char)*q) ? *q - '0' :
			(tolower((unsigned char)*q) - 'a' + 10);

		if (n < 16)
			x = (x << 4) | (uint64_t)d;
		n++;
		q++;
	}
	if (!n)
		return false;
	*v = x;
	if (end)
		*end = q;
	return true;
}

/* Number after "key" somewhere in s (key includes its ':' or '='). */
bool dm_num_after(const char *s, const char *key, long long *v)
{
	const char *k = strstr(s, key);

	if (!k)
		return false;
	return dm_parse_ll(dm_skip_sp(k + strlen(key)), v, NULL);
}

/* Like num_after but the key must start a token (after ' ', ',' or start). */
bool dm_tok_num(const char *s, const char *key, long long *v)
{
	size_t kl = strlen(key);
	const char *k = s;

	while ((k = strstr(k, key))) {
		if (k == s || k[-1] == ' ' || k[-1] == ',' || k[-1] == '\t')
			return dm_parse_ll(dm_skip_sp(k + kl), v, NULL);
		k += kl;
	}
	return false;
}

/* Copy at most n-1 bytes of [s, e) into dst. */
void dm_copy_span(char *dst, size_t n, const char *s, const char *e)
{
	size_t l = (size_t)(e - s);

	if (l >= n)
		l = n - 1;
	memcpy(dst, s, l);
	dst[l] = '\0';
}

/* "NNNkB" (or KB, or no unit). */
long long dm_kb_val(const char *s, const char *key)
{
	long long v;

	if (!dm_tok_num(s, key, &v))
		return LP_UNKNOWN;
	return v;
}
