/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_EXPLAIN_H
#define OOMDIAG_EXPLAIN_H
/* `oomdiag explain [FILE|-]`: extract and explain reports from kernel log text. */
int cmd_explain(int argc, char **argv);
#endif
