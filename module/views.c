// SPDX-License-Identifier: GPL-2.0
/* Read-only views: registered here, one file per view. */
#include "oomdiag.h"

int oomdiag_views_init(struct dentry *dir)
{
	return 0;
}

void oomdiag_views_exit(void)
{
}
