#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# views_tasks.sh [KERNEL] [TASKS...]: benchmark of the tasks and buddyinfo
# views, in VM runs (QEMU TCG).  KERNEL is a matrix alias (default 6.1),
# TASKS the numbers of idle processes to rank (default 2000 10000; the
# guest gets 768 MB below 5000 processes, 2 GB up to 20000, 4 GB above).
#
# Each TASKS runs twice: under QEMU `-icount shift=0,align=off,sleep=off`
# (vm-run --icount: guest time counts instructions, one ns per instruction,
# so the host's load is gone) and on the ordinary TCG clock (wall-clock
# host time, noisy by 15-20%, but with cache and lock effects).  Each run
# prints its clock.  Measured in the same guest run: the time to read the
# tasks view against tests/progs/views_procscan (lists /proc and reads
# oom_score and status of every process, what a userspace ranking needs),
# and the longest zone->lock hold of one buddyinfo free-list walk against
# one /proc/pagetypeinfo read.  No pass/fail on time: exit status is 0
# unless a run itself failed.  OOMDIAG_BENCH_CLOCKS=icount (or wall) runs
# one clock only.
set -eu
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
kernel=${1:-6.1}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 2000 10000
rc=0
nb=
for tasks in "$@"; do
	mem=768M
	[ "$tasks" -gt 5000 ] && mem=2G
	[ "$tasks" -gt 20000 ] && mem=4G
	for clock in ${OOMDIAG_BENCH_CLOCKS:-icount wall}; do
		case $clock in
		icount) opt="--icount --append oomdiag.clock=icount" ;;
		*) opt= ;;
		esac
		# shellcheck disable=SC2086
		"$src/scripts/vm-run" --kernel "$kernel" --mem $mem --timeout 1200 $nb $opt -- \
			tests/bench/views_tasks_vm.sh "$tasks" || rc=1
		nb=--no-build
	done
done
exit $rc
