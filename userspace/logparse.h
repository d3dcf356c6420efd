/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_LOGPARSE_H
#define OOMDIAG_LOGPARSE_H
/*
 * Streaming parser for kernel log text (dmesg, journal, syslog, /dev/kmsg):
 * finds OOM reports, page allocation failures and vmalloc failures of any
 * kernel from 2.6.x to 7.x and extracts their facts into struct lp_report.
 *
 * Memory does not depend on the input: the parser holds one line (longer
 * lines are cut at LP_LINE_MAX) and the report being read, whose tables
 * (zones, task dump, slab caches) are bounded; the task dump keeps only the
 * largest consumers and the candidates with the highest badness.
 *
 * The layout: dmesg_prefix.c strips the log format's prefix of each line,
 * dmesg_classify.c says what the message is, one dmesg_*.c per kernel
 * printer reads its lines (dmesg_parsers.h), and this file decides which
 * report a line belongs to, where a report and a boot end, and joins
 * hard-wrapped lines of pasted logs back together.
 *
 * Feed bytes with logparse_feed() (any chunking), call logparse_finish() at
 * the end; every report is passed to the callback once it is complete (the
 * next report starts, the log ends, or LP_IDLE_LINES unrelated lines pass).
 * The struct passed to the callback is only valid during the call.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LP_LINE_MAX		4096
#define LP_MAX_ZONES		12
#define LP_MAX_ORDERS		16
#define LP_TOP_TASKS		8
#define LP_TOP_SLABS		5
#define LP_MAX_RESERVE		6
#define LP_IDLE_LINES		400
#define LP_COMM_MAX		64
#define LP_PATH_MAX		256

/* -1 in a long long field: not in the log. */
#define LP_UNKNOWN		(-1LL)
/* oom_score_adj unknown (valid ones are -1000..1000). */
#define LP_ADJ_UNKNOWN		(-100000)

enum lp_kind {
	LP_KIND_GLOBAL_OOM,
	LP_KIND_MEMCG_OOM,
	LP_KIND_PAGE_ALLOC_FAILURE,
	LP_KIND_VMALLOC_FAILURE,
	LP_KIND_ALLOC_STALL,		/* "page allocation stalls for Nms" (4.11-4.14) */
};
#define LP_NR_KINDS		5

/* Which parts of a report were seen (lp_report.seen). */
enum lp_section {
	LP_SEEN_HEADER = 1 << 0,	/* "invoked oom-killer" / "page allocation failure" */
	LP_SEEN_CPU = 1 << 1,		/* "CPU: N PID: N Comm: ..." */
	LP_SEEN_MEMINFO = 1 << 2,	/* "Mem-Info:" counters */
	LP_SEEN_ZONES = 1 << 3,		/* "Node 0 DMA32 free:...kB min:..." */
	LP_SEEN_BUDDY = 1 << 4,		/* "Node 0 DMA32: 1*4kB (U) ..." */
	LP_SEEN_TASKS = 1 << 5,		/* task dump header */
	LP_SEEN_VICTIM = 1 << 6,	/* "Killed process N (comm)" */
	LP_SEEN_OOMKILL = 1 << 7,	/* "oom-kill:constraint=..." */
	LP_SEEN_MEMCG = 1 << 8,		/* "memory: usage", "Task in ... limit of" */
	LP_SEEN_SWAP = 1 << 9,		/* "Total swap = ..." */
	LP_SEEN_RAM = 1 << 10,		/* "N pages RAM" */
	LP_SEEN_SELECT = 1 << 11,	/* "Kill process N (comm) score N" */
};

struct lp_zone {
	int node;			/* -1: the log did not say (non-NUMA 2.6) */
	char name[16];
	long long free_kb, min_kb, low_kb, high_kb, boost_kb;
	long long free_cma_kb, managed_kb, present_kb, reserved_highatomic_kb;
	long long lowmem_reserve[LP_MAX_RESERVE];	/* pages */
	int nr_reserve;
	bool has_watermarks;		/* the "free:..kB min:..kB" line */
	bool all_unreclaimable;		/* per zone on old kernels */
	bool has_buddy;			/* the "N*4kB" line */
	bool buddy_has_types;		/* migratetype letters were printed */
	int nr_orders;
	long long page_kb;		/* size of order 0 in the buddy line */
	long long free_blocks[LP_MAX_ORDERS];
	char types[LP_MAX_ORDERS][8];	/* "UME" letters per order */
	long long buddy_total_kb;
};

