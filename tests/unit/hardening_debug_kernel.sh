#!/bin/bash
# The debug kernels catch what the stock kernels let through (issues 8, 14).
# In a scratch copy of the tree, a helper module with five deliberate bugs
# (mode=1..5) is built for each debug kernel and the stock kernel it is made
# from:
#   1  GFP_KERNEL allocation in a kprobe handler (may sleep in atomic)
#      -> "BUG: sleeping function called from invalid context"
#   2  one byte written past a kmalloc'd buffer -> "BUG: KASAN: slab-out-of-bounds"
#   3  a mutex left locked when init returns -> lockdep
#      "WARNING: lock held when returning to user space!"
#   4  a kmalloc'd buffer forgotten -> kmemleak "new suspected memory leaks"
#   5  this_cpu_ptr() in a kmem:mm_page_alloc tracepoint probe, which 7.x
#      calls preemptible (SRCU, not preempt_disable): the bug class of
#      issue 14 in oomdiag's own probes -> DEBUG_PREEMPT
#      "BUG: using smp_processor_id() in preemptible"
#   6  oomdiag.ko itself with its tracepoint guard removed (module/compat.h
#      oomdiag_tp_probe_begin/end as no-ops): the mm_page_alloc probe then
#      fills per-CPU scratch records preemptible on 7.x, where two tasks on
#      one CPU can tear a record (issue 22: break the protection once and
#      see a test fail) -> DEBUG_PREEMPT "BUG: using smp_processor_id() in
#      preemptible" from rec_begin().  The intact module runs the same load
#      on sid-debug in the VM suite without a report.
# The debug kernels are the "-debug" aliases of the matrix's "all" list
# (make check's).  Each must fail the runs of bugs 1-4 with that report,
# named by vm-run's splat scanner; sid-debug (7.x, PREEMPT_LAZY,
# DEBUG_PREEMPT) must fail bug 5 too.  6.1-debug cannot: 6.1 calls probes
# with preemption off, in a kernel without preemption, so its bug-5 run
# passes (shown whenever 6.1-debug is prepared, even as an opt-in kernel:
# that is why sid-debug exists).  The stock kernel behind each debug kernel
# lets bugs 1, 2 and 5 pass, with the helper saying its buggy code ran: why
# the debug kernels are in the matrix.  A kernel that is not prepared skips
# its lines, saying so.
# unit-timeout: 1800  (nine guest boots, five of them on the KASAN kernel: 10-15 min with another guest beside it)
set -u
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export OOMDIAG_SRC=$src
. "$src/scripts/common.sh"

krel_alias() {
	local s
	s=$(suite_of "$1" 2>/dev/null) && krel_of "$s"
}
prepared() {
	local r
	r=$(krel_alias "$1") && [ -n "$r" ] && [ -e "$OOMDIAG_CACHE/kernels/$r/.ready" ]
}
# stock_of DEBUG_ALIAS: the alias of the suite a debug kernel is built from
# (6.1-debug: bookworm-debug -> bookworm -> 6.1).
stock_of() {
	local base
	base=$(suite_of "$1") || return 1
	awk -v s="${base%-debug}" '!/^#/ && $2 == s { print $1; exit }' "$src/scripts/matrix.conf"
}

# The cases, "KERNEL BUG EXPECT": "caught", the run fails with the bug's
# report; "missed", the run passes after the buggy code ran.
debug=$(matrix_aliases | grep -- '-debug$')
optin=$(awk '!/^#/ && $1 ~ /-debug$/ && $3 == "opt-in" { print $1 }' "$src/scripts/matrix.conf")
cases=$(
	for k in $debug; do
		for m in 1 2 3 4; do echo "$k $m caught"; done
		if [ "$(suite_of "$k")" = bookworm-debug ]; then echo "$k 5 missed"; else echo "$k 5 caught"; echo "$k 6 caught"; fi
	done
	for k in $optin; do
		[ "$(suite_of "$k")" = bookworm-debug ] && prepared "$k" && echo "$k 5 missed"
	done
	for k in $debug; do stock_of "$k"; done | awk '!seen[$0]++' | while read -r s; do
		for m in 1 2 5; do echo "$s $m missed"; done
	done
)
ncases=$(echo "$cases" | grep -c .)
echo "1..$ncases"
kernels=$(echo "$cases" | awk '!seen[$1]++ { print $1 }')

