#!/bin/bash
# The debug kernel catches what the stock kernel lets through (issue 8).
# In a scratch copy of the tree, a helper module with four deliberate bugs
# (mode=1..4) is built for 6.1-debug and for Debian's 6.1:
#   1  GFP_KERNEL allocation in a kprobe handler (may sleep in atomic)
#      -> "BUG: sleeping function called from invalid context"
#   2  one byte written past a kmalloc'd buffer -> "BUG: KASAN: slab-out-of-bounds"
#   3  a mutex left locked when init returns -> lockdep
#      "WARNING: lock held when returning to user space!"
#   4  a kmalloc'd buffer forgotten -> kmemleak "new suspected memory leaks"
# Each must fail the run on 6.1-debug with that report named by vm-run's
# splat scanner; bugs 1 and 2 pass unnoticed on the stock 6.1 kernel, which
# is why the debug kernel is in the matrix.  Runs under `make check` (which
# prepares every kernel first); skips, saying so, when 6.1-debug or 6.1 is
# not prepared (scripts/prepare-kernel 6.1 6.1-debug).
set -u
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export OOMDIAG_SRC=$src
. "$src/scripts/common.sh"
debug=6.1-debug stock=6.1
echo "1..6"
dsuite=$(suite_of "$debug" 2>/dev/null)
if [ -z "$dsuite" ] || [ -z "$(krel_of "$dsuite")" ] || [ -z "$(krel_of "$(suite_of "$stock")")" ]; then
	for i in 1 2 3 4 5 6; do echo "ok $i - # SKIP kernel $debug or $stock not prepared (scripts/prepare-kernel $stock $debug)"; done
	exit 0
fi
dkrel=$(krel_of "$dsuite")
tmp=$(mktemp -d /tmp/oomdiag-dbgk.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
t() { if [ "$1" -eq 0 ]; then echo "ok $2 - $3"; else echo "not ok $2 - $3"; fail=1; fi; }

mkdir -p "$tmp/src"
(cd "$src" && tar -cf - Kbuild module include scripts tests) | tar -C "$tmp/src" -xf -
mkdir -p "$tmp/src/tests/kmod"
cat >"$tmp/src/tests/kmod/hardening_bug.c" <<'EOC'
// SPDX-License-Identifier: GPL-2.0
/* Deliberate bugs for tests/unit/hardening_debug_kernel.sh.  Never ship. */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

static int mode;
module_param(mode, int, 0);
static DEFINE_MUTEX(bug_mutex);
static void *leak;
static int hits;

static int bug_pre(struct kprobe *p, struct pt_regs *regs)
{
	void *q = kmalloc(64, GFP_KERNEL);	/* bug 1: may sleep, in atomic */

	kfree(q);
	hits++;
	return 0;
}

/* The sync(2) entry: called through the syscall table, never inlined. */
static struct kprobe bug_kp = { .symbol_name = "__x64_sys_sync", .pre_handler = bug_pre };

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
	}
	return 0;
}

static void __exit bug_exit(void)
{
	if (mode == 1) {
		unregister_kprobe(&bug_kp);
		pr_info("hardening_bug: kprobe hit %d times\n", hits);
	}
}

module_init(bug_init);
module_exit(bug_exit);
MODULE_LICENSE("GPL");
EOC
echo 'obj-m += hardening_bug.o' >>"$tmp/src/tests/kmod/Kbuild"
export OOMDIAG_SRC="$tmp/src" OOMDIAG_OUT="$tmp/out"
mkdir -p "$tmp/out"
for k in "$debug" "$stock"; do
	"$tmp/src/scripts/build-module" --kernel "$k" >>"$tmp/build.out" 2>&1 ||
		{ echo "Bail out! building the helper for $k failed: $(tail -n 5 "$tmp/build.out")"; exit 1; }
done
for m in 1 2 3 4; do
	printf '. /oomdiag/tests/vm/lib.sh\nplan 1\ninsmod /oomdiag/kmod/hardening_bug.ko mode=%s\nok $? "loaded"\nsync\nsleep 1\nrmmod hardening_bug\ndone_testing\n' "$m" \
		>"$tmp/src/tests/vm/bug$m.sh"
done
want() {
	case $1 in
	1) echo 'sleeping function called from invalid context' ;;
	2) echo 'KASAN: slab-out-of-bounds' ;;
	3) echo 'lock held when returning to user space' ;;
	4) echo 'new suspected memory leaks' ;;
	esac
}
n=0
for m in 1 2 3 4; do
	n=$((n + 1))
	rc=0
	start=$(date +%s)
	"$tmp/src/scripts/vm-run" --no-build --kernel "$debug" -- "tests/vm/bug$m.sh" \
		>"$tmp/bug$m.out" 2>"$tmp/bug$m.err" || rc=$?
	[ "$rc" -ne 0 ] && grep -q "kernel splat on $dkrel" "$tmp/bug$m.err" && grep -q "$(want $m)" "$tmp/bug$m.err"
	t $? $n "$debug: bug $m fails the run with \"$(want $m)\" (exit $rc, $(($(date +%s) - start))s)"
	grep -E 'splat|BUG:|WARNING:|kmemleak' "$tmp/bug$m.err" | head -n 3 | sed 's/^/# /'
done
for m in 1 2; do
	n=$((n + 1))
	rc=0
	"$tmp/src/scripts/vm-run" --no-build --kernel "$stock" -- "tests/vm/bug$m.sh" \
		>"$tmp/stock$m.out" 2>"$tmp/stock$m.err" || rc=$?
	[ "$rc" -eq 0 ]
	t $? $n "$stock (stock kernel): bug $m goes unnoticed (exit $rc): only the debug kernel catches it"
done
exit $fail
