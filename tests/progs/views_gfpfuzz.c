// SPDX-License-Identifier: GPL-2.0
/*
 * views_gfpfuzz FILE COUNT MAX_ORDER [SEED]
 *
 * Write COUNT random byte strings to the gfp view FILE through one open
 * file: random bytes, and valid requests with one byte changed, inserted
 * or dropped.  Each write must be accepted exactly when it matches the
 * grammar "0x" 1-8 hex digits [" " 1-2 decimal digits <= MAX_ORDER] ["\n"]
 * (EINVAL otherwise, or 0 for an empty write), and after each write the
 * file must show the last accepted mask and order.  Prints a summary;
 * exits 1 on the first disagreement, 2 on usage or I/O errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long long rng_state;

static unsigned int rnd(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng_state >> 33;
}

static int ishex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The grammar, independently of the module: 1 and the values if valid. */
static int valid(const char *s, size_t len, unsigned int max_order,
		 unsigned long *mask, unsigned int *order)
{
	size_t i = 2, n;
	char tmp[16];

	if (len && s[len - 1] == '\n')
		len--;
	if (len < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return 0;
	while (i < len && ishex((unsigned char)s[i]))
		i++;
	n = i - 2;
	if (n < 1 || n > 8)
		return 0;
	memcpy(tmp, s + 2, n);
	tmp[n] = '\0';
	*mask = strtoul(tmp, NULL, 16);
	*order = 0;
	if (i == len)
		return 1;
	if (s[i++] != ' ')
		return 0;
	for (n = 0; i + n < len && s[i + n] >= '0' && s[i + n] <= '9'; n++)
		;
	if (n < 1 || n > 2 || i + n != len)
		return 0;
	memcpy(tmp, s + i, n);
	tmp[n] = '\0';
	*order = atoi(tmp);
	return *order <= max_order;
}

/* The mask and order the open file shows now. */
static int shown(int fd, unsigned long *mask, unsigned int *order)
{
	char buf[8192], *p;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nmask=");
	if (!p)
		return 0;
	*mask = strtoul(p + 6, NULL, 16);
	p = strstr(buf, "\norder=");
	if (!p)
		return -1;
	*order = atoi(p + 7);
	return 1;
}

static size_t make_input(char *s, unsigned int max_order)
{
	static const char *seeds[] = { "0x400cc0", "0x140cca 0", "0xcc0 3\n", "0x2800 10",
				       "0x0", "0xffffffff 1", "0x100cca\n", "0X1 2" };
	size_t len;
	unsigned int i, k = rnd() % 4;

	if (k == 0) {	/* random bytes */
		len = rnd() % 40;
		for (i = 0; i < len; i++)
			s[i] = rnd() & 0xff;
		return len;
	}
	if (k == 1) {	/* a valid request, then fresh values */
		len = sprintf(s, "0x%x", rnd());
		if (rnd() % 2)
			len += sprintf(s + len, " %u", rnd() % (max_order + 3));
		if (rnd() % 2)
			s[len++] = '\n';
		return len;
	}
	strcpy(s, seeds[rnd() % 8]);
	len = strlen(s);
	i = len ? rnd() % (len + 1) : 0;
	if (k == 2 && len) {			/* change one byte */
		s[i % len] = rnd() & 0xff;
	} else if (k == 3) {			/* insert or drop one byte */
		if (rnd() % 2 && len) {
			memmove(s + i % len, s + i % len + 1, len - i % len);
			len--;
		} else {
			memmove(s + i + 1, s + i, len - i + 1);
			s[i] = " x0\n9aZ\t-+"[rnd() % 11];
			len++;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	unsigned long cur_mask = 0, m = 0, want_mask;
	unsigned int cur_order = 0, o = 0, want_order, max_order;
	long count, i, accepted = 0, rejected = 0;
	int fd, have = 0, r;

	if (argc < 4) {
		fprintf(stderr, "usage: views_gfpfuzz FILE COUNT MAX_ORDER [SEED]\n");
		return 2;
	}
	count = atol(argv[2]);
	max_order = atoi(argv[3]);
	rng_state = argc > 4 ? strtoull(argv[4], NULL, 0) : 1;
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	for (i = 0; i < count; i++) {
		char s[64];
		size_t len = make_input(s, max_order);
		int ok = valid(s, len, max_order, &want_mask, &want_order);
		ssize_t n = write(fd, s, len);

		if (ok && n == (ssize_t)len) {
			accepted++;
			cur_mask = want_mask;
			cur_order = want_order;
			have = 1;
		} else if (!ok && ((n < 0 && errno == EINVAL) || (len == 0 && n == 0))) {
			rejected++;
		} else {
			printf("write %ld of %zu bytes: expected %s, got %zd (%s)\n", i, len,
			       ok ? "accept" : "EINVAL", n, n < 0 ? strerror(errno) : "ok");
			return 1;
		}
		r = shown(fd, &m, &o);
		if (r < 0 || r != have || (have && (m != cur_mask || o != cur_order))) {
			printf("after write %ld: file shows %d %#lx/%u, expected %d %#lx/%u\n",
			       i, r, m, o, have, cur_mask, cur_order);
			return 1;
		}
	}
	printf("%ld writes: %ld accepted, %ld rejected, state always the last accepted\n",
	       count, accepted, rejected);
	return 0;
}
