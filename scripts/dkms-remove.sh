#!/bin/sh
# dkms-remove.sh
#
# Undo dkms-install.sh: "dkms remove --all" for every registered version of
# oomdiag (the module leaves /lib/modules/*/updates/dkms and depmod runs
# again), then delete the copied sources in /usr/src/oomdiag-*.  Root only.
# Exit codes: 0 nothing of oomdiag left in DKMS; 1 a removal failed.
set -eu
. "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || die "failed to remove from dkms: must run as root (try: sudo make dkms-remove)"
command -v dkms >/dev/null || die "failed to remove from dkms: dkms not found"

name=$(sed -n 's/^PACKAGE_NAME="\([^"]*\)".*/\1/p' "$OOMDIAG_SRC/dkms.conf")
[ -n "$name" ] || die "failed to read PACKAGE_NAME from $OOMDIAG_SRC/dkms.conf"

failed=0
for d in /var/lib/dkms/"$name"/*/source; do
	[ -e "$d" ] || [ -L "$d" ] || continue
	v=$(basename "$(dirname "$d")")
	if dkms remove -m "$name" -v "$v" --all; then
		:
	else
		echo "dkms-remove: failed to remove $name/$v" >&2
		failed=1
	fi
done
for s in /usr/src/"$name"-*; do
	[ -e "$s/dkms.conf" ] && rm -rf "$s"
done
# dkms leaves an empty module directory behind on some versions.
rmdir "/var/lib/dkms/$name" 2>/dev/null || true
exit $failed
