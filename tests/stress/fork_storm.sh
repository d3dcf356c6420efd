#!/bin/sh
# vm-mem: 256M
# vm-timeout: 400
# Fork/exit storms (thousands of short-lived tasks, argument 1 = seconds,
# default 60) while two readers read `tasks` over and over.  On a slow
# kernel (KASAN and lockdep make a fork 15 times dearer) the storm goes on
# past that time until the kernel has counted 3,000 forks, for at most five
# times as long.  Every read must
# be a well-formed view: the "# oomdiag tasks v1" summary, the column line,
# and records with exactly as many fields as there are columns, pids that
# are numbers; then the module unloads cleanly.
. /oomdiag/tests/stress/stresslib.sh

secs=${1:-60}
plan 5
load_oomdiag || bail "insmod failed"
if [ ! -f "$DBG/tasks" ]; then
	for t in 1 2 3 4 5; do skip "tasks view" "no $DBG/tasks in this build"; done
	rmmod oomdiag
	done_testing
fi

# spawner ID: bursts of 20 subshells and 20 exec'd programs, reaped per burst.
spawner() {
	s=0
	while [ ! -e $STOP ]; do
		for j in 1 2 3 4 5 6 7 8 9 10; do
			(:) &
			/bin/true &
		done
		wait
		s=$((s + 20))
	done
	echo $s >/tmp/spawned.$1
}

# reader ID: read tasks, check its shape, count good and bad reads.
reader() {
	good=0 bad=0 maxrec=0
	while [ ! -e $STOP ]; do
		if ! cat "$DBG/tasks" >/tmp/tasks.$1 2>/tmp/tasks.err.$1; then
			bad=$((bad + 1))
			continue
		fi
		res=$(awk '
			NR == 1 { if ($0 !~ /^# oomdiag tasks v1( |$)/) { print "bad-summary"; exit } next }
			NR == 2 { if ($1 != "#") { print "bad-columns"; exit } ncol = NF - 1
				for (i = 2; i <= NF; i++) if ($i == "pid") pc = i - 1; next }
			{ if (NF != ncol) { print "bad-record:" NR ":" NF "/" ncol; exit }
			  if (pc && $pc !~ /^[0-9]+$/) { print "bad-pid:" NR; exit } n++ }
			END { if (NR < 2) print "short"; else print "ok " n + 0 }' /tmp/tasks.$1)
		case "$res" in
		ok*) good=$((good + 1)); r=${res#ok }; [ "$r" -gt "$maxrec" ] && maxrec=$r ;;
		*) bad=$((bad + 1)); [ $bad -le 3 ] && echo "# reader $1: $res" ;;
		esac
	done
	echo "$good $bad $maxrec" >/tmp/reads.$1
}

forks0=$(forks_total)
reader 1 &
reader 2 &
spawner 1 &
spawner 2 &
sleep "$secs"
elapsed=$secs
while [ $(($(forks_total) - forks0)) -lt 3000 ] &&
	[ $elapsed -lt $((secs * 5)) ]; do
	sleep 5
	elapsed=$((elapsed + 5))
done
touch $STOP
wait
forks=$(($(forks_total) - forks0))
spawned=$(cat /tmp/spawned.* | awk '{ s += $1 } END { print s + 0 }')
good=$(cat /tmp/reads.* | awk '{ s += $1 } END { print s + 0 }')
bad=$(cat /tmp/reads.* | awk '{ s += $2 } END { print s + 0 }')
maxrec=$(cat /tmp/reads.* | awk '$3 > m { m = $3 } END { print m + 0 }')

[ "$spawned" -ge 2000 ]
ok $? "storm spawned $spawned short-lived tasks in ${elapsed}s (kernel counted $forks forks)"
[ "$good" -gt 0 ]
ok $? "$good reads of tasks during the storm"
is "$bad" 0 "no malformed or failed read of tasks"
rmmod oomdiag
ok $? "rmmod after the storm"
[ ! -e "$DBG" ]
ok $? "debugfs directory gone"
figure duration_s "$elapsed"
figure tasks_spawned "$spawned"
figure forks "$forks"
figure tasks_reads "$good"
figure tasks_bad_reads "$bad"
figure tasks_max_records "$maxrec"
done_testing
