#!/bin/sh
# vm-mem: 384M
# vm-smp: 2
# vm-timeout: 600
# Issue 22: `oomdiag trace` with events from two CPUs at once, module not
# loaded.  Two tasks pinned to CPU 0 and CPU 1 fail order-9 and order-10
# GFP_NOWAIT|__GFP_NOWARN allocations in bursts at the same time (the test
# helper), so the BPF programs run on both CPUs together and their per-CPU
# maps (scratch events, burst keys, counters) are touched concurrently.
# Every event is whole: its pid, cpu and order belong to one task (a
# scratch event shared by two CPUs would mix them); every failure is
# counted (the bursts' counts add up to the helper's total_failed);
# produced = delivered + dropped + aggregated for every kind.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

ko=/oomdiag/kmod/oomdiag_test_alloc.ko
A=/sys/kernel/debug/oomdiag_test
[ -f $ko ] || { plan 1; skip "smp trace test" "no $ko for $(uname -r)"; exit 0; }
grep -q '^oomdiag ' /proc/modules && bail "module loaded; this test is for the BPF path"

plan 9
[ "$(nproc)" -ge 2 ] || bail "needs 2 CPUs, has $(nproc)"
insmod $ko
ok $? "insmod oomdiag_test_alloc, $(nproc) CPUs"
trace_start --min-order 9 --samples 50
ok $? "oomdiag trace --min-order 9 --samples 50 attached"
# burst CPU ORDER N: one task on CPU, 3 bursts of N failures of ORDER.
# Small: with one TCG thread for both vCPUs, a lock the other vCPU holds
# costs up to a scheduling slice of the emulator.
burst() {
	taskset -c "$1" sh -c "echo \$\$ >/tmp/pid.$1; i=0
		while [ \$i -lt 3 ]; do echo 'burst $3 $2' >$A/alloc; i=\$((i + 1)); done"
}
total0=$(kv "$(cat $A/result 2>/dev/null)" total_failed)
start=$(date +%s)
burst 0 9 40 &
b0=$!
burst 1 10 40 &
b1=$!
wait $b0 $b1	# not a bare wait: the tracer runs in the background too
diag "bursts took $(( $(date +%s) - start )) s"
failed=$(( $(kv "$(cat $A/result)" total_failed) - ${total0:-0} ))
sleep 1
trace_stop
ok $? "trace exits 0"
p0=$(cat /tmp/pid.0) p1=$(cat /tmp/pid.1)
diag "order 9 on cpu 0: pid $p0; order 10 on cpu 1: pid $p1; $failed failures in all"
n0=$(events alloc_fail | grep -c " pid=$p0 ")
n1=$(events alloc_fail | grep -c " pid=$p1 ")
[ "$n0" -gt 0 ] && [ "$n1" -gt 0 ]
ok $? "alloc_fail events from both tasks ($n0 from pid $p0, $n1 from pid $p1)"
is "$(events alloc_fail | awk '{ print $1 }' | sort | uniq -d | head -n3)" "" "no seq delivered twice"
# whole events: pid, cpu and order of one task
bad=$(events alloc_fail | while read -r l; do
	p=$(kv "$l" pid) c=$(kv "$l" cpu) o=$(kv "$l" order)
	case "$p $c $o" in
	"$p0 0 9" | "$p1 1 10") ;;
	*) [ "$p" = "$p0" ] || [ "$p" = "$p1" ] && echo "$l" ;;
	esac
done | head -n3)
is "$bad" "" "every event of the two tasks is whole: (pid $p0, cpu 0, order 9) or (pid $p1, cpu 1, order 10)"
cpus=$(events alloc_fail | while read -r l; do kv "$l" cpu; done | sort -u | tr '\n' ' ')
is "$cpus" "0 1 " "events came from CPU 0 and CPU 1"
# every failure counted: per order, the bursts' counts add up to the helper's
bc() {	# bc ORDER PID: the failures counted under the bursts of that task and order
	grep "^burst kind=alloc_fail .* order=$1 " "$TR_OUT" | grep " pid=$2 " | tr ' ' '\n' |
		sed -n 's/^count=//p' | awk '{ s += $1 } END { print s + 0 }'
}
n9=$(bc 9 "$p0") n10=$(bc 10 "$p1")
[ "$n9" -gt 0 ] && [ "$n10" -gt 0 ] && [ $((n9 + n10)) -eq "$failed" ]
ok $? "bursts count every failure: order 9 $n9 + order 10 $n10 = the helper's $failed"
bad=$(grep '^events kind=' "$TR_OUT" | while read -r l; do
	[ "$(kv "$l" produced)" -eq $(( $(kv "$l" delivered) + $(kv "$l" dropped) + $(kv "$l" aggregated) )) ] ||
		echo "$l"; done)
is "$bad" "" "summary: produced = delivered + dropped + aggregated for every kind"
rmmod oomdiag_test_alloc
done_testing
