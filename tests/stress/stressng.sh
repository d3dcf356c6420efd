#!/bin/sh
# vm-mem: 512M
# vm-timeout: 600
# vm-bin: stress-ng
# Memory pressure from the peer people use: stress-ng's vm, brk, bigheap
# and oom-pipe stressors for argument 1 seconds (default 30; again, up to
# five runs, until the kernel has killed something) with the
# module loaded and readers of every view running.  The recorder must stay
# consistent with the kernel log: every victim of a "Killed process" line
# has an oom_kill record (or is counted lost), and every oom_kill record
# names a victim the kernel log names.  Skipped when stress-ng is not
# installed on the host (apt-get install stress-ng).
. /oomdiag/tests/stress/stresslib.sh

secs=${1:-30}
plan 6
if ! command -v stress-ng >/dev/null; then
	for t in 1 2 3 4 5 6; do skip "stress-ng load" "stress-ng not installed on the host"; done
	done_testing
fi
load_oomdiag || bail "insmod failed"
echo -1000 >/proc/self/oom_score_adj
[ -f "$DBG/events" ] && echo clear >"$DBG/events"
echo "oomdiag-stress: stress-ng start" >/dev/kmsg
k0=$(killed_count)
reader() {
	r=0
	while [ ! -e $STOP ]; do
		for f in "$DBG"/*; do
			cat "$f" >/dev/null 2>&1 && r=$((r + 1))
		done
		sleep 0.2
	done
	echo $r >/tmp/reads.$1
}
reader 1 &
# On a slow kernel (KASAN, lockdep) one run may end before memory runs out:
# run again until the kernel has killed something, for at most five runs.
runs=0 st=0
: >/tmp/sng.out
while :; do
	stress-ng --vm 2 --vm-bytes 95% --brk 1 --bigheap 1 --oom-pipe 1 --timeout "${secs}s" \
		--metrics-brief >>/tmp/sng.out 2>&1 || st=$?
	runs=$((runs + 1))
	[ $(($(killed_count) - k0)) -gt 0 ] || [ $runs -ge 5 ] && break
done
touch $STOP
wait
diag "stress-ng exit $st: $(grep -E 'successful|unsuccessful|failed' /tmp/sng.out | head -n 2 | tr '\n' ' ')"
grep -E '^stress-ng: (info|metrc):.*(vm|brk|bigheap|oom-pipe) ' /tmp/sng.out | sed 's/^/# /' | head -n 8
[ "$st" -lt 128 ]
ok $? "stress-ng ran $runs × ${secs}s and was not killed (exit $st)"

dmesg >/tmp/dmesg
wrapped=0
grep -q 'oomdiag-stress: stress-ng start' /tmp/dmesg || wrapped=1
kills=$(($(grep -c 'Killed process' /tmp/dmesg) - k0))
sed -n 's/.*Killed process \([0-9]*\) .*/\1/p' /tmp/dmesg | sort -u >/tmp/dpids
[ "$kills" -gt 0 ]
ok $? "stress-ng drove the kernel into $kills OOM kills"
if [ -f "$DBG/events" ]; then
	cp "$DBG/events" /tmp/events
	rec=$(events_count oom_kill /tmp/events)
	lost=$(events_lost /tmp/events)
	lost=${lost:-0}
	sed -n 's/^seq=.* kind=oom_kill .*victim_pid=\([0-9]*\).*/\1/p' /tmp/events | sort -u >/tmp/epids
	notrec=$(grep -vxF -f /tmp/epids /tmp/dpids | wc -l)
	unknown=$(grep -vxF -f /tmp/dpids /tmp/epids | wc -l)
	[ "$notrec" -le "$lost" ]
	ok $? "every victim in dmesg is recorded or counted lost ($notrec not in ring, $lost lost)"
	if [ $wrapped -eq 0 ]; then
		is "$unknown" 0 "every recorded victim is one dmesg names"
	else
		skip "every recorded victim is one dmesg names" "kernel log wrapped"
	fi
	figure events_oom_kill "$rec"
	figure events_total "$(events_count "" /tmp/events)"
	figure events_lost "$lost"
else
	skip "victims recorded" "no $DBG/events in this build"
	skip "recorded victims in dmesg" "no $DBG/events in this build"
fi
rmmod oomdiag
ok $? "rmmod after the load"
[ ! -e "$DBG" ]
ok $? "debugfs directory gone"
figure duration_s "$((secs * runs))"
figure ooms "$kills"
figure view_reads "$(cat /tmp/reads.1 2>/dev/null)"
figure stressng_exit "$st"
done_testing
