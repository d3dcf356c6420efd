#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# recorder_overhead.sh [KERNEL] [PAGES] [LOOPS] [PASSES]: cost of the flight
# recorder on the success path, in a VM (QEMU TCG: absolute times are slow,
# the ratios are what the run compares).  KERNEL is a matrix alias (default
# 6.1); PAGES pages are mmapped and touched (default 20000); LOOPS
# alloc_pages/kmalloc calls are made by the helper module (default 200000);
# best of PASSES (default 5), the three modes interleaved in each pass.
#
# Prints, measured in the same guest run, for the module unloaded, loaded
# with its hooks off (armed=0) and loaded with every hook attached: ns per
# touched page, per alloc_pages(GFP_KERNEL, 0) + free, per kmalloc(256) +
# kfree, and the ratios against unloaded.  No pass/fail on time: exit
# status is 0 unless the run itself failed.
set -eu
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
kernel=${1:-6.1}
exec "$src/scripts/vm-run" --kernel "$kernel" -- tests/bench/recorder_overhead_vm.sh \
	"${2:-20000}" "${3:-200000}" "${4:-5}"