tmp=$(mktemp -d /tmp/oomdiag-dbgk.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
t() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

mkdir -p "$tmp/src"
(cd "$src" && tar -cf - Kbuild module include scripts tests) | tar -C "$tmp/src" -xf -
mkdir -p "$tmp/src/tests/kmod"
cat >"$tmp/src/tests/kmod/hardening_bug.c" <<'EOC'
// SPDX-License-Identifier: GPL-2.0
/* Deliberate bugs for tests/unit/hardening_debug_kernel.sh.  Never ship. */
#include <linux/kprobes.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

static int mode;
module_param(mode, int, 0);
static DEFINE_MUTEX(bug_mutex);
static void *leak;
static int hits;
static DEFINE_PER_CPU(unsigned long, bug_scratch);
static struct tracepoint *bug_tp;

static int bug_pre(struct kprobe *p, struct pt_regs *regs)
{
	void *q = kmalloc(64, GFP_KERNEL);	/* bug 1: may sleep, in atomic */

	kfree(q);
	hits++;
	return 0;
}

/* The sync(2) entry: called through the syscall table, never inlined. */
static struct kprobe bug_kp = { .symbol_name = "__x64_sys_sync", .pre_handler = bug_pre };

/* The prototype of kmem:mm_page_alloc, as oomdiag's own probe. */
static void bug_tp_probe(void *data, struct page *page, unsigned int order,
			 gfp_t gfp, int migratetype)
{
	(*this_cpu_ptr(&bug_scratch))++;	/* bug 5: per-CPU, preemptible on 7.x */
}

static void bug_tp_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "mm_page_alloc"))
		bug_tp = tp;
}

static int __init bug_init(void)
{
	char *p;

	switch (mode) {
	case 1:
		return register_kprobe(&bug_kp);
	case 2:
		p = kmalloc(8, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		((volatile char *)p)[8] = 1;	/* bug 2: one past the end */
		kfree(p);
		break;
	case 3:
		mutex_lock(&bug_mutex);		/* bug 3: never unlocked */
		break;
	case 4:
		leak = kmalloc(4096, GFP_KERNEL);
		leak = NULL;			/* bug 4: forgotten */
		break;
	case 5:
		for_each_kernel_tracepoint(bug_tp_find, NULL);
		if (!bug_tp)
			return -ENOENT;
		return tracepoint_probe_register(bug_tp, (void *)bug_tp_probe, NULL);
	}
	return 0;
}

static void __exit bug_exit(void)
{
	unsigned long sum = 0;
	int cpu;

	if (mode == 1) {
		unregister_kprobe(&bug_kp);
		pr_info("hardening_bug: kprobe hit %d times\n", hits);
	}
	if (mode == 5) {
		tracepoint_probe_unregister(bug_tp, (void *)bug_tp_probe, NULL);
		tracepoint_synchronize_unregister();
		for_each_possible_cpu(cpu)
			sum += per_cpu(bug_scratch, cpu);
		pr_info("hardening_bug: tracepoint probe hit %lu times\n", sum);
	}
}

module_init(bug_init);
module_exit(bug_exit);
MODULE_LICENSE("GPL");
EOC
echo 'obj-m += hardening_bug.o' >>"$tmp/src/tests/kmod/Kbuild"
# Bug 6: the scratch copy's oomdiag.ko loses its tracepoint guard (only
# bug 6 loads it).
sed -i -e 's/^#define oomdiag_tp_probe_begin().*/#define oomdiag_tp_probe_begin()\tdo { } while (0)/' \
	-e 's/^#define oomdiag_tp_probe_end().*/#define oomdiag_tp_probe_end()\t\tdo { } while (0)/' \
	"$tmp/src/module/compat.h"
grep -q '^#define oomdiag_tp_probe_begin().*do { } while (0)' "$tmp/src/module/compat.h" ||
	{ echo "Bail out! module/compat.h has no oomdiag_tp_probe_begin() to break"; exit 1; }
export OOMDIAG_SRC="$tmp/src" OOMDIAG_OUT="$tmp/out"
mkdir -p "$tmp/out"
for k in $kernels; do
	prepared "$k" || continue
	"$tmp/src/scripts/build-module" --kernel "$k" >>"$tmp/build.out" 2>&1 ||
		{ echo "Bail out! building the helper for $k failed: $(tail -n 5 "$tmp/build.out")"; exit 1; }
done
# The guest side: load, provoke (sync for the kprobe; allocations happen
# anyway for the tracepoint), unload; for the bugs that run in a handler,
# the helper's count says the buggy code ran.
for m in 1 2 3 4 5; do
	{
		echo '. /oomdiag/tests/vm/lib.sh'
		echo 'plan 2'
		echo "insmod /oomdiag/kmod/hardening_bug.ko mode=$m"
		echo 'ok $? "loaded"'
		echo 'cat /proc/meminfo >/dev/null; sync; sleep 1'
		echo 'rmmod hardening_bug'
		case $m in
		1|5) echo 'dmesg | grep -Eq "hardening_bug: .*hit [1-9][0-9]* times"; ok $? "the buggy handler ran: $(dmesg | grep -o "hit [0-9]* times" | tail -n1)"' ;;
		*) echo 'ok 0 "the buggy code runs in init"' ;;
		esac
		echo 'done_testing'
	} >"$tmp/src/tests/vm/bug$m.sh"
