#!/bin/sh
# vm-mem: 384M
# vm-timeout: 300
# The kill ledger of `oomdiag trace` (BPF only, module not loaded): at
# oom_kill_process() the BPF program walks the OOM's domain with
# oom_badness()'s formula and sends the top candidates before the oom_kill
# event.  A memcg OOM in /led (memory.max 64M): A (44 MB), B (8 MB, adj
# 500), C (4 MB, adj -1000, exempt) and the trigger T (adj -500); then a
# machine-wide OOM with P (40 MB), Q (20 MB, adj 300) and a growing hog.
# Each time: row 1 is the task dmesg says was killed, every row adds up
# (pages + adj_points = points), each row's points are those of the
# kernel's own dump_tasks line (rss + swapents + pgtables_bytes/4096 +
# adj x totalpages/1000), the rows are in the kernel's order and no task
# of dump_tasks outranks the last row; the default output has the table
# and the "why" sentence, the JSON the same ledger keys as oomdiag events.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

plan 22
grep -q '^oomdiag ' /proc/modules && bail "module loaded; this test is for the BPF path"
CG=/sys/fs/cgroup
set -- $(uname -r | tr '.-' '  ')
# percpu rss counters since 6.2: the kernel's dump_tasks() and our read can
# differ by a batch (32 pages) per CPU per counter read at another moment
tol=0
[ "$1" -gt 6 ] || { [ "$1" -eq 6 ] && [ "$2" -ge 2 ]; } && tol=$((32 * 4 * $(nproc)))

run_in() {	# run_in CG OUT ARGS...: a hog in cgroup CG, output to OUT
	_cg=$1 _out=$2
	shift 2
	sh -c "echo \$\$ >$CG$_cg/cgroup.procs && exec hog $*" >"$_out" 2>&1 &
}

# wait_killed: until dmesg has a "Killed process" line (60 s at most)
wait_killed() {
	_i=0
	while ! dmesg | grep -q 'Killed process' && [ $_i -lt 600 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	sleep 1
}

# the first OOM's dump_tasks lines as "TGID POINTS" (points with totalpages $1)
kernel_points() {
	dmesg | awk '/oom-kill:constraint=/ { exit } { print }' |
		sed -n 's/^\[[^]]*\] \[ *\([0-9][0-9]*\)\] */\1 /p' |
		awk -v tp="$1" '{ adj = $(NF-1); if (adj == -1000) next;
			pts = $5 + $(NF-2) + int($(NF-3) / 4096) + adj * int(tp / 1000);
			print $3, pts }'
}

