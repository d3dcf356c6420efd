#!/bin/sh
# The splat scanner of the VM runner: an OOM report and a page allocation
# failure (with their stack dumps) pass; a WARNING and a bare Call Trace
# fail it; two reports whose headers come before their stacks (two CPUs
# printing at once) pass, a stack neither explains fails.  Oopses and sleeping in atomic context: tests/unit/testbed_vm.sh.
set -u
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
scan=$src/scripts/scan-splats
data=$src/tests/bed
n=0
fail=0
echo "1..7"
check() { # FILE WANT(0 clean, 1 splat) TEXT
	n=$((n + 1))
	rc=0
	"$scan" "$data/$1" >/dev/null 2>&1 || rc=$?
	if [ "$rc" -eq "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3 (scan-splats exit $rc)"; fail=1; fi
}
check oom-report.log 0 "an OOM report with its Call Trace is not a splat"
check alloc-failure.log 0 "a page allocation failure with its Call Trace is not a splat"
check warning.log 1 "a WARNING with a Call Trace is a splat"
check bare-trace.log 1 "a Call Trace after an OOM report has ended is a splat"
check interleaved.log 0 "two reports printed at once (both headers, then both stacks) are not a splat"
check interleaved-bare.log 1 "a third Call Trace after the two interleaved reports is a splat"
n=$((n + 1))
rc=0
"$scan" "$data/oom-report.log" "$data/warning.log" >/dev/null 2>&1 || rc=$?
if [ "$rc" -eq 1 ]; then echo "ok $n - an OOM report does not hide a WARNING in the next file"; else echo "not ok $n - OOM report then WARNING (exit $rc)"; fail=1; fi
exit $fail
