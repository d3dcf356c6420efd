/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the parts of oomdiag.ko: the debugfs
 * directory, the views and the flight recorder.
 */
#ifndef OOMDIAG_H
#define OOMDIAG_H

#include <linux/debugfs.h>
#include "oomdiag_event.h"

/* Views: read-only files computed on read (views.c and the files it lists). */
int oomdiag_views_init(struct dentry *dir);
void oomdiag_views_exit(void);

/* Flight recorder: hooks, ring and the "events" file (recorder.c). */
int oomdiag_recorder_init(struct dentry *dir);
void oomdiag_recorder_exit(void);

/*
 * Lock-free snapshot of every populated zone: free blocks per order, free
 * pages, watermarks, free CMA.  Safe in any context (reads only counters the
 * kernel itself reads locklessly for /proc/buddyinfo).  Returns the number
 * of zones written, at most @max.
 */
unsigned int oomdiag_snap_zones(struct oomdiag_zone_snap *snap, unsigned int max);

#endif /* OOMDIAG_H */
