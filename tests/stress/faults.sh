#!/bin/sh
# vm-mem: 256M
# vm-timeout: 600
# vm-kernel-warning-ok: ^WARNING: CPU: [0-9]+ PID: [0-9]+ at mm/vmalloc.c:[0-9]+ alloc_vmap_area
# Injected allocation failures (argument 1 = rounds, default 30): the
# kernel's fault injection (failslab, fail_page_alloc with task-filter, so
# only the task under test sees them) makes a random share of the kernel's
# allocations fail for
#   - insmod oomdiag.ko: init must either succeed or fail with an error and
#     leave nothing behind (no debugfs directory, no module, the next plain
#     insmod works); KASAN and kmemleak watch its error paths;
#   - reads of every debugfs file of the loaded module: a read succeeds or
#     fails with an error, never oopses;
#   - `oomdiag trace --duration 1`: it attaches and exits 0, or refuses with
#     "oomdiag: failed to ..." and exits 1; never dies of a signal (a libbpf
#     feature probe that fails for lack of memory once left the skeleton's
#     .rodata unmapped and trace crashed on it), and leaves no kprobe behind.
# Needs CONFIG_FAULT_INJECTION_DEBUG_FS (the debug kernel); skips elsewhere.
# The one kernel warning allowed: 6.1's alloc_vmap_area() WARN_ON_ONCE when
# its GFP_NOWAIT split of a free vmap area fails, which only an injected
# slab failure provokes (any vmalloc, e.g. the module loader's, can hit it).
. /oomdiag/tests/stress/stresslib.sh

n=${1:-30}
plan 7
FS=/sys/kernel/debug/failslab
FP=/sys/kernel/debug/fail_page_alloc
if [ ! -d $FS ] || [ ! -d $FP ]; then
	for t in 1 2 3 4 5 6 7; do skip "fault injection" "kernel without CONFIG_FAULT_INJECTION_DEBUG_FS (the debug kernel has it)"; done
	done_testing
fi
# set_faults PERCENT INTERVAL [TIMES]: of a marked task's allocations,
# sleeping or not, every INTERVAL-th fails with PERCENT probability, at most
# TIMES times (default unlimited); no stack dump per failure (verbose=0:
# the splat scanner would take it for a bug).
set_faults() {
	for d in $FS $FP; do
		echo Y >$d/task-filter
		echo N >$d/ignore-gfp-wait
		echo 0 >$d/verbose
		echo "${3:--1}" >$d/times
		echo 0 >$d/space
		echo "$1" >$d/probability
		echo "$2" >$d/interval
	done
	echo N >$FP/ignore-gfp-highmem
}
kp=/sys/kernel/debug/kprobes/list
kprobes_before=$(cat $kp 2>/dev/null | wc -l)

# failing CMD...: run CMD with fault injection on for it (and only it).
failing() {
	sh -c 'echo 1 >/proc/self/make-it-fail && exec "$@"' sh "$@"
}

# 1-3: insmod under faults: about 3 allocations in 100 fail.
set_faults "${FAULT_PROBABILITY:-3}" 1
loaded=0 refused=0 badload=0 leftover=0
i=0
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	if failing insmod "$OOMDIAG_ROOT/oomdiag.ko" 2>/tmp/insmod.err; then
		loaded=$((loaded + 1))
		rmmod oomdiag || badload=$((badload + 1))
	else
		refused=$((refused + 1))
		if [ -e "$DBG" ] || grep -q '^oomdiag ' /proc/modules; then
			leftover=$((leftover + 1))
			[ $leftover -le 3 ] && diag "round $i: insmod failed ($(head -c 200 /tmp/insmod.err)) but left $DBG or the module"
			rmmod oomdiag 2>/dev/null
		fi
	fi
done
is "$leftover" 0 "$n insmods under injected faults: $loaded loaded, $refused failed, none left a trace"
is "$badload" 0 "every module loaded under faults unloads"
load_oomdiag
ok $? "a plain insmod works afterwards"

# 4: reads of every file under faults.
reads=0 rfail=0
i=0
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	for f in $(dbg_files); do
		if failing cat "$f" >/dev/null 2>&1; then
			reads=$((reads + 1))
		else
			rfail=$((rfail + 1))
		fi
	done
