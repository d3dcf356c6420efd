#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# A real page allocation failure (GFP_NOWAIT order 10, from the
# oomdiag_test_alloc helper module) read back through `oomdiag explain`:
# task, gfp mask, order, zone free/min and the largest free block per zone
# match the kernel's own report in dmesg and the helper's result; the causes
# follow from those numbers (atomic context, costly order, and fragmentation
# exactly when a zone had free memory above min but no order-10 block); with
# the module's recorder loaded, its record has the same gfp and order.  Where
# the kernel's GFP_NOWAIT includes __GFP_NOWARN (6.12 and newer here) no report
# is printed: explain must then find none.
. /oomdiag/tests/vm/lib.sh

ko=/oomdiag/kmod/oomdiag_test_alloc.ko
if [ ! -r "$ko" ]; then
	plan 1
	skip "page allocation failure through explain" "no $ko built for $(uname -r)"
	done_testing
fi
plan 14

jget() {
	echo "$1" | sed -n "s/$2.*/\\1/p" | head -n1
}
report_of() {
	sed 's/{"kind":/\n&/g' "$1" | grep "^{\"kind\":\"$2\"" | head -n1
}
# highest order with a free block in a dmesg buddy line "Node 0 ZONE: 1*4kB (U) ..."
buddy_highest() {
	echo "$1" | awk '{ o = 0; h = -1
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\*[0-9]+kB$/) {
			split($i, a, "*"); if (a[1] + 0 > 0) h = o; o++ }
		print h }'
}

mod=0
if load_oomdiag 2>/dev/null; then
	mod=1
	[ -w "$DBG/armed" ] && echo 1 >"$DBG/armed"
fi
insmod "$ko"
ok $? "insmod oomdiag_test_alloc"
echo 'nowait 10' >/sys/kernel/debug/oomdiag_test/alloc
res=$(cat /sys/kernel/debug/oomdiag_test/result)
diag "helper: $res"
echo "$res" | grep -q 'failed=1'
ok $? "one GFP_NOWAIT order-10 allocation failed"
sleep 1
dmesg >/tmp/dmesg.txt
pa=$(grep 'page allocation failure' /tmp/dmesg.txt | head -n1)
diag "dmesg: $pa"
if [ -z "$pa" ]; then
	# Newer kernels (6.12 here) define GFP_NOWAIT with __GFP_NOWARN: the
	# failure leaves no report, and explain must not invent one.
	oomdiag explain --json /tmp/dmesg.txt >/tmp/ex.json
	ok $? "oomdiag explain --json FILE exits 0"
	! grep -q '"kind":"page_alloc_failure"' /tmp/ex.json
	ok $? "no report in dmesg (gfp $(echo "$res" | sed -n 's/.* gfp=\(0x[0-9a-f]*\).*/\1/p')), none found"
	if [ $mod -eq 1 ] && grep ' order=10' "$DBG/events" 2>/dev/null | grep -q 'flags=[a-z|]*nowarn'; then
		ok 0 "the module recorded the failure as __GFP_NOWARN (silent)"
	else
		skip "the failure was __GFP_NOWARN" "no module record to confirm"
	fi
	for t in task gfp order zones atomic costly fragmentation live module; do
		skip "$t comparison" "this kernel's GFP_NOWAIT includes __GFP_NOWARN: no report printed"
	done
	rmmod oomdiag_test_alloc
	[ $mod -eq 1 ] && unload_oomdiag
	done_testing
fi
d_comm=$(echo "$pa" | sed -n 's/^\[[^]]*\] \(.*\): page allocation failure.*/\1/p')
d_gfp=$(echo "$pa" | sed -n 's/.*mode:\(0x[0-9a-f]*\).*/\1/p')
d_order=$(echo "$pa" | sed -n 's/.*order:\([0-9]*\),.*/\1/p')
h_gfp=$(echo "$res" | sed -n 's/.* gfp=\(0x[0-9a-f]*\).*/\1/p')

