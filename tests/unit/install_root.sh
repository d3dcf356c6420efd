#!/bin/bash
# make install without DESTDIR, as on a real machine, inside the bookworm
# chroot (its kernel is installed there): the module lands in
# /lib/modules/RELEASE/updates/oomdiag.ko and depmod registers it
# (modules.dep, and modinfo finds it by name as modprobe would); the binary
# and the rest land under PREFIX; make uninstall removes every file and runs
# depmod again so the kernel no longer knows the module.
set -u
OOMDIAG_SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
src=$OOMDIAG_SRC
. "$src/scripts/common.sh"
echo "1..5"
n=0
fail=0
t() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
skip_all() {
	for i in 1 2 3 4 5; do echo "ok $i - # SKIP $1"; done
	exit 0
}
suite=bookworm
root=$(chroot_of "$suite")
krel=$(krel_of "$suite")
[ "$(id -u)" = 0 ] || skip_all "needs root (chroot)"
[ -n "$krel" ] && [ -e "$root/.oomdiag-ready" ] || skip_all "6.1 not prepared (scripts/prepare-kernel 6.1)"
ko=$OOMDIAG_OUT/kernels/$krel/oomdiag.ko
[ -f "$ko" ] || skip_all "no $ko (scripts/build-module --kernel 6.1)"
[ -x "$OOMDIAG_OUT/userspace/oomdiag" ] || skip_all "oomdiag not built (make)"

# The installer and what it installs, as a tree of its own in the chroot.
stage=/tmp/oomdiag-install-src
rm -rf "$root$stage"
mkdir -p "$root$stage/build/userspace" "$root$stage/scripts"
cp "$src/scripts/install.sh" "$src/scripts/common.sh" "$root$stage/scripts/"
[ -d "$src/docs/man" ] && mkdir -p "$root$stage/docs" && cp -r "$src/docs/man" "$root$stage/docs/"
[ -d "$src/completion" ] && cp -r "$src/completion" "$root$stage/"
cp "$OOMDIAG_OUT/userspace/oomdiag" "$root$stage/build/userspace/"
cp "$ko" "$root$stage/oomdiag.ko"
trap 'rm -rf "$root$stage"' EXIT

in_chroot() {
	(
		flock 9
		with_proc "$root" timeout -k 5 120 env PREFIX=/usr/local KO="$stage/oomdiag.ko" "$@"
	) 9>"$OOMDIAG_CACHE/locks/$suite"
}
# An installed kernel has a modules.dep; the chroot only carries its
# headers, so make it look installed (install.sh runs depmod only then).
[ -e "$root/lib/modules/$krel/modules.dep" ] || in_chroot depmod -a "$krel" >/dev/null 2>&1
files=$(in_chroot sh "$stage/scripts/install.sh" list 2>/dev/null)

rc=0
in_chroot sh "$stage/scripts/install.sh" install >/tmp/oomdiag-install-root.log 2>&1 || rc=$?
missing=
for f in $files; do [ -f "$root$f" ] || missing="$missing $f"; done
[ $rc -eq 0 ] && [ -z "$missing" ] && [ -n "$files" ]
t $? "install.sh install as root puts $(echo "$files" | wc -w) files in place (exit $rc)${missing:+, missing:$missing}"
[ $rc -eq 0 ] || sed 's/^/# /' /tmp/oomdiag-install-root.log | tail -n 5

grep -q "^updates/oomdiag\.ko:" "$root/lib/modules/$krel/modules.dep"
t $? "depmod ran: modules.dep lists updates/oomdiag.ko for $krel"
where=$(in_chroot modinfo -k "$krel" -n oomdiag 2>/dev/null)
[ "$where" = "/lib/modules/$krel/updates/oomdiag.ko" ]
t $? "modinfo -k $krel oomdiag (what modprobe resolves) finds $where"

rc=0
in_chroot sh "$stage/scripts/install.sh" uninstall >>/tmp/oomdiag-install-root.log 2>&1 || rc=$?
left=
for f in $files; do [ -e "$root$f" ] && left="$left $f"; done
[ $rc -eq 0 ] && [ -z "$left" ]
t $? "install.sh uninstall removes them all (exit $rc)${left:+, left:$left}"
! grep -q 'oomdiag' "$root/lib/modules/$krel/modules.dep"
t $? "depmod ran again: modules.dep no longer lists oomdiag"
rm -f /tmp/oomdiag-install-root.log
exit $fail
