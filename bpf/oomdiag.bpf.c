// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag CO-RE probes: allocation failures, warn_alloc(), OOM kills and
 * victims, overcommit refusals, and latency histograms of the page
 * allocator and of direct reclaim.  Events go to one ring buffer as struct
 * oomdiag_event (include/oomdiag_event.h); everything that cannot be
 * delivered is counted in "dropped".
 *
 * __alloc_pages_slowpath() is notrace on our kernels (no kprobe, no fentry
 * on the function itself), so failures come from kprobes on its call site
 * in the allocator's traceable entry function (slow_call, slow_return:
 * slow requests only), plus fexit on the two ways to fail without the slow
 * path (a failed kmem charge, alloc_pages_nolock()); where that site
 * cannot be used, from kmem:mm_page_alloc with no page (every allocation).
 * Latency per order (--latency) from fentry/fexit on the entry function
 * (name picked by userspace), stalls from
 * vmscan:mm_vmscan_direct_reclaim_{begin,end}, and counts from
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

/* Set by userspace before load. */
const volatile __u32 targ_tgid;		/* --pid: only this process (0: all) */
const volatile __u64 targ_cgid;		/* --cgroup: only this cgroup v2 id (0: all) */
const volatile __u32 min_order;		/* --min-order */
const volatile __u64 slow_ns;		/* slow_alloc event threshold (0: none) */
const volatile __u64 nopage_rs_addr;	/* &nopage_rs.N in warn_alloc (0: unknown) */
const volatile __u64 page_shift = 12;
const volatile bool latency_mode;	/* --latency: slow_alloc from the fexit */
const volatile bool have_dump_stack;	/* warn_dump_stack is attached */
const volatile __u32 burst_samples = 8;	/* --samples: events sent per burst key */

/* Overcommit globals: typeless ksyms resolved by libbpf from kallsyms. */
extern const void vm_committed_as __ksym __weak;
extern const void sysctl_overcommit_memory __ksym __weak;
extern const void sysctl_overcommit_ratio __ksym __weak;
extern const void sysctl_overcommit_kbytes __ksym __weak;
extern const void _totalram_pages __ksym __weak;
extern const void total_swap_pages __ksym __weak;

/* Counters read by userspace at exit, per kind. */
__u64 produced[OOMDIAG_KIND_MAX];
__u64 dropped[OOMDIAG_KIND_MAX];	/* ring buffer full */
__u64 aggregated[OOMDIAG_KIND_MAX];	/* counted in bursts only, past the samples */
__u64 map_full[OOMDIAG_TABLE_MAX];	/* failed inserts into a per-thread table */
__u64 compact_stalls[OOMDIAG_HIST_ORDERS];
__u64 reclaim_retries[OOMDIAG_HIST_ORDERS];
__u64 latency_untimed;			/* --latency: nested deeper than LAT_DEPTH */
/*
 * Threads between their first reclaim/compaction and the return of that
 * allocation (from the slow path, or at mm_page_alloc in the fallback,
 * whose program reads only this while it is 0).
 */
__u64 stalls_pending;

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

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct oomdiag_burst_key);
	__type(value, struct oomdiag_burst);
} bursts SEC(".maps");

/*
 * A request in its slow path: from its first direct reclaim or compaction
 * to the slow path's return (mm_page_alloc in the fallback).  Only the outermost
 * request of a task gets one: reclaim and compaction run under PF_MEMALLOC,
 * so the allocations nested in them never reclaim or compact themselves.
 */
struct stall {
	__u64 ts;		/* first reclaim/compaction */
	__u64 reclaim_ts;	/* current direct reclaim began, 0: not in one */
	__u32 order;
	__u32 gfp;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct stall);
} stall_start SEC(".maps");

/*
 * --latency: entry times of the allocations a thread is inside, innermost
 * last (an interrupt or the reclaim of an outer allocation nests another).
 * LRU, and never deleted: the per-allocation cost is two lookups, no insert.
 */
#define LAT_DEPTH 4

struct lat {
	__u32 depth;
	__u32 pad;
	__u64 ts[LAT_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct lat);
} lat_start SEC(".maps");

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
	__u32 printed;		/* dump_stack() ran inside this call */
	__u32 pad;
	__u64 stack[OOMDIAG_STACK_DEPTH];
};

/* key: thread id << 8 | context, so a warn_alloc() of an interrupt nests */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
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

static __always_inline void table_full(__u32 table)
{
	if (table < OOMDIAG_TABLE_MAX)
		__sync_fetch_and_add(&map_full[table], 1);
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

/*
 * Atomic adds: fentry/fexit (and 7.x tracepoint) programs run with
 * migration, not preemption, disabled, so two tasks can meet in one CPU's
 * slot.  max_ns stays a racy maximum.
 */
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
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->sum_ns, ns);
	if (ns > h->max_ns)
		h->max_ns = ns;
}

static __always_inline __u32 current_flags(void)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	return BPF_CORE_READ(t, flags);
}

#define OOMDIAG_PF_MEMALLOC 0x00000800	/* include/linux/sched.h, stable */

/*
 * Reserves an event and fills the common header; counts drops.  Allocation
 * failures, warn_alloc() and OOM kills carry the zone snapshot, as the
 * module's records do (the whole struct); other kinds stop before zones[].
 * The caller has counted it in produced[].
 */
