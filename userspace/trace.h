/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_TRACE_H
#define OOMDIAG_TRACE_H
/* `oomdiag trace`: attach the CO-RE probes and stream events. */
int cmd_trace(int argc, char **argv);
#endif
