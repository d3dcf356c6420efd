// SPDX-License-Identifier: GPL-2.0
/*
 * Why did it fail: the cause analysis of `oomdiag explain`.
 *
 * The checks follow what the allocator itself does: __zone_watermark_ok()
 * (free pages minus free CMA for non-CMA requests, against min reduced for
 * __GFP_HIGH/atomic requests, plus a free block of the order in a free list
 * the request may take), gfp_zone() for the zones a request may use, and
 * oom_badness() for the victim choice.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "causes.h"
#include "oomdiag_event.h"
#include "util.h"

#define COSTLY_ORDER 3

/* Human size, "?" when the log did not say. */
static const char *hk(char *buf, size_t len, long long kb)
{
	if (kb < 0) {
		snprintf(buf, len, "?");
		return buf;
	}
	return human_kb(buf, len, (uint64_t)kb);
}

/* A cgroup limit: "unlimited" for PAGE_COUNTER_MAX (9007199254740988 kB). */
static const char *hk_limit(char *buf, size_t len, long long kb)
{
	if (kb >= (1LL << 50)) {
		snprintf(buf, len, "unlimited");
		return buf;
	}
	return hk(buf, len, kb);
}

/* ---- gfp -------------------------------------------------------------- */

static void pick_layout(const struct lp_report *r, struct analysis *a)
{
	uint64_t m;

	if (!r->has_gfp)
		return;
	if (r->kernel[0]) {
		a->layout = gfp_layout_for_version(r->kernel);
		if (a->layout && r->gfp_names[0] &&
		    (gfp_parse_names(a->layout, r->gfp_names, &m) || m != r->gfp_mask))
			a->layout = NULL;	/* a distro backport: find the one that prints this */
	}
	if (!a->layout && r->gfp_names[0]) {
		/* newest built-in table that spells this mask with these names */
		for (size_t i = gfp_builtin_count(); i-- > 0;) {
			const struct gfp_layout *l = gfp_builtin(i);

			if (!gfp_parse_names(l, r->gfp_names, &m) && m == r->gfp_mask) {
				a->layout = l;
				a->layout_matched = true;
				break;
			}
		}
	}
	if (!a->layout && r->kernel[0])
		a->layout = gfp_layout_for_version(r->kernel);
	if (!a->layout) {
		/*
		 * No version and no names: kernels before 4.6 printed no names,
		 * so an old layout is the better guess.
		 */
		a->layout = gfp_layout_for_version(r->gfp_names[0] ? "6.1" : "3.10");
		a->layout_assumed = true;
	}
}

static bool is_oom(const struct lp_report *r);

static void decode_gfp(const struct lp_report *r, struct analysis *a)
{
	pick_layout(r, a);
	if (!r->has_gfp)
		return;
	if (r->gfp_names[0]) {
		snprintf(a->flags, sizeof(a->flags), "%s", r->gfp_names);
	} else if (a->layout) {
		gfp_format(a->layout, r->gfp_mask, a->flags, sizeof(a->flags));
		a->flags_decoded = true;
	}
	/* gfp 0 in an OOM report is pagefault_out_of_memory(): no request at all */
	if (r->gfp_mask == 0 && is_oom(r))
		return;
	if (a->layout && !gfp_behaviour(a->layout, r->gfp_mask, r->order > 0 ? (unsigned)r->order : 0,
					&a->b))
		a->have_behaviour = true;
}

/* ---- zones ------------------------------------------------------------ */

