#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bpf_overhead.sh [KERNEL]: cost of `oomdiag trace`, in one VM run per
# clock (QEMU TCG).  KERNEL is a matrix alias (default 6.1).
#
# Runs tests/bench/bpf_overhead_vm.sh twice: under QEMU
# `-icount shift=0,align=off,sleep=off` (vm-run --icount: guest time counts
# instructions, one ns per instruction, so host noise is gone and the ratios
# are exact instruction ratios), then on the ordinary TCG clock (wall-clock
# figures, noisy by 15-20% here).  Each run prints, measured in the same
# guest: a page-fault microbenchmark (tests/progs/bpf_faultbench) and an
# allocator loop (the helper module's "pages N": alloc_pages(GFP_KERNEL, 0)
# + free) with no tracing, with `oomdiag trace` (default mode), with
# `oomdiag trace --latency`, and with tracefs kprobe_events on the same
# functions (what a person would reach for instead); the ratios to no
# tracing and the cost per allocation; then a burst of 20,000 order-10
# failures: produced, delivered, dropped, aggregated, and the burst counts.
# No pass/fail on time: the exit status is 0 unless a run failed (or
# produced != delivered + dropped + aggregated: a silent loss).
# OOMDIAG_BENCH_CLOCKS=icount (or wall) runs one clock only.
set -eu
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
k=${1:-6.1}
rc=0
nb=
for clock in ${OOMDIAG_BENCH_CLOCKS:-icount wall}; do
	case $clock in
	icount)
		echo "# clock: icount (guest ns = instructions)"
		opt=--icount ;;
	*)
		echo "# clock: wall (TCG, host time)"
		opt= ;;
	esac
	# shellcheck disable=SC2086
	"$src/scripts/vm-run" --kernel "$k" $nb $opt -- tests/bench/bpf_overhead_vm.sh || rc=1
	nb=--no-build
done
exit $rc
