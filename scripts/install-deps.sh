#!/bin/sh
# install-deps.sh: everything oomdiag needs to build and test on a Debian 12
# machine, as root.  Idempotent: installs only what is missing and says
# nothing when all is there.  dpkg-dev, debhelper, dh-dkms and lintian are
# for make deb (scripts/build-deb, debian/); prometheus (promtool) and
# python3-prometheus-client (its OpenMetrics parser) check oomdiag metrics.
set -eu

pkgs="build-essential make gcc clang llvm lld libbpf-dev bpftool libelf-dev zlib1g-dev
libzstd-dev linux-headers-amd64 dwarves sparse qemu-system-x86 debootstrap busybox-static
cpio kmod zstd xz-utils util-linux perl libclang-rt-14-dev dkms linux-source-6.1
stress-ng dpkg-dev debhelper dh-dkms lintian prometheus python3-prometheus-client"

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: must run as root (apt-get install); try: sudo $0" >&2
	exit 1
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done"
