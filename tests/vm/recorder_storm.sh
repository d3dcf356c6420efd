#!/bin/sh
# vm-mem: 256M
# vm-timeout: 600
# Issue 14 item 4: a storm of routine allocation failures must not push
# the records that matter out of the flight recorder, and must still be
# counted.  In a 256-record ring, the test helper fails 50,000+ order-10
# GFP_NOWAIT|__GFP_NOWARN allocations in bursts (as page-frag refills and
# THP attempts fail on a fragmented host) while, during the storm, a
# bigmalloc is refused five times under vm.overcommit_memory=2 and a hog
# grows until the OOM killer kills it; one more burst of 5,000 failures
# follows the kill.  A burst holds every free order-10 block while it
# runs, and takes the blocks freed meanwhile (the hog's, once killed): under
# KASAN in TCG, where a recorded failure costs 0.5-4 ms (not 0.05-0.1), a
# burst of 5,000 held the memory for 10-20 s, an order-2 kthread stack
# allocation OOMed and the kill took the storm loop (sid-debug, issue 14),
# so there the bursts are of 500, as many as 50,000 failures take.
# Afterwards:
# - every oom_kill (one per dmesg "Killed process") and all five
#   vm_refused records are still in events, listed among the failures in
#   seq order; the reserved part of the ring lost nothing, the failures
#   part overflowed (lost > 0);
# - debugfs "failures" counts exactly the helper's own failures
#   (total_failed) under its caller, named with %pS in the helper module,
#   and no raw address; its total= is the sum of its lines;
# - "clear" empties it, anything else is -EINVAL and changes nothing.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

REFUSALS=5
BURST=5000
MIN_FAILED=50000
FS=$DBG/failures

meminfo() {
	sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo
}

# sum of count= of the failures lines matching PATTERN
fs_sum() {
	grep "^order=.*$1" /tmp/failures | tr ' ' '\n' | sed -n 's/^count=//p' |
		awk '{ s += $1 } END { print s + 0 }'
}

plan 17
load_helper || bail "insmod oomdiag_test_alloc failed"
load_oomdiag
ok $? "insmod oomdiag.ko (ring_size=256) on $(uname -r)"
[ -f "$FS" ]
ok $? "debugfs failures exists"
is "$(stat -c '%a %u' "$FS" 2>/dev/null)" "400 0" "failures: mode 0400, root's"

failed0=$(kv "$(helper 'nowait_nowarn 10')" total_failed)
if grep -q ' __asan_load8$' /proc/kallsyms; then
	BURST=500
	diag "KASAN kernel: bursts of $BURST"
fi
echo clear >"$DBG/events"
echo clear >"$FS" 2>/dev/null
dmesg -c >/dev/null

# The storm: bursts in the background until told to stop, and until
# they made MIN_FAILED failures (10 bursts of 5,000, or 100 of 500).
rm -f /tmp/storm.stop /tmp/storm.n
(
	i=0
	n=0
	while [ $n -lt $MIN_FAILED ] || [ ! -e /tmp/storm.stop ]; do
		echo "burst $BURST 10" >"$HELPER/alloc"
		i=$((i + 1))
		echo $i >/tmp/storm.n
		n=$(( $(kv "$(cat "$HELPER/result")" total_failed) - failed0 ))
	done
) &
S=$!
sleep 1
# This shell must survive the OOM kill (seen on 6.12: the kill came while
# the hog was still small and took this shell, 1.7 MB of shmem): exempt from
# here on; the storm loop above keeps adj 0 (on sid-debug an OOM of its own
# comes during the storm, and with no task left to kill the kernel panics),
# and the hog sets its own adj to 0.
echo -1000 >/proc/self/oom_score_adj

# During it: refusals under overcommit mode 2 ...
echo 2 >/proc/sys/vm/overcommit_memory
bytes=$(( $(meminfo CommitLimit) * 2048 ))
refused=0
i=0
while [ $i -lt $REFUSALS ]; do
	case "$(bigmalloc $bytes)" in "fail $bytes errno=12"*) refused=$((refused + 1)) ;; esac
	i=$((i + 1))
