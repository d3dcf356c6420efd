#!/bin/bash
# oomdiag metrics against Prometheus' own checkers (issue 18 item 3): the
# output for a canned module state (a fake debugfs directory, files as the
# module prints them, OOMDIAG_DEBUGFS) and for this host's /proc passes
# `promtool check metrics` (Debian package prometheus: parser plus the
# naming linter: HELP on every family, _total on counters); --openmetrics
# passes the strict OpenMetrics parser of prometheus_client
# (python3-prometheus-client) and ends with "# EOF"; the conventions
# promtool does not check: no _pages/_kb names, _total on counters only,
# the ring's current record count a gauge, ratios 0..1; values in bytes
# equal pages x page size of the canned files; a cgroup path with a quote
# and a backslash is escaped in its label.  Both checkers are installed by
# scripts/install-deps.sh; a missing one fails the test (not a skip).
OOMDIAG=${OOMDIAG:-build/userspace/oomdiag}
# shellcheck source=tests/unit/tap.sh
. "$(dirname "$0")/tap.sh"
PY=/usr/bin/python3
diag() { sed 's/^/# /'; }

echo "1..16"
command -v promtool >/dev/null
ok $? "promtool is installed (scripts/install-deps.sh: package prometheus)"
$PY -c 'import prometheus_client.openmetrics.parser' 2>/dev/null
ok $? "prometheus_client is installed (scripts/install-deps.sh: python3-prometheus-client)"

M=$T/dbg
mkdir -p "$M"
cat >"$M/buddyinfo" <<'X'
# oomdiag buddyinfo v1 zones=2 orders=11 migratetypes=Unmovable,Movable,Reclaimable,HighAtomic,CMA,Isolate list_cap=100000 lists=132 capped_lists=0 max_lock_ns=1000 total_lock_ns=5000
# node zone managed_pages free_pages free_cma_pages boost_pages min_pages low_pages high_pages free_blocks unusable_index frag_index highest_order free_Unmovable free_Movable free_Reclaimable free_HighAtomic free_CMA free_Isolate capped_lists max_lock_ns
0 DMA 3840 3000 0 0 33 41 49 2,1,0,1,1,1,1,1,0,1,2 0.000,0.000,0.001,0.001,0.003,0.007,0.018,0.039,0.082,0.082,0.420 -1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000 10,10,-1,-1,-1,-1 0,0,0,0,0,0,0,0,0,0,0 2,1,0,1,1,1,1,1,0,1,2 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0 500
0 DMA32 60000 1234 0 0 500 625 750 100,50,20,10,5,2,1,0,0,0,0 0.000,0.081,0.162,0.227,0.292,0.357,0.405,0.438,1.000,1.000,1.000 -1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,0.890,0.945,0.972,0.986 6,6,-1,-1,-1,-1 60,20,5,0,0,0,0,0,0,0,0 40,30,15,10,5,2,1,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0 900
X
cat >"$M/overcommit" <<'X'
# oomdiag overcommit v1
mode=2
mode_name=never
overcommit_ratio=50
overcommit_kbytes=0
commit_limit_kb=131072
committed_as_kb=140000
headroom_kb=-8928
X
cat >"$M/events" <<'X'
# oomdiag events v1 abi=2 records=2 first_seq=7 next_seq=9 ring_size=256 lost=7 dropped=4 armed=1 hooks=5
# oom_kills victims=1 kills=1 marked_only=0 vmstat_oom_kill_at_arm=0
seq=7 ts_ns=5000000000 wall_ns=1700000000000000000 kind=alloc_fail cpu=0 context=task pid=50 tgid=50 comm=insmod flags=costly gfp=0x2800 gfp_names=GFP_NOWAIT|__GFP_NOWARN order=10 latency_ns=- nodemask_set=0 hook=x after=-
  zone node=0 zone=DMA32 free_pages=1234 min_pages=500 low_pages=625 high_pages=750 free_cma_pages=0 managed_pages=60000 free_blocks=100,50,20,10,5,2,1,0,0,0,0
