#!/bin/sh
# vm-mem: 256M
# vm-timeout: 900
# Twenty OOM kills in a row (argument 1 overrides) with the recorder armed.
# Each time a hog touches memory until the OOM killer takes it; the kernel
# log must name that hog as the victim, and the recorder must hold an
# oom_kill record with the same victim_pid, or count it as lost.  The test
# shell is protected (oom_score_adj -1000); the hog runs at 0.
. /oomdiag/tests/stress/stresslib.sh

n=${1:-20}
plan 6
load_oomdiag || bail "insmod failed"
echo -1000 >/proc/self/oom_score_adj
have_events=
[ -f "$DBG/events" ] && have_events=1
[ -n "$have_events" ] && echo clear >"$DBG/events" 2>/dev/null

kills=0 missing=0 notkilled=0 i=0 t0=$(now_ms)
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	hog -a 0 -s 8 >/dev/null 2>&1 &
	pid=$!
	wait $pid
	st=$?
	if dmesg | grep -q "Killed process $pid "; then
		kills=$((kills + 1))
	else
		notkilled=$((notkilled + 1))
		diag "hog $pid exited $st without a Killed process line"
	fi
	if [ -n "$have_events" ] && ! grep -q "^seq=.* kind=oom_kill .*victim_pid=$pid " "$DBG/events" &&
		! grep -q "^seq=.* kind=oom_kill .*victim_pid=$pid\$" "$DBG/events"; then
		missing=$((missing + 1))
	fi
done
dur=$(($(now_ms) - t0))
is "$kills" "$n" "the OOM killer took all $n hogs (dmesg Killed process)"
is "$notkilled" 0 "no hog ended another way"
if [ -n "$have_events" ]; then
	rec=$(events_count oom_kill)
	lost=$(events_lost)
	lost=${lost:-0}
	[ "$rec" -ge "$kills" ] || [ $((rec + lost)) -ge "$kills" ]
	ok $? "recorder: $rec oom_kill records + $lost lost >= $kills kills"
	[ "$missing" -le "$lost" ]
	ok $? "every victim pid is in events or counted lost ($missing missing, $lost lost)"
	figure events_oom_kill "$rec"
	figure events_total "$(events_count)"
	figure events_lost "$lost"
else
	skip "recorder records every kill" "no $DBG/events in this build"
	skip "victim pids in events" "no $DBG/events in this build"
fi
rmmod oomdiag
ok $? "rmmod after $n OOMs"
[ ! -e "$DBG" ]
ok $? "debugfs directory gone"
figure ooms "$kills"
figure ms_per_oom "$((dur / n))"
figure duration_ms "$(elapsed_ms)"
done_testing
