#!/bin/sh
# vm-mem: 256M
# vm-timeout: 300
# Memory cgroup OOMs through the BPF path: a hog in a cgroup with
# memory.max is killed with constraint memcg and the OOM domain's path, as
# dmesg says (oom_memcg=, task_memcg=); with memory.oom.group=1 one
# oom_kill_process call kills all three tasks and oom:mark_victim reports
# each of them, the same pids as dmesg's "Killed process" lines.  The
# victim's memcg is its memory cgroup (a leaf without the memory controller
# is charged to its parent), and paths are whole up to 255 bytes (a
# Kubernetes-like path of ~190), cut and flagged path_truncated past that.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

plan 23
CG=/sys/fs/cgroup
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/bt $CG/bg
echo 32M >$CG/bt/memory.max
ok $? "cgroup bt with memory.max=32M"

trace_start --cgroup $CG/bt
ok $? "oomdiag trace --cgroup $CG/bt attached"
sh -c "echo \$\$ >$CG/bt/cgroup.procs && exec hog" >/dev/null 2>&1
sleep 1
trace_stop
ok $? "tracer exits 0 on SIGINT"
ev=$(events oom_kill | head -n1)
ol=$(dmesg | grep 'oom-kill:constraint=CONSTRAINT_MEMCG' | head -n1)
diag "dmesg: $ol"
diag "bpf:   $ev"
is "$(kv "$ev" constraint)" memcg "constraint memcg (dmesg: CONSTRAINT_MEMCG)"
is "$(kv "$ev" memcg)" "$(echo "$ol" | sed -n 's/.*oom_memcg=\([^,]*\),.*/\1/p')" "OOM domain = dmesg oom_memcg"
is "$(kv "$ev" victim_memcg)" "$(echo "$ol" | sed -n 's/.*task_memcg=\([^,]*\),.*/\1/p')" "victim cgroup = dmesg task_memcg"
is "$(kv "$ev" victim_pid)" "$(echo "$ol" | sed -n 's/.*,pid=\([0-9]*\),.*/\1/p')" "victim pid = dmesg"
inv=$(dmesg | grep 'invoked oom-killer' | head -n1)
is "$(gfpn "$ev") $(kv "$ev" order)" \
	"$(echo "$inv" | sed -n 's/.*gfp_mask=\(0x[0-9a-f]*([^)]*)\), order=\(-*[0-9]*\),.*/\1 \2/p')" \
	"gfp and order = dmesg"

# group kill
echo 48M >$CG/bg/memory.max
echo 1 >$CG/bg/memory.oom.group
dmesg -c >/dev/null
for i in 1 2; do
	sh -c "echo \$\$ >$CG/bg/cgroup.procs && exec hog -m 8 -w -p" >/tmp/g$i.out 2>&1 &
done
wait_for /tmp/g1.out "hog [0-9]* 8" && wait_for /tmp/g2.out "hog [0-9]* 8"
ok $? "two waiting hogs in bg (memory.oom.group=1)"
pids=$(cat $CG/bg/cgroup.procs | sort -n | tr '\n' ' ')
trace_start
ok $? "oomdiag trace attached"
sh -c "echo \$\$ >$CG/bg/cgroup.procs && exec hog" >/tmp/g3.out 2>&1 &
G3=$!
wait $G3
sleep 1
trace_stop
ok $? "tracer exits 0 on SIGINT"
want=$(echo "$pids $G3" | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')
got=$(events oom_victim | while read -r l; do kv "$l" victim_pid; done | sort -n | tr '\n' ' ')
dm=$(dmesg_killed | cut -d" " -f1 | sort -nu | tr '\n' ' ')
diag "tasks: $want, mark_victim: $got, dmesg: $dm"
is "$got" "$want" "oom_victim events name all three tasks of the group"
is "$got" "$dm" "same pids as dmesg Killed process lines (the chosen one is printed twice)"
is "$(events oom_kill | wc -l)" 1 "one oom_kill_process call for the group"
is "$(kv "$(events oom_kill | head -n1)" memcg)" /bg "its OOM domain is /bg"

# memcg_oom DIR: a hog OOM-killed in cgroup DIR under the tracer; sets
# $ev (the oom_kill record) and $ol (dmesg's oom-kill: line)
memcg_oom() {
	dmesg -c >/dev/null
	trace_start
	sh -c "echo \$\$ >$CG$1/cgroup.procs && exec hog" >/dev/null 2>&1
	sleep 1
	trace_stop
	ev=$(events oom_kill | head -n1)
	ol=$(dmesg | grep 'oom-kill:constraint=CONSTRAINT_MEMCG' | head -n1)
	diag "dmesg: $ol"
	diag "bpf:   $ev"
}
dm_field() {
	echo "$ol" | sed -n "s/.*,$1=\([^,]*\),.*/\1/p"
}

# /bn has memory.max; /bn/leaf has no memory controller (bn's
# subtree_control lacks +memory), so the kernel charges /bn
mkdir -p $CG/bn/leaf
echo 24M >$CG/bn/memory.max
memcg_oom /bn/leaf
is "$(kv "$ev" victim_memcg)" "$(dm_field task_memcg)" \
	"victim in /bn/leaf without memory controller: victim_memcg = dmesg task_memcg ($(dm_field task_memcg))"
is "$(kv "$ev" memcg)" /bn "OOM domain /bn"

# a Kubernetes-like path of about 190 bytes, kept whole
kp=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f9c2e1a_7b4d_4c8e_9a0f_5d6e7f8a9b0c.slice
kp=$kp/cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope
d=
for c in $(echo "$kp" | tr '/' ' '); do
	echo +memory >$CG$d/cgroup.subtree_control
	d=$d/$c
	mkdir -p $CG$d
done
echo 24M >$CG$kp/memory.max
memcg_oom $kp
is "$(kv "$ev" memcg) $(kv "$ev" victim_memcg)" "$kp $kp" "a ${#kp}-byte path whole (memcg and victim_memcg)"
is "$(kv "$ev" flags)" snapshot "and not flagged path_truncated"
is "$(dm_field oom_memcg)" "$kp" "dmesg oom_memcg is that path"

# past 255 bytes: the first 255 bytes and the flag
lp=$kp/$(printf 'c%.0s' $(seq 1 70))
echo +memory >$CG$kp/cgroup.subtree_control 2>/dev/null
echo max >$CG$kp/memory.max
mkdir -p $CG$lp
echo 24M >$CG$lp/memory.max
memcg_oom $lp
want=$(dm_field oom_memcg | cut -c1-255)
is "$(kv "$ev" memcg)" "$want" "a ${#lp}-byte path: its first 255 bytes"
is "$(kv "$ev" flags)" "snapshot|path_truncated" "flagged path_truncated"
[ "$(dm_field oom_memcg)" = "$lp" ]
ok $? "dmesg oom_memcg is the whole ${#lp}-byte path"
rmdir $CG/bt $CG/bg 2>/dev/null
done_testing
