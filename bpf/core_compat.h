/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Every CO-RE fallback of bpf/oomdiag.bpf.c, in one place.
 *
 * bpf/vmlinux.h is generated from the Debian 6.1 kernel's BTF
 * (scripts/gen-vmlinux-h.sh).  Layouts that differ on other kernels of the
 * matrix (5.10, 6.1, 6.12, sid/7.x) are declared here as "___flavor" types:
 * libbpf strips the suffix and matches them against the running kernel's
 * BTF, and bpf_core_field_exists()/bpf_core_type_exists() pick the branch at
 * load time (the dead one is never verified).  No version numbers: Debian
 * backports (e.g. mark_victim into 6.1) make version checks lie.
 */
#ifndef OOMDIAG_CORE_COMPAT_H
#define OOMDIAG_CORE_COMPAT_H

#include <bpf/bpf_core_read.h>

/*
 * An unsigned long at @addr, 0 if it cannot be read: a failed
 * bpf_probe_read_kernel() zeroes its buffer, so a weak ksym that did not
 * resolve (address 0) or a missing node reads as 0 without a branch (a
 * branch per read would multiply the verifier's states; bpf/zone_snap.h).
 */
static __always_inline __u64 read_ulong(const void *addr)
{
	unsigned long v;

	bpf_probe_read_kernel(&v, sizeof(v), addr);
	return v;
}

/*
 * mm rss counters: struct mm_rss_stat { atomic_long_t count[NR_MM_COUNTERS]; }
 * up to 6.1, an array of struct percpu_counter since 6.2 (commit
 * f1a7941243c1 "mm: convert mm's rss stats into percpu_counter").  The
 * kernel's own get_mm_counter() (used by the "Killed process" line) reads
 * percpu_counter_read_positive(), i.e. .count, which is what we read too.
 */
struct mm_struct___pcpu_rss {
	struct percpu_counter rss_stat[4];
} __attribute__((preserve_access_index));

/* NR_MM_COUNTERS indices, stable since 2.6.34 (mm_types_task.h). */
#define OOMDIAG_MM_FILEPAGES	0
#define OOMDIAG_MM_ANONPAGES	1
#define OOMDIAG_MM_SWAPENTS	2
#define OOMDIAG_MM_SHMEMPAGES	3

/*
 * The exact value of a percpu_counter: count plus every possible CPU's
 * pending delta (what percpu_counter_sum() computes; 7.x's "Killed process"
 * line prints it, 6.12's prints the approximate .count).  Needs
 * __per_cpu_offset[] (typeless ksym) and, from userspace, cpu_ids (the
 * highest possible CPU id + 1, not the number of CPUs: the possible mask
 * may be sparse) and the possible mask itself (__per_cpu_offset[] of an
 * impossible CPU points at the boot template, not at a per-CPU area).  Both
 * are read-only data, so the verifier walks the loop cpu_ids times, not
 * OOMDIAG_MAX_CPUS (8192: Debian's MAXSMP NR_CPUS).
 */
extern const void __per_cpu_offset __ksym __weak;
#define OOMDIAG_MAX_CPUS 8192
const volatile __u32 cpu_ids = 1;	/* highest possible CPU id + 1 */
const volatile __u64 cpu_possible[OOMDIAG_MAX_CPUS / 64] = { 1 };

static __always_inline bool oomdiag_cpu_possible(__u32 cpu)
{
	return cpu < OOMDIAG_MAX_CPUS && (cpu_possible[(cpu / 64) & (OOMDIAG_MAX_CPUS / 64 - 1)] >>
					  (cpu % 64) & 1);
}

/* __per_cpu_offset[cpu], 0 when it cannot be read (never a real offset on SMP x86-64). */
static __always_inline unsigned long oomdiag_cpu_offset(__u32 cpu)
{
	unsigned long off = 0;

	if (bpf_probe_read_kernel(&off, sizeof(off), (const char *)&__per_cpu_offset +
				  (cpu & (OOMDIAG_MAX_CPUS - 1)) * sizeof(off)))
		return 0;
	return off;
}

/*
 * If any possible CPU's offset or delta cannot be read, the approximate
 * .count alone (percpu_counter_read(), what 6.2-6.12's "Killed process"
 * line prints; off by at most batch * CPUs pages), never a partial sum.
 */
static __always_inline s64 oomdiag_pcpu_sum(struct percpu_counter *fbc)
{
	s64 count = 0, sum;
	s32 *counters = NULL;
	__u32 cpu;

	bpf_core_read(&count, sizeof(count), &fbc->count);
	if (!bpf_core_field_exists(fbc->counters))
		return count;	/* !CONFIG_SMP: count is exact */
	bpf_core_read(&counters, sizeof(counters), &fbc->counters);
	if (!counters || !&__per_cpu_offset)
		return count;
	sum = count;
	for (cpu = 0; cpu < OOMDIAG_MAX_CPUS && cpu < cpu_ids; cpu++) {
		unsigned long off;
		s32 d = 0;

		if (!oomdiag_cpu_possible(cpu))
			continue;
		off = oomdiag_cpu_offset(cpu);
		if (!off || bpf_probe_read_kernel(&d, sizeof(d), (const char *)counters + off))
			return count;
		sum += d;
	}
	return sum;
}

