#!/bin/sh
# vm-mem: 512M
# vm-numa: 2
# vm-timeout: 240
# A cpuset-constrained OOM on a two-node guest.  The kernel's
# constrained_alloc() sizes it as swap + node_present_pages() of the
# allocating task's mems_allowed (CONSTRAINT_CPUSET) and
# oom_cpuset_eligible() lets only tasks whose mems_allowed intersect it
# compete, inside the cpuset or not.  /n1 (cpuset.mems=1) holds A (80 MB)
# and the hog H (adj -900); /n0 (cpuset.mems=0) holds X (100 MB, the
# largest: ineligible); B (16 MB, adj 170) is in the root cpuset (nodes
# 0-1: eligible).  Machine-wide X or B is first; on node 1's smaller
# totalpages B's adj weighs less and A is first.  oomdiag top --cpuset /n1
# must predict A with the kernel's totalpages and points, and H then
# filling node 1 must make the kernel kill A with constraint=CONSTRAINT_CPUSET.
# Then a mempolicy-constrained OOM (CONSTRAINT_MEMORY_POLICY: the same
# totalpages, candidates every task no MPOL_BIND keeps off node 1, cpusets
# do not matter): P (20 MB, adj 500, bound to node 0: ineligible, first
# machine-wide), V (80 MB, bound to node 1), B; Q (bound to node 1, adj
# -900) fills node 1; top --nodes 1 must predict V and the kernel kill V.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

CG=/sys/fs/cgroup
# A kernel without CONFIG_CPUSETS (the sid-debug build) has no cpuset
# controller and no CONSTRAINT_CPUSET: nothing to test there.
if ! grep -qw cpuset $CG/cgroup.controllers; then
	plan 1
	skip "a cpuset-constrained OOM predicted and killed" \
		"no cpuset controller in cgroup2 on $(uname -r) (CONFIG_CPUSETS off)"
	exit 0
fi
plan 29
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
nodes=$(cat /sys/devices/system/node/online)
is "$nodes" "0-1" "the guest has two NUMA nodes"
[ "$nodes" = "0-1" ] || bail "no second node (vm-run --numa 2)"

# jv JSON KEY: the first number value of "KEY": in JSON text.
jv() {
	echo "$1" | grep -o "\"$2\":-*[0-9]*" | head -n1 | cut -d: -f2
}
# col PID NAME: column NAME of PID's row in the module's tasks view.
col() {
	awk -v p="$1" -v n="$2" '/^# pid / { for (i = 2; i <= NF; i++) c[$i] = i - 1; next }
		/^#/ { next } $c["pid"] == p { print $c[n]; exit }' "$DBG/tasks"
}
# node_kb N KEY: KEY of node N's meminfo, in kB.
node_kb() {
	awk -v k="$2:" '$3 == k { print $4 }' /sys/devices/system/node/node$1/meminfo
}

