#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# A memory hog reaches the global OOM killer with only the BPF probes
# attached (module not loaded): the oom_kill and oom_victim events name the
# same victim, rss, uid, adj, constraint, gfp and order as the kernel's own
# OOM report in dmesg.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

plan 20
grep -q '^oomdiag ' /proc/modules && bail "module loaded; this test is for the BPF path"
oomdiag trace >/tmp/human.out 2>/tmp/human.err &
HP=$!
trace_start
ok $? "oomdiag trace --records attached (and a second tracer, default output)"
is "$(probe_state oom_kill)" attached "oom_kill probe attached"
case $(probe_state mark_victim) in attached|fallback) r=0 ;; *) r=1 ;; esac
ok $r "mark_victim probe attached or fallback ($(probe_state mark_victim))"
hog >/dev/null 2>&1
st=$?
[ $st -ge 128 ]
ok $? "hog was killed (status $st)"
sleep 1
trace_stop
ok $? "trace exits 0 on SIGINT"
kill -INT $HP; wait $HP

kill_line=$(dmesg | grep 'Killed process' | head -n1)
inv_line=$(dmesg | grep 'invoked oom-killer' | head -n1)
diag "dmesg: $inv_line"
diag "dmesg: $kill_line"
ev=$(events oom_kill | head -n1)
diag "bpf:   $ev"
d_pid=$(echo "$kill_line" | sed -n 's/.*Killed process \([0-9]*\) .*/\1/p')
d_comm=$(echo "$kill_line" | sed -n 's/.*Killed process [0-9]* (\(.*\)) total-vm.*/\1/p')
is "$(kv "$ev" victim_pid)" "$d_pid" "victim pid = dmesg Killed process pid"
is "$(kv "$ev" victim_comm)" "$d_comm" "victim comm = dmesg"
is "$(kv "$ev" victim_uid)" "$(echo "$kill_line" | sed -n 's/.*UID:\([0-9]*\).*/\1/p')" "victim uid = dmesg UID"
is "$(kv "$ev" oom_score_adj)" "$(echo "$kill_line" | sed -n 's/.*oom_score_adj:\(-*[0-9]*\).*/\1/p')" "oom_score_adj = dmesg"
# anon rss: exact up to 6.1 (atomic counters); since 6.2 the counters are
# percpu_counters: we sum them exactly, some kernels print the approximate
# value, which is off by at most the batch (32 pages) per CPU.
b_rss=$(kv "$ev" anon_rss_kb)
d_rss=$(echo "$kill_line" | sed -n 's/.*anon-rss:\([0-9]*\)kB.*/\1/p')
set -- $(uname -r | tr '.-' '  ')
tol=0
[ "$1" -gt 6 ] || { [ "$1" -eq 6 ] && [ "$2" -ge 2 ]; } && tol=$((32 * 4 * $(nproc)))
diff=$((b_rss - d_rss))
[ -n "$b_rss" ] && [ ${diff#-} -le $tol ]
ok $? "anon rss $b_rss kB = dmesg anon-rss $d_rss kB (tolerance $tol kB)"
# file and shmem rss the same way: each counter is its own element of the
# rss_stat array (on the sid debug kernel, whose percpu_counter is larger
# than vmlinux.h's, every element but the first was read at a wrong offset)
for c in file shmem; do
	b=$(kv "$ev" ${c}_rss_kb)
	d=$(echo "$kill_line" | sed -n "s/.*$c-rss:\([0-9]*\)kB.*/\1/p")
	diff=$((${b:-0} - ${d:-0}))
	[ -n "$b" ] && [ -n "$d" ] && [ ${diff#-} -le $tol ]
	ok $? "$c rss $b kB = dmesg $c-rss $d kB (tolerance $tol kB)"
done
is "$(kv "$ev" constraint)" \
	"$(dmesg | sed -n 's/.*oom-kill:constraint=CONSTRAINT_\([A-Z_]*\),.*/\1/p' | head -n1 | tr A-Z a-z)" \
	"constraint = dmesg oom-kill:constraint"
# gfp=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO) in both
is "$(gfpn "$ev")" "$(echo "$inv_line" | sed -n 's/.*gfp_mask=\(0x[0-9a-f]*([^)]*)\).*/\1/p')" \
	"gfp mask and names = dmesg gfp_mask"
is "$(kv "$ev" order)" "$(echo "$inv_line" | sed -n 's/.*, order=\(-*[0-9]*\),.*/\1/p')" "order = dmesg"
is "$(kv "$ev" comm)" "$(echo "$inv_line" | sed -n 's/^\[[^]]*\] \(.*\) invoked oom-killer.*/\1/p')" \
	"triggering task = dmesg '... invoked oom-killer'"
vic=$(events oom_victim | head -n1)
is "$(kv "$vic" victim_pid)" "$d_pid" "oom_victim (mark_victim) pid = dmesg"
grep -q " oom_kill .* killed $d_comm pid $d_pid \[bpf\]" /tmp/human.out
ok $? "default output: the shared event line (killed $d_comm pid $d_pid [bpf])"
grep -q '^      oom_kill_process+0x' /tmp/human.out
ok $? "default output: symbolised stack"
grep -q '^events kind=oom_kill produced=1 delivered=1 dropped=0' "$TR_OUT"
ok $? "summary: one oom_kill produced and delivered, none dropped"
done_testing
