#!/bin/bash
# DKMS on every kernel of the matrix, with each distribution's own dkms
# (bullseye 2.8, bookworm 3.0, trixie and sid 3.2), in that kernel's chroot:
# scripts/dkms-install.sh (dkms add, build, install) succeeds against the
# kernel's headers and puts a module for that release in
# /lib/modules/RELEASE/updates/dkms, known to depmod; the module dkms built
# boots in that kernel's VM and passes tests/vm/smoke.sh; and
# scripts/dkms-remove.sh leaves nothing behind (same file listing as before
# the add, no file named oomdiag, depmod no longer knows it).
#
# OOMDIAG_DKMS_KERNELS narrows the kernels (default: the matrix's packaged
# kernels; the debug kernel is built from source, no distribution installs it).
# Installs the suite's dkms package in a chroot that lacks it (apt).
# Time-bounded: each step has its own timeout, about 30 s a kernel warm.
set -u
OOMDIAG_SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
src=$OOMDIAG_SRC
. "$src/scripts/common.sh"
kernels=${OOMDIAG_DKMS_KERNELS:-$(packaged_aliases | tr '\n' ' ')}
per=6
n=0
fail=0
set -- $kernels
echo "1..$(($# * per))"
t() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
skip_rest() { # COUNT REASON
	for _ in $(seq 1 "$1"); do n=$((n + 1)); echo "ok $n - # SKIP $2"; done
}

