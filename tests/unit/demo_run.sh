#!/bin/bash
# make demo as a person runs it (README's first command, after make deps):
# it exits 0, tells the three stories in order with a title each, streams
# exactly what the guest printed, shows no MISMATCH, and every check it
# prints is a real one.  The facts themselves are asserted one by one by
# tests/vm/demo.sh on every kernel; this is the wrapper around them.
set -u
OOMDIAG_SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
src=$OOMDIAG_SRC
. "$src/scripts/common.sh"
echo "1..5"
n=0
fail=0
t() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
if [ -z "$(krel_of bookworm)" ]; then
	for i in 1 2 3 4 5; do echo "ok $i - # SKIP kernel 6.1 not prepared (scripts/prepare-kernel 6.1)"; done
	exit 0
fi
tmp=$(mktemp -d /tmp/oomdiag-demo-run.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
rc=0
make -s -C "$src" OUT="${OOMDIAG_OUT:-$src/build}" demo >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
secs=$(($(date +%s) - start))
t $rc "make demo exits 0 (exit $rc, ${secs}s)"
[ $rc -eq 0 ] || { tail -n 20 "$tmp/out"; tail -n 10 "$tmp/err"; } | sed 's/^/# /'
order=$(sed -n 's|^=== \([123]\)/3 .*|\1|p' "$tmp/out" | tr -d '\n')
[ "$order" = 123 ]
t $? "three stories, titled, in order (got '$order')"
! grep -q 'the live stream differs' "$tmp/err" && grep -q '^oomdiag demo on Linux ' "$tmp/out"
t $? "the output was streamed whole as the guest printed it"
! grep -q 'MISMATCH' "$tmp/out"
t $? "no fact shown failed its check"
checked=$(grep -c -- '-> checked:' "$tmp/out")
missing=$(grep -c '(not landed yet:' "$tmp/out")
[ "$checked" -ge 8 ]
t $? "$checked facts checked on screen, $missing parts named as not landed yet"
grep '(not landed yet:' "$tmp/out" | sed 's/^ */# /'
exit $fail
