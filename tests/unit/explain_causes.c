// SPDX-License-Identifier: GPL-2.0
/*
 * explain on small constructed inputs: every cause id the corpus of real
 * reports does not reach, every log prefix format, the column sets of the
 * task dump, memcg v1 "sacrifice child", vmalloc formats, truncation,
 * interleaving and over-long lines.  A page allocation failure is complete
 * with show_mem()'s "N pages RAM" block, which every kernel prints last.  The inputs are built from the kernel's
 * own format strings; the numbers are chosen to sit on either side of each
 * rule.  TAP.
 *
 * Each check is "N.key=value" (a fact of report N, see explain_facts()),
 * "reports=N", "+N:id" (report N names cause id) or "-N:id" (it does not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explain_testlib.h"

static bool has_cause(const char *facts, int idx, const char *id)
{
	char key[32];
	const char *v;
	size_t vl, il = strlen(id);

	snprintf(key, sizeof(key), "%d.causes", idx);
	v = facts_lookup(facts, key, &vl);
	while (v && vl >= il) {
		if (!strncmp(v, id, il) && (vl == il || v[il] == ','))
			return true;
		{
			const char *c = memchr(v, ',', vl);

			if (!c)
				break;
			vl -= (size_t)(c + 1 - v);
			v = c + 1;
		}
	}
	return false;
}

/* Returns the number of failed checks. */
static int run(const char *name, const char *text, size_t len, const char *const *checks)
{
	char *facts = facts_of_text(text, len);
	int bad = 0;

	if (!facts) {
		printf("# %s: out of memory\n", name);
		return 1;
	}
	for (; *checks; checks++) {
		const char *c = *checks;

		if (c[0] == '+' || c[0] == '-') {
			int idx = atoi(c + 1);
			const char *id = strchr(c, ':') + 1;

			if (has_cause(facts, idx, id) != (c[0] == '+')) {
				printf("#   %s: cause %s %s in report %d\n", name, id,
				       c[0] == '+' ? "missing" : "unexpected", idx);
				bad++;
			}
		} else {
			const char *eq = strchr(c, '='), *got;
			char key[128];
			size_t gl;

			snprintf(key, sizeof(key), "%.*s", (int)(eq - c), c);
			got = facts_lookup(facts, key, &gl);
			if (!got || gl != strlen(eq + 1) || strncmp(got, eq + 1, gl)) {
				printf("#   %s: %s: expected '%s', got '%.*s'\n", name, key, eq + 1,
				       got ? (int)gl : 6, got ? got : "(none)");
				bad++;
			}
		}
	}
	if (bad)
		printf("# facts:\n# %s\n", facts);
	free(facts);
	return bad;
}

#define CPU61 "CPU: 0 PID: 321 Comm: %s Not tainted 6.1.0-50-amd64 #1  Debian 6.1.176-1\n"

struct tcase {
	const char *name;
	const char *text;
	const char *checks[16];
};