done
[ $reads -gt 0 ]
ok $? "$((reads + rfail)) reads of $(dbg_files | wc -l) files under injected faults: $reads succeeded, $rfail failed cleanly"
rmmod oomdiag
ok $? "rmmod after the reads"

# 5-6: oomdiag trace under faults.  Odd rounds: about 3 allocations in 100
# fail, so nearly every session meets several failures (libbpf's feature
# probes among them).  Even rounds: one slab and one page allocation fail,
# each the INTERVAL-th, a different point each round (exec, BTF, map
# creation, the verifier, attach), so sessions also get past a failure and
# attach.  A SIGSEGV is ours only when the kernel reports oomdiag's own
# fault ("oomdiag[PID]: segfault at"): an exec that fails past its point of
# no return is killed with SIGSEGV by the kernel, silently.
# own_crash PID: "yes" when the kernel reports a fault of oomdiag's own
# code (a segfault away from the stack, a trap, a protection fault), "no"
# when nothing is reported (an exec killed past its point of no return) or
# the fault is at the stack pointer (a stack page could not be allocated).
own_crash() {
	dmesg | awk -v p="oomdiag[$1]" '$0 ~ /(segfault|traps:|general protection)/ && index($0, p) {
		if ($0 !~ /segfault at/) { print "yes"; found = 1; exit }
		for (i = 1; i < NF; i++) { if ($i == "at") a = $(i + 1); if ($i == "sp") sp = $(i + 1) }
		print "x", a, sp; found = 1; exit
	} END { if (!found) print "no" }' | {
		read -r what a sp
		if [ "$what" = x ]; then
			d=$((0x$a - 0x$sp))
			[ $d -lt 0 ] && d=$((-d))
			if [ $d -lt 1048576 ]; then echo no; else echo yes; fi
		else
			echo "$what"
		fi
	}
}

attached=0 tref=0 tbad=0 execfail=0 killed=0
i=0
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	if [ $((i % 2)) -eq 1 ]; then
		set_faults "${FAULT_PROBABILITY:-3}" 1
	else
		set_faults 100 $((20 + (i * 7919) % 6000)) 1
	fi
	failing oomdiag trace --duration 1 >/tmp/trace.out 2>/tmp/trace.err &
	pid=$!
	wait $pid
	st=$?
	if [ $st -ge 128 ] && [ "$(own_crash $pid)" = no ]; then
		killed=$((killed + 1))
	elif [ $st -eq 0 ] && grep -q attached /tmp/trace.err; then
		attached=$((attached + 1))
	elif [ $st -eq 1 ] && grep -q '^oomdiag: failed to ' /tmp/trace.err; then
		tref=$((tref + 1))
	elif [ $st -ge 126 ] && [ $st -le 127 ] && ! grep -q '^oomdiag' /tmp/trace.err &&
		grep -q -e '^sh: ' -e 'error while loading shared libraries' /tmp/trace.err; then
		# The shell's exec of oomdiag, or the static binary's own startup
		# relocation, failed (an injected fault).
		execfail=$((execfail + 1))
	else
		tbad=$((tbad + 1))
		[ $tbad -le 3 ] && diag "round $i: exit $st: $(head -c 300 /tmp/trace.err)"
	fi
done
is "$tbad" 0 "$n trace sessions under injected faults: $attached attached, $tref refused with a message, $execfail could not exec, $killed killed by the kernel (exec, stack)"
is "$(cat $kp 2>/dev/null | wc -l)" "$kprobes_before" "no kprobe left behind (kprobes/list)"

for d in $FS $FP; do
	echo 0 >$d/probability
done
figure rounds "$n"
figure insmod_loaded "$loaded"
figure insmod_failed "$refused"
figure reads_ok "$reads"
figure reads_failed "$rfail"
figure trace_attached "$attached"
figure trace_refused "$tref"
figure trace_exec_failed "$execfail"
figure trace_killed_by_kernel "$killed"
figure duration_ms "$(elapsed_ms)"
done_testing