seq=8 ts_ns=6000000000 wall_ns=1700000001500000000 kind=oom_kill cpu=0 context=task pid=60 tgid=60 comm=hog flags=- victim_pid=60 victim_uid=0 victim_comm=hog anon_rss_kb=1000 file_rss_kb=0 shmem_rss_kb=0 swap_kb=0 pgtables_kb=4 points=250 totalpages=1000 oom_score_adj=0 constraint=memcg gfp=0xcc0 gfp_names=GFP_KERNEL order=0 memcg=/t/a\x22b\x5cc victim_memcg=/t/a\x22b\x5cc hook=oom_kill after=-
X
export OOMDIAG_DEBUGFS=$M
page=$(getconf PAGESIZE)

"$OOMDIAG" metrics >"$T/p"
ok $? "metrics with a canned module state exits 0"
promtool check metrics <"$T/p" >"$T/lint" 2>&1
ok $? "promtool check metrics: canned module state"
diag <"$T/lint"
OOMDIAG_DEBUGFS=$T/none "$OOMDIAG" metrics --no-module >"$T/h"
promtool check metrics <"$T/h" >"$T/lint" 2>&1
ok $? "promtool check metrics: this host's /proc (--no-module)"
diag <"$T/lint"

"$OOMDIAG" metrics --openmetrics >"$T/om"
$PY - "$T/om" >"$T/omerr" 2>&1 <<'X'
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = list(text_string_to_metric_families(open(sys.argv[1]).read()))
types = {f.name: f.type for f in fams}
assert types["oomdiag_recorder_dropped"] == "counter", types
assert types["oomdiag_ring_records"] == "gauge", types
assert types["oomdiag_build"] == "info", types
units = {f.name: f.unit for f in fams if f.unit}
assert units["oomdiag_zone_free_bytes"] == "bytes", units
X
ok $? "--openmetrics passes prometheus_client's OpenMetrics parser (types, units)"
diag <"$T/omerr"
is "$(tail -n1 "$T/om")" "# EOF" "--openmetrics ends with # EOF"
head -n -1 "$T/om" | $PY -c 'import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
list(text_string_to_metric_families(sys.stdin.read()))' 2>/dev/null
[ $? -ne 0 ]
ok $? "the OpenMetrics parser rejects the output without its # EOF (the check can fail)"

# conventions promtool leaves to us
bad=$(grep -E '^# TYPE ' "$T/p" "$T/h" | awk '$3 ~ /_(pages|kb|kilobytes|percent)$/ { print $3 }')
is "$bad" "" "no family in pages, kB or percent"
bad=$(grep -hE '^# TYPE ' "$T/p" "$T/h" |
	awk '($4 == "counter") != ($3 ~ /_total$/) { print $3 " " $4 }')
is "$bad" "" "_total on counters and only on counters"
is "$(grep -E '^# TYPE oomdiag_ring_records ' "$T/p")" "# TYPE oomdiag_ring_records gauge" \
	"the ring's record count is a gauge"
bad=$(grep -hE '^oomdiag_[a-z_]*_ratio[{ ]' "$T/p" "$T/h" | awk '$NF < 0 || $NF > 1')
is "$bad" "" "every _ratio sample is within 0..1"

# values: bytes from the canned pages, counters from the header
is "$(sed -n 's/^oomdiag_zone_watermark_bytes{node="0",zone="DMA32",level="min"} //p' "$T/p")" \
	"$((500 * page))" "watermark min in bytes (500 pages x $page)"
is "$(sed -n 's/^oomdiag_zone_free_bytes{node="0",zone="DMA32"} //p' "$T/p")" \
	"$(((100 + 50 * 2 + 20 * 4 + 10 * 8 + 5 * 16 + 2 * 32 + 64) * page))" \
	"zone free bytes: free blocks x 2^order x page size"
is "$(grep -E '^oomdiag_(ring_records|recorder_dropped_total|recorder_lost_total) ' "$T/p" |
	tr '\n' ' ')" "oomdiag_ring_records 2 oomdiag_recorder_lost_total 7 oomdiag_recorder_dropped_total 4 " \
	"ring gauge and lost/dropped counters from the events header"
grep -qF 'oomdiag_cgroup_oom_kills_recorded{cgroup="/t/a\"b\\c",' "$T/p"
ok $? "a cgroup path with a quote and a backslash is escaped in its label"
grep -E 'cgroup_oom_kills_recorded' "$T/p" | diag
[ $failed -eq 0 ]