# check_ledger NAME BLOCKFILE: the assertions shared by both OOMs (5 each)
check_ledger() {
	_n=$1 _b=$2
	_l=$(grep '^  ledger ' "$_b")
	_tp=$(kv "$_l" totalpages)
	_first=$(grep '^  candidate rank=1 ' "$_b")
	# the "every row" checks below need rows
	[ -n "$_first" ] || echo "  candidate rank=1 pid=none" >>"$_b"
	_killed=$(dmesg_killed | head -n1 | cut -d' ' -f1)
	is "$(kv "$_first" pid) $(kv "$_first" victim)" "$_killed 1" \
		"$_n: ledger row 1 is the victim dmesg names (Killed process $_killed)"
	_bad=$(grep '^  candidate rank=[0-9]' "$_b" | while read -r r; do
		# a row without numbers is a failure, not an arithmetic error
		for f in anon_pages file_pages shmem_pages swap_pages pgtables_pages adj_points points; do
			case "$(kv "$r" $f)" in '' | *[!0-9-]* | -) echo "$r"; continue 2 ;; esac
		done
		s=$(( $(kv "$r" anon_pages) + $(kv "$r" file_pages) + $(kv "$r" shmem_pages) + $(kv "$r" swap_pages) + $(kv "$r" pgtables_pages) + $(kv "$r" adj_points) ))
		[ "$s" = "$(kv "$r" points)" ] && [ "$(kv "$r" adj_points)" = $(( $(kv "$r" oom_score_adj) * (_tp / 1000) )) ] || echo "$r"
	done)
	is "$_bad" "" "$_n: every row: anon + file + shmem + swap + page tables + adj x (totalpages/1000) = points"
	kernel_points "$_tp" >/tmp/kp
	diag "$_n: dump_tasks points: $(sort -k2 -n -r /tmp/kp | head -n 6 | tr '\n' ',')"
	_bad=$(grep '^  candidate rank=[0-9]' "$_b" | while read -r r; do
		k=$(awk -v p="$(kv "$r" pid)" '$1 == p { print $2; exit }' /tmp/kp)
		case "$(kv "$r" points)" in '' | -) echo "$r"; continue ;; esac
		d=$(( ${k:-999999999} - $(kv "$r" points) ))
		[ ${d#-} -le $tol ] || echo "pid $(kv "$r" pid): ledger $(kv "$r" points) dump_tasks ${k:-none};"
	done)
	is "$_bad" "" "$_n: every row's points = the kernel's dump_tasks line (tolerance $tol)"
	# the kernel's order: each row's kernel points >= the next row's
	_bad=$(grep '^  candidate rank=[0-9]' "$_b" | while read -r r; do
		k=$(awk -v p="$(kv "$r" pid)" '$1 == p { print $2; exit }' /tmp/kp)
		[ -n "$_prev" ] && [ "${k:-0}" -gt $((_prev + tol)) ] && echo "pid $(kv "$r" pid) ($k) after $_prev;"
		_prev=${k:-0}
	done)
	is "$_bad" "" "$_n: the rows are in the order of the kernel's points"
	_last=$(grep '^  candidate rank=[0-9]' "$_b" | tail -n1)
	_in=" $(grep '^  candidate rank=[0-9]' "$_b" | while read -r r; do kv "$r" pid; done | tr '\n' ' ')"
	_bad=$(while read -r p k; do
		case "$_in" in *" $p "*) continue ;; esac
		[ "$k" -gt $(( $(kv "$_last" points) + tol )) ] && echo "pid $p ($k);"
	done </tmp/kp)
	is "$_bad" "" "$_n: no task of dump_tasks outside the ledger outranks its last row"
}

echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/led
echo 64M >$CG/led/memory.max
# the tracers first, one at a time: three loading at once beside the hogs
# reach a global OOM; on 6.12+ each tracer keeps ~35 MB (BTF), hence 384M
oomdiag trace >/tmp/human.out 2>/tmp/human.err &
HP=$!
wait_for /tmp/human.err '^tracing' 600
oomdiag trace --json >/tmp/json.out 2>/tmp/json.err &
JP=$!
wait_for /tmp/json.err '^tracing' 600
trace_start
ok $? "oomdiag trace attached (and a default and a --json tracer)"
run_in /led /tmp/a.out -m 44 -w -p; A=$!
run_in /led /tmp/b.out -m 8 -a 500 -w -p; B=$!
run_in /led /tmp/c.out -m 4 -a -1000 -w -p; C=$!
wait_for /tmp/a.out "hog [0-9]* 44" && wait_for /tmp/b.out "hog [0-9]* 8" &&
	wait_for /tmp/c.out "hog [0-9]* 4"
ok $? "A $A, B $B, C $C (adj -1000) in /led"
dmesg -c >/dev/null
run_in /led /tmp/t.out -m 24 -a -500 -w -p; T=$!
wait_killed
diag "memory.events of /led: $(tr '\n' ' ' <$CG/led/memory.events)"
trace_stop
ok $? "trace exits 0 on SIGINT"
kill -INT $HP $JP; wait $HP; wait $JP
seq=$(events oom_kill | head -n1 | sed -n 's/^seq=\([0-9]*\) .*/\1/p')
tr_block "$seq" >/tmp/blk
diag "$(grep -E '^  (ledger|candidate)' /tmp/blk | sed 's/^  //')"
l=$(grep '^  ledger ' /tmp/blk)
[ -n "$l" ] || diag "no ledger: $(grep -v '^  zone' "$TR_OUT" | head -n 30; cat "$TR_ERR" /tmp/human.err | head -n 40)"
is "$(kv "$l" domain) $(kv "$l" constraint) $(kv "$l" candidates)" "memcg memcg 3" \
	"memcg: ledger domain memcg, 3 candidates (A, B, T)"
check_ledger memcg /tmp/blk
is "$(grep '^  candidate rank=[0-9]' /tmp/blk | while read -r r; do kv "$r" pid; done | tr '\n' ' ')" \
	"$A $B $T " "memcg: order A, B (adj 500), T (adj -500)"
