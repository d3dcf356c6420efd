# shellcheck shell=bash
# TAP helpers of the full-OS guest tests (tests/os/*.sh, run by scripts/os-run
# in a Debian system booted with systemd).  A test spans several boots of one
# guest, so the counters live on the test disk ($S), not in the shell: the
# numbering goes on after a reboot and the host sees one TAP stream.
#
# The test disk is mounted at /ostest: run (the test), lib.sh, env (SUITE,
# KREL, DEB_VERSION), debs/*.deb, kmod/*.ko (the test helper modules built
# for KREL), bin/ (tests/progs, static).  $S=/ostest/state keeps the phase,
# the counters and what a later boot compares with.

OS=/ostest
S=$OS/state
mkdir -p "$S"
# shellcheck disable=SC1091
. "$OS/env"
PATH=$OS/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH LC_ALL=C.UTF-8

_n() { cat "$S/n" 2>/dev/null || echo 0; }

plan() { [ -e "$S/planned" ] || { echo "1..$1"; : >"$S/planned"; }; }

ok() {
	local n
	n=$(($(_n) + 1))
	echo $n >"$S/n"
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		echo $(($(cat "$S/failed" 2>/dev/null || echo 0) + 1)) >"$S/failed"
	fi
}

is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "  got:      '$1'"
		diag "  expected: '$2'"
	fi
}

diag() { echo "# $*"; }

# timing NAME SECONDS: a measured phase, collected by os-run's summary.
timing() { echo "# os-time: $1 $2"; }

# bail REASON: the rest cannot run; the host counts the missing tests.
bail() {
	echo "Bail out! $*"
	finish 1
}

# finish [RC]: end of the test: the kernel log for the host's splat scan
# (third serial port), the status line, power off.
finish() {
	dmesg >/dev/ttyS2 2>/dev/null
	local f
	f=$(cat "$S/failed" 2>/dev/null || echo 0)
	echo "OOMDIAG-OS-STATUS $((${1:-0} + f))"
	sync
	systemctl start poweroff.target --job-mode=replace-irreversibly --no-block
	exit 0
}

# now: seconds since the epoch with centiseconds (the guest's clock).
now() { date +%s.%N | cut -c1-13; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# wait_for SECONDS CMD...: poll CMD every 0.5 s until it succeeds.
wait_for() {
	local t=$(($1 * 2))
	shift
	while ! "$@" >/dev/null 2>&1; do
		t=$((t - 1))
		[ $t -gt 0 ] || return 1
		sleep 0.5
	done
}
