/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * oomdiag event vocabulary, shared by the kernel module (module/), the
 * CO-RE BPF probes (bpf/) and the userspace reader (userspace/).
 *
 * One set of kinds and field names for all three sources: the module's
 * debugfs "events" file prints each record as "key=value" pairs whose keys
 * are the field names given in the comments below, the BPF ring buffer
 * carries struct oomdiag_event, and the reader turns either (and what
 * "explain" extracts from dmesg text) into the same JSON objects with the
 * same keys.
 *
 * Fixed-width types only, no pointers, explicit padding: the layout must be
 * identical for the kernel, for BPF and for userspace.  Sizes are in kB
 * unless a name says otherwise ("_pages", "_ns").
 */
#ifndef OOMDIAG_EVENT_H
#define OOMDIAG_EVENT_H

#if defined(__KERNEL__)
#include <linux/build_bug.h>
#include <linux/types.h>
#elif defined(__bpf__) || defined(__TARGET_ARCH_x86)
/* BPF programs get the kernel types from vmlinux.h, included before us. */
#else
#include <linux/types.h>
#endif

/* 2: cgroup paths of 256 bytes, flag path_truncated. */
#define OOMDIAG_ABI_VERSION	2

#define OOMDIAG_COMM_LEN	16
/* Orders 0..10: MAX_ORDER 11 before 6.4, NR_PAGE_ORDERS 11 after, on x86. */
#define OOMDIAG_NR_ORDERS	11
/* Zones of one snapshot: DMA, DMA32, Normal, Movable on up to 2 nodes. */
#define OOMDIAG_MAX_ZONES	8
#define OOMDIAG_ZONE_NAME_LEN	8
#define OOMDIAG_STACK_DEPTH	16
/* Kubernetes pod/container paths are about 200 bytes. */
#define OOMDIAG_CGROUP_PATH_LEN	256

/* kind=: what happened. */
enum oomdiag_kind {
	OOMDIAG_KIND_ALLOC_FAIL = 1,	/* "alloc_fail": a page allocation returned no page */
	OOMDIAG_KIND_WARN_ALLOC = 2,	/* "warn_alloc": warn_alloc() was called */
	OOMDIAG_KIND_OOM_KILL = 3,	/* "oom_kill": the OOM killer killed a task */
	OOMDIAG_KIND_OOM_VICTIM = 4,	/* "oom_victim": a task was marked OOM victim */
	OOMDIAG_KIND_VM_REFUSED = 5,	/* "vm_refused": mmap/brk/mremap refused, ENOMEM */
	OOMDIAG_KIND_SLOW_ALLOC = 6,	/* "slow_alloc": slow path over the latency threshold */
	OOMDIAG_KIND_MAX
};

/* context=: where the event happened. */
enum oomdiag_context {
	OOMDIAG_CTX_TASK = 0,		/* "task" */
	OOMDIAG_CTX_SOFTIRQ = 1,	/* "softirq" */
	OOMDIAG_CTX_IRQ = 2,		/* "irq" */
	OOMDIAG_CTX_NMI = 3,		/* "nmi" */
	OOMDIAG_CTX_UNKNOWN = 255,	/* "unknown": BPF found no preempt_count */
};

/* constraint=: the kernel's enum oom_constraint, by its printed names. */
enum oomdiag_constraint {
	OOMDIAG_CONSTRAINT_NONE = 0,		/* "none" */
	OOMDIAG_CONSTRAINT_CPUSET = 1,		/* "cpuset" */
	OOMDIAG_CONSTRAINT_MEMORY_POLICY = 2,	/* "memory_policy" */
	OOMDIAG_CONSTRAINT_MEMCG = 3,		/* "memcg" */
	OOMDIAG_CONSTRAINT_UNKNOWN = 255,	/* "unknown" */
};

/* reason=: why an address-space request was refused (kind vm_refused). */
enum oomdiag_vm_reason {
	OOMDIAG_VM_OVERCOMMIT = 1,	/* "overcommit": __vm_enough_memory() said no */
	OOMDIAG_VM_RLIMIT_AS = 2,	/* "rlimit_as": may_expand_vm(), RLIMIT_AS */
	OOMDIAG_VM_RLIMIT_DATA = 3,	/* "rlimit_data": may_expand_vm(), RLIMIT_DATA */
	OOMDIAG_VM_MAX_MAP_COUNT = 4,	/* "max_map_count": vm.max_map_count reached */
	OOMDIAG_VM_OTHER = 5,		/* "other": ENOMEM for none of the above */
};

