/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_TRACE_H
#define OOMDIAG_TRACE_H
/* `oomdiag trace`: attach the CO-RE probes and stream events. */
#include <stddef.h>
#include <stdint.h>

int cmd_trace(int argc, char **argv);
/* Parse a kernel cpulist ("0-3,8") into MASK; *IDS = highest id + 1. */
int trace_cpulist(const char *s, uint64_t *mask, size_t words, unsigned int *ids);
#endif
