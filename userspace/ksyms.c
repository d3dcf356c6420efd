// SPDX-License-Identifier: GPL-2.0
/* Kernel symbol lookup from /proc/kallsyms, for stack symbolisation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ksyms.h"

struct ksyms {
	struct ksym *syms;	/* sorted by address */
	size_t nr, cap;
	char *strs;		/* all names, one block */
	size_t strs_len, strs_cap;
};

static int add_str(struct ksyms *ks, const char *s, size_t *off)
{
	size_t n = strlen(s) + 1;

	if (ks->strs_len + n > ks->strs_cap) {
		size_t cap = ks->strs_cap ? ks->strs_cap * 2 : 1 << 20;
		char *p;

		while (cap < ks->strs_len + n)
			cap *= 2;
		p = realloc(ks->strs, cap);
		if (!p)
			return -ENOMEM;
		ks->strs = p;
		ks->strs_cap = cap;
	}
	memcpy(ks->strs + ks->strs_len, s, n);
	*off = ks->strs_len;
	ks->strs_len += n;
	return 0;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ksyms *ksyms_load(const char *path)
{
	struct ksyms *ks = calloc(1, sizeof(*ks));
	char line[512], name[256], mod[128], type;
	unsigned long long addr;
	size_t i, nonzero = 0;
	FILE *f;

	if (!ks)
		return NULL;
	f = fopen(path ? path : "/proc/kallsyms", "r");
	if (!f)
		goto fail;
	while (fgets(line, sizeof(line), f)) {
		size_t noff, moff = (size_t)-1;
		int n;

		mod[0] = 0;
		n = sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod);
		if (n < 3)
			continue;
		if (ks->nr == ks->cap) {
			size_t cap = ks->cap ? ks->cap * 2 : 65536;
			struct ksym *p = realloc(ks->syms, cap * sizeof(*p));

			if (!p)
				goto fail_close;
			ks->syms = p;
			ks->cap = cap;
		}
		if (add_str(ks, name, &noff) || (mod[0] && add_str(ks, mod, &moff)))
			goto fail_close;
		ks->syms[ks->nr].addr = addr;
		ks->syms[ks->nr].type = type;
		/* offsets now, pointers once strs stops moving */
		ks->syms[ks->nr].name = (const char *)(uintptr_t)noff;
		ks->syms[ks->nr].module = mod[0] ? (const char *)(uintptr_t)moff : NULL;
		ks->nr++;
		if (addr)
			nonzero++;
	}
	fclose(f);
	if (!nonzero) {
		errno = EPERM;	/* kptr_restrict: addresses hidden */
		goto fail;
	}
	for (i = 0; i < ks->nr; i++) {
		ks->syms[i].name = ks->strs + (uintptr_t)ks->syms[i].name;
		if (ks->syms[i].module)
			ks->syms[i].module = ks->strs + (uintptr_t)ks->syms[i].module;
	}
	qsort(ks->syms, ks->nr, sizeof(*ks->syms), cmp_addr);
	return ks;
fail_close:
	fclose(f);
	errno = ENOMEM;
fail:
	{
		int e = errno;

		free(ks->syms);
		free(ks->strs);
		free(ks);
		errno = e;
	}
	return NULL;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->strs);
	free(ks);
}

size_t ksyms_count(const struct ksyms *ks)
{
	return ks ? ks->nr : 0;
}

static int is_text(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

const struct ksym *ksyms_addr(const struct ksyms *ks, uint64_t addr, uint64_t *size)
{
	size_t lo = 0, hi, i;

	if (!ks || !ks->nr || addr < ks->syms[0].addr)
		return NULL;
	hi = ks->nr;
	while (hi - lo > 1) {		/* last symbol with sym.addr <= addr */
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/* prefer a text symbol among those at the same address */
	i = lo;
	while (i > 0 && ks->syms[i - 1].addr == ks->syms[lo].addr && !is_text(ks->syms[i].type))
		i--;
	if (size) {
		size_t j = lo + 1;

		while (j < ks->nr && ks->syms[j].addr == ks->syms[lo].addr)
			j++;
		*size = j < ks->nr ? ks->syms[j].addr - ks->syms[lo].addr : 0;
	}
	return &ks->syms[i];
}

const struct ksym *ksyms_name(const struct ksyms *ks, const char *name)
{
	size_t i;

	for (i = 0; ks && i < ks->nr; i++)
		if (!strcmp(ks->syms[i].name, name))
			return &ks->syms[i];
	return NULL;
}

const struct ksym *ksyms_func(const struct ksyms *ks, const char *name)
{
	const struct ksym *best = NULL;
	size_t i, n = strlen(name);

	for (i = 0; ks && i < ks->nr; i++) {
		const struct ksym *s = &ks->syms[i];

		if (s->module || !is_text(s->type) || strncmp(s->name, name, n))
			continue;
		if (!s->name[n])
			return s;
		if (s->name[n] == '.' && !strstr(s->name + n, ".cold") && !best)
			best = s;
	}
	return best;
}

const struct ksym *ksyms_var(const struct ksyms *ks, const char *name)
{
	const struct ksym *best = NULL;
	size_t i, n = strlen(name);

	for (i = 0; ks && i < ks->nr; i++) {
		const struct ksym *s = &ks->syms[i];

		if (s->module || strncmp(s->name, name, n))
			continue;
		if (s->name[n] && s->name[n] != '.')
			continue;
		/* data first; 7.x kallsyms labels some statics 't' */
		if (!is_text(s->type))
			return s;
		if (!best)
			best = s;
	}
	return best;
}

int ksyms_format(const struct ksyms *ks, uint64_t addr, char *buf, size_t len)
{
	uint64_t size = 0;
	const struct ksym *s = ksyms_addr(ks, addr, &size);

	/* past the last symbol, or not inside one: never print a raw address */
	if (!s || (size && addr - s->addr >= size) || (!size && addr - s->addr >= 0x100000))
		return snprintf(buf, len, "?");
	if (s->module)
		return snprintf(buf, len, "%s+0x%llx/0x%llx [%s]", s->name,
				(unsigned long long)(addr - s->addr),
				(unsigned long long)size, s->module);
	return snprintf(buf, len, "%s+0x%llx/0x%llx", s->name,
			(unsigned long long)(addr - s->addr), (unsigned long long)size);
}