/* flags=: bits, printed by name separated by '|' (oomdiag_flag_names). */
#define OOMDIAG_NR_FLAGS	8
enum oomdiag_flag {
	OOMDIAG_F_SILENT = 0x01,	/* "silent": dmesg shows nothing for it */
	OOMDIAG_F_NOWARN = 0x02,	/* "nowarn": silent through __GFP_NOWARN */
	OOMDIAG_F_RATELIMITED = 0x04,	/* "ratelimited": silent through the ratelimit */
	OOMDIAG_F_GROUP_KILL = 0x08,	/* "group_kill": one of several victims of one OOM */
	OOMDIAG_F_CURRENT = 0x10,	/* "current": victim picked without oom_kill_process */
	OOMDIAG_F_SNAPSHOT = 0x20,	/* "snapshot": zones[] holds a snapshot */
	OOMDIAG_F_COSTLY = 0x40,	/* "costly": order > PAGE_ALLOC_COSTLY_ORDER */
	OOMDIAG_F_PATH_TRUNCATED = 0x80, /* "path_truncated": a cgroup path was cut */
};

#if !defined(__bpf__) && !defined(__TARGET_ARCH_x86)
/*
 * The vocabulary as data: the one place each name is spelled.  The module's
 * writer prints these names, userspace's readers parse them back and its
 * writers print them again; a value not in a table has no name (the module
 * prints "unknown" for a kind or context, "-" for a constraint or reason).
 * Each table ends with a NULL name.  A new value of an enum above gets its
 * name here, and tests/unit/vocab_test.c checks that it round-trips.
 */
struct oomdiag_name {
	__u32 value;
	const char *name;
};

static const struct oomdiag_name oomdiag_kind_names[] = {
	{ OOMDIAG_KIND_ALLOC_FAIL, "alloc_fail" },
	{ OOMDIAG_KIND_WARN_ALLOC, "warn_alloc" },
	{ OOMDIAG_KIND_OOM_KILL, "oom_kill" },
	{ OOMDIAG_KIND_OOM_VICTIM, "oom_victim" },
	{ OOMDIAG_KIND_VM_REFUSED, "vm_refused" },
	{ OOMDIAG_KIND_SLOW_ALLOC, "slow_alloc" },
	{ }
};

static const struct oomdiag_name oomdiag_context_names[] = {
	{ OOMDIAG_CTX_TASK, "task" },
	{ OOMDIAG_CTX_SOFTIRQ, "softirq" },
	{ OOMDIAG_CTX_IRQ, "irq" },
	{ OOMDIAG_CTX_NMI, "nmi" },
	{ OOMDIAG_CTX_UNKNOWN, "unknown" },
	{ }
};

/* OOMDIAG_CONSTRAINT_UNKNOWN has no name: "-" in a record. */
static const struct oomdiag_name oomdiag_constraint_names[] = {
	{ OOMDIAG_CONSTRAINT_NONE, "none" },
	{ OOMDIAG_CONSTRAINT_CPUSET, "cpuset" },
	{ OOMDIAG_CONSTRAINT_MEMORY_POLICY, "memory_policy" },
	{ OOMDIAG_CONSTRAINT_MEMCG, "memcg" },
	{ }
};

static const struct oomdiag_name oomdiag_vm_reason_names[] = {
	{ OOMDIAG_VM_OVERCOMMIT, "overcommit" },
	{ OOMDIAG_VM_RLIMIT_AS, "rlimit_as" },
	{ OOMDIAG_VM_RLIMIT_DATA, "rlimit_data" },
	{ OOMDIAG_VM_MAX_MAP_COUNT, "max_map_count" },
	{ OOMDIAG_VM_OTHER, "other" },
	{ }
};

/* oomdiag_flag_names[i] names bit 1 << i; printed '|'-separated, "-" for none. */
static const char * const oomdiag_flag_names[OOMDIAG_NR_FLAGS] = {
	"silent", "nowarn", "ratelimited", "group_kill", "current", "snapshot", "costly",
	"path_truncated",
};

/* The name of @value in @table, or NULL. */
static inline const char *oomdiag_name_of(const struct oomdiag_name *table, __u32 value)
{
	for (; table->name; table++)
		if (table->value == value)
			return table->name;
	return NULL;
}
#endif

