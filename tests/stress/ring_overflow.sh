#!/bin/sh
# vm-mem: 256M
# vm-timeout: 900
# A burst of failures that overflows the recorder's ring: with
# vm.overcommit_memory=2 every `bigmalloc` above CommitLimit is refused
# (a vm_refused event, nothing in dmesg).  The module is loaded with the
# smallest ring its parameter allows, when it has one.  Every refusal must
# be in the ring or counted as lost; the lost counter must be non-zero once
# more refusals were made than the ring holds, and the sequence numbers in
# the ring must have no gaps.  Argument 1: number of refusals (default 3000).
. /oomdiag/tests/stress/stresslib.sh

n=${1:-3000}
plan 8
# A ring-size parameter, whatever its name: try it at a small size.
load_oomdiag || bail "insmod failed"
param=
for p in /sys/module/oomdiag/parameters/*; do
	case "${p##*/}" in
	*ring*|*size*|*entries*|*records*) param=${p##*/}; break ;;
	esac
done
diag "parameters: $(ls /sys/module/oomdiag/parameters 2>/dev/null | tr '\n' ' ')"
if [ -n "$param" ]; then
	rmmod oomdiag
	for size in 64 128 256 1024; do
		load_oomdiag "$param=$size" 2>/dev/null && break
	done
	diag "loaded with $param=$(cat /sys/module/oomdiag/parameters/$param)"
fi
if [ ! -f "$DBG/events" ]; then
	for t in 1 2 3 4 5 6 7 8; do skip "ring overflow" "no $DBG/events in this build"; done
	done_testing
fi
echo clear >"$DBG/events"
ok $? "events cleared"

echo 2 >/proc/sys/vm/overcommit_memory
echo 50 >/proc/sys/vm/overcommit_ratio
limit_kb=$(awk '/^CommitLimit:/ { print $2 }' /proc/meminfo)
ask=$(((limit_kb + 65536) * 1024))
t0=$(now_ms)
i=0 refused=0
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	bigmalloc "$ask" >/dev/null 2>&1 || refused=$((refused + 1))
done
dur=$(($(now_ms) - t0))
echo 0 >/proc/sys/vm/overcommit_memory
cp "$DBG/events" /tmp/events
is "$refused" "$n" "$n requests above CommitLimit ($limit_kb kB) refused"

rec=$(events_count vm_refused /tmp/events)
all=$(events_count "" /tmp/events)
lost=$(events_lost /tmp/events)
diag "header: $(grep -v '^seq=' /tmp/events | grep -v '^  ' | head -n 2 | tr '\n' ' ')"
[ -n "$lost" ]
ok $? "the events header has a lost counter (lost=$lost)"
lost=${lost:-0}
[ $((all + lost)) -ge "$refused" ]
ok $? "every refusal recorded or counted: $all in ring + $lost lost >= $refused"
[ "$all" -lt "$refused" ] && [ "$lost" -gt 0 ] || [ "$all" -ge "$refused" ]
ok $? "ring overflowed visibly (ring holds $all; lost $lost)"
gaps=$(awk '/^seq=/ { split($1, a, "="); s = a[2] + 0; if (p && s != p + 1) g++; p = s } END { print g + 0 }' /tmp/events)
is "$gaps" 0 "no gap in the sequence numbers of the ring"
# Only the module's own lines ("oomdiag: ..."); the command line names the
# script, and 6.1 itself logs "__vm_enough_memory: ... no enough memory".
dmesg | grep -iE '\] oomdiag: ' | grep -qiE 'overflow|lost|drop|full'
[ $? -ne 0 ]
ok $? "nothing printed to the kernel log for the burst"
rmmod oomdiag
ok $? "rmmod"
figure refusals "$refused"
figure events_in_ring "$all"
figure vm_refused_in_ring "$rec"
figure events_lost "$lost"
figure us_per_refusal "$((dur * 1000 / n))"
figure duration_ms "$(elapsed_ms)"
done_testing
