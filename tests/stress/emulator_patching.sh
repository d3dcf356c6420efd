#!/bin/sh
# vm-mem: 384M
# vm-smp: 2
# vm-timeout: 900
# Issue 21's third symptom, without oomdiag: two vCPUs, the same load as
# arm_storm.sh (order-10 failures, overcommit-refused mmap/brk, ulimit -v
# execs), and a tracefs kprobe on __vm_enough_memory plus the
# kmem:mm_page_alloc tracepoint toggled as fast as possible: code patching
# by the kernel's own tracing, no oomdiag.ko loaded.  Under one TCG thread
# (vm-run's default for several vCPUs) it must run clean; run it with
# `scripts/vm-run --tcg-thread multi` to see QEMU's multi-threaded TCG lose
# the patched code (a soft lockup at __vm_enough_memory+0x0, or an int3
# oops): docs/hardening.md.  Argument 1: seconds (default 300).
. /oomdiag/tests/stress/stresslib.sh
. /oomdiag/tests/vm/recorder_lib.inc

secs=${1:-300}
T=/sys/kernel/tracing
plan 3
load_helper || bail "insmod oomdiag_test_alloc failed"
grep -q '^oomdiag ' /proc/modules && bail "oomdiag.ko must not be loaded here"
[ -w $T/kprobe_events ] || bail "no tracefs kprobe_events"
diag "$(nproc) CPUs, $secs s, no oomdiag.ko"
echo 2 >/proc/sys/vm/overcommit_memory
lim_kb=$(sed -n 's/^CommitLimit: *\([0-9]*\) kB/\1/p' /proc/meminfo)
refused=$((lim_kb * 2048))
(while [ ! -e $STOP ]; do echo 'nowait 10' >"$HELPER/alloc" 2>/dev/null; done) &
(while [ ! -e $STOP ]; do bigmalloc $refused >/dev/null; bigmalloc $refused brk >/dev/null; done) &
(while [ ! -e $STOP ]; do sh -c 'ulimit -v 32768 && exec bigmalloc 64m' >/dev/null 2>&1; done) &

end=$(($(now_ms) + secs * 1000))
cycles=0 fail=0
while [ "$(now_ms)" -lt $end ]; do
	echo 'p:oomdiag_emu __vm_enough_memory' >>$T/kprobe_events || fail=$((fail + 1))
	echo 1 >$T/events/kprobes/oomdiag_emu/enable || fail=$((fail + 1))
	echo 1 >$T/events/kmem/mm_page_alloc/enable || fail=$((fail + 1))
	echo 0 >$T/events/kmem/mm_page_alloc/enable || fail=$((fail + 1))
	echo 0 >$T/events/kprobes/oomdiag_emu/enable || fail=$((fail + 1))
	echo '-:oomdiag_emu' >>$T/kprobe_events || fail=$((fail + 1))
	cycles=$((cycles + 1))
done
touch $STOP
wait
echo 0 >/proc/sys/vm/overcommit_memory
is "$fail" 0 "$cycles toggles of a tracefs kprobe and a tracepoint, every write accepted"
[ "$cycles" -gt 0 ]
ok $? "the toggler ran"
grep -q oomdiag_emu $T/kprobe_events
ok $((! $?)) "the probe is gone at the end"
figure seconds "$secs"
figure toggles "$cycles"
done_testing
