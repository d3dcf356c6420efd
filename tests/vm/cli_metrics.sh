#!/bin/sh
# vm-mem: 384M
# vm-timeout: 240
# vm-bin: promtool
# oomdiag metrics (issue 18 item 3): the guest's real output, without and
# with the module, passes `promtool check metrics` (the host's promtool,
# copied in by vm-run's "vm-bin"; parser and naming linter), and the
# numbers equal the kernel's: free blocks per zone/order (/proc/buddyinfo),
# watermarks in bytes (/proc/zoneinfo min x page size), CommitLimit and
# Committed_AS (/proc/meminfo, bytes), vm.overcommit_memory, and after one
# memcg OOM kill provoked here the kill counters (/proc/vmstat oom_kill,
# the cgroup's memory.events.local oom_kill, the module's record);
# --openmetrics ends with # EOF and types counters without _total.
# (The host-side unit test tests/unit/metrics_promtool.sh runs the strict
# OpenMetrics parser on a canned state; the guest has no python.)
. /oomdiag/tests/vm/lib.sh

plan 15
page=$(getconf PAGESIZE 2>/dev/null || echo 4096)

promcheck() {
	if ! command -v promtool >/dev/null; then
		diag "promtool not in the guest: install the prometheus package on the host" \
			"(scripts/install-deps.sh); vm-run copies it in"
		return 1
	fi
	promtool check metrics <"$1" >/tmp/lint 2>&1
	r=$?
	sed 's/^/# promtool: /' /tmp/lint
	return $r
}

oomdiag metrics --no-module >/tmp/m
ok $? "metrics --no-module exits 0"
promcheck /tmp/m
ok $? "metrics --no-module passes promtool check metrics"

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

# watermarks do not move (no boost in an idle guest): min x page size
awk '$1 == "Node" { n = $2 + 0; z = $4 } $1 == "min" && z != "" { print n, z, $2 * '"$page"'; z = "" }' \
	/proc/zoneinfo >/tmp/zk
sed -n 's/^oomdiag_zone_watermark_bytes{node="\([0-9]*\)",zone="\([A-Za-z0-9]*\)",level="min"} \([0-9]*\)$/\1 \2 \3/p' \
	/tmp/m >/tmp/zo
[ -s /tmp/zo ] && awk 'NR == FNR { k[$0] = 1; next } !($0 in k) { bad++; print "# not in zoneinfo: " $0 }
	END { exit bad > 0 }' /tmp/zk /tmp/zo
ok $? "oomdiag_zone_watermark_bytes level=min = /proc/zoneinfo min x $page ($(wc -l </tmp/zo) zones)"
[ -s /tmp/zo ] || sed "s/^/# zoneinfo: /" /tmp/zk

cl=$(awk '/^CommitLimit:/ { print $2 * 1024 }' /proc/meminfo)
is "$(sed -n 's/^oomdiag_commit_limit_bytes //p' /tmp/m)" "$cl" "commit limit bytes = CommitLimit x 1024"
is "$(sed -n 's/^oomdiag_overcommit_mode //p' /tmp/m)" "$(cat /proc/sys/vm/overcommit_memory)" \
	"overcommit mode = vm.overcommit_memory"
ca=$(awk '/^Committed_AS:/ { print $2 * 1024 }' /proc/meminfo)
oca=$(sed -n 's/^oomdiag_committed_as_bytes //p' /tmp/m)
d=$(( (${oca:-0} - ca) / 1024 ))
[ -n "$oca" ] && [ "${d#-}" -lt 4096 ]
ok $? "committed_as bytes within 4 MB of Committed_AS ($oca vs $ca)"

load_oomdiag
ok $? "insmod oomdiag.ko"
# one memcg OOM kill
CG=/sys/fs/cgroup
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/mt
echo 16M >$CG/mt/memory.max
sh -c "echo \$\$ >$CG/mt/cgroup.procs && exec hog" >/dev/null 2>&1
sleep 1
oomdiag metrics >/tmp/m2
promcheck /tmp/m2
ok $? "metrics with the module and a kill passes promtool check metrics"
vk=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
is "$(sed -n 's/^oomdiag_kernel_oom_kills_total //p' /tmp/m2)" "$vk" \
	"oomdiag_kernel_oom_kills_total = /proc/vmstat oom_kill ($vk)"
ck=$(awk '$1 == "oom_kill" { print $2 }' $CG/mt/memory.events.local 2>/dev/null ||
	awk '$1 == "oom_kill" { print $2 }' $CG/mt/memory.events)
is "$(sed -n 's/^oomdiag_cgroup_oom_kills_total{cgroup="\/mt",.*} //p' /tmp/m2)" "$ck" \
	"oomdiag_cgroup_oom_kills_total{cgroup=/mt} = memory.events.local oom_kill ($ck)"
if [ -e "$DBG/events" ]; then
	is "$(sed -n 's/^oomdiag_oom_kills_recorded_total //p' /tmp/m2)" "$ck" \
		"oomdiag_oom_kills_recorded_total = the kernel's kills since insmod"
	rec=$(sed -n '1s/.* records=\([0-9]*\) .*/\1/p' "$DBG/events")
	grep -q '^# TYPE oomdiag_ring_records gauge$' /tmp/m2 &&
		grep -q "^oomdiag_ring_records $rec\$" /tmp/m2
	ok $? "oomdiag_ring_records is a gauge equal to the events file's records=$rec"
else
	skip "kills recorded" "this oomdiag.ko has no events file"
	skip "ring records" "this oomdiag.ko has no events file"
fi
oomdiag metrics --openmetrics >/tmp/om
[ "$(tail -n1 /tmp/om)" = "# EOF" ] && grep -q '^# TYPE oomdiag_kernel_oom_kills counter$' /tmp/om &&
	grep -q '^oomdiag_kernel_oom_kills_total ' /tmp/om && grep -q '^# UNIT oomdiag_zone_free_bytes bytes$' /tmp/om
ok $? "--openmetrics: # EOF, counter family without _total, samples with it, # UNIT"
unload_oomdiag
ok $? "rmmod"
done_testing
