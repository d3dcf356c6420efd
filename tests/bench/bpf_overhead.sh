#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bpf_overhead.sh [KERNEL]: cost of `oomdiag trace`, in one VM run (QEMU
# TCG: absolute times are slow, the ratios are what the run compares).
# KERNEL is a matrix alias (default 6.1).
#
# Prints, measured in the same guest: a page-fault microbenchmark
# (tests/progs/bpf_faultbench) and an allocator loop (the helper module's
# "pages N": alloc_pages(GFP_KERNEL, 0) + free) with no tracing, with
# `oomdiag trace` attached, and with tracefs kprobe_events on the same
# functions (what a person would reach for instead), and the ratios to no
# tracing; then a burst of allocation failures at the helper's highest rate:
# events produced, delivered and dropped.  No pass/fail on time: the exit
# status is 0 unless the run itself failed (or produced != delivered +
# dropped: a silent loss).
set -eu
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
exec "$src/scripts/vm-run" --kernel "${1:-6.1}" -- tests/bench/bpf_overhead_vm.sh
