#!/bin/sh
# vm-mem: 256M
# vm-timeout: 300
# Global OOM kills against the kernel's own report.  A 120 MB sleeper, and
# a hog touching memory until the OOM killer runs: one oom_kill record per
# dmesg "Killed process".  The first names the sleeper; its rss split, page
# tables and oom_score_adj equal dmesg's "Killed process" line; its points
# equal oom_badness() computed from the kernel's own task dump (rss +
# pgtables_bytes/PAGE_SIZE + swapents) and its badness in the tasks view
# read just before (where it ranked first); trigger, gfp, order and
# constraint equal dmesg's "invoked oom-killer" line; its zone snapshot
# has a zone at or under its min watermark.  Then oom_score_adj 1000 on a
# small sleeper: it dies instead of the hog, and the record names it.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 21
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
echo clear >"$DBG/events"
dmesg -c >/dev/null

# 1. A 120 MB sleeper ranked first in tasks, then a hog grows until the
# OOM killer runs: the sleeper dies; its badness cannot change meanwhile.
hog -m 120 -w -p >/tmp/big.out 2>&1 &
H=$!
wait_for /tmp/big.out "hog [0-9]* 120"
ok $? "sleeper $H holds 120 MB"
cat "$DBG/tasks" >/tmp/tasks.last
hog -p >/tmp/hog.out 2>&1 &
T=$!
wait $H 2>/dev/null
kill -9 $T 2>/dev/null
wait $T 2>/dev/null
sleep 1
wait_after
snap
kills=$(recs oom_kill)
is "$(echo "$kills" | grep -c .)" "$(dmesg_killed | grep -c .)" "one oom_kill record per dmesg Killed process ($(dmesg_killed | grep -c .))"
ev=$(echo "$kills" | head -n1)
diag "$ev"
kl=$(dmesg | grep 'Killed process' | head -n1)
diag "dmesg: $kl"
is "$(kv "$ev" victim_pid) $(kv "$ev" victim_comm)" "$H hog" "victim is the sleeper ($H)"
is "$(kv "$ev" victim_pid) $(kv "$ev" victim_comm)" "$(dmesg_killed | head -n1)" "victim pid and comm = dmesg Killed process"
dm_rss=$(echo "$kl" | sed -n 's/.*anon-rss:\([0-9]*\)kB, file-rss:\([0-9]*\)kB, shmem-rss:\([0-9]*\)kB.*pgtables:\([0-9]*\)kB oom_score_adj:\(-*[0-9]*\).*/\1 \2 \3 \4 \5/p')
is "$(kv "$ev" anon_rss_kb) $(kv "$ev" file_rss_kb) $(kv "$ev" shmem_rss_kb) $(kv "$ev" pgtables_kb) $(kv "$ev" oom_score_adj)" \
	"$dm_rss" "anon/file/shmem rss, pgtables, oom_score_adj = dmesg"

# The kernel's task dump: header names the columns; drop "[  pid  ]".
dump=$(dmesg | sed -n '/Tasks state (memory values in pages)/,/oom-kill:/p')
cols=$(echo "$dump" | grep 'pgtables_bytes' | head -n1 | sed 's/.*\] *//')
row=$(echo "$dump" | grep "^\[ *[0-9.]*\] \[ *$H\]" | head -n1 | sed 's/.*\] *//')
diag "dump: $cols"
diag "dump: $row"
want=$(printf '%s\n%s\n' "$cols" "$row" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ print $c["rss"] + int($c["pgtables_bytes"] / 4096) + $c["swapents"] }')
is "$(kv "$ev" points)" "$want" "points = rss + pgtables + swapents of the kernel's task dump"

# tasks just before: the victim ranked first.
tcols=$(sed -n '2p' /tmp/tasks.last | sed 's/^# //')
first=$(sed -n '3p' /tmp/tasks.last)
tpid=$(printf '%s\n%s\n' "$tcols" "$first" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["pid"] }')
tbad=$(printf '%s\n%s\n' "$tcols" "$first" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["badness"] }')
diag "tasks just before: first pid=$tpid badness=$tbad; record points=$(kv "$ev" points)"
is "$tpid" "$H" "the victim was first in the tasks view just before"
is "$(kv "$ev" points)" "$tbad" "points = its badness in the tasks view just before"
is "$(kv "$ev" totalpages)" "$(sed -n '1p' /tmp/tasks.last | tr ' ' '\n' | sed -n 's/^totalpages=//p')" \
	"totalpages = the tasks view's (RAM + swap)"

inv=$(dmesg | grep 'invoked oom-killer' | head -n1)
diag "dmesg: $inv"
is "$(kv "$ev" comm)" "$(echo "$inv" | sed -n 's/.*\] \(.*\) invoked oom-killer.*/\1/p')" "trigger comm = dmesg"
is "$(kv "$ev" gfp)($(kv "$ev" gfp_names)) $(kv "$ev" order)" \
	"$(echo "$inv" | sed -n 's/.*gfp_mask=\(0x[0-9a-f]*([^)]*)\), order=\(-*[0-9]*\),.*/\1 \2/p')" \
	"gfp and order = dmesg"
is "$(kv "$ev" constraint)" \
	"$(dmesg | sed -n 's/.*oom-kill:constraint=CONSTRAINT_\([A-Z_]*\),.*/\1/p' | head -n1 | tr 'A-Z' 'a-z')" \
	"constraint = dmesg's"
zl=$(block "$(kv "$ev" seq)" | grep '^  zone ')
echo "$zl" | while read -r l; do diag "$l"; done
under=$(echo "$zl" | tr ' ' '\n' | awk -F= '$1 == "zone" { z = $2 } $1 == "free_pages" { f = $2 }
	$1 == "min_pages" { if (f <= $2) { printf "%s ", z } }')
[ -n "$under" ]
ok $? "snapshot: a zone at or under its min watermark ($under)"
block "$(kv "$ev" seq)" | grep -q '^  stack oom_kill_process+0x'
ok $? "stack starts at oom_kill_process"

# 2. oom_score_adj 1000 on a small sleeper: it dies, not the hog.
echo clear >"$DBG/events"
dmesg -c >/dev/null
hog -m 16 -w -p -a 1000 >/tmp/small.out 2>&1 &
S=$!
wait_for /tmp/small.out "hog [0-9]* 16"
ok $? "small sleeper $S (16 MB, oom_score_adj 1000)"
hog -p >/tmp/big.out 2>&1 &
B=$!
wait $S 2>/dev/null
! kill -0 $S 2>/dev/null
ok $? "sleeper is gone"
kill -9 $B 2>/dev/null
wait $B 2>/dev/null
sleep 1
snap
ev=$(recs oom_kill | head -n1)
diag "$ev"
is "$(kv "$ev" victim_pid) $(kv "$ev" victim_comm)" "$S hog" "record names the small sleeper"
is "$(kv "$ev" victim_pid) $(kv "$ev" victim_comm)" "$(dmesg_killed | head -n1)" "= dmesg's first Killed process"
is "$(kv "$ev" oom_score_adj)" 1000 "its oom_score_adj 1000"
unload_oomdiag
ok $? "rmmod oomdiag"
done_testing