struct lp_task {
	int pid, uid, tgid;
	long long total_vm, rss, rss_anon, rss_file, rss_shmem;	/* pages */
	long long pgtables_kb, swapents;
	int oom_score_adj;
	long long badness;		/* rss + swap + pgtables + adj scaled */
	char comm[LP_COMM_MAX];
};

struct lp_slab {
	char name[32];
	long long used_kb, total_kb;
};

struct lp_victim {
	int pid;
	int uid;			/* -1 unknown */
	char comm[LP_COMM_MAX];
	long long total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb, pgtables_kb;
	long long score;		/* "score N" of old kernels */
	int oom_score_adj;
	bool killed;			/* "Killed process" seen (not only selected) */
	int selected_pid;		/* "Kill process N ... or sacrifice child" */
	char selected_comm[LP_COMM_MAX];
};

/*
 * An address-space request refused with ENOMEM (mmap, brk, mremap): no
 * dmesg report has one, so only userspace/event_model.c fills it, from a
 * module record or a BPF event of kind vm_refused.  When present the
 * report's kind is not looked at and causes_analyse() runs the refusal's
 * rule only.  LP_UNKNOWN (-1) in a number: not in the record.
 */
struct lp_vm_refusal {
	bool present;
	int reason;			/* enum oomdiag_vm_reason; 0 unknown */
	int overcommit_mode;		/* vm.overcommit_memory, -1 unknown */
	long long pages;		/* pages asked for */
	long long committed_as_pages, commit_limit_pages;
	long long overcommit_ratio, overcommit_kbytes;
	long long limit;		/* rlimit in bytes, or vm.max_map_count */
	bool limit_unlimited;		/* RLIM_INFINITY */
	long long current;		/* total_vm / data pages, or the map count */
};

struct lp_report {
	enum lp_kind kind;
	unsigned int seen;		/* enum lp_section */
	long long first_line, last_line;	/* 1-based input lines */
	char timestamp[40];		/* of the first line, as written */

	char kernel[64];		/* "6.1.0-50-amd64", "" unknown */
	bool kernel_from_banner;	/* from an earlier "Linux version" line */
	char comm[LP_COMM_MAX];		/* allocating task */
	int pid;			/* -1 unknown */
	int task_oom_score_adj;		/* of the allocating task, header */

	bool has_gfp;
	uint64_t gfp_mask;
	char gfp_names[256];		/* as the kernel printed them, "" if not */
	int order;			/* -2 unknown; -1 memcg charge / sysrq */
	char nodemask[64];		/* "(null)", "0-1", "" unknown */
	char cpuset[LP_PATH_MAX];
	char mems_allowed[64];

	/* vmalloc failures */
	long long vmalloc_size;		/* bytes requested */
	long long vmalloc_allocated;	/* old "allocated N of M bytes" */
	long long vmap_size;		/* "vmap allocation for size N failed" */
	char vmalloc_reason[96];	/* "vm_struct allocation failed", ... */

	/* OOM */
	struct lp_victim victim;	/* valid when seen & LP_SEEN_VICTIM|SELECT */
	int nr_killed;			/* more than one: memory.oom.group */
	bool group_kill;
	bool panic;			/* "Kernel panic - not syncing" in the report */
	int panic_on_oom;		/* the panic says vm.panic_on_oom: 1 system-wide, 2 compulsory */
	bool sysrq;			/* SysRq-f / sysrq-trigger: order=-1 or "Manual OOM execution" */
	long long stall_ms;		/* allocation stall: how long, LP_UNKNOWN otherwise */
	bool oom_killer_disabled;	/* after "OOM killer disabled." (suspend), not re-enabled */
	bool no_killable;		/* "no killable processes" */
	char constraint[32];		/* "CONSTRAINT_NONE" as printed, "" unknown */
	bool global_oom_flag;		/* ",global_oom," in the oom-kill line */
	char memcg[LP_PATH_MAX];	/* OOM domain (limit of / oom_memcg=) */
	char task_memcg[LP_PATH_MAX];
	long long memcg_usage_kb, memcg_limit_kb, memcg_failcnt;
	long long memsw_usage_kb, memsw_limit_kb;
	long long memcg_swap_usage_kb, memcg_swap_limit_kb;
	long long memcg_kmem_usage_kb;
	long long memcg_anon_kb, memcg_file_kb, memcg_kernel_kb, memcg_slab_kb;
	long long memcg_shmem_kb;

