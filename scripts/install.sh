#!/bin/sh
# install.sh install|uninstall|list
#
# "make install" / "make uninstall".  Installs, under $DESTDIR:
#   /lib/modules/RELEASE/updates/oomdiag.ko     the module ($KO, default the
#                          one "make module" built; RELEASE read from its
#                          vermagic unless KVER is set), then depmod RELEASE
#                          (not with DESTDIR: a staging tree is for a package,
#                          whose postinst runs depmod)
#   $PREFIX/bin/oomdiag                           the static binary (bin:
#                          explain and gfp need no root; man page oomdiag(1))
#   $PREFIX/share/man/manN/NAME.N                 every docs/man/NAME.N
#   $PREFIX/share/bash-completion/completions/oomdiag   completion/oomdiag.bash
# PREFIX defaults to /usr/local.  "list" prints the files "install" would
# write, one a line, without $DESTDIR.  "uninstall" removes them (the module
# from every kernel's updates/ when KVER and KO are unset) and runs depmod
# for each kernel it touched; with DESTDIR it also removes the directories
# left empty.
#
# Exit codes: 0 done; 1 a file could not be installed or removed; 2 usage.
set -eu
. "$(dirname "$0")/common.sh"

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
KVER=${KVER:-}
KO=${KO:-}
BIN=${OOMDIAG_BIN:-$OOMDIAG_OUT/userspace/oomdiag}
NAME=oomdiag

[ -n "$KO" ] || KO=$OOMDIAG_OUT/module/oomdiag.ko

# module_release: the kernel release the module is for.
module_release() {
	if [ -n "$KVER" ]; then
		echo "$KVER"
	elif [ -f "$KO" ]; then
		modinfo -F vermagic "$KO" 2>/dev/null | awk '{ print $1 }'
	fi
}

# The installed files as "SOURCE MODE DEST" lines (DEST without DESTDIR).
manifest() {
	rel=$(module_release)
	if [ -f "$KO" ] && [ -n "$rel" ]; then
		echo "$KO 0644 /lib/modules/$rel/updates/$NAME.ko"
	fi
	echo "$BIN 0755 $PREFIX/bin/$NAME"
	for m in "$OOMDIAG_SRC"/docs/man/*.[1-9]; do
		[ -f "$m" ] || continue
		sec=${m##*.}
		echo "$m 0644 $PREFIX/share/man/man$sec/$(basename "$m")"
	done
	if [ -f "$OOMDIAG_SRC/completion/$NAME.bash" ]; then
		echo "$OOMDIAG_SRC/completion/$NAME.bash 0644 $PREFIX/share/bash-completion/completions/$NAME"
	fi
}

run_depmod() {
	rel=$1
	if [ -n "$DESTDIR" ]; then
		note "DESTDIR set: not running depmod for $rel (run 'depmod $rel' once installed)"
	elif [ -d "/lib/modules/$rel/kernel" ] || [ -e "/lib/modules/$rel/modules.dep" ]; then
		depmod -a "$rel" || die "failed to run depmod $rel"
	else
		note "kernel $rel is not installed here: depmod skipped"
	fi
}

do_install() {
	if [ ! -x "$BIN" ]; then
		die "failed to install: $BIN not built (run make)"
	fi
	if [ ! -f "$KO" ]; then
		echo "install.sh: oomdiag.ko not installed: no module built at $KO" \
			"(run 'make module KDIR=/lib/modules/RELEASE/build', set KO=, or use 'make dkms-install')" >&2
	elif [ -z "$(module_release)" ]; then
		die "failed to install: cannot read the kernel release of $KO (set KVER=)"
	fi
	manifest | while read -r from mode to; do
		install -D -m "$mode" "$from" "$DESTDIR$to" || die "failed to install $DESTDIR$to"
		echo "installed $DESTDIR$to"
	done
	if [ -f "$KO" ]; then
		run_depmod "$(module_release)"
	fi
}

do_uninstall() {
	kos=
	if [ -n "$KVER" ] || [ -f "$KO" ]; then
		rel=$(module_release)
		[ -z "$rel" ] || kos="/lib/modules/$rel/updates/$NAME.ko"
	else
		for f in "$DESTDIR"/lib/modules/*/updates/"$NAME".ko; do
			[ -e "$f" ] && kos="$kos ${f#"$DESTDIR"}"
		done
	fi
	{
		for k in $kos; do echo "- - $k"; done
		manifest | grep -v ' /lib/modules/'
	} | while read -r from mode to; do
		if [ -e "$DESTDIR$to" ] || [ -L "$DESTDIR$to" ]; then
			rm -f "$DESTDIR$to" || die "failed to remove $DESTDIR$to"
			echo "removed $DESTDIR$to"
			# With DESTDIR, a staging tree: leave no empty directory.
			if [ -n "$DESTDIR" ]; then
				d=$(dirname "$DESTDIR$to")
				while [ "$d" != "$DESTDIR" ] && rmdir "$d" 2>/dev/null; do
					d=$(dirname "$d")
				done
			fi
		fi
	done
	for k in $kos; do
		rel=${k#/lib/modules/}
		rmdir "$DESTDIR/lib/modules/${rel%%/*}/updates" 2>/dev/null || true
		run_depmod "${rel%%/*}"
	done
}

case "${1:-}" in
install) do_install ;;
uninstall) do_uninstall ;;
list) manifest | awk '{ print $3 }' ;;
*) echo "usage: install.sh install|uninstall|list" >&2; exit 2 ;;
esac
