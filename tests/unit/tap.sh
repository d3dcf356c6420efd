# shellcheck shell=bash
# TAP for the shell unit tests (the C ones use tap.h): ok STATUS TEXT,
# is GOT WANT TEXT; $n counts tests, $failed the failures, and $T is a
# scratch directory removed on exit.
n=0
failed=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
is() {
	n=$((n + 1))
	if [ "$1" = "$2" ]; then echo "ok $n - $3"; else
		echo "not ok $n - $3"; echo "#   got: '$1'"; echo "#   want: '$2'"; failed=$((failed + 1)); fi
}
