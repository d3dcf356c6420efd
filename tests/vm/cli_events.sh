#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# oomdiag events against dmesg: after a real OOM kill, the oom_kill event
# (JSON and human) names the victim dmesg's "Killed process PID (COMM)"
# names, with the gfp mask and names of dmesg's "gfp_mask=0x...(...)"; the
# zone snapshot has every zone /proc/buddyinfo lists; --kind filters.
. /oomdiag/tests/vm/lib.sh

plan 8
load_oomdiag
ok $? "insmod oomdiag.ko"
[ -e "$DBG/events" ] || bail "this oomdiag.ko has no events file"
dmesg -c >/dev/null
hog -s 8 >/dev/null 2>&1
sleep 1
kpid=$(dmesg | sed -n 's/.*Killed process \([0-9]*\) (\([^)]*\)).*/\1/p' | head -n1)
kcomm=$(dmesg | sed -n 's/.*Killed process \([0-9]*\) (\([^)]*\)).*/\2/p' | head -n1)
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
m=$(echo "$line" | sed -n 's/.*"gfp":{"mask":"\(0x[0-9a-f]*\)","flags":\[\([^]]*\)\]}.*/\1 \2/p' |
	sed 's/"//g; s/,/|/g')
is "$m" "$kgfp" "gfp mask and names as dmesg's gfp_mask"
zones=$(echo "$line" | sed 's/},{/}\n{/g' | sed -n 's/.*"name":"\([A-Za-z0-9]*\)","free_kb".*/\1/p' | sort | tr '\n' ' ')
kz=$(awk '{ sub(",", "", $4); print $4 }' /proc/buddyinfo | sort | tr '\n' ' ')
is "$zones" "$kz" "zone snapshot lists the zones of /proc/buddyinfo"
oomdiag events --kind oom_kill | grep -q "oom_kill .* killed $kcomm pid $kpid"
ok $? "human output names the victim"
w=$(oomdiag events | awk '{ if (length($0) > 100) n++ } END { print n + 0 }')
is "$w" 0 "human output fits 100 columns"
other=$(oomdiag events --json --kind vm_refused | grep -c .)
is "$other" 0 "--kind vm_refused shows no oom_kill records"
unload_oomdiag
done_testing
