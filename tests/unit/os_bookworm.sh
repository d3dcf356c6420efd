#!/bin/sh
# unit-timeout: 1800
# The full-OS guest in `make check` (issue 18 item 4, docs/os-guest.md):
# Debian bookworm (its 6.1 kernel) booted with systemd; both packages
# installed with apt, DKMS building oomdiag.ko in the guest, the recorder
# service enabled and started, real failures in the journal and the
# metrics textfile, a reboot with the module loaded again and the history
# kept, apt purge leaving nothing: tests/os/packages.sh under
# scripts/os-run, whose TAP this prints.  About 7 minutes of one core;
# trixie (6.12, about 10) runs in `make check-os`, with bookworm again:
# both here would take CI too close to its 90 minutes.  One skip, saying
# why, without root or QEMU.
OOMDIAG_SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ "$(id -u)" != 0 ]; then
	echo "1..1"
	echo "ok 1 - full-OS guest on bookworm # SKIP needs root (its image is root's: scripts/os-image)"
	exit 0
fi
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "1..1"
	echo "ok 1 - full-OS guest on bookworm # SKIP no qemu-system-x86_64 (make deps installs it)"
	exit 0
fi
exec "$OOMDIAG_SRC/scripts/os-run" --kernel 6.1 2>&1
