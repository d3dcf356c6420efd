#!/bin/sh
# vm-mem: 256M
# vm-timeout: 240
# Slow requests from a real direct-reclaim stall, found without timing
# every allocation: a hog faults memory in until the OOM killer stops it.
# Every direct reclaim is one begin/end pair: the reclaim_latency count is
# the kernel's own count of them, the vmscan:mm_vmscan_direct_reclaim_begin
# events tracefs records meanwhile.  /proc/vmstat allocstall_* counts each
# pass of do_try_to_free_pages(), and since the v6.10 cycle (in 6.12 stable
# and 7.x) a direct reclaim that reclaimed nothing makes a second pass with
# a full memcg walk (memcg_full_walk), so allocstall is between one and two
# per direct reclaim there, exactly one on 5.10 and 6.1; the requests
# that stalled are in stall_latency; slow_alloc events (--slow-ms 1) name
# the hog's page-fault request as dmesg's "invoked oom-killer" line does,
# each in task context and at least 1 ms.  The default mode leaves the
# allocator's entry function alone (alloc_latency off); --latency attaches
# it and times every allocation.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

plan 12
allocstall() { awk '/^allocstall_/ { s += $2 } END { print s + 0 }' /proc/vmstat; }
T=/sys/kernel/tracing
[ -d $T/events/vmscan ] || T=/sys/kernel/debug/tracing
RB=$T/events/vmscan/mm_vmscan_direct_reclaim_begin
[ -w $RB/enable ] || bail "no tracefs event vmscan:mm_vmscan_direct_reclaim_begin"
echo 4096 >$T/buffer_size_kb
echo >$T/trace
echo 1 >$RB/enable
# hist_count NAME: the counts of histogram NAME over all orders
hist_count() {
	grep "^$1 order=" "$TR_OUT" | tr ' ' '\n' | sed -n 's/^count=//p' |
		awk '{ s += $1 } END { print s + 0 }'
}
dmesg -c >/dev/null
trace_start --slow-ms 1
ok $? "oomdiag trace --slow-ms 1 attached"
is "$(probe_state alloc_latency)" off "default mode: the allocator's entry function is not hooked"
a0=$(allocstall)
hog >/dev/null 2>&1
a1=$(allocstall)
sleep 1
trace_stop
ok $? "trace exits 0"
echo 0 >$RB/enable
tb=$(grep -c 'mm_vmscan_direct_reclaim_begin:' $T/trace)
overrun=$(sed -n 's/^overrun: //p' $T/per_cpu/cpu*/stats | awk '{ s += $1 } END { print s + 0 }')
rc=$(hist_count reclaim_latency)
diag "tracefs direct_reclaim_begin $tb (overrun $overrun); allocstall $a0 -> $a1; reclaim_latency count $rc; stall_latency count $(hist_count stall_latency)"
[ "$tb" -gt 0 ] && [ "$overrun" -eq 0 ]
ok $? "the hog made the kernel reclaim directly ($tb times, tracefs lost none)"
is "$rc" "$tb" "reclaim_latency counts every direct reclaim (= tracefs direct_reclaim_begin events)"
d=$((a1 - a0))
[ "$d" -ge "$rc" ] && [ "$d" -le $((2 * rc)) ]
ok $? "allocstall delta $d: one or two passes per direct reclaim ($rc)"
sc=$(hist_count stall_latency)
[ "$sc" -ge 1 ] && [ "$sc" -le $((rc + $(grep '^compaction_stalls=' "$TR_OUT" | tr '=,' '  ' |
	awk '{ for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }'))) ]
ok $? "stall_latency: $sc stalled requests, at most one per reclaim or compaction"
inv=$(dmesg | grep 'invoked oom-killer' | head -n1)
diag "dmesg: $inv"
want=$(echo "$inv" | sed -n 's/.*gfp_mask=\(0x[0-9a-f]*\)([^)]*), order=\(-*[0-9]*\),.*/\1 \2/p')
s1=$(events slow_alloc | grep ' comm=hog ' | head -n1)
diag "bpf:   $s1"
is "$(kv "$s1" gfp) $(kv "$s1" order)" "$want" "a slow_alloc of the hog with the request's gfp and order (dmesg)"
bad=$(events slow_alloc | while read -r l; do
	[ "$(kv "$l" context)" = task ] && [ "$(kv "$l" latency_ns)" -ge 1000000 ] || echo "$l"; done)
is "$bad" "" "every slow_alloc: context=task, latency_ns >= 1 ms"
grep -q "^events kind=slow_alloc produced=[1-9]" "$TR_OUT"
ok $? "summary counts slow_alloc events"

trace_start --latency --min-order 0
is "$(probe_state alloc_latency)" attached "--latency: fentry/fexit on the allocator's entry"
dd if=/dev/zero of=/tmp/lat.bin bs=1M count=8 2>/dev/null; rm -f /tmp/lat.bin
trace_stop
[ "$(hist_count alloc_latency)" -ge 2048 ]
ok $? "--latency: alloc_latency times every allocation ($(hist_count alloc_latency) >= 2048: 8 MB written to a file in memory)"
done_testing
