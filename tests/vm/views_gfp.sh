#!/bin/sh
# vm-mem: 256M
# vm-timeout: 300
# gfp against the kernel's own text: produce real reports in the guest (a
# global OOM, a memcg OOM, a page allocation failure when the test helper
# module is there), and for every gfp_mask=0x...(...) and mode:0x...(...)
# line write the mask to the view and compare its names with the kernel's.
# The OOM killer ran for those masks and orders, so the view must say it
# may.  Then strict parsing: per-open state, bad writes refused with the
# state kept, 10,000 random writes (views_gfpfuzz), module still working.
. /oomdiag/tests/vm/lib.sh

TMP=/tmp/views_gfp.$$
CG=/sys/fs/cgroup

plan 11
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"

# query MASK [ORDER]: the view's answer, through a fresh open file.
query() {
	exec 3<>"$DBG/gfp"
	printf '%s' "$*" >&3 || { exec 3<&-; return 1; }
	cat <&3
	exec 3<&-
}
field() {	# field KEY TEXT
	echo "$2" | sed -n "s/^$1=//p"
}

# Real reports.  A global OOM: hog touches memory until killed.
dmesg -c >/dev/null
hog -s 8 >/dev/null 2>&1
# A memcg OOM, if the memory controller is there.
if grep -qw memory $CG/cgroup.controllers 2>/dev/null; then
	echo +memory >$CG/cgroup.subtree_control 2>/dev/null
	mkdir -p $CG/views_gfp
	echo 16M >$CG/views_gfp/memory.max
	# ($$ in a subshell is the test shell: use a new sh.)
	sh -c "echo \$\$ >$CG/views_gfp/cgroup.procs && exec hog -s 1" >/dev/null 2>&1
	rmdir $CG/views_gfp 2>/dev/null
	# A memcg OOM charged by kernel allocations (stacks, page tables):
	# processes piling up in a small cgroup.
	# memory.oom.group: one OOM kill takes the whole group, so one report
	# (a storm of reports would overflow the log buffer and cut one).
	mkdir -p $CG/views_gfp2
	echo 8M >$CG/views_gfp2/memory.max
	echo 1 >$CG/views_gfp2/memory.oom.group
	sh -c "echo \$\$ >$CG/views_gfp2/cgroup.procs && exec views_spawn 1000 0" >/dev/null 2>&1 &
	sleep 10
	for p in $(cat $CG/views_gfp2/cgroup.procs); do kill -9 "$p" 2>/dev/null; done
	wait
	rmdir $CG/views_gfp2 2>/dev/null
fi
# A page allocation failure, from the recorder's test helper module.
# GFP_NOWAIT order-10 blocks until one fails: warn_alloc() prints it
# unless the kernel's GFP_NOWAIT carries __GFP_NOWARN (Debian 6.12, 7.x).
if [ -e /oomdiag/kmod/oomdiag_test_alloc.ko ] &&
   insmod /oomdiag/kmod/oomdiag_test_alloc.ko >/dev/null 2>&1; then
	echo 'nowait 10' >/sys/kernel/debug/oomdiag_test/alloc
	diag "helper: $(cat /sys/kernel/debug/oomdiag_test/result)"
	rmmod oomdiag_test_alloc >/dev/null 2>&1
fi
dmesg >"$TMP.dmesg"

grep -o 'gfp_mask=0x[0-9a-f]*([^)]*), order=[0-9]*' "$TMP.dmesg" |
	sed 's/^gfp_mask=\(0x[0-9a-f]*\)(\([^)]*\)), order=\([0-9]*\)$/oom \1 \3 \2/' >"$TMP.lines"
grep -o 'order:[0-9]*, mode:0x[0-9a-f]*([^)]*)' "$TMP.dmesg" |
	sed 's/^order:\([0-9]*\), mode:\(0x[0-9a-f]*\)(\([^)]*\))$/fail \2 \1 \3/' >>"$TMP.lines"
grep -o 'vmalloc error: [^,]*, [^,]*, mode:0x[0-9a-f]*([^)]*)' "$TMP.dmesg" |
	sed 's/^.*mode:\(0x[0-9a-f]*\)(\([^)]*\))$/fail \1 0 \2/' >>"$TMP.lines"
sort -u "$TMP.lines" -o "$TMP.lines"
diag "kernel lines: $(cut -d' ' -f1-3 "$TMP.lines" | tr '\n' ';')"

n_oom=$(grep -c '^oom ' "$TMP.lines")
[ "$n_oom" -ge 1 ]
ok $? "the OOM reports gave $n_oom distinct gfp_mask lines"

