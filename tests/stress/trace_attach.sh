#!/bin/sh
# vm-mem: 256M
# vm-timeout: 400
# `oomdiag trace` attached and detached repeatedly (argument 1 = rounds,
# default 20) while hogs keep the allocator under pressure and the module is
# loaded too.  Sessions end by --duration 3 or by SIGINT after 6 s; each
# must exit 0 (or die of the SIGINT if it lands before the probes are
# attached: counted), or refuse with "oomdiag: failed to ...: Cannot
# allocate memory" when the pressure leaves no room for its maps (counted).  After the last detach the kernel's list of kprobes
# (debugfs kprobes/list) must be what it was before the first attach:
# nothing left behind.
. /oomdiag/tests/stress/stresslib.sh

n=${1:-20}
plan 6
load_oomdiag || bail "insmod failed"
echo -1000 >/proc/self/oom_score_adj
kp=/sys/kernel/debug/kprobes/list
kprobes_before=$(cat $kp 2>/dev/null | wc -l)
if ! oomdiag trace --help >/dev/null 2>&1 && ! oomdiag help 2>&1 | grep -q trace; then
	for t in 1 2 3 4 5 6; do skip "oomdiag trace" "no trace command in this oomdiag"; done
	rmmod oomdiag
	done_testing
fi
# Pressure: hogs in a loop, each killed by the OOM killer.
(
	while [ ! -e $STOP ]; do
		hog -a 0 -s 8 >/dev/null 2>&1
	done
) &
i=0 bad=0 lines=0 events=0 sigkilled=0 enomem=0
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	# Odd rounds stop by --duration, even rounds by SIGINT (in the
	# foreground: a background job of a non-interactive shell starts with
	# SIGINT ignored).  A SIGINT that lands while the probes are still being
	# loaded kills it (130): the kernel must then clean up all the same.
	# The outer timeout only guards against a trace that does not stop.
	if [ $((i % 2)) -eq 1 ]; then
		timeout -s KILL 60 oomdiag trace --duration 3 >/tmp/trace.out 2>/tmp/trace.err
		st=$?
	else
		timeout -s KILL 60 timeout -s INT 6 oomdiag trace >/tmp/trace.out 2>/tmp/trace.err
		st=$?
		[ $st -eq 130 ] && { sigkilled=$((sigkilled + 1)); st=interrupted; }
	fi
	if [ "$st" = 0 ]; then
		grep -q attached /tmp/trace.err || st=not-attached
	elif [ "$st" = interrupted ]; then
		st=0
	fi
	# Under memory pressure loading may fail for lack of memory (maps, BTF):
	# fine when it says so and leaves nothing behind; counted.
	if [ "$st" = 1 ] && grep -q '^oomdiag: failed to .*Cannot allocate memory' /tmp/trace.err; then
		enomem=$((enomem + 1))
		st=0
	fi
	if [ "$st" != 0 ]; then
		bad=$((bad + 1))
		[ $bad -le 3 ] && diag "round $i: exit $st: $(head -c 300 /tmp/trace.err)"
	fi
	lines=$((lines + $(wc -l </tmp/trace.out)))
	events=$((events + $(grep -vc '^probe ' /tmp/trace.out)))
done
touch $STOP
wait
is "$bad" 0 "$n trace sessions attached and detached cleanly ($enomem refused for lack of memory, with a message)"
[ "$enomem" -lt "$n" ]
ok $? "at least one session attached under pressure"
is "$(cat $kp 2>/dev/null | wc -l)" "$kprobes_before" "no kprobe left behind (kprobes/list)"
[ "$(killed_count)" -gt 0 ]
ok $? "the allocator was under pressure: $(killed_count) OOM kills during the sessions"
rmmod oomdiag
ok $? "rmmod afterwards"
[ ! -e "$DBG" ]
ok $? "debugfs directory gone"
figure trace_sessions "$n"
figure trace_interrupted_while_loading "$sigkilled"
figure trace_refused_enomem "$enomem"
figure trace_output_lines "$lines"
figure trace_event_lines "$events"
figure ooms "$(killed_count)"
figure duration_ms "$(elapsed_ms)"
done_testing