static __always_inline struct oomdiag_event *event_new(__u32 kind)
{
	bool snap = kind == OOMDIAG_KIND_ALLOC_FAIL || kind == OOMDIAG_KIND_WARN_ALLOC ||
		    kind == OOMDIAG_KIND_SLOW_ALLOC || kind == OOMDIAG_KIND_OOM_KILL;
	struct oomdiag_event *e;
	__u64 id = bpf_get_current_pid_tgid();

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

static __always_inline void count_produced(__u32 kind)
{
	if (kind < OOMDIAG_KIND_MAX)
		__sync_fetch_and_add(&produced[kind], 1);
}

static __always_inline void event_stack(void *ctx, struct oomdiag_event *e)
{
	long n = bpf_get_stack(ctx, e->stack, sizeof(e->stack), 0);

	e->nr_stack = n > 0 ? n / sizeof(__u64) : 0;
}

/* FNV-1a over the return addresses (zeroed past the walk by bpf_get_stack) */
static __always_inline __u64 stack_hash(const __u64 *stack)
{
	__u64 h = 0xcbf29ce484222325ULL;
	int i;

#pragma unroll
	for (i = 0; i < OOMDIAG_STACK_DEPTH; i++) {
		h ^= stack[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * Scratch burst records, one per program that reports allocations: a
 * program never runs twice at once on one CPU (the kernel's per-program
 * recursion guard), so its slot is its own even where tracepoint and
 * fentry programs are preemptible (7.x, lazy preemption).
 */
enum burst_slot {
	SLOT_PAGE_ALLOC_BTF, SLOT_PAGE_ALLOC_TP, SLOT_ALLOC_EXIT, SLOT_WARN, SLOT_SLOW_RET,
	SLOT_MEMCG, SLOT_NOLOCK, NR_SLOTS
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_SLOTS);
	__type(key, __u32);
	__type(value, struct oomdiag_burst);
} burst_scratch SEC(".maps");

/*
 * Counts one failure under its burst key; true if it is among the first
 * burst_samples of that key (send it as an event too).  A key that finds
 * the table full is sent as an event and counted in map_full.  @n is the
 * scratch record with the stack filled in.
 */
static __always_inline bool burst_sample(__u32 kind, __u32 flags, __u32 gfp, __u32 order,
					 struct oomdiag_burst *n)
{
	struct oomdiag_burst_key k = {
		.kind = kind, .flags = flags, .gfp = gfp, .order = order,
		.stack_hash = stack_hash(n->stack),
	};
	struct oomdiag_burst *b = bpf_map_lookup_elem(&bursts, &k);
	__u64 now = bpf_ktime_get_ns();

	if (!b) {
		__u64 id = bpf_get_current_pid_tgid();

		n->count = 1;
		n->first_ns = now;
		n->last_ns = now;
		n->pid = (__u32)id;
		n->tgid = id >> 32;
		bpf_get_current_comm(n->comm, sizeof(n->comm));
		if (!bpf_map_update_elem(&bursts, &k, n, BPF_NOEXIST)) {
			if (burst_samples > 0)
				return true;
			if (kind < OOMDIAG_KIND_MAX)
				__sync_fetch_and_add(&aggregated[kind], 1);
			return false;
		}
		b = bpf_map_lookup_elem(&bursts, &k);	/* another CPU inserted it */
		if (!b) {
			table_full(OOMDIAG_TABLE_BURSTS);
			return true;
		}
	}
	__sync_fetch_and_add(&b->count, 1);
	b->last_ns = now;
	/* racy read: two CPUs may both send the N-th; the count is exact */
	if (b->count <= burst_samples)
		return true;
	if (kind < OOMDIAG_KIND_MAX)
		__sync_fetch_and_add(&aggregated[kind], 1);
	return false;
}

/* Sends a sample: the stack from the scratch record. */
static __always_inline void send_alloc(__u32 kind, __u32 flags, __u32 gfp, __u32 order,
				       __u64 latency_ns, bool nodemask_set,
				       const struct oomdiag_burst *n)
{
	struct oomdiag_event *e = event_new(kind);
	int i;

	if (!e)
		return;
	e->flags |= flags;
	e->alloc.gfp = gfp;
	e->alloc.order = order;
	e->alloc.latency_ns = latency_ns;
	e->alloc.nodemask_set = nodemask_set;
	e->nr_stack = n->nr_stack;
#pragma unroll
	for (i = 0; i < OOMDIAG_STACK_DEPTH; i++)
		e->stack[i] = n->stack[i];
	bpf_ringbuf_submit(e, 0);
}

/* An allocation failure or slow allocation: counted, aggregated, sampled. */
static __always_inline void report_alloc(void *ctx, __u32 slot, __u32 kind, __u32 flags,
					 __u32 gfp, __u32 order, __u64 latency_ns,
					 bool nodemask_set)
{
	struct oomdiag_burst *n = bpf_map_lookup_elem(&burst_scratch, &slot);
	long len;

	count_produced(kind);
	if (!n) {
		if (kind < OOMDIAG_KIND_MAX)
			__sync_fetch_and_add(&dropped[kind], 1);
		return;
	}
	len = bpf_get_stack(ctx, n->stack, sizeof(n->stack), 0);
	n->nr_stack = len > 0 ? len / sizeof(__u64) : 0;
	if (order > 3)
		flags |= OOMDIAG_F_COSTLY;
	if (burst_sample(kind, flags, gfp, order, n))
		send_alloc(kind, flags, gfp, order, latency_ns, nodemask_set, n);
}

/* ---- page allocator: failures, slow requests, reclaim, compaction ---- */

/*
 * The return of an allocation by a thread with a stall entry: the end of
 * its slow request, unless this allocation is nested in the request's own
 * reclaim or compaction (PF_MEMALLOC) or comes from an interrupt on top of
 * it.
 */
static __always_inline void stall_end(void *ctx, __u32 slot)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct stall *s = bpf_map_lookup_elem(&stall_start, &tid);
	__u32 order, gfp;
	__u64 d;

	if (!s)
		return;
	if ((current_flags() & OOMDIAG_PF_MEMALLOC) || oomdiag_context() != OOMDIAG_CTX_TASK)
		return;
	d = bpf_ktime_get_ns() - s->ts;
	order = s->order;
	gfp = s->gfp;
	bpf_map_delete_elem(&stall_start, &tid);
	__sync_fetch_and_add(&stalls_pending, -1);
	hist_add(OOMDIAG_HIST_STALL, order, d);
	if (latency_mode || !slow_ns || d < slow_ns || order < min_order || !task_passes())
		return;
	report_alloc(ctx, slot, OOMDIAG_KIND_SLOW_ALLOC, 0, gfp, order, d, false);
}

static __always_inline int page_alloc_seen(void *ctx, __u32 slot, bool failed, __u32 order,
					   __u32 gfp)
{
	if (stalls_pending)
		stall_end(ctx, slot);
	if (!failed || order < min_order || !task_passes())
		return 0;
	report_alloc(ctx, slot, OOMDIAG_KIND_ALLOC_FAIL, 0, gfp, order, 0, false);
	return 0;
}

/*
 * Runs on every page allocation: a BTF raw tracepoint (no trace record is
 * built), and the success path reads one global before it returns.
 */
SEC("tp_btf/mm_page_alloc")
int BPF_PROG(page_alloc_btf, struct page *page, unsigned int order, gfp_t gfp)
{
	if (page && !stalls_pending)
		return 0;
	return page_alloc_seen(ctx, SLOT_PAGE_ALLOC_BTF, !page, order, gfp);
}

/* Fallback without BTF tracepoints: the kernel builds the record first. */
SEC("tracepoint/kmem/mm_page_alloc")
int tp_page_alloc(struct trace_event_raw_mm_page_alloc *ctx)
{
	bool failed = ctx->pfn == (unsigned long)-1;

	if (!failed && !stalls_pending)
		return 0;
	return page_alloc_seen(ctx, SLOT_PAGE_ALLOC_TP, failed, ctx->order, ctx->gfp_flags);
}

/*
 * The default route: the slow path's own call site.  __alloc_pages_slowpath()
 * is notrace (no kprobe, kretprobe or fentry on it), but the allocator entry
 * function that calls it is traceable, and a kprobe may sit at any
 * instruction of a traceable function.  Userspace finds the call
 * instruction (e8 rel32 to the slow path) in the entry function's code and
 * puts one kprobe on it (the slow path's arguments: gfp, order) and one on
 * the instruction after it (rax: the page it returned).  Only requests that
 * missed the fast path run either.  A return is matched to its call by the
 * stack pointer (equal before the call and after its return), so nesting
 * (the allocations of the request's own reclaim) and a missed hit cannot
 * pair the wrong call; interrupts get their own entry (key with context).
 */
#define SLOW_DEPTH 4

struct slow_req {
	__u32 depth;
	__u32 pad;
	__u64 sp[SLOW_DEPTH];
	__u32 gfp[SLOW_DEPTH];
	__u32 order[SLOW_DEPTH];
};

/* LRU and never deleted: a slow request costs two lookups, no insert. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct slow_req);
} slow_req SEC(".maps");

/* slow path calls and returns seen; returns with no call of theirs seen */
__u64 slow_calls, slow_returns, slow_unmatched;

static __always_inline __u64 slow_key(void)
{
	return (bpf_get_current_pid_tgid() & 0xffffffffULL) << 8 | oomdiag_context();
}

SEC("kprobe")
int slow_call(struct pt_regs *ctx)
{
	__u64 key = slow_key();
	struct slow_req *r = bpf_map_lookup_elem(&slow_req, &key);
	__u32 d;

	__sync_fetch_and_add(&slow_calls, 1);
	if (!r) {
		struct slow_req z = {};

		bpf_map_update_elem(&slow_req, &key, &z, BPF_NOEXIST);
		r = bpf_map_lookup_elem(&slow_req, &key);
		if (!r) {
			table_full(OOMDIAG_TABLE_SLOW);
			return 0;
		}
	}
	d = r->depth;
	if (d >= SLOW_DEPTH)
		return 0;	/* its return finds no match: counted there */
	r->depth = d + 1;
	asm volatile("" : "+r"(d));
	d &= SLOW_DEPTH - 1;
	r->sp[d] = PT_REGS_SP(ctx);
	r->gfp[d] = (__u32)PT_REGS_PARM1(ctx);
	r->order[d] = (__u32)PT_REGS_PARM2(ctx);
	return 0;
}

SEC("kprobe")
int slow_return(struct pt_regs *ctx)
{
	__u64 key = slow_key(), sp = PT_REGS_SP(ctx);
	struct slow_req *r = bpf_map_lookup_elem(&slow_req, &key);
	bool found = false;
	__u32 gfp = 0, order = 0, d;
	int i;

	__sync_fetch_and_add(&slow_returns, 1);
	/* the end of a slow request even if its call was missed */
	if (stalls_pending)
		stall_end(ctx, SLOT_SLOW_RET);
	if (!r)
		goto unmatched;
	/*
	 * Pop to this return's call: deeper entries (lower stack pointer)
	 * are calls whose return was missed; a higher one is an outer call,
	 * so ours was missed.
	 */
#pragma unroll
	for (i = 0; i < SLOW_DEPTH; i++) {
		d = r->depth;
		if (!d || d > SLOW_DEPTH)
			break;
		d--;
		asm volatile("" : "+r"(d));
		d &= SLOW_DEPTH - 1;
		if (r->sp[d] > sp)
			break;
		r->depth = d;
		if (r->sp[d] == sp) {
			found = true;
			gfp = r->gfp[d];
			order = r->order[d];
			break;
		}
	}
	if (!found)
		goto unmatched;
	if (PT_REGS_RC(ctx) || order < min_order || !task_passes())
		return 0;
	report_alloc(ctx, SLOT_SLOW_RET, OOMDIAG_KIND_ALLOC_FAIL, 0, gfp, order, 0, false);
	return 0;
unmatched:
	/* also where the fast path would jump here: userspace checks that */
	__sync_fetch_and_add(&slow_unmatched, 1);
	return 0;
}

/*
 * What the slow path does not see: an accounted (__GFP_ACCOUNT) page the
 * allocator got but could not charge to the memory cgroup's kmem counter;
 * the entry function frees it and returns NULL after the slow path, or
 * without entering it.  Runs only for accounted pages (gfp_account: the
 * running kernel's __GFP_ACCOUNT bit, from userspace; other callers, e.g.
 * the kernel stack's charge at fork, pass none).
 */
const volatile __u32 gfp_account;

/*
 * The thread whose kmem charge just failed on this CPU: alloc_pages_nolock()
 * then returns NULL too, and nolock_fexit must not count it twice.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} charge_failed SEC(".maps");

SEC("fexit/__memcg_kmem_charge_page")
int BPF_PROG(memcg_charge_fexit, struct page *page, gfp_t gfp, int order, int ret)
{
	__u32 zero = 0;
	__u64 *cf;

	if (!ret || !(gfp & gfp_account))
		return 0;
	cf = bpf_map_lookup_elem(&charge_failed, &zero);
	if (cf)
		*cf = bpf_get_current_pid_tgid() << 8 | oomdiag_context();
	if ((__u32)order < min_order || !task_passes())
		return 0;
	report_alloc(ctx, SLOT_MEMCG, OOMDIAG_KIND_ALLOC_FAIL, 0, gfp, order, 0, false);
	return 0;
}

/*
 * 6.15+: alloc_pages_nolock() (BPF, kmalloc_nolock()) takes pages from the
 * free lists without the slow path, and fails whenever a trylock does; the
 * kernel does not warn about it.  fexit on its traceable function (name
 * picked by userspace), which runs only for such requests.
 */
SEC("fexit")
int BPF_PROG(nolock_fexit, gfp_t gfp, int nid, unsigned int order, struct page *ret)
{
	__u32 zero = 0;
	__u64 *cf;

	if (ret)
		return 0;
	cf = bpf_map_lookup_elem(&charge_failed, &zero);
	if (cf && *cf == (bpf_get_current_pid_tgid() << 8 | oomdiag_context())) {
		*cf = 0;	/* reported by memcg_charge_fexit */
		return 0;
	}
	if (order < min_order || !task_passes())
		return 0;
	report_alloc(ctx, SLOT_NOLOCK, OOMDIAG_KIND_ALLOC_FAIL, 0, gfp, order, 0, false);
	return 0;
}

/* A thread enters reclaim or compaction: its request is slow from here. */
static __always_inline struct stall *stall_begin(__u32 order, __u32 gfp)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct stall *s = bpf_map_lookup_elem(&stall_start, &tid);

	if (s)
		return s;	/* a retry of the same request */
	{
		struct stall n = { .ts = bpf_ktime_get_ns(), .order = order, .gfp = gfp };

		if (bpf_map_update_elem(&stall_start, &tid, &n, BPF_NOEXIST)) {
			table_full(OOMDIAG_TABLE_STALL);
			return NULL;
		}
	}
	__sync_fetch_and_add(&stalls_pending, 1);
	return bpf_map_lookup_elem(&stall_start, &tid);
}

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_begin")
int tp_reclaim_begin(struct trace_event_raw_mm_vmscan_direct_reclaim_begin_template *ctx)
{
	struct stall *s = stall_begin(ctx->order, ctx->gfp_flags);

	if (s)
		s->reclaim_ts = bpf_ktime_get_ns();
	return 0;
}

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_end")
int tp_reclaim_end(struct trace_event_raw_mm_vmscan_direct_reclaim_end_template *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct stall *s = bpf_map_lookup_elem(&stall_start, &tid);

	if (!s || !s->reclaim_ts)
		return 0;
	hist_add(OOMDIAG_HIST_RECLAIM, s->order, bpf_ktime_get_ns() - s->reclaim_ts);
	s->reclaim_ts = 0;
	return 0;
}

SEC("tracepoint/compaction/mm_compaction_try_to_compact_pages")
int tp_compact(struct trace_event_raw_mm_compaction_try_to_compact_pages *ctx)
{
	__sync_fetch_and_add(&compact_stalls[order_slot(ctx->order)], 1);
	stall_begin(ctx->order, ctx->gfp_mask);
	return 0;
}

SEC("tracepoint/oom/reclaim_retry_zone")
int tp_retry(struct trace_event_raw_reclaim_retry_zone *ctx)
{
	__sync_fetch_and_add(&reclaim_retries[order_slot(ctx->order)], 1);
	return 0;
}

/* ---- --latency: every allocation, entry to return ---- */

SEC("fentry")
int BPF_PROG(alloc_enter, gfp_t gfp, unsigned int order)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lat *l;
	__u32 d;

	if (order < min_order)
		return 0;
	l = bpf_map_lookup_elem(&lat_start, &tid);
	if (!l) {
		struct lat z = {};

		bpf_map_update_elem(&lat_start, &tid, &z, BPF_NOEXIST);
		l = bpf_map_lookup_elem(&lat_start, &tid);
		if (!l) {
			table_full(OOMDIAG_TABLE_LATENCY);
			return 0;
		}
	}
	d = l->depth;
	l->depth = d + 1;
	if (d >= LAT_DEPTH)
		return 0;
	/* keep the verifier's bounds: mask after the compiler's last look */
	asm volatile("" : "+r"(d));
	l->ts[d & (LAT_DEPTH - 1)] = bpf_ktime_get_ns();
	return 0;
}

