#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# oomdiag top against /proc/PID/oom_score: without the module (computed
# from /proc) and with it (the module's tasks view), the ranking and the
# predicted victim, with hogs of known size and oom_score_adj; then the
# real OOM killer's victim must be the predicted one.
. /oomdiag/tests/vm/lib.sh

plan 10
hog -m 24 -w >/dev/null 2>&1 &
H1=$!
hog -m 40 -w >/dev/null 2>&1 &
H2=$!
hog -m 8 -a 900 -w >/dev/null 2>&1 &
H3=$!
sleep 3

# PID SCORE pairs from --json, one per line
pairs() {
	oomdiag top "$@" -n 100000 --json | sed 's/},{/}\n{/g' |
		sed -n 's/.*"pid":\([0-9]*\),.*"oom_score":\([0-9-]*\),.*/\1 \2/p'
}

# compare against /proc/PID/oom_score now; all must match (retry: scores
# move as memory moves)
check() {
	tries=0
	while [ $tries -lt 5 ]; do
		bad=0
		total=0
		pairs "$@" >/tmp/pairs
		while read -r pid score; do
			[ -r /proc/$pid/oom_score ] || continue
			total=$((total + 1))
			k=$(cat /proc/$pid/oom_score 2>/dev/null) || continue
			[ "$k" = "$score" ] || { bad=$((bad + 1)); diag "pid $pid: ours $score kernel $k"; }
		done </tmp/pairs
		[ $bad -eq 0 ] && [ $total -gt 3 ] && return 0
		tries=$((tries + 1))
		sleep 1
	done
	return 1
}

src=$(oomdiag top --no-module --json | sed -n 's/.*"source":"\([^"]*\)".*/\1/p')
is "$src" "/proc/PID/{oom_score,status}" "without module the source is /proc"
check --no-module
ok $? "oom_score of every task equals /proc/PID/oom_score (no module)"
v=$(oomdiag top --no-module --json | sed -n 's/.*"next_victim":{"pid":\([0-9]*\).*/\1/p')
is "$v" "$H3" "predicted victim is the oom_score_adj 900 hog (no module)"
oomdiag top --no-module | grep -q "^Predicted next victim: hog (pid $H3)"
ok $? "human output names the victim"
w=$(oomdiag top --no-module | awk '{ if (length($0) > 100) n++ } END { print n + 0 }')
is "$w" "0" "human output fits 100 columns"

load_oomdiag
ok $? "insmod oomdiag.ko"
src=$(oomdiag top --json | sed -n 's/.*"source":"\([^"]*\)".*/\1/p')
is "$src" "module tasks" "with the module the source is its tasks view"
check
ok $? "module oom_score of every task equals /proc/PID/oom_score"
v=$(oomdiag top --json | sed -n 's/.*"next_victim":{"pid":\([0-9]*\).*/\1/p')
is "$v" "$H3" "predicted victim is the oom_score_adj 900 hog (module)"

# the kernel's own choice: let a big hog run into the OOM killer
dmesg -c >/dev/null
hog -s 8 >/dev/null 2>&1
killed=$(dmesg | sed -n 's/.*Killed process \([0-9]*\) .*/\1/p' | head -n1)
is "$killed" "$H3" "the OOM killer killed the predicted victim"
kill $H1 $H2 $H3 2>/dev/null
unload_oomdiag
done_testing
