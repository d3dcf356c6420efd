#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# Behaviour under kernel lockdown (docs/security.md).  Meaningful only when
# the kernel runs with lockdown=integrity or lockdown=confidentiality
# (tests/unit/hardening_lockdown.sh boots 6.1 that way); otherwise skipped.
#   - oomdiag.ko, unsigned, is refused: EPERM, and the kernel says why
#     ("Lockdown: insmod: unsigned module loading is restricted").
#   - debugfs under lockdown opens only files that are read-only for
#     everyone (mode within 0444, opened read-only): our 0400 views would
#     open, our 0600 files (gfp, events) would be refused with EPERM.  Shown
#     on the kernel's own kprobes/list (0400) and kprobes/enabled (0600).
#   - oomdiag status and explain work without the module.
#   - oomdiag trace (BPF) attaches under integrity; under confidentiality
#     BPF may not read kernel memory and tracefs is off: it must fail with
#     an "oomdiag: failed to ..." message, not hang or crash.
. /oomdiag/tests/vm/lib.sh

plan 8
mkdir -p /sys/kernel/security
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mode=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/security/lockdown 2>/dev/null)
if [ -z "$mode" ] || [ "$mode" = none ]; then
	for i in 1 2 3 4 5 6 7 8; do skip "lockdown behaviour" "kernel not locked down (${mode:-no lockdown LSM}); see tests/unit/hardening_lockdown.sh"; done
	done_testing
fi
diag "lockdown: $mode on $(uname -r)"
# "Lockdown: ..." notices are ratelimited (10 per 5 s); under
# confidentiality boot already spent them on tracefs: let the window pass.
sleep 6

err=$(insmod /oomdiag/oomdiag.ko 2>&1)
rc=$?
[ $rc -ne 0 ] && echo "$err" | grep -q 'Operation not permitted'
ok $? "insmod of the unsigned module refused with EPERM ($err)"
dmesg | grep -q 'Lockdown: insmod: unsigned module loading is restricted'
ok $? "the kernel log says why (Lockdown: insmod: unsigned module loading is restricted)"

cat /sys/kernel/debug/kprobes/list >/dev/null 2>&1
ok $? "debugfs: a 0400 file opens read-only (kprobes/list)"
err=$(cat /sys/kernel/debug/kprobes/enabled 2>&1 >/dev/null)
echo "$err" | grep -q 'Operation not permitted'
ok $? "debugfs: a 0600 file is refused even for reading ($err)"
dmesg | grep -q 'debugfs access is restricted'
ok $? "the kernel log says why (Lockdown: cat: debugfs access is restricted)"

oomdiag status >/tmp/status.out 2>&1
st=$?
[ $st -eq 0 ] && grep -q 'module not loaded' /tmp/status.out
ok $? "oomdiag status works from /proc without the module (exit $st)"
oomdiag explain /oomdiag/tests/bed/oom-report.log >/tmp/explain.out 2>&1 && grep -q 'OOM kill' /tmp/explain.out
ok $? "oomdiag explain works on a saved report"

# Under confidentiality trace must give up by itself once loaded (which
# takes more than 6 s under TCG); a SIGINT during the load exits 0.
limit=6
[ "$mode" = integrity ] || limit=60
timeout -s INT $limit oomdiag trace >/tmp/trace.out 2>&1
st=$?
diag "trace exit $st: $(grep -m1 'oomdiag:' /tmp/trace.out)"
if [ "$mode" = integrity ]; then
	[ $st -eq 0 ] && grep -q 'attached' /tmp/trace.out
	ok $? "integrity: oomdiag trace attaches its BPF probes (exit $st)"
else
	[ $st -ne 0 ] && [ $st -ne 124 ] && grep -q '^oomdiag: failed to' /tmp/trace.out
	ok $? "confidentiality: oomdiag trace refuses with an error message (exit $st)"
fi
done_testing