SEC("fexit")
int BPF_PROG(alloc_exit, gfp_t gfp, unsigned int order, int nid, void *nodemask,
	     struct page *ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lat *l;
	__u64 d;
	__u32 depth;

	if (order < min_order)
		return 0;
	l = bpf_map_lookup_elem(&lat_start, &tid);
	if (!l || !l->depth)
		return 0;	/* entered before we attached */
	depth = --l->depth;
	if (depth >= LAT_DEPTH) {
		__sync_fetch_and_add(&latency_untimed, 1);
		return 0;
	}
	asm volatile("" : "+r"(depth));
	d = bpf_ktime_get_ns() - l->ts[depth & (LAT_DEPTH - 1)];
	hist_add(OOMDIAG_HIST_ALLOC, order, d);
	if (!slow_ns || d < slow_ns || !task_passes())
		return 0;
	report_alloc(ctx, SLOT_ALLOC_EXIT, OOMDIAG_KIND_SLOW_ALLOC, 0, gfp, order, d,
		     nodemask != NULL);
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
	w->printed = 0;
	n = bpf_get_stack(ctx, w->stack, sizeof(w->stack), 0);
	w->nr_stack = n > 0 ? n / sizeof(__u64) : 0;
	return w;
}

/* warn_start key: an interrupt's warn_alloc() on the same thread gets its own */
static __always_inline __u64 warn_key(void)
{
	return (bpf_get_current_pid_tgid() & 0xffffffffULL) << 8 | oomdiag_context();
}

