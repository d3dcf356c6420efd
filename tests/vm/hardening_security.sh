#!/bin/sh
# vm-mem: 256M
# vm-timeout: 300
# Security review, checked (docs/security.md): every file of
# /sys/kernel/debug/oomdiag/ is root's, mode 0400 or 0600; an unprivileged
# user can neither read nor write any of them; no kernel address appears in
# any file or in any output of the oomdiag binary after real events (an OOM
# kill, an overcommit refusal); module parameters refuse malformed values;
# runtime-writable parameters refuse garbage.
. /oomdiag/tests/vm/lib.sh

# A kernel address: 16 hex digits starting ffff (x86-64 kernel half), with
# or without 0x.  %pS text (symbol+0x1a/0x40) never has 16 digits.
ADDR_RE='ffff[89a-f][0-9a-f]{11}'

load_oomdiag || bail "insmod failed"
files=$(for f in "$DBG"/*; do [ -f "$f" ] && echo "$f"; done)
nfiles=$(echo $files | wc -w)
plan $((nfiles * 3 + 6))

# 1. Modes and owners.
for f in $files; do
	m=$(stat -c '%a %U %G' "$f")
	case "$m" in
	"400 root root"|"600 root root") ok 0 "${f##*/}: mode/owner $m" ;;
	*) ok 1 "${f##*/}: mode/owner $m (want 400 or 600, root root)" ;;
	esac
done

# 2. An unprivileged user gets nothing: neither read nor write.
# The unprivileged shell must really run (uid 65534), or the check is void.
asnobody() {
	su -s /bin/sh nobody -c "id -u; $1" 2>/dev/null
}
for f in $files; do
	r=$(asnobody "cat '$f' >/dev/null 2>&1 && echo read; echo x 2>/dev/null >'$f' && echo wrote" | tr '\n' ' ')
	is "$r" "65534 " "${f##*/}: nobody (uid 65534) can neither read nor write it"
done

# 3. Real events, then every file and every command output, scanned.
echo -1000 >/proc/self/oom_score_adj
hog -a 0 -s 8 >/dev/null 2>&1
echo 2 >/proc/sys/vm/overcommit_memory
bigmalloc 4g >/dev/null 2>&1
echo 0 >/proc/sys/vm/overcommit_memory
for f in $files; do
	if grep -qiE "$ADDR_RE" "$f" 2>/dev/null; then
		ok 1 "${f##*/}: no kernel address"
		grep -iE "$ADDR_RE" "$f" | head -n 3 | sed 's/^/#   /'
	else
		ok 0 "${f##*/}: no kernel address ($(wc -l <"$f") lines)"
	fi
done
: >/tmp/cli.out
if command -v oomdiag >/dev/null; then
	for c in status buddy top events metrics "gfp 0xcc0" "trace --help"; do
		oomdiag $c >>/tmp/cli.out 2>&1
		oomdiag --json $c >>/tmp/cli.out 2>&1
	done
	dmesg | oomdiag explain >>/tmp/cli.out 2>&1
	n=$(grep -ciE "$ADDR_RE" /tmp/cli.out)
	is "$n" 0 "no kernel address in the oomdiag binary's output ($(wc -l </tmp/cli.out) lines)"
	[ "$n" -gt 0 ] && grep -iE "$ADDR_RE" /tmp/cli.out | head -n 3 | sed 's/^/#   /'
else
	skip "no kernel address in the oomdiag binary's output" "no oomdiag binary"
fi

# 4. Module parameters: malformed values refused at load time.
params=$(ls /sys/module/oomdiag/parameters 2>/dev/null)
rmmod oomdiag || bail "rmmod failed"
diag "parameters: ${params:-none}"
bad_ok=0 tried=0 extreme=0
for p in $params; do
	for v in abc -1 0x 99999999999999999999999 '' 0 4294967295; do
		tried=$((tried + 1))
		if insmod /oomdiag/oomdiag.ko "$p=$v" 2>/dev/null; then
			got=$(cat /sys/module/oomdiag/parameters/$p 2>/dev/null)
			case "$got:$v" in
			# bool: the kernel's kstrtobool reads only the first character
			# (0x is "0"): its rule, not ours; garbage must still fail.
			[YN]:abc|[YN]:-1|[YN]:9*|[YN]:) bad_ok=$((bad_ok + 1)); diag "$p='$v' accepted, reads '$got'" ;;
			[YN]:*) ;;
			*:abc|*:-1|*:0x|*:9*|*:) bad_ok=$((bad_ok + 1)); diag "$p='$v' accepted, reads '$got'" ;;
			# In range for the type but extreme: accepted only if the module
			# works with it (every file reads).
			*) extreme=$((extreme + 1))
			   for f in "$DBG"/*; do cat "$f" >/dev/null || { bad_ok=$((bad_ok + 1)); diag "$p=$v: ${f##*/} unreadable"; }; done
			   diag "$p='$v' accepted, reads '$got'" ;;
			esac
			rmmod oomdiag
		fi
	done
done
is "$bad_ok" 0 "malformed module parameter values refused ($tried tried, $extreme extreme values accepted and working)"

# 5. Runtime-writable parameters (mode with a write bit) refuse garbage.
load_oomdiag || bail "insmod failed"
wbad=0
for p in $params; do
	f=/sys/module/oomdiag/parameters/$p
	case "$(stat -c %A "$f")" in
	??w*) before=$(cat "$f")
	      for v in abc -1 99999999999999999999999; do echo "$v" >"$f" 2>/dev/null && wbad=$((wbad + 1)); done
	      [ "$(cat "$f")" = "$before" ] || wbad=$((wbad + 1)) ;;
	esac
	case "$(stat -c %a "$f")" in
	*[2367]?|*[2367]) diag "$p is writable by group/others: $(stat -c %a "$f")"; wbad=$((wbad + 1)) ;;
	esac
done
is "$wbad" 0 "runtime parameters: no garbage accepted, none writable by non-root"

# 6. The debugfs root itself and the module file.
m=$(stat -c %a /sys/kernel/debug)
case "$m" in 700|500) ok 0 "debugfs root mode $m" ;; *) skip "debugfs root mode" "$m on this kernel (mount option)";; esac
rmmod oomdiag
ok $? "rmmod"
[ ! -e "$DBG" ]
ok $? "debugfs directory gone"
done_testing
