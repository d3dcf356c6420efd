#!/bin/sh
# vm-mem: 256M
# vm-timeout: 240
# A real global OOM (tests/progs/hog) read back through `oomdiag explain`:
# the report's victim, anon rss, oom_score_adj, gfp mask, order, triggering
# task and zone numbers match the kernel's own lines in dmesg; the live log
# (/dev/kmsg) gives the same report as the saved text; the human output fits
# 100 columns without colour when piped; with the module's recorder loaded,
# its oom_kill record names the same victim, gfp and order.
. /oomdiag/tests/vm/lib.sh

plan 19

# jget JSON SED-PATTERN: the first capture of the pattern in the JSON text
jget() {
	echo "$1" | sed -n "s/$2.*/\\1/p" | head -n1
}
# the first report of KIND in a compact {"reports":[...]} document
report_of() {
	sed 's/{"kind":/\n&/g' "$1" | grep "^{\"kind\":\"$2\"" | head -n1
}

mod=0
if load_oomdiag 2>/dev/null; then
	mod=1
	[ -w "$DBG/armed" ] && echo 1 >"$DBG/armed"
fi
diag "module loaded: $mod"

hog -p >/tmp/hog.out 2>&1
st=$?
[ "$st" -ge 128 ]
ok $? "hog was OOM-killed (status $st, last: $(tail -n1 /tmp/hog.out))"
sleep 1
dmesg >/tmp/dmesg.txt

kill_line=$(grep 'Killed process' /tmp/dmesg.txt | head -n1)
inv_line=$(grep 'invoked oom-killer' /tmp/dmesg.txt | head -n1)
diag "dmesg: $inv_line"
diag "dmesg: $kill_line"
d_pid=$(echo "$kill_line" | sed -n 's/.*Killed process \([0-9]*\) .*/\1/p')
d_comm=$(echo "$kill_line" | sed -n 's/.*Killed process [0-9]* (\(.*\)) total-vm.*/\1/p')
d_anon=$(echo "$kill_line" | sed -n 's/.*anon-rss:\([0-9]*\)kB.*/\1/p')
d_adj=$(echo "$kill_line" | sed -n 's/.*oom_score_adj:\(-*[0-9]*\).*/\1/p')
d_gfp=$(echo "$inv_line" | sed -n 's/.*gfp_mask=\(0x[0-9a-f]*\).*/\1/p')
d_order=$(echo "$inv_line" | sed -n 's/.*, order=\(-*[0-9]*\),.*/\1/p')
d_task=$(echo "$inv_line" | sed -n 's/^\[[^]]*\] \(.*\) invoked oom-killer.*/\1/p')
d_cons=$(sed -n 's/.*oom-kill:constraint=CONSTRAINT_\([A-Z_]*\),.*/\1/p' /tmp/dmesg.txt | head -n1 |
	tr A-Z a-z)
d_dma32=$(sed -n '/invoked oom-killer/,$p' /tmp/dmesg.txt |
	sed -n 's/.*\] \(Node 0 \)\{0,1\}DMA32 free:\([0-9]*\)kB.* min:\([0-9]*\)kB.*/\2 \3/p' | head -n1)

