#!/bin/sh
# vm-mem: 256M
# vm-timeout: 300
# Every kill accounted for: twenty OOM kills (fifteen memcg OOMs in a
# Kubernetes-shaped cgroup, one group kill of three, two machine-wide)
# after insmod; status and metrics must reconcile the module's count with
# /proc/vmstat oom_kill and each memcg's memory.events.local, group kills
# counting each victim once, and name the container from the path.  The
# kernel counts (and prints) the chosen victim of a group kill twice
# (oom_kill_memcg_member() kills it again): 21 kills, 20 victims.  A kill
# before insmod must show as a gap for its cgroup, named as such.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 17
CG=/sys/fs/cgroup
UIDU=8f0b7a4c_2d1e_4b7a_9c3d_1a2b3c4d5e6f
UIDD=8f0b7a4c-2d1e-4b7a-9c3d-1a2b3c4d5e6f
ID=0f3e8c1d2b4a59687766554433221100ffeeddccbbaa99887766554433221100
K8S=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$UIDU.slice/cri-containerd-$ID.scope
mkcg() {
	_p=$CG
	for _c in $(echo "$1" | tr '/' ' '); do
		echo +memory >"$_p/cgroup.subtree_control"
		_p=$_p/$_c
		mkdir -p "$_p"
	done
}
# jv JSON KEY: the first number value of "KEY": in JSON text.
jv() {
	echo "$1" | grep -o "\"$2\":-*[0-9]*" | head -n1 | cut -d: -f2
}

# Before insmod: one kill in /pre.
mkcg /pre
echo 16M >$CG/pre/memory.max
sh -c "echo \$\$ >$CG/pre/cgroup.procs && exec hog" >/dev/null 2>&1
vm0=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r) (vmstat oom_kill $vm0)"
dmesg -c >/dev/null

mkcg "$K8S"
echo 16M >"$CG$K8S/memory.max"
i=0
while [ $i -lt 15 ]; do
	sh -c "echo \$\$ >$CG$K8S/cgroup.procs && exec hog -s 2" >/dev/null 2>&1
	i=$((i + 1))
done
mkcg /grp
echo 32M >$CG/grp/memory.max
echo 1 >$CG/grp/memory.oom.group
for g in 1 2; do
	sh -c "echo \$\$ >$CG/grp/cgroup.procs && exec hog -m 8 -w -p" >/tmp/g$g.out 2>&1 &
done
wait_for /tmp/g1.out "hog [0-9]* 8" && wait_for /tmp/g2.out "hog [0-9]* 8"
sh -c "echo \$\$ >$CG/grp/cgroup.procs && exec hog" >/dev/null 2>&1
wait 2>/dev/null
for g in 1 2; do
	hog -s 8 >/dev/null 2>&1
done
sleep 1
killed=$(dmesg_killed | wc -l)
victims=$(dmesg_killed | cut -d' ' -f1 | sort -u | wc -l)
vm1=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
is "$victims $killed $((vm1 - vm0))" "20 21 21" \
	"dmesg: 20 victims in 21 Killed process lines (the group's chosen one twice), vmstat oom_kill +21"

st=$(oomdiag status --json)
ok=$(echo "$st" | sed 's/.*"oom_kills"://')
diag "$(echo "$ok" | cut -c1-300)"
is "$(jv "$ok" recorded) $(jv "$ok" recounted)" "20 1" "status: 20 victims recorded, 1 counted twice by the kernel"
is "$(jv "$ok" kernel) $(jv "$ok" kills)" "21 21" "status: the kernel counted 21 since arming, as the module did"
is "$(jv "$ok" unrecorded)" 0 "status: no gap"
cgk() {	# cgk PATH: "kernel recorded" of PATH in status --json
	echo "$ok" | sed 's/},{"path"/}\n{"path"/g' | grep "\"path\":\"$1\"," |
		sed -n 's/.*"kernel":\(-*[0-9]*\),"recorded":\([0-9]*\),"recounted":\([0-9]*\).*/\1 \2 \3/p'
}
is "$(cgk "$K8S")" "$(cat "$CG$K8S/memory.events.local" | awk '$1 == "oom_kill" { print $2 }') 15 0" \
	"the pod's cgroup: memory.events.local oom_kill 15 = 15 recorded"
is "$(cgk /grp)" "4 3 1" "group kill: the kernel counted 4, 3 victims recorded, 1 of them counted twice"
is "$(cgk /pre)" "1 0 0" "/pre: the kill before insmod is counted, not recorded"
oomdiag status >/tmp/st.txt
diag "$(grep -A8 '^OOM kills' /tmp/st.txt)"
grep -q "recorded 20 .*kernel counted 21 .*: all accounted" /tmp/st.txt
ok $? "status text: recorded 20, kernel counted 21, all accounted"
grep "^ *$(echo "$K8S" | cut -c1-32)" /tmp/st.txt | grep -q "pod=$UIDD qos=burstable container=containerd:0f3e8c1d2b4a"
ok $? "status text names the pod, QoS class and container of the cgroup"
grep '^ */pre ' /tmp/st.txt | grep -q 'not in the ring'
ok $? "status text names /pre's gap (1 not in the ring)"

m=$(oomdiag metrics)
echo "$m" | grep -q '^oomdiag_oom_kills_unrecorded 0$'
ok $? "metrics: oomdiag_oom_kills_unrecorded 0"
echo "$m" | grep -q '^oomdiag_oom_kills_recorded_total 20$'
ok $? "metrics: oomdiag_oom_kills_recorded_total 20"
echo "$m" | grep "^oomdiag_cgroup_oom_kills_total{cgroup=\"$K8S\"" |
	grep -q "runtime=\"containerd\",container_id=\"$ID\",pod_uid=\"$UIDD\",qos=\"burstable\"} 15$"
ok $? "metrics: the pod's kills with runtime, container_id, pod_uid and qos labels"

# The victim's cgroup, the OOM domain named apart.
sh -c "echo \$\$ >$CG$K8S/cgroup.procs && exec hog -m 4 -w -p" >/tmp/k.out 2>&1 &
K=$!
wait_for /tmp/k.out "hog [0-9]* 4"
oomdiag top --cgroup "$K8S" >/tmp/top.txt
grep -A1 "^Predicted victim of an OOM in $K8S: hog (pid $K)" /tmp/top.txt |
	grep -q "cgroup $K8S, pod=$UIDD qos=burstable container=containerd:0f3e8c1d2b4a"
ok $? "top --cgroup: the predicted victim with its cgroup, pod, QoS and container"
oomdiag top --cgroup "$K8S" --json | grep -q "\"container\":{\"unit\":\"cri-containerd-$ID.scope\",\"runtime\":\"containerd\",\"id\":\"$ID\",\"pod_uid\":\"$UIDD\",\"qos\":\"burstable\"}"
ok $? "top --json: container object"
kill $K
unload_oomdiag
done_testing
