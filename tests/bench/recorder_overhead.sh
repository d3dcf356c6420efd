#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# recorder_overhead.sh [KERNEL] [PAGES] [LOOPS] [PASSES] [FORKS] [READ_MB]:
# cost of the flight recorder on the success path, in two VM runs (QEMU
# TCG).  KERNEL is a matrix alias (default 6.1); PAGES pages are mmapped and
# touched (default 20000); LOOPS alloc_pages/kmalloc calls are made by the
# helper module (default 200000); FORKS fork+exit+wait (default 300); a
# READ_MB MiB page-cache file read with pread (default 32); best of PASSES
# (default 3), the three modes interleaved in each pass.
#
# The first run is under QEMU `-icount shift=0,align=off,sleep=off`
# (vm-run --icount: guest time counts instructions, one ns per instruction,
# so the host's load is gone and the ratios are instruction ratios); the
# second on the ordinary TCG clock (wall-clock host time, which moves by
# 15-20% from run to run, but shows cache and lock effects that an
# instruction count does not).  Each table says its clock.
#
# Prints, measured in the same guest run, for the module unloaded, loaded
# with its hooks off (armed=0) and loaded with every hook attached: ns per
# touched page, per alloc_pages(GFP_KERNEL, 0) + free, per kmalloc(256) +
# kfree, per fork+exit+wait, per 4 KiB pread of a cached file; the ratios
# against unloaded and armed-unloaded (under icount: the recorder's
# instructions per operation).  No pass/fail on time: exit status is 0
# unless a run itself failed.  OOMDIAG_BENCH_CLOCKS=icount (or wall) runs
# one clock only.
set -eu
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
kernel=${1:-6.1}
args="${2:-20000} ${3:-200000} ${4:-3} ${5:-300} ${6:-32}"
rc=0
nb=
for clock in ${OOMDIAG_BENCH_CLOCKS:-icount wall}; do
	case $clock in
	icount) opt="--icount --append oomdiag.clock=icount" ;;
	*) opt= ;;
	esac
	# shellcheck disable=SC2086
	"$src/scripts/vm-run" --kernel "$kernel" $nb $opt -- tests/bench/recorder_overhead_vm.sh $args || rc=1
	nb=--no-build
done
exit $rc
