#!/bin/sh
# vm-mem: 384M
# vm-smp: 2
# vm-timeout: 900
# Issue 21: arm and disarm the recorder as fast as possible, and now and
# then unload and reload it with another ring_size, while every hook fires
# on both CPUs: order-10 GFP_NOWAIT failures through the test helper
# (mm_page_alloc, slow path, warn_alloc and its printed/ratelimited probe),
# overcommit-refused mmap and brk (__vm_enough_memory, do_mmap, do_brk_flags,
# sys_brk), exec'd programs refused by ulimit -v
# (may_expand_vm, deferred to do_mmap) and readers of the events file.
# Argument 1: seconds to run (default 600).  On the debug kernel any KASAN,
# lockdep or sleep-in-atomic report fails the run (vm-run's splat scan): the
# use-after-free of issue 21 was a slot of the in-flight table left pointing
# into a kretprobe instance freed while the recorder was disarmed.
. /oomdiag/tests/stress/stresslib.sh
. /oomdiag/tests/vm/recorder_lib.inc

secs=${1:-600}
plan 7
load_helper || bail "insmod oomdiag_test_alloc failed"
load_oomdiag || bail "insmod oomdiag failed"
diag "$(nproc) CPUs, $secs s"

# Refusals in vm.overcommit_memory=0: requests above RAM + swap.  Not mode
# 2: there __vm_enough_memory() charges a request to vm_committed_as before
# it checks the limit and takes it back only after its rate-limited warning,
# so while a refused request is in flight every other commit is refused too
# (fork and exec of the other loads: "comm: exe, bytes: 4096 not enough
# memory" in dmesg, and busybox ash leaves a loop on "can't fork").  That is
# the kernel's (docs/hardening.md shows it without oomdiag); on 7.2 it
# stopped two of the four loads.  recorder_vm tests mode 2 refusals.
echo 0 >/proc/sys/vm/overcommit_memory
tot_kb=$(awk '/^(MemTotal|SwapTotal):/ { s += $2 } END { print s }' /proc/meminfo)
refused=$((tot_kb * 2048))

# One write of the failer holds every free order-10 block (init_on_alloc
# zeroes each) and runs seconds in the kernel without a voluntary context
# switch, which holds up RCU Tasks grace periods (the kprobe optimizer's,
# that every arm and disarm waits for: docs/hardening.md); the sleep gives
# them a quiescent state at least once per write.
failer() {
	n=0
	while [ ! -e $STOP ]; do
		echo 'nowait 10' >"$HELPER/alloc" 2>/dev/null && n=$((n + 1))
		sleep 0.01
	done
	echo $n >/tmp/n.failer
}
refuser() {
	n=0
	while [ ! -e $STOP ]; do
		bigmalloc $refused >/dev/null
		bigmalloc $refused brk >/dev/null
		n=$((n + 2))
	done
	echo $n >/tmp/n.refuser
}
rlimiter() {
	n=0
	while [ ! -e $STOP ]; do
		sh -c 'ulimit -v 32768 && exec bigmalloc 64m' >/dev/null 2>&1
		n=$((n + 1))
	done
	echo $n >/tmp/n.rlimiter
}
reader() {
	n=0
	while [ ! -e $STOP ]; do
		cat "$DBG/events" >/dev/null 2>&1 && n=$((n + 1))
	done
	echo $n >/tmp/n.reader
}
failer &
refuser &
rlimiter &
reader &

