#!/bin/sh
# vm-mem: 256M
# vm-timeout: 240
# Issue 21 / 14.1, deterministically: a task sleeps inside do_mmap() (the
# test helper's "gate" file) while the recorder is disarmed, returns while
# it is disarmed (the kernel frees its kretprobe instance without our
# handler), and after re-arming makes a refused mmap.  The recorder kept a
# pointer into that instance before the fix: on the debug kernel KASAN
# reports the write (use-after-free in rec_inflight_mark); now the refusal
# is one whole record and the in-flight table is empty again.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 7
load_helper || bail "insmod oomdiag_test_alloc failed"
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
echo close >$HELPER/gate
rm -f /tmp/go
echo 2 >/proc/sys/vm/overcommit_memory
lim=$(sed -n 's/^CommitLimit: *\([0-9]*\) kB/\1/p' /proc/meminfo)
mmap_gate $HELPER/gate /tmp/go $((lim * 2048)) >/tmp/gate.out &
pid=$!
i=0
until grep -q 'waiters=1' $HELPER/gate || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(cat $HELPER/gate)" "waiters=1 open=0" "pid $pid sleeps inside do_mmap()"
echo 0 >"$DBG/armed"
echo open >$HELPER/gate
i=0
until grep -q 'gate errno' /tmp/gate.out || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(head -n1 /tmp/gate.out)" "gate errno=19" "its mmap returned (ENODEV) while disarmed"
echo 1 >"$DBG/armed"
# Let RCU free the orphaned kretprobe instance before the next refusal.
sleep 2
echo clear >"$DBG/events"
touch /tmp/go
wait $pid
echo 0 >/proc/sys/vm/overcommit_memory
is "$(sed -n 2p /tmp/gate.out)" "big errno=12" "after re-arming, its big mmap is refused (ENOMEM)"
snap
n=$(recs vm_refused | grep -c " pid=$pid ")
is "$n" 1 "one vm_refused record for it"
is "$(kv "$(recs vm_refused | grep " pid=$pid ")" reason)" overcommit "reason overcommit"
unload_oomdiag
ok $? "rmmod oomdiag"
done_testing
