// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only views: one debugfs file per view, computed on read.
 *
 *   buddyinfo   0400  buddyinfo.c
 *   gfp         0600  gfp_view.c (per-open state written by the reader)
 *   tasks       0400  tasks.c
 *   tasks.bin   0400  tasks.c
 *   overcommit  0400  overcommit.c
 *
 * And the helpers they share: the root check and the readers of values the
 * kernel publishes only through procfs.  Those read a procfs mount of the
 * module's own, never the reader's /proc: in a chroot without /proc, or in
 * a container whose /proc/meminfo is lxcfs's, the reader's would give
 * swap 0 or the container's numbers (issue 14).
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "oomdiag.h"
#include "views.h"

static struct vfsmount *proc_mnt;

int oomdiag_view_may_open(void)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

/*
 * Read up to @len - 1 bytes of procfs file @path ("meminfo",
 * "sys/vm/max_map_count") into @buf, NUL-terminated.  Process context.
 */
ssize_t oomdiag_read_proc(const char *path, char *buf, size_t len)
{
	struct file *f;
	loff_t pos = 0;
	size_t got = 0;
	ssize_t n;

	if (!proc_mnt)
		return -ENOENT;
	f = oomdiag_open_in_mnt(proc_mnt, path, O_RDONLY);
	if (IS_ERR(f))
		return PTR_ERR(f);
	while (got < len - 1) {
		n = kernel_read(f, buf + got, len - 1 - got, &pos);
		if (n < 0) {
			got = n;
			goto out_close;
		}
		if (n == 0)
			break;
		got += n;
	}
	buf[got] = '\0';
out_close:
	filp_close(f, NULL);
	return got;
}

int oomdiag_read_sysctl_vm(const char *name, unsigned long *val)
{
	char path[64];
	char buf[32];
	ssize_t n;

	if (snprintf(path, sizeof(path), "sys/vm/%s", name) >= sizeof(path))
		return -ENAMETOOLONG;
	n = oomdiag_read_proc(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	return kstrtoul(strim(buf), 10, val);
}

int oomdiag_read_meminfo_kb(const char *key, unsigned long *kb)
{
	size_t klen = strlen(key);
	const size_t len = 8192;
	char *buf, *line, *p;
	ssize_t n;
	int err = -ENOENT;

	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = oomdiag_read_proc("meminfo", buf, len);
	if (n < 0) {
		err = n;
		goto out_free;
	}
	p = buf;
	while ((line = strsep(&p, "\n")) != NULL) {
		char *num, *end;

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		num = skip_spaces(line + klen + 1);
		end = num;
		while (*end >= '0' && *end <= '9')
			end++;
		if (end == num)
			break;
		*end = '\0';
		err = kstrtoul(num, 10, kb);
		break;
	}
out_free:
	kfree(buf);
	return err;
}

int oomdiag_views_init(struct dentry *dir)
{
	static const struct {
		const char *name;
		umode_t mode;
		const struct file_operations *fops;
	} views[] = {
		{ "buddyinfo", 0400, &oomdiag_buddyinfo_fops },
		{ "gfp", 0600, &oomdiag_gfp_fops },
		{ "tasks", 0400, &oomdiag_tasks_fops },
		{ "tasks.bin", 0400, &oomdiag_tasks_bin_fops },
		{ "overcommit", 0400, &oomdiag_overcommit_fops },
	};
	struct file_system_type *proc_type;
	struct dentry *d;
	unsigned int i;

	/* procfs is built in (no module owner): no reference to put. */
	proc_type = get_fs_type("proc");
	if (!proc_type)
		return -ENOENT;
	proc_mnt = kern_mount(proc_type);
	if (IS_ERR(proc_mnt)) {
		int err = PTR_ERR(proc_mnt);

		proc_mnt = NULL;
		return err;
	}
	for (i = 0; i < ARRAY_SIZE(views); i++) {
		d = debugfs_create_file(views[i].name, views[i].mode, dir, NULL,
					views[i].fops);
		if (IS_ERR_OR_NULL(d)) {
			/* The caller removes the directory with what is in it. */
			kern_unmount(proc_mnt);
			proc_mnt = NULL;
			return d ? PTR_ERR(d) : -ENOMEM;
		}
	}
	return 0;
}

/*
 * The files go with the directory (oomdiag_main.c removes it recursively,
 * before this runs: no reader is left).
 */
void oomdiag_views_exit(void)
{
	if (proc_mnt)
		kern_unmount(proc_mnt);
	proc_mnt = NULL;
}
