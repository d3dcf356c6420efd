#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# Issue 14 item 8: never a raw kernel address.  A failure whose stack runs
# through a module (the test helper's run_until_fail, alloc_write) is recorded,
# then that module is unloaded: %pS cannot name those frames any more and
# prints their raw address.  The events file and `oomdiag events` must print
# no kernel address, and the helper's frames as they were when the record
# was taken: the same lines as before the unload, whose first names the
# same function+offset as the kernel's own warn_alloc stack in dmesg.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

MOD=oomdiag_test_alloc

# rawaddr FILE: words that look like a kernel address (0xffff..., or 16
# hex digits with a letter, which no decimal number of the output has).
rawaddr() {
	grep -Eo '[0-9a-fA-Fx]{16,}' "$1" | grep -E '[a-fA-F]' | grep -Ev '^0x[0-9a-f]{1,8}$' | head -n3
}

# modframes FILE SEQ: the record's stack lines in the helper module.
modframes() {
	record_block "$1" "$2" | sed -n "s/^  stack \(.*\[$MOD\]\)\$/\1/p"
}

plan 10
load_helper || bail "insmod $MOD failed"
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
dmesg -c >/dev/null
res=$(helper "nowait 10")
is "$(kv "$res" failed)" 1 "the helper failed one order-10 GFP_NOWAIT allocation"
wait_after
snap
cp "$REC_OUT" /tmp/before
# The warn_alloc record; on 5.10 its stack ends at the slow path's
# kretprobe_trampoline (the unwinder goes through it since v5.14), then
# the alloc_fail record of the same failure.
seq=
for kind in warn_alloc alloc_fail; do
	for s in $(recs $kind | sed 's/^seq=\([0-9]*\) .*/\1/'); do
		modframes /tmp/before "$s" >/tmp/frames_before
		[ -s /tmp/frames_before ] && seq=$s && break 2
	done
done
: "${seq:=$(recs warn_alloc | tail -n1 | sed 's/^seq=\([0-9]*\) .*/\1/')}"
modframes /tmp/before "$seq" >/tmp/frames_before
diag "$kind record seq=$seq, frames in $MOD while loaded:"
sed 's/^/#   /' /tmp/frames_before
[ -s /tmp/frames_before ]
ok $? "while $MOD is loaded the record names frames in it"
[ -s /tmp/frames_before ] || record_block /tmp/before "$seq" | sed 's/^/#   /'
# The kernel's own report of the same failure: dump_stack() under warn_alloc.
first=$(dmesg | sed -n "s/.* \([a-z_0-9.]*+0x[0-9a-f]*\)\/0x[0-9a-f]* \[$MOD[] ].*/\1/p" | head -n1)
[ -n "$first" ] && [ "$(sed -n 's/^\([^/]*\)\/.*/\1/p' /tmp/frames_before | head -n1)" = "$first" ]
ok $? "its first $MOD frame is the kernel's in the warn_alloc report in dmesg ($first)"

rmmod $MOD
ok $? "rmmod $MOD"
snap
cp "$REC_OUT" /tmp/after
raw=$(rawaddr /tmp/after)
is "$raw" "" "events file: no raw kernel address after the unload"
modframes /tmp/after "$seq" >/tmp/frames_after
is "$(cat /tmp/frames_after)" "$(cat /tmp/frames_before)" \
	"events file: the record's $MOD frames read as when it was taken"
if [ -n "$raw" ] || ! cmp -s /tmp/frames_before /tmp/frames_after; then
	diag "record after the unload:"
	record_block /tmp/after "$seq" | sed 's/^/#   /'
fi

oomdiag events >/tmp/cli 2>&1
is "$(rawaddr /tmp/cli)" "" "oomdiag events: no raw kernel address"
n=0
while read -r f; do grep -qF "$f" /tmp/cli || n=$((n + 1)); done </tmp/frames_before
[ -s /tmp/frames_before ] && [ $n -eq 0 ]
ok $? "oomdiag events: the record's $MOD frames as before the unload ($n missing)"
unload_oomdiag
ok $? "rmmod oomdiag"
done_testing
