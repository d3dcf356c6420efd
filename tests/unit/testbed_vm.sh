#!/bin/bash
# The VM runner catches what it must (issue 2): a module that oopses on load
# fails the run and names the kernel and the splat; a test script that exits
# 1 fails; a guest that hangs is killed at its timeout and fails.  It also
# records real console logs the scanner test reuses.  Runs on the first
# kernel of the matrix, in a scratch copy of the tree.
set -u
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/scripts/common.sh"
kernel=${OOMDIAG_BED_KERNEL:-6.1}
echo "1..6"
suite=$(suite_of "$kernel")
if [ -z "$(krel_of "$suite")" ]; then
	for i in 1 2 3 4 5 6; do echo "ok $i - # SKIP kernel $kernel not prepared (scripts/prepare-kernel $kernel)"; done
	exit 0
fi
krel=$(krel_of "$suite")
tmp=$(mktemp -d /tmp/oomdiag-bed.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
t() { if [ "$1" -eq 0 ]; then echo "ok $2 - $3"; else echo "not ok $2 - $3"; fail=1; fi; }

# 1-2: an oops on load.
mkdir -p "$tmp/src"
(cd "$src" && tar -cf - Kbuild module include scripts tests) | tar -C "$tmp/src" -xf -
sed -i 's|^\tint err;$|\tint err;\n\n\t*(volatile int *)16 = 0; /* bed self-test: oops on load */|' \
	"$tmp/src/module/oomdiag_main.c"
cat >"$tmp/src/tests/vm/load.sh" <<'EOS'
. /oomdiag/tests/vm/lib.sh
plan 1
insmod /oomdiag/oomdiag.ko
ok $? "insmod"
done_testing
EOS
export OOMDIAG_SRC="$tmp/src" OOMDIAG_OUT="$tmp/out"
mkdir -p "$tmp/out"
# Userspace is not needed by these guests; the module build is.
"$tmp/src/scripts/build-module" --kernel "$kernel" >/dev/null 2>"$tmp/build.err"
rc=0
"$tmp/src/scripts/vm-run" --no-build --kernel "$kernel" --timeout 90 -- tests/vm/load.sh \
	>"$tmp/oops.out" 2>"$tmp/oops.err" || rc=$?
[ "$rc" -ne 0 ]; t $? 1 "a module that oopses on load fails the run (exit $rc)"
grep -q "kernel splat on $krel" "$tmp/oops.err" && grep -qE 'BUG: kernel NULL pointer dereference|Oops' "$tmp/oops.err"
t $? 2 "the failure names the kernel ($krel) and the splat"
grep -E 'splat|BUG:|Oops' "$tmp/oops.err" | head -n 3 | sed 's/^/# /'

# 3: a script that exits 1.
printf '. /oomdiag/tests/vm/lib.sh\nplan 1\nok 0 "fine"\nexit 1\n' >"$tmp/src/tests/vm/exit1.sh"
rc=0
"$tmp/src/scripts/vm-run" --no-build --kernel "$kernel" --timeout 90 -- tests/vm/exit1.sh \
	>/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ]; t $? 3 "a script exiting 1 makes the run exit 1 (got $rc)"

# 4: a hung guest.
printf 'echo "1..1"\nsleep 100000\n' >"$tmp/src/tests/vm/hang.sh"
rc=0
start=$(date +%s)
"$tmp/src/scripts/vm-run" --no-build --kernel "$kernel" --timeout 25 -- tests/vm/hang.sh \
	>/dev/null 2>"$tmp/hang.err" || rc=$?
[ "$rc" -eq 124 ] && grep -q 'timed out' "$tmp/hang.err"
t $? 4 "a hanging guest is killed at its timeout and reported (exit $rc after $(($(date +%s) - start))s)"

# 5-6: a real WARNING and a real "scheduling while atomic" from a module.
mkdir -p "$tmp/src/tests/kmod"
cat >"$tmp/src/tests/kmod/bed_splat.c" <<'EOS'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/delay.h>
#include <linux/spinlock.h>
static int mode;
module_param(mode, int, 0);
static DEFINE_SPINLOCK(bed_lock);
static int __init bed_init(void)
{
	if (mode == 1)
		WARN_ON(1);
	if (mode == 2) {
		spin_lock(&bed_lock);
		msleep(1);
		spin_unlock(&bed_lock);
	}
	return 0;
}
module_init(bed_init);
MODULE_LICENSE("GPL");
EOS
echo 'obj-m += bed_splat.o' >>"$tmp/src/tests/kmod/Kbuild"
sed -i 's|^\t\*(volatile int \*)16 = 0;.*$||' "$tmp/src/module/oomdiag_main.c"
"$tmp/src/scripts/build-module" --kernel "$kernel" >/dev/null 2>>"$tmp/build.err"
for m in 1 2; do
	printf '. /oomdiag/tests/vm/lib.sh\nplan 1\ninsmod /oomdiag/kmod/bed_splat.ko mode=%s\nok 0 "loaded"\nsleep 1\ndone_testing\n' "$m" \
		>"$tmp/src/tests/vm/splat$m.sh"
	rc=0
	"$tmp/src/scripts/vm-run" --no-build --kernel "$kernel" --timeout 90 -- "tests/vm/splat$m.sh" \
		>/dev/null 2>"$tmp/splat$m.err" || rc=$?
	what=$([ "$m" = 1 ] && echo "a WARN_ON" || echo "scheduling while atomic")
	[ "$rc" -ne 0 ] && grep -q "kernel splat on $krel" "$tmp/splat$m.err"
	t $? $((4 + m)) "$what in a guest whose script passed still fails the run (exit $rc)"
done
exit $fail
