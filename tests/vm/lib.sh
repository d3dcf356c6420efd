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

# record_block FILE SEQ: the record with that seq in FILE (module events or
# `oomdiag trace --records` output) and its continuation lines.
record_block() {
	awk -v s="seq=$2" '$1 == s { p = 1; print; next } /^seq=/ { p = 0 } p && /^  / { print }' "$1"
}

# zone_static [BLOCK]: "node zone low-min high-min managed" per zone, from
# the "  zone" lines of a record BLOCK, or from /proc/zoneinfo without one.
# These do not move with watermark_boost or allocations: a snapshot taken
# at any instant must agree with zoneinfo read later.
zone_static() {
	if [ $# -gt 0 ]; then
		echo "$1" | grep '^  zone ' | tr ' ' '\n' | awk -F= '
			$1 == "node" { n = $2 } $1 == "zone" { z = $2 }
			$1 == "min_pages" { mi = $2 } $1 == "low_pages" { lo = $2 }
			$1 == "high_pages" { hi = $2 }
			$1 == "managed_pages" { print n, z, lo - mi, hi - mi, $2 }'
	else
		awk '$1 == "Node" { n = $2 + 0; z = $4 }
			$1 == "min" { mi = $2 } $1 == "low" { lo = $2 } $1 == "high" { hi = $2 }
			$1 == "present" { pr = $2 }
			$1 == "managed" && pr > 0 { print n, z, lo - mi, hi - mi, $2 }' /proc/zoneinfo
	fi
}

