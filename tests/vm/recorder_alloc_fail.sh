#!/bin/sh
# vm-mem: 256M
# vm-timeout: 150
# GFP_NOWAIT order-10 failures made by the helper module (take every free
# order-10 block until one allocation fails): an alloc_fail and a
# warn_alloc record with order 10 and the same mode as dmesg's "page
# allocation failure" line, a snapshot in which no zone could have served
# the request, symbolised stacks.  With __GFP_NOWARN: recorded, flagged
# silent|nowarn, nothing in dmesg.  A second failure within warn_alloc's
# 10 s ratelimit: flagged silent|ratelimited, nothing in dmesg.  A failure
# in hard interrupt context is recorded with context=irq.  Every
# warn_alloc record not flagged silent has its dmesg line and no other.
# Also the strict writes of "events" and "armed".
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 32
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
load_helper
ok $? "insmod oomdiag_test_alloc.ko"
grep '^# hook ' "$DBG/events" | sed 's/^# /  /' | while read -r l; do diag "$l"; done
echo clear >"$DBG/events"
dmesg -c >/dev/null

# 1. GFP_NOWAIT, order 10, printed by warn_alloc.
res=$(helper 'nowait 10')
diag "helper: $res"
is "$(kv "$res" failed)" 1 "helper: one GFP_NOWAIT order-10 allocation failed after $(kv "$res" allocated)"
wait_after
snap
af=$(recs alloc_fail | grep ' order=10 ' | head -n1)
wa=$(recs warn_alloc | grep ' order=10 ' | head -n1)
diag "$af"
diag "$wa"
[ -n "$af" ] && [ -n "$wa" ]
ok $? "an alloc_fail and a warn_alloc record with order=10"
dm=$(dmesg | grep 'page allocation failure: order:10,' | head -n1)
diag "dmesg: $dm"
mode=$(echo "$dm" | sed -n 's/.*mode:\(0x[0-9a-f]*\)(\([^)]*\)).*/\1 \2/p')
[ -n "$mode" ]
ok $? "dmesg has the page allocation failure line"
is "$(kv "$wa" gfp) $(kv "$wa" gfp_names)" "$mode" "warn_alloc record: gfp and decoded flags = dmesg mode:"
is "$(kv "$af" gfp) $(kv "$af" gfp_names)" "$mode" "alloc_fail record: gfp and decoded flags = dmesg mode:"
is "$(kv "$af" gfp)" "$(kv "$res" gfp)" "gfp = the mask the helper passed"
is "$(kv "$wa" comm)" "$(echo "$dm" | sed -n 's/.*\] \([^:]*\): page allocation failure.*/\1/p')" "comm = dmesg's"
case "$(kv "$wa" flags)" in *silent*) r=1 ;; *) r=0 ;; esac
ok $r "printed warn_alloc not flagged silent ($(kv "$wa" flags))"
lat=$(kv "$af" latency_ns)
[ "$lat" != - ] && [ "$lat" -gt 0 ]
ok $? "alloc_fail carries the slow path latency ($lat ns)"
# The slowpath kretprobe reads (gfp, order) from the .constprop clone's
# registers: the order it saw must be the tracepoint's.
ho=$(grep '^# slowpath_handoff ' "$REC_OUT")
diag "$ho"
diag "$(grep '^# slowpath order=10 ' "$REC_OUT")"
is "$(kv "$ho" order_mismatch)" 0 "slow path arguments read right (order_mismatch=0, checks=$(kv "$ho" checks))"

# The snapshot: no zone could have served it (an order-10 block free and
# free pages above min after taking 1024, as __zone_watermark_ok() asks).
blk=$(block "$(kv "$af" seq)")
zl=$(echo "$blk" | grep '^  zone ')
echo "$zl" | while read -r l; do diag "$l"; done
[ -n "$zl" ]
ok $? "record has a zone snapshot"
serv=$(echo "$zl" | tr ' ' '\n' | awk -F= '
	$1 == "free_pages" { f = $2 } $1 == "min_pages" { m = $2 }
	$1 == "free_blocks" { n = split($2, b, ","); if (b[11] > 0 && f - 1024 > m) c++ }
	END { print c + 0 }')
is "$serv" 0 "no zone in the snapshot could serve order 10 (order-10 block free and above min)"
n10=$(echo "$zl" | tr ' ' '\n' | sed -n 's/^free_blocks=//p' | awk -F, '{ s += $11 } END { print s + 0 }')
diag "free order-10 blocks in the snapshot: $n10; /proc/buddyinfo now: $(awk '{ printf "%s:%s ", $4, $15 }' /proc/buddyinfo)"
echo "$blk" | grep '^  stack ' | while read -r l; do diag "$l"; done
first=$(echo "$blk" | grep -m1 '^  stack ')
case "$first" in *alloc*) r1=0 ;; *) r1=1 ;; esac
echo "$blk" | grep -q '^  stack run_until_fail+0x.*\[oomdiag_test_alloc\]'
r2=$?
block "$(kv "$wa" seq)" | grep -m1 '^  stack ' | grep -q '^  stack warn_alloc+0x'
ok $((r1 | r2 | $?)) "stacks symbolised: alloc_fail from the allocator to the helper, warn_alloc from warn_alloc (the probe point)"
grep -q 'stack.*0xffff\|stack [0-9a-f]\{16\}' "$REC_OUT"
ok $((! $?)) "no raw kernel address in events"
echo "$blk" | grep -q '^  after_zone .*Movable='
ok $? "per-migratetype detail attached after ($(echo "$blk" | sed -n 's/^  after \(delay_ns=[0-9]*\).*/\1/p'))"