/*
 * preempt_count, for the context= of an event (x86-64): the per-CPU int
 * __preempt_count up to 6.1 and again since 6.15 (x86: "Move
 * preempt_count back to a per-CPU variable"), a member of the per-CPU
 * struct pcpu_hot from 6.2 (commit 64701838bf05) to 6.14.  Both symbols
 * are typeless weak ksyms: whichever exists is read at
 * symbol + __per_cpu_offset[cpu], as per_cpu_ptr() does.
 */
extern const void __preempt_count __ksym __weak;
extern const void pcpu_hot __ksym __weak;

struct pcpu_hot___local {
	int preempt_count;
} __attribute__((preserve_access_index));

#define OOMDIAG_NMI_MASK	0x00f00000	/* NMI_BITS is 1 up to 5.10, 4 since */
#define OOMDIAG_NMI_OFFSET	0x00100000
#define OOMDIAG_HARDIRQ_MASK	0x000f0000
#define OOMDIAG_HARDIRQ_OFFSET	0x00010000
#define OOMDIAG_SOFTIRQ_OFFSET	0x00000100

/* OOMDIAG_CTX_* of the probed code, as module/ring.c computes it. */
static __always_inline __u8 oomdiag_context(void)
{
	const char *var = NULL;
	__u32 cpu = bpf_get_smp_processor_id();
	int pc = 0;

	if (&__preempt_count)
		var = (const char *)&__preempt_count;
	else if (bpf_core_type_exists(struct pcpu_hot___local) && &pcpu_hot)
		var = (const char *)&pcpu_hot +
		      bpf_core_field_offset(struct pcpu_hot___local, preempt_count);
	if (!var || !&__per_cpu_offset || cpu >= OOMDIAG_MAX_CPUS ||
	    bpf_probe_read_kernel(&pc, sizeof(pc), var + oomdiag_cpu_offset(cpu)))
		return OOMDIAG_CTX_UNKNOWN;
	/*
	 * int3-based kprobe handlers run under nmi_enter() since 5.8; none of
	 * the probed functions runs in a real NMI, so look through that level
	 * to the probed code's context.
	 */
	if (pc & OOMDIAG_NMI_MASK)
		pc -= OOMDIAG_NMI_OFFSET + OOMDIAG_HARDIRQ_OFFSET;
	if (pc & OOMDIAG_HARDIRQ_MASK)
		return OOMDIAG_CTX_IRQ;
	if (pc & OOMDIAG_SOFTIRQ_OFFSET)
		return OOMDIAG_CTX_SOFTIRQ;
	return OOMDIAG_CTX_TASK;
}

static __always_inline long oomdiag_mm_counter(struct mm_struct *mm, int idx)
{
	long v = 0;

	if (bpf_core_type_exists(struct mm_rss_stat)) {
		/* <= 6.1: atomic_long_t counters */
		bpf_core_read(&v, sizeof(v), &mm->rss_stat.count[idx & 3].counter);
	} else {
		/*
		 * >= 6.2: percpu_counter, summed exactly.  The element is
		 * found with the running kernel's sizeof(struct percpu_counter),
		 * not with &rss_stat[idx]: a variable index is scaled by the
		 * compiler with vmlinux.h's size, which CO-RE does not relocate,
		 * and the size depends on the config (its raw_spinlock_t grows
		 * by a lockdep_map and the owner fields with DEBUG_SPINLOCK and
		 * LOCKDEP: the sid debug kernel's anon_rss read rss_stat[0]'s
		 * bytes past the first element and printed 17,198,698,780 kB).
		 */
		const char *base = (const char *)mm +
				   bpf_core_field_offset(struct mm_struct___pcpu_rss, rss_stat);

		v = oomdiag_pcpu_sum((struct percpu_counter *)
				     (base + (idx & 3) * bpf_core_type_size(struct percpu_counter)));
	}
	return v < 0 ? 0 : v;
}

/*
 * kernfs_node::parent became the RCU-protected __parent in 6.15 (kernfs:
 * RCU access to the parent); seen in the sid (7.2) kernel's BTF.
 */
struct kernfs_node___rcu_parent {
	struct kernfs_node *__parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *oomdiag_kn_parent(struct kernfs_node *kn)
{
	struct kernfs_node___rcu_parent *k = (void *)kn;