/* One zone of the lock-free snapshot taken at the instant of the event. */
struct oomdiag_zone_snap {
	__u32 node;					/* node= */
	char name[OOMDIAG_ZONE_NAME_LEN];		/* zone= */
	__u32 nr_orders;
	__u64 free_pages;				/* free_pages= */
	__u64 min_pages;				/* min_pages= (incl. boost) */
	__u64 low_pages;				/* low_pages= */
	__u64 high_pages;				/* high_pages= */
	__u64 free_cma_pages;				/* free_cma_pages= */
	__u64 managed_pages;				/* managed_pages= */
	__u32 free_blocks[OOMDIAG_NR_ORDERS];		/* free_blocks=n0,n1,...,n10 */
	__u32 pad;
};

/* kind alloc_fail, warn_alloc, slow_alloc */
struct oomdiag_alloc_info {
	__u32 gfp;			/* gfp=0x... raw mask of the running kernel */
					/* gfp_names= module only: its %pGg text */
	__u32 order;			/* order= (~0u when unknown) */
	__u64 latency_ns;		/* latency_ns= slow path entry to return */
	__u32 nodemask_set;		/* 1 when a nodemask restricted the request */
	__u32 pad;
};

/* kind oom_kill, oom_victim */
struct oomdiag_oom_info {
	__u32 victim_pid;		/* victim_pid= (tgid) */
	__u32 victim_uid;		/* victim_uid= */
	char victim_comm[OOMDIAG_COMM_LEN];	/* victim_comm= */
	__u64 anon_rss_kb;		/* anon_rss_kb= */
	__u64 file_rss_kb;		/* file_rss_kb= */
	__u64 shmem_rss_kb;		/* shmem_rss_kb= */
	__u64 swap_kb;			/* swap_kb= swap entries in kB */
	__u64 pgtables_kb;		/* pgtables_kb= */
	__s64 points;			/* points= badness the killer computed */
	__u64 totalpages;		/* totalpages= the OOM's own totalpages */
	__s32 oom_score_adj;		/* oom_score_adj= */
	__u32 constraint;		/* constraint= enum oomdiag_constraint */
	__u32 gfp;			/* gfp= of the request that triggered it */
	__s32 order;			/* order= (-1: sysrq / memcg charge) */
	char memcg[OOMDIAG_CGROUP_PATH_LEN];		/* memcg= OOM domain path */
	char victim_memcg[OOMDIAG_CGROUP_PATH_LEN];	/* victim_memcg= */
};

/* kind vm_refused */
struct oomdiag_vm_info {
	__u32 reason;			/* reason= enum oomdiag_vm_reason */
	__u32 overcommit_mode;		/* overcommit_mode= vm.overcommit_memory */
	__u64 pages;			/* pages= pages asked for */
	__u64 committed_as_pages;	/* committed_as_pages= */
	__u64 commit_limit_pages;	/* commit_limit_pages= */
	__u64 overcommit_ratio;		/* overcommit_ratio= */
	__u64 overcommit_kbytes;	/* overcommit_kbytes= */
	__u64 limit;			/* limit= rlimit (bytes) or max_map_count */
	__u64 current_usage;		/* current= pages or map count in use */
};

/*
 * One record.  BPF sends it whole through its ring buffer (stack addresses
 * raw, symbolised by the reader from /proc/kallsyms); the module keeps it in
 * its ring and prints stack frames symbolised with %pS, never raw.
 */
struct oomdiag_event {
	__u64 ts_ns;			/* ts_ns= ktime_get_ns() / bpf_ktime_get_ns() */
	__u64 wall_ns;			/* wall_ns= CLOCK_REALTIME */
	__u32 kind;			/* kind= enum oomdiag_kind */
	__u32 flags;			/* flags= OOMDIAG_F_* */
	__u32 cpu;			/* cpu= */
	__u32 context;			/* context= enum oomdiag_context */
	__u32 pid;			/* pid= thread id of the allocating task */
	__u32 tgid;			/* tgid= */
	char comm[OOMDIAG_COMM_LEN];	/* comm= */
	__u64 seq;			/* seq= position in the source's stream */
	union {
		struct oomdiag_alloc_info alloc;
		struct oomdiag_oom_info oom;
		struct oomdiag_vm_info vm;
	};
	__u32 nr_stack;
	__u32 nr_zones;
	__u64 stack[OOMDIAG_STACK_DEPTH];
	struct oomdiag_zone_snap zones[OOMDIAG_MAX_ZONES];
};