bad=0
n=0
while read -r kind mask order names; do
	[ -n "$names" ] || names=-
	out=$(query "$mask $order")
	got=$(field names "$out")
	n=$((n + 1))
	if [ "$got" != "$names" ]; then
		diag "$kind $mask: kernel '$names', view '$got'"
		bad=$((bad + 1))
	fi
	if [ "$kind" = oom ] && [ "$(field oom_killer "$out")" != yes ]; then
		diag "$kind $mask order $order: the kernel ran the OOM killer, view says oom_killer=$(field oom_killer "$out") ($(field oom_killer_why "$out"))"
		bad=$((bad + 1))
	fi
	# The kernel gave up on a failed request: the view must not say it
	# retries forever.
	if [ "$kind" = fail ] && [ "$(field retry "$out")" = forever ]; then
		diag "$kind $mask order $order: the kernel failed it, view says retry=forever"
		bad=$((bad + 1))
	fi
done <"$TMP.lines"
[ $bad -eq 0 ] && [ $n -ge 1 ]
ok $? "names equal the kernel's %pGg text, OOM masks may OOM, failed ones do not retry forever ($n lines)"

if grep -q '^fail ' "$TMP.lines"; then
	ok 0 "a page allocation failure's mode: line was checked too"
else
	skip "a page allocation failure's mode: line was checked too" \
		"no page allocation failure in dmesg (helper module absent, or this kernel's GFP_NOWAIT has __GFP_NOWARN)"
fi

# Decodings the slow path fixes for well-known masks, from the OOM line's
# mask: GFP_HIGHUSER_MOVABLE-like requests reclaim, wake kswapd, may OOM.
mask=$(awk '$1 == "oom" { print $2; exit }' "$TMP.lines")
out=$(query "$mask 0")
diag "allocator rules decoded for this kernel: $(field alloc_rules "$out")"
is "$(field direct_reclaim "$out") $(field kswapd "$out") $(field retry "$out")" \
	"yes yes while_progress_then_oom" "the OOM mask ($mask) reclaims, wakes kswapd, retries then OOMs"

# Per open file: two open files keep their own masks.
exec 4<>"$DBG/gfp" 5<>"$DBG/gfp"
printf '0xcc0 2' >&4
printf '0x2800' >&5
a=$(sed -n 's/^mask=//p' <&4)
b=$(sed -n 's/^mask=//p' <&5)
exec 4<&- 5<&-
is "$a $b" "0xcc0 0x2800" "each open file keeps its own mask"

is "$(cat "$DBG/gfp" | sed -n 's/^set=//p')" "0" "a fresh open file has no mask (set=0)"

# Bad writes: refused with EINVAL, state kept (an empty write is the
# fuzzer's: printf '' writes nothing).
exec 3<>"$DBG/gfp"
printf '0x400cc0 3' >&3
rej=0
for w in '0x' 'zz' '400cc0' '0x400cc0 ' '0x400cc0  3' '0x400cc0 3x' '0x123456789' \
	'0x400cc0 11' '0x400cc0 -1' ' 0x1' '0x1 3 4' '0x1\n\n'; do
	# shellcheck disable=SC2059
	printf "$w" >&3 2>/dev/null || rej=$((rej + 1))
done
state=$(sed -n 's/^mask=//p; s/^order=//p' <&3 | tr '\n' ' ')
exec 3<&-
is "$rej $state" "12 0x400cc0 3 " "12 malformed writes refused, the state stays 0x400cc0 order 3"

# 10,000 random writes through one open file.
max_order=$(($(head -n1 "$DBG/buddyinfo" | tr ' ' '\n' | sed -n 's/^orders=//p') - 1))
out=$(views_gfpfuzz "$DBG/gfp" 10000 $max_order 0x5eed)
ok $? "views_gfpfuzz: $out"

# Still working, and the kernel log has nothing but the reports we caused.
query "0xcc0" | grep -q '^names=GFP_KERNEL$'
ok $? "the view still decodes 0xcc0 as GFP_KERNEL after the fuzzing"
dmesg | grep -E 'BUG:|WARNING:|Oops|general protection|KASAN|UBSAN|oomdiag:' |
	grep -v 'loading out-of-tree module' >"$TMP.bad"
sed 's/^/# /' "$TMP.bad"
is "$(wc -l <"$TMP.bad")" "0" "kernel log clean (no BUG/WARNING/Oops/KASAN/UBSAN, no oomdiag messages)"
rm -f "$TMP".*
unload_oomdiag
done_testing
