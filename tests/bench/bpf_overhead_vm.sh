#!/bin/sh
# vm-mem: 512M
# vm-timeout: 1000
# Guest half of tests/bench/bpf_overhead.sh (run it through that script).
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

T=/sys/kernel/tracing
A=/sys/kernel/debug/oomdiag_test
ko=/oomdiag/kmod/oomdiag_test_alloc.ko
NPAGES=200000
have_helper=0
[ -f $ko ] && insmod $ko && have_helper=1

# measure: "FAULT_NS ALLOC_NS" (best of 3 for the allocator loop)
measure() {
	f=$(bpf_faultbench 32 7 | sed -n 's/.*median_ns_per_page=\([0-9]*\).*/\1/p')
	a=-
	if [ $have_helper = 1 ]; then
		best=
		for i in 1 2 3; do
			echo "pages $NPAGES" >$A/alloc
			ns=$(sed -n 's/.* ns=\([0-9]*\).*/\1/p' $A/result)
			[ -z "$best" ] || [ "$ns" -lt "$best" ] && best=$ns
		done
		a=$((best / NPAGES))
	fi
	echo "$f $a"
}

# ratio A B: A/B with two decimals
ratio() {
	[ "$1" = - ] || [ "$2" = - ] && { echo -; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

alloc_fn=$(for f in __alloc_frozen_pages_noprof __alloc_pages_noprof __alloc_pages __alloc_pages_nodemask; do
	grep -qx "$f" $T/available_filter_functions && { echo $f; break; }; done)
echo "# kernel $(uname -r), allocator entry $alloc_fn, helper module: $have_helper"

base=$(measure)
base2=$(measure)

trace_start
ok $? "oomdiag trace attached" >/dev/null
grep '^probe' "$TR_ERR" | sed 's/^/# /'
withbpf=$(measure)
trace_stop

trace_start --latency
ok $? "oomdiag trace --latency attached" >/dev/null
grep '^probe alloc_latency' "$TR_ERR" | sed 's/^/# --latency: /'
withlat=$(measure)
trace_stop
base3=$(measure)

# the same functions through tracefs: kprobe + kretprobe on the allocator
# entry (latency needs both ends), warn_alloc, oom_kill_process,
# __vm_enough_memory, and the failure/reclaim tracepoints
{
	echo "p:oomd/alloc $alloc_fn gfp=%di order=%si"
	echo "r:oomd/alloc_ret $alloc_fn ret=\$retval"
	echo "p:oomd/warn warn_alloc gfp=%di"
	echo "p:oomd/oom oom_kill_process oc=%di"
	echo "p:oomd/vm __vm_enough_memory pages=%si"
	echo "r:oomd/vm_ret __vm_enough_memory ret=\$retval"
} >$T/kprobe_events
echo 1 >$T/events/oomd/enable
echo 'pfn == 18446744073709551615' >$T/events/kmem/mm_page_alloc/filter
echo 1 >$T/events/kmem/mm_page_alloc/enable
echo 1 >$T/events/vmscan/mm_vmscan_direct_reclaim_begin/enable
echo 1 >$T/events/vmscan/mm_vmscan_direct_reclaim_end/enable
echo 1 >$T/tracing_on
withkp=$(measure)
hits=$(grep -c ' alloc: ' $T/trace 2>/dev/null)
echo 0 >$T/events/oomd/enable
echo 0 >$T/events/kmem/mm_page_alloc/enable
echo 0 >$T/events/vmscan/enable
echo 0 >$T/events/kmem/mm_page_alloc/filter
echo >$T/kprobe_events
echo >$T/trace

# the best of three runs without a tracer (before, between, after)
set -- $base
bf=$1 ba=$2
for b in "$base2" "$base3"; do
	set -- $b
	[ "$1" -lt "$bf" ] && bf=$1
	[ "$2" != - ] && [ "$2" -lt "$ba" ] && ba=$2
done
set -- $withbpf
wf=$1 wa=$2
set -- $withlat
lf=$1 la=$2
set -- $withkp
kf=$1 ka=$2
# ratio3 A B: A/B with three decimals; diff A B: A-B
ratio3() {
	[ "$1" = - ] || [ "$2" = - ] && { echo -; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'
}
diff() {
	[ "$1" = - ] || [ "$2" = - ] && { echo -; return; }
	echo $(($1 - $2))
}
echo "# page faults (ns/page, median of 7 x 32 MB): none $bf, oomdiag trace $wf, trace --latency $lf, tracefs kprobes $kf"
echo "# alloc_pages+free (ns/op, best of 3 x $NPAGES): none $ba, oomdiag trace $wa, trace --latency $la, tracefs kprobes $ka"
echo "ratio fault trace/none=$(ratio3 $wf $bf) latency/none=$(ratio3 $lf $bf) kprobe_events/none=$(ratio3 $kf $bf)"
echo "ratio alloc trace/none=$(ratio3 $wa $ba) latency/none=$(ratio3 $la $ba) kprobe_events/none=$(ratio3 $ka $ba)"
echo "cost per allocation (ns, = instructions under icount): trace $(diff $wa $ba), trace --latency $(diff $la $ba), tracefs kprobes $(diff $ka $ba)"
echo "# (tracefs kept $hits allocator entries in its buffer)"

# Each program's own cost on a successful allocation (kernel.bpf_stats:
# run_ns counts the program between two clock reads, not the tracepoint or
# trampoline dispatch around it; under icount ns = instructions)
if [ $have_helper = 1 ]; then
	for mode in "" --latency; do
		echo 1 >/proc/sys/kernel/bpf_stats_enabled
		trace_start $mode
		echo "pages 20000" >$A/alloc
		trace_stop
		echo 0 >/proc/sys/kernel/bpf_stats_enabled
		grep '^prog ' "$TR_OUT" | sed "s/^/# 20000 x alloc_pages(0)+free, trace ${mode:-(default)}: /"
		grep -q '^prog ' "$TR_OUT" ||
			echo "# 20000 x alloc_pages(0)+free, trace ${mode:-(default)}: no program ran"
		grep '^alloc_fail route' "$TR_OUT" | sed "s/^/# trace ${mode:-(default)}: /"
	done
fi

rc=0
if [ $have_helper = 1 ]; then
	N=20000
	# per-program run counts and times (under icount: instructions)
	echo 1 >/proc/sys/kernel/bpf_stats_enabled
	trace_start --min-order 10
	echo "burst $N 10" >$A/alloc
	res=$(cat $A/result)
	sleep 1
	trace_stop
	echo 0 >/proc/sys/kernel/bpf_stats_enabled
	echo "# helper: $res"
	failed=$(echo "$res" | sed -n 's/.* failed=\([0-9]*\).*/\1/p')
	for k in alloc_fail warn_alloc; do
		l=$(grep "^events kind=$k " "$TR_OUT")
		p=$(kv "$l" produced); d=$(kv "$l" delivered); x=$(kv "$l" dropped)
		a=$(kv "$l" aggregated)
		# the bursts of this kind: their counts add up to what was produced
		n=$(grep "^burst kind=$k " "$TR_OUT" | tr ' ' '\n' | sed -n 's/^count=//p' |
			awk '{ s += $1 } END { print s + 0 }')
		echo "burst $k failures=$failed produced=$p delivered=$d dropped=$x aggregated=$a counted_in_bursts=$n"
		[ "$p" -eq $((d + x + a)) ] ||
			{ echo "# LOST SILENTLY: produced != delivered + dropped + aggregated"; rc=1; }
	done
	grep '^map_full' "$TR_OUT" | sed 's/^/# /'
	grep '^alloc_fail route' "$TR_OUT" | sed 's/^/# /'
	echo "# per program during the burst (ns per run = instructions under icount):"
	grep '^prog ' "$TR_OUT" | sed 's/^/# /'
	grep '^burst ' "$TR_OUT" | sed 's/^/# /' | head -n 8
	rmmod oomdiag_test_alloc
else
	echo "# burst: skipped (no oomdiag_test_alloc.ko for $(uname -r))"
fi
exit $rc
