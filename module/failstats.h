/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page allocation failures counted by (order, gfp mask, caller), whether or
 * not a record of them is kept: failstats.c, debugfs "failures".
 */
#ifndef OOMDIAG_FAILSTATS_H
#define OOMDIAG_FAILSTATS_H

#include <linux/gfp.h>
#include <linux/types.h>

struct dentry;
struct seq_file;

/*
 * Count one failed allocation of current (any context, no sleeping, no
 * allocation).  Returns false when the caller must not take a record of
 * it: its key already has fail_records_per_key records in this second.
 */
bool rec_failstats_add(unsigned int order, gfp_t gfp);
/*
 * May a warn_alloc() call take a record (fail_records_per_key)?  @ret is its
 * return address.  Counts the records not taken (warn_counted_only).
 */
bool rec_failstats_warn(unsigned int order, gfp_t gfp, unsigned long ret);
/* "# failstats ..." line of the events header. */
void rec_failstats_print(struct seq_file *m);
int rec_failstats_init(struct dentry *dir);

#endif /* OOMDIAG_FAILSTATS_H */