	/* Mem-Info counters (pages) */
	long long mi_active_anon, mi_inactive_anon, mi_active_file, mi_inactive_file;
	long long mi_unevictable, mi_slab_reclaimable, mi_slab_unreclaimable;
	long long mi_shmem, mi_pagetables, mi_free, mi_free_cma, mi_mapped;
	long long mi_kernel_stack_kb;
	bool all_unreclaimable;		/* node line */
	long long free_swap_kb, total_swap_kb;
	long long ram_pages, reserved_pages, highmem_pages, pagecache_pages;
	long long hugetlb_kb;		/* hugepages_total * size, all nodes */

	struct lp_zone zones[LP_MAX_ZONES];
	int nr_zones;

	/* task dump */
	int nr_tasks;
	long long tasks_rss_pages;	/* sum over the dump */
	long long page_kb;		/* 4 unless the buddy lines say */
	struct lp_task top_rss[LP_TOP_TASKS];	/* largest rss first */
	int nr_top_rss;
	struct lp_task top_badness[LP_TOP_TASKS];	/* highest badness first */
	int nr_top_badness;
	bool tasks_have_adj;

	struct lp_slab slabs[LP_TOP_SLABS];	/* "Unreclaimable slab info" */
	int nr_slabs;

	/* ratelimiting */
	long long suppressed_warn_alloc;	/* warn_alloc(_failed) */
	long long suppressed_oom;		/* oom_kill_process, dump_header */
	long long suppressed_other;		/* __ratelimit, printk messages */

	int prev_victim_pid;		/* victim of the OOM report before, -1 */
	char prev_victim_comm[LP_COMM_MAX];

	struct lp_vm_refusal vm;	/* event_model.c only, see above */

	bool truncated;			/* the report stops before its end */
	bool header_missing;		/* found from its tail only */
};

typedef void (*lp_emit_fn)(const struct lp_report *r, void *arg);

struct logparse {
	lp_emit_fn emit;
	void *arg;
	char line[LP_LINE_MAX + 1];
	size_t line_len;
	bool line_overflow;
	long long lineno;

	struct lp_report *cur;		/* NULL: not inside a report */
	bool provisional;		/* cur is a tail without any OOM line yet */
	void *cur_storage;		/* two report buffers, column layout */
	int state;			/* section inside cur */
	long long idle;			/* unrelated lines since the last fact */
	long long lines_in_report;

	long long msg_first, msg_last;	/* input lines of the message being read */
	char banner_kernel[64];		/* "Linux version X" of this boot, "" unknown */
	double last_mono;		/* printk seconds of the last line, -1 none */
	long long pend_sysrq_line;	/* "Manual OOM execution", 0 none */
	bool oom_disabled;		/* "OOM killer disabled." seen, no "enabled." since */
	/* a lone "COMM: " pr_cont fragment of warn_alloc(), for a header split by interleaving */
	char frag_comm[LP_COMM_MAX];
	long long frag_comm_line;
	long long pend_sup_warn, pend_sup_oom, pend_sup_other;
	/* a vmalloc line waiting for its "page allocation failure" header */
	long long pend_vmalloc_size, pend_vmalloc_allocated, pend_vmap_size;
	char pend_vmalloc_reason[96];
	long long pend_vmalloc_line;
	char pend_ts[40];
	int last_victim_pid;		/* of the last OOM report emitted */
	char last_victim_comm[LP_COMM_MAX];
	long long reports;
};

/* Returns 0, or -1 with errno ENOMEM. */
int logparse_init(struct logparse *p, lp_emit_fn emit, void *arg);
void logparse_feed(struct logparse *p, const char *buf, size_t len);
/* Emits the report in progress, if any. */
void logparse_finish(struct logparse *p);
void logparse_free(struct logparse *p);

/* Parse a whole buffer (fuzzing, tests): init + feed + finish + free. */
int logparse_buffer(const char *buf, size_t len, lp_emit_fn emit, void *arg);

/*
 * Strip the transport prefix of one log line (every format of
 * dmesg_prefix.h).  Returns the offset of the message in s, or -1 when the
 * line is from another program than the kernel.  ts, ts_len: the timestamp
 * text, if any.
 */
long logparse_strip_prefix(const char *s, size_t n, const char **ts, size_t *ts_len);

const char *logparse_kind_name(enum lp_kind k);

/* Every field of @r unknown (-1, LP_UNKNOWN...), as a report starts. */
void lp_report_reset(struct lp_report *r);

#endif
