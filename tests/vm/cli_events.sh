#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# oomdiag events against dmesg: after a real OOM kill, the oom_kill event
# (JSON and human) names the victim dmesg's "Killed process PID (COMM)"
# names, with the gfp mask and names of dmesg's "gfp_mask=0x...(...)"; the
# zone snapshot has every zone /proc/buddyinfo lists; --kind filters.
# `oomdiag status` says why, one line for the kill: the task dmesg says
# invoked the OOM killer, and the cause ids `events --explain` gives the
# same record (human and --json recent_causes).  `events --records`, the
# userspace writer of the record format, gives the module's own text back.
. /oomdiag/tests/vm/lib.sh

plan 16
load_oomdiag
ok $? "insmod oomdiag.ko"
[ -e "$DBG/events" ] || bail "this oomdiag.ko has no events file"
dmesg -c >/dev/null
hog -s 8 >/dev/null 2>&1
sleep 1
kpid=$(dmesg | sed -n 's/.*Killed process \([0-9]*\) (\([^)]*\)).*/\1/p' | head -n1)
kcomm=$(dmesg | sed -n 's/.*Killed process \([0-9]*\) (\([^)]*\)).*/\2/p' | head -n1)
kinv=$(dmesg | sed -n 's/.*\] \(.*\) invoked oom-killer: .*/\1/p' | head -n1)
kgfp=$(dmesg | sed -n 's/.*invoked oom-killer: gfp_mask=\(0x[0-9a-f]*\)(\([^)]*\)).*/\1 \2/p' | head -n1)
diag "dmesg: killed $kpid ($kcomm), gfp $kgfp"

oomdiag events --json --kind oom_kill >/tmp/ev
n=$(grep -c . /tmp/ev)
[ "$n" -ge 1 ]
ok $? "events --json --kind oom_kill: $n line(s)"
line=$(head -n1 /tmp/ev)
vp=$(echo "$line" | sed -n 's/.*"victim":{"pid":\([0-9]*\),"comm":"\([^"]*\)".*/\1/p')
vc=$(echo "$line" | sed -n 's/.*"victim":{"pid":\([0-9]*\),"comm":"\([^"]*\)".*/\2/p')
is "$vp $vc" "$kpid $kcomm" "victim pid and comm as dmesg's Killed process"
# the real OOM kill's objects, module and dmesg, against the one schema (docs/event-schema.md)
event_schema_check /oomdiag/tests/unit/event-schema.md event /tmp/ev >/tmp/schema.out 2>&1
r=$?; sed 's/^# /# /' /tmp/schema.out | head -n 8
ok $r "schema: events --json of the oom_kill ($(tail -n1 /tmp/schema.out | sed 's/^# //'))"
dmesg | oomdiag explain --json >/tmp/ex.json
event_schema_check /oomdiag/tests/unit/event-schema.md explain /tmp/ex.json >/tmp/schema.out 2>&1
r=$?; head -n 8 /tmp/schema.out
ok $r "schema: explain --json of its dmesg report ($(tail -n1 /tmp/schema.out | sed 's/^# //'))"
m=$(echo "$line" | sed -n 's/.*"gfp":{"mask":"\(0x[0-9a-f]*\)","flags":\[\([^]]*\)\]}.*/\1 \2/p' |
	sed 's/"//g; s/,/|/g')
is "$m" "$kgfp" "gfp mask and names as dmesg's gfp_mask"
zones=$(echo "$line" | sed 's/},{/}\n{/g' | sed -n 's/.*"name":"\([A-Za-z0-9]*\)","free_kb".*/\1/p' | sort | tr '\n' ' ')
kz=$(awk '{ sub(",", "", $4); print $4 }' /proc/buddyinfo | sort | tr '\n' ' ')
is "$zones" "$kz" "zone snapshot lists the zones of /proc/buddyinfo"
oomdiag events --kind oom_kill | grep -q "oom_kill .* killed $kcomm pid $kpid"
ok $? "human output names the victim"
# the victim's command line and parents from the module's kill ledger (hog -s 8, run by this sh)
is "$(echo "$line" | sed -n 's/.*"cmdline":\(\[[^]]*\]\),"cmdline_state":"\([a-z]*\)".*/\1 \2/p')" \
	'["hog","-s","8"] ok' "events --json: the victim's cmdline as it was started"
oomdiag events --kind oom_kill >/tmp/evh.txt
grep -q "^    command line: hog -s 8$" /tmp/evh.txt &&
	grep -q "^    parents: [^ ]* ($$)" /tmp/evh.txt
ok $? "events text: 'command line: hog -s 8', parents starting with this shell ($$)"
grep '^    command line\|^    parents' /tmp/evh.txt | sed 's/^/# /'
w=$(oomdiag events | awk '{ if (length($0) > 100) n++ } END { print n + 0 }')
is "$w" 0 "human output fits 100 columns"
other=$(oomdiag events --json --kind vm_refused | grep -c .)
is "$other" 0 "--kind vm_refused shows no oom_kill records"

# the one writer of the record format against the module's own text
grep -v '^#' "$DBG/events" >/tmp/mod.rec
oomdiag events --records >/tmp/our.rec 2>/dev/null
if cmp -s /tmp/mod.rec /tmp/our.rec; then
	ok 0 "events --records = the module's events file, byte for byte ($(grep -c '^seq=' /tmp/our.rec) records)"
else
	ok 1 "events --records = the module's events file, byte for byte"
	diff /tmp/mod.rec /tmp/our.rec | head -n 8 | while read -r l; do diag "$l"; done
fi

# status: why the recent failures, from the ring
seq=$(oomdiag events --json --kind oom_kill | head -n1 | sed -n 's/.*"seq":\([0-9]*\).*/\1/p')
# the causes under the first oom_kill event (the one of that seq)
ids=$(oomdiag events --explain --kind oom_kill | awk '
	/^[^ ]/ { on = (n++ == 0) }
	/^  causes$/ && on { c = 1; next } /^  [^ ]/ { c = 0 }
	c && on && /^    [a-z_]+:/ { sub(/:.*/, ""); sub(/^ +/, ""); printf "%s%s", sep, $0; sep = ", " }')
oomdiag status >/tmp/st
line=$(sed -n '/^Why the recent failures/,$p' /tmp/st | grep "^  seq $seq oom_kill ")
diag "status: $line"
echo "$line" | grep -q "^  seq $seq oom_kill $kinv pid [0-9]*: $ids"
ok $? "status: the kill (seq $seq), by $kinv as dmesg's 'invoked oom-killer', causes '$ids' as events --explain"
awk 'length($0) > 100' /tmp/st | while read -r l; do diag "wide: $l"; done
w=$(sed -n '/^Why the recent failures/,$p' /tmp/st | awk '{ if (length($0) > 100) n++ } END { print n + 0 }')
is "$w" 0 "status: the recent failures fit 100 columns"
jids=$(oomdiag status --json | tr -d '\n' | sed 's/.*"recent_causes":\[//' | sed 's/},{"seq"/}\n{"seq"/g' |
	grep "^{\"seq\":$seq,\"kind\":\"oom_kill\"" | grep -o '"id":"[a-z_]*"' | sed 's/"id":"\(.*\)"/\1/' |
	tr '\n' ',' | sed 's/,$//; s/,/, /g')
is "$jids" "$ids" "status --json: recent_causes has the kill with the same cause ids"
unload_oomdiag
done_testing
