#!/bin/bash
# make install DESTDIR=... installs exactly the expected files (module under
# lib/modules/RELEASE/updates with RELEASE from the module's own vermagic,
# the binary in PREFIX/bin, every docs/man page, the bash completion), with
# the sources' contents and modes, runs no depmod into the staging tree; and
# make uninstall removes all of it, leaving an empty DESTDIR.
set -u
OOMDIAG_SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
src=$OOMDIAG_SRC
out=${OOMDIAG_OUT:-$src/build}
echo "1..9"
n=0
fail=0
t() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
tmp=$(mktemp -d /tmp/oomdiag-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# A module of any kernel will do: the release comes from its vermagic.
ko=
for f in "$out/module/oomdiag.ko" "$out"/kernels/*/oomdiag.ko; do
	[ -f "$f" ] && { ko=$f; break; }
done
rel=
[ -n "$ko" ] && rel=$(modinfo -F vermagic "$ko" | awk '{ print $1 }')
mk() {
	make -s -C "$src" OUT="$out" KDIR=/nonexistent KO="$ko" "$@"
}

# The expected list, from the tree.
expect() { # PREFIX
	[ -n "$ko" ] && echo "/lib/modules/$rel/updates/oomdiag.ko"
	echo "$1/bin/oomdiag"
	for m in "$src"/docs/man/*.[1-9]; do
		[ -f "$m" ] && echo "$1/share/man/man${m##*.}/${m##*/}"
	done
	[ -f "$src/completion/oomdiag.bash" ] && echo "$1/share/bash-completion/completions/oomdiag"
}
got() { (cd "$1" && find . -mindepth 1 \( -type f -o -type l \) | sed 's|^\.||' | sort); }

d=$tmp/root
rc=0
mk install DESTDIR="$d" PREFIX=/usr >"$tmp/install.log" 2>&1 || rc=$?
t $rc "make install DESTDIR PREFIX=/usr (module: ${ko:-none built}, release ${rel:-none})"
[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/install.log" | tail -n 10

want=$(expect /usr | sort)
have=$(got "$d")
[ "$want" = "$have" ]
t $? "installed exactly the $(echo "$want" | wc -l) expected files"
diff <(echo "$want") <(echo "$have") | grep '^[<>]' | sed 's/^/#   /'

bad=
chk() { # DEST SOURCE MODE
	cmp -s "$d$1" "$2" || bad="$bad $1(content)"
	[ "$(stat -c %a "$d$1" 2>/dev/null)" = "$3" ] || bad="$bad $1(mode $(stat -c %a "$d$1" 2>/dev/null))"
}
[ -n "$ko" ] && chk "/lib/modules/$rel/updates/oomdiag.ko" "$ko" 644
chk /usr/bin/oomdiag "$out/userspace/oomdiag" 755
for m in "$src"/docs/man/*.[1-9]; do
	[ -f "$m" ] && chk "/usr/share/man/man${m##*.}/${m##*/}" "$m" 644
done
[ -f "$src/completion/oomdiag.bash" ] && chk /usr/share/bash-completion/completions/oomdiag "$src/completion/oomdiag.bash" 644
[ -z "$bad" ]
t $? "every file has its source's content and mode (0755 binary, 0644 others)${bad:+:$bad}"

[ -z "$(find "$d" -name 'modules.dep*')" ] && grep -q 'not running depmod' "$tmp/install.log"
t $? "no depmod into the staging tree, and it says so"

v=$("$d/usr/bin/oomdiag" --version 2>&1)
[ "$v" = "$("$out/userspace/oomdiag" --version 2>&1)" ] && [ -n "$v" ]
t $? "the installed binary runs: '$v'"

listed=$(DESTDIR= PREFIX=/usr KO="$ko" OOMDIAG_OUT="$out" "$src/scripts/install.sh" list | sort)
[ "$listed" = "$want" ]
t $? "install.sh list names the same files"

rc=0
mk uninstall DESTDIR="$d" PREFIX=/usr >"$tmp/uninstall.log" 2>&1 || rc=$?
left=$(cd "$d" && find . -mindepth 1)
[ $rc -eq 0 ] && [ -z "$left" ]
t $? "make uninstall removes every file and directory it made (exit $rc)"
[ -z "$left" ] || echo "$left" | head -n 5 | sed 's/^/#   /'

rc=0
mk uninstall DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1 || rc=$?
t $rc "make uninstall again: nothing to do, exit 0"

# Default PREFIX.
d=$tmp/root2
mk install DESTDIR="$d" >/dev/null 2>&1
want=$(expect /usr/local | sort)
[ "$want" = "$(got "$d")" ] && mk uninstall DESTDIR="$d" >/dev/null 2>&1 &&
	[ -z "$(cd "$d" && find . -mindepth 1)" ]
t $? "default PREFIX is /usr/local (binary in /usr/local/bin), uninstalled cleanly"
exit $fail
