#!/bin/bash
# The man pages and the bash completion against the binary: every command
# and every long option its --help lists is in oomdiag(1) and completes;
# the pages render without groff warnings within 100 columns.
OOMDIAG=${OOMDIAG:-build/userspace/oomdiag}
SRC=${OOMDIAG_SRC:-.}
MAN1=$SRC/docs/man/oomdiag.1
MAN5=$SRC/docs/man/oomdiag-debugfs.5
COMP=$SRC/completion/oomdiag.bash
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

# shellcheck source=/dev/null
. "$COMP"
ok $? "completion file loads"
complete_words() {	# complete_words WORD...: COMPREPLY for the last word
	COMP_WORDS=(oomdiag "$@")
	COMP_CWORD=$#
	COMP_LINE="oomdiag $*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_oomdiag oomdiag "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}"
}

cmds=$("$OOMDIAG" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
[ "$(echo "$cmds" | wc -w)" -ge 8 ]
ok $? "the binary lists its commands: $(echo $cmds)"
for c in $cmds; do
	grep -q "^\.SS $c" "$MAN1"
	ok $? "oomdiag(1) documents $c"
	complete_words "${c:0:2}" | grep -qx "$c"
	ok $? "completion: '${c:0:2}' offers $c"
	for o in $("$OOMDIAG" $c --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$MAN1"
		ok $? "oomdiag(1) documents $c $o"
		complete_words "$c" "${o:0:4}" | grep -qx -- "$o"
		ok $? "completion: '$c ${o:0:4}' offers $o"
	done
done
complete_words gfp 'GFP_KERNEL|__GFP_NOW' | grep -qx 'GFP_KERNEL|__GFP_NOWARN'
ok $? "completion of flag names after '|'"
complete_words gfp --kernel 4.1 | grep -qx 4.19
ok $? "completion of --kernel versions"

for p in "$MAN1" "$MAN5"; do
	w=$(MANWIDTH=100 man --warnings -l "$p" 2>&1 >/dev/null)
	[ -z "$w" ]
	ok $? "$(basename "$p") renders without warnings"
	[ -n "$w" ] && echo "$w" | head -5 | sed 's/^/#   /'
	long=$(LC_ALL=C MANWIDTH=100 man -l "$p" 2>/dev/null | awk 'length > 100' | wc -l)
	[ "$long" -eq 0 ]
	ok $? "$(basename "$p") fits 100 columns"
done
for f in buddyinfo gfp tasks overcommit events armed; do
	grep -q "^\.SS $f" "$MAN5"
	ok $? "oomdiag-debugfs(5) documents $f"
done
echo "1..$n"
[ $failed -eq 0 ]
