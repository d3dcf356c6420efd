#!/bin/sh
# vm-mem: 256M
# vm-timeout: 150
# The OOM victim's command line and parent chain in its kill ledger
# (module/victim_cmdline.c).  V1 runs under sh -> sh (two scripts, the
# outer one renamed "sh,o:x y" through /proc/PID/comm) with
# arguments holding a space, a backslash, a comma and a colon, and mlocks
# its argument pages (the reaper of v5.10.0 reaps at once but skips
# VM_LOCKED; Debian's 5.10 has v5.18's 2 s delay, like 6.1 and later).
# After a memcg OOM killed it and it is gone, the record has exactly what
# /proc/PID/cmdline said before, escaped, and the chain of PPid values and
# comms /proc showed.  V2, not mlocked, has a 600-byte argument: the line
# says truncated at 512 bytes; on 5.10 the reaper may free the page first,
# and then the line must say gone and the gone count must have it.  (A
# read delayed 3 s on purpose gave: 5.10 V1 ok, V2 gone; 6.1 both gone.)
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

plan 14
CG=/sys/fs/cgroup
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/cl
echo 32M >$CG/cl/memory.max

# esc [EXTRA]: stdin's bytes as the module escapes them: 0x21..0x7e as is,
# except a backslash and the EXTRA characters; everything else \xHH.
esc() {
	od -An -v -tx1 | tr -s ' \n' '\n\n' | grep . |
		awk -v extra="$1" 'BEGIN { for (i = 33; i < 127; i++) c[sprintf("%02x", i)] = sprintf("%c", i) }
		{ ch = c[$1]; if (ch == "" || ch == "\\" || (extra != "" && index(extra, ch))) printf "\\x%s", $1; else printf "%s", ch }'
}

# chain PID: the parents as /proc has them, nearest first, up to pid 1.
chain() {
	_p=$1 _n=0 _out=
	while [ $_n -lt 8 ]; do
		_p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$_p/status)
		[ -n "$_p" ] && [ "$_p" != 0 ] || break
		_out="$_out${_out:+,}$_p:$(tr -d '\n' </proc/$_p/comm | esc ',:')"
		_n=$((_n + 1))
		[ "$_p" = 1 ] && break
	done
	echo "$_out"
}

# start OUT ARGS...: cmdline_victim ARGS under sh -> sh -> this shell, in
# /cl (not in a subshell: its exit would reparent them); its pid in $V.
start() {
	_out=$1
	shift
	printf 'echo $$ >%s/cl/cgroup.procs\ncmdline_victim "$@"\necho "inner rc=$?"\n' "$CG" >/tmp/inner.sh
	printf 'printf "sh,o:x y" >/proc/$$/comm\nsh /tmp/inner.sh "$@"\necho "outer rc=$?"\n' >/tmp/outer.sh
	sh /tmp/outer.sh "$@" >"$_out" 2>&1 &
	V=
	wait_for "$_out" "ready" || return 1
	V=$(sed -n 's/^cmdline_victim \([0-9]*\) ready/\1/p' "$_out")
}

