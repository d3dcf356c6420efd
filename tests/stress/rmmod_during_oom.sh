#!/bin/sh
# vm-mem: 256M
# vm-timeout: 900
# rmmod while an OOM is under way, ten times (argument 1 overrides): a hog
# is started, and as soon as MemAvailable drops under 48 MB (reclaim, the
# slow path, warn_alloc and the OOM killer are running) the module is
# removed, while the hooks may be firing.  Each round loads the module
# again.  Every rmmod must succeed, every hog must still be killed, and the
# kernel log must hold no splat.
. /oomdiag/tests/stress/stresslib.sh

n=${1:-10}
plan 5
echo -1000 >/proc/self/oom_score_adj
i=0 rmfail=0 during=0 kills=0
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	load_oomdiag || bail "insmod failed in round $i"
	[ -f "$DBG/events" ] && cat "$DBG/events" >/dev/null &
	hog -a 0 -s 4 >/dev/null 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null && [ "$(mem_avail_kb)" -gt 49152 ]; do
		sleep 0.05
	done
	kill -0 $pid 2>/dev/null && during=$((during + 1))
	rmmod_retry >/dev/null || rmfail=$((rmfail + 1))
	wait $pid
	dmesg | grep -q "Killed process $pid " && kills=$((kills + 1))
	wait
done
is "$rmfail" 0 "all $n rmmods during memory pressure succeeded"
[ "$during" -gt 0 ]
ok $? "$during of $n rmmods happened while the hog was still allocating"
is "$kills" "$n" "every hog was killed by the OOM killer"
load_oomdiag
ok $? "the module loads again afterwards"
rmmod oomdiag
ok $? "and unloads"
figure rounds "$n"
figure rmmod_while_allocating "$during"
figure ooms "$kills"
figure duration_ms "$(elapsed_ms)"
done_testing