SEC("kprobe")
int BPF_KPROBE(warn_alloc_enter, gfp_t gfp, void *nodemask, const char *fmt)
{
	__u64 key = warn_key();
	struct warn_start *w = warn_fill(ctx, gfp, fmt);

	if (!w)
		return 0;
	w->missed = oomdiag_rs_missed((void *)nopage_rs_addr);
	if (bpf_map_update_elem(&warn_start, &key, w, BPF_ANY))
		table_full(OOMDIAG_TABLE_WARN);
	return 0;
}

/*
 * warn_alloc() calls cpuset_print_current_mems_allowed() and dump_stack()
 * only when its report is printed: past __GFP_NOWARN and the nopage_rs
 * ratelimit (and not a DMA request on a machine without DMA memory).  The
 * module tells ratelimited reports apart by dump_stack; BPF kprobes need an
 * ftrace-able function and dump_stack*() are not on Debian's kernels, so
 * userspace picks the first that is.  Per thread and context, so other
 * CPUs cannot confuse it.
 */
SEC("kprobe")
int BPF_KPROBE(warn_dump_stack)
{
	__u64 key = warn_key();
	struct warn_start *w = bpf_map_lookup_elem(&warn_start, &key);

	if (w)
		w->printed = 1;
	return 0;
}

static __always_inline int warn_emit(struct warn_start *w, bool have_exit)
{
	struct oomdiag_burst *n;
	__u32 flags = 0, slot = SLOT_WARN;
	int i;

	if (w->gfp & OOMDIAG_GFP_NOWARN) {
		flags |= OOMDIAG_F_SILENT | OOMDIAG_F_NOWARN;
	} else if (have_exit && have_dump_stack) {
		if (!w->printed)
			flags |= OOMDIAG_F_SILENT | OOMDIAG_F_RATELIMITED;
	} else if (have_exit && w->missed >= 0) {
		/* approximate: other CPUs move missed too (no dump_stack probe) */
		int after = oomdiag_rs_missed((void *)nopage_rs_addr);

		if (after == w->missed + 1)
			flags |= OOMDIAG_F_SILENT | OOMDIAG_F_RATELIMITED;
	}
	if (w->order != ~0u && w->order > 3)
		flags |= OOMDIAG_F_COSTLY;
	count_produced(OOMDIAG_KIND_WARN_ALLOC);
	n = bpf_map_lookup_elem(&burst_scratch, &slot);
	if (!n) {
		__sync_fetch_and_add(&dropped[OOMDIAG_KIND_WARN_ALLOC], 1);
		return 0;
	}
	n->nr_stack = w->nr_stack;
#pragma unroll
	for (i = 0; i < OOMDIAG_STACK_DEPTH; i++)
		n->stack[i] = w->stack[i];
	/* latency_ns is the slow path's, which warn_alloc() does not know */
	if (burst_sample(OOMDIAG_KIND_WARN_ALLOC, flags, w->gfp, w->order, n))
		send_alloc(OOMDIAG_KIND_WARN_ALLOC, flags, w->gfp, w->order, 0, false, n);
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(warn_alloc_exit)
{
	__u64 key = warn_key();
	struct warn_start *w = bpf_map_lookup_elem(&warn_start, &key);

	if (!w)
		return 0;
	warn_emit(w, true);
	bpf_map_delete_elem(&warn_start, &key);
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

#define MAX_CGROUP_DEPTH 16
#define PATH_MASK (OOMDIAG_CGROUP_PATH_LEN - 1)

/*
 * Path of a cgroup kernfs node, "/a/b"; "/" for the root.  True when it
 * had to be cut: deeper than MAX_CGROUP_DEPTH (then it starts "/..." and
 * keeps the deepest components) or longer than OOMDIAG_CGROUP_PATH_LEN - 1.
 */
static __always_inline bool kn_path(struct kernfs_node *kn, char *out)
{
	const char *names[MAX_CGROUP_DEPTH];
	struct path_buf *pb;
	bool cut = false;
	__u32 zero = 0;
	__u64 off = 0;
	int depth = 0, i;

	out[0] = '/';
	out[1] = 0;
	pb = bpf_map_lookup_elem(&path_scratch, &zero);
	if (!pb || !kn)
		return false;
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
		return false;
	if (depth == MAX_CGROUP_DEPTH && oomdiag_kn_parent(kn)) {
		pb->buf[0] = '/';
		pb->buf[1] = '.';
		pb->buf[2] = '.';
		pb->buf[3] = '.';
		off = 4;
		cut = true;
	}
#pragma unroll
	for (i = MAX_CGROUP_DEPTH - 1; i >= 0; i--) {
		__u64 o = off;
		long n;

		if (i >= depth)
			continue;
		/* keep the verifier's bounds: mask after the compiler's last look */
		asm volatile("" : "+r"(o));
		o &= PATH_MASK;
		pb->buf[o] = '/';
		o++;
		n = bpf_probe_read_kernel_str(&pb->buf[o & PATH_MASK], OOMDIAG_CGROUP_PATH_LEN,
					      names[i]);
		if (n > 1)
			o += n - 1;
		off = o;
		if (off >= OOMDIAG_CGROUP_PATH_LEN - 1) {
			/* exactly full with nothing left is whole */
			if (i > 0 || off > OOMDIAG_CGROUP_PATH_LEN - 1)
				cut = true;
			break;
		}
	}
	if (off >= OOMDIAG_CGROUP_PATH_LEN - 1) {
		pb->buf[OOMDIAG_CGROUP_PATH_LEN - 1] = 0;
	} else {
		__u64 o = off;

		asm volatile("" : "+r"(o));
		pb->buf[o & PATH_MASK] = 0;
	}
	bpf_probe_read_kernel(out, OOMDIAG_CGROUP_PATH_LEN, pb->buf);
	out[OOMDIAG_CGROUP_PATH_LEN - 1] = 0;
	return cut;
}

static __always_inline struct kernfs_node *task_dfl_kn(struct task_struct *t)
{
	return BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
}

static __always_inline __u64 kn_id(struct kernfs_node *kn)
{
	return kn ? BPF_CORE_READ(kn, id) : 0;
}

/* Victim fields from its task; returns OOMDIAG_F_PATH_TRUNCATED or 0. */
static __always_inline __u32 fill_victim(struct oomdiag_oom_info *o, struct task_struct *t)
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
	/* the memory cgroup, as dmesg's task_memcg= */
	return kn_path(oomdiag_task_memcg_kn(t), o->victim_memcg) ? OOMDIAG_F_PATH_TRUNCATED : 0;
}

/*
 * ---- The kill ledger (struct oomdiag_ledger_rec, bpf/oomdiag_bpf.h) ----
 *
 * At oom_kill_process() entry, under oom_lock, the OOM's domain is walked
 * again as select_bad_process() / mem_cgroup_scan_tasks() walked it:
 * init_task.tasks (for_each_process), a process in the domain when oc has
 * no memcg or its memory cgroup is oc->memcg or below.  Each process is
 * one call of ledger_task(), a global function the verifier checks once,
 * so the walk costs it OOMDIAG_LEDGER_WALK_MAX small iterations on 5.10
 * (no bpf_loop there).  Per process, mm/oom_kill.c's oom_unkillable_task(),
 * tsk_is_oom_victim(), oom_task_origin() and oom_badness(): the first
 * thread with an mm (find_lock_task_mm(), without its task_lock: the
 * counters are read as dump_tasks() reads them), adj -1000, MMF_OOM_SKIP,
 * in_vfork(); points = rss + swap + page tables + adj * (totalpages/1000).
 */
extern const void init_task __ksym __weak;
const volatile bool rss_sum;		/* oom_badness() sums the rss percpu counters (6.19+) */
const volatile bool single_node;	/* one node online: cpuset eligibility is moot */
__u64 ledger_produced;			/* ledgers built */
__u64 ledger_dropped;			/* ledgers the ring buffer had no room for */
__u64 ledger_truncated;			/* walks stopped at OOMDIAG_LEDGER_WALK_MAX or a cgroup too deep */
__u64 ledger_failed;			/* no init_task symbol: no ledger */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct oomdiag_ledger_rec);
} ledger_scratch SEC(".maps");