ex=$(grep '^  candidate rank=- ' /tmp/blk | grep " pid=$C ")
is "$(kv "$ex" exempt) $(kv "$ex" points)" "adj_min -" "memcg: C is listed exempt: adj_min, no points"
killed=$(dmesg_killed | head -n1 | cut -d' ' -f1)
why=$(awk '/^    why: /{ p = 1; sub(/^    why: /, ""); printf "%s", $0; next }
	p && /^         [^ ]/{ sub(/^ +/, " "); printf "%s", $0; next } p { exit }' /tmp/human.out)
diag "why: $why"
echo "$why" | grep -q "^hog (pid $killed) was chosen: [0-9-]* points = " &&
	grep -q "^  >  *1  *$killed  *hog " /tmp/human.out &&
	grep -q "^    ledger memcg, constraint memcg, totalpages " /tmp/human.out
ok $? "default output: ledger line, table with the victim first, why names pid $killed"
# the ledger keys of oomdiag --json events (userspace/event.c ledger_print_json)
j=$(grep '"kind":"oom_kill"' /tmp/json.out | head -n1)
echo "$j" | grep -q '"ledger":{"domain":"memcg","constraint":"memcg","totalpages":[0-9]*,"walked":[0-9]*,"candidates":3,"exempt":[0-9]*,"nodes_checked":true,"rows":\[{"rank":1,"pid":'"$killed"',"comm":"hog","anon_pages":[0-9]*,"file_pages":[0-9]*,"shmem_pages":[0-9]*,"swap_pages":[0-9]*,"pgtables_pages":[0-9]*,"oom_score_adj":-*[0-9]*,"adj_points":-*[0-9]*,"points":-*[0-9]*,"origin":false,"exempt":null,"victim":true}' &&
	echo "$j" | grep -q '{"rank":null,"pid":'"$C"',[^}]*"adj_points":null,"points":null,"origin":false,"exempt":"adj_min","victim":false}' &&
	echo "$j" | grep -q '"why":"hog (pid '"$killed"') was chosen: '
ok $? "--json: the ledger with events' keys, victim first, C's points null, why"
kill $B $C $T 2>/dev/null
wait 2>/dev/null

# Machine-wide: every process is in the domain.
hog -m 40 -w -p >/tmp/p.out 2>&1 & P=$!
hog -m 20 -a 300 -w -p >/tmp/q.out 2>&1 & Q=$!
wait_for /tmp/p.out "hog [0-9]* 40" && wait_for /tmp/q.out "hog [0-9]* 20"
ok $? "P $P (40 MB), Q $Q (20 MB, adj 300)"
# run_ns per oom_kill run (the walk with it), for docs/bpf-probes.md
echo 1 >/proc/sys/kernel/bpf_stats_enabled
trace_start
dmesg -c >/dev/null
hog >/dev/null 2>&1
wait_killed
trace_stop
ok $? "global OOM traced, trace exits 0"
seq=$(events oom_kill | head -n1 | sed -n 's/^seq=\([0-9]*\) .*/\1/p')
tr_block "$seq" >/tmp/blk
diag "$(grep -E '^  (ledger|candidate)' /tmp/blk | sed 's/^  //')"
l=$(grep '^  ledger ' /tmp/blk)
n=$(ls -d /proc/[0-9]* | wc -l)
[ "$(kv "$l" domain)" = all ] && [ "$(kv "$l" walked)" -ge $((n - 5)) ]
ok $? "global: domain all, walked every process ($(kv "$l" walked), /proc has $n)"
check_ledger global /tmp/blk
grep -q '^ledger produced=2 dropped=0 truncated=0 failed=0 unmatched=0' "$TR_OUT" ||
	grep -q '^ledger produced=1 dropped=0 truncated=0 failed=0 unmatched=0' "$TR_OUT"
ok $? "summary: ledgers produced, none dropped, truncated or unmatched"
diag "$(grep '^prog oom_kill ' "$TR_OUT") (walked $(kv "$l" walked))"
echo 0 >/proc/sys/kernel/bpf_stats_enabled
kill $P $Q 2>/dev/null
wait 2>/dev/null
rmdir $CG/led 2>/dev/null
done_testing
