#!/bin/bash
# Kernel lockdown (issue 8, docs/security.md): boot the 6.1 kernel with
# lockdown=integrity and lockdown=confidentiality and run
# tests/vm/hardening_lockdown.sh in each; it checks what refuses (the
# unsigned module, writable debugfs files, BPF under confidentiality), with
# which message, and what still works (status, explain, trace under
# integrity).  Skips when the kernel is not prepared.
set -u
src=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export OOMDIAG_SRC=$src
. "$src/scripts/common.sh"
kernel=${OOMDIAG_LOCKDOWN_KERNEL:-6.1}
echo "1..2"
if [ -z "$(krel_of "$(suite_of "$kernel")")" ] ||
	[ ! -e "${OOMDIAG_OUT:-$src/build}/kernels/$(krel_of "$(suite_of "$kernel")")/oomdiag.ko" ]; then
	echo "ok 1 - # SKIP kernel $kernel or its oomdiag.ko not built"
	echo "ok 2 - # SKIP kernel $kernel or its oomdiag.ko not built"
	exit 0
fi
fail=0
i=0
for mode in integrity confidentiality; do
	i=$((i + 1))
	out=$("$src/scripts/vm-run" --no-build --kernel "$kernel" --append "lockdown=$mode" \
		-- tests/vm/hardening_lockdown.sh 2>&1)
	rc=$?
	echo "$out" | grep -E '^(ok|not ok|#)' | grep -v '^#   \[' | sed 's/^/# /'
	if [ $rc -eq 0 ] && echo "$out" | grep -q "^# lockdown: $mode" && ! echo "$out" | grep -q '^not ok'; then
		echo "ok $i - lockdown=$mode: refusals and messages as documented"
	else
		echo "not ok $i - lockdown=$mode (exit $rc)"
		fail=1
	fi
done
exit $fail