#define OOMDIAG_PF_KTHREAD	0x00200000	/* include/linux/sched.h, 5.10..7.2 */
#define OOMDIAG_MMF_OOM_SKIP	21
#define OOMDIAG_OOM_SCORE_ADJ_MIN (-1000)
#define OOMDIAG_LEDGER_THREADS	16	/* threads tried for an mm (find_lock_task_mm) */
#define OOMDIAG_LEDGER_DEPTH	32	/* cgroup levels climbed for the memcg test */

/* Does @a come before @b in oom_evaluate_task()'s choice? (module/ledger.c) */
static __always_inline bool lx_before(const struct oomdiag_ledger_row *a,
				      const struct oomdiag_ledger_row *b)
{
	__s64 pa = a->has_points ? a->points : (-0x7fffffffffffffffLL - 1);
	__s64 pb = b->has_points ? b->points : (-0x7fffffffffffffffLL - 1);

	if (a->origin != b->origin)
		return a->origin;
	if (pa != pb)
		return pa > pb;
	return a->walk > b->walk;
}

static __always_inline __u64 lx_pages(const struct oomdiag_ledger_row *r)
{
	return r->anon + r->file + r->shmem + r->swap + r->pgtables;
}

/* Is @t's memory cgroup oc->memcg (@root) or below it? */
static __always_inline int lx_in_memcg(struct task_struct *t, __u64 root)
{
	int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	struct cgroup_subsys_state *css = NULL;
	struct css_set *cs = BPF_CORE_READ(t, cgroups);
	struct cgroup *cg;
	int i;

	if (!cs)
		return 0;
	bpf_core_read(&css, sizeof(css), &cs->subsys[id & 15]);
	if (!css)
		return 0;
	cg = BPF_CORE_READ(css, cgroup);
	for (i = 0; i < OOMDIAG_LEDGER_DEPTH; i++) {
		if (!cg)
			return 0;
		if ((__u64)cg == root)
			return 1;
		cg = BPF_CORE_READ(cg, self.parent, cgroup);
	}
	return -1;	/* deeper than we climb: not known */
}