if [ "$(id -u)" != 0 ]; then
	skip_rest $(($# * per)) "needs root (chroot)"
	exit 0
fi
tmp=$(mktemp -d /tmp/oomdiag-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# in_chroot ROOT SUITE TIMEOUT CMD...: run CMD in the chroot, holding the
# suite's lock (build-module takes the same one).
in_chroot() {
	_r=$1 _s=$2 _to=$3
	shift 3
	mkdir -p "$OOMDIAG_CACHE/locks"
	(
		flock 9
		with_proc "$_r" timeout -k 5 "$_to" "$@"
	) 9>"$OOMDIAG_CACHE/locks/$_s"
}

# listing ROOT RELEASE: the files DKMS and oomdiag could touch, minus
# depmod's indexes and dkms's own signing key (not ours).
listing() {
	(cd "$1" && find usr/src var/lib/dkms "lib/modules/$2/" etc/dkms etc/modprobe.d \
		etc/modules-load.d 2>/dev/null) |
		grep -v -e "^lib/modules/$2/modules\.[a-z.]*$" -e '^var/lib/dkms/mok\.' | sort
}

# run-tests kills a unit test after 600 s: rather than lose every result,
# a kernel that would not fit in the budget is skipped, saying so.
budget=${OOMDIAG_DKMS_BUDGET:-540}
t_start=$(date +%s)
last=0
for k in $kernels; do
	used=$(($(date +%s) - t_start))
	if [ $((used + last)) -gt "$budget" ]; then
		skip_rest $per "$k: time budget ${budget}s (${used}s used, the last kernel took ${last}s; run OOMDIAG_DKMS_KERNELS=$k $0)"
		continue
	fi
	suite=$(suite_of "$k") || { t 1 "$k: unknown kernel"; skip_rest $((per - 1)) "unknown kernel"; continue; }
	krel=$(krel_of "$suite")
	root=$(chroot_of "$suite")
	if [ -z "$krel" ] || [ ! -e "$root/.oomdiag-ready" ]; then
		skip_rest $per "$k not prepared (scripts/prepare-kernel $k)"
		continue
	fi
	start=$(date +%s)
	if ! chroot "$root" dpkg-query -W -f='${Status}' dkms 2>/dev/null | grep -q 'install ok installed'; then
		echo "# $suite: installing the suite's dkms package"
		in_chroot "$root" "$suite" 300 sh -c \
			'apt-get update -qq && apt-get install -y -qq --no-install-recommends dkms' \
			>"$tmp/apt.$suite.log" 2>&1 || tail -n 5 "$tmp/apt.$suite.log" | sed 's/^/# /'
	fi
	dver=$(chroot "$root" dpkg-query -W -f='${Version}' dkms 2>/dev/null)
	if [ -z "$dver" ]; then
		t 1 "$k: dkms installed in the $suite chroot"
		skip_rest $((per - 1)) "no dkms in $suite"
		continue
	fi
	# Nothing of a previous run may be left, or the "before" listing lies.
	in_chroot "$root" "$suite" 120 sh -c 'for d in /var/lib/dkms/oomdiag/*/source; do
		[ -e "$d" ] && dkms remove -m oomdiag -v "$(basename "$(dirname "$d")")" --all; done
		rm -rf /usr/src/oomdiag-* /var/lib/dkms/oomdiag /tmp/oomdiag-dkms-src' >/dev/null 2>&1
	# dkms runs depmod only for a kernel that has a modules.dep (an
	# installed kernel); the chroots of newer suites only carry headers.
	if [ ! -e "$root/lib/modules/$krel/modules.dep" ]; then
		in_chroot "$root" "$suite" 120 depmod -a "$krel" >/dev/null 2>&1
	fi
	before=$(listing "$root" "$krel")

	# The project's own wrapper, run inside the chroot on a copy of the tree.
	mkdir -p "$root/tmp/oomdiag-dkms-src"
	(cd "$src" && tar -cf - dkms.conf Kbuild module include scripts/common.sh \
		scripts/dkms-install.sh scripts/dkms-remove.sh) | tar -C "$root/tmp/oomdiag-dkms-src" -xf -
	rc=0
	t0=$(date +%s)
	in_chroot "$root" "$suite" 300 sh /tmp/oomdiag-dkms-src/scripts/dkms-install.sh -k "$krel" \
		>"$tmp/install.$k.log" 2>&1 || rc=$?
	t $rc "$k: dkms $dver add, build, install for $krel (exit $rc, $(($(date +%s) - t0))s)"
	[ $rc -eq 0 ] || sed -n '1,40p' "$tmp/install.$k.log" | sed 's/^/# /'
	grep -h -E 'error|Error' "$root"/var/lib/dkms/oomdiag/*/build/make.log 2>/dev/null | head -n 10 | sed 's/^/# /'

	ko=$(ls "$root/lib/modules/$krel/updates/dkms/"oomdiag.ko* 2>/dev/null | head -n1)
	mod="$tmp/$krel/oomdiag.ko"
	mkdir -p "$tmp/$krel"
	case "$ko" in
	*.ko) cp "$ko" "$mod" ;;
	*.ko.xz) xz -dc "$ko" >"$mod" ;;
	*.ko.zst) zstd -qdc "$ko" >"$mod" ;;
	*.ko.gz) gzip -dc "$ko" >"$mod" ;;
	*) rm -f "$mod" ;;
	esac
	vm=$(modinfo -F vermagic "$mod" 2>/dev/null | awk '{ print $1 }')
	dep=$(grep -c '^updates/dkms/oomdiag\.ko' "$root/lib/modules/$krel/modules.dep" 2>/dev/null)
	[ -s "$mod" ] && [ "$vm" = "$krel" ] && [ "${dep:-0}" -eq 1 ]
	t $? "$k: ${ko#"$root"} has vermagic '$vm', listed in modules.dep ($dep)"

	# The dkms-built module in the kernel's own VM: the smoke test.
	rc=1
	t0=$(date +%s)
	if [ -s "$mod" ]; then
		rc=0
		mkdir -p "$tmp/out/kernels/$krel"
		cp "$mod" "$tmp/out/kernels/$krel/oomdiag.ko"
		OOMDIAG_OUT="$tmp/out" "$src/scripts/vm-run" --no-build --kernel "$k" --timeout 120 \
			-- tests/vm/smoke.sh >"$tmp/vm.$k.out" 2>"$tmp/vm.$k.err" || rc=$?
		grep -E '^not ok|splat|timed out|died' "$tmp/vm.$k.out" "$tmp/vm.$k.err" | head -n 10 | sed 's/^/# /'
	fi
	t $rc "$k: the dkms-built module passes tests/vm/smoke.sh in a $krel VM ($(grep -c '^ok' "$tmp/vm.$k.out" 2>/dev/null) ok, $(($(date +%s) - t0))s)"

	rc=0
	in_chroot "$root" "$suite" 120 sh /tmp/oomdiag-dkms-src/scripts/dkms-remove.sh \
		>"$tmp/remove.$k.log" 2>&1 || rc=$?
	t $rc "$k: dkms remove (exit $rc)"
	[ $rc -eq 0 ] || tail -n 10 "$tmp/remove.$k.log" | sed 's/^/# /'
	rm -rf "$root/tmp/oomdiag-dkms-src"

	after=$(listing "$root" "$krel")
	# Only what is new counts: dkms also deletes an empty updates/ it
	# did not create.
	left=$(diff <(echo "$before") <(echo "$after") | grep '^>')
	[ -z "$left" ]
	t $? "$k: after dkms remove nothing is there that was not there before dkms add"
	[ -z "$left" ] || echo "$left" | head -n 10 | sed 's/^/#   /'
	named=$(cd "$root" && find usr/src var/lib/dkms lib/modules etc -name '*oomdiag*' \
		! -name '*oomdiag-nodoc' ! -name '99oomdiag*' \
		! -path '*/linux-headers-*-oomdiag-debug*' 2>/dev/null)
	rc=0
	! grep -q oomdiag "$root/lib/modules/$krel/modules.dep" 2>/dev/null && [ -z "$named" ] || rc=1
	last=$(($(date +%s) - start))
	t $rc "$k: no file named oomdiag left, depmod no longer lists it (${last}s for $k)"
	[ -z "$named" ] || echo "$named" | head -n 5 | sed 's/^/#   /'
done
exit $fail