static const struct tcase cases[] = {
	{ "lowmem: GFP_DMA32 request, DMA32 below min, Normal has plenty",
	  "[ 10.0] drv: page allocation failure: order:0, mode:0xcc4(GFP_KERNEL|GFP_DMA32), "
	  "nodemask=(null),cpuset=/,mems_allowed=0\n"
	  "[ 10.0] CPU: 0 PID: 321 Comm: drv Not tainted 6.1.0-50-amd64 #1\n"
	  "[ 10.0] Mem-Info:\n"
	  "[ 10.0] active_anon:1000 inactive_anon:2000 isolated_anon:0\n"
	  "[ 10.0]  active_file:3000 inactive_file:4000 isolated_file:0\n"
	  "[ 10.0]  slab_reclaimable:500 slab_unreclaimable:600\n"
	  "[ 10.0]  free:130000 free_pcp:10 free_cma:0\n"
	  "[ 10.0] Node 0 DMA free:900kB boost:0kB min:1000kB low:1200kB high:1400kB "
	  "reserved_highatomic:0KB present:15992kB managed:15360kB free_cma:0kB\n"
	  "[ 10.0] lowmem_reserve[]: 0 2000 8000 8000\n"
	  "[ 10.0] Node 0 DMA32 free:1500kB boost:0kB min:2000kB low:2500kB high:3000kB "
	  "reserved_highatomic:0KB present:2000000kB managed:1900000kB free_cma:0kB\n"
	  "[ 10.0] Node 0 Normal free:500000kB boost:0kB min:20000kB low:25000kB high:30000kB "
	  "reserved_highatomic:0KB present:6000000kB managed:5900000kB free_cma:0kB\n"
	  "[ 10.0] Node 0 DMA: 1*4kB (U) 0*8kB 0*16kB = 4kB\n"
	  "[ 10.0] Node 0 DMA32: 3*4kB (UM) 1*8kB (M) = 20kB\n"
	  "[ 10.0] Node 0 Normal: 100*4kB (UME) 50*8kB (UME) 10*2048kB (M) = 20880kB\n"
	  "[ 10.0] 2003998 pages RAM\n",
	  { "reports=1", "1.kind=page_alloc_failure", "1.order=0", "1.zones=3",
	    "1.zone.DMA32.free_kb=1500", "1.zone.Normal.highest_free_order=9",
	    "+1:lowmem_exhausted", "-1:zone_exhausted", "-1:fragmentation",
	    "-1:atomic_context", "1.truncated=false", NULL } },
	{ "cpuset constraint",
	  "a invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, "
	  "oom_score_adj=0\n"
	  "CPU: 1 PID: 77 Comm: a Not tainted 5.10.0-9-amd64 #1 Debian 5.10.70-1\n"
	  "oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=(null),cpuset=/jobs,mems_allowed=1,"
	  "task_memcg=/jobs,task=a,pid=77,uid=1000\n"
	  "Out of memory: Killed process 77 (a) total-vm:100kB, anon-rss:90kB, file-rss:0kB, "
	  "shmem-rss:0kB, UID:1000 pgtables:4kB oom_score_adj:0\n",
	  { "reports=1", "1.kind=global_oom", "1.constraint=cpuset", "1.kernel=5.10.0-9-amd64",
	    "1.victim.pid=77", "+1:cpuset_constraint", "-1:memory_exhausted", NULL } },
	{ "mempolicy constraint, NUMA lists with commas",
	  "b invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, "
	  "oom_score_adj=0\n"
	  "oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0-1,3,cpuset=/,"
	  "mems_allowed=0-3,global_oom,task_memcg=/user.slice,task=b,pid=8,uid=0\n"
	  "Out of memory: Killed process 8 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, "
	  "shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n",
	  { "reports=1", "1.constraint=memory_policy", "+1:mempolicy_constraint",
	    "1.task_memcg=/user.slice", NULL } },
	{ "unreclaimable slab dump",
	  "c invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
	  "Mem-Info:\n"
	  "active_anon:100 inactive_anon:100 isolated_anon:0\n"
	  " active_file:10 inactive_file:10 isolated_file:0\n"
	  " slab_reclaimable:1000 slab_unreclaimable:700000\n"
	  " mapped:0 shmem:0 pagetables:10\n"
	  " free:5000 free_pcp:0 free_cma:0\n"
	  "Node 0 Normal free:20000kB min:22000kB low:27000kB high:32000kB present:4194304kB "
	  "managed:4000000kB free_cma:0kB\n"
	  "Node 0 Normal: 5000*4kB (UME) = 20000kB\n"
	  "1048576 pages RAM\n"
	  "Unreclaimable slab info:\n"
	  "Name                      Used          Total\n"
	  "kmalloc-64            2600000KB    2600000KB\n"
	  "dentry                    100KB        120KB\n"
	  "Tasks state (memory values in pages):\n"
	  "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
	  "[     50]     0    50     1000      150    40960        0             0 c\n"
	  "Out of memory: Killed process 50 (c) total-vm:4000kB, anon-rss:600kB, file-rss:0kB, "
	  "shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0\n",
	  { "reports=1", "+1:slab_growth", "+1:memory_exhausted", "1.tasks=1",
	    "1.truncated=false", NULL } },
	{ "oom_score_adj picked a small victim",
	  "d invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, "
	  "oom_score_adj=0\n"
	  "Mem-Info:\n"
	  " free:1000 free_pcp:0 free_cma:0\n"
	  "262144 pages RAM\n"
	  "Tasks state (memory values in pages):\n"
	  "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
	  "[    100]     0   100   300000   200000  1000000        0          -900 java\n"
	  "[    101]     0   101     1000      500    40960        0          1000 Web Content\n"
	  "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
	  "task_memcg=/,task=Web Content,pid=101,uid=0\n"
	  "Out of memory: Killed process 101 (Web Content) total-vm:4000kB, anon-rss:1800kB, "
	  "file-rss:200kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:1000\n",
	  { "1.victim.comm=Web Content", "1.victim.oom_score_adj=1000", "1.tasks=2",
	    "+1:oom_score_adj", "+1:memory_exhausted", NULL } },
	{ "largest task is the victim: no oom_score_adj cause",
	  "e invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
	  "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
	  "[    100]     0   100   300000   200000  1000000        0           500 big\n"
	  "[    101]     0   101     1000      500    40960        0             0 small\n"
	  "Out of memory: Killed process 100 (big) total-vm:1200000kB, anon-rss:800000kB, "
	  "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1000kB oom_score_adj:500\n",
	  { "-1:oom_score_adj", "1.victim.pid=100", NULL } },
	{ "shmem and hugetlb",
	  "f invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
	  "Mem-Info:\n"
	  "active_anon:1000 inactive_anon:300000 isolated_anon:0\n"
	  " mapped:0 shmem:300000 pagetables:10\n"
	  " free:2000 free_pcp:0 free_cma:0\n"
	  "Node 0 hugepages_total=600 hugepages_free=600 hugepages_surp=0 hugepages_size=2048kB\n"
	  "Free swap  = 0kB\n"
	  "Total swap = 0kB\n"
	  "1048576 pages RAM\n"
	  "Out of memory: Killed process 9 (f) total-vm:1kB, anon-rss:1kB, file-rss:0kB, "
	  "shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n",
	  { "+1:shmem_tmpfs", "+1:hugetlb_reserved", "-1:slab_growth", NULL } },
	{ "no killable process, panic",
	  "g invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
	  "Out of memory and no killable processes...\n"
	  "Kernel panic - not syncing: System is deadlocked on memory\n",
	  { "reports=1", "1.victim.pid=", "+1:no_killable_task", NULL } },
	{ "cgroup v1: Task in ... limit of, sacrifice child, OOM ratelimit",
	  "oom_kill_process: 7 callbacks suppressed\n"
	  "java invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0\n"
	  "java cpuset=/ mems_allowed=0\n"
	  "CPU: 3 PID: 900 Comm: java Not tainted 3.10.0-1160.el7.x86_64 #1\n"
	  "Task in /docker/abc killed as a result of limit of /docker/abc\n"
	  "memory: usage 1048576kB, limit 1048576kB, failcnt 4242\n"
	  "memory+swap: usage 1048576kB, limit 2097152kB, failcnt 0\n"
	  "Memory cgroup stats for /docker/abc: cache:1024KB rss:1047552KB rss_huge:0KB\n"
	  "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n"
	  "[  900]     0   900   500000   261000     600        0             0 java\n"
	  "[  950]     0   950    10000     1000      20        0             0 child\n"
	  "Memory cgroup out of memory: Kill process 900 (java) score 997 or sacrifice child\n"
	  "Killed process 950 (child) total-vm:40000kB, anon-rss:3900kB, file-rss:100kB\n",
	  { "reports=1", "1.kind=memcg_oom", "1.constraint=memcg", "1.memcg=/docker/abc",
	    "1.memcg.limit_kb=1048576", "1.victim.pid=950", "1.victim.comm=child",
	    "1.victim.selected_pid=900", "1.suppressed.oom=7", "1.gfp.flags=GFP_KERNEL",
	    "+1:memcg_limit", "+1:ratelimited", NULL } },
	{ "memory.oom.group: several killed",
	  "h invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
	  "memory: usage 10240kB, limit 10240kB, failcnt 3\n"
	  "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
	  "oom_memcg=/grp,task_memcg=/grp,task=h,pid=20,uid=0\n"
	  "Memory cgroup out of memory: Killed process 20 (h) total-vm:1kB, anon-rss:1kB, "
	  "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n"
	  "Tasks in /grp are going to be killed due to memory.oom.group set\n"
	  "Memory cgroup out of memory: Killed process 21 (i) total-vm:1kB, anon-rss:1kB, "
	  "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n"
	  "Memory cgroup out of memory: Killed process 22 (j) total-vm:1kB, anon-rss:1kB, "
	  "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n",
	  { "reports=1", "1.killed_count=3", "1.victim.pid=20", "1.memcg=/grp", NULL } },
	{ "prefixes: kmsg, ISO journal, dmesg -T, caller ids, priorities, other programs",
	  "4,1001,7000000,-;k1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
	  "oom_score_adj=0\n"
	  "4,1002,7000001,-;Out of memory: Killed process 1 (k1) total-vm:1kB, anon-rss:1kB, "
	  "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n"
	  "2024-01-31T12:00:00.123456+00:00 host kernel: k2: page allocation failure: order:1, "
	  "mode:0x820(GFP_ATOMIC), nodemask=(null)\n"
	  "Jan 31 12:00:01 host systemd[1]: Out of memory: Killed process 5 (fake) total-vm:1kB\n"
	  "[Wed Jan 31 12:00:02 2024] k3: page allocation failure: order:2, mode:0x820(GFP_ATOMIC)\n"
	  "[   12.345678][  T123] k4: page allocation failure: order:3, mode:0x820(GFP_ATOMIC)\n"
	  "<4>[   12.5] k5: page allocation failure: order:0, mode:0x820(GFP_ATOMIC)\n"
	  "[   13.0] host kernel: k6: page allocation failure: order:0, mode:0x800(GFP_NOWAIT)\n"
	  "kern  :warn  : [   14.0] k7: page allocation failure: order:0, mode:0x800(GFP_NOWAIT)\n",
	  { "reports=7", "7.task.comm=k7", "1.task.comm=k1", "1.victim.comm=k1", "2.task.comm=k2", "2.order=1",
	    "3.task.comm=k3", "4.task.comm=k4", "4.order=3", "5.task.comm=k5",
	    "6.task.comm=k6", "6.gfp.flags=GFP_NOWAIT", NULL } },
	{ "vmalloc formats 5.13+ and 3.x",
	  "v1: vmalloc error: size 8192, vm_struct allocation failed, mode:0xdc0(GFP_KERNEL|"
	  "__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0\n"
	  "v2: vmalloc error: size 1048576, page order 0, failed to allocate pages, "
	  "mode:0xdc2(GFP_KERNEL|__GFP_HIGHMEM|__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0\n"
	  "vmalloc: allocation failure, allocated 12288 of 16384 bytes\n"
	  "v3: page allocation failure: order:0, mode:0xd2\n",
	  { "reports=3", "1.kind=vmalloc_failure", "1.vmalloc.size=8192", "+1:vmalloc_space",
	    "2.vmalloc.size=1048576", "2.order=0", "+2:vmalloc_pages", "3.kind=vmalloc_failure",
	    "3.vmalloc.size=16384", "3.task.comm=v3", NULL } },
	{ "task dumps: rss split (6.9+) and 2.6.32 oom_adj",
	  "m invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
	  "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes "
	  "swapents oom_score_adj name\n"
	  "[    300]     0   300    10000     5000     4000      900      100    40960        0"
	  "             0 Isolated Web Co\n"
	  "Out of memory: Killed process 300 (Isolated Web Co) total-vm:40000kB, "
	  "anon-rss:16000kB, file-rss:3600kB, shmem-rss:400kB, UID:0 pgtables:40kB "
	  "oom_score_adj:0\n"
	  "n invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0\n"
	  "[ pid ]   uid  tgid total_vm      rss cpu oom_adj name\n"
	  "[  400]     0   400    10000     6000   0     -17 sshd\n"
	  "[  401]     0   401    20000     9000   1       0 mysqld\n"
	  "Out of memory: kill process 401 (mysqld) score 9000 or a child\n"
	  "Killed process 401 (mysqld)\n",
	  { "reports=2", "1.tasks=1", "1.victim.comm=Isolated Web Co",
	    "1.victim.anon_rss_kb=16000", "2.tasks=2", "2.victim.pid=401",
	    "2.victim.comm=mysqld", "2.victim.oom_score_adj=0", "2.victim.anon_rss_kb=-1",
	    NULL } },
	{ "truncated header-only report, and an over-long line",
	  "t: page allocation failure: order:2, mode:0x6080c0(GFP_KERNEL|__GFP_ZERO), "
	  "nodemask=(null)\n"
	  "CPU: 0 PID: 5 Comm: t Not tainted 4.19.0-6-amd64 #1 Debian 4.19.67-2\n",
	  { "reports=1", "1.truncated=true", "1.kernel=4.19.0-6-amd64", "1.order=2",
	    "1.zones=0", "-1:fragmentation", NULL } },
	{ "a lost report start: show_mem text kept only when an OOM tail follows",
	  "sysrq: Show Memory\n"
	  "Mem-Info:\n"
	  "active_anon:1 inactive_anon:2 isolated_anon:0\n"
	  "Node 0 Normal free:9000kB min:8000kB low:9000kB high:10000kB free_cma:0kB\n"
	  "Node 0 Normal: 2250*4kB (UME) = 9000kB\n"
	  "usb 1-1: new device\n"
	  "Mem-Info:\n"
	  "Node 0 Normal free:7000kB min:8000kB low:9000kB high:10000kB free_cma:0kB\n"
	  "Node 0 Normal: 1750*4kB (UME) = 7000kB\n"
	  "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
	  "[     70]     0    70   100000    90000   800000        0             0 leaker\n"
	  "Out of memory: Killed process 70 (leaker) total-vm:400000kB, anon-rss:360000kB, "
	  "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:780kB oom_score_adj:0\n",
	  { "reports=1", "1.zone.Normal.free_kb=7000", "1.tasks=1", "1.victim.comm=leaker",
	    "1.zones=1",
	    "1.truncated=true", "+1:memory_exhausted", NULL } },
	{ "CMA: only CMA blocks are large enough for a non-movable request",
	  "cam: page allocation failure: order:3, mode:0xcc0(GFP_KERNEL), nodemask=(null),"
	  "cpuset=/,mems_allowed=0\n"
	  "CPU: 0 PID: 66 Comm: cam Not tainted 5.15.0 #1\n"
	  "Mem-Info:\n"
	  " free:50000 free_pcp:0 free_cma:48000\n"
	  "Normal free:200000kB min:4000kB low:5000kB high:6000kB present:1048576kB "
	  "managed:1000000kB free_cma:192000kB\n"
	  "Normal: 1000*4kB (UMEC) 500*8kB (UMEC) 0*16kB 40*32kB (C) 20*64kB (C) 2000*128kB (C) "
	  "= 200000kB\n"
	  "262144 pages RAM\n",
	  /* 8 MB of non-CMA memory above min, but in order-0/1 blocks: both */
	  { "reports=1", "1.zone.Normal.highest_free_order=5", "+1:cma_unusable",
	    "+1:fragmentation", "-1:zone_exhausted", "1.truncated=false", NULL } },
	/*
	 * transient_shortage: the demo's order-10 GFP_NOWAIT failure on 7.2 as
	 * the kernel printed it when kcompactd, woken by the failure, had
	 * drained the per-CPU lists before show_mem() ran: a free 4 MB block.
	 */
	{ "transient: a usable order-10 block above min in the report (7.2)",
	  "[ 4.98] sh: page allocation failure: order:10, mode:0x800(__GFP_KSWAPD_RECLAIM), "
	  "nodemask=(null),cpuset=/,mems_allowed=0\n"
	  "[ 4.98] CPU: 0 UID: 0 PID: 107 Comm: sh Tainted: G OE 7.2.13+deb14-amd64 #1\n"
	  "[ 4.99] Mem-Info:\n"
	  "[ 4.99]  free:3440 free_pcp:0 free_cma:0\n"
	  "[ 4.99] Node 0 DMA free:2944kB boost:0kB min:152kB low:188kB high:224kB "
	  "reserved_highatomic:0KB present:15992kB managed:15360kB free_cma:0kB\n"
	  "[ 4.99] lowmem_reserve[]: 0 170 170 170 170\n"
	  "[ 4.99] Node 0 DMA32 free:10860kB boost:0kB min:1424kB low:1780kB high:2136kB "
	  "reserved_highatomic:0KB present:245632kB managed:174456kB free_cma:0kB\n"
	  "[ 4.99] lowmem_reserve[]: 0 0 0 0 0\n"
	  "[ 4.99] Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 1*128kB (U) 1*256kB (U) "
	  "1*512kB (U) 0*1024kB 1*2048kB (M) 0*4096kB = 2944kB\n"
	  "[ 4.99] Node 0 DMA32: 11*4kB (UM) 7*8kB (UM) 4*16kB (UME) 4*32kB (UME) 4*64kB (UM) "
	  "1*128kB (M) 2*256kB (ME) 1*512kB (M) 1*1024kB (M) 2*2048kB (UE) 1*4096kB (M) "
	  "= 10860kB\n"
	  "[ 4.99] 65406 pages RAM\n",
	  { "reports=1", "1.order=10", "1.zone.DMA32.highest_free_order=10",
	    "+1:transient_shortage", "-1:fragmentation", "+1:atomic_context",
	    "-1:zone_exhausted", NULL } },
	{ "not transient: the same report without the 4 MB block is fragmentation",
	  "[ 4.98] sh: page allocation failure: order:10, mode:0x800(__GFP_KSWAPD_RECLAIM), "
	  "nodemask=(null),cpuset=/,mems_allowed=0\n"
	  "[ 4.98] CPU: 0 UID: 0 PID: 107 Comm: sh Tainted: G OE 7.2.13+deb14-amd64 #1\n"
	  "[ 4.99] Mem-Info:\n"
	  "[ 4.99] Node 0 DMA32 free:6768kB boost:0kB min:1424kB low:1780kB high:2136kB "
	  "reserved_highatomic:0KB present:245632kB managed:174456kB free_cma:0kB\n"
	  "[ 4.99] lowmem_reserve[]: 0 0 0 0 0\n"
	  "[ 4.99] Node 0 DMA32: 11*4kB (UM) 7*8kB (UM) 4*16kB (UME) 4*32kB (UME) 4*64kB (UM) "
	  "1*128kB (M) 2*256kB (ME) 1*512kB (M) 1*1024kB (M) 2*2048kB (UE) 0*4096kB "
	  "= 6768kB\n"
	  "[ 4.99] 65406 pages RAM\n",
	  { "reports=1", "-1:transient_shortage", "+1:fragmentation", NULL } },
	{ "not transient: the block is there but taking it would cross min",
	  "[ 4.98] sh: page allocation failure: order:10, mode:0x800(__GFP_KSWAPD_RECLAIM), "
	  "nodemask=(null),cpuset=/,mems_allowed=0\n"
	  "[ 4.98] CPU: 0 UID: 0 PID: 107 Comm: sh Tainted: G OE 7.2.13+deb14-amd64 #1\n"
	  "[ 4.99] Mem-Info:\n"
	  "[ 4.99] Node 0 DMA32 free:5000kB boost:0kB min:1424kB low:1780kB high:2136kB "
	  "reserved_highatomic:0KB present:245632kB managed:174456kB free_cma:0kB\n"
	  "[ 4.99] lowmem_reserve[]: 0 0 0 0 0\n"
	  "[ 4.99] Node 0 DMA32: 2*4kB (UM) 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB "
	  "1*1024kB (M) 0*2048kB 1*4096kB (M) = 5128kB\n"
	  "[ 4.99] 65406 pages RAM\n",
	  { "reports=1", "-1:transient_shortage", NULL } },
	{ "not transient before 4.4: the smaller orders hold the free memory",
	  "[ 9.0] app: page allocation failure: order:3, mode:0x20\n"
	  "[ 9.0] CPU: 0 PID: 12 Comm: app Not tainted 3.10.0-1160.el7.x86_64 #1\n"
	  "[ 9.0] Mem-Info:\n"
	  "[ 9.0] Node 0 Normal free:2000kB min:400kB low:500kB high:600kB "
	  "present:1048576kB managed:1000000kB\n"
	  "[ 9.0] lowmem_reserve[]: 0 0 0 0\n"
	  "[ 9.0] Node 0 Normal: 400*4kB (UEM) 46*8kB (UEM) 0*16kB 1*32kB (M) = 2000kB\n"
	  "[ 9.0] 262144 pages RAM\n",
	  /* GFP_ATOMIC: min 400 -> 150; 2000-1600 = 400 > 75, 400-368 = 32 <= 37 */
	  { "reports=1", "1.order=3", "-1:transient_shortage", "+1:atomic_context", NULL } },
	{ "transient since 4.4: the same report on 5.10",
	  "[ 9.0] app: page allocation failure: order:3, mode:0x20\n"
	  "[ 9.0] CPU: 0 PID: 12 Comm: app Not tainted 5.10.0-32-amd64 #1\n"
	  "[ 9.0] Mem-Info:\n"
	  "[ 9.0] Node 0 Normal free:2000kB min:400kB low:500kB high:600kB "
	  "present:1048576kB managed:1000000kB\n"
	  "[ 9.0] lowmem_reserve[]: 0 0 0 0\n"
	  "[ 9.0] Node 0 Normal: 400*4kB (UEM) 46*8kB (UEM) 0*16kB 1*32kB (M) = 2000kB\n"
	  "[ 9.0] 262144 pages RAM\n",
	  { "reports=1", "1.order=3", "+1:transient_shortage", NULL } },
};

