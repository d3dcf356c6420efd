/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of the read-only views (views.c and the view files). */
#ifndef OOMDIAG_VIEWS_H
#define OOMDIAG_VIEWS_H

#include <linux/fs.h>

extern const struct file_operations oomdiag_buddyinfo_fops;
extern const struct file_operations oomdiag_gfp_fops;
extern const struct file_operations oomdiag_tasks_fops;
extern const struct file_operations oomdiag_tasks_bin_fops;
extern const struct file_operations oomdiag_overcommit_fops;

/* Root only, on top of the file modes: every view's open() calls this. */
int oomdiag_view_may_open(void);

/*
 * Values the kernel keeps in unexported variables (sysctl_overcommit_*,
 * total_swap_pages, hugetlb_total_pages()), read where the kernel itself
 * publishes them: /proc/sys/vm/NAME (one number) and "KEY: N kB" lines of
 * /proc/meminfo.  Process context only (they open and read a file).
 * Return 0 or a negative errno.
 */
/* A procfs file by its path under /proc, from the module's own procfs mount. */
ssize_t oomdiag_read_proc(const char *path, char *buf, size_t len);
int oomdiag_read_sysctl_vm(const char *name, unsigned long *val);
int oomdiag_read_meminfo_kb(const char *key, unsigned long *kb);

#endif /* OOMDIAG_VIEWS_H */
