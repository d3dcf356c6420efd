/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_TRACE_H
#define OOMDIAG_TRACE_H
/* `oomdiag trace` (cli.h has the command): what the unit tests reach. */
#include <stddef.h>
#include <stdint.h>

/* Parse a kernel cpulist ("0-3,8") into MASK; *IDS = highest id + 1. */
int trace_cpulist(const char *s, uint64_t *mask, size_t words, unsigned int *ids);
#endif
