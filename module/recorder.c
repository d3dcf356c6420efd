// SPDX-License-Identifier: GPL-2.0
/* Flight recorder: hooks, ring and the "events" file. */
#include "oomdiag.h"

int oomdiag_recorder_init(struct dentry *dir)
{
	return 0;
}

void oomdiag_recorder_exit(void)
{
}