# 2. __GFP_NOWARN: recorded, silent, nothing in dmesg.
dmesg -c >/dev/null
echo clear >"$DBG/events"
res=$(helper 'nowait_nowarn 10')
is "$(kv "$res" failed)" 1 "helper: one GFP_NOWAIT|__GFP_NOWARN order-10 failure"
wait_after
snap
af=$(recs alloc_fail | grep ' order=10 ' | head -n1)
wa=$(recs warn_alloc | grep ' order=10 ' | head -n1)
diag "$wa"
is "$(kv "$wa" gfp)" "$(kv "$res" gfp)" "warn_alloc record for the __GFP_NOWARN failure ($(kv "$wa" gfp_names))"
case "$(kv "$wa" flags)" in *silent*nowarn*) r=0 ;; *) r=1 ;; esac
ok $r "flagged silent|nowarn ($(kv "$wa" flags))"
[ -n "$af" ]
ok $? "alloc_fail record for it too"
is "$(dmesg | grep -c 'page allocation failure')" 0 "nothing in dmesg"

# 3. Within warn_alloc's ratelimit (10 s, burst 1): silent, ratelimited.
dmesg -c >/dev/null
echo clear >"$DBG/events"
helper 'nowait 10' >/dev/null
wait_after
snap
wa=$(recs warn_alloc | grep ' order=10 ' | head -n1)
printed=$(dmesg | grep -c 'page allocation failure')
diag "$wa; dmesg lines: $printed"
case "$(kv "$wa" flags)" in
*silent*ratelimited*) r=0; want=0 ;;
*silent*) r=1; want=0 ;;
*) r=0; want=1 ;;	# the 10 s window passed (slow VM): then it printed
esac
ok $r "second failure: flags ($(kv "$wa" flags)) agree with whether dmesg printed"
is "$printed" "$want" "dmesg lines for it: $want"

# 4. In hard interrupt context (the helper's irq_work, GFP_ATOMIC).
echo clear >"$DBG/events"
res=$(helper 'irq 10')
diag "helper: $res"
snap
ev=$(recs alloc_fail | grep ' order=10 ' | grep " gfp=$(kv "$res" gfp) " | head -n1)
wa=$(recs warn_alloc | grep ' order=10 ' | grep " gfp=$(kv "$res" gfp) " | head -n1)
diag "$ev"
is "$(kv "$res" failed) $(kv "$ev" context) $(kv "$wa" context)" "1 irq irq" \
	"GFP_ATOMIC failure in an irq_work: alloc_fail and warn_alloc with context=irq"

# 5. Strict writes.
echo clear >"$DBG/events"
is "$(hdr records)" 0 "write 'clear' empties the ring"
helper 'nowait_nowarn 10' >/dev/null
before=$(hdr records)
echo clearx >"$DBG/events" 2>/dev/null
r=$?
[ $r -ne 0 ] && [ "$(hdr records)" = "$before" ]
ok $? "write 'clearx' fails (EINVAL), records kept ($before)"
echo 2 >"$DBG/armed" 2>/dev/null
[ $? -ne 0 ] && [ "$(cat "$DBG/armed")" = 1 ]
ok $? "write '2' to armed fails, still armed"
echo 0 >"$DBG/armed" && [ "$(hdr armed)" = 0 ] && [ "$(hdr hooks)" = 0 ]
ok $? "armed=0 detaches every hook"
before=$(hdr next_seq)
helper 'nowait_nowarn 10' >/dev/null
is "$(hdr next_seq)" "$before" "disarmed: a failure is not recorded"
echo 1 >"$DBG/armed" && [ "$(hdr armed)" = 1 ]
ok $? "armed=1 attaches again ($(hdr hooks) hooks)"
rmmod oomdiag_test_alloc && unload_oomdiag
ok $? "rmmod both modules"
done_testing
