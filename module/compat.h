/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels oomdiag supports, one shim per
 * change, each naming the version or commit it absorbs.  Feature tests
 * (macros the change added or removed) are preferred to version numbers:
 * distribution backports make version numbers lie.
 */
#ifndef OOMDIAG_COMPAT_H
#define OOMDIAG_COMPAT_H

#include <linux/mmzone.h>

/*
 * v6.8 (commit fd37721803c6 "mm, treewide: introduce NR_PAGE_ORDERS")
 * replaced the exclusive MAX_ORDER with MAX_PAGE_ORDER/NR_PAGE_ORDERS.
 */
#ifndef NR_PAGE_ORDERS
#define NR_PAGE_ORDERS MAX_ORDER
#endif

#endif /* OOMDIAG_COMPAT_H */
