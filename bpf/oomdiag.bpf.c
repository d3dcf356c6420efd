// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag CO-RE probes: allocation failures, warn_alloc(), OOM kills and
 * victims, overcommit refusals, and latency histograms of the page
 * allocator and of direct reclaim.  Events go to one ring buffer as struct
 * oomdiag_event (include/oomdiag_event.h); everything that cannot be
 * delivered is counted in "dropped".
 *
 * __alloc_pages_slowpath() is notrace on our kernels (no kprobe, no fentry),
 * so its facts come from elsewhere: failures from kmem:mm_page_alloc with
 * no page (pfn == -1), latency per order from fentry/fexit on the
 * allocator's traceable entry function (name picked by userspace), stalls
 * from vmscan:mm_vmscan_direct_reclaim_{begin,end}, and counts from
 * compaction:mm_compaction_try_to_compact_pages and oom:reclaim_retry_zone.
 *
 * Userspace decides which programs can attach on this kernel and turns the
 * others off with bpf_program__set_autoload(false) before loading.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "oomdiag_event.h"
#include "oomdiag_bpf.h"
#include "core_compat.h"
#include "zone_snap.h"

char LICENSE[] SEC("license") = "GPL";

#define ENOMEM 12
#define OOMDIAG_BPF_EVENT_SIZE offsetof(struct oomdiag_event, zones)
#define MAX_CGROUP_DEPTH 8

/* Set by userspace before load. */
const volatile __u32 targ_tgid;		/* --pid: only this process (0: all) */
const volatile __u64 targ_cgid;		/* --cgroup: only this cgroup v2 id (0: all) */
const volatile __u32 min_order;		/* --min-order */
const volatile __u64 slow_ns;		/* slow_alloc event threshold (0: none) */
const volatile __u64 nopage_rs_addr;	/* &nopage_rs.N in warn_alloc (0: unknown) */
const volatile __u64 page_shift = 12;

/* Overcommit globals: typeless ksyms resolved by libbpf from kallsyms. */
extern const void vm_committed_as __ksym __weak;
extern const void sysctl_overcommit_memory __ksym __weak;
extern const void sysctl_overcommit_ratio __ksym __weak;
extern const void sysctl_overcommit_kbytes __ksym __weak;
extern const void _totalram_pages __ksym __weak;
extern const void total_swap_pages __ksym __weak;

/* Counters read by userspace at exit, per kind. */
__u64 produced[OOMDIAG_KIND_MAX];
__u64 dropped[OOMDIAG_KIND_MAX];
__u64 compact_stalls[OOMDIAG_HIST_ORDERS];
__u64 reclaim_retries[OOMDIAG_HIST_ORDERS];

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 2 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OOMDIAG_HIST_KINDS * OOMDIAG_HIST_ORDERS);
	__type(key, __u32);
	__type(value, struct oomdiag_hist);
} hists SEC(".maps");

struct start {
	__u64 ts;
	__u32 order;
	__u32 gfp;
};

/* Per-thread start of an allocation, a reclaim, a vm check. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct start);
} alloc_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct start);
} reclaim_start SEC(".maps");

struct vm_start {
	__s64 pages;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct vm_start);
} vm_start SEC(".maps");

struct warn_start {
	__u32 gfp;
	__u32 order;
	__s32 missed;
	__u32 nr_stack;
	__u64 ts;
	__u64 stack[OOMDIAG_STACK_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct warn_start);
} warn_start SEC(".maps");

/* Scratch for building cgroup paths (too big for the BPF stack). */
struct path_buf {
	char buf[2 * OOMDIAG_CGROUP_PATH_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct path_buf);
} path_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct warn_start);
} warn_scratch SEC(".maps");

static __always_inline __u32 order_slot(__u32 order)
{
	return order < OOMDIAG_HIST_ORDERS - 1 ? order : OOMDIAG_HIST_ORDERS - 1;
}

static __always_inline bool task_passes(void)
{
	if (targ_tgid && (bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return false;
	if (targ_cgid && bpf_get_current_cgroup_id() != targ_cgid)
		return false;
	return true;
}

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) { r += 1; }
	return r;
}