done
echo 0 >/proc/sys/vm/overcommit_memory
is "$refused" $REFUSALS "$REFUSALS mmaps of twice CommitLimit refused during the storm (after $(cat /tmp/storm.n 2>/dev/null || echo 0) bursts)"

# ... and an OOM kill.
hog -a 0 -p >/tmp/hog.out 2>&1 &
H=$!
wait $H 2>/dev/null
diag "hog $H gone after $(cat /tmp/storm.n 2>/dev/null || echo 0) bursts; $(tail -n1 /tmp/hog.out)"
# One more burst after the kill: more failures than the ring holds.
echo "burst $BURST 10" >"$HELPER/alloc"
touch /tmp/storm.stop
wait $S
failed=$(( $(kv "$(cat "$HELPER/result")" total_failed) - failed0 ))
diag "storm: $failed failures in $(( $(cat /tmp/storm.n) + 1 )) bursts"
[ "$failed" -ge $MIN_FAILED ]
ok $? "the storm made at least 50,000 failures ($failed)"

wait_after
snap
cat "$FS" >/tmp/failures 2>/dev/null
grep '^# ring' "$REC_OUT" | while read -r l; do diag "$l"; done
[ "$(hdr lost)" -gt 0 ]
ok $? "the failures overflowed the ring (lost=$(hdr lost), records=$(grep -c '^seq=' "$REC_OUT"))"

nk=$(dmesg_killed | grep -c .)
is "$(recs oom_kill | grep -c .)" "$nk" "every oom_kill of the storm kept: one per dmesg Killed process ($nk)"
[ "$nk" -ge 1 ] && dmesg_killed | grep -q "^$H hog\$"
ok $? "the kernel killed the hog ($H): $(dmesg_killed | tr '\n' ' ')"
nres=$(grep -c "^seq=.* kind=\(oom_kill\|oom_victim\|vm_refused\) " "$REC_OUT")
is "$nres" "$(kv "$(grep '^# ring_part name=reserved ' "$REC_OUT")" records)" \
	"the events file lists every record of the reserved part, merged in seq order"
is "$(recs vm_refused | grep -c ' comm=bigmalloc ')" $REFUSALS "all $REFUSALS vm_refused records kept"
rp=$(grep '^# ring_part name=reserved ' "$REC_OUT")
is "$(kv "$rp" lost)" 0 "the reserved part lost nothing ($rp)"

# failures: the helper's failures, counted by its caller.
head -n1 /tmp/failures | while read -r l; do diag "$l"; done
grep "\[oomdiag_test_alloc\]" /tmp/failures | while read -r l; do diag "$l"; done
is "$(fs_sum '\[oomdiag_test_alloc\]')" "$failed" "failures counts the helper's $failed failures under its callers"
grep "\[oomdiag_test_alloc\]" /tmp/failures | grep -v '^order=10 ' | grep -q .
r=$?
grep "\[oomdiag_test_alloc\]" /tmp/failures | grep -q ' caller=\(run_until_fail\|hold_one\)+0x'
ok $((! r | $?)) "caller named: run_until_fail/hold_one in the helper, order 10"
hdr_total=$(kv "$(head -n1 /tmp/failures)" total)
hdr_busy=$(kv "$(head -n1 /tmp/failures)" busy)
is "$hdr_total" "$(( $(fs_sum '') + ${hdr_busy:-0} ))" "total= is the sum of the lines plus busy"
grep -q '0xffff' /tmp/failures
ok $((! $?)) "no raw kernel address in failures"

# Strict writes.
printf 'clearx' >"$FS" 2>/dev/null
r1=$?
printf 'clear\0X' >"$FS" 2>/dev/null
r2=$?
cnt=$(kv "$(head -n1 "$FS")" total)
echo clear >"$FS"
r3=$?
[ $r1 -ne 0 ] && [ $r2 -ne 0 ] && [ "$cnt" = "$hdr_total" ] && [ $r3 -eq 0 ] &&
	[ "$(grep -c '^order=' "$FS")" -eq 0 ]
ok $? "failures: 'clearx' and 'clear\\0X' refused and change nothing ($cnt), 'clear' empties it"

unload_oomdiag
ok $? "rmmod oomdiag"
done_testing
