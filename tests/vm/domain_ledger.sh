#!/bin/sh
# vm-mem: 256M
# vm-timeout: 200
# The kill ledger: under each oom_kill record, the top candidates of the
# OOM's domain with their badness components.  A memcg OOM in /led
# (memory.max 64M): A (44 MB), B (8 MB, adj 500), C (adj -1000, 4 MB,
# exempt), and the trigger T (adj -500).  The first row is the victim the
# kernel killed (dmesg), its points are the killer's chosen_points, every
# row adds up (pages + adj_points = points), the domain's order is the
# kernel's, the exempt task is listed with its reason; a machine-wide OOM
# gets a ledger over all processes.  oomdiag events shows the ledger as a
# table with the victim first and says why in one sentence whose sum adds
# up; oomdiag --json events has it with '-' as null.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 16
CG=/sys/fs/cgroup
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/led
echo 64M >$CG/led/memory.max
run_in() {	# run_in CG OUT ARGS...: a hog in cgroup CG, output to OUT
	_cg=$1 _out=$2
	shift 2
	sh -c "echo \$\$ >$CG$_cg/cgroup.procs && exec hog $*" >"$_out" 2>&1 &
}
run_in /led /tmp/a.out -m 44 -w -p; A=$!
run_in /led /tmp/b.out -m 8 -a 500 -w -p; B=$!
run_in /led /tmp/c.out -m 4 -a -1000 -w -p; C=$!
wait_for /tmp/a.out "hog [0-9]* 44" && wait_for /tmp/b.out "hog [0-9]* 8" &&
	wait_for /tmp/c.out "hog [0-9]* 4"
ok $? "A $A, B $B, C $C (adj -1000) in /led"
echo clear >"$DBG/events"
dmesg -c >/dev/null
run_in /led /tmp/t.out -m 24 -a -500 -w -p; T=$!
wait_for /tmp/t.out "hog [0-9]* 24" 300
sleep 1
snap
seq=$(recs oom_kill | head -n1 | sed -n 's/^seq=\([0-9]*\) .*/\1/p')
block "$seq" >/tmp/blk
diag "$(grep -E '^  (ledger|candidate)' /tmp/blk | sed 's/^  //')"
ev=$(head -n1 /tmp/blk)
first=$(grep '^  candidate rank=1 ' /tmp/blk)
killed=$(dmesg_killed | head -n1 | cut -d' ' -f1)
is "$(kv "$first" pid) $(kv "$first" victim)" "$killed 1" "ledger row 1 is the victim the kernel killed (dmesg pid $killed)"
is "$(kv "$first" points)" "$(kv "$ev" points)" "row 1's points = the killer's chosen_points"
is "$(grep -c '^  candidate rank=[0-9]' /tmp/blk)" 3 "three candidates in /led (A, B, T)"
bad=$(grep '^  candidate rank=[0-9]' /tmp/blk | while read -r l; do
	s=$(( $(kv "$l" anon_pages) + $(kv "$l" file_pages) + $(kv "$l" shmem_pages) + $(kv "$l" swap_pages) + $(kv "$l" pgtables_pages) + $(kv "$l" adj_points) ))
	[ "$s" = "$(kv "$l" points)" ] || echo "$l"
done)
is "$bad" "" "every row: anon + file + shmem + swap + page tables + adj_points = points"
tp=$(kv "$ev" totalpages)
bad=$(grep '^  candidate rank=' /tmp/blk | while read -r l; do
	[ "$(kv "$l" adj_points)" = "-" ] && continue
	[ "$(kv "$l" adj_points)" = "$(( $(kv "$l" oom_score_adj) * (tp / 1000) ))" ] || echo "$l"
done)
is "$bad" "" "adj_points = oom_score_adj x (totalpages $tp / 1000)"
is "$(grep '^  candidate rank=[0-9]' /tmp/blk | while read -r l; do kv "$l" pid; done | tr '\n' ' ')" \
	"$A $B $T " "order: A, B (adj 500 adds only 500 x 16), T (adj -500)"
