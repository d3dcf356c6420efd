/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_KSYMS_H
#define OOMDIAG_KSYMS_H
/*
 * Kernel symbols from /proc/kallsyms (root sees real addresses; otherwise
 * every address reads 0 and ksyms_load() fails with EPERM).
 */
#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint64_t addr;
	char type;		/* kallsyms type letter: t T d D b B ... */
	const char *name;
	const char *module;	/* NULL for vmlinux */
};

struct ksyms;

/* Load PATH (NULL: /proc/kallsyms); NULL with errno set on failure. */
struct ksyms *ksyms_load(const char *path);
void ksyms_free(struct ksyms *ks);
size_t ksyms_count(const struct ksyms *ks);
/* The text symbol containing ADDR, and its size (distance to the next). */
const struct ksym *ksyms_addr(const struct ksyms *ks, uint64_t addr, uint64_t *size);
/* The symbol called NAME exactly (first one), or NULL. */
const struct ksym *ksyms_name(const struct ksyms *ks, const char *name);
/*
 * The symbol NAME, or failing that NAME.SUFFIX for a compiler clone
 * (.isra.0, .constprop.0, ...), never the .cold half of a split function.
 */
const struct ksym *ksyms_func(const struct ksyms *ks, const char *name);
/* A data symbol NAME or NAME.N (function-local statics), or NULL. */
const struct ksym *ksyms_var(const struct ksyms *ks, const char *name);
/* Print "sym+0xOFF/0xSIZE [mod]" (like %pS) for ADDR into BUF. */
int ksyms_format(const struct ksyms *ks, uint64_t addr, char *buf, size_t len);
#endif