/* One process of the walk into the per-CPU ledger; 0, or -1 when the ledger is gone. */
__noinline int ledger_task(__u64 task, __u32 walk)
{
	struct task_struct *p = (struct task_struct *)task, *t;
	struct oomdiag_ledger_rec *l;
	struct oomdiag_ledger_row r = {};
	struct mm_struct *mm = NULL;
	struct signal_struct *sig;
	const char *head;
	__u64 toff;
	__u32 zero = 0, flags, n, i;
	int in;

	l = bpf_map_lookup_elem(&ledger_scratch, &zero);
	if (!l || !p)
		return -1;
	if (l->oc_memcg_cgrp) {
		in = lx_in_memcg(p, l->oc_memcg_cgrp);
		if (in < 0)
			l->walk_truncated = 1;
		if (in <= 0)
			return 0;
	}
	l->walked++;
	r.walk = walk;
	r.pid = BPF_CORE_READ(p, tgid);
	BPF_CORE_READ_STR_INTO(&r.comm, p, comm);
	sig = BPF_CORE_READ(p, signal);
	r.oom_score_adj = BPF_CORE_READ(sig, oom_score_adj);
	r.victim = l->chosen && r.pid == l->victim_pid;
	flags = BPF_CORE_READ(p, flags);
	if (r.pid == 1) {
		r.exempt = OOMDIAG_LX_INIT;
	} else if (flags & OOMDIAG_PF_KTHREAD) {
		r.exempt = OOMDIAG_LX_KTHREAD;
	} else {
		r.origin = BPF_CORE_READ(sig, oom_flag_origin);
		/* find_lock_task_mm(): the first thread of signal->thread_head with an mm */
		toff = bpf_core_field_offset(struct task_struct, thread_node);
		head = (const char *)sig + bpf_core_field_offset(struct signal_struct, thread_head);
		t = NULL;
		bpf_probe_read_kernel(&t, sizeof(t), head);	/* thread_head.next */
		for (i = 0; i < OOMDIAG_LEDGER_THREADS; i++) {
			if (!t || (const char *)t == head)
				break;
			t = (struct task_struct *)((const char *)t - toff);
			mm = BPF_CORE_READ(t, mm);
			if (mm)
				break;
			bpf_probe_read_kernel(&t, sizeof(t), (const char *)t + toff);
		}
		if (!mm) {
			/* no thread with an mm among the first OOMDIAG_LEDGER_THREADS */
			if (i == OOMDIAG_LEDGER_THREADS)
				l->walk_truncated = 1;
			r.exempt = OOMDIAG_LX_NO_MM;
		} else {
			__s64 adj;

			r.has_mm = 1;
			r.anon = oomdiag_mm_counter_oom(mm, OOMDIAG_MM_ANONPAGES, rss_sum);
			r.file = oomdiag_mm_counter_oom(mm, OOMDIAG_MM_FILEPAGES, rss_sum);
			r.shmem = oomdiag_mm_counter_oom(mm, OOMDIAG_MM_SHMEMPAGES, rss_sum);
			r.swap = oomdiag_mm_counter_oom(mm, OOMDIAG_MM_SWAPENTS, rss_sum);
			r.pgtables = BPF_CORE_READ(mm, pgtables_bytes.counter) >> page_shift;
			/* the adj of the thread with the mm, as oom_badness() */
			r.oom_score_adj = BPF_CORE_READ(t, signal, oom_score_adj);
			if (r.oom_score_adj == OOMDIAG_OOM_SCORE_ADJ_MIN) {
				r.exempt = OOMDIAG_LX_ADJ_MIN;
			} else if (oomdiag_mm_flag(mm, OOMDIAG_MMF_OOM_SKIP)) {
				r.exempt = OOMDIAG_LX_OOM_SKIP;
			} else if (BPF_CORE_READ(t, vfork_done) &&
				   BPF_CORE_READ(t, real_parent, mm) == mm) {
				r.exempt = OOMDIAG_LX_VFORK;
			} else {
				adj = r.oom_score_adj;
				adj *= (__s64)(l->totalpages / 1000);
				r.adj_points = adj;
				r.points = (__s64)lx_pages(&r) + adj;
				r.has_points = 1;
				if (BPF_CORE_READ(sig, oom_mm))
					r.exempt = OOMDIAG_LX_VICTIM;
			}
		}
	}
	/* module/taskinfo.c oomdiag_task_candidate() */
	if (r.exempt != OOMDIAG_LX_INIT && r.exempt != OOMDIAG_LX_KTHREAD &&
	    r.exempt != OOMDIAG_LX_VICTIM && (r.origin || r.has_points)) {
		l->candidates++;
		n = l->nr_rows;
		if (n < OOMDIAG_LEDGER_ROWS) {
			l->rows[n & (OOMDIAG_LEDGER_ROWS - 1)] = r;
			l->nr_rows = ++n;
			if (n < OOMDIAG_LEDGER_ROWS)
				return 0;
		} else {
			i = l->worst & (OOMDIAG_LEDGER_ROWS - 1);
			if (!lx_before(&r, &l->rows[i]))
				return 0;
			l->rows[i] = r;
		}
		/* the lowest-ranked row, the next to be replaced */
		n = 0;
		for (i = 1; i < OOMDIAG_LEDGER_ROWS; i++)
			if (lx_before(&l->rows[n & (OOMDIAG_LEDGER_ROWS - 1)], &l->rows[i]))
				n = i;
		l->worst = n;
		return 0;
	}
	l->exempt++;
	if (r.exempt == OOMDIAG_LX_KTHREAD || !lx_pages(&r))
		return 0;
	n = l->nr_exempt;
	if (n < OOMDIAG_LEDGER_EXEMPT) {
		l->ex[n & 1] = r;
		l->nr_exempt = n + 1;
	} else {
		i = lx_pages(&l->ex[0]) <= lx_pages(&l->ex[1]) ? 0 : 1;
		if (lx_pages(&r) > lx_pages(&l->ex[i]))
			l->ex[i] = r;
	}
	return 0;
}

