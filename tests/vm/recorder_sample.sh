#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# fail_records_per_key (issue 14 item 4) applies to warn_alloc records as
# to alloc_fail records: with fail_records_per_key=4, a burst of 3,000
# order-10 GFP_NOWAIT|__GFP_NOWARN failures of the test helper (each one
# calls warn_alloc(), which prints nothing for __GFP_NOWARN) keeps at most
# 4 records of each kind per second of the burst, and counts the others:
# records + counted_only = failures, records + warn_counted_only = failures,
# exactly, against the helper's own count of its failures.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

PER=4
BURST=3000
FS=$DBG/failures

plan 8
load_helper || bail "insmod oomdiag_test_alloc failed"
load_oomdiag fail_records_per_key=$PER
ok $? "insmod oomdiag.ko fail_records_per_key=$PER on $(uname -r)"
echo clear >"$DBG/events"
echo clear >"$FS"
res=$(helper "burst $BURST 10")
failed=$(kv "$res" failed)
ns=$(kv "$res" ns)
# Windows of one second the burst can touch.
win=$(( ns / 1000000000 + 2 ))
diag "burst: $failed failures in $((ns / 1000000)) ms: at most $win windows"
# A try succeeds when memory was freed meanwhile: most of them fail.
[ "$failed" -ge $((BURST * 9 / 10)) ]
ok $? "the helper failed $failed allocations"
wait_after
snap
cat "$FS" >/tmp/failures
# The helper's keys: its first failure and the burst's are two call sites.
grep '^order=10 .*\[oomdiag_test_alloc\]' /tmp/failures >/tmp/keys
while read -r l; do diag "$l"; done </tmp/keys
nk=$(grep -c . /tmp/keys)
sum() {
	tr ' ' '\n' </tmp/keys | sed -n "s/^$1=//p" | awk '{ s += $1 } END { print s + 0 }'
}
is "$(sum count)" "$failed" "failures counts all $failed under the helper's $nk keys"
nf=$(recs alloc_fail | grep -c ' comm=sh ')
nw=$(recs warn_alloc | grep -c ' comm=sh ')
diag "records: $nf alloc_fail, $nw warn_alloc; header: $(grep '^# failstats' "$REC_OUT")"
is "$(hdr lost)" 0 "the ring lost nothing"
[ "$nf" -ge 1 ] && [ "$nf" -le $((PER * win * nk)) ]
ok $? "alloc_fail records: $nf, at most $PER a second and key"
is "$((nf + $(sum counted_only)))" "$failed" "alloc_fail: records + counted_only = failures"
[ "$nw" -ge 1 ] && [ "$nw" -le $((PER * win * nk)) ]
ok $? "warn_alloc records: $nw, at most $PER a second and key"
is "$((nw + $(sum warn_counted_only)))" "$failed" "warn_alloc: records + warn_counted_only = failures"
unload_oomdiag
done_testing