oomdiag explain --json /tmp/dmesg.txt >/tmp/ex.json
ok $? "oomdiag explain --json FILE exits 0"
rep=$(report_of /tmp/ex.json page_alloc_failure)
[ -n "$rep" ]
ok $? "a page_alloc_failure report found"
is "$(jget "$rep" '.*"task":{"comm":"\([^"]*\)"')" "$d_comm" "task = dmesg"
is "$(jget "$rep" '.*"gfp":{"mask":"\(0x[0-9a-f]*\)"')" "$d_gfp" "gfp mask = dmesg mode"
is "$(jget "$rep" '.*"gfp":{"mask":"\(0x[0-9a-f]*\)"')" "$h_gfp" "gfp mask = the helper's gfp"
is "$(jget "$rep" '.*,"order":\(-*[0-9]*\),')" "$d_order" "order = dmesg order"

# zones: free, min and the largest free block, for every zone in the report
# ("Node 0 DMA32 free:..."; without CONFIG_NUMA, as on the debug kernel,
# show_mem() prints no "Node N" prefix)
zbad=0
frag=0
nz=0
for z in DMA DMA32 Normal; do
	zl=$(sed -n '/page allocation failure/,$p' /tmp/dmesg.txt | grep -E "\] (Node 0 )?$z free:" | head -n1)
	[ -n "$zl" ] || continue
	nz=$((nz + 1))
	bl=$(sed -n '/page allocation failure/,$p' /tmp/dmesg.txt | grep -E "\] (Node 0 )?$z: " | head -n1)
	free=$(echo "$zl" | sed -n 's/.* free:\([0-9]*\)kB.*/\1/p')
	min=$(echo "$zl" | sed -n 's/.* min:\([0-9]*\)kB.*/\1/p')
	high=$(buddy_highest "$bl")
	j=$(jget "$rep" ".*\"name\":\"$z\",\\(\"free_kb\":[0-9]*,\"min_kb\":[0-9]*\\),")
	jh=$(echo "$rep" | sed -n "s/.*\"name\":\"$z\",[^}]*\"highest_free_order\":\\(-*[0-9]*\\),.*/\\1/p")
	diag "$z: dmesg free=$free min=$min highest=$high; explain $j highest=$jh"
	[ "$j" = "\"free_kb\":$free,\"min_kb\":$min" ] && [ "$jh" = "$high" ] || zbad=1
	[ "$free" -gt $((min + 4096)) ] && [ "$high" -lt 10 ] && frag=1
done
[ $nz -gt 0 ] || zbad=1
ok $zbad "zones: free, min and largest free block = dmesg zone and buddy lines ($nz zones)"

echo "$rep" | grep -q '"id":"atomic_context"'
ok $? "cause atomic_context (GFP_NOWAIT cannot reclaim)"
echo "$rep" | grep -q '"id":"costly_order"'
ok $? "cause costly_order (order 10)"
echo "$rep" | grep -q '"id":"fragmentation"'
f=$?
if [ $frag -eq 1 ]; then
	ok $f "cause fragmentation (free above min, no order-10 block)"
else
	[ $f -ne 0 ]
	ok $? "no fragmentation cause (no zone had memory above min + 4 MB)"
fi

oomdiag explain >/tmp/live.txt
grep -q "order 10 (4096 kB), gfp $d_gfp" /tmp/live.txt
ok $? "live log (/dev/kmsg): the same failure, order 10, gfp $d_gfp"

if [ $mod -eq 1 ] && [ -r "$DBG/events" ] && grep -q ' order=10' "$DBG/events"; then
	ev=$(grep -E 'kind=(alloc_fail|warn_alloc) ' "$DBG/events" | grep ' order=10' | head -n1)
	diag "module: $ev"
	m_gfp=$(echo "$ev" | sed -n 's/.* gfp=\(0x[0-9a-f]*\).*/\1/p')
	[ "$m_gfp" = "$d_gfp" ]
	ok $? "module record: gfp $m_gfp order 10 = explain"
else
	skip "module record = explain" "no order=10 record in $DBG/events"
fi
rmmod oomdiag_test_alloc
[ $mod -eq 1 ] && unload_oomdiag
done_testing
