# Sourced by the scripts in this directory: paths, the kernel matrix and
# small helpers shared by all of them.

OOMDIAG_SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
# Chroots and kernels are large (about 500 MB a suite) and outlive a clone.
OOMDIAG_CACHE=${OOMDIAG_CACHE:-/var/cache/oomdiag}
OOMDIAG_OUT=${OOMDIAG_OUT:-$OOMDIAG_SRC/build}

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

note() {
	[ -n "${QUIET:-}" ] || echo "${0##*/}: $*" >&2
}

# matrix_aliases: the aliases of the matrix ("all"), in order.  A third
# field of matrix.conf qualifies a line: "built" (a kernel built here from
# source, part of "all"), "opt-in" (only when named explicitly).
matrix_aliases() {
	awk '!/^#/ && (NF == 2 || $3 == "built") { print $1 }' "$OOMDIAG_SRC/scripts/matrix.conf"
}

# packaged_aliases: the kernels of "all" that are a distribution's own
# packages (what DKMS and a package install target), not built here.
packaged_aliases() {
	awk '!/^#/ && NF == 2 { print $1 }' "$OOMDIAG_SRC/scripts/matrix.conf"
}

# suite_of ALIAS|SUITE|RELEASE: the Debian suite behind a kernel name.
suite_of() {
	awk -v k="$1" '!/^#/ && NF >= 2 && ($1 == k || $2 == k) { print $2; found = 1; exit }
		END { if (!found) exit 1 }' "$OOMDIAG_SRC/scripts/matrix.conf" && return 0
	# A full kernel release such as 6.1.0-56-amd64: find the suite that has it.
	for s in $(awk '!/^#/ && NF >= 2 { print $2 }' "$OOMDIAG_SRC/scripts/matrix.conf"); do
		if [ "$(cat "$OOMDIAG_CACHE/suites/$s.krel" 2>/dev/null)" = "$1" ]; then
			echo "$s"
			return 0
		fi
	done
	return 1
}

# krel_of SUITE: the kernel release cached for a prepared suite.
krel_of() {
	cat "$OOMDIAG_CACHE/suites/$1.krel" 2>/dev/null
}

chroot_of() {
	echo "$OOMDIAG_CACHE/chroots/$1"
}

# with_proc CHROOT CMD...: run CMD in CHROOT with /proc mounted (objtool
# needs it), unmounting again whatever happens.
with_proc() {
	_root=$1
	shift
	mountpoint -q "$_root/proc" || mount -t proc proc "$_root/proc"
	_rc=0
	chroot "$_root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@" || _rc=$?
	umount "$_root/proc" 2>/dev/null || umount -l "$_root/proc" 2>/dev/null || true
	return $_rc
}
