#!/bin/sh
# vm-mem: 256M
# vm-timeout: 700
# oomdiag gfp for the running kernel against the kernel itself:
#  1. the table built from tracefs (module not loaded) names masks exactly as
#     the module's gfp file (the kernel's own %pGg) does;
#  2. with the module, `oomdiag gfp` prints the module's names;
#  3. the built-in table of this release names them the same;
#  4. a real OOM report's "gfp_mask=0x...(names)" line in dmesg decodes to
#     the same names, with the built-in table of this release too.
. /oomdiag/tests/vm/lib.sh

# masks: the common composites of every kernel since 4.15, single bits,
# and combinations with leftovers.
MASKS="0xcc0 0x400cc0 0x100cca 0x140cca 0x140dca 0x2800 0x800 0xa20 0x820 0x40cc0
0x42cc0 0x1 0x2 0x4 0x8 0x10 0x20 0x40 0x80 0x100 0x200 0x400 0x1000 0x2000 0x4000
0x8000 0x10000 0x20000 0x40000 0x80000 0x100000 0x200000 0x400000 0x800000 0x1000000
0x2000000 0x4000000 0x8000000 0x52800 0x0 0x10c40 0x1100cca 0x6000c0"

NMASKS=$(echo $MASKS | wc -w)
# behaviour: masks x orders compared with the module's decoding
BMASKS="0xcc0 0x400cc0 0x100cca 0x2800 0x800 0xa20 0x820 0xc40 0xc00 0x4cc0 0x10cc0 0x8cc0
0x22cc0 0xcc4 0xcc1 0x200cc0 0x2a20 0x80a20 0xa00 0xc80 0x4c80"
NB=$(echo $BMASKS | wc -w)
plan $((NMASKS * 3 + NB * 3 + 6))

# the kernel's own name for MASK, through the module's gfp file
kname() {
	(
		exec 3<>"$DBG/gfp" || exit 1
		printf '%s 0\n' "$1" >&3 || exit 1
		sed -n 's/^names=//p' <&3
	) | sed 's/^-$//'	# the module prints empty as "-"
}

# ours: first line "0xMASK(NAMES)"
oname() {
	oomdiag "$@" | sed -n '1s/^0x[0-9a-f]*(\(.*\))$/\1/p'
}

# 1. tracefs table, before the module is loaded
tbl=$(oomdiag gfp 0xcc0 --no-module | sed -n 's/^  table *//p')
case "$tbl" in
*tracefs*) ok 0 "table without module from tracefs: $tbl" ;;
*) ok 1 "table without module from tracefs: $tbl" ;;
esac
for m in $MASKS; do
	eval "nm_$m=\$(oname gfp $m --no-module)"
done

load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
tbl=$(oomdiag gfp 0xcc0 | sed -n 's/^  table *//p')
case "$tbl" in
*module*) ok 0 "table with module from the module: $tbl" ;;
*) ok 1 "table with module from the module: $tbl" ;;
esac

# The built-in tables model the distribution's config (gfp_tables.c):
# CONFIG_LOCKDEP=n. A lockdep kernel (the debug kernels) gives
# __GFP_NOLOCKDEP a bit and moves every bit above it, so there the built-in
# table is compared only on masks below that bit.
lockdep_bit=0
for m in $MASKS; do
	[ "$(kname "$m")" = __GFP_NOLOCKDEP ] && lockdep_bit=$m
done
[ "$lockdep_bit" = 0 ] || diag "lockdep kernel: __GFP_NOLOCKDEP is $lockdep_bit"
for m in $MASKS; do
	k=$(kname "$m")
	eval "t=\$nm_$m"
	is "$t" "$k" "tracefs table names $m as the kernel does"
	is "$(oname gfp "$m")" "$k" "module table names $m as the kernel does"
	if [ "$lockdep_bit" != 0 ] && [ $((m)) -ge $((lockdep_bit)) ]; then
		skip "built-in table names $m as the kernel does" \
			"lockdep kernel: bits from $lockdep_bit on differ from the distribution's"
		continue
	fi
	is "$(oname gfp "$m" --kernel "$(uname -r)")" "$k" "built-in table names $m as the kernel does"
done

# 4b. what the allocator does: our model against the module's decoding
# (mm/page_alloc.c of this kernel, compiled in)
kv() { sed -n "s/^$1=//p" "$2"; }
jv() {
	v=$(sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$2")
	[ -n "$v" ] || v=$(sed -n "s/.*\"$1\":\([a-z0-9.]*\).*/\1/p" "$2")
	echo "$v"
}
yn() { [ "$1" = true ] && echo yes || echo no; }
for m in $BMASKS; do
	for o in 0 4; do
		(
			exec 3<>"$DBG/gfp" || exit 1
			printf '%s %s\n' "$m" "$o" >&3
			cat <&3
		) >/tmp/k
		oomdiag gfp "$m" --order "$o" --json --no-module >/tmp/o
		pm=$(jv min_watermark_fraction /tmp/o | awk '{ printf "%d", $1 * 1000 + 0.5 }')
		kc=$(kv cma /tmp/k)
		oc=$(yn "$(jv may_use_cma /tmp/o)")
		[ "$kc" = no ] && oc=no	# CONFIG_CMA off: the model says "may", the kernel "no"
		got="direct=$(yn "$(jv direct_reclaim /tmp/o)") kswapd=$(yn "$(jv wakes_kswapd /tmp/o)") \
wmark=$pm highatomic=$(yn "$(jv highatomic_reserve /tmp/o)") cma=$oc \
zone=$(jv zone /tmp/o) mt=$(jv migratetype /tmp/o) retry=$(jv retry_kind /tmp/o) \
oom=$(yn "$(jv may_oom_kill /tmp/o)")"
		kh=$(kv highatomic /tmp/k)
		[ "$kh" = fallback ] && kh=no
		want="direct=$(kv direct_reclaim /tmp/k) kswapd=$(kv kswapd /tmp/k) \
wmark=$(kv min_watermark_permille /tmp/k) highatomic=$kh cma=$kc \
zone=$(kv zone /tmp/k) mt=$(kv migratetype /tmp/k) retry=$(kv retry /tmp/k) \
oom=$(kv oom_killer /tmp/k)"
		is "$got" "$want" "behaviour of $m order $o as the kernel's rules"
	done
	c1=$(kv compaction /tmp/k)
	oomdiag gfp "$m" --order 4 --json --no-module >/tmp/o
	[ "$(jv direct_compaction /tmp/o)" = true ] && oc=yes || oc=no
	[ "$c1" = no ] && kc=no || kc=yes
	is "$oc" "$kc" "compaction of $m order 4"
done

# 3. a real OOM report
dmesg -c >/dev/null
hog -s 8 >/dev/null 2>&1
line=$(dmesg | grep -m1 'invoked oom-killer: gfp_mask=')
diag "$line"
m=$(echo "$line" | sed -n 's/.*gfp_mask=\(0x[0-9a-f]*\)(\([^)]*\)).*/\1/p')
n=$(echo "$line" | sed -n 's/.*gfp_mask=\(0x[0-9a-f]*\)(\([^)]*\)).*/\2/p')
[ -n "$m" ]
ok $? "OOM report with gfp_mask=$m($n) in dmesg"
is "$(oname gfp "$m")" "$n" "dmesg names, running kernel's table"
is "$(oname gfp "$m" --kernel "$(uname -r)")" "$n" "dmesg names, built-in table of $(uname -r)"
unload_oomdiag
done_testing
