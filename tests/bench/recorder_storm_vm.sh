#!/bin/sh
# vm-mem: 384M
# vm-timeout: 900
# Guest half of tests/bench/recorder_storm.sh (run it through that script).
# Prints measurements; asserts nothing about time.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

BURSTS=${1:-20}
BURST=${2:-5000}
REFUSALS=${3:-5}

load_helper || bail "insmod oomdiag_test_alloc failed"

meminfo() {
	sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo
}

# hkv PREFIX KEY: KEY= of the events header line starting with PREFIX
hkv() {
	kv "$(grep "^$1" "$REC_OUT" | head -n1)" "$2"
}

# guest time in ns (/proc/uptime: 10 ms steps, enough for a storm of seconds)
now_ns() {
	awk '{ printf "%.0f", $1 * 1e9 }' /proc/uptime
}

per_s() {	# VALUE NS -> VALUE per second
	awk -v v="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0) ? v * 1e9 / t : 0 }'
}

# run LABEL [MODULE PARAMETERS]
run() {
	label=$1
	shift
	grep -q '^oomdiag ' /proc/modules && rmmod oomdiag
	load_oomdiag "$@" || bail "insmod oomdiag $*"
	dmesg -c >/dev/null
	f0=$(kv "$(helper 'nowait_nowarn 10')" total_failed)
	echo clear >"$DBG/events"
	echo clear >"$DBG/failures"
	snap
	st0=$(hkv '# ring ' lock_store_total_ns) at0=$(hkv '# ring ' lock_attach_total_ns)
	pt0=$(hkv '# ring ' lock_pending_total_ns) stores0=$(hkv '# ring ' stores)
	wt0=$(hkv '# worker' irqoff_ns) walks0=$(hkv '# worker' walks)
	ft0=$(hkv '# failstats' lock_total_ns)
	rm -f /tmp/storm.stop
	t0=$(now_ns)
	(
		i=0
		while [ $i -lt "$BURSTS" ]; do
			echo "burst $BURST 10" >"$HELPER/alloc"
			i=$((i + 1))
		done
	) &
	S=$!
	echo 2 >/proc/sys/vm/overcommit_memory
	bytes=$(( $(meminfo CommitLimit) * 2048 ))
	refused=0
	i=0
	while [ $i -lt "$REFUSALS" ]; do
		case "$(bigmalloc $bytes)" in "fail $bytes errno=12"*) refused=$((refused + 1)) ;; esac
		i=$((i + 1))
	done
	echo 0 >/proc/sys/vm/overcommit_memory
	hog >/dev/null 2>&1 &
	wait $!
	wait $S
	t1=$(now_ns)
	dt=$((t1 - t0))
	failed=$(( $(kv "$(cat "$HELPER/result")" total_failed) - f0 ))
	wait_after
	snap
	counted=$(kv "$(head -n1 "$DBG/failures")" total)
	only=$(kv "$(head -n1 "$DBG/failures")" counted_only)
	recorded=$(( $(hkv '# ring ' stores) - stores0 ))
	kills=$(dmesg_killed | grep -c .)
	kept_k=$(recs oom_kill | grep -c .)
	kept_r=$(recs vm_refused | grep -c ' comm=bigmalloc ')
	st=$(( $(hkv '# ring ' lock_store_total_ns) - st0 ))
	at=$(( $(hkv '# ring ' lock_attach_total_ns) - at0 ))
	pt=$(( $(hkv '# ring ' lock_pending_total_ns) - pt0 ))
	wt=$(( $(hkv '# worker' irqoff_ns) - wt0 ))
	ft=$(( $(hkv '# failstats' lock_total_ns) - ft0 ))
	walks=$(( $(hkv '# worker' walks) - walks0 ))
	echo "# $label ($*): $(uname -r), $BURSTS bursts of $BURST, storm lasted $((dt / 1000000)) ms guest time"
	printf '  %-44s %s\n' "failures produced" "$failed ($(per_s "$failed" $dt)/s)"
	printf '  %-44s %s\n' "records stored (all kinds)" "$recorded ($(per_s "$recorded" $dt)/s)"
	printf '  %-44s %s\n' "failures counted (failures total=)" "$counted ($(per_s "$counted" $dt)/s), counted only: $only"
	printf '  %-44s %s\n' "oom_kill records kept / kills (dmesg)" "$kept_k / $kills"
	printf '  %-44s %s\n' "vm_refused records kept / refusals" "$kept_r / $refused"
	printf '  %-44s %s\n' "lost (failures part) / lost (reserved part)" \
		"$(kv "$(grep '^# ring_part name=failures' "$REC_OUT")" lost) / $(kv "$(grep '^# ring_part name=reserved' "$REC_OUT")" lost)"
	printf '  %-44s %s\n' "irqs off, ring lock store: max / per s" \
		"$(hkv '# ring ' lock_store_max_ns) ns / $(per_s "$st" $dt) ns"
	printf '  %-44s %s\n' "irqs off, ring lock attach: max / per s" \
		"$(hkv '# ring ' lock_attach_max_ns) ns / $(per_s "$at" $dt) ns"
	printf '  %-44s %s\n' "irqs off, ring lock pending scan: max / per s" \
		"$(hkv '# ring ' lock_pending_max_ns) ns / $(per_s "$pt" $dt) ns"
	printf '  %-44s %s\n' "irqs off, failure table lock: max / per s" \
		"$(hkv '# failstats' lock_max_ns) ns / $(per_s "$ft" $dt) ns"
	printf '  %-44s %s\n' "irqs off, worker zone->lock: max / per s" \
		"$(hkv '# worker' irqoff_max_ns) ns / $(per_s "$wt" $dt) ns ($walks walks, walk_max_ns $(hkv '# worker' walk_max_ns))"
	rb=$(hkv '# ring ' record_bytes)
	printf '  %-44s %s\n' "ring memory now" "$(hkv '# ring ' ring_bytes) bytes (record_bytes $rb)"
	printf '  %-44s %s\n' "ring memory at ring_size=65536" \
		"$((rb * 65536)) + reserved $((rb * 16384)) = $((rb * (65536 + 16384))) bytes"
}

run "every failure recorded"
run "sampled" fail_records_per_key=8
rmmod oomdiag
rmmod oomdiag_test_alloc
exit 0
