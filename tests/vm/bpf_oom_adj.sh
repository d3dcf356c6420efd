#!/bin/sh
# vm-mem: 384M
# vm-timeout: 180
# oom_score_adj decides the victim: a small hog with adj 1000 dies before a
# bigger one with adj 0.  The BPF oom_kill event names it like dmesg does,
# and its points/totalpages give the same score as /proc/PID/oom_score read
# before the OOM: (1000 + points * 1000 / totalpages) * 2 / 3.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

plan 9
hog -m 40 -w -a 1000 -p >/tmp/a.out 2>&1 &
A=$!
hog -m 70 -w -p >/tmp/b.out 2>&1 &
B=$!
wait_for /tmp/a.out "hog $A 40" && wait_for /tmp/b.out "hog $B 70"
ok $? "two hogs resident: A=$A (40 MB, adj 1000), B=$B (70 MB, adj 0)"
score_a=$(cat /proc/$A/oom_score)
diag "oom_score before: A=$score_a B=$(cat /proc/$B/oom_score)"
trace_start --pid "$A"
ok $? "oomdiag trace --pid $A attached"
# The guest must have room for the tracer's maps next to both hogs: an OOM
# while it loads is one its probes cannot see (7.2 at 256 MB did that).
is "$(dmesg | grep -c 'invoked oom-killer')" 0 "no OOM before the trigger"
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
hog -m $((avail + 30)) >/dev/null 2>&1
sleep 1
trace_stop

first=$(dmesg_killed | head -n1)
diag "dmesg first kill: $first"
ev=$(events oom_kill | head -n1)
diag "bpf: $ev"
is "$(kv "$ev" victim_pid) $(kv "$ev" victim_comm)" "$first" "victim = first dmesg Killed process"
is "$(kv "$ev" victim_pid)" "$A" "victim is the adj-1000 hog"
is "$(kv "$ev" oom_score_adj)" \
	"$(dmesg | grep "Killed process $A " | sed -n 's/.*oom_score_adj:\(-*[0-9]*\).*/\1/p')" \
	"oom_score_adj = dmesg"
pts=$(kv "$ev" points)
tot=$(kv "$ev" totalpages)
if [ -n "$pts" ] && [ -n "$tot" ] && [ "$tot" -gt 0 ]; then
	score=$(( (1000 + pts * 1000 / tot) * 2 / 3 ))
	d=$((score - score_a))
	[ $d -ge -1 ] && [ $d -le 1 ]
	ok $? "score from points=$pts totalpages=$tot is $score, /proc/$A/oom_score was $score_a"
else
	ok 1 "points/totalpages present"
fi
# --pid filters: events of other processes (B, the trigger) never show
others=$(grep '^seq=' "$TR_OUT" | grep -v "victim_pid=$A " | grep -vc " tgid=$A ")
is "$others" 0 "--pid $A shows only events of (or about) $A"
kill -0 $B 2>/dev/null && kill $B
grep -q '^events kind=oom_kill produced=1 ' "$TR_OUT"
ok $? "summary counts one oom_kill"
done_testing
