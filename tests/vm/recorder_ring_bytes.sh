#!/bin/sh
# vm-mem: 512M
# vm-timeout: 300
# Issue 14 item 5: a record takes what it needs.  The ring stores each
# record as its kind's union member, nr_stack frames and nr_zones zone
# snapshots behind a 96-byte header, and the worker's after part once per
# pass and part (72 bytes and 44 per zone and migratetype), which the
# records of that pass share.  Checked from the events file alone:
# - each part's budget is the largest record of its kinds with every
#   frame, a snapshot of every populated zone and an after part of its
#   own, and the part has size * budget bytes (so it holds at least size
#   records);
# - after one failure, the failures part's used bytes are exactly the
#   records' computed sizes (frames and zones counted in their lines) plus
#   the after parts written; record_bytes_max and _avg agree;
# - a burst of 1,000 failures in a 64-record part keeps at least 64 of
#   them and shares each worker pass's after part (fewer after parts than
#   records), and every record is kept or counted lost;
# - at ring_size=65536 the ring's memory is what the budgets say, and
#   under 128 MB in this guest (it was 341 MB: 4,160 bytes a slot).
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

part() {
	grep "^# ring_part name=$1 " "$REC_OUT"
}

# recsize SEQ: 96 + union + 8 per stack line + 112 per zone line
recsize() {
	_b=$(block "$1")
	_k=$(echo "$_b" | head -n1 | sed 's/.* kind=\([a-z_]*\) .*/\1/')
	case $_k in
	alloc_fail | warn_alloc | slow_alloc) _u=24 ;;
	vm_refused) _u=64 ;;
	*) _u=608 ;;
	esac
	echo $((96 + _u + 8 * $(echo "$_b" | grep -c '^  stack ') + 112 * $(echo "$_b" | grep -c '^  zone ')))
}

# after part of NZ zones, NMT migratetypes: 72 + 44 * NZ * NMT, rounded up to 8
afterlen() {
	echo $(( 72 + (44 * $1 * $2 + 7) / 8 * 8 ))
}

plan 13
load_helper || bail "insmod oomdiag_test_alloc failed"
load_oomdiag ring_size=64
ok $? "insmod oomdiag.ko ring_size=64 on $(uname -r)"
# populated zones, as the module counts them
NZ=$(awk '/^Node .* zone/ { z = 1 } /^ *present / && z { if ($2 > 0) n++; z = 0 } END { print n }' /proc/zoneinfo)
res=$(helper "nowait 10")
wait_after
snap
grep '^# ring' "$REC_OUT" | while read -r l; do diag "$l"; done
NMT=$(grep -m1 '^  after_zone ' "$REC_OUT" | tr ' ' '\n' | grep -c '=[0-9]')
NMT=$((NMT - 1))	# node=
diag "populated zones $NZ, migratetypes per after_zone line $NMT"
fb=$(kv "$(part failures)" budget)
kb=$(kv "$(part reserved)" budget)
is "$fb" $((96 + 24 + 16 * 8 + 112 * NZ + $(afterlen "$NZ" "$NMT"))) \
	"failures budget: header, alloc member, 16 frames, $NZ zones, own after part"
is "$kb" $((96 + 608 + 16 * 8 + 112 * NZ + $(afterlen "$NZ" "$NMT"))) \
	"reserved budget: the same with the oom member"
is "$(kv "$(part failures)" bytes) $(kv "$(part reserved)" bytes)" "$((64 * fb)) $((16 * kb))" \
	"parts of size * budget bytes (64 and 16 records at least)"

# one failure: its records' sizes, computed from their lines
sum=0
max=0
n=0
for s in $(grep '^seq=' "$REC_OUT" | grep ' kind=\(alloc_fail\|warn_alloc\|slow_alloc\) ' | sed 's/^seq=\([0-9]*\) .*/\1/'); do
	sz=$(recsize "$s")
	diag "seq=$s $(kv "$(grep "^seq=$s " "$REC_OUT")" kind): $(block "$s" | grep -c '^  stack ') frames, $(block "$s" | grep -c '^  zone ') zones: $sz bytes"
	sum=$((sum + sz))
	[ "$sz" -gt "$max" ] && max=$sz
	n=$((n + 1))
done
[ "$n" -ge 2 ] && [ "$(kv "$res" failed)" = 1 ]
ok $? "one failure, $n failure records (alloc_fail and warn_alloc)"
ab=$(kv "$(part failures)" after_bytes)
na=$(kv "$(part failures)" after_blobs)
is "$ab" "$((na * $(afterlen "$NZ" "$NMT")))" "after parts: $na of $(afterlen "$NZ" "$NMT") bytes"
is "$(kv "$(part failures)" used)" "$((sum + ab))" "used bytes = the records' sizes ($sum) + after parts ($ab)"
is "$(kv "$(part failures)" record_bytes_max) $(kv "$(part failures)" record_bytes_avg)" "$max $((sum / n))" \
	"record_bytes_max and _avg of the part"

# a burst through the 64-record part
res=$(helper "burst 1000 10")
wait_after
snap
fp=$(part failures)
diag "$(head -n1 "$REC_OUT")"
diag "$fp"
r=$(kv "$fp" records)
[ "$r" -ge 64 ] && [ "$(kv "$fp" lost)" -gt 0 ]
ok $? "burst of $(kv "$res" failed): the part overflowed and keeps $r >= 64 records"
[ "$(kv "$fp" after_blobs)" -lt "$r" ]
ok $? "after parts shared: $(kv "$fp" after_blobs) for $r records"
is "$(hdr next_seq)" "$(( $(hdr records) + $(hdr lost) ))" "next_seq = records + lost (nothing vanished)"
unload_oomdiag

# the largest ring
load_oomdiag ring_size=65536
ok $? "insmod oomdiag.ko ring_size=65536"
snap
rb=$(kv "$(grep '^# ring ' "$REC_OUT")" ring_bytes)
# bytes + index (one u32 per smallest record: 120 bytes)
want=$(( 65536 * fb + (65536 * fb / 120 + 1) * 4 + 16384 * kb + (16384 * kb / 120 + 1) * 4 ))
diag "ring_bytes=$rb at ring_size=65536 reserved 16384 ($((rb / 1048576)) MB); 4,160-byte slots took 340787200"
[ "$rb" = "$want" ] && [ "$rb" -lt 134217728 ]
ok $? "ring memory $rb = the budgets' $want, under 128 MB"
unload_oomdiag
done_testing
