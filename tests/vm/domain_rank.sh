#!/bin/sh
# vm-mem: 256M
# vm-timeout: 200
# The OOM's own domain: in a memcg the kernel ranks with the memcg's
# totalpages (memory.max plus the swap it may use), so oom_score_adj
# weighs less than machine-wide and the rankings disagree.  A (44 MB,
# adj 0) and B (8 MB, adj 500) in children of /dom (memory.max 64M):
# machine-wide B is first, in /dom A is.  oomdiag top --cgroup /dom must
# predict A with the kernel's points, and the OOM that C (adj -500) then
# causes at the parent's limit must kill A (dmesg, the module's record).
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 20
CG=/sys/fs/cgroup
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/dom
echo +memory >$CG/dom/cgroup.subtree_control
mkdir -p $CG/dom/a $CG/dom/b $CG/dom/c
echo 64M >$CG/dom/memory.max
ok $? "/dom with memory.max=64M, children a b c"

sh -c "echo \$\$ >$CG/dom/a/cgroup.procs && exec hog -m 44 -w -p" >/tmp/a.out 2>&1 &
A=$!
sh -c "echo \$\$ >$CG/dom/b/cgroup.procs && exec hog -m 8 -a 500 -w -p" >/tmp/b.out 2>&1 &
B=$!
wait_for /tmp/a.out "hog [0-9]* 44" && wait_for /tmp/b.out "hog [0-9]* 8"
ok $? "A (pid $A, 44 MB) in /dom/a and B (pid $B, 8 MB, adj 500) in /dom/b"
sleep 1

# jv JSON KEY: the first number value of "KEY": in JSON text.
jv() {
	echo "$1" | grep -o "\"$2\":-*[0-9]*" | head -n1 | cut -d: -f2
}
glob=$(oomdiag top --json)
dom=$(oomdiag top --cgroup $CG/dom --json)
diag "$(oomdiag top --cgroup /dom -n 4)"
gv=$(jv "$(echo "$glob" | sed 's/.*"next_victim"://')" pid)
dv=$(echo "$dom" | sed 's/.*"next_victim"://')
is "$gv" "$B" "machine-wide, B is the predicted victim (adj 500 x totalpages/1000)"
is "$(jv "$dv" pid)" "$A" "top --cgroup /dom predicts A"
want_tp=$(( $(cat $CG/dom/memory.max) / 4096 ))
is "$(jv "$dom" totalpages)" "$want_tp" "domain totalpages = memory.max in pages (no swap)"

echo clear >"$DBG/events"
dmesg -c >/dev/null
sh -c "echo \$\$ >$CG/dom/c/cgroup.procs && exec hog -m 24 -a -500 -w -p" >/tmp/c.out 2>&1 &
C=$!
wait_for /tmp/c.out "hog [0-9]* 24" 300
sleep 1
snap
ev=$(recs oom_kill | head -n1)
diag "$ev"
killed=$(dmesg_killed | head -n1 | cut -d' ' -f1)
is "$killed" "$A" "the kernel killed A (dmesg Killed process)"
is "$(kv "$ev" victim_pid)" "$A" "the module's record names A"
is "$(kv "$ev" points)" "$(jv "$dv" badness)" "predicted badness = the killer's chosen_points"
is "$(kv "$ev" totalpages)" "$(jv "$dom" totalpages)" "predicted totalpages = the killer's"
is "$(kv "$ev" memcg)" /dom "OOM domain: the parent whose limit was hit"
is "$(kv "$ev" victim_memcg)" /dom/a "the victim's own cgroup: the child"
is "$(dmesg | sed -n 's/.*oom-kill:.*oom_memcg=\([^,]*\),task_memcg=\([^,]*\),.*/\1 \2/p' | head -n1)" \
	"/dom /dom/a" "dmesg says the same (oom_memcg, task_memcg)"
# events and explain name the two apart: the victim's cgroup, the OOM domain
ej=$(oomdiag events --json --kind oom_kill | grep "\"victim\":{\"pid\":$A," | head -n1)
is "$(echo "$ej" | sed -n 's/.*"victim":{[^}]*"cgroup":"\([^"]*\)".*"domain":{"cgroup":"\([^"]*\)".*/\1 \2/p')" \
	"/dom/a /dom" "events --json: victim.cgroup the child, domain.cgroup the parent"
dmesg >/tmp/dmesg.txt
xj=$(oomdiag explain --json /tmp/dmesg.txt)
is "$(echo "$xj" | sed -n 's/.*"victim":{[^}]*"cgroup":"\([^"]*\)".*"domain":{"cgroup":"\([^"]*\)".*/\1 \2/p' | head -n1)" \
	"/dom/a /dom" "explain --json (dmesg): the same two"
oomdiag events --kind oom_kill >/tmp/evh.txt
grep -q "^    victim cgroup /dom/a$" /tmp/evh.txt && grep -q "^    OOM domain cgroup /dom$" /tmp/evh.txt
ok $? "events text: 'victim cgroup /dom/a' and 'OOM domain cgroup /dom'"

# The child has no limit: its OOM is the parent's.
sub=$(oomdiag top --cgroup /dom/b --json)
is "$(echo "$sub" | sed -n 's/.*"domain":"\([^"]*\)".*/\1/p')" /dom "top --cgroup /dom/b: ranked in /dom's domain"
is "$(jv "$(echo "$sub" | sed 's/.*"next_victim"://')" pid)" "$B" "top --cgroup /dom/b: B is its only candidate"

# --cgroups: one line per memcg; /dom with its limit and victim (now B).
all=$(oomdiag top --cgroups --json | sed 's/},{"path"/}\n{"path"/g')
line=$(echo "$all" | grep '"path":"/dom",')
is "$(jv "$line" limit_kb) $(jv "$(echo "$line" | sed 's/.*"next_victim"://')" pid)" "65536 $B" \
	"top --cgroups: /dom limit 64M, next victim B"
oomdiag top --cgroups | grep -q "^/dom  *64.0 MB"
ok $? "top --cgroups text lists /dom with its limit"
kill $B $C 2>/dev/null
wait 2>/dev/null
rmdir $CG/dom/a $CG/dom/b $CG/dom/c $CG/dom 2>/dev/null
unload_oomdiag
done_testing
