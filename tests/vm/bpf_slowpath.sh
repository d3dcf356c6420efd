#!/bin/sh
# vm-mem: 256M
# vm-timeout: 200
# Which program detects allocation failures in the default mode, and that
# no default-mode program runs per allocation.  __alloc_pages_slowpath() is
# notrace, so `oomdiag trace` finds its call in the allocator's entry
# function and puts a kprobe on the call and one on the instruction after
# it (alloc_fail "attached", target ENTRY+0xOFF); only requests that missed
# the fast path reach them.  With kernel.bpf_stats_enabled, 20,000
# successful alloc_pages(GFP_KERNEL, 0) (the helper's "pages 20000") and one
# order-10 GFP_NOWAIT failure: the failure is reported by slow_return (the
# summary's "alloc_fail route=slowpath"), with the helper's gfp and order
# and a zone snapshot, and no program of the default mode ran anywhere near
# once per allocation (a per-allocation program, like the mm_page_alloc
# fallback's, would have run 20,000 times or more).  --latency, which does
# time every allocation, is the control: its alloc_enter runs 20,000 times.
# Last, the fallback: with /proc/kcore hidden (a bind mount of /dev/null)
# the call site cannot be found, the probe line says so and why, the
# summary names mm_page_alloc, and the failure is still reported.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

ko=/oomdiag/kmod/oomdiag_test_alloc.ko
A=/sys/kernel/debug/oomdiag_test
[ -f $ko ] || { plan 1; skip "slow path route" "no $ko for $(uname -r)"; exit 0; }
grep -q '^oomdiag ' /proc/modules && bail "module loaded; this test is for the BPF path"
N=20000

# max_runs: the highest run_cnt of the tracer's "prog" lines, and its name
max_runs() {
	grep '^prog ' "$TR_OUT" | tr ' ' '\n' | awk -F= '
		$0 !~ /=/ { p = $0 } $1 == "run_cnt" && $2 + 0 >= m { m = $2 + 0; n = p }
		END { print m + 0, n }'
}

plan 16
insmod $ko
ok $? "insmod oomdiag_test_alloc"
echo 1 >/proc/sys/kernel/bpf_stats_enabled
trace_start --min-order 10
ok $? "oomdiag trace --min-order 10 attached"
grep '^probe \(alloc_fail\|memcg_charge\|alloc_latency\)' "$TR_ERR" | while read -r l; do diag "$l"; done
pl=$(grep '^probe alloc_fail ' "$TR_ERR")
is "$(probe_state alloc_fail)" attached "alloc_fail attached (not the mm_page_alloc fallback)"
echo "$pl" | grep -q ' attached  *[_a-z]*+0x[0-9a-f]*: kprobes on the call of the notrace __alloc_pages_slowpath'
ok $? "its target is the slow path's call site in the allocator entry function"
echo "pages $N" >$A/alloc
rp=$(cat $A/result)
echo 'nowait 10' >$A/alloc
r1=$(cat $A/result)
diag "helper: $rp"
diag "helper: $r1"
g1=$(kv "$r1" gfp)
trace_stop
ok $? "trace exits 0"
echo 0 >/proc/sys/kernel/bpf_stats_enabled
grep '^alloc_fail route\|^prog ' "$TR_OUT" | while read -r l; do diag "$l"; done
route=$(grep '^alloc_fail route=' "$TR_OUT")
is "$(kv "$route" route) $(kv "$route" progs | cut -d, -f1-2)" "slowpath slow_call,slow_return" \
	"summary: alloc_fail came from the slow path's kprobes"
[ "$(kv "$route" slow_calls)" -ge 1 ] && [ "$(kv "$route" unmatched)" -le 2 ]
ok $? "the slow path ran ($(kv "$route" slow_calls) calls, $(kv "$route" slow_returns) returns, $(kv "$route" unmatched) unmatched)"
f1=$(events alloc_fail | head -n1)
diag "bpf: $f1"
is "$(kv "$f1" gfp) $(kv "$f1" order) $(kv "$f1" context)" "$g1 10 task" \
	"the failure reported: helper's gfp, order 10, task context"
tr_block "$(kv "$f1" seq)" | grep -q '^  zone node=0 zone=[A-Za-z0-9]* free_pages=[0-9]* .* free_blocks=[0-9,]*$'
ok $? "with its zone snapshot"
set -- $(max_runs)
[ "$1" -lt $((N / 10)) ]
ok $? "no default-mode program ran per allocation: busiest $2 with $1 runs for $N allocations"

trace_start --latency --min-order 0
ok $? "oomdiag trace --latency attached"
echo 1 >/proc/sys/kernel/bpf_stats_enabled
echo "pages $N" >$A/alloc
trace_stop
echo 0 >/proc/sys/kernel/bpf_stats_enabled
grep '^prog ' "$TR_OUT" | while read -r l; do diag "--latency: $l"; done
n=$(grep '^prog alloc_enter ' "$TR_OUT" | tr ' ' '\n' | sed -n 's/^run_cnt=//p')
[ "${n:-0}" -ge $N ]
ok $? "control: --latency's alloc_enter ran per allocation (${n:-0} runs), which the check above would catch"
mount --bind /dev/null /proc/kcore
trace_start --min-order 10
ok $? "oomdiag trace attached with /proc/kcore hidden"
echo 'nowait 10' >$A/alloc
r2=$(cat $A/result)
trace_stop
umount /proc/kcore
pl=$(grep '^probe alloc_fail ' "$TR_ERR")
diag "$pl"
echo "$pl" | grep -q ' fallback  *kmem:mm_page_alloc.*cannot read .* from /proc/kcore'
ok $? "alloc_fail falls back to mm_page_alloc and says why"
route=$(grep '^alloc_fail route=' "$TR_OUT")
diag "$route"
is "$(kv "$route" route)" mm_page_alloc "summary: alloc_fail route=mm_page_alloc"
f2=$(events alloc_fail | head -n1)
is "$(kv "$f2" gfp) $(kv "$f2" order)" "$(kv "$r2" gfp) 10" "the fallback reports the failure too"
rmmod oomdiag_test_alloc
done_testing