/*
 * The layout of ABI OOMDIAG_ABI_VERSION, checked at build time by every
 * object that includes this header (module, BPF, userspace): a change of
 * a size or an offset below is a new ABI version, and these numbers change
 * with it.
 */
#define OOMDIAG_ABI_EVENT_SIZE		1704
#define OOMDIAG_ABI_ZONE_SNAP_SIZE	112
#define OOMDIAG_ABI_ALLOC_INFO_SIZE	24
#define OOMDIAG_ABI_OOM_INFO_SIZE	608
#define OOMDIAG_ABI_VM_INFO_SIZE	64
#define OOMDIAG_ABI_OFF_KIND		16
#define OOMDIAG_ABI_OFF_SEQ		56
#define OOMDIAG_ABI_OFF_UNION		64
#define OOMDIAG_ABI_OFF_NR_STACK	672
#define OOMDIAG_ABI_OFF_STACK		680
#define OOMDIAG_ABI_OFF_ZONES		808

#if defined(__KERNEL__)
#define OOMDIAG_ABI_ASSERT(id, cond)	static_assert(cond, "oomdiag ABI layout: " #id)
#else
/*
 * A static assertion without <assert.h>, which a BPF object cannot include:
 * "size of array 'oomdiag_abi_ID' is negative" names the broken check.
 */
#define OOMDIAG_ABI_ASSERT(id, cond)	extern int oomdiag_abi_##id[(cond) ? 1 : -1]
#endif

#define OOMDIAG_OFF(type, member)	__builtin_offsetof(struct type, member)

OOMDIAG_ABI_ASSERT(version, OOMDIAG_ABI_VERSION == 2);
OOMDIAG_ABI_ASSERT(event_size, sizeof(struct oomdiag_event) == OOMDIAG_ABI_EVENT_SIZE);
OOMDIAG_ABI_ASSERT(zone_snap_size, sizeof(struct oomdiag_zone_snap) == OOMDIAG_ABI_ZONE_SNAP_SIZE);
OOMDIAG_ABI_ASSERT(alloc_info_size,
		   sizeof(struct oomdiag_alloc_info) == OOMDIAG_ABI_ALLOC_INFO_SIZE);
OOMDIAG_ABI_ASSERT(oom_info_size, sizeof(struct oomdiag_oom_info) == OOMDIAG_ABI_OOM_INFO_SIZE);
OOMDIAG_ABI_ASSERT(vm_info_size, sizeof(struct oomdiag_vm_info) == OOMDIAG_ABI_VM_INFO_SIZE);
OOMDIAG_ABI_ASSERT(off_kind, OOMDIAG_OFF(oomdiag_event, kind) == OOMDIAG_ABI_OFF_KIND);
OOMDIAG_ABI_ASSERT(off_seq, OOMDIAG_OFF(oomdiag_event, seq) == OOMDIAG_ABI_OFF_SEQ);
OOMDIAG_ABI_ASSERT(off_union, OOMDIAG_OFF(oomdiag_event, alloc) == OOMDIAG_ABI_OFF_UNION);
OOMDIAG_ABI_ASSERT(off_nr_stack, OOMDIAG_OFF(oomdiag_event, nr_stack) == OOMDIAG_ABI_OFF_NR_STACK);
OOMDIAG_ABI_ASSERT(off_stack, OOMDIAG_OFF(oomdiag_event, stack) == OOMDIAG_ABI_OFF_STACK);
OOMDIAG_ABI_ASSERT(off_zones, OOMDIAG_OFF(oomdiag_event, zones) == OOMDIAG_ABI_OFF_ZONES);
OOMDIAG_ABI_ASSERT(off_oom_memcg, OOMDIAG_OFF(oomdiag_oom_info, memcg) == 96);
OOMDIAG_ABI_ASSERT(off_vm_limit, OOMDIAG_OFF(oomdiag_vm_info, limit) == 48);
OOMDIAG_ABI_ASSERT(off_free_blocks, OOMDIAG_OFF(oomdiag_zone_snap, free_blocks) == 64);
/* every flag bit has its name in oomdiag_flag_names[] */
OOMDIAG_ABI_ASSERT(nr_flags, OOMDIAG_F_PATH_TRUNCATED == 1u << (OOMDIAG_NR_FLAGS - 1));

#endif /* OOMDIAG_EVENT_H */