int main(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);
	int failed = 0;
	char *big;
	size_t blen;

	printf("1..%zu\n", n + 2);
	for (size_t i = 0; i < n; i++) {
		int bad = run(cases[i].name, cases[i].text, strlen(cases[i].text), cases[i].checks);

		printf("%sok %zu - %s\n", bad ? "not " : "", i + 1, cases[i].name);
		failed += bad != 0;
	}
	/* a 100 kB line in the middle of a report neither breaks nor ends it */
	{
		static const char head[] = "x: page allocation failure: order:1, mode:0x820(GFP_ATOMIC)\n";
		static const char tail[] = "\nNormal: 3*4kB (U) 0*8kB = 12kB\n262144 pages RAM\n";
		static const char *const checks[] = { "reports=1", "1.task.comm=x",
						      "1.truncated=false", NULL };

		blen = sizeof(head) - 1 + 100000 + sizeof(tail) - 1;
		big = malloc(blen);
		if (!big)
			return 1;
		memcpy(big, head, sizeof(head) - 1);
		memset(big + sizeof(head) - 1, 'A', 100000);
		memcpy(big + sizeof(head) - 1 + 100000, tail, sizeof(tail) - 1);
		{
			int bad = run("long line", big, blen, checks);

			printf("%sok %zu - a 100 kB line inside a report\n", bad ? "not " : "", n + 1);
			failed += bad != 0;
		}
		free(big);
	}
	/* NUL bytes and no final newline */
	{
		static const char t[] = "y: page allocation failure: order:0, mode:0x820(GFP_ATOMIC)\n\0\0zz";
		static const char *const checks[] = { "reports=1", "1.task.comm=y", NULL };
		int bad = run("nul", t, sizeof(t) - 1, checks);

		printf("%sok %zu - NUL bytes and a missing final newline\n", bad ? "not " : "", n + 2);
		failed += bad != 0;
	}
	return failed ? 1 : 0;
}
