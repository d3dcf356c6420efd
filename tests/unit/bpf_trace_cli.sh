#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `oomdiag trace` command line on the host (no probes attached here: the
# host kernel has no kprobes): usage errors exit 2 with a message, and
# without root it says so in one line and exits 4.  TAP.
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${OOMDIAG_OUT:-$src/build}/userspace/oomdiag
n=0
fails=0
t() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
echo "1..8"
out=$("$bin" trace --bogus 2>&1); rc=$?
t $([ $rc -eq 2 ]; echo $?) "unknown option: exit 2 (got $rc)"
out=$("$bin" trace --json --records 2>&1); rc=$?
t $([ $rc -eq 2 ]; echo $?) "--json with --records: exit 2 (got $rc)"
echo "$out" | grep -q 'exclude each other'
t $? "and says why"
out=$("$bin" trace --min-order 11 2>&1); rc=$?
t $([ $rc -eq 2 ]; echo $?) "--min-order 11: exit 2 (got $rc)"
out=$("$bin" trace --duration -1 2>&1); rc=$?
t $([ $rc -eq 2 ]; echo $?) "--duration -1: exit 2 (got $rc)"
"$bin" trace --help | grep -q -- '--cgroup PATH'
t $? "--help lists --cgroup"
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$bin" trace 2>&1); rc=$?
	t $([ $rc -eq 4 ]; echo $?) "as nobody: exit 4 (got $rc)"
	[ "$(echo "$out" | wc -l)" -eq 1 ] && echo "$out" | grep -q '^oomdiag: failed to start trace: needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)$'
	t $? "as nobody: one line saying it needs root: $out"
else
	echo "ok 7 # SKIP needs root and setpriv"
	echo "ok 8 # SKIP needs root and setpriv"
fi
[ $fails -eq 0 ]
