#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# The same failures seen by both sources at once: oomdiag.ko's flight
# recorder (debugfs events) and `oomdiag trace` (BPF).  A GFP_NOWAIT
# order-10 failure (helper module) and a hog's OOM kill must be reported
# by both with the same victim, gfp (mask and names) and order, in the same
# key=value record format.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

ko=/oomdiag/kmod/oomdiag_test_alloc.ko
A=/sys/kernel/debug/oomdiag_test
plan 15
load_oomdiag
ok $? "insmod oomdiag.ko"
[ -w "$DBG/armed" ] && echo 1 >"$DBG/armed"
[ -r "$DBG/events" ]
ok $? "module events file present"
trace_start
ok $? "oomdiag trace attached beside the module"

# mrec KIND: the module's first record of KIND
mrec() {
	grep "^seq=.* kind=$1 " "$DBG/events" | head -n1
}
if [ -f $ko ] && insmod $ko; then
	echo 'nowait 10' >$A/alloc
	diag "helper: $(cat $A/result)"
	have=1
else
	have=0
fi
hog >/dev/null 2>&1
sleep 1
trace_stop
cp "$DBG/events" /tmp/module.events

if [ $have = 1 ]; then
	m=$(mrec warn_alloc); b=$(events warn_alloc | head -n1)
	diag "module: $m"
	diag "bpf:    $b"
	[ -n "$m" ] && [ -n "$b" ]
	ok $? "warn_alloc seen by both"
	is "$(kv "$b" gfp) $(kv "$b" gfp_names)" "$(kv "$m" gfp) $(kv "$m" gfp_names)" "warn_alloc: same gfp mask and names"
	is "$(kv "$b" order) $(kv "$b" pid) $(kv "$b" comm)" "$(kv "$m" order) $(kv "$m" pid) $(kv "$m" comm)" \
		"warn_alloc: same order and task"
	m=$(grep "^seq=.* kind=alloc_fail .* order=10 " "$DBG/events" | head -n1)
	b=$(events alloc_fail | grep ' order=10 ' | head -n1)
	is "$(kv "$b" gfp) $(kv "$b" order)" "$(kv "$m" gfp) $(kv "$m" order)" "alloc_fail: same gfp and order"
	# both snapshots taken in the same tracepoint hit: the same zones, and
	# the same free order-10 blocks (the helper holds every one)
	mb=$(record_block /tmp/module.events "$(kv "$m" seq)")
	bb=$(tr_block "$(kv "$b" seq)")
	free10() { echo "$1" | grep '^  zone ' | sed 's/.* zone=\([^ ]*\) .*free_blocks=.*,\([0-9]*\)$/\1:\2/' | tr '\n' ' '; }
	is "$(zone_static "$bb") / $(zone_static "$mb")" "$(zone_static) / $(zone_static)" \
		"alloc_fail: both snapshots have the zones, managed pages, watermark gaps of /proc/zoneinfo"
	is "$(free10 "$bb")" "$(free10 "$mb")" "alloc_fail: same free order-10 blocks per zone"
	rmmod oomdiag_test_alloc
else
	for i in 1 2 3 4 5 6; do skip "alloc failure comparison" "no $ko for $(uname -r)"; done
fi

m=$(mrec oom_kill); b=$(events oom_kill | head -n1)
diag "module: $m"
diag "bpf:    $b"
[ -n "$m" ] && [ -n "$b" ]
ok $? "oom_kill seen by both"
is "$(kv "$b" victim_pid) $(kv "$b" victim_comm)" "$(kv "$m" victim_pid) $(kv "$m" victim_comm)" "same victim"
is "$(kv "$b" gfp) $(kv "$b" gfp_names) $(kv "$b" order)" "$(kv "$m" gfp) $(kv "$m" gfp_names) $(kv "$m" order)" \
	"same gfp and order of the trigger"
is "$(kv "$b" points) $(kv "$b" totalpages) $(kv "$b" constraint)" \
	"$(kv "$m" points) $(kv "$m" totalpages) $(kv "$m" constraint)" "same points, totalpages, constraint"
is "$(kv "$b" victim_pid)" "$(dmesg_killed | head -n1 | cut -d' ' -f1)" "and both = dmesg"
is "$(zone_static "$(tr_block "$(kv "$b" seq)")")" "$(zone_static)" \
	"oom_kill snapshot: the zones of /proc/zoneinfo"
unload_oomdiag
done_testing