# kill_and_read PID OUT: let PID allocate until the OOM kill, wait until it
# is gone and its record has the victim_cmdline line; the block in /tmp/blk.
kill_and_read() {
	kill -USR1 "$1"
	wait_for "$2" "inner rc=" 300 || return 1
	[ ! -e /proc/$1 ] || return 1
	_i=0
	while [ $_i -lt 50 ]; do
		snap
		seq=$(recs oom_kill | grep " victim_pid=$1 " | head -n1 | sed -n 's/^seq=\([0-9]*\) .*/\1/p')
		[ -n "$seq" ] && block "$seq" >/tmp/blk && grep -q '^  victim_cmdline ' /tmp/blk && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

echo clear >"$DBG/events"
dmesg -c >/dev/null
start /tmp/v1.out -l -s 4 "arg with space" 'back\slash' 'com,ma:colon' x
V1=$V
[ -n "$V1" ]
ok $? "V1 $V1 ready: $(tr '\0' ' ' </proc/$V1/cmdline)"
want_argv=$(esc <"/proc/$V1/cmdline")
want_bytes=$(wc -c <"/proc/$V1/cmdline")
want_chain=$(chain "$V1")
diag "before the kill: bytes=$want_bytes argv=$want_argv chain=$want_chain"
[ "$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$V1/status)" = "$(echo "$want_chain" | cut -d: -f1)" ] &&
	[ "$(echo "$want_chain" | cut -d, -f1-2 | sed 's/[0-9]*://g')" = 'sh,sh\x2co\x3ax\x20y' ]
ok $? "V1's parents start sh, then the outer sh renamed 'sh,o:x y'"
kill_and_read "$V1" /tmp/v1.out
ok $? "V1 killed, gone, its record (seq $seq) has a victim_cmdline line"
diag "$(grep -E '^  (ledger|victim_)' /tmp/blk | sed 's/^  //')"
is "$(dmesg_killed | cut -d' ' -f1 | head -n1)" "$V1" "the kernel killed V1 (dmesg)"
line=$(grep '^  victim_cmdline ' /tmp/blk)
is "$(kv "$line" state) $(kv "$line" bytes)" "ok $want_bytes" "V1: state=ok bytes=$want_bytes (the size of /proc/PID/cmdline)"
is "${line#*argv=}" "$want_argv" "V1: argv is /proc/PID/cmdline before the kill, escaped"
is "$(kv "$(grep '^  victim_parents ' /tmp/blk)" chain)" "$want_chain" "V1: the parent chain is /proc's PPid chain"
grep -q '^  ledger .* cmdline_ok=[1-9]' /tmp/blk
ok $? "ledger header counts it (cmdline_ok)"

# V2: no mlock, a 600-byte argument: cut at 512 bytes, or gone (5.10), counted.
long=$(printf '%0600d' 0 | tr 0 L)
start /tmp/v2.out -s 4 "$long" tail
V2=$V
[ -n "$V2" ]
ok $? "V2 $V2 ready, $(wc -c </proc/$V2/cmdline) bytes of command line"
want_argv=$(head -c 512 "/proc/$V2/cmdline" | esc)
kill_and_read "$V2" /tmp/v2.out
ok $? "V2 killed, gone, its record (seq $seq) has a victim_cmdline line"
line=$(grep '^  victim_cmdline ' /tmp/blk)
led=$(grep '^  ledger ' /tmp/blk)
diag "$(echo "$line" | cut -c1-120)... $(echo "$led" | tr ' ' '\n' | grep '^cmdline_' | tr '\n' ' ')"
st=$(kv "$line" state)
if [ "$st" = gone ]; then
	diag "V2: the OOM reaper freed the argument page before the read (state=gone)"
	[ "$(kv "$line" bytes)" = 0 ] && [ "${line#*argv=}" = "" ] && [ "$(kv "$led" cmdline_gone)" -ge 1 ] &&
		case $(uname -r) in 5.10.*) true ;; *) false ;; esac
	ok $? "V2: gone (5.10 only), bytes=0, empty argv, counted in cmdline_gone"
else
	[ "$st $(kv "$line" bytes)" = "truncated 512" ] && [ "${line#*argv=}" = "$want_argv" ] &&
		[ "$(kv "$led" cmdline_truncated)" -ge 1 ]
	ok $? "V2: state=truncated bytes=512, argv the first 512 bytes, counted"
fi
is "$(kv "$(grep '^  victim_parents ' /tmp/blk)" chain | cut -d, -f1-2 | sed 's/[0-9]*://g')" \
	'sh,sh\x2co\x3ax\x20y' "V2: parents sh, 'sh,o:x y'"
rmdir $CG/cl 2>/dev/null
unload_oomdiag
ok $? "rmmod (the workqueue drained)"
done_testing