done
# Bug 6: failures recorded by the unguarded mm_page_alloc probe.
cat >"$tmp/src/tests/vm/bug6.sh" <<'EOS'
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc
plan 2
load_helper && load_oomdiag ring_size=1024
ok $? "loaded oomdiag.ko without its tracepoint guard"
echo clear >"$DBG/events"
echo 'burst 50 10' >$HELPER/alloc
snap
n=$(recs alloc_fail | wc -l)
[ "$n" -gt 0 ]
ok $? "the buggy handler ran: $n alloc_fail records"
done_testing
EOS
want() {
	case $1 in
	1) echo 'sleeping function called from invalid context' ;;
	2) echo 'KASAN: slab-out-of-bounds' ;;
	3) echo 'lock held when returning to user space' ;;
	4) echo 'new suspected memory leaks' ;;
	5 | 6) echo 'using smp_processor_id() in preemptible' ;;
	esac
}
while read -r k m expect; do
	if ! prepared "$k"; then
		t 0 "$k: bug $m $expect # SKIP kernel $k not prepared (scripts/prepare-kernel $k)"
		continue
	fi
	krel=$(krel_alias "$k")
	rc=0
	start=$(date +%s)
	"$tmp/src/scripts/vm-run" --no-build --kernel "$k" -- "tests/vm/bug$m.sh" \
		>"$tmp/$k.$m.out" 2>"$tmp/$k.$m.err" || rc=$?
	secs=$(($(date +%s) - start))
	if [ "$expect" = caught ]; then
		[ "$rc" -ne 0 ] && grep -q "kernel splat on $krel" "$tmp/$k.$m.err" &&
			grep -qF "$(want "$m")" "$tmp/$k.$m.err"
		t $? "$k: bug $m fails the run with \"$(want "$m")\" (exit $rc, ${secs}s)"
		grep -E 'splat|BUG:|WARNING:|kmemleak' "$tmp/$k.$m.err" | head -n 3 | sed 's/^/# /'
	else
		[ "$rc" -eq 0 ] && grep -q '^ok 2 - the buggy' "$tmp/$k.$m.out"
		t $? "$k: bug $m goes unnoticed (exit $rc, ${secs}s; $(sed -n 's/^ok 2 - //p' "$tmp/$k.$m.out"))"
	fi
	[ "$rc" -eq 0 ] || [ "$expect" = caught ] || sed 's/^/# /' "$tmp/$k.$m.out" "$tmp/$k.$m.err" | tail -n 20
done <<<"$cases"
exit $fail
