# TAP helpers for guest tests, sourced by tests/vm/*.sh (busybox ash).
#
# In the guest: /oomdiag/oomdiag.ko is the module built for the running
# kernel, /oomdiag/kmod/*.ko the test helper modules, /oomdiag/bin (on PATH)
# the static oomdiag binary and tests/progs programs, /oomdiag/tests the
# tests tree.  debugfs, tracefs and cgroup2 are mounted.  Each script runs
# as root in a fresh VM; it prints TAP and exits non-zero on failure.

OOMDIAG_ROOT=${OOMDIAG_ROOT:-/oomdiag}
DBG=/sys/kernel/debug/oomdiag
_tap_n=0
_tap_failed=0

plan() {
	echo "1..$1"
}

# ok CONDITION-EXIT-STATUS DESCRIPTION: "ok $? 'text'" after a command.
ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
}

# is GOT EXPECTED DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "  got:      '$1'"
		diag "  expected: '$2'"
	fi
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP ${2:-}"
}

diag() {
	echo "# $*"
}

# bail REASON: the rest of the script cannot run.
bail() {
	echo "Bail out! $*"
	exit 1
}

# done_testing: exit status for the harness.
done_testing() {
	[ "$_tap_failed" -eq 0 ]
	exit $?
}

load_oomdiag() {
	insmod "$OOMDIAG_ROOT/oomdiag.ko" "$@"
}

unload_oomdiag() {
	rmmod oomdiag
}
