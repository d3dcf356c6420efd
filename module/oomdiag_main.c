// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag: explain memory allocation failures and OOM kills.
 *
 * Exports read-only views of the page allocator and the OOM killer's
 * ranking, and a flight recorder of allocation failures, OOM kills and
 * refused address-space requests, under /sys/kernel/debug/oomdiag/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/module.h>

#include "failstats.h"
#include "ledger.h"
#include "oomdiag.h"

static struct dentry *oomdiag_dir;

static int __init oomdiag_init(void)
{
	int err;

	oomdiag_dir = debugfs_create_dir("oomdiag", NULL);
	if (IS_ERR_OR_NULL(oomdiag_dir)) {
		pr_err("cannot create debugfs directory (is debugfs enabled and not locked down?)\n");
		return oomdiag_dir ? PTR_ERR(oomdiag_dir) : -ENODEV;
	}

	err = oomdiag_views_init(oomdiag_dir);
	if (err)
		goto err_remove_dir;

	/* The OOM victims' command line reader, before any hook runs. */
	oomdiag_ledger_init();

	err = oomdiag_recorder_init(oomdiag_dir);
	if (err)
		goto err_views;

	/* Failure counts by order, gfp and caller (static table). */
	err = rec_failstats_init(oomdiag_dir);
	if (err)
		goto err_recorder;

	return 0;

err_recorder:
	/* The files go before what they read, as in oomdiag_exit(). */
	debugfs_remove_recursive(oomdiag_dir);
	oomdiag_recorder_exit();
	oomdiag_ledger_exit();
	oomdiag_views_exit();
	return err;
err_views:
	/* No reader may be inside a view when what it reads goes. */
	debugfs_remove_recursive(oomdiag_dir);
	oomdiag_ledger_exit();
	oomdiag_views_exit();
	return err;
err_remove_dir:
	debugfs_remove_recursive(oomdiag_dir);
	return err;
}

static void __exit oomdiag_exit(void)
{
	/* Hooks go first so nothing writes into what is torn down next. */
	oomdiag_recorder_exit();
	debugfs_remove_recursive(oomdiag_dir);
	oomdiag_ledger_exit();
	oomdiag_views_exit();
}

module_init(oomdiag_init);
module_exit(oomdiag_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Explain memory allocation failures and OOM kills");
MODULE_AUTHOR("oomdiag developers");