# The toggler: arm/disarm cycles; every 4th cycle an rmmod and an insmod
# with the next ring_size (the ring is sized at load only).
end=$(($(now_ms) + secs * 1000))
cycles=0 reloads=0 armfail=0 loadfail=0 hits=0 produced=0 lost=0 cycle_ms=0 cycle_max=0
# (65536 records would take ~240 MB of this guest: issue 14's record size.)
sizes="16 4096 256 1024 64"
# Hook hits and records made by this load of the module (counters restart
# at each load): summed before each unload.
count_load() {
	h=$(grep '^# hook ' "$DBG/events" | sed -n 's/.* hits=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	hits=$((hits + h))
	produced=$((produced + $(hdr next_seq)))
	lost=$((lost + $(hdr lost)))
}
while [ "$(now_ms)" -lt $end ]; do
	if [ ! -e "$DBG/armed" ]; then
		# A failed reload (counted): try again rather than toggle nothing.
		load_oomdiag 2>/dev/null || { sleep 1; continue; }
	fi
	t0=$(now_ms)
	echo 0 >"$DBG/armed" 2>/dev/null || armfail=$((armfail + 1))
	echo 1 >"$DBG/armed" 2>/dev/null || armfail=$((armfail + 1))
	t=$(($(now_ms) - t0))
	[ $t -gt $cycle_max ] && cycle_max=$t
	cycles=$((cycles + 1))
	cycle_ms=$((cycle_ms + t))
	if [ $((cycles % 4)) -eq 0 ]; then
		count_load
		rmmod_retry >/dev/null || { loadfail=$((loadfail + 1)); continue; }
		size=$(echo $sizes | cut -d' ' -f$((reloads % 5 + 1)))
		load_oomdiag ring_size=$size || loadfail=$((loadfail + 1))
		reloads=$((reloads + 1))
	fi
done
touch $STOP
wait
for f in failer refuser rlimiter reader; do
	[ -s /tmp/n.$f ] || { diag "load $f did not report (died?)"; echo 0 >/tmp/n.$f; }
done

snap
count_load
is "$armfail" 0 "$cycles arm/disarm cycles, every write accepted"
is "$loadfail" 0 "$reloads unload/reload cycles with ring sizes $sizes"
[ "$(cat /tmp/n.failer)" -gt 0 ] && [ "$(cat /tmp/n.refuser)" -gt 0 ] && [ "$(cat /tmp/n.rlimiter)" -gt 0 ]
ok $? "load ran: $(cat /tmp/n.failer) helper failures, $(cat /tmp/n.refuser) refused mmap/brk, $(cat /tmp/n.rlimiter) ulimit -v execs"
nrec=$(grep -c '^seq=' "$REC_OUT")
[ "$nrec" -gt 0 ]
ok $? "records in the ring at the end: $nrec"
# Every vm_refused record is a whole one: an rlimit record names the
# rlimiter's command and limit, an overcommit record the refuser's size.
bad=$(awk '/^seq=.* kind=vm_refused / {
	r = ""; c = ""; l = ""; p = ""
	for (i = 1; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "reason") r = kv[2]; else if (kv[1] == "comm") c = kv[2]
		else if (kv[1] == "limit") l = kv[2]; else if (kv[1] == "pages") p = kv[2]
	}
	if (c != "bigmalloc") next
	if (r == "rlimit_as" && l != 33554432) print
	else if (r == "overcommit" && p != rp && p != rp + 1) print
}' rp=$((refused / 4096)) "$REC_OUT" | wc -l)
is "$bad" 0 "no vm_refused record mixes fields of another request"
grep -q '0xffff' "$REC_OUT"
ok $((! $?)) "no raw kernel address in the events file"
rmmod_retry >/dev/null
ok $? "rmmod at the end"
figure seconds "$secs"
figure arm_cycles "$cycles"
figure arm_disarm_ms_mean "$((cycle_ms / (cycles > 0 ? cycles : 1)))"
figure arm_disarm_ms_max "$cycle_max"
figure reloads "$reloads"
figure helper_failures "$(cat /tmp/n.failer)"
figure refused_calls "$(cat /tmp/n.refuser)"
figure rlimit_execs "$(cat /tmp/n.rlimiter)"
figure reads "$(cat /tmp/n.reader)"
figure hook_hits "$hits"
figure records "$produced"
figure records_at_end "$nrec"
figure lost "$lost"
diag "last load's ring: $(grep '^# ring ' "$REC_OUT" | cut -c3-)"
done_testing