/*
 * One step of for_each_process(): the process whose tasks list node is
 * @pos, then the next node; 0 at the end of the list (or on a failed read).
 */
__noinline __u64 ledger_step(__u64 pos, __u32 walk)
{
	__u64 toff = bpf_core_field_offset(struct task_struct, tasks);
	const char *head = (const char *)&init_task + toff;
	__u64 next = 0;

	if (!pos || (const char *)pos == head)
		return 0;
	if (ledger_task(pos - toff, walk) < 0)
		return 0;
	if (bpf_probe_read_kernel(&next, sizeof(next), (const void *)pos))
		return 0;
	return next;
}

/*
 * OOMDIAG_LEDGER_CHUNK steps; the next node, or 0 when the walk ended.
 * Two levels of loops, each a global function checked once: every loop
 * iteration leaves a branch for the verifier to come back to, and it
 * allows 8192 of them in a row (BPF_COMPLEXITY_LIMIT_JMP_SEQ).
 */
#define OOMDIAG_LEDGER_CHUNK	256
__noinline __u64 ledger_chunk(__u64 pos, __u32 walk)
{
	__u32 i;

	for (i = 0; i < OOMDIAG_LEDGER_CHUNK; i++) {
		pos = ledger_step(pos, walk + i);
		if (!pos)
			break;
	}
	return pos;
}

