#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# oomdiag metrics: every line is valid Prometheus text exposition (HELP,
# TYPE, then samples of that family), and the numbers equal the kernel's:
# free blocks per zone/order (/proc/buddyinfo), CommitLimit and
# Committed_AS (/proc/meminfo), vm.overcommit_memory; with the module the
# event counters appear.
. /oomdiag/tests/vm/lib.sh

plan 9

check_format() {
	awk '
	/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* / { help[$3] = 1; next }
	/^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$/ {
		if (!($3 in help) || ($3 in type)) { bad++; print "# bad TYPE " $0 }
		type[$3] = 1; cur = $3; next }
	/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.e+-]+$/ {
		n = $1; sub(/\{.*/, "", n)
		if (n != cur) { bad++; print "# sample outside its family: " $0 }
		samples++; next }
	{ bad++; print "# bad line: " $0 }
	END { print "# samples " samples; exit bad > 0 || samples < 10 }
	'
}

oomdiag metrics --no-module >/tmp/m
ok $? "metrics --no-module exits 0"
check_format </tmp/m
ok $? "metrics --no-module is valid text exposition"

# free blocks equal /proc/buddyinfo: orders 0-4 within 64 blocks (every
# process start and exit moves them), 5 and up within 2 (the reading
# oomdiag process itself, alive while it reads, splits a block there on
# 5.10, as in cli_buddy); retried up to 10 times
i=0 match=1
while :; do
	k=$(tr -d ',' </proc/buddyinfo | awk '{ for (o = 5; o <= NF; o++) print "node=" $2 " zone=" $4 " order=" o - 5 " " $o }')
	oomdiag metrics --no-module >/tmp/m
	o=$(sed -n 's/^oomdiag_free_blocks{node="\([0-9]*\)",zone="\([A-Za-z0-9]*\)",order="\([0-9]*\)"} \([0-9]*\)$/node=\1 zone=\2 order=\3 \4/p' /tmp/m)
	echo "$k" >/tmp/k1
	echo "$o" >/tmp/o1
	if awk 'NR == FNR { a[FNR] = $0; n = FNR; next }
		{ split(a[FNR], x, " "); if (x[1] x[2] x[3] != $1 $2 $3) exit 1
		  d = x[4] - $4; if (d < 0) d = -d; sub("order=", "", x[3])
		  if ((x[3] < 5 && d > 64) || (x[3] >= 5 && d > 2)) exit 1 }
		END { if (FNR != n) exit 1 }' /tmp/k1 /tmp/o1; then
		match=0
		break
	fi
	[ $i -ge 10 ] && break
	i=$((i + 1))
done
[ $match -eq 0 ] && [ -n "$o" ]
ok $? "oomdiag_free_blocks equals /proc/buddyinfo ($i retries)"
[ $match -eq 0 ] || { diag "ours:"; diag "$o"; diag "kernel:"; diag "$k"; }

cl=$(awk '/^CommitLimit:/ { print $2 * 1024 }' /proc/meminfo)
is "$(sed -n 's/^oomdiag_commit_limit_bytes //p' /tmp/m)" "$cl" "commit limit equals CommitLimit"
is "$(sed -n 's/^oomdiag_overcommit_memory //p' /tmp/m)" "$(cat /proc/sys/vm/overcommit_memory)" \
	"overcommit mode equals vm.overcommit_memory"
ca=$(awk '/^Committed_AS:/ { print $2 * 1024 }' /proc/meminfo)
oca=$(sed -n 's/^oomdiag_committed_as_bytes //p' /tmp/m)
d=$(( (oca - ca) / 1024 ))
[ "${d#-}" -lt 4096 ]
ok $? "committed_as within 4 MB of Committed_AS ($oca vs $ca)"

load_oomdiag
ok $? "insmod oomdiag.ko"
oomdiag metrics >/tmp/m2
check_format </tmp/m2
ok $? "metrics with the module is valid text exposition"
if [ -e "$DBG/events" ]; then
	grep -q '^oomdiag_module_loaded 1$' /tmp/m2 &&
		grep -q '^oomdiag_events_in_ring{kind="oom_kill"}' /tmp/m2
	ok $? "with the module: module_loaded 1 and event counters by kind"
else
	skip "event counters by kind" "this oomdiag.ko has no events file"
fi
unload_oomdiag
done_testing
