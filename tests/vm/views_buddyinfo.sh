#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# buddyinfo against the kernel's own files, read back to back by one
# process (views_readall) on a quiet guest: free blocks per order against
# /proc/buddyinfo, per migratetype against /proc/pagetypeinfo, watermarks
# and managed pages against /proc/zoneinfo, unusable/fragmentation index
# against debugfs extfrag/.  Free lists move whenever anything allocates,
# so a comparison is retried a few times; it must match exactly once.
# views_buddyinfo_numa.sh runs this on a guest of several GB in two NUMA
# nodes (BUDDY_NUMA=2): then every node's zones are compared, and
# oomdiag buddy (module) against /proc/buddyinfo for both nodes too.
. /oomdiag/tests/vm/lib.sh

TRIES=5
TMP=/tmp/views_buddyinfo.$$

BUDDY_NUMA=${BUDDY_NUMA:-}
if [ -n "$BUDDY_NUMA" ]; then plan 12; else plan 9; fi
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"

# normalize: one "KIND|line" per fact, O for ours, K for the kernel's.
normalize() {
	awk '
	/^==> / { sec = $2; next }
	sec ~ /oomdiag\/buddyinfo$/ {
		if ($0 ~ /^# oomdiag buddyinfo/) { for (i = 1; i <= NF; i++) if ($i ~ /^capped_lists=/) { split($i, c, "="); print "CAPPED|" c[2] }; next }
		if ($0 ~ /^# node /) { for (i = 2; i <= NF; i++) col[$i] = i - 1; next }
		z = "Node " $col["node"] ", zone " $col["zone"]
		s = $col["free_blocks"]; gsub(",", " ", s); print "O|B|" z " " s
		s = $col["unusable_index"]; gsub(",", " ", s); print "O|U|" z " " s
		s = $col["frag_index"]; gsub(",", " ", s); print "O|F|" z " " s
		print "O|W|" z " min " $col["min_pages"] " low " $col["low_pages"] " high " $col["high_pages"] " managed " $col["managed_pages"]
		print "O|BOOST|" z " " $col["boost_pages"]
		for (name in col) if (name ~ /^free_[A-Z]/) {
			s = $col[name]; gsub(",", " ", s); t = name; sub("^free_", "", t)
			print "O|P|" z ", type " t " " s
		}
		next
	}
	sec == "/proc/buddyinfo" { $1 = $1; print "K|B|" $0; next }
	sec == "/proc/pagetypeinfo" && /^Node.*type/ { $1 = $1; gsub(">", ""); print "K|P|" $0; next }
	sec ~ /unusable_index$/ { $1 = $1; print "K|U|" $0; next }
	sec ~ /extfrag_index$/ { $1 = $1; print "K|F|" $0; next }
	sec == "/proc/zoneinfo" {
		if ($1 == "Node") { if (z != "") flush(); z = "Node " $2 " zone " $4; sub(",", "", z); sub(" zone", ", zone", z); delete v; next }
		if ($1 == "pages" && $2 == "free") next
		if ($1 ~ /^(min|low|high|managed|boost)$/ && NF == 2) v[$1] = $2
		next
	}
	function flush() {
		if (("min" in v) && v["managed"] > 0) {
			print "K|W|" z " min " v["min"] " low " v["low"] " high " v["high"] " managed " v["managed"]
			if ("boost" in v) print "K|BOOST|" z " " v["boost"]
		}
	}
	END { if (z != "") flush() }
	'
}

# compare KIND: ours and the kernel's lines of that kind, sorted, equal?
compare() {
	grep "^O|$1|" "$TMP.n" | cut -d'|' -f3- | sort >"$TMP.o"
	grep "^K|$1|" "$TMP.n" | cut -d'|' -f3- | sort >"$TMP.k"
	[ -s "$TMP.o" ] && cmp -s "$TMP.o" "$TMP.k"
}

files="$DBG/buddyinfo /proc/buddyinfo /proc/pagetypeinfo /proc/zoneinfo"
have_extfrag=0
if [ -r /sys/kernel/debug/extfrag/unusable_index ]; then
	files="$files /sys/kernel/debug/extfrag/unusable_index /sys/kernel/debug/extfrag/extfrag_index"
	have_extfrag=1
fi

for kind in B P W U F; do
	eval "match_$kind=0"
done
try=1
while [ $try -le $TRIES ]; do
	sync
	# shellcheck disable=SC2086
	views_readall $files | normalize >"$TMP.n"
	all=1
	for kind in B P W U F; do
		if compare $kind; then eval "match_$kind=1"; else all=0; fi
	done
	[ $all -eq 1 ] && break
	diag "try $try: some comparison differed, retrying"
	try=$((try + 1))
done
[ $try -gt $TRIES ] && try=$TRIES

ok $((1 - match_B)) "free blocks per order equal /proc/buddyinfo"
if [ $match_B -eq 0 ]; then compare B; diff "$TMP.o" "$TMP.k" | sed 's/^/# /'; fi
ok $((1 - match_P)) "free blocks per migratetype and order equal /proc/pagetypeinfo"
if [ $match_P -eq 0 ]; then compare P; diff "$TMP.o" "$TMP.k" | sed 's/^/# /'; fi
ok $((1 - match_W)) "min/low/high watermarks and managed pages equal /proc/zoneinfo"
if [ $match_W -eq 0 ]; then compare W; diff "$TMP.o" "$TMP.k" | sed 's/^/# /'; fi
if grep -q '^K|BOOST|' "$TMP.n"; then
	compare BOOST
	ok $? "watermark boost equals /proc/zoneinfo"
else
	skip "watermark boost equals /proc/zoneinfo" "this kernel's zoneinfo has no boost line"
fi
if [ $have_extfrag -eq 1 ]; then
	ok $((1 - match_U)) "unusable free index equals debugfs extfrag/unusable_index"
	ok $((1 - match_F)) "fragmentation index equals debugfs extfrag/extfrag_index"
else
	skip "unusable free index equals debugfs extfrag/unusable_index" "no extfrag in debugfs"
	skip "fragmentation index equals debugfs extfrag/extfrag_index" "no extfrag in debugfs"
fi
is "$(grep '^CAPPED|' "$TMP.n" | cut -d'|' -f2)" "0" "no free list hit the walk cap ($(free -m | awk '/^Mem:/ { print $2 }') MB guest)"

# The header names every migratetype this kernel has, in pagetypeinfo order.
theirs=$(awk '/^Node +0, zone/ && /type/ { print $6 }' /proc/pagetypeinfo | awk '!s[$0]++' | tr '\n' ',' | sed 's/,$//')
ours=$(head -n1 "$DBG/buddyinfo" | tr ' ' '\n' | sed -n 's/^migratetypes=//p')
is "$ours" "$theirs" "migratetype names equal the kernel's"
diag "matched on try $try; $(head -n1 $DBG/buddyinfo)"

if [ -n "$BUDDY_NUMA" ]; then
	# Every node of the guest has zones in /proc/buddyinfo, and ours lists
	# the same node/zone pairs (the comparisons above are per line).
	kz=$(awk '{ print $2, $4 }' /proc/buddyinfo | tr -d , | sort | tr '\n' ' ')
	oz=$(awk '!/^#/ { print $1, $2 }' "$DBG/buddyinfo" | sort | tr '\n' ' ')
	kn=$(awk '{ print $2 }' /proc/buddyinfo | tr -d , | sort -u | tr '\n' ' ')
	is "$kn" "$(seq 0 $((BUDDY_NUMA - 1)) | tr '\n' ' ')" "/proc/buddyinfo has zones on each of the $BUDDY_NUMA nodes"
	is "$oz" "$kz" "the view has the same node/zone pairs ($kz)"
	# oomdiag buddy through the module: free blocks of every zone of both
	# nodes equal /proc/buddyinfo read before or after it (orders 0-4
	# within 64 blocks, 5 and up within 2: the oomdiag process itself
	# allocates while it runs; the exact match is the view's, above).
	bud() { oomdiag buddy --json | sed 's/},{/}\n{/g' |
		sed -n 's/.*"node":\([0-9]*\),"name":"\([A-Za-z0-9]*\)".*"free_blocks":\[\([0-9,]*\)\].*/Node \1 zone \2 \3/p' | tr ',' ' '; }
	kbud() { tr -d ',' </proc/buddyinfo | awk '{ $1 = $1; print }'; }
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
	i=0
	while [ $i -lt 10 ]; do
		kbud >"$TMP.k1"; bud >"$TMP.ob"; kbud >"$TMP.k2"
		[ -s "$TMP.ob" ] && { same "$TMP.ob" "$TMP.k1" || same "$TMP.ob" "$TMP.k2"; } && break
		i=$((i + 1))
	done
	[ $i -lt 10 ]
	ok $? "oomdiag buddy free blocks equal /proc/buddyinfo on both nodes ($(wc -l <"$TMP.ob") zones)"
	[ $i -lt 10 ] || { diag "ours:"; sed 's/^/#   /' "$TMP.ob"; diag "kernel:"; sed 's/^/#   /' "$TMP.k2"; }
fi
rm -f "$TMP".*
unload_oomdiag
done_testing