/* Walks the domain and sends the ledger before the oom_kill event. */
static __always_inline void ledger_send(struct oom_control *oc, struct task_struct *victim,
					__u32 constraint)
{
	__u64 toff = bpf_core_field_offset(struct task_struct, tasks);
	struct oomdiag_ledger_rec *l;
	struct mem_cgroup *memcg;
	const char *head;
	void *pos = NULL;
	__u32 zero = 0, i;

	l = bpf_map_lookup_elem(&ledger_scratch, &zero);
	if (!l || !&init_task) {
		__sync_fetch_and_add(&ledger_failed, 1);
		return;
	}
	__sync_fetch_and_add(&ledger_produced, 1);
	__builtin_memset(l, 0, offsetof(struct oomdiag_ledger_rec, rows));
	l->magic = OOMDIAG_LEDGER_MAGIC;
	l->cpu = bpf_get_smp_processor_id();
	l->totalpages = BPF_CORE_READ(oc, totalpages);
	l->constraint = constraint;
	l->chosen = (__u64)victim;
	l->victim_pid = BPF_CORE_READ(victim, tgid);
	memcg = BPF_CORE_READ(oc, memcg);
	l->memcg = memcg != NULL;
	l->oc_memcg_cgrp = memcg ? (__u64)BPF_CORE_READ(memcg, css.cgroup) : 0;
	l->nodes_checked = memcg || single_node;
	head = (const char *)&init_task + toff;
	bpf_probe_read_kernel(&pos, sizeof(pos), head);		/* init_task.tasks.next */
	for (i = 0; i < OOMDIAG_LEDGER_WALK_MAX / OOMDIAG_LEDGER_CHUNK; i++) {
		pos = (void *)ledger_chunk((__u64)pos, i * OOMDIAG_LEDGER_CHUNK);
		if (!pos)
			break;
	}
	if (pos && (const char *)pos != head)
		l->walk_truncated = 1;
	if (l->walk_truncated)
		__sync_fetch_and_add(&ledger_truncated, 1);
	l->ts_ns = bpf_ktime_get_ns();
	if (bpf_ringbuf_output(&events, l, sizeof(*l), 0))
		__sync_fetch_and_add(&ledger_dropped, 1);
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
	ledger_send(oc, victim, bpf_core_field_exists(oc->constraint) ?
			 BPF_CORE_READ(oc, constraint) : OOMDIAG_CONSTRAINT_UNKNOWN);
	count_produced(OOMDIAG_KIND_OOM_KILL);
	e = event_new(OOMDIAG_KIND_OOM_KILL);
	if (!e)
		return 0;
	e->flags |= fill_victim(&e->oom, victim);
	e->oom.points = BPF_CORE_READ(oc, chosen_points);
	e->oom.totalpages = BPF_CORE_READ(oc, totalpages);
	e->oom.gfp = BPF_CORE_READ(oc, gfp_mask);
	e->oom.order = BPF_CORE_READ(oc, order);
	if (bpf_core_field_exists(oc->constraint))
		e->oom.constraint = BPF_CORE_READ(oc, constraint);
	else
		e->oom.constraint = OOMDIAG_CONSTRAINT_UNKNOWN;
	if (mkn && kn_path(mkn, e->oom.memcg))
		e->flags |= OOMDIAG_F_PATH_TRUNCATED;
	else if (!mkn)
		e->oom.memcg[0] = 0;	/* global OOM: no memcg domain */
	event_stack(ctx, e);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/*
 * A victim from its task: the oom:mark_victim BTF tracepoint passes it
 * (6.8+, Debian 6.1 backport); mark_oom_victim(tsk) elsewhere (5.10).
 * victim_pid is its tgid, as the ABI says (the tracepoint's own pid field
 * is the thread id).
 */
static __always_inline int victim_event(struct task_struct *t)
{
	struct oomdiag_event *e;
	__u32 tgid = BPF_CORE_READ(t, tgid);

	if (targ_tgid && tgid != targ_tgid && (bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return 0;
	count_produced(OOMDIAG_KIND_OOM_VICTIM);
	e = event_new(OOMDIAG_KIND_OOM_VICTIM);
	if (!e)
		return 0;
	fill_victim(&e->oom, t);
	/* dmesg prints no cgroup for a victim line: the oom_kill record has it */
	e->oom.victim_memcg[0] = 0;
	e->oom.constraint = OOMDIAG_CONSTRAINT_UNKNOWN;
	e->oom.order = -1;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/mark_victim")
int BPF_PROG(mark_victim_btf, struct task_struct *task)
{
	return victim_event(task);
}

/*
 * mark_oom_victim() returns at once for a task that already has TIF_MEMDIE
 * (a group kill walks the chosen task again), before its tracepoint: skip
 * those as the tracepoint does.  TIF_MEMDIE is 20 on x86 in 5.10..6.12.
 */
#define OOMDIAG_TIF_MEMDIE 20

SEC("kprobe")
int BPF_KPROBE(mark_victim_kprobe, struct task_struct *task)
{
	if (BPF_CORE_READ(task, thread_info.flags) & (1UL << OOMDIAG_TIF_MEMDIE))
		return 0;
	return victim_event(task);
}

/* Last resort: the tracepoint record; victim_pid is then a thread id. */
SEC("tracepoint/oom/mark_victim")
int tp_mark_victim(struct trace_event_raw_mark_victim *ctx)
{
	struct oomdiag_event *e;
	int pid = ctx->pid;

	if (targ_tgid && pid != targ_tgid && (bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return 0;
	count_produced(OOMDIAG_KIND_OOM_VICTIM);
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

static __always_inline __u32 read_int(const void *addr)
{
	int v = 0;

	if (addr)
		bpf_probe_read_kernel(&v, sizeof(v), addr);
	return v;
}

static __always_inline int vm_refused(void *ctx, __s64 pages)
{
	struct oomdiag_event *e;
	__s64 committed = 0;
	__u64 ratio, kbytes, allowed;

	count_produced(OOMDIAG_KIND_VM_REFUSED);
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

/* One fexit: arguments and result together, no per-thread table. */
SEC("fexit/__vm_enough_memory")
int BPF_PROG(vm_enough_fexit, struct mm_struct *mm, long pages, int cap_sys_admin, int ret)
{
	if (ret != -ENOMEM || !task_passes())
		return 0;
	return vm_refused(ctx, pages);
}

/* Fallback: kprobe + kretprobe, the request size kept per thread. */
SEC("kprobe")
int BPF_KPROBE(vm_enough_enter, struct mm_struct *mm, long pages)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vm_start v = { .pages = pages };

	if (!task_passes())
		return 0;
	if (bpf_map_update_elem(&vm_start, &tid, &v, BPF_ANY))
		table_full(OOMDIAG_TABLE_VM);
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(vm_enough_exit, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vm_start *v = bpf_map_lookup_elem(&vm_start, &tid);
	__s64 pages;

	if (!v)
		return 0;
	pages = v->pages;
	bpf_map_delete_elem(&vm_start, &tid);
	if (ret != -ENOMEM)
		return 0;
	return vm_refused(ctx, pages);
}
