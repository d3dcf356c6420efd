#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# views_tasks.sh [KERNEL] [TASKS]: benchmark of the tasks and buddyinfo
# views, in a VM (QEMU TCG: absolute times are slow, the ratios are what
# the run compares).  KERNEL is a matrix alias (default 6.1), TASKS the
# number of idle processes to rank (default 2000).
#
# Prints, measured in the same guest run: the time to read the tasks view
# against reading /proc/PID/oom_score and /proc/PID/status of every process
# (what a userspace ranking needs), and the longest zone->lock hold of one
# buddyinfo free-list walk against the time of one /proc/pagetypeinfo read.
# No pass/fail on time: exit status is 0 unless the run itself failed.
set -eu
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
kernel=${1:-6.1}
tasks=${2:-2000}
exec "$src/scripts/vm-run" --kernel "$kernel" -- tests/bench/views_tasks_vm.sh "$tasks"
