#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# recorder_storm.sh [KERNEL] [BURSTS] [BURST] [REFUSALS]: the flight
# recorder under a storm of routine allocation failures (issue 14 item 4),
# in a VM under QEMU TCG with -icount (guest time counts instructions, so
# the figures do not move with the host's load; absolute rates are TCG's).
# KERNEL is a matrix alias (default 6.1); the test helper makes BURSTS
# bursts (default 20) of BURST failing order-10 GFP_NOWAIT|__GFP_NOWARN
# allocations (default 5000) while REFUSALS mmaps (default 5) are refused
# under vm.overcommit_memory=2 and a hog is OOM-killed.  Once with every
# failure recorded, once with fail_records_per_key=8.
#
# Prints, per run: failures per second produced, recorded and counted;
# OOM kill and refusal records kept out of those produced; the longest
# and the total (per second) irqs-off time of the ring lock (store, attach,
# pending scan), of the failure table's lock and of the worker's free-list
# walks; ring memory at ring_size 256 and at the largest ring_size.  No
# pass/fail: exit status 0 unless the run itself failed.
set -eu
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
kernel=${1:-6.1}
exec "$src/scripts/vm-run" --kernel "$kernel" --icount -- tests/bench/recorder_storm_vm.sh \
	"${2:-20}" "${3:-5000}" "${4:-5}"