# The module's node sizes against /proc/zoneinfo ("present" summed per
# node is node_present_pages()).
zi=$(awk '$1 == "Node" { n = $2; sub(",", "", n) } $1 == "present" { p[n] += $2 }
	END { for (i = 0; i in p; i++) printf "%s%d:%d", (i ? "," : ""), i, p[i] }' /proc/zoneinfo)
npp=$(head -n1 "$DBG/tasks" | tr ' ' '\n' | sed -n 's/^node_present_pages=//p')
is "$npp" "$zi" "tasks view node_present_pages equal /proc/zoneinfo present per node"
swap=$(head -n1 "$DBG/tasks" | tr ' ' '\n' | sed -n 's/^swap_pages=//p')
n1_present=$(echo "$npp" | tr ',' '\n' | sed -n 's/^1://p')
want_tp=$((swap + n1_present))

echo +cpuset >$CG/cgroup.subtree_control
mkdir -p $CG/n0 $CG/n1
echo 0 >$CG/n0/cpuset.mems && echo 1 >$CG/n1/cpuset.mems
is "$(cat $CG/n0/cpuset.mems.effective) $(cat $CG/n1/cpuset.mems.effective)" "0 1" \
	"cgroup v2 cpusets /n0 (mems 0) and /n1 (mems 1)"

sh -c "echo \$\$ >$CG/n0/cgroup.procs && exec hog -m 100 -w -p" >/tmp/x.out 2>&1 &
X=$!
wait_for /tmp/x.out "hog [0-9]* 100"
sh -c "echo \$\$ >$CG/n1/cgroup.procs && exec hog -m 80 -w -p" >/tmp/a.out 2>&1 &
A=$!
wait_for /tmp/a.out "hog [0-9]* 80"
hog -m 16 -a 170 -w -p >/tmp/b.out 2>&1 &
B=$!
wait_for /tmp/b.out "hog [0-9]* 16"
ok $? "X (pid $X, 100 MB) in /n0, A (pid $A, 80 MB) in /n1, B (pid $B, 16 MB, adj 170) in /"
sleep 1

# mems_allowed as the kernel shows it (single-threaded tasks: the main
# thread's is the union the module prints).
bad=0
for p in $X $A $B 1; do
	[ "$(col $p mems_allowed)" = "$(sed -n 's/^Mems_allowed_list:[[:space:]]*//p' /proc/$p/status)" ] ||
		bad=$((bad + 1))
done
is "$bad" 0 "tasks view mems_allowed equal /proc/PID/status Mems_allowed_list (X A B init)"
is "$(col $X mems_allowed) $(col $A mems_allowed) $(col $B mems_allowed) $(col $A mempolicy_nodes)" \
	"0 1 0-1 -" "X on node 0, A on node 1, B on both; no mempolicy"

glob=$(oomdiag top --json)
dom=$(oomdiag top --cpuset $CG/n1 --json)
diag "$(oomdiag top --cpuset /n1 -n 5)"
dv=$(echo "$dom" | sed 's/.*"next_victim"://')
gv=$(jv "$(echo "$glob" | sed 's/.*"next_victim"://')" pid)
[ -n "$gv" ] && [ "$gv" != "$A" ]
ok $? "machine-wide the predicted victim is not A (it is $gv)"
is "$(jv "$dv" pid)" "$A" "top --cpuset /n1 predicts A"
is "$(jv "$dom" totalpages)" "$want_tp" "domain totalpages = swap $swap + node 1 present $n1_present"
echo "$dom" | grep -q "\"pid\":$X," && x_in=1 || x_in=0
echo "$dom" | grep -q "\"pid\":$B," && b_in=1 || b_in=0
is "$x_in $b_in" "0 1" "X (mems 0) is not a candidate, B (mems 0-1, outside the cpuset) is"
nm=$(oomdiag top --cpuset /n1 --no-module --json)
is "$(jv "$nm" totalpages) $(jv "$(echo "$nm" | sed 's/.*"next_victim"://')" pid)" "$want_tp $A" \
	"--no-module: the same totalpages (/proc/zoneinfo) and victim (Mems_allowed_list)"

# H fills node 1: A + H do not fit, H alone does.
free1=$(node_kb 1 MemFree)
h_mb=$((free1 / 1024 + 32))
diag "node 1 MemFree ${free1} kB; H asks for $h_mb MB"
echo clear >"$DBG/events"
dmesg -c >/dev/null
sh -c "echo \$\$ >$CG/n1/cgroup.procs && exec hog -m $h_mb -a -900 -w -p" >/tmp/h.out 2>&1 &
H=$!
wait_for /tmp/h.out "hog [0-9]* $h_mb$" 900
ok $? "H (pid $H, adj -900) in /n1 reached $h_mb MB after the OOM"
sleep 1
snap
ev=$(recs oom_kill | head -n1)
diag "$ev"
is "$(dmesg | grep -o 'constraint=CONSTRAINT_[A-Z_]*' | sort -u | tr '\n' ' ')" \
	"constraint=CONSTRAINT_CPUSET " "dmesg: every OOM kill was constraint=CONSTRAINT_CPUSET"
is "$(dmesg_killed | cut -d' ' -f1 | tr '\n' ' ')" "$A " "the kernel killed A, and only A (dmesg Killed process)"
is "$(kv "$ev" victim_pid) $(kv "$ev" constraint)" "$A cpuset" "the module's oom_kill record: A, constraint cpuset"
is "$(kv "$ev" totalpages)" "$want_tp" "the record's totalpages = the predicted domain totalpages"
is "$(kv "$ev" points)" "$(jv "$dv" badness)" "the record's points = the predicted badness of A"
# The kill ledger ranks the same domain: X (mems 0) is not in it, B is.
record_block "$REC_OUT" "$(kv "$ev" seq)" >/tmp/blk
diag "$(grep -E '^  (ledger|candidate)' /tmp/blk | sed 's/^  //')"
first=$(grep '^  candidate rank=1 ' /tmp/blk)
is "$(kv "$first" pid) $(kv "$first" victim) $(kv "$(grep '^  ledger ' /tmp/blk)" totalpages)" \
	"$A 1 $want_tp" "ledger: rank 1 is A, the victim, with the domain's totalpages"
is "$(grep -c "^  candidate .* pid=$X " /tmp/blk) $(grep -c "^  candidate rank=[0-9].* pid=$B " /tmp/blk)" \
	"0 1" "ledger: X (mems 0) is not in the cpuset OOM's domain, B (mems 0-1) is a candidate"

# The mempolicy-constrained OOM.  X would be its victim (no policy, the
# largest) but frees nothing on node 1: it and H go.
kill $X $H 2>/dev/null
wait $X $H 2>/dev/null
domain_mpol 0 hog -m 20 -a 500 -w -p >/tmp/p.out 2>&1 &
P=$!
wait_for /tmp/p.out "hog [0-9]* 20"
domain_mpol 1 hog -m 80 -w -p >/tmp/v.out 2>&1 &
V=$!
wait_for /tmp/v.out "hog [0-9]* 80"
ok $? "P (pid $P, 20 MB, adj 500) bound to node 0, V (pid $V, 80 MB) bound to node 1"
sleep 1
is "$(col $P mempolicy_nodes) $(col $V mempolicy_nodes) $(col $B mempolicy_nodes)" "0 1 -" \
	"tasks view mempolicy_nodes: P 0, V 1, B none"
glob=$(oomdiag top --json)
mp=$(oomdiag top --nodes 1 --json)
diag "$(oomdiag top --nodes 1 -n 4)"
mv=$(echo "$mp" | sed 's/.*"next_victim"://')
is "$(jv "$(echo "$glob" | sed 's/.*"next_victim"://')" pid)" "$P" "machine-wide P is the predicted victim"
is "$(jv "$mv" pid)" "$V" "top --nodes 1 predicts V"
is "$(jv "$mp" totalpages)" "$want_tp" "mempolicy domain totalpages = swap + node 1 present"
echo "$mp" | grep -q "\"pid\":$P," && p_in=1 || p_in=0
echo "$mp" | grep -q "\"pid\":$B," && b_in=1 || b_in=0
is "$p_in $b_in" "0 1" "P (bound to node 0) is not a candidate, B (no policy) is"
free1=$(node_kb 1 MemFree)
q_mb=$((free1 / 1024 + 32))
echo clear >"$DBG/events"
dmesg -c >/dev/null
domain_mpol 1 hog -m $q_mb -a -900 -w -p >/tmp/q.out 2>&1 &
Q=$!
wait_for /tmp/q.out "hog [0-9]* $q_mb$" 900
ok $? "Q (pid $Q, adj -900) bound to node 1 reached $q_mb MB after the OOM"
sleep 1
snap
ev=$(recs oom_kill | head -n1)
diag "$ev"
is "$(dmesg | grep -o 'constraint=CONSTRAINT_[A-Z_]*' | sort -u | tr '\n' ' ')" \
	"constraint=CONSTRAINT_MEMORY_POLICY " "dmesg: every OOM kill was constraint=CONSTRAINT_MEMORY_POLICY"
is "$(dmesg_killed | cut -d' ' -f1 | tr '\n' ' ')" "$V " "the kernel killed V, and only V"
is "$(kv "$ev" victim_pid) $(kv "$ev" constraint) $(kv "$ev" totalpages)" "$V memory_policy $want_tp" \
	"the module's record: V, constraint memory_policy, the predicted totalpages"
is "$(kv "$ev" points)" "$(jv "$mv" badness)" "the record's points = the predicted badness of V"
record_block "$REC_OUT" "$(kv "$ev" seq)" >/tmp/blk
diag "$(grep -E '^  (ledger|candidate)' /tmp/blk | sed 's/^  //')"
first=$(grep '^  candidate rank=1 ' /tmp/blk)
is "$(kv "$first" pid) $(kv "$first" victim)" "$V 1" "ledger: rank 1 is V, the victim"
is "$(grep -c "^  candidate .* pid=$P " /tmp/blk) $(grep -c "^  candidate rank=[0-9].* pid=$B " /tmp/blk)" \
	"0 1" "ledger: P (bound to node 0) is not in the mempolicy OOM's domain, B (no policy) is a candidate"
kill $B $P $Q 2>/dev/null
wait 2>/dev/null
rmdir $CG/n0 $CG/n1 2>/dev/null
unload_oomdiag
done_testing