	if (bpf_core_field_exists(k->__parent))
		return BPF_CORE_READ(k, __parent);
	return BPF_CORE_READ(kn, parent);
}

/*
 * The memory cgroup of a task, as the kernel's mem_cgroup_from_task() finds
 * it: task->cgroups->subsys[memory_cgrp_id], not the cgroup v2 cgroup
 * (dfl_cgrp), which differs when the memory controller is not enabled down
 * to the task's leaf or lives on a v1 hierarchy.  memory_cgrp_id depends on
 * which controllers the kernel was built with: a CO-RE enum relocation.
 */
static __always_inline struct kernfs_node *oomdiag_task_memcg_kn(struct task_struct *t)
{
	int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	struct cgroup_subsys_state *css = NULL;
	struct css_set *cs = BPF_CORE_READ(t, cgroups);

	if (!cs)
		return NULL;
	bpf_core_read(&css, sizeof(css), &cs->subsys[id & 15]);
	return css ? BPF_CORE_READ(css, cgroup, kn) : NULL;
}

/*
 * oom:mark_victim carried only "pid" until upstream 6.8 (uid, comm, rss,
 * pgtables, oom_score_adj added to the event); the
 * Debian 6.1 kernel has the backport, 5.10 does not.  The tracepoint
 * context is accessed through the 6.1 layout of vmlinux.h; every field but
 * pid is guarded by bpf_core_field_exists() at the use site.
 */

/*
 * struct ratelimit_state: "printed"/"missed" ints up to 6.x; atomic_t
 * rs_n_left/missed since 6.16 (the 6.16 ratelimit rework; seen in
 * sid's 7.2 BTF).  warn_alloc()'s nopage_rs.missed grows by one when
 * the report was ratelimited; we compare it before and after the call.
 */
struct ratelimit_state___atomic {
	atomic_t missed;
} __attribute__((preserve_access_index));

static __always_inline int oomdiag_rs_missed(void *rs)
{
	int v = -1;

	if (!rs)
		return -1;
	if (bpf_core_field_exists(((struct ratelimit_state *)rs)->printed))
		bpf_core_read(&v, sizeof(v), &((struct ratelimit_state *)rs)->missed);
	else
		bpf_core_read(&v, sizeof(v),
			      &((struct ratelimit_state___atomic *)rs)->missed.counter);
	return v;
}

/*
 * The page allocator's traceable entry point (fentry/fexit target) is
 * chosen by name at load time by userspace: __alloc_pages_nodemask (<= 5.12),
 * __alloc_pages (5.13, merged with __alloc_pages_nodemask), __alloc_pages_noprof (6.10,
 * memory allocation profiling), __alloc_frozen_pages_noprof (6.15, folios/frozen pages).  All
 * four take (gfp_t, unsigned int order, int nid, nodemask_t *).
 *
 * __GFP_NOWARN is 0x2000 on every kernel of the matrix: a #define up to 6.9,
 * ___GFP_NOWARN_BIT (13) of the enum since 6.10 (gfp bits
 * became an enum; checked in the 6.12 and 7.2 BTF).
 */
#define OOMDIAG_GFP_NOWARN	0x2000u

/*
 * kmem:mm_page_alloc gfp_flags is gfp_t (4 bytes) in 5.10, unsigned long
 * since 5.16: CO-RE adjusts the load size (both unsigned).
 * vmscan:mm_vmscan_direct_reclaim_begin moved "order" after a new memcg_id
 * in 7.x: CO-RE relocates the offset.
 */

/*
 * A rss counter as oom_badness() reads it (the kill ledger): the split
 * atomic counters up to 6.1; from 6.2 get_mm_counter(), the percpu
 * counter's approximate count (percpu_counter_read_positive()), until
 * 6.19 made oom_badness() sum it exactly (get_mm_counter_sum()):
 * @sum, set by userspace from the kernel's release.
 */
static __always_inline long oomdiag_mm_counter_oom(struct mm_struct *mm, int idx, bool sum)
{
	long v = 0;

	if (bpf_core_type_exists(struct mm_rss_stat) || sum)
		return oomdiag_mm_counter(mm, idx);
	bpf_core_read(&v, sizeof(v),
		      (const char *)mm + bpf_core_field_offset(struct mm_struct___pcpu_rss, rss_stat) +
		      (idx & 3) * bpf_core_type_size(struct percpu_counter) +
		      bpf_core_field_offset(struct percpu_counter, count));
	return v < 0 ? 0 : v;
}

/*
 * Bit @bit of mm->flags: an unsigned long up to 6.16, the first word of
 * the mm_flags_t bitmap since 6.17 (same bit numbers, bit < 64).
 */
struct mm_struct___flags_ul {
	unsigned long flags;
} __attribute__((preserve_access_index));

struct mm_flags___bm {
	unsigned long __mm_flags[1];
};

struct mm_struct___flags_bm {
	struct mm_flags___bm flags;
} __attribute__((preserve_access_index));

static __always_inline bool oomdiag_mm_flag(struct mm_struct *mm, int bit)
{
	unsigned long f = 0;

	if (bpf_core_field_exists(((struct mm_struct___flags_ul *)mm)->flags))
		bpf_core_read(&f, sizeof(f), &((struct mm_struct___flags_ul *)mm)->flags);
	else if (bpf_core_field_exists(((struct mm_struct___flags_bm *)mm)->flags))
		bpf_core_read(&f, sizeof(f), &((struct mm_struct___flags_bm *)mm)->flags);
	return f >> (bit & 63) & 1;
}

#endif /* OOMDIAG_CORE_COMPAT_H */
