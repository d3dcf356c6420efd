#!/bin/sh
# dkms-install.sh [-k KERNELRELEASE]...
#
# Install oomdiag.ko through DKMS, so that it is rebuilt for every kernel the
# distribution installs later (AUTOINSTALL): copy the module sources
# (dkms.conf, Kbuild, module/, include/) to /usr/src/oomdiag-VERSION, then
# "dkms add", "dkms build" and "dkms install" for each kernel given (default:
# the running one).  Running it again replaces the registered copy of the
# same version with the sources of this tree.  Root only.
#
# Exit codes: 0 installed for every kernel; 1 a step failed; 2 usage;
# 77 every kernel given is excluded by dkms.conf's BUILD_EXCLUSIVE_*.
set -eu
. "$(dirname "$0")/common.sh"

kernels=
while [ $# -gt 0 ]; do
	case "$1" in
	-k) [ $# -ge 2 ] || { echo "usage: dkms-install.sh [-k KERNELRELEASE]..." >&2; exit 2; }
	    kernels="$kernels $2"; shift 2 ;;
	-h|--help) sed -n '2,/^set -eu/p' "$0" | sed -e '/^set -eu/d' -e 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: dkms-install.sh [-k KERNELRELEASE]..." >&2; exit 2 ;;
	esac
done
[ -n "$kernels" ] || kernels=$(uname -r)

[ "$(id -u)" = 0 ] || die "failed to install with dkms: must run as root (try: sudo make dkms-install)"
command -v dkms >/dev/null || die "failed to install with dkms: dkms not found (apt-get install dkms)"

name=$(sed -n 's/^PACKAGE_NAME="\([^"]*\)".*/\1/p' "$OOMDIAG_SRC/dkms.conf")
ver=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)".*/\1/p' "$OOMDIAG_SRC/dkms.conf")
[ -n "$name" ] && [ -n "$ver" ] || die "failed to read PACKAGE_NAME/PACKAGE_VERSION from $OOMDIAG_SRC/dkms.conf"
srcdir=/usr/src/$name-$ver

for k in $kernels; do
	[ -e "/lib/modules/$k/build" ] ||
		die "failed to install with dkms: no kernel headers for $k (apt-get install linux-headers-$k)"
done

# A previous registration of this version goes first, so dkms builds what is
# in this tree and not a stale copy.
if [ -d "/var/lib/dkms/$name/$ver" ]; then
	note "replacing the registered $name/$ver"
	dkms remove -m "$name" -v "$ver" --all >/dev/null
fi
rm -rf "$srcdir"
mkdir -p "$srcdir"
(cd "$OOMDIAG_SRC" && tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude='modules.order' --exclude='Module.symvers' \
	dkms.conf Kbuild module include) | tar -C "$srcdir" -xf -

dkms add -m "$name" -v "$ver"
failed=0
built=0
for k in $kernels; do
	rc=0
	dkms build -m "$name" -v "$ver" -k "$k" || rc=$?
	if [ $rc -eq 77 ]; then
		echo "dkms-install: $name/$ver not built for $k: excluded by dkms.conf (BUILD_EXCLUSIVE_*: kernel >= 5.10 with CONFIG_DEBUG_FS)" >&2
		continue
	elif [ $rc -ne 0 ]; then
		echo "dkms-install: failed to build $name/$ver for $k (see /var/lib/dkms/$name/$ver/build/make.log)" >&2
		failed=1
		continue
	fi
	if ! dkms install -m "$name" -v "$ver" -k "$k"; then
		echo "dkms-install: failed to install $name/$ver for $k" >&2
		failed=1
		continue
	fi
	built=$((built + 1))
done
[ $failed -eq 0 ] || exit 1
[ $built -gt 0 ] || exit 77
echo "dkms-install: $name/$ver installed for:$kernels; load it with: modprobe $name"