static int zone_rank(const char *name)
{
	static const char *order[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable", "Device" };

	for (int i = 0; i < 6; i++)
		if (!strcmp(name, order[i]))
			return i;
	return -1;
}

/* A free list letter this request may take from. */
static bool type_usable(const struct analysis *a, char t)
{
	switch (t) {
	case 'C':
		return a->have_behaviour && a->b.cma;
	case 'I':
		return false;
	case 'H':
	case 'R':	/* MIGRATE_RESERVE of 2.6.24-4.3: last resort for anyone */
		return !a->have_behaviour || a->b.highatomic || a->b.highatomic_fallback ||
		       t == 'R';
	default:
		return true;
	}
}

static void zone_facts(const struct lp_report *r, struct analysis *a)
{
	int max_rank = a->have_behaviour && a->b.zone ? zone_rank(a->b.zone) : -1;

	for (int i = 0; i < r->nr_zones; i++) {
		const struct lp_zone *z = &r->zones[i];
		struct causes_zone *c = &a->zones[i];
		int rank = zone_rank(z->name);

		c->usable = max_rank < 0 || rank < 0 || rank <= max_rank;
		/* ZONE_MOVABLE only for movable requests */
		if (rank == 4 && a->have_behaviour && strcmp(a->b.zone, "Movable"))
			c->usable = false;
		c->highest_free_order = c->highest_usable_order = z->has_buddy ? -1 : -2;
		for (int o = 0; z->has_buddy && o < z->nr_orders; o++) {
			if (z->free_blocks[o] <= 0)
				continue;
			c->highest_free_order = o;
			if (!z->buddy_has_types || !z->types[o][0]) {
				c->highest_usable_order = o;
				continue;
			}
			for (const char *t = z->types[o]; *t; t++)
				if (type_usable(a, *t)) {
					c->highest_usable_order = o;
					break;
				}
		}
	}
}

/* ---- causes ----------------------------------------------------------- */

static struct cause *add(struct analysis *a, const char *id, const char *advice)
{
	struct cause *c;

	if (a->nr_causes >= CAUSES_MAX)
		return NULL;
	c = &a->causes[a->nr_causes++];
	c->id = id;
	c->advice = advice;
	c->evidence[0] = '\0';
	return c;
}

static void ev(struct cause *c, const char *fmt, ...)
{
	size_t l;
	va_list ap;

	if (!c)
		return;
	l = strlen(c->evidence);
	if (l >= sizeof(c->evidence) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(c->evidence + l, sizeof(c->evidence) - l, fmt, ap);
	va_end(ap);
}

static bool is_oom(const struct lp_report *r)
{
	return r->kind == LP_KIND_GLOBAL_OOM || r->kind == LP_KIND_MEMCG_OOM;
}

static long long order_kb(const struct lp_report *r)
{
	return r->order >= 0 && r->order < 40 ? r->page_kb << r->order : r->page_kb;
}

static const char *gfp_text(const struct lp_report *r, const struct analysis *a, char *buf,
			    size_t len)
{
	snprintf(buf, len, "0x%llx%s%s%s", (unsigned long long)r->gfp_mask,
		 a->flags[0] ? " (" : "", a->flags, a->flags[0] ? ")" : "");
	return buf;
}

/* The min watermark this request has to stay above, in kB. */
static long long req_min(const struct analysis *a, long long min_kb)
{
	if (!a->have_behaviour || !a->b.wmark_den)
		return min_kb;
	return min_kb * a->b.wmark_num / a->b.wmark_den;
}

static const char ADV_ATOMIC[] =
	"The request could not sleep, so the allocator could neither reclaim nor compact: it "
	"only takes what is already on the free lists above a (reduced) min watermark. Atomic "
	"callers (interrupts, softirq/network receive, code under a spinlock) must tolerate "
	"failure, and most do (the packet is dropped, the operation retried), so an occasional "
	"report is noise. If it is frequent: raise vm.min_free_kbytes moderately so kswapd keeps "
	"a larger reserve for bursts (caveat: that memory is taken from applications, and too "
	"high a value itself causes OOMs); for order>0 atomic allocations reduce the need for "
	"contiguous memory (smaller MTU/rx rings, drivers using page fragments or order-0 pages); "
	"where the code allows, allocate in process context or preallocate (mempool). A caller "
	"with a fallback should pass __GFP_NOWARN.";

static const char ADV_COSTLY[] =
	"Orders above PAGE_ALLOC_COSTLY_ORDER (3) are tried with limited reclaim/compaction "
	"effort and never invoke the OOM killer, so they fail whenever memory is fragmented. Do "
	"not depend on large physically contiguous buffers at run time: use kvmalloc()/kvzalloc() "
	"when physical contiguity is not needed (it falls back to vmalloc), scatter-gather or "
	"CMA-backed dma_alloc_coherent() for DMA, or allocate the buffer once at probe/boot. "
	"__GFP_RETRY_MAYFAIL makes the allocator try harder (more reclaim and compaction) at the "
	"cost of latency, and it can still fail. Callers that fall back by design (THP, TTM, "
	"networking) should pass __GFP_NOWARN.";

static const char ADV_FRAG[] =
	"Free memory exists but not in blocks of the requested size. Compaction can assemble "
	"them: echo 1 > /proc/sys/vm/compact_memory (one-off), vm.compaction_proactiveness "
	"(5.9+), or raising vm.min_free_kbytes / vm.watermark_scale_factor so kswapd and "
	"kcompactd keep more headroom. Caveats: compaction cannot move unmovable kernel pages, "
	"so pageblocks mixed with 'U'/'E' pages stay fragmented; more reserve means less memory "
	"for applications. The robust fix is on the caller: order-0 allocations, kvmalloc(), "
	"scatter-gather. /proc/pagetypeinfo and /sys/kernel/debug/extfrag/ show how fragmented "
	"each zone is over time; `oomdiag buddy --watch` does too.";

static const char ADV_TRANSIENT[] =
	"The report is printed after the attempt failed, and memory changed in between: the "
	"failure itself wakes kswapd and kcompactd, kcompactd drains the per-CPU free lists so "
	"pages freed earlier merge into large blocks, and other tasks free memory meanwhile. "
	"The shortage was real when the request was made but short-lived: a retry, or a caller "
	"with a fallback, would have succeeded. If the caller can neither wait nor retry, treat "
	"it as fragmentation: keep large blocks free before such requests (vm.min_free_kbytes, "
	"vm.watermark_scale_factor, vm.compaction_proactiveness) or avoid the contiguous "
	"allocation (kvmalloc(), order-0 pages).";

static const char ADV_NORETRY[] =
	"The caller asked the allocator to give up early (__GFP_NORETRY), which is right for "
	"opportunistic allocations with a fallback (caches, readahead, optional buffers); then "
	"the failure is expected under memory pressure and __GFP_NOWARN should silence it. If "
	"the caller has no fallback, it should not use __GFP_NORETRY (use "
	"__GFP_RETRY_MAYFAIL to try harder without the OOM killer, or plain GFP_KERNEL).";

static const char ADV_CMA[] =
	"Pages in the CMA area may only hold movable allocations (user pages, page cache); this "
	"request is not movable, and the watermark check does not count free CMA pages for it. "
	"So the 'free' memory was unusable for it. Find what consumed the non-CMA memory (often "
	"a leak in a driver or slab growth: check slab_unreclaimable and /proc/slabinfo), and "
	"size the CMA reservation (cma= on the command line or the device tree reserved-memory "
	"node) to what its users (camera, GPU, video codec) really need. Caveats: shrinking CMA "
	"can make large contiguous buffers fail for those devices; older kernels only used CMA "
	"for movable allocations once normal memory ran low, newer ones balance earlier.";

static const char ADV_LOWMEM[] =
	"The request may only use the lower zone(s), which were below their watermark while "
	"higher zones still had memory. Requests restricted to DMA/DMA32 (GFP_DMA, GFP_DMA32, "
	"devices with a 32-bit DMA mask) or to lowmem on 32-bit kernels compete with everything "
	"else for a small zone. Options: vm.lowmem_reserve_ratio (a smaller ratio keeps more of "
	"the low zone away from allocations that could use higher zones; caveat: less memory "
	"overall), an IOMMU or swiotlb instead of GFP_DMA buffers, a 64-bit kernel instead of "
	"a 32-bit one with HighMem, and fixing whatever fills the low zone (slab, page tables).";

static const char ADV_ZONE[] =
	"The zones this request may use were at or below their min watermark: memory really ran "
	"out for this allocation class. If the request could reclaim, reclaim found nothing to "
	"free (anonymous memory without swap, unreclaimable kernel memory): see the largest "
	"consumers. If it could not (atomic), the reserve was too small for the burst: "
	"vm.min_free_kbytes and vm.watermark_scale_factor let kswapd start earlier (caveat: "
	"memory taken from applications).";

static const char ADV_MEMCG[] =
	"The OOM was confined to a memory cgroup: the group reached its limit (memory.max in "
	"cgroup v2, memory.limit_in_bytes in v1) and reclaim inside it could not free enough; "
	"the rest of the machine may have had plenty. Either the limit is too small for the "
	"workload (raise it; for containers size requests/limits from observed peak usage) or "
	"the workload leaks (watch memory.current/memory.stat over time). memory.high throttles "
	"before the hard limit is hit, and page cache and tmpfs/shmem count toward the limit "
	"too (shmem cannot be reclaimed without swap). Caveat: raising the limit only helps if "
	"the host has the memory.";

static const char ADV_CPUSET[] =
	"The OOM was confined to the nodes a cpuset allows (cpuset.mems): those nodes ran out "
	"while other nodes may have had free memory. Check `numactl --hardware` and the per-node "
	"zone lines below; widen cpuset.mems, or move the workload. Caveat: allowing remote "
	"nodes trades the OOM for slower remote memory access.";

static const char ADV_MEMPOLICY[] =
	"The OOM was confined by a NUMA memory policy (MPOL_BIND via numactl --membind, "
	"mbind() or set_mempolicy()): the bound nodes ran out while others may have had free "
	"memory. Use a preferred or interleave policy instead of a strict bind, or bind to more "
	"nodes. Caveat: a strict bind is often deliberate (latency); then the bound nodes need "
	"more memory or the workload less.";

static const char ADV_EXHAUSTED[] =
	"The machine ran out of memory as a whole: reclaim could not free enough (no swap or swap "
	"full, page cache already small) and the OOM killer had to choose a victim. The victim "
	"is not necessarily the culprit: look at the largest consumers listed and whether one "
	"grows over time (a leak), then limit it with a memory cgroup (systemd MemoryMax=, a "
	"container limit), add memory or swap, or reduce the workload. A userspace OOM daemon "
	"(systemd-oomd, earlyoom) acts earlier, on pressure (PSI) rather than exhaustion.";

static const char ADV_SLAB[] =
	"Much of memory is kernel slab that reclaim cannot free (slab_unreclaimable). A steady "
	"growth usually is a leak: compare /proc/slabinfo (or slabtop) over time, then find the "
	"allocator of the growing cache with slub_debug=U and /sys/kernel/slab/CACHE/alloc_calls, "
	"or kmemleak (CONFIG_DEBUG_KMEMLEAK). kmalloc-N caches point to drivers and subsystems; "
	"named caches point to their owner. Caveat: a large but stable slab can be legitimate "
	"(network buffers under load, filesystem metadata of huge directories); judge by trend.";

static const char ADV_SHMEM[] =
	"Much of memory is shmem/tmpfs, which reclaim can only move to swap, and there was no "
	"free swap. Look at tmpfs mounts (df -t tmpfs, /dev/shm, /run), SysV shared memory "
	"(ipcs -m), memfd users and GPU buffers. Limit tmpfs sizes (size= mount option) or add "
	"swap. Caveat: deleting files still open or mapped frees nothing until they are closed.";

static const char ADV_HUGETLB[] =
	"A large part of RAM is reserved for hugetlbfs pages (vm.nr_hugepages), which no "
	"ordinary allocation can use, free or not. Reduce the reservation to what the users of "
	"huge pages (databases, DPDK, VMs) really map, or let them use transparent huge pages. "
	"Caveat: huge pages freed at run time may not be possible to reserve again later "
	"(fragmentation), so size it deliberately.";

static const char ADV_ADJ[] =
	"The victim was chosen because of its oom_score_adj, not its size: badness is rss + swap "
	"+ page tables plus oom_score_adj/1000 of the available memory. Adjustments come from "
	"systemd (OOMScoreAdjust=), Kubernetes QoS classes (BestEffort 1000, Guaranteed -997), "
	"Android lmkd and browsers. If the largest process is the one growing, killing the "
	"others only buys time: lower its protection or limit it. Caveat: -1000 makes a task "
	"unkillable; with enough of them the OOM killer kills everything else or panics.";

static const char ADV_RATELIMIT[] =
	"These reports are ratelimited (warn_alloc: one per 10 s; the OOM report: 10 per 5 s), "
	"so the suppressed ones left no trace: they may have had other tasks, orders and flags. "
	"Allocations with __GFP_NOWARN are never reported at all. Record every failure with the "
	"oomdiag module (events file) or `oomdiag trace` (BPF), or the kmem:mm_page_alloc "
	"tracepoint; do not raise the ratelimits on production consoles (console printing from "
	"the allocation path causes latency and lockups).";

static const char ADV_VICTIM_FAIL[] =
	"The failing task had just been killed by the OOM killer (the report before this one). "
	"Allocations of a dying task are allowed to fail so that it exits quickly, and vmalloc "
	"fails once a fatal signal is pending. This failure is a consequence of that OOM, not a "
	"separate problem: look at the OOM report.";

static const char ADV_VMAP[] =
	"The vmalloc address space, not physical memory, ran out or is fragmented: on 32-bit "
	"kernels it is small (128 MB by default). Boot with vmalloc=<size> to enlarge it (caveat: "
	"shrinks lowmem), look for vmalloc users in /proc/vmallocinfo (module loads, large "
	"kvmalloc tables), and on 64-bit suspect a leak of vmalloc areas.";

static const char ADV_VMALLOC_PAGES[] =
	"vmalloc builds its area from order-0 pages, so contiguity was not the problem: there "
	"were not enough pages for this request class, or the task had a fatal signal pending "
	"(vmalloc gives up then, typical for OOM victims). Check free memory and watermarks in "
	"the zones below and the size requested; a huge size usually is a bug in the caller "
	"(unchecked user-supplied size).";

static const char ADV_NOKILL[] =
	"There was nothing the OOM killer was allowed to kill (all tasks exempt with "
	"oom_score_adj -1000, kernel threads, or already dying), or the system is set to panic "
	"on OOM (vm.panic_on_oom). Check which tasks are exempt and why; exempting everything "
	"turns an OOM into a hang or a panic.";

static const char ADV_SYSRQ[] =
	"Someone ran the OOM killer by hand (SysRq f: echo f > /proc/sysrq-trigger, a console "
	"break, or a watchdog/earlyoom-like tool that uses it). The report's numbers show the "
	"memory state at that moment, not a shortage; find who triggered it.";

static const char ADV_PAGEFAULT[] =
	"A page fault failed with VM_FAULT_OOM and the kernel ran the OOM killer from "
	"pagefault_out_of_memory() (kernels before 5.16); no allocation request of its own failed. "
	"Usually a charge failed: a cgroup v1 kmem limit (memory.kmem.limit_in_bytes; look for "
	"\"SLUB: Unable to allocate memory\" or \"page allocation failure\" lines of a memcg "
	"cache just before), or a driver's fault handler. Free memory and page cache may be "
	"plentiful; raise or remove the kmem limit rather than adding RAM.";

static const char ADV_PANIC_ON_OOM[] =
	"vm.panic_on_oom is set, so the kernel panicked instead of killing a task (1: on a "
	"system-wide OOM, 2: on every OOM, cgroup and cpuset ones too). If that is intended "
	"(clusters that fail over), make sure kdump captures a vmcore to see what used the "
	"memory; otherwise set vm.panic_on_oom=0 to let the OOM killer choose a victim.";

static const char ADV_OOM_DISABLED[] =
	"The failure happened while the OOM killer was disabled for suspend or hibernation "
	"(oom_killer_disable() after freezing user space): a request that would have killed a "
	"task to make room fails instead. Memory was short when the system suspended; find "
	"which driver allocates in its suspend path (the stack) and whether the image or a "
	"GPU's VRAM eviction needed more RAM than was free.";

static const char ADV_STALL[] =
	"The allocation did not fail but spent this long in direct reclaim and compaction "
	"(warn_alloc() prints a stall every 10 s of it, 4.11-4.14). Memory is short or "
	"fragmented for this request: see the zones; stalls of this kind are what precede "
	"OOM kills and hung-task warnings.";

/*
 * Every usable zone of the report is far above its high watermark: the
 * allocator did not run out (the OOM has another reason: a constraint,
 * SysRq, a fault handler).  false when the zones are not in the log.
 */
static bool zones_well_above_high(const struct lp_report *r, const struct analysis *a)
{
	long long free = 0, high = 0;
	int nz = 0;

	for (int i = 0; i < r->nr_zones; i++) {
		const struct lp_zone *z = &r->zones[i];

		if (!z->has_watermarks || !a->zones[i].usable || z->free_kb < 0 || z->high_kb < 0)
			continue;
		free += z->free_kb;
		high += z->high_kb;
		nz++;
	}
	return nz && free > 4 * high && free > 64 * 1024;
}

static const struct lp_task *find_task(const struct lp_report *r, int pid)
{
	for (int i = 0; i < r->nr_top_rss; i++)
		if (r->top_rss[i].pid == pid)
			return &r->top_rss[i];
	for (int i = 0; i < r->nr_top_badness; i++)
		if (r->top_badness[i].pid == pid)
			return &r->top_badness[i];
	return NULL;
}

static void consumers(const struct lp_report *r, struct cause *c)
{
	char h[32];

	if (!r->nr_top_rss)
		return;
	ev(c, "; largest in the task dump (of %d):", r->nr_tasks);
	for (int i = 0; i < r->nr_top_rss && i < 3; i++)
		ev(c, "%s %s (pid %d) rss %s", i ? "," : "", r->top_rss[i].comm, r->top_rss[i].pid,
		   hk(h, sizeof(h), r->top_rss[i].rss * r->page_kb));
	ev(c, "; all dumped tasks rss %s",
	   hk(h, sizeof(h), r->tasks_rss_pages * r->page_kb));
}

/*
 * RAM from "N pages RAM"; without it, from the zones only when every zone
 * of a single node is in the log (lowmem_reserve[] has one entry per zone
 * of the node), else unknown: a paste cut after the DMA zone is not a
 * 16 MB machine.  *estimate: the zones were summed.
 */
static long long ram_kb_est(const struct lp_report *r, bool *estimate)
{
	long long m = 0;
	int want = 0, have = 0, node = -2;

	*estimate = false;
	if (r->ram_pages > 0)
		return r->ram_pages * r->page_kb;
	for (int i = 0; i < r->nr_zones; i++) {
		const struct lp_zone *z = &r->zones[i];

		if (!z->has_watermarks)
			continue;
		if (node != -2 && z->node != node)
			return -1;
		node = z->node;
		if (z->nr_reserve > want)
			want = z->nr_reserve;
		have++;
		/* present first: a line cut by the log keeps its first fields */
		if (z->present_kb > 0)
			m += z->present_kb;
		else if (z->managed_kb > 0)
			m += z->managed_kb;
		else
			return -1;
	}
	if (!have || have < want || !want)
		return -1;
	*estimate = true;
	return m;
}

static long long ram_kb(const struct lp_report *r)
{
	bool est;

	return ram_kb_est(r, &est);
}

/* "RAM 15.6 GB" or "RAM ~15.6 GB (sum of the zones)" */
static void ev_ram(struct cause *c, const struct lp_report *r)
{
	char h[32];
	bool est;
	long long ram = ram_kb_est(r, &est);

	ev(c, "RAM %s%s", est ? "~" : "", hk(h, sizeof(h), ram));
	if (est)
		ev(c, " (estimate: the sum of the zones, no \"pages RAM\" line)");
}

/*
 * What a page allocation failure's usable zones had, summed once for the
 * rules below (the zones the request's gfp allows; CMA counted apart).
 */
struct usable {
	long long want;			/* the request, kB */
	long long u_free, u_min, u_cma;	/* usable zones: free, min (as this request sees it), CMA */
	long long other_free;		/* free above high in the zones it may not use */
	int n_usable, n_buddy, n_below;	/* usable zones, with a buddy line, at or below min */
	int best_usable, best_any;	/* highest free order it may use, of any migratetype */
	bool cma_counts;		/* free CMA it may not use */
};

static void usable_sum(const struct lp_report *r, const struct analysis *a, struct usable *u)
{
	memset(u, 0, sizeof(*u));
	u->want = order_kb(r);
	u->best_usable = u->best_any = -1;
	for (int i = 0; i < r->nr_zones; i++) {
		const struct lp_zone *z = &r->zones[i];
		const struct causes_zone *cz = &a->zones[i];

		if (!cz->usable) {
			if (z->free_kb > 0 && z->high_kb >= 0 && z->free_kb > z->high_kb)
				u->other_free += z->free_kb - z->high_kb;
			continue;
		}
		u->n_usable++;
		if (z->has_watermarks && z->free_kb >= 0) {
			long long cma = z->free_cma_kb > 0 ? z->free_cma_kb : 0;

			u->u_free += z->free_kb;
			u->u_min += req_min(a, z->min_kb > 0 ? z->min_kb : 0);
			u->u_cma += cma;
			if (z->free_kb - ((!a->have_behaviour || !a->b.cma) ? cma : 0) <=
			    req_min(a, z->min_kb) + u->want)
				u->n_below++;
		}
		if (z->has_buddy) {
			u->n_buddy++;
			if (cz->highest_usable_order > u->best_usable)
				u->best_usable = cz->highest_usable_order;
			if (cz->highest_free_order > u->best_any)
				u->best_any = cz->highest_free_order;
		}
	}
	if (!u->u_cma && r->mi_free_cma > 0) {
		bool zone_cma_known = false;

		for (int i = 0; i < r->nr_zones; i++)
			if (r->zones[i].free_cma_kb >= 0)
				zone_cma_known = true;
		/* the zone lines were cut: take Mem-Info's free_cma */
		if (!zone_cma_known)
			u->u_cma = r->mi_free_cma * r->page_kb;
	}
	if (a->have_behaviour && !a->b.cma && u->u_cma > 0)
		u->cma_counts = true;
}

/* oom_victim: the task the OOM killer just chose failed an allocation */
static void rule_oom_victim(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	struct cause *c;

	(void)u;
	/* the task was just OOM-killed */
	if (r->kind != LP_KIND_GLOBAL_OOM && r->prev_victim_pid > 0 &&
	    ((r->pid > 0 && r->pid == r->prev_victim_pid) ||
	     (r->pid < 0 && r->comm[0] && !strcmp(r->comm, r->prev_victim_comm)))) {
		c = add(a, "oom_victim", ADV_VICTIM_FAIL);
		ev(c, "%s (pid %d) failed this allocation right after the OOM killer chose it "
		   "as victim (pid %d)", r->comm, r->pid, r->prev_victim_pid);
	}
}

/* allocation_stall */
static void rule_stall(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	char h1[32], g[512];
	struct cause *c;

	if (r->kind == LP_KIND_ALLOC_STALL) {
		c = add(a, "allocation_stall", ADV_STALL);
		ev(c, "stalled %lld ms in the allocator's slow path; order %d (%s), gfp %s",
		   r->stall_ms, r->order, hk(h1, sizeof(h1), u->want), gfp_text(r, a, g, sizeof(g)));
	}
}

/* oom_killer_disabled */
static void rule_oom_disabled(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	char g[512];
	struct cause *c;

	(void)u;
	/* __alloc_pages_may_oom(): out_of_memory() refuses while the freezer has it disabled */
	if (r->oom_killer_disabled && !is_oom(r) && a->have_behaviour && a->b.direct_reclaim &&
	    r->order >= 0 && r->order <= COSTLY_ORDER) {
		c = add(a, "oom_killer_disabled", ADV_OOM_DISABLED);
		ev(c, "\"OOM killer disabled.\" (suspend or hibernation freezer) before this failure "
		   "and not enabled again; order %d, gfp %s could reclaim but could not OOM-kill",
		   r->order, gfp_text(r, a, g, sizeof(g)));
	}
}

/* atomic_context */
static void rule_atomic(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	char h1[32], g[512];
	struct cause *c;

	if (a->have_behaviour && !a->b.direct_reclaim && !is_oom(r)) {
		c = add(a, "atomic_context", ADV_ATOMIC);
		ev(c, "gfp %s has no %s: no direct reclaim or compaction%s; order %d (%s)",
		   gfp_text(r, a, g, sizeof(g)),
		   a->layout && a->layout->version < KV(4, 4, 0) ? "__GFP_WAIT" :
		   "__GFP_DIRECT_RECLAIM",
		   a->b.kswapd ? ", kswapd woken" : ", kswapd not woken either",
		   r->order, hk(h1, sizeof(h1), u->want));
		if (a->b.wmark_den && (a->b.wmark_num != 1 || a->b.wmark_den != 1))
			ev(c, "; may dip to %u/%u of min", a->b.wmark_num, a->b.wmark_den);
	}
}

/* costly_order */
static void rule_costly(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	char h1[32];
	struct cause *c;

	if (a->have_behaviour && r->order > COSTLY_ORDER && a->b.retry != GFP_RETRY_MAYFAIL &&
	    a->b.retry != GFP_RETRY_NOFAIL && !is_oom(r) && r->kind != LP_KIND_VMALLOC_FAILURE) {
		c = add(a, "costly_order", ADV_COSTLY);
		ev(c, "order %d (%s contiguous) > PAGE_ALLOC_COSTLY_ORDER 3, %s",
		   r->order, hk(h1, sizeof(h1), u->want),
		   a->b.retry == GFP_RETRY_NORETRY ? "__GFP_NORETRY (gives up after one attempt)" :
		   "without __GFP_RETRY_MAYFAIL");
	}
}

/* noretry */
static void rule_noretry(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	char g[512];
	struct cause *c;

	(void)u;
	if (a->have_behaviour && a->b.retry == GFP_RETRY_NORETRY && a->b.direct_reclaim &&
	    r->order <= COSTLY_ORDER && !is_oom(r)) {
		c = add(a, "noretry", ADV_NORETRY);
		ev(c, "gfp %s has __GFP_NORETRY: one light reclaim/compaction pass, then failure, "
		   "no OOM kill; order %d", gfp_text(r, a, g, sizeof(g)), r->order);
	}
}

/* cma_unusable */
static void rule_cma(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	char h1[32], h2[32], h3[32], g[512];
	struct cause *c;

	/* CMA: free, but not for this request */
	if (u->cma_counts) {
		long long non_cma = u->u_free - u->u_cma;
		bool cma_only_big = false;

		for (int i = 0; i < r->nr_zones; i++) {
			const struct lp_zone *z = &r->zones[i];

			if (!a->zones[i].usable || !z->has_buddy || !z->buddy_has_types ||
			    r->order < 0)
				continue;
			for (int o = r->order; o < z->nr_orders; o++)
				if (z->free_blocks[o] > 0 && strchr(z->types[o], 'C') &&
				    a->zones[i].highest_usable_order < r->order)
					cma_only_big = true;
		}
		if (non_cma <= u->u_min + u->want || u->u_cma * 2 >= u->u_free || cma_only_big) {
			c = add(a, "cma_unusable", ADV_CMA);
			ev(c, "usable zones free %s of which CMA %s; without CMA %s against min %s",
			   hk(h1, sizeof(h1), u->u_free), hk(h2, sizeof(h2), u->u_cma),
			   hk(h3, sizeof(h3), non_cma > 0 ? non_cma : 0),
			   hk(g, sizeof(g), u->u_min));
			ev(c, "; request %s is not movable (%s)", a->flags[0] ? a->flags : "",
			   a->b.migratetype ? a->b.migratetype : "?");
			if (cma_only_big)
				ev(c, "; the free blocks of order >= %d are CMA ('C')", r->order);
		}
	}
}

/* fragmentation */
static void rule_fragmentation(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	char h1[32], h2[32];
	struct cause *c;

	/* fragmentation: memory above the watermark, no block of the order */
	if (r->order > 0 && u->n_buddy && u->best_usable < r->order &&
	    u->u_free - (u->cma_counts ? u->u_cma : 0) > u->u_min + u->want) {
		c = add(a, "fragmentation", ADV_FRAG);
		ev(c, "order %d (%s) requested; largest usable free block order %d (%s)",
		   r->order, hk(h1, sizeof(h1), u->want), u->best_usable,
		   u->best_usable >= 0 ? hk(h2, sizeof(h2), r->page_kb << u->best_usable) : "none");
		for (int i = 0; i < r->nr_zones; i++) {
			const struct lp_zone *z = &r->zones[i];

			if (!a->zones[i].usable || !z->has_watermarks)
				continue;
			ev(c, "; %s free %s (min %s)", z->name,
			   hk(h1, sizeof(h1), z->free_kb),
			   hk(h2, sizeof(h2), z->min_kb));
		}
	}
}

/* The largest lowmem_reserve entry of @z in kB: an upper bound of the reserve this request keeps. */
static long long max_reserve_kb(const struct lp_zone *z, long long page_kb)
{
	long long m = 0;

	for (int i = 0; i < z->nr_reserve; i++)
		if (z->lowmem_reserve[i] > m)
			m = z->lowmem_reserve[i];
	return m * page_kb;
}

/*
 * Before 4.4 (97a16fc82a7c) a high-order request also had to leave min/2^o
 * free above each order o below its own once the smaller blocks were
 * discounted: a block of the order could be free and the request still fail.
 */
static bool pre44_watermark_ok(const struct lp_zone *z, int order, long long min_kb)
{
	long long free_kb = z->free_kb;

	for (int o = 0; o < order && o < z->nr_orders; o++) {
		free_kb -= z->free_blocks[o] * (z->page_kb << o);
		min_kb >>= 1;
		if (free_kb <= min_kb)
			return false;
	}
	return true;
}

/*
 * transient_shortage: a zone the request may use shows, in the report, a free
 * block of the order in a free list it may take from and enough free memory
 * above min plus the largest lowmem reserve: the allocation would succeed now,
 * so the memory changed after the attempt.  Order > 0 only: an order-0
 * report above min is usually the min watermark as this request saw it.
 */
static void rule_transient(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	char h1[32], h2[32], h3[32];
	struct cause *c = NULL;

	unsigned int v = gfp_parse_version(r->kernel);
	/* kernels before 4.6 printed no flag names */
	bool pre44 = v ? v < KV(4, 4, 0) : !r->gfp_names[0];

	if (r->order <= 0 || u->best_usable < r->order)
		return;
	for (int i = 0; i < r->nr_zones; i++) {
		const struct lp_zone *z = &r->zones[i];
		const struct causes_zone *cz = &a->zones[i];
		long long min;

		if (!cz->usable || !z->has_buddy || !z->has_watermarks ||
		    cz->highest_usable_order < r->order)
			continue;
		min = req_min(a, z->min_kb) + max_reserve_kb(z, r->page_kb);
		if (z->free_kb - u->want <= min ||
		    (pre44 && !pre44_watermark_ok(z, r->order, req_min(a, z->min_kb))))
			continue;
		if (!c) {
			c = add(a, "transient_shortage", ADV_TRANSIENT);
			ev(c, "order %d (%s) requested; when the report was printed", r->order,
			   hk(h1, sizeof(h1), u->want));
		} else {
			ev(c, ";");
		}
		ev(c, " %s had a free order-%d block it may use (%s), free %s above min %s "
		   "plus the request", z->name, cz->highest_usable_order,
		   z->buddy_has_types && z->types[cz->highest_usable_order][0] ?
		   z->types[cz->highest_usable_order] : "type not printed",
		   hk(h2, sizeof(h2), z->free_kb), hk(h3, sizeof(h3), min));
	}
	if (c)
		ev(c, ": the block was freed or merged after the attempt failed");
}

/* zone_exhausted, lowmem_exhausted */
static void rule_exhausted(const struct lp_report *r, struct analysis *a, const struct usable *u)
{
	char h1[32], h2[32];
	struct cause *c;

	/* zone / lowmem exhaustion */
	if (u->n_usable && u->n_below == u->n_usable && u->u_free >= 0 && r->nr_zones) {
		bool low = u->other_free > 4 * (u->u_free + u->want) && u->other_free > 16 * 1024;

		if (low) {
			c = add(a, "lowmem_exhausted", ADV_LOWMEM);
			ev(c, "the request may use only zones up to %s",
			   a->have_behaviour ? a->b.zone : "?");
		} else if (!is_oom(r)) {
			c = add(a, "zone_exhausted", ADV_ZONE);
			ev(c, "every zone the request may use (up to %s) was at or below its min "
			   "watermark", a->have_behaviour ? a->b.zone : "?");
		} else {
			c = NULL;
		}
		for (int i = 0; c && i < r->nr_zones; i++) {
			const struct lp_zone *z = &r->zones[i];

			if (!z->has_watermarks)
				continue;
			ev(c, "; %s%s free %s min %s", z->name, a->zones[i].usable ? "" : " (not usable)",
			   hk(h1, sizeof(h1), z->free_kb),
			   hk(h2, sizeof(h2), z->min_kb));
		}
	}
}

/* The rules of a page allocation failure, in the order their causes are listed. */
static void (*const alloc_rules[])(const struct lp_report *r, struct analysis *a,
				   const struct usable *u) = {
	rule_oom_victim, rule_stall, rule_oom_disabled, rule_atomic, rule_costly, rule_noretry,
	rule_cma, rule_fragmentation, rule_transient, rule_exhausted,
};

static void alloc_causes(const struct lp_report *r, struct analysis *a)
{
	struct usable u;

	usable_sum(r, a, &u);
	for (size_t i = 0; i < sizeof(alloc_rules) / sizeof(alloc_rules[0]); i++)
		alloc_rules[i](r, a, &u);
}

static void oom_causes(const struct lp_report *r, struct analysis *a)
{
	char h1[32], h2[32], h3[32];
	struct cause *c;
	const char *cons = r->constraint;

	if (r->kind == LP_KIND_MEMCG_OOM) {
		c = add(a, "memcg_limit", ADV_MEMCG);
		ev(c, "memory cgroup %s", r->memcg[0] ? r->memcg : "(path not in the log)");
		if (r->memcg_usage_kb >= 0)
			ev(c, ": usage %s, limit %s, failcnt %lld",
			   hk(h1, sizeof(h1), r->memcg_usage_kb),
			   hk_limit(h2, sizeof(h2), r->memcg_limit_kb), r->memcg_failcnt);
		if (r->memsw_limit_kb >= 0)
			ev(c, "; memory+swap usage %s, limit %s",
			   hk(h1, sizeof(h1), r->memsw_usage_kb),
			   hk_limit(h2, sizeof(h2), r->memsw_limit_kb));
		if (r->memcg_anon_kb >= 0)
			ev(c, "; anon %s", hk(h1, sizeof(h1), r->memcg_anon_kb));
		if (r->memcg_file_kb >= 0)
			ev(c, ", file %s", hk(h1, sizeof(h1), r->memcg_file_kb));
		if (r->memcg_shmem_kb > 0)
			ev(c, ", shmem %s", hk(h1, sizeof(h1), r->memcg_shmem_kb));
		if (r->memcg_kernel_kb > 0)
			ev(c, ", kernel %s", hk(h1, sizeof(h1), r->memcg_kernel_kb));
		if (r->task_memcg[0] && strcmp(r->task_memcg, r->memcg))
			ev(c, "; victim's cgroup %s", r->task_memcg);
		consumers(r, c);
	} else if (!strcmp(cons, "CONSTRAINT_CPUSET")) {
		c = add(a, "cpuset_constraint", ADV_CPUSET);
		ev(c, "constraint CONSTRAINT_CPUSET, cpuset %s, mems_allowed %s", r->cpuset,
		   r->mems_allowed[0] ? r->mems_allowed : "?");
	} else if (!strcmp(cons, "CONSTRAINT_MEMORY_POLICY")) {
		c = add(a, "mempolicy_constraint", ADV_MEMPOLICY);
		ev(c, "constraint CONSTRAINT_MEMORY_POLICY, nodemask %s",
		   r->nodemask[0] ? r->nodemask : "?");
	} else if (r->sysrq) {
		c = add(a, "manual_oom", ADV_SYSRQ);
		ev(c, "%s", r->order == -1 ? "order -1: the OOM killer was invoked by SysRq-f "
		   "(or /proc/sysrq-trigger), not by a failed allocation" :
		   "\"Manual OOM execution\" before the report");
	} else if (r->has_gfp && r->gfp_mask == 0 && (r->seen & LP_SEEN_HEADER)) {
		c = add(a, "pagefault_oom", ADV_PAGEFAULT);
		ev(c, "gfp_mask 0x0, order %d: pagefault_out_of_memory(), a fault handler returned "
		   "VM_FAULT_OOM; no page allocation of the fault itself failed", r->order);
		if (r->mi_active_file >= 0 && r->mi_inactive_file >= 0)
			ev(c, "; page cache (file LRU) %s",
			   hk(h3, sizeof(h3), (r->mi_active_file + r->mi_inactive_file) * r->page_kb));
		if (r->mi_free >= 0)
			ev(c, ", free %s", hk(h1, sizeof(h1), r->mi_free * r->page_kb));
	} else if (!zones_well_above_high(r, a) &&
		   (r->seen & (LP_SEEN_HEADER | LP_SEEN_ZONES | LP_SEEN_MEMINFO | LP_SEEN_OOMKILL))) {
		long long zf = 0, zm = 0;
		int nz = 0;

		c = add(a, "memory_exhausted", ADV_EXHAUSTED);
		for (int i = 0; i < r->nr_zones; i++)
			if (r->zones[i].has_watermarks && a->zones[i].usable) {
				zf += r->zones[i].free_kb;
				zm += r->zones[i].min_kb;
				nz++;
			}
		if (ram_kb(r) > 0) {
			ev_ram(c, r);
			ev(c, "; ");
		}
		if (nz)
			ev(c, "usable zones free %s against min %s", hk(h1, sizeof(h1), zf),
			   hk(h2, sizeof(h2), zm));
		else if (r->mi_free >= 0)
			ev(c, "free %s", hk(h1, sizeof(h1), r->mi_free * r->page_kb));
		else
			ev(c, "no zone information in the log");
		if (r->total_swap_kb == 0)
			ev(c, "; no swap");
		else if (r->total_swap_kb > 0)
			ev(c, "; swap %s free of %s", hk(h1, sizeof(h1), r->free_swap_kb),
			   hk(h2, sizeof(h2), r->total_swap_kb));
		if (r->mi_active_file >= 0 && r->mi_inactive_file >= 0)
			ev(c, "; page cache (file LRU) %s",
			   hk(h3, sizeof(h3),
					   (r->mi_active_file + r->mi_inactive_file) * r->page_kb));
		if (r->mi_active_anon >= 0 && r->mi_inactive_anon >= 0)
			ev(c, ", anon %s",
			   hk(h3, sizeof(h3),
					   (r->mi_active_anon + r->mi_inactive_anon) * r->page_kb));
		if (r->all_unreclaimable)
			ev(c, "; all_unreclaimable");
		consumers(r, c);
	}
	if (r->panic_on_oom) {
		c = add(a, "panic_on_oom", ADV_PANIC_ON_OOM);
		ev(c, "the kernel panicked: %s panic_on_oom is enabled (vm.panic_on_oom=%d)",
		   r->panic_on_oom == 2 ? "compulsory" : "system-wide", r->panic_on_oom);
	} else if (r->no_killable || (r->panic && !(r->seen & LP_SEEN_VICTIM))) {
		c = add(a, "no_killable_task", ADV_NOKILL);
		ev(c, "%s", r->no_killable ? "\"Out of memory and no killable processes\"" :
		   "kernel panic instead of a kill");
	}
}

static void memory_composition(const struct lp_report *r, struct analysis *a)
{
	char h1[32], h3[32];
	long long ram = ram_kb(r), pk = r->page_kb;
	long long lru = 0;
	struct cause *c;

	if (r->mi_active_anon >= 0)
		lru = (r->mi_active_anon + r->mi_inactive_anon + r->mi_active_file +
		       r->mi_inactive_file) * pk;
	if (r->mi_slab_unreclaimable >= 0 && ram > 0 && !(r->kind == LP_KIND_MEMCG_OOM)) {
		long long su = r->mi_slab_unreclaimable * pk;

		if (su < ram &&
		    (su * 5 > ram || r->nr_slabs > 0 || (lru > 0 && su > lru && su * 10 > ram))) {
			c = add(a, "slab_growth", ADV_SLAB);
			ev(c, "slab_unreclaimable %s = %lld%% of ", hk(h1, sizeof(h1), su),
			   su * 100 / ram);
			ev_ram(c, r);
			if (lru > 0)
				ev(c, "; LRU (anon + file) %s", hk(h3, sizeof(h3), lru));
			if (r->mi_slab_reclaimable >= 0)
				ev(c, "; slab_reclaimable %s",
				   hk(h3, sizeof(h3), r->mi_slab_reclaimable * pk));
			for (int i = 0; i < r->nr_slabs; i++)
				ev(c, "%s %s %s", i ? "," : "; largest caches:", r->slabs[i].name,
				   hk(h1, sizeof(h1), r->slabs[i].used_kb));
		}
	}
	if (r->mi_shmem >= 0 && ram > 0 && is_oom(r) && r->kind != LP_KIND_MEMCG_OOM &&
	    r->mi_shmem * pk * 5 > ram && r->mi_shmem * pk < ram && r->free_swap_kb <= 0) {
		c = add(a, "shmem_tmpfs", ADV_SHMEM);
		ev(c, "shmem %s = %lld%% of ", hk(h1, sizeof(h1), r->mi_shmem * pk),
		   r->mi_shmem * pk * 100 / ram);
		ev_ram(c, r);
		ev(c, "; free swap %s", hk(h3, sizeof(h3), r->free_swap_kb < 0 ? 0 : r->free_swap_kb));
	}
	if (r->hugetlb_kb > 0 && ram > 0 && r->hugetlb_kb * 4 > ram && r->hugetlb_kb <= ram) {
		c = add(a, "hugetlb_reserved", ADV_HUGETLB);
		ev(c, "hugetlb pages %s = %lld%% of ", hk(h1, sizeof(h1), r->hugetlb_kb),
		   r->hugetlb_kb * 100 / ram);
		ev_ram(c, r);
	}
}

static void adj_cause(const struct lp_report *r, struct analysis *a)
{
	const struct lp_victim *v = &r->victim;
	const struct lp_task *vt, *big;
	int vadj;
	char h1[32], h2[32];
	struct cause *c;

	if (!(r->seen & LP_SEEN_VICTIM) || v->pid < 0 || !r->nr_top_rss)
		return;
	vt = find_task(r, v->pid);
	big = &r->top_rss[0];
	vadj = v->oom_score_adj != LP_ADJ_UNKNOWN ? v->oom_score_adj :
	       vt ? vt->oom_score_adj : LP_ADJ_UNKNOWN;
	if (vadj == LP_ADJ_UNKNOWN || big->pid == v->pid || big->oom_score_adj == LP_ADJ_UNKNOWN)
		return;
	/* the victim is smaller than the largest task and ranked higher by adj */
	if (vt && vt->rss >= big->rss)
		return;
	if (vadj <= big->oom_score_adj)
		return;
	c = add(a, "oom_score_adj", ADV_ADJ);
	ev(c, "victim %s (pid %d) rss %s oom_score_adj %d; largest task %s (pid %d) rss %s "
	   "oom_score_adj %d", v->comm, v->pid,
	   hk(h1, sizeof(h1), vt ? vt->rss * r->page_kb : v->anon_rss_kb), vadj,
	   big->comm, big->pid, hk(h2, sizeof(h2), big->rss * r->page_kb),
	   big->oom_score_adj);
}

static void ratelimit_cause(const struct lp_report *r, struct analysis *a)
{
	struct cause *c;

	if (!r->suppressed_warn_alloc && !r->suppressed_oom && !r->suppressed_other)
		return;
	c = add(a, "ratelimited", ADV_RATELIMIT);
	ev(c, "suppressed before this report:");
	if (r->suppressed_warn_alloc)
		ev(c, " %lld allocation failure reports (warn_alloc)", r->suppressed_warn_alloc);
	if (r->suppressed_oom)
		ev(c, "%s %lld OOM reports (oom_kill_process)", r->suppressed_warn_alloc ? "," : "",
		   r->suppressed_oom);
	if (r->suppressed_other)
		ev(c, "%s %lld messages from a generic ratelimit (may be other subsystems)",
		   r->suppressed_warn_alloc || r->suppressed_oom ? "," : "", r->suppressed_other);
}

static void vmalloc_causes(const struct lp_report *r, struct analysis *a)
{
	char h1[32];
	struct cause *c;

	if (r->kind != LP_KIND_VMALLOC_FAILURE)
		return;
	if (r->vmap_size >= 0 || strstr(r->vmalloc_reason, "vm_struct")) {
		c = add(a, "vmalloc_space", ADV_VMAP);
		if (r->vmap_size >= 0)
			ev(c, "vmap allocation for size %lld failed", r->vmap_size);
		else
			ev(c, "vmalloc error: %s (size %lld)", r->vmalloc_reason, r->vmalloc_size);
		return;
	}
	if (r->vmalloc_size >= 0 || r->vmalloc_allocated >= 0) {
		c = add(a, "vmalloc_pages", ADV_VMALLOC_PAGES);
		ev(c, "vmalloc of %lld bytes (%s)", r->vmalloc_size,
		   hk(h1, sizeof(h1), r->vmalloc_size >= 0 ? r->vmalloc_size / 1024 : -1));
		if (r->vmalloc_allocated >= 0)
			ev(c, " failed after %lld bytes", r->vmalloc_allocated);
		if (r->vmalloc_reason[0])
			ev(c, ": %s", r->vmalloc_reason);
	}
}

/* ---- refused address-space requests (event_model.c only) -------------- */

static const char ADV_OVERCOMMIT_STRICT[] =
	"vm.overcommit_memory=2 (strict accounting): every private writable mapping is charged "
	"to Committed_AS when it is made, touched or not, and a request that would take "
	"Committed_AS past CommitLimit fails with ENOMEM (malloc() returns NULL) although free "
	"memory may be plenty; no OOM kill, nothing in dmesg. CommitLimit = (RAM - hugetlb) * "
	"vm.overcommit_ratio/100 + swap, or vm.overcommit_kbytes + swap. Raise the ratio (or "
	"kbytes), add swap, or find what reserves address space it never uses (large heaps, "
	"thread stacks, JVM -Xmx, MAP_NORESERVE is ignored in this mode): grep Committed_AS "
	"/proc/meminfo, and per process the Private/Rss of /proc/PID/smaps_rollup. Caveat: "
	"mode 2 is chosen to make allocation failures predictable instead of OOM kills; going "
	"back to mode 0 trades one for the other.";

static const char ADV_OVERCOMMIT_HEURISTIC[] =
	"vm.overcommit_memory=0 (heuristic): the kernel refuses only a single request larger "
	"than all of RAM + swap (an obvious mistake such as a corrupted size), whatever else "
	"is committed. Check the size the program asked for: a huge value is usually a bug "
	"(unchecked length, integer overflow); if such a mapping is intended (sparse arrays, "
	"address-space reservations) map it with MAP_NORESERVE or PROT_NONE, or use "
	"vm.overcommit_memory=1. Caveat: mode 1 disables this sanity check for everyone.";

static const char ADV_OVERCOMMIT_REFUSED[] =
	"__vm_enough_memory() refused the request, but the record does not say in which "
	"overcommit mode (read before the module's worker ran): in mode 2 it is the "
	"CommitLimit, in mode 0 one request larger than RAM + swap. Check "
	"/proc/sys/vm/overcommit_memory and Committed_AS/CommitLimit in /proc/meminfo.";

static const char ADV_RLIMIT_AS[] =
	"The process's address-space limit (RLIMIT_AS: ulimit -v, systemd LimitAS=, a "
	"container or job scheduler's limit) would have been exceeded: mmap/brk/mremap fail "
	"with ENOMEM and malloc() returns NULL, with any amount of free memory. Virtual size "
	"counts every mapping, reserved or not (thread stacks, JIT code heaps, sanitizers, "
	"Go and JVM heaps reserve far more than they use), so RLIMIT_AS is a poor memory "
	"limit: raise or remove it and limit memory with a cgroup (memory.max) instead.";

static const char ADV_RLIMIT_DATA[] =
	"The process's data-segment limit (RLIMIT_DATA: ulimit -d, systemd LimitDATA=) would "
	"have been exceeded: since 4.7 it counts private writable mappings and the heap "
	"(brk), so malloc() of large blocks fails with ENOMEM too. Raise the limit, or limit "
	"memory with a cgroup (memory.max), which counts memory actually used.";

static const char ADV_MAX_MAP_COUNT[] =
	"The process reached vm.max_map_count, the limit on the number of its mappings (VMAs; "
	"65530 by default): mmap and mprotect fail with ENOMEM regardless of free memory. "
	"Typical for allocators or runtimes making many small mappings (Elasticsearch, JVMs "
	"with many threads, guard pages, mprotect splitting a region). Raise "
	"vm.max_map_count (sysctl; each VMA costs about 200 bytes of kernel memory) or make "
	"the program map fewer, larger regions; count them in /proc/PID/maps.";

static const char ADV_VM_OTHER[] =
	"The request failed with ENOMEM for none of the overcommit, rlimit or map-count "
	"checks: the address space had no hole large enough (32-bit processes, fixed "
	"addresses, fragmentation of a huge address space), or the kernel could not allocate "
	"the mapping's own structures (then memory is short: see the allocation failures "
	"around it).";

/* pages as "1.0 GB (262144 pages)", or "?" */
static const char *pg(char *buf, size_t len, long long pages, long long page_kb)
{
	char h[32];

	if (pages < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%s (%lld pages)", hk(h, sizeof(h), pages * page_kb), pages);
	return buf;
}

static void vm_refusal_causes(const struct lp_report *r, struct analysis *a)
{
	const struct lp_vm_refusal *v = &r->vm;
	char h1[80], h2[80], h3[80];
	struct cause *c;
	long long pk = r->page_kb;

	switch (v->reason) {
	case OOMDIAG_VM_OVERCOMMIT:
		if (v->overcommit_mode == 2) {
			c = add(a, "overcommit_strict", ADV_OVERCOMMIT_STRICT);
			ev(c, "vm.overcommit_memory=2: Committed_AS %s + request %s",
			   pg(h1, sizeof(h1), v->committed_as_pages, pk), pg(h2, sizeof(h2), v->pages, pk));
			if (v->committed_as_pages >= 0 && v->pages >= 0)
				ev(c, " = %s", pg(h3, sizeof(h3), v->committed_as_pages + v->pages, pk));
			ev(c, " against CommitLimit %s", pg(h1, sizeof(h1), v->commit_limit_pages, pk));
			if (v->committed_as_pages >= 0 && v->pages >= 0 && v->commit_limit_pages >= 0 &&
			    v->committed_as_pages + v->pages <= v->commit_limit_pages)
				ev(c, " (within it: the admin/user reserve, vm.admin_reserve_kbytes and "
				   "user_reserve_kbytes, made up the difference)");
			if (v->overcommit_kbytes > 0)
				ev(c, "; CommitLimit from vm.overcommit_kbytes %lld + swap",
				   v->overcommit_kbytes);
			else if (v->overcommit_ratio >= 0)
				ev(c, "; CommitLimit from vm.overcommit_ratio %lld%% of RAM + swap",
				   v->overcommit_ratio);
		} else if (v->overcommit_mode == 0) {
			c = add(a, "overcommit_heuristic", ADV_OVERCOMMIT_HEURISTIC);
			ev(c, "vm.overcommit_memory=0: one request of %s, refused because it is larger "
			   "than RAM + swap (Committed_AS and CommitLimit do not count in this mode)",
			   pg(h1, sizeof(h1), v->pages, pk));
		} else {
			c = add(a, "overcommit_refused", ADV_OVERCOMMIT_REFUSED);
			if (v->overcommit_mode >= 0)
				ev(c, "vm.overcommit_memory=%d", v->overcommit_mode);
			else
				ev(c, "vm.overcommit_memory not known");
			ev(c, "; request %s; Committed_AS %s; CommitLimit %s",
			   pg(h1, sizeof(h1), v->pages, pk),
			   pg(h2, sizeof(h2), v->committed_as_pages, pk),
			   pg(h3, sizeof(h3), v->commit_limit_pages, pk));
		}
		break;
	case OOMDIAG_VM_RLIMIT_AS:
	case OOMDIAG_VM_RLIMIT_DATA: {
		bool as = v->reason == OOMDIAG_VM_RLIMIT_AS;

		c = add(a, as ? "rlimit_as" : "rlimit_data", as ? ADV_RLIMIT_AS : ADV_RLIMIT_DATA);
		ev(c, "%s: %s in use %s + request %s", as ? "RLIMIT_AS" : "RLIMIT_DATA",
		   as ? "address space" : "data (private writable + brk)",
		   pg(h1, sizeof(h1), v->current, pk), pg(h2, sizeof(h2), v->pages, pk));
		if (v->current >= 0 && v->pages >= 0)
			ev(c, " = %s", pg(h3, sizeof(h3), v->current + v->pages, pk));
		if (v->limit_unlimited)
			ev(c, " against limit unlimited");
		else if (v->limit >= 0)
			ev(c, " against limit %lld bytes (%s)", v->limit,
			   hk(h1, sizeof(h1), v->limit / 1024));
		else
			ev(c, " against limit ?");
		break;
	}
	case OOMDIAG_VM_MAX_MAP_COUNT:
		c = add(a, "max_map_count", ADV_MAX_MAP_COUNT);
		ev(c, "map count ");
		if (v->current >= 0)
			ev(c, "%lld", v->current);
		else
			ev(c, "?");
		if (v->limit >= 0 && !v->limit_unlimited)
			ev(c, " against vm.max_map_count %lld", v->limit);
		else
			ev(c, " against vm.max_map_count ?");
		ev(c, "; request %s", pg(h1, sizeof(h1), v->pages, pk));
		break;
	case OOMDIAG_VM_OTHER:
		c = add(a, "vm_refused_other", ADV_VM_OTHER);
		ev(c, "ENOMEM for a request of %s; not the overcommit policy, an rlimit or "
		   "vm.max_map_count", pg(h1, sizeof(h1), v->pages, pk));
		if (v->current >= 0)
			ev(c, "; map count %lld", v->current);
		break;
	default:
		break;
	}
}

static void missing(const struct lp_report *r, struct analysis *a)
{
#define MISS(s) do { if (a->nr_missing < CAUSES_MISSING_MAX) a->missing[a->nr_missing++] = (s); } while (0)
	if (!(r->seen & LP_SEEN_HEADER)) {
		if (is_oom(r))
			MISS("allocating task, gfp mask and order: no \"invoked oom-killer\" line "
			     "(cut off or ratelimited)");
		else
			MISS("allocating task, gfp mask and order: no \"page allocation failure\" "
			     "line");
	}
	if (!r->kernel[0])
		MISS("kernel version: no \"CPU: N PID: N Comm:\" line or boot banner");
	if (r->has_gfp && a->layout_assumed)
		MISS("gfp flag names: no names printed and no kernel version, decoded with an "
		     "assumed pre-4.4 layout");
	if (!r->nr_zones && (r->seen & LP_SEEN_HEADER) && r->kind != LP_KIND_MEMCG_OOM)
		MISS("zone free memory and watermarks: no Mem-Info zone lines");
	else if (r->nr_zones && !(r->seen & LP_SEEN_BUDDY))
		MISS("free blocks per order: no buddy lines, fragmentation cannot be judged");
	if (is_oom(r) && !(r->seen & LP_SEEN_TASKS))
		MISS("task list: no task dump (vm.oom_dump_tasks=0 or cut off), largest consumers "
		     "unknown");
	if (is_oom(r) && !(r->seen & (LP_SEEN_OOMKILL | LP_SEEN_MEMCG | LP_SEEN_VICTIM |
				       LP_SEEN_SELECT)))
		MISS("constraint: the report stops before the oom-kill/memcg lines; taken as a "
		     "global OOM");
	if (is_oom(r) && !(r->seen & LP_SEEN_VICTIM) && !r->no_killable && !r->panic)
		MISS("victim: no \"Killed process\" line");
	if (r->kind == LP_KIND_MEMCG_OOM && !r->memcg[0])
		MISS("memory cgroup path: no \"oom_memcg=\" or \"limit of\" in the log");
#undef MISS
}

void causes_analyse(const struct lp_report *r, struct analysis *a)
{
	memset(a, 0, sizeof(*a));
	if (r->vm.present) {
		vm_refusal_causes(r, a);
		return;
	}
	decode_gfp(r, a);
	zone_facts(r, a);
	if (is_oom(r))
		oom_causes(r, a);
	alloc_causes(r, a);
	vmalloc_causes(r, a);
	memory_composition(r, a);
	if (is_oom(r))
		adj_cause(r, a);
	ratelimit_cause(r, a);
	missing(r, a);
}
