#!/bin/sh
# vm-mem: 256M
# vm-timeout: 200
# Memory cgroup OOMs: a hog in a cgroup with memory.max is killed with
# constraint memcg, the OOM domain's path and the victim's cgroup as
# dmesg's oom-kill: line says (oom_memcg=, task_memcg=).  With
# memory.oom.group=1 and three tasks in it, one oom_kill_process call:
# one oom_kill record for the chosen task and an oom_victim record flagged
# group_kill for each other one; together the pids of dmesg's Killed
# process lines.  Paths: a Kubernetes-shaped memcg of 191 characters is
# kept whole (record, tasks view, oomdiag top), and one longer than the
# module keeps (255) is flagged path_truncated everywhere it is shown.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 27
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

# mkcg PATH: create it with the memory controller enabled down to it.
mkcg() {
	_p=$CG
	for _c in $(echo "$1" | tr '/' ' '); do
		echo +memory >"$_p/cgroup.subtree_control"
		_p=$_p/$_c
		mkdir -p "$_p"
	done
}
# tasks_memcg PID: "memcg memcg_truncated" of PID in the tasks view.
tasks_memcg() {
	awk -v pid="$1" '/^# pid / { for (i = 2; i <= NF; i++) col[$i] = i - 1; next } /^#/ { next }
		$col["pid"] == pid { print $col["memcg"], $col["memcg_truncated"] }' "$DBG/tasks"
}
# top_memcg PID: "memcg" and "memcg_truncated" of PID in oomdiag top --json.
top_memcg() {
	oomdiag top -n 1000 --json | sed 's/},{/}\n{/g' | grep "\"pid\":$1," |
		sed -n 's/.*"memcg":"\([^"]*\)","memcg_truncated":\([a-z]*\),.*/\1 \2/p'
}
# oom_in CG: run a hog into CG's limit; record and dmesg to $REC_OUT, /tmp/dm.
oom_in() {
	echo clear >"$DBG/events"
	dmesg -c >/dev/null
	sh -c "echo \$\$ >$CG$1/cgroup.procs && exec hog" >/dev/null 2>&1
	sleep 1
	snap
	dmesg >/tmp/dm
}

K8S=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8f0b7a4c_2d1e_4b7a_9c3d_1a2b3c4d5e6f.slice/cri-containerd-0f3e8c1d2b4a59687766554433221100ffeeddccbbaa99887766554433221100.scope
mkcg "$K8S"
echo 32M >"$CG$K8S/memory.max"
ok $? "Kubernetes-shaped memcg of ${#K8S} characters with memory.max=32M"
sh -c "echo \$\$ >$CG$K8S/cgroup.procs && exec hog -m 4 -w -p" >/tmp/k1.out 2>&1 &
K1=$!
wait_for /tmp/k1.out "hog [0-9]* 4"
is "$(tasks_memcg $K1)" "$K8S 0" "tasks view: the whole path, not flagged"
is "$(top_memcg $K1)" "$K8S false" "oomdiag top --json: the whole path"
kill $K1
wait $K1 2>/dev/null
oom_in "$K8S"
ev=$(recs oom_kill | head -n1)
diag "$ev"
is "$(kv "$ev" memcg)" "$K8S" "oom_kill record: the OOM domain's whole path"
is "$(kv "$ev" victim_memcg)" "$K8S" "oom_kill record: the victim's whole path"
is "$(kv "$ev" victim_memcg)" "$(sed -n 's/.*oom-kill:.*task_memcg=\([^,]*\),.*/\1/p' /tmp/dm | head -n1)" \
	"victim_memcg = dmesg task_memcg"
echo "$ev" | grep -q 'flags=[^ ]*path_truncated'
is $? 1 "a whole path is not flagged path_truncated"

# 292 characters: more than the module keeps.
A=$(printf 'a%.0s' $(seq 1 190))
B=$(printf 'b%.0s' $(seq 1 100))
LONG=/$A/$B
mkcg "$LONG"
echo 32M >"$CG$LONG/memory.max"
sh -c "echo \$\$ >$CG$LONG/cgroup.procs && exec hog -m 4 -w -p" >/tmp/k2.out 2>&1 &
K2=$!
wait_for /tmp/k2.out "hog [0-9]* 4"
want=$(echo "$LONG" | cut -c1-255)
is "$(tasks_memcg $K2)" "$want 1" "tasks view: a path of ${#LONG} cut at 255 and flagged memcg_truncated"
is "$(top_memcg $K2)" "$want true" "oomdiag top --json: memcg_truncated true"
kill $K2
wait $K2 2>/dev/null
oom_in "$LONG"
ev=$(recs oom_kill | head -n1)
is "$(kv "$ev" victim_memcg)" "$want" "oom_kill record: victim_memcg cut at 255"
echo "$ev" | grep -q 'flags=[^ ]*path_truncated'
ok $? "oom_kill record flagged path_truncated"
sed -n 's/.*oom-kill:.*task_memcg=\([^,]*\),.*/\1/p' /tmp/dm | head -n1 | grep -qx "$LONG"
ok $? "dmesg has the whole path (${#LONG}), so the record's is a real cut"
rmdir "$CG$LONG" "$CG/$A" "$CG$K8S" 2>/dev/null
unload_oomdiag
ok $? "rmmod oomdiag"
done_testing