ex=$(grep '^  candidate rank=- ' /tmp/blk | grep " pid=$C ")
is "$(kv "$ex" exempt) $(kv "$ex" points)" "adj_min -" "C is listed exempt: adj_min, no points"

# oomdiag events: the table, the sentence (wrapped lines joined), the JSON
oomdiag events --kind oom_kill >/tmp/txt
why=$(awk '/^    why: /{ p = 1; sub(/^    why: /, ""); printf "%s", $0; next }
	p && /^         [^ ]/{ sub(/^ +/, " "); printf "%s", $0; next } p { exit }' /tmp/txt)
diag "why: $why"
echo "$why" | grep -q "^hog (pid $killed) was chosen: $(kv "$first" points) points = "
ok $? "events: why names the killed pid $killed with its points"
set -- $(echo "$why" | sed -n 's/^[^:]*: \(-*[0-9]*\) points = rss \([0-9]*\) + swap \([0-9]*\) + page tables \([0-9]*\) \([-+]\) \([0-9]*\) from oom_score_adj=\(-*[0-9]*\) .*/\1 \2 \3 \4 \5 \6 \7/p')
[ $# -eq 7 ] && [ "$1" -eq $(( $2 + $3 + $4 $5 $6 )) ] &&
	[ "$2" -eq $(( $(kv "$first" anon_pages) + $(kv "$first" file_pages) + $(kv "$first" shmem_pages) )) ] &&
	[ "$7" = "$(kv "$first" oom_score_adj)" ]
ok $? "events: why's sum adds up: $1 = rss $2 + swap $3 + page tables $4 $5 $6 (adj $7)"
grep -q "^  >  *1  *$killed  *hog " /tmp/txt && grep -q "^ *-  *$C  *hog .* adj_min\$" /tmp/txt &&
	grep -q "^    ledger memcg, constraint memcg, totalpages $tp " /tmp/txt
ok $? "events: ledger line and table, the victim first, C exempt"
oomdiag --json events --kind oom_kill | head -n1 >/tmp/json
grep -q '"ledger":{"domain":"memcg","constraint":"memcg","totalpages":'"$tp"',"walked":[0-9]*,"candidates":3,"exempt":[0-9]*,"nodes_checked":true,"rows":\[{"rank":1,"pid":'"$killed"',"comm":"hog",[^}]*"victim":true}' /tmp/json
ok $? "--json events: ledger with the victim's row first"
grep -q '{"rank":null,"pid":'"$C"',[^}]*"adj_points":null,"points":null,"origin":false,"exempt":"adj_min","victim":false}' /tmp/json &&
	grep -q '"why":"hog (pid '"$killed"') was chosen: ' /tmp/json
ok $? "--json events: C's rank and points null, not 0; why"
kill $B $C $T 2>/dev/null
wait 2>/dev/null

# Machine-wide: every process is in the domain.
echo clear >"$DBG/events"
dmesg -c >/dev/null
hog -a 1000 -s 8 >/dev/null 2>&1
snap
seq=$(recs oom_kill | head -n1 | sed -n 's/^seq=\([0-9]*\) .*/\1/p')
block "$seq" >/tmp/blk
l=$(grep '^  ledger ' /tmp/blk)
diag "$l"
n=$(ls -d /proc/[0-9]* | wc -l)
[ "$(kv "$l" domain)" = all ] && [ "$(kv "$l" walked)" -ge $((n - 5)) ]
ok $? "global OOM: the ledger walked every process ($(kv "$l" walked), /proc has $n)"
first=$(grep '^  candidate rank=1 ' /tmp/blk)
is "$(kv "$first" pid) $(kv "$first" points)" "$(dmesg_killed | head -n1 | cut -d' ' -f1) $(kv "$(head -n1 /tmp/blk)" points)" \
	"global OOM: row 1 is the killed task with the chosen points"
rmdir $CG/led 2>/dev/null
unload_oomdiag
done_testing
