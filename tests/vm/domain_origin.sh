#!/bin/sh
# vm-mem: 256M
# vm-timeout: 240
# oom_task_origin: a task running a KSM unmerge (echo 2 > ksm/run) is the
# OOM killer's first choice whatever its size (oom_evaluate_task() gives
# it LONG_MAX points).  M (48 MB of identical pages, merged by ksmd) and
# the writer W share a memcg whose limit (24M) the unmerge must exceed:
# the kernel kills W, the tiny one, not M (dmesg is the oracle).  The tasks
# view, read while the unmerge runs, marks W oom_origin=1 and ranks it
# first; the kill ledger's first row is W with origin=1.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 8
CG=/sys/fs/cgroup
KSM=/sys/kernel/mm/ksm
[ -w $KSM/run ] || { skip "no KSM" "CONFIG_KSM off"; done_testing; }
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/ksm
sh -c "echo \$\$ >$CG/ksm/cgroup.procs && exec domain_ksm 48" >/tmp/m.out 2>&1 &
M=$!
wait_for /tmp/m.out ready
echo 10000 >$KSM/pages_to_scan
echo 0 >$KSM/sleep_millisecs
echo 1 >$KSM/run
i=0
while [ $i -lt 600 ] && [ "$(cat $KSM/pages_sharing)" -lt 12000 ]; do
	sleep 0.1
	i=$((i + 1))
done
diag "pages_sharing $(cat $KSM/pages_sharing), /ksm memory.current $(cat $CG/ksm/memory.current)"
[ "$(cat $KSM/pages_sharing)" -ge 12000 ]
ok $? "ksmd merged M's 48 MB (pages_sharing $(cat $KSM/pages_sharing))"
echo 0 >$KSM/sleep_millisecs
echo 24M >$CG/ksm/memory.max
ok $? "/ksm memory.max=24M (usage $(cat $CG/ksm/memory.current) while merged)"

echo clear >"$DBG/events"
dmesg -c >/dev/null
# W: the unmerge runs in the writer's context, charged to M's memcg.
sh -c "echo \$\$ >$CG/ksm/cgroup.procs && echo \$\$ >/tmp/w.pid && exec sh -c 'echo 2 >$KSM/run'" &
W=$!
n=0
: >/tmp/views
while kill -0 $W 2>/dev/null && [ $n -lt 2000 ]; do
	awk -v w=$W '/^# pid / { for (i = 2; i <= NF; i++) col[$i] = i - 1; next } /^#/ { next }
		{ r++ } $col["pid"] == w { print r, $col["oom_origin"]; exit }' "$DBG/tasks" >>/tmp/views
	n=$((n + 1))
done
wait $W 2>/dev/null
sleep 1
killed=$(dmesg_killed | head -n1 | cut -d' ' -f1)
diag "views read: $n, W seen: $(wc -l </tmp/views), origin=1 in $(grep -c ' 1$' /tmp/views)"
is "$killed" "$W" "the kernel killed W (the unmerging writer), not M (pid $M)"
kill -0 $M 2>/dev/null
ok $? "M is alive"
[ -s /tmp/views ] && [ "$(grep -c '^1 1$' /tmp/views)" -ge 1 ]
ok $? "the tasks view read during the unmerge ranks W first with oom_origin=1"
snap
seq=$(recs oom_kill | head -n1 | sed -n 's/^seq=\([0-9]*\) .*/\1/p')
first=$(block "$seq" | grep '^  candidate rank=1 ')
diag "$first"
is "$(kv "$first" pid) $(kv "$first" origin) $(kv "$first" victim)" "$W 1 1" \
	"ledger row 1: W, origin=1, the victim"
is "$(kv "$(recs oom_kill | head -n1)" victim_pid)" "$W" "the oom_kill record names W"
echo 0 >$KSM/run
kill $M 2>/dev/null
wait 2>/dev/null
rmdir $CG/ksm 2>/dev/null
unload_oomdiag
done_testing