oomdiag explain --json /tmp/dmesg.txt >/tmp/ex.json
ok $? "oomdiag explain --json FILE exits 0"
rep=$(report_of /tmp/ex.json global_oom)
[ -n "$rep" ]
ok $? "a global_oom report found"
is "$(jget "$rep" '.*"victim":{"pid":\([0-9]*\),')" "$d_pid" "victim pid = dmesg Killed process"
is "$(jget "$rep" '.*"victim":{"pid":[0-9]*,"comm":"\([^"]*\)"')" "$d_comm" "victim comm = dmesg"
is "$(jget "$rep" '.*"anon_rss_kb":\([0-9]*\),')" "$d_anon" "victim anon rss = dmesg anon-rss"
is "$(jget "$rep" '.*"victim":{[^}]*"oom_score_adj":\(-*[0-9]*\),')" "$d_adj" \
	"victim oom_score_adj = dmesg"
is "$(jget "$rep" '.*"gfp":{"mask":"\(0x[0-9a-f]*\)"')" "$d_gfp" "gfp mask = dmesg gfp_mask"
is "$(jget "$rep" '.*,"order":\(-*[0-9]*\),')" "$d_order" "order = dmesg order"
is "$(jget "$rep" '.*"task":{"comm":"\([^"]*\)"')" "$d_task" "allocating task = dmesg"
is "$(jget "$rep" '.*"constraint":"\([a-z_]*\)"')" "$d_cons" "constraint = dmesg oom-kill line"
is "$(jget "$rep" '.*"name":"DMA32","free_kb":\([0-9]*\),"min_kb":\([0-9]*\),') \
$(jget "$rep" '.*"name":"DMA32","free_kb":[0-9]*,"min_kb":\([0-9]*\),')" "$d_dma32" \
	"DMA32 free and min = dmesg zone line"
echo "$rep" | grep -q '"id":"memory_exhausted"'
ok $? "cause memory_exhausted named"

# the live kernel log gives the same victim
oomdiag explain --json >/tmp/live.json
ok $? "oomdiag explain (live /dev/kmsg) exits 0"
live=$(report_of /tmp/live.json global_oom)
is "$(jget "$live" '.*"victim":{"pid":\([0-9]*\),')" "$d_pid" "live log: same victim pid"
# Mem-Info is one multi-line record in /dev/kmsg ("\x0a" inside): same counters
m_file=$(jget "$rep" '.*"meminfo":{"free_kb":\([0-9]*\),"free_cma_kb":[0-9]*,"active_anon_kb":\([0-9]*\),')
m_live=$(jget "$live" '.*"meminfo":{"free_kb":\([0-9]*\),"free_cma_kb":[0-9]*,"active_anon_kb":\([0-9]*\),')
[ -n "$m_file" ] && [ "$m_file" = "$m_live" ]
ok $? "live log: same Mem-Info counters as dmesg text (free_kb $m_file)"

# human output: victim line, width, no colour when piped
oomdiag explain /tmp/dmesg.txt >/tmp/ex.txt
grep -q "victim  *$d_comm (pid $d_pid)" /tmp/ex.txt
ok $? "human output names the victim"
wide=$(awk 'length($0) > 100' /tmp/ex.txt | wc -l)
esc=$(printf '\033')
grep -q "$esc" /tmp/ex.txt
nocolour=$?
[ "$wide" -eq 0 ] && [ "$nocolour" -ne 0 ]
ok $? "human output fits 100 columns ($wide wider) and has no colour when piped"

# the module's own record of the kill
if [ $mod -eq 1 ] && [ -r "$DBG/events" ] && grep -q 'kind=oom_kill' "$DBG/events"; then
	ev=$(grep 'kind=oom_kill' "$DBG/events" | head -n1)
	diag "module: $ev"
	m_pid=$(echo "$ev" | sed -n 's/.* victim_pid=\([0-9]*\).*/\1/p')
	m_gfp=$(echo "$ev" | sed -n 's/.* gfp=\(0x[0-9a-f]*\).*/\1/p')
	m_order=$(echo "$ev" | sed -n 's/.* order=\(-*[0-9]*\).*/\1/p')
	[ "$m_pid" = "$(jget "$rep" '.*"victim":{"pid":\([0-9]*\),')" ] &&
	[ "$m_gfp" = "$(jget "$rep" '.*"gfp":{"mask":"\(0x[0-9a-f]*\)"')" ] &&
	[ "$m_order" = "$(jget "$rep" '.*,"order":\(-*[0-9]*\),')" ]
	ok $? "module oom_kill record: victim $m_pid, gfp $m_gfp, order $m_order = explain"
else
	skip "module oom_kill record = explain" "no oom_kill record in $DBG/events"
fi
[ $mod -eq 1 ] && unload_oomdiag
done_testing
