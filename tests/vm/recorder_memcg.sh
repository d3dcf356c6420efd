#!/bin/sh
# vm-mem: 256M
# vm-timeout: 200
# Memory cgroup OOMs: a hog in a cgroup with memory.max is killed with
# constraint memcg, the OOM domain's path and the victim's cgroup as
# dmesg's oom-kill: line says (oom_memcg=, task_memcg=).  With
# memory.oom.group=1 and three tasks in it, one oom_kill_process call:
# one oom_kill record for the chosen task and an oom_victim record flagged
# group_kill for each other one; together the pids of dmesg's Killed
# process lines.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 15
CG=/sys/fs/cgroup
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/rt $CG/rg
echo 32M >$CG/rt/memory.max
ok $? "cgroup /rt with memory.max=32M"
echo clear >"$DBG/events"
dmesg -c >/dev/null

sh -c "echo \$\$ >$CG/rt/cgroup.procs && exec hog" >/dev/null 2>&1
sleep 1
snap
ev=$(recs oom_kill | head -n1)
ol=$(dmesg | grep 'oom-kill:constraint=CONSTRAINT_MEMCG' | head -n1)
diag "$ev"
diag "dmesg: $ol"
is "$(kv "$ev" constraint)" memcg "constraint memcg (dmesg: CONSTRAINT_MEMCG)"
is "$(kv "$ev" memcg)" "$(echo "$ol" | sed -n 's/.*oom_memcg=\([^,]*\),.*/\1/p')" "OOM domain = dmesg oom_memcg (/rt)"
is "$(kv "$ev" victim_memcg)" "$(echo "$ol" | sed -n 's/.*task_memcg=\([^,]*\),.*/\1/p')" "victim cgroup = dmesg task_memcg"
is "$(kv "$ev" victim_pid)" "$(echo "$ol" | sed -n 's/.*,pid=\([0-9]*\),.*/\1/p')" "victim pid = dmesg"
inv=$(dmesg | grep 'invoked oom-killer' | head -n1)
is "$(kv "$ev" gfp)($(kv "$ev" gfp_names)) $(kv "$ev" order)" \
	"$(echo "$inv" | sed -n 's/.*gfp_mask=\(0x[0-9a-f]*([^)]*)\), order=\(-*[0-9]*\),.*/\1 \2/p')" \
	"gfp and order = dmesg"
# memory.max 32M = 8192 pages: the memcg OOM's totalpages is its limit.
is "$(kv "$ev" totalpages)" 8192 "totalpages = memory.max in pages"

# Group kill.
echo 48M >$CG/rg/memory.max
echo 1 >$CG/rg/memory.oom.group
echo clear >"$DBG/events"
dmesg -c >/dev/null
for i in 1 2; do
	sh -c "echo \$\$ >$CG/rg/cgroup.procs && exec hog -m 8 -w -p" >/tmp/g$i.out 2>&1 &
done
wait_for /tmp/g1.out "hog [0-9]* 8" && wait_for /tmp/g2.out "hog [0-9]* 8"
ok $? "two waiting hogs in /rg (memory.oom.group=1)"
pids=$(cat $CG/rg/cgroup.procs)
sh -c "echo \$\$ >$CG/rg/cgroup.procs && exec hog" >/tmp/g3.out 2>&1 &
G3=$!
wait $G3 2>/dev/null
sleep 1
snap
recs oom_ | while read -r l; do diag "$l"; done
want=$(echo "$pids $G3" | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')
got=$( (recs oom_kill; recs oom_victim) | while read -r l; do kv "$l" victim_pid; done | sort -n | tr '\n' ' ')
dm=$(dmesg_killed | cut -d" " -f1 | sort -nu | tr '\n' ' ')
is "$got" "$want" "oom_kill + oom_victim records name the three tasks of the group"
is "$got" "$dm" "same pids as dmesg's Killed process lines"
is "$(recs oom_kill | wc -l)" 1 "one oom_kill record (one oom_kill_process call)"
is "$(recs oom_victim | grep -c 'flags=group_kill')" 2 "two oom_victim records flagged group_kill"
is "$(kv "$(recs oom_kill | head -n1)" memcg)" /rg "the OOM domain is /rg"
rmdir $CG/rt $CG/rg 2>/dev/null
unload_oomdiag
ok $? "rmmod oomdiag"
done_testing
