#!/bin/sh
# vm-mem: 768M
# vm-timeout: 600
# Guest half of tests/bench/views_tasks.sh (run it through that script).
# Prints measurements and ratios; asserts nothing about time.
. /oomdiag/tests/vm/lib.sh

N=${1:-2000}
PASSES=5
TMP=/tmp/views_bench.$$

load_oomdiag || bail "insmod failed"
# Past ~29,000 processes (their threads count too) forks fail with the
# defaults pid_max 32768 and a 4 GB guest's threads-max.
if [ "$N" -gt 20000 ]; then
	echo 4194304 >/proc/sys/kernel/pid_max
	echo $((N * 4)) >/proc/sys/kernel/threads-max
fi
: >"$TMP.spawn"
views_spawn "$N" 0 >"$TMP.spawn" &
spawner=$!
i=0
while [ $i -lt 600 ] && ! grep -q '^ready' "$TMP.spawn"; do
	sleep 0.5
	i=$((i + 1))
done
grep -q "^ready $N\$" "$TMP.spawn" || bail "spawned $(cat "$TMP.spawn") of $N"
sleep 1
nproc=$(ls -d /proc/[0-9]* | wc -l)

# Same run, same guest, same processes: the views (text and tasks.bin, each
# opened and read whole) against the /proc files a tool would read to rank them (oom_score for the rank, status for the rest).
# views_procscan does what a ranking tool does: list /proc, then open, read
# and parse oom_score and status of every process.
ours=$(views_readall -t $PASSES "$DBG/tasks")
bin=$(views_readall -t $PASSES "$DBG/tasks.bin")
theirs=$(views_procscan $PASSES)
ours_ns=$(echo "$ours" | sed -n 's/.*best_ns=//p')
bin_ns=$(echo "$bin" | sed -n 's/.*best_ns=//p')
theirs_ns=$(echo "$theirs" | sed -n 's/.*best_ns=\([0-9]*\).*/\1/p')
walk=$(head -n1 "$DBG/tasks" | tr ' ' '\n' | sed -n 's/^walk_ns=//p')
rcu=$(head -n1 "$DBG/tasks" | tr ' ' '\n' | sed -n 's/^rcu_max_ns=//p')
case $(cat /proc/cmdline) in
*oomdiag.clock=icount*) clock="icount: ns = instructions executed" ;;
*) clock="wall: TCG host time, noisy" ;;
esac
echo "# views benchmark, $(uname -r), clock $clock"
echo "tasks: $nproc processes, best of $PASSES passes"
echo "  read the tasks view:                      $ours_ns ns ($((ours_ns / nproc)) ns/process; RCU walk $walk ns, $((walk / nproc)) ns/process${rcu:+, longest RCU section $rcu ns})"
echo "  views_procscan (/proc/*/oom_score+status): $theirs_ns ns ($((theirs_ns / nproc)) ns/process; $theirs)"
echo "  read the tasks.bin view:                  $bin_ns ns ($((bin_ns / nproc)) ns/process)"
echo "  ratio /proc : tasks view = $((theirs_ns / ours_ns)).$(( (theirs_ns * 10 / ours_ns) % 10 ))x (text)"
echo "  ratio /proc : tasks.bin view = $((theirs_ns / bin_ns)).$(( (theirs_ns * 10 / bin_ns) % 10 ))x (goal >= 50x at 10,000)"

# buddyinfo: the longest zone->lock hold per free list against one read of
# /proc/pagetypeinfo (which walks the same lists the same way).
max=0
i=0
while [ $i -lt $PASSES ]; do
	m=$(head -n1 "$DBG/buddyinfo" | tr ' ' '\n' | sed -n 's/^max_lock_ns=//p')
	[ "$m" -gt "$max" ] && max=$m
	i=$((i + 1))
done
pti=$(views_readall -t $PASSES /proc/pagetypeinfo | sed -n 's/.*best_ns=//p')
bud=$(views_readall -t $PASSES "$DBG/buddyinfo" | sed -n 's/.*best_ns=//p')
[ "$max" -gt 0 ] || max=1
echo "buddyinfo: $(head -n1 "$DBG/buddyinfo" | sed 's/^# oomdiag buddyinfo v1 //')"
echo "  longest zone->lock hold per list (worst of $PASSES reads): $max ns (target <= 50000 ns)"
echo "  read /proc/pagetypeinfo:                 $pti ns"
echo "  read the buddyinfo view:                 $bud ns"
echo "  ratio pagetypeinfo read : longest hold = $((pti / max))x"

kill "$spawner"
wait "$spawner"
rm -f "$TMP".*
unload_oomdiag
