#!/bin/sh
# gfp --kernel X against the names real kernels printed for the same mask
# (tests/data/gfp_lines.txt), both directions: mask -> names, names -> mask.
OOMDIAG=${OOMDIAG:-build/userspace/oomdiag}
SRC=${OOMDIAG_SRC:-.}
DATA=$SRC/tests/data/gfp_lines.txt
n=0
tmp=$(mktemp)
fail=0
lines=$(grep -v '^#' "$DATA" | grep -c .)
echo "1..$((lines * 2 + 1))"
[ "$lines" -ge 15 ] && echo "ok 1 - $lines real lines in gfp_lines.txt" ||
	{ echo "not ok 1 - only $lines lines in gfp_lines.txt"; fail=1; }
n=1
grep -v '^#' "$DATA" | grep . | while IFS='	' read -r rel frag url; do
	m=$(printf '%s\n' "$frag" | sed -n 's/.*\(mode\|gfp_mask\)[:=]\(0x[0-9a-f]*\)(\([^)]*\)).*/\2 \3/p')
	mask=${m%% *}
	names=${m#* }
	got=$("$OOMDIAG" gfp "$mask" --kernel "$rel" | sed -n '1s/^0x[0-9a-f]*(\(.*\))$/\1/p')
	n=$((n + 1))
	if [ "$got" = "$names" ]; then
		echo "ok $n - $rel $mask prints $names"
	else
		echo "not ok $n - $rel $mask prints $names"
		echo "#   got: '$got' ($url)"
	fi
	back=$("$OOMDIAG" gfp "$names" --kernel "$rel" --json | sed -n 's/^{"mask":"\(0x[0-9a-f]*\)".*/\1/p')
	n=$((n + 1))
	if [ "$back" = "$mask" ]; then
		echo "ok $n - $rel '$names' parses to $mask"
	else
		echo "not ok $n - $rel '$names' parses to $mask"
		echo "#   got: '$back'"
	fi
done | tee "$tmp"
! grep -q "^not ok" "$tmp" && [ $fail -eq 0 ]
r=$?
rm -f "$tmp"
exit $r
