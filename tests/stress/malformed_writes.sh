#!/bin/sh
# vm-mem: 256M
# vm-timeout: 1200
# 10,000 malformed writes (argument 1 overrides) to every writable file of
# /sys/kernel/debug/oomdiag/: random binary blobs, over-long numbers and
# strings, signs, stray separators, format directives, near-misses of real
# commands.  Every write must be refused (the module answers EINVAL) and
# leave the file's state as it was (what reading it shows; for `events`,
# no record lost); the module keeps working and unloads cleanly.
. /oomdiag/tests/stress/stresslib.sh

n=${1:-10000}
load_oomdiag || bail "insmod failed"
files=$(dbg_writable)
nf=$(echo $files | wc -w)
plan $((nf * 3 + 3))
diag "writable files: $(echo $files | sed "s|$DBG/||g")"

# Shapes no strict parser may accept, for any file.
patterns='0x
0xg
0x0x1
--1
-1
+-1
0x10000000000000000000000000
99999999999999999999999999999
1 2 3 4 5 6 7 8 9
0x1,,,0x2
clear2
clearx
xclear
cl ear
CLEAR
%s%s%s%n
%p%p%p
\\x00
$(reboot)
;rmmod oomdiag
../../../etc/passwd
0x1 99
0x1 -1
0x1 0x1 0x1
gfp=0x1 order=1000
order=
=
==
,
|
||
__GFP_NOT_A_FLAG
GFP_KERNEL|GFP_KERNEL_NOPE'

# Random binary blobs, each starting with a control byte, so none is by
# chance a valid command.
mkdir -p /tmp/blobs
b=0
while [ $b -lt 64 ]; do
	b=$((b + 1))
	{ printf '\001'; head -c $((b * 13 % 600 + 1)) /dev/urandom; } >/tmp/blobs/$b
done
long=$(head -c 3000 /dev/zero | tr '\0' 'f')
# The patterns as positional parameters: picking one is then a builtin.
IFS='
'
set -f
set -- $patterns
set +f
IFS=' 	
'
np=$#

t0=$(now_ms)
total=0
for f in $files; do
	name=${f##*/}
	cat "$f" >/tmp/before.$name 2>/dev/null
	ev_before=$(events_count "" "$f")
	accepted=0 w=0
	# One in sixteen writes is a blob (a fork for cat), the rest builtins.
	while [ $w -lt "$n" ]; do
		w=$((w + 1))
		case $((w % 16)) in
		0) cat /tmp/blobs/$((w / 16 % 64 + 1)) >"$f" 2>/dev/null && accepted=$((accepted + 1)) ;;
		1) printf '%s%s' "$long" "$w" >"$f" 2>/dev/null && accepted=$((accepted + 1)) ;;
		2) printf '0x%s%s' "$long" "$w" >"$f" 2>/dev/null && accepted=$((accepted + 1)) ;;
		*) eval "p=\${$((w % np + 1))}"
		   printf '%s\n' "$p" >"$f" 2>/dev/null && accepted=$((accepted + 1))
		   [ $accepted -gt 0 ] && [ -z "${shown:-}" ] && { shown=1; diag "$name accepted: '$p'"; } ;;
		esac
	done
	total=$((total + w))
	is "$accepted" 0 "$name: $w malformed writes, none accepted"
	cat "$f" >/tmp/after.$name 2>/dev/null
	if [ "$name" = events ]; then
		ev_after=$(events_count "" "$f")
		[ "$ev_after" -ge "$ev_before" ]
		ok $? "$name: no record lost ($ev_before before, $ev_after after)"
	else
		cmp -s /tmp/before.$name /tmp/after.$name
		ok $? "$name: what it reads is unchanged"
	fi
	# One sample error message: EINVAL, not something else.
	echo clear2 >"$f" 2>/tmp/err
	grep -q 'Invalid argument' /tmp/err
	ok $? "$name: a malformed write fails with EINVAL ($(tr -d '\n' </tmp/err | sed 's/.*: //'))"
	figure "writes_$name" "$w"
	figure "accepted_$name" "$accepted"
done
dur=$(($(now_ms) - t0))
bad=0
for f in $(dbg_files); do
	cat "$f" >/dev/null || bad=$((bad + 1))
done
is "$bad" 0 "every module file still reads afterwards"
rmmod oomdiag
ok $? "rmmod"
[ ! -e "$DBG" ]
ok $? "debugfs directory gone"
figure writable_files "$nf"
figure writes_total "$total"
[ "$total" -gt 0 ] && figure us_per_write "$((dur * 1000 / total))"
figure duration_ms "$(elapsed_ms)"
done_testing
