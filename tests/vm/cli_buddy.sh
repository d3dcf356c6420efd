#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# oomdiag buddy and status against /proc/buddyinfo, /proc/zoneinfo and
# /proc/pagetypeinfo, without and with the module.  Free lists move when
# anything allocates: each comparison is retried, it must match once with
# the kernel file read right before and right after.
. /oomdiag/tests/vm/lib.sh

plan 12

# "Node N, zone NAME c0 c1 ..." from our JSON
ours_buddy() {
	oomdiag "$@" --json | sed 's/},{/}\n{/g' |
		sed -n 's/.*"node":\([0-9]*\),"name":"\([A-Za-z0-9]*\)".*"free_blocks":\[\([0-9,]*\)\].*/Node \1 zone \2 \3/p' |
		tr ',' ' '
}

kern_buddy() {
	tr -d ',' </proc/buddyinfo | awk '{ $1 = $1; print }'
}

# same A B: equal zone lines; orders 0-4 within 64 blocks (every process
# start and exit, ours and cat's, moves them; 5.10 keeps them moving),
# orders 5 and up within 2 (the reading oomdiag process itself, alive
# while it reads, splits a block there on 5.10; views_buddyinfo checks
# the module's own counts exactly)
same() {
	awk 'NR == FNR { a[FNR] = $0; n = FNR; next }
	{ if (!(FNR in a)) exit 1
	  split(a[FNR], x, " "); m = split($0, y, " ")
	  if (m != length(x)) exit 1
	  for (i = 1; i <= m; i++) {
		if (i <= 4) { if (x[i] != y[i]) exit 1; continue }
		d = x[i] - y[i]; if (d < 0) d = -d
		if ((i - 5 < 5 && d > 64) || (i - 5 >= 5 && d > 2)) exit 1 } }
	END { if (FNR != n) exit 1 }' "$1" "$2"
}

# match CMD...: ours equals the kernel's (before or after), within 10 tries
match() {
	i=0
	while [ $i -lt 10 ]; do
		kern_buddy >/tmp/k1
		ours_buddy "$@" >/tmp/o
		kern_buddy >/tmp/k2
		if [ -s /tmp/o ] && { same /tmp/o /tmp/k1 || same /tmp/o /tmp/k2; }; then
			return 0
		fi
		i=$((i + 1))
	done
	diag "ours:"; sed 's/^/#   /' /tmp/o
	diag "kernel:"; sed 's/^/#   /' /tmp/k2
	return 1
}

match buddy --no-module
ok $? "buddy --no-module free blocks equal /proc/buddyinfo (orders 0-4 within 64)"
match status --no-module
ok $? "status --no-module free blocks equal /proc/buddyinfo (orders 0-4 within 64)"

# watermarks: min/low/high kB of every populated zone equal /proc/zoneinfo
kwm=$(awk '$1 == "Node" { z = $4 } $1 == "min" && NF == 2 { mn = $2 } $1 == "low" && NF == 2 { lo = $2 }
	$1 == "high" && NF == 2 { hi = $2 } $1 == "managed" && NF == 2 && $2 > 0 { print z, mn * 4, lo * 4, hi * 4 }' /proc/zoneinfo)
owm=$(oomdiag buddy --no-module --json | sed 's/},{/}\n{/g' |
	sed -n 's/.*"name":"\([A-Za-z0-9]*\)".*"min_kb":\([0-9]*\),"low_kb":\([0-9]*\),"high_kb":\([0-9]*\),"managed_kb":\([1-9][0-9]*\).*/\1 \2 \3 \4/p')
is "$owm" "$kwm" "watermarks equal /proc/zoneinfo"

# per migratetype: Movable counts of each zone equal /proc/pagetypeinfo
# (same tolerance: orders 0-4 within 64 blocks, 5 and up exactly)
kmt_() { awk '/type +Movable/ { z = $4; sub(",", "", z); s = "x x x " z; for (i = 7; i <= NF; i++) s = s " " $i; print s }' /proc/pagetypeinfo | sort; }
omt_() { oomdiag buddy --no-module --json | sed 's/},{/}\n{/g' |
	sed -n 's/.*"name":"\([A-Za-z0-9]*\)".*"Movable":\[\([0-9,]*\)\].*/x x x \1 \2/p' | tr ',' ' ' | sort; }
i=0
while :; do
	kmt_ >/tmp/km
	omt_ >/tmp/om
	{ [ -s /tmp/om ] && same /tmp/om /tmp/km; } && break
	[ $i -ge 10 ] && break
	i=$((i + 1))
done
[ $i -lt 10 ]
ok $? "Movable free blocks equal /proc/pagetypeinfo (orders 0-4 within 64)"
[ $i -lt 10 ] || { diag "ours: $(cat /tmp/om)"; diag "kernel: $(cat /tmp/km)"; }

w=$(oomdiag buddy --no-module | awk '{ if (length($0) > 100) n++ } END { print n + 0 }')
is "$w" "0" "buddy output fits 100 columns"
w=$(oomdiag status --no-module | awk '{ if (length($0) > 100) n++ } END { print n + 0 }')
is "$w" "0" "status output fits 100 columns"
oomdiag status --no-module | grep -q "module not"
ok $? "status says the module is not used/loaded"
n=$(oomdiag buddy --no-module --watch 1 --count 2 | grep -c "^  change")
[ "$n" -ge 1 ]
ok $? "buddy --watch prints the change rows ($n)"

load_oomdiag
ok $? "insmod oomdiag.ko"
src=$(oomdiag buddy --json | sed -n 's/.*"source":"\([^"]*\)".*/\1/p')
is "$src" "module buddyinfo" "with the module buddy reads its buddyinfo view"
match buddy
ok $? "buddy (module) free blocks equal /proc/buddyinfo (orders 0-4 within 64)"
oomdiag status | grep -q "module loaded"
ok $? "status says the module is loaded"
unload_oomdiag
done_testing
