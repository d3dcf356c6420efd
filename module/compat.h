/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels oomdiag supports, one shim per
 * change, each naming the version or commit it absorbs.  Feature tests
 * (macros the change added or removed) are preferred to version numbers:
 * distribution backports make version numbers lie.  Where a change left no
 * macro behind, module/Kbuild greps the kernel's headers and passes an
 * OOMDIAG_HAVE_* define (see the comment there).
 */
#ifndef OOMDIAG_COMPAT_H
#define OOMDIAG_COMPAT_H

#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mount.h>
#include <linux/preempt.h>

/*
 * v6.8 (commit fd37721803c6 "mm, treewide: introduce NR_PAGE_ORDERS")
 * replaced the exclusive MAX_ORDER with MAX_PAGE_ORDER/NR_PAGE_ORDERS.
 */
#ifndef NR_PAGE_ORDERS
#define NR_PAGE_ORDERS MAX_ORDER
#endif

/*
 * migratetype_names[] is not exported.  The list is the same on every
 * supported kernel (v5.10 .. v7.2, mm/page_alloc.c) and depends only on
 * CONFIG_CMA and CONFIG_MEMORY_ISOLATION, exactly like enum migratetype.
 */
static inline const char *oomdiag_migratetype_name(int mt)
{
	switch (mt) {
	case MIGRATE_UNMOVABLE:
		return "Unmovable";
	case MIGRATE_MOVABLE:
		return "Movable";
	case MIGRATE_RECLAIMABLE:
		return "Reclaimable";
	case MIGRATE_HIGHATOMIC:
		return "HighAtomic";
#ifdef CONFIG_CMA
	case MIGRATE_CMA:
		return "CMA";
#endif
#ifdef CONFIG_MEMORY_ISOLATION
	case MIGRATE_ISOLATE:
		return "Isolate";
#endif
	default:
		return "invalid";
	}
}

/*
 * gfp_migratetype() reads page_group_by_mobility_disabled, which is not
 * exported, and gfp.h #undefs GFP_MOVABLE_MASK after it.  Mobility
 * grouping is only disabled on machines with fewer pages than
 * pageblock_nr_pages * MIGRATE_TYPES (a few tens of MB), so the mask alone
 * decides.
 */
#define OOMDIAG_GFP_MOBILITY_MASK	(__GFP_RECLAIMABLE | __GFP_MOVABLE)

static inline int oomdiag_gfp_migratetype(gfp_t gfp)
{
	return (__force unsigned int)(gfp & OOMDIAG_GFP_MOBILITY_MASK) >>
		ilog2(___GFP_MOVABLE);
}

/*
 * v6.3 (commit 1ebbb21811b7 "mm/page_alloc: explicitly define how __GFP_HIGH
 * non-blocking allocations accesses reserves" and its series) replaced
 * ALLOC_HARDER (set by __GFP_ATOMIC) with ALLOC_NON_BLOCK (set by the lack
 * of __GFP_DIRECT_RECLAIM) and ALLOC_HIGHATOMIC; v6.6 dropped __GFP_ATOMIC.
 * The series was backported to the 6.1 (6.1.116, November 2024) and 5.15
 * stable trees without touching any header (__GFP_ATOMIC stays defined
 * there), so no feature test exists and module/Kbuild compares the kernel
 * version (LINUX_VERSION_CODE of the build tree: Debian keeps SUBLEVEL 0 in
 * its Makefile but the real one there): checked in the sources, Debian's
 * 6.1.176 has the new rules, 5.10.223 the old.  5.15.y is treated as old.
 * Without the Kbuild define, a kernel without __GFP_ATOMIC has the new.
 */
#ifndef OOMDIAG_ALLOC_NON_BLOCK
#ifdef __GFP_ATOMIC
#define OOMDIAG_ALLOC_NON_BLOCK 0
#else
#define OOMDIAG_ALLOC_NON_BLOCK 1
#endif
#endif

/*
 * v6.17 (mm_flags_t, "mm: convert mm->flags to a bitmap") made mm->flags
 * private; the accessors came with NUM_MM_FLAG_BITS.
 */
#ifdef NUM_MM_FLAG_BITS
#define oomdiag_mm_flag(mm, bit)	mm_flags_test(bit, mm)
#else
#define oomdiag_mm_flag(mm, bit)	test_bit(bit, &(mm)->flags)
#endif

/*
 * oom_badness() and /proc/PID/oom_score read the rss counters precisely
 * (percpu_counter_sum) since get_mm_rss_sum() was added for them (v6.19);
 * before, with the percpu counters of v6.2, they read the approximate
 * value, and before v6.2 the split counters.  get_mm_counter() is the
 * right call on every kernel that has no get_mm_rss_sum().  Detected by
 * module/Kbuild (OOMDIAG_HAVE_GET_MM_RSS_SUM, passed to taskinfo.o only:
 * use the counters through taskinfo.h).  Not for atomic context
 * on kernels with the sum: percpu_counter_sum() takes a raw spinlock
 * with irqs saved, which is fine there, but walks every CPU.
 */
#ifdef OOMDIAG_HAVE_GET_MM_RSS_SUM
#define oomdiag_mm_counter(mm, member)	get_mm_counter_sum(mm, member)
#else
#define oomdiag_mm_counter(mm, member)	get_mm_counter(mm, member)
#endif

/* v5.0 added watermark_boost; every supported kernel has it. */
static inline unsigned long oomdiag_wmark_boost(const struct zone *zone)
{
	return READ_ONCE(zone->watermark_boost);
}

/*
 * v7.0 cycle: system_unbound_wq was renamed system_dfl_wq; the old name
 * still works but logs a deprecation notice.  Detected by module/Kbuild.
 */
#ifdef OOMDIAG_HAVE_SYSTEM_DFL_WQ
#define oomdiag_unbound_wq system_dfl_wq
#else
#define oomdiag_unbound_wq system_unbound_wq
#endif

/*
 * v5.12 ("fs: make file_open_root() take struct path") added
 * file_open_root_mnt(); before, file_open_root() took the dentry and the
 * mount.  Detected by module/Kbuild (OOMDIAG_HAVE_FILE_OPEN_ROOT_MNT).
 */
static inline struct file *oomdiag_open_in_mnt(struct vfsmount *mnt, const char *name, int flags)
{
#ifdef OOMDIAG_HAVE_FILE_OPEN_ROOT_MNT
	return file_open_root_mnt(mnt, name, flags, 0);
#else
	return file_open_root(mnt->mnt_root, mnt, name, flags, 0);
#endif
}

/*
 * v7.0 cycle: tracepoint probes run under guard(srcu_fast_notrace), i.e.
 * preemptible (7.2 include/linux/tracepoint.h; Debian's 7.2 is
 * PREEMPT_LAZY), where v5.10..v6.12 call them with preemption off.  A
 * probe that builds a record in per-CPU scratch brackets that part with
 * these.  Disabling preemption nests, so the same code is right under
 * either convention and needs no detection that could miss a backport.
 */
#define oomdiag_tp_probe_begin()	preempt_disable_notrace()
#define oomdiag_tp_probe_end()		preempt_enable_notrace()

#endif /* OOMDIAG_COMPAT_H */
