#!/bin/sh
# vm-mem: 384M
# vm-smp: 2
# vm-timeout: 400
# Issue 22: the recorder with two CPUs recording at once.
# 1. Two tasks pinned to CPU 0 and CPU 1 fail order-9 and order-10
#    allocations in bursts at the same time: every failure is a record (the
#    ring is big enough: nothing lost, nothing dropped), and every record is
#    whole: its pid, cpu and order all belong to one task (a scratch record
#    shared by two CPUs would mix them).
# 2. Readers of every debugfs file on CPU 1 while CPU 0 fails allocations
#    and the worker walks the free lists: every read succeeds, the tasks and
#    buddyinfo views stay consistent with /proc.
# 3. An OOM kill on CPU 0 while CPU 1 keeps failing allocations: the
#    oom_kill record names the task dmesg says was killed.
# A splat (lockdep on the debug kernel, KASAN) fails the run (vm-run).
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 13
[ "$(nproc)" -ge 2 ] || bail "needs 2 CPUs, has $(nproc)"
load_helper || bail "insmod oomdiag_test_alloc failed"
load_oomdiag ring_size=8192
ok $? "insmod oomdiag.ko ring_size=8192 on $(uname -r), $(nproc) CPUs"

# 1. Concurrent bursts, one task per CPU.  A burst takes every free block of
# its order first, then fails N times while holding them.
echo clear >"$DBG/events"
failed0=$(kv "$(helper 'nowait_nowarn 10')" total_failed)
burst() {	# CPU ORDER N
	taskset -c "$1" sh -c "echo \$\$ >/tmp/pid.$1; i=0
		while [ \$i -lt 10 ]; do echo 'burst $3 $2' >$HELPER/alloc; i=\$((i + 1)); done"
}
burst 0 9 200 &
burst 1 10 200 &
wait
snap
failed=$(( $(kv "$(cat $HELPER/result)" total_failed) - failed0 ))
p0=$(cat /tmp/pid.0) p1=$(cat /tmp/pid.1)
diag "order 9 on cpu 0: pid $p0; order 10 on cpu 1: pid $p1"
n0=$(recs alloc_fail | grep -c " pid=$p0 ")
n1=$(recs alloc_fail | grep -c " pid=$p1 ")
diag "alloc_fail records: pid $p0: $n0, pid $p1: $n1; lost=$(hdr lost) dropped=$(hdr dropped)"
is "$(hdr lost) $(hdr dropped)" "0 0" "nothing lost, nothing dropped"
is "$((n0 + n1))" "$failed" "every failure of the two tasks is a record ($n0 + $n1, the helper counted $failed)"
# Wholeness: the pair (pid, order) and (pid, cpu) of every record.
mixed=$(recs alloc_fail | awk -v p0="$p0" -v p1="$p1" '{
	pid = ""; cpu = ""; ord = ""
	for (i = 1; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "pid") pid = kv[2]; else if (kv[1] == "cpu") cpu = kv[2]
		else if (kv[1] == "order") ord = kv[2]
	}
	if (pid == p0 && (ord != 9 || cpu != 0)) print
	else if (pid == p1 && (ord != 10 || cpu != 1)) print
}' | wc -l)
is "$mixed" 0 "no record mixes the two tasks (pid, order, cpu agree in every record)"
# A record is built from start to commit by one task: two records of one
# task with the same timestamp are one scratch buffer committed twice
# (the second time after another CPU had refilled it).
dups=$(recs alloc_fail | awk '{ pid = ""; ts = ""
	for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "pid") pid = kv[2]; else if (kv[1] == "ts_ns") ts = kv[2] }
	print pid, ts }' | sort | uniq -d | wc -l)
is "$dups" 0 "no record committed twice (pid, ts_ns unique)"
both=$(recs alloc_fail | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^cpu=/) print $i }' | sort -u | wc -l)
is "$both" 2 "records from both CPUs"
# Seqs are dense and in order: one ring, one counter.
gaps=$(grep '^seq=' "$REC_OUT" | sed 's/^seq=\([0-9]*\) .*/\1/' |
	awk 'NR > 1 && $1 != prev + 1 { g++ } { prev = $1 } END { print g + 0 }')
is "$gaps" 0 "record seqs are consecutive"

# 2. Readers on CPU 1 while CPU 0 fails allocations (worker walks the lists).
echo clear >"$DBG/events"
taskset -c 0 sh -c "i=0; while [ \$i -lt 30 ]; do echo 'burst 50 10' >$HELPER/alloc; i=\$((i + 1)); done" &
fails=0 reads=0
for r in 1 2 3 4 5 6 7 8 9 10; do
	for f in "$DBG"/*; do
		[ -f "$f" ] || continue
		[ "$(stat -c %A "$f" | cut -c2)" = r ] || continue
		if taskset -c 1 cat "$f" >/dev/null 2>/tmp/read.err; then
			reads=$((reads + 1))
		else
			fails=$((fails + 1))
			diag "read $f: $(cat /tmp/read.err)"
		fi
	done
done
wait
is "$fails" 0 "$reads reads of every debugfs file on CPU 1 during the failures on CPU 0"
# The tasks view against /proc/PID/oom_score, read on CPU 1 (idle again).
taskset -c 1 cat "$DBG/tasks" >/tmp/tasks.out
self=$$
mine=$(awk -v p="$self" '$1 == p { print }' /tmp/tasks.out)
diag "tasks line of pid $self: $mine"
grep -q "^$self " /tmp/tasks.out
ok $? "tasks view read on CPU 1 lists this shell (pid $self)"
wait_after
snap
is "$(recs alloc_fail | grep -c ' after=pending')" 0 "the worker attached every record's after part"

# 3. An OOM kill on CPU 0 while CPU 1 keeps failing allocations.
echo clear >"$DBG/events"
dmesg -c >/dev/null
touch /tmp/oom.run
taskset -c 1 sh -c "while [ -e /tmp/oom.run ]; do echo 'nowait 10' >$HELPER/alloc; done" &
taskset -c 0 hog >/dev/null 2>&1
rm -f /tmp/oom.run
wait
snap
killed=$(dmesg_killed | head -n1)
ev=$(recs oom_kill | head -n1)
diag "dmesg: $killed; record: $ev"
[ -n "$killed" ]
ok $? "the kernel killed a task (dmesg: $killed)"
is "$(kv "$ev" victim_pid) $(kv "$ev" victim_comm)" "$killed" "oom_kill record = dmesg's Killed process"
unload_oomdiag
ok $? "rmmod oomdiag"
done_testing