static __always_inline void hist_add(__u32 kind, __u32 order, __u64 ns)
{
	__u32 key = kind * OOMDIAG_HIST_ORDERS + order_slot(order);
	struct oomdiag_hist *h = bpf_map_lookup_elem(&hists, &key);
	__u32 slot;

	if (!h)
		return;
	slot = log2_u64(ns);
	if (slot >= OOMDIAG_HIST_SLOTS)
		slot = OOMDIAG_HIST_SLOTS - 1;
	h->slots[slot]++;
	h->count++;
	h->sum_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

/*
 * Reserves an event and fills the common header; counts drops.  Allocation
 * failures, warn_alloc() and OOM kills carry the zone snapshot, as the
 * module's records do (the whole struct); other kinds stop before zones[].
 */
static __always_inline struct oomdiag_event *event_new(__u32 kind)
{
	bool snap = kind == OOMDIAG_KIND_ALLOC_FAIL || kind == OOMDIAG_KIND_WARN_ALLOC ||
		    kind == OOMDIAG_KIND_SLOW_ALLOC || kind == OOMDIAG_KIND_OOM_KILL;
	struct oomdiag_event *e;
	__u64 id = bpf_get_current_pid_tgid();

	if (kind < OOMDIAG_KIND_MAX)
		__sync_fetch_and_add(&produced[kind], 1);
	if (snap)
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	else
		e = bpf_ringbuf_reserve(&events, OOMDIAG_BPF_EVENT_SIZE, 0);
	if (!e) {
		if (kind < OOMDIAG_KIND_MAX)
			__sync_fetch_and_add(&dropped[kind], 1);
		return NULL;
	}
	__builtin_memset(e, 0, offsetof(struct oomdiag_event, stack));
	e->ts_ns = bpf_ktime_get_ns();
	e->kind = kind;
	e->cpu = bpf_get_smp_processor_id();
	e->context = oomdiag_context();
	e->pid = (__u32)id;
	e->tgid = id >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (snap)
		oomdiag_snap_zones(e);
	/*
	 * seq is numbered by the reader in delivery order: a fetch-and-add
	 * whose result is used (BPF_FETCH) needs 5.12, and 5.10 is in the
	 * matrix.  Drops are counted in dropped[] instead of seq gaps.
	 */
	return e;
}

static __always_inline void event_stack(void *ctx, struct oomdiag_event *e)
{
	long n = bpf_get_stack(ctx, e->stack, sizeof(e->stack), 0);

	e->nr_stack = n > 0 ? n / sizeof(__u64) : 0;
}

/* ---- page allocator: failures, latency, reclaim, compaction ---- */

SEC("tracepoint/kmem/mm_page_alloc")
int tp_page_alloc(struct trace_event_raw_mm_page_alloc *ctx)
{
	struct oomdiag_event *e;
	__u32 order;

	if (ctx->pfn != (unsigned long)-1)
		return 0;
	order = ctx->order;
	if (order < min_order || !task_passes())
		return 0;
	e = event_new(OOMDIAG_KIND_ALLOC_FAIL);
	if (!e)
		return 0;
	e->alloc.gfp = ctx->gfp_flags;
	e->alloc.order = order;
	if (order > 3)
		e->flags |= OOMDIAG_F_COSTLY;
	event_stack(ctx, e);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("fentry")
int BPF_PROG(alloc_enter, gfp_t gfp, unsigned int order)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct start s;

	if (order < min_order)
		return 0;
	s.ts = bpf_ktime_get_ns();
	s.order = order;
	s.gfp = gfp;
	bpf_map_update_elem(&alloc_start, &tid, &s, BPF_ANY);
	return 0;
}

SEC("fexit")
int BPF_PROG(alloc_exit, gfp_t gfp, unsigned int order, int nid, void *nodemask,
	     struct page *ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct oomdiag_event *e;
	struct start *s;
	__u64 d;

	if (order < min_order)
		return 0;
	s = bpf_map_lookup_elem(&alloc_start, &tid);
	if (!s)
		return 0;
	d = bpf_ktime_get_ns() - s->ts;
	bpf_map_delete_elem(&alloc_start, &tid);
	hist_add(OOMDIAG_HIST_ALLOC, order, d);
	if (!slow_ns || d < slow_ns || !task_passes())
		return 0;
	e = event_new(OOMDIAG_KIND_SLOW_ALLOC);
	if (!e)
		return 0;
	e->alloc.gfp = gfp;
	e->alloc.order = order;
	e->alloc.latency_ns = d;
	e->alloc.nodemask_set = nodemask != NULL;
	if (!ret)
		e->flags |= OOMDIAG_F_SILENT;
	if (order > 3)
		e->flags |= OOMDIAG_F_COSTLY;
	event_stack(ctx, e);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_begin")
int tp_reclaim_begin(struct trace_event_raw_mm_vmscan_direct_reclaim_begin_template *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct start s;

	s.ts = bpf_ktime_get_ns();
	s.order = ctx->order;
	s.gfp = ctx->gfp_flags;
	bpf_map_update_elem(&reclaim_start, &tid, &s, BPF_ANY);
	return 0;
}

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_end")
int tp_reclaim_end(struct trace_event_raw_mm_vmscan_direct_reclaim_end_template *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct start *s = bpf_map_lookup_elem(&reclaim_start, &tid);

	if (!s)
		return 0;
	hist_add(OOMDIAG_HIST_RECLAIM, s->order, bpf_ktime_get_ns() - s->ts);
	bpf_map_delete_elem(&reclaim_start, &tid);
	return 0;
}

SEC("tracepoint/compaction/mm_compaction_try_to_compact_pages")
int tp_compact(struct trace_event_raw_mm_compaction_try_to_compact_pages *ctx)
{
	__sync_fetch_and_add(&compact_stalls[order_slot(ctx->order)], 1);
	return 0;
}

SEC("tracepoint/oom/reclaim_retry_zone")
int tp_retry(struct trace_event_raw_reclaim_retry_zone *ctx)
{
	__sync_fetch_and_add(&reclaim_retries[order_slot(ctx->order)], 1);
	return 0;
}

/* ---- warn_alloc(gfp, nodemask, fmt, ...) ---- */

/*
 * The order is a variadic argument: warn_alloc(gfp_mask, ac->nodemask,
 * "page allocation failure: order:%u", order) puts it in the 4th integer
 * argument register (x86-64 SysV passes variadic integers like fixed ones).
 * Other callers (vmalloc) pass other formats: their order is unknown.
 */
static __always_inline bool fmt_is_page_failure(const char *fmt)
{
	static const char want[] = "page allocation failure: order:%u";
	char buf[sizeof(want)];
	int i;

	if (bpf_probe_read_kernel(buf, sizeof(buf) - 1, fmt))
		return false;
#pragma unroll
	for (i = 0; i < sizeof(want) - 1; i++)
		if (buf[i] != want[i])
			return false;
	return true;
}

/* Fill the per-CPU scratch record at warn_alloc() entry; NULL: skip it. */
static __always_inline struct warn_start *warn_fill(struct pt_regs *ctx, gfp_t gfp,
						    const char *fmt)
{
	__u32 zero = 0;
	struct warn_start *w;
	long n;

	if (!task_passes())
		return NULL;
	w = bpf_map_lookup_elem(&warn_scratch, &zero);
	if (!w)
		return NULL;
	w->gfp = gfp;
	w->order = fmt_is_page_failure(fmt) ? (__u32)PT_REGS_PARM4(ctx) : ~0u;
	if (w->order != ~0u && w->order < min_order)
		return NULL;
	w->missed = -1;
	w->ts = bpf_ktime_get_ns();
	n = bpf_get_stack(ctx, w->stack, sizeof(w->stack), 0);
	w->nr_stack = n > 0 ? n / sizeof(__u64) : 0;
	return w;
}

SEC("kprobe")
int BPF_KPROBE(warn_alloc_enter, gfp_t gfp, void *nodemask, const char *fmt)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct warn_start *w = warn_fill(ctx, gfp, fmt);

	if (!w)
		return 0;
	w->missed = oomdiag_rs_missed((void *)nopage_rs_addr);
	bpf_map_update_elem(&warn_start, &tid, w, BPF_ANY);
	return 0;
}

static __always_inline int warn_emit(struct warn_start *w, bool have_exit)
{
	struct oomdiag_event *e;
	int i;

	e = event_new(OOMDIAG_KIND_WARN_ALLOC);
	if (!e)
		return 0;
	e->alloc.gfp = w->gfp;
	e->alloc.order = w->order;
	if (w->order != ~0u && w->order > 3)
		e->flags |= OOMDIAG_F_COSTLY;
	if (w->gfp & OOMDIAG_GFP_NOWARN) {
		e->flags |= OOMDIAG_F_SILENT | OOMDIAG_F_NOWARN;
	} else if (have_exit && w->missed >= 0) {
		int after = oomdiag_rs_missed((void *)nopage_rs_addr);

		if (after == w->missed + 1)
			e->flags |= OOMDIAG_F_SILENT | OOMDIAG_F_RATELIMITED;
	}
	e->alloc.latency_ns = have_exit ? bpf_ktime_get_ns() - w->ts : 0;
	e->nr_stack = w->nr_stack;
#pragma unroll
	for (i = 0; i < OOMDIAG_STACK_DEPTH; i++)
		e->stack[i] = w->stack[i];
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(warn_alloc_exit)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct warn_start *w = bpf_map_lookup_elem(&warn_start, &tid);

	if (!w)
		return 0;
	warn_emit(w, true);
	bpf_map_delete_elem(&warn_start, &tid);
	return 0;
}

/* Fallback without the kretprobe: emit at entry, "silent" from NOWARN only. */
SEC("kprobe")
int BPF_KPROBE(warn_alloc_only, gfp_t gfp, void *nodemask, const char *fmt)
{
	struct warn_start *w = warn_fill(ctx, gfp, fmt);

	return w ? warn_emit(w, false) : 0;
}

/* ---- OOM kills ---- */

/* Path of a cgroup v2 kernfs node, "/a/b"; "/" for the root. */
static __always_inline void kn_path(struct kernfs_node *kn, char *out)
{
	const char *names[MAX_CGROUP_DEPTH];
	struct path_buf *pb;
	__u32 zero = 0;
	__u64 off = 0;
	int depth = 0, i;

	out[0] = '/';
	out[1] = 0;
	pb = bpf_map_lookup_elem(&path_scratch, &zero);
	if (!pb || !kn)
		return;
#pragma unroll
	for (i = 0; i < MAX_CGROUP_DEPTH; i++) {
		struct kernfs_node *parent = oomdiag_kn_parent(kn);

		if (!parent)
			break;
		names[i] = BPF_CORE_READ(kn, name);
		depth++;
		kn = parent;
	}
	if (!depth)
		return;
#pragma unroll
	for (i = MAX_CGROUP_DEPTH - 1; i >= 0; i--) {
		__u64 o = off;
		long n;

		if (i >= depth)
			continue;
		/* keep the verifier's bounds: mask after the compiler's last look */
		asm volatile("" : "+r"(o));
		o &= OOMDIAG_CGROUP_PATH_LEN - 1;
		pb->buf[o] = '/';
		o++;
		n = bpf_probe_read_kernel_str(&pb->buf[o & (OOMDIAG_CGROUP_PATH_LEN - 1)],
					      OOMDIAG_CGROUP_PATH_LEN, names[i]);
		if (n > 1)
			o += n - 1;
		off = o;
		if (off >= OOMDIAG_CGROUP_PATH_LEN - 1)
			break;
	}
	if (off >= OOMDIAG_CGROUP_PATH_LEN - 1) {
		pb->buf[OOMDIAG_CGROUP_PATH_LEN - 1] = 0;
	} else {
		__u64 o = off;

		asm volatile("" : "+r"(o));
		pb->buf[o & (OOMDIAG_CGROUP_PATH_LEN - 1)] = 0;
	}
	bpf_probe_read_kernel(out, OOMDIAG_CGROUP_PATH_LEN, pb->buf);
	out[OOMDIAG_CGROUP_PATH_LEN - 1] = 0;
}

static __always_inline struct kernfs_node *task_dfl_kn(struct task_struct *t)
{
	return BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
}

static __always_inline __u64 kn_id(struct kernfs_node *kn)
{
	return kn ? BPF_CORE_READ(kn, id) : 0;
}

static __always_inline void fill_victim(struct oomdiag_oom_info *o, struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	const struct cred *cred = BPF_CORE_READ(t, real_cred);

	o->victim_pid = BPF_CORE_READ(t, tgid);
	o->victim_uid = BPF_CORE_READ(cred, uid.val);
	BPF_CORE_READ_STR_INTO(&o->victim_comm, t, comm);
	o->oom_score_adj = BPF_CORE_READ(t, signal, oom_score_adj);
	if (mm) {
		__u64 kb = 1ULL << (page_shift - 10);

		o->anon_rss_kb = oomdiag_mm_counter(mm, OOMDIAG_MM_ANONPAGES) * kb;
		o->file_rss_kb = oomdiag_mm_counter(mm, OOMDIAG_MM_FILEPAGES) * kb;
		o->shmem_rss_kb = oomdiag_mm_counter(mm, OOMDIAG_MM_SHMEMPAGES) * kb;
		o->swap_kb = oomdiag_mm_counter(mm, OOMDIAG_MM_SWAPENTS) * kb;
		o->pgtables_kb = BPF_CORE_READ(mm, pgtables_bytes.counter) >> 10;
	}
	kn_path(task_dfl_kn(t), o->victim_memcg);
}

SEC("kprobe")
int BPF_KPROBE(oom_kill, struct oom_control *oc)
{
	struct task_struct *victim = BPF_CORE_READ(oc, chosen);
	struct mem_cgroup *memcg = BPF_CORE_READ(oc, memcg);
	struct kernfs_node *vkn, *mkn = NULL;
	struct oomdiag_event *e;

	if (!victim)
		return 0;
	vkn = task_dfl_kn(victim);
	if (memcg)
		mkn = BPF_CORE_READ(memcg, css.cgroup, kn);
	if (targ_tgid && BPF_CORE_READ(victim, tgid) != targ_tgid &&
	    (bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return 0;
	if (targ_cgid && kn_id(vkn) != targ_cgid && kn_id(mkn) != targ_cgid &&
	    bpf_get_current_cgroup_id() != targ_cgid)
		return 0;
	e = event_new(OOMDIAG_KIND_OOM_KILL);
	if (!e)
		return 0;
	fill_victim(&e->oom, victim);
	e->oom.points = BPF_CORE_READ(oc, chosen_points);
	e->oom.totalpages = BPF_CORE_READ(oc, totalpages);
	e->oom.gfp = BPF_CORE_READ(oc, gfp_mask);
	e->oom.order = BPF_CORE_READ(oc, order);
	if (bpf_core_field_exists(oc->constraint))
		e->oom.constraint = BPF_CORE_READ(oc, constraint);
	else
		e->oom.constraint = OOMDIAG_CONSTRAINT_UNKNOWN;
	if (mkn)
		kn_path(mkn, e->oom.memcg);
	else
		e->oom.memcg[0] = 0;	/* global OOM: no memcg domain */
	event_stack(ctx, e);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/oom/mark_victim")
int tp_mark_victim(struct trace_event_raw_mark_victim *ctx)
{
	struct oomdiag_event *e;
	int pid = ctx->pid;

	if (targ_tgid && pid != targ_tgid && (bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return 0;
	e = event_new(OOMDIAG_KIND_OOM_VICTIM);
	if (!e)
		return 0;
	e->oom.victim_pid = pid;
	e->oom.constraint = OOMDIAG_CONSTRAINT_UNKNOWN;
	e->oom.order = -1;
	if (bpf_core_field_exists(ctx->uid)) {
		/* 6.8+, and the Debian 6.1 backport */
		__u32 loc = ctx->__data_loc_comm;

		bpf_probe_read_kernel_str(e->oom.victim_comm, sizeof(e->oom.victim_comm),
					  (void *)ctx + (loc & 0xffff));
		e->oom.victim_uid = ctx->uid;
		e->oom.anon_rss_kb = ctx->anon_rss;
		e->oom.file_rss_kb = ctx->file_rss;
		e->oom.shmem_rss_kb = ctx->shmem_rss;
		e->oom.pgtables_kb = ctx->pgtables;
		e->oom.oom_score_adj = ctx->oom_score_adj;
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ---- __vm_enough_memory(mm, pages, cap_sys_admin) ---- */

SEC("kprobe")
int BPF_KPROBE(vm_enough_enter, struct mm_struct *mm, long pages)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vm_start v = { .pages = pages };

	if (!task_passes())
		return 0;
	bpf_map_update_elem(&vm_start, &tid, &v, BPF_ANY);
	return 0;
}

static __always_inline __u32 read_int(const void *addr)
{
	int v = 0;

	if (addr)
		bpf_probe_read_kernel(&v, sizeof(v), addr);
	return v;
}

SEC("kretprobe")
int BPF_KRETPROBE(vm_enough_exit, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vm_start *v = bpf_map_lookup_elem(&vm_start, &tid);
	struct oomdiag_event *e;
	__s64 pages, committed = 0;
	__u64 ratio, kbytes, allowed;

	if (!v)
		return 0;
	pages = v->pages;
	bpf_map_delete_elem(&vm_start, &tid);
	if (ret != -ENOMEM)
		return 0;
	e = event_new(OOMDIAG_KIND_VM_REFUSED);
	if (!e)
		return 0;
	e->vm.reason = OOMDIAG_VM_OVERCOMMIT;
	e->vm.pages = pages;
	e->vm.overcommit_mode = read_int(&sysctl_overcommit_memory);
	ratio = read_int(&sysctl_overcommit_ratio);
	kbytes = read_ulong(&sysctl_overcommit_kbytes);
	e->vm.overcommit_ratio = ratio;
	e->vm.overcommit_kbytes = kbytes;
	if (&vm_committed_as)
		bpf_core_read(&committed, sizeof(committed),
			      &((struct percpu_counter *)&vm_committed_as)->count);
	e->vm.committed_as_pages = committed < 0 ? 0 : committed;
	e->vm.current_usage = e->vm.committed_as_pages;
	/* vm_commit_limit(), without hugetlb pages */
	if (kbytes)
		allowed = kbytes >> (page_shift - 10);
	else
		allowed = read_ulong(&_totalram_pages) * ratio / 100;
	allowed += read_ulong(&total_swap_pages);
	e->vm.commit_limit_pages = allowed;
	event_stack(ctx, e);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
