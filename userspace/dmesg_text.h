/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_DMESG_TEXT_H
#define OOMDIAG_DMESG_TEXT_H
/* Scanners shared by the parsers of the kernel's printers (dmesg_*.c). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool dm_starts(const char *s, const char *prefix);
const char *dm_skip_sp(const char *s);
/* Decimal (optionally negative) at s; *end after it.  false if no digits. */
bool dm_parse_ll(const char *s, long long *v, const char **end);
/* Hex with or without "0x". */
bool dm_parse_hex(const char *s, uint64_t *v, const char **end);
/* Number after "key" somewhere in s (key includes its ':' or '='). */
bool dm_num_after(const char *s, const char *key, long long *v);
/* Like dm_num_after but the key must start a token (after ' ', ',', TAB or start). */
bool dm_tok_num(const char *s, const char *key, long long *v);
/* Copy at most n-1 bytes of [s, e) into dst. */
void dm_copy_span(char *dst, size_t n, const char *s, const char *e);
/* "NNNkB" after a token key, LP_UNKNOWN when absent. */
long long dm_kb_val(const char *s, const char *key);

#endif
