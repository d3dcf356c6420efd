#!/bin/bash
# make deb (scripts/build-deb, debian/): the two Debian packages and what
# they do on a Debian 12 system (issue 18 item 1).
#
# On the host: build-deb builds oomdiag-dkms_V_all.deb and
# oomdiag_V_amd64.deb, V from git as build-deb documents (checked against
# git here); dpkg-deb -c shows the static binary, both man pages and the
# completion in oomdiag, the module's sources with a dkms.conf whose
# PACKAGE_VERSION is V in oomdiag-dkms; the packaged binary is static and
# says V; lintian reports no error or warning that debian/*.lintian-overrides
# does not explain; the checkout gained no file.
#
# In a throwaway copy of the bookworm chroot (an overlay over it: the chroot
# itself, which the module builds use, is not changed): "apt-get install
# ./oomdiag-dkms.deb ./oomdiag.deb" (dkms and its dependencies come first, from
# the chroot's own apt sources); DKMS built and installed oomdiag.ko for the
# chroot's kernel in /lib/modules/RELEASE/updates/dkms, depmod knows it;
# oomdiag --version runs; dkms's kernel hook (what installing a kernel runs)
# builds the module again once it is gone; "apt-get purge" of both leaves
# no file that was not there before the install.
#
# Skips the chroot part, saying why, when the bookworm chroot is not
# prepared (scripts/prepare-kernel 6.1) or without root.
set -u
OOMDIAG_SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
src=$OOMDIAG_SRC
. "$src/scripts/common.sh"
total=14
echo "1..$total"
n=0
fail=0
t() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
skip_rest() { # REASON
	while [ $n -lt $total ]; do n=$((n + 1)); echo "ok $n - # SKIP $1"; done
	exit $fail
}
for c in dpkg-buildpackage dh dh_dkms lintian dpkg-deb; do
	command -v $c >/dev/null || skip_rest "$c not installed (make deps)"
done

tmp=$(mktemp -d /tmp/oomdiag-deb.XXXXXX)
ov=
cleanup() {
	if [ -n "$ov" ]; then
		umount "$ov/root/proc" 2>/dev/null
		umount "$ov/root" 2>/dev/null || umount -l "$ov/root" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
# A test killed by run-tests' timeout still unmounts its overlay.
trap 'exit 143' TERM INT

# ---- on the host ----
# What dpkg-buildpackage would leave in a checkout: debian/'s build files,
# the .debs and .changes beside the tree.  (Only these: others may be
# editing the rest of the tree meanwhile.)
leftovers() {
	(cd "$src" && git status --porcelain --untracked-files=all -- debian 2>/dev/null)
	ls -d "$src"/../*.deb "$src"/../*.changes "$src"/../*.buildinfo 2>/dev/null
}
untracked_before=$(leftovers)
out=$tmp/out
# The version, worked out here from git as build-deb's header says (before
# and after the build: a commit may land meanwhile).
git_version() {
	base=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)".*/\1/p' "$src/dkms.conf")
	if desc=$(git -C "$src" describe --tags --match 'v[0-9]*' 2>/dev/null); then
		desc=${desc#v}
		case "$desc" in
		*-g*) echo "$desc" | sed -E 's/^(.*)-([0-9]+)-g([0-9a-f]+)$/\1+git\2.\3/' ;;
		*) echo "$desc" ;;
		esac
	else
		echo "$base~git$(git -C "$src" rev-list --count HEAD).$(git -C "$src" rev-parse --short=7 HEAD)"
	fi
}
want=$(git_version)
rc=0
t0=$(date +%s)
OOMDIAG_OUT=$out JOBS=${JOBS:-2} "$src/scripts/build-deb" --no-lintian >"$tmp/build.out" 2>&1 || rc=$?
ver=$(sed -n 's/^build-deb: oomdiag \([^ ]*\) in .*/\1/p' "$tmp/build.out")
[ "$ver" = "$want" ] || want=$(git_version)
dkms_deb=$out/deb/oomdiag-dkms_${ver}_all.deb
bin_deb=$out/deb/oomdiag_${ver}_amd64.deb
ndebs=$(ls "$out"/deb/*.deb 2>/dev/null | wc -l)
[ $rc -eq 0 ] && [ "$ver" = "$want" ] && [ -f "$dkms_deb" ] && [ -f "$bin_deb" ] && [ "$ndebs" -eq 2 ]
t $? "build-deb builds oomdiag-dkms and oomdiag $ver (git: $want), $ndebs .debs in \$OUT/deb (exit $rc, $(($(date +%s) - t0))s)"
[ $rc -eq 0 ] || tail -n 20 "$tmp/build.out" | sed 's/^/# /'
[ -f "$dkms_deb" ] && [ -f "$bin_deb" ] || skip_rest "no packages built"

# Regular files and symlinks of a .deb, one a line, without "./".
files_of() {
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ { p = $6; sub(/^\.\//, "", p); print p }' | sort
}
field() { dpkg-deb -f "$1" "$2"; }

# oomdiag: exactly these files (with the service and the journal catalog
# of issue 18 item 2).
want_bin="lib/systemd/system/oomdiag.service
usr/bin/oomdiag
usr/lib/systemd/catalog/oomdiag.catalog
usr/share/bash-completion/completions/oomdiag
usr/share/doc/oomdiag/changelog.gz
usr/share/doc/oomdiag/copyright
usr/share/lintian/overrides/oomdiag
usr/share/man/man1/oomdiag.1.gz
usr/share/man/man5/oomdiag-debugfs.5.gz"
got_bin=$(files_of "$bin_deb")
mode=$(dpkg-deb -c "$bin_deb" | awk '$6 == "./usr/bin/oomdiag" { print $1 }')
[ "$got_bin" = "$want_bin" ] && [ "$mode" = "-rwxr-xr-x" ] && [ "$(field "$bin_deb" Architecture)" = amd64 ] &&
	field "$bin_deb" Built-Using | grep -q 'libbpf (= '
t $? "oomdiag: /usr/bin/oomdiag ($mode), oomdiag(1), oomdiag-debugfs(5), bash completion, oomdiag.service, the journal catalog, nothing else; Built-Using names libbpf"
[ "$got_bin" = "$want_bin" ] || diff <(echo "$want_bin") <(echo "$got_bin") | grep '^[<>]' | sed 's/^/#   /'

# oomdiag-dkms: dkms.conf and the module's sources (Kbuild, module/,
# include/ as exported), nothing built.
exp=$out/deb/src/oomdiag-$ver
d=usr/src/oomdiag-$ver
want_dkms=$( {
	echo "$d/dkms.conf"
	echo "$d/Kbuild"
	(cd "$exp" && find module include -type f) | sed "s|^|$d/|"
	echo usr/share/doc/oomdiag-dkms/changelog.gz
	echo usr/share/doc/oomdiag-dkms/copyright
} | sort)
got_dkms=$(files_of "$dkms_deb")
[ "$got_dkms" = "$want_dkms" ] && [ "$(field "$dkms_deb" Architecture)" = all ] &&
	field "$dkms_deb" Depends | grep -Eq '(^|, )dkms( |,|$)' && ! echo "$got_dkms" | grep -Eq '\.(o|ko|mod|cmd)$'
t $? "oomdiag-dkms: Architecture all, Depends: $(field "$dkms_deb" Depends); $(echo "$got_dkms" | grep -c "^$d/") files in /$d (dkms.conf, Kbuild, module/, include/), nothing built"
[ "$got_dkms" = "$want_dkms" ] || diff <(echo "$want_dkms") <(echo "$got_dkms") | grep '^[<>]' | head -n 10 | sed 's/^/#   /'

# dkms.conf: the tracked one with PACKAGE_VERSION set to the package's;
# the maintainer scripts register and remove that version.
mkdir -p "$tmp/x/dkms" "$tmp/x/bin"
dpkg-deb -x "$dkms_deb" "$tmp/x/dkms"
dpkg-deb -e "$dkms_deb" "$tmp/x/dkms/DEBIAN"
pv=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)".*/\1/p' "$tmp/x/dkms/$d/dkms.conf")
ddiff=$(diff <(grep -v '^PACKAGE_VERSION=' "$src/dkms.conf") <(grep -v '^PACKAGE_VERSION=' "$tmp/x/dkms/$d/dkms.conf"))
[ "$pv" = "$ver" ] && [ -z "$ddiff" ] &&
	grep -q "^DKMS_VERSION=$ver\$" "$tmp/x/dkms/DEBIAN/postinst" &&
	grep -q '/usr/lib/dkms/common.postinst' "$tmp/x/dkms/DEBIAN/postinst" &&
	grep -q 'dkms remove -m $DKMS_NAME -v $DKMS_VERSION --all' "$tmp/x/dkms/DEBIAN/prerm"
t $? "dkms.conf in the package: PACKAGE_VERSION=\"$pv\" (package $ver), the rest as tracked; postinst adds/builds $ver, prerm removes it"
[ -z "$ddiff" ] || echo "$ddiff" | head -n 5 | sed 's/^/#   /'

dpkg-deb -x "$bin_deb" "$tmp/x/bin"
b=$tmp/x/bin/usr/bin/oomdiag
interp=$(readelf -lW "$b" 2>/dev/null | grep -c 'Requesting program interpreter')
v=$("$b" --version 2>&1)
[ -x "$b" ] && [ "$interp" = 0 ] && [ "$v" = "oomdiag $ver" ]
t $? "the packaged binary is static (no program interpreter) and says '$v'"

lint=$(lintian --show-overrides "$out"/deb/*.changes 2>&1)
bad=$(echo "$lint" | grep -E '^(E|W): ')
[ -n "$lint" ] || lint="(nothing)"
[ -z "$bad" ] && ! echo "$lint" | grep -q '^E: .*[Ff]ailed'
t $? "lintian: $(echo "$bad" | grep -c '^E:') errors, $(echo "$bad" | grep -c '^W:') warnings not overridden; $(echo "$lint" | grep -c '^O:') overridden (debian/*.lintian-overrides)"
echo "$lint" | grep -E '^[EWIO]: ' | sed 's/^/#   /'

untracked_after=$(leftovers)
new=$(diff <(echo "$untracked_before") <(echo "$untracked_after") | grep '^>')
[ -z "$new" ] && [ ! -e "$src/debian/changelog" ] && [ ! -e "$src/debian/build" ] && [ ! -e "$src/debian/oomdiag" ]
t $? "the checkout gained no file (dpkg-buildpackage ran in \$OUT/deb/src)"
[ -z "$new" ] || echo "$new" | head -n 5 | sed 's/^/#   /'

# ---- in a throwaway copy of the bookworm chroot ----
suite=bookworm
root=$(chroot_of "$suite")
krel=$(krel_of "$suite")
[ "$(id -u)" = 0 ] || skip_rest "needs root (chroot)"
[ -n "$krel" ] && [ -e "$root/.oomdiag-ready" ] && [ -L "$root/usr/lib/modules/$krel/build" ] ||
	skip_rest "6.1 (bookworm) not prepared (scripts/prepare-kernel 6.1)"

# Other tests build modules in the chroot: hold its lock while the overlay
# sits on it, so that nobody changes it underneath.
mkdir -p "$OOMDIAG_CACHE/locks"
exec 9>"$OOMDIAG_CACHE/locks/$suite"
flock 9
ov=$tmp/ov
mkdir -p "$ov/upper" "$ov/work" "$ov/root"
if ! mount -t overlay overlay -o "lowerdir=$root,upperdir=$ov/upper,workdir=$ov/work" "$ov/root" 2>"$tmp/mount.err"; then
	# No overlayfs: a copy (about 600 MB).
	sed 's/^/# overlay: /' "$tmp/mount.err"
	ov=
	mkdir -p "$tmp/copy"
	cp -a "$root/." "$tmp/copy/"
	r=$tmp/copy
else
	r=$ov/root
fi
ch() { # TIMEOUT CMD...: run CMD in the throwaway chroot
	_to=$1
	shift
	with_proc "$r" timeout -k 5 "$_to" "$@"
}

# The packages' dependencies first (dkms, from the chroot's apt sources),
# so that the "before" listing holds them and only our packages' files
# count.  dkms runs depmod only for a kernel with a modules.dep.
rc=0
ch 300 sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends dkms' >"$tmp/apt.log" 2>&1 || rc=$?
[ -e "$r/lib/modules/$krel/modules.dep" ] || ch 120 depmod -a "$krel" >/dev/null 2>&1
# What the chroot holds, minus apt's and dpkg's databases, logs, depmod's
# indexes and dkms's own signing key (made at its first build).
listing() {
	(cd "$r" && find . -xdev -path ./proc -prune -o -print) | sed 's|^\./||' |
		grep -v -e '^var/lib/dpkg/' -e '^var/lib/apt/' -e '^var/cache/' -e '^var/log/' -e '^tmp/' \
			-e "^lib/modules/$krel/modules\.[a-z.]*$" -e '^var/lib/dkms/mok\.' -e '^proc$' | sort
}
before=$(listing)
# Files named oomdiag (the chroot has some of the test bed's own).
named() {
	(cd "$r" && find . -xdev -path ./proc -prune -o -name '*oomdiag*' -print 2>/dev/null) |
		grep -v -e '^\./var/cache/' -e '^\./var/lib/dpkg/' -e '^\./var/log/' -e '^\./tmp/' | sort
}
named_before=$(named)
mkdir -p "$r/tmp/oomdiag-debs"
cp "$dkms_deb" "$bin_deb" "$r/tmp/oomdiag-debs/"
t0=$(date +%s)
[ $rc -eq 0 ] && ch 400 apt-get install -y --no-install-recommends \
	"/tmp/oomdiag-debs/${dkms_deb##*/}" "/tmp/oomdiag-debs/${bin_deb##*/}" >>"$tmp/apt.log" 2>&1 || rc=$?
st=$(chroot "$r" dpkg-query -W -f='${Package}:${Status} ' oomdiag oomdiag-dkms 2>/dev/null)
[ $rc -eq 0 ] && [ "$st" = "oomdiag:install ok installed oomdiag-dkms:install ok installed " ]
t $? "apt-get install ./oomdiag-dkms_${ver}_all.deb ./oomdiag_${ver}_amd64.deb in a copy of the $suite chroot (exit $rc, $(($(date +%s) - t0))s)"
[ $rc -eq 0 ] || tail -n 20 "$tmp/apt.log" | sed 's/^/# /'

# module_ok: the module DKMS installed for $krel, with that vermagic.
module_ok() {
	ko=$(ls "$r/lib/modules/$krel/updates/dkms/"oomdiag.ko* 2>/dev/null | head -n1)
	case "$ko" in
	*.ko) cp "$ko" "$tmp/m.ko" ;;
	*.ko.xz) xz -dc "$ko" >"$tmp/m.ko" ;;
	*.ko.zst) zstd -qdc "$ko" >"$tmp/m.ko" ;;
	*) rm -f "$tmp/m.ko" ;;
	esac
	vm=$(modinfo -F vermagic "$tmp/m.ko" 2>/dev/null | awk '{ print $1 }')
	[ -s "$tmp/m.ko" ] && [ "$vm" = "$krel" ]
}
module_ok
mok=$?
status=$(ch 60 dkms status -m oomdiag -v "$ver" -k "$krel" 2>/dev/null)
dep=$(grep -c '^updates/dkms/oomdiag\.ko' "$r/lib/modules/$krel/modules.dep" 2>/dev/null)
[ $mok -eq 0 ] && echo "$status" | grep -q 'installed' && [ "${dep:-0}" -eq 1 ]
t $? "DKMS built and installed ${ko#"$r"} (vermagic '$vm') for $krel; dkms status: '$status'; in modules.dep ($dep)"
[ $mok -eq 0 ] || grep -h -E 'error|Error' "$r"/var/lib/dkms/oomdiag/*/build/make.log 2>/dev/null | head -n 10 | sed 's/^/# /'

v=$(ch 30 oomdiag --version 2>&1)
# (The chroot's dpkg leaves out /usr/share/man: 01-oomdiag-nodoc.)
[ "$v" = "oomdiag $ver" ] && [ -f "$r/usr/share/bash-completion/completions/oomdiag" ] &&
	chroot "$r" dpkg -L oomdiag | grep -q '^/usr/bin/oomdiag$'
t $? "oomdiag --version in the chroot: '$v'; /usr/bin/oomdiag and the completion in place"

# A kernel package's postinst runs /etc/kernel/postinst.d/*: dkms's hook
# must build the module (AUTOINSTALL) when it is not there for that kernel.
rc=0
ch 60 dkms unbuild -m oomdiag -v "$ver" -k "$krel" >"$tmp/hook.log" 2>&1 || rc=$?
gone=1
module_ok || gone=0
t0=$(date +%s)
[ $rc -eq 0 ] && ch 300 /etc/kernel/postinst.d/dkms "$krel" >>"$tmp/hook.log" 2>&1 || rc=$?
module_ok
mok=$?
[ $rc -eq 0 ] && [ $gone -eq 0 ] && [ $mok -eq 0 ]
t $? "dkms's kernel hook (/etc/kernel/postinst.d/dkms $krel) builds the module again after dkms unbuild (exit $rc, $(($(date +%s) - t0))s)"
[ $mok -eq 0 ] || tail -n 10 "$tmp/hook.log" | sed 's/^/# /'

rc=0
ch 300 apt-get purge -y oomdiag oomdiag-dkms >"$tmp/purge.log" 2>&1 || rc=$?
rm -rf "$r/tmp/oomdiag-debs"
st=$(chroot "$r" dpkg-query -W -f='${Package}:${Status} ' oomdiag oomdiag-dkms 2>/dev/null)
after=$(listing)
left=$(diff <(echo "$before") <(echo "$after") | grep '^>')
# (An empty listing would compare equal: the chroot holds thousands of files.)
[ $rc -eq 0 ] && [ -z "$left" ] && ! echo "$st" | grep -q 'installed' && [ "$(echo "$before" | wc -l)" -gt 1000 ]
t $? "apt-get purge oomdiag oomdiag-dkms (exit $rc): no file that was not there before the install"
[ -z "$left" ] || echo "$left" | head -n 10 | sed 's/^/#   /'
[ $rc -eq 0 ] || tail -n 10 "$tmp/purge.log" | sed 's/^/# /'

named=$(diff <(echo "$named_before") <(named) | grep '^>')
inmod=$(grep -c oomdiag "$r/lib/modules/$krel/modules.dep" 2>/dev/null)
[ -z "$named" ] && [ "${inmod:-0}" -eq 0 ] && [ ! -e "$r/var/lib/dkms/oomdiag" ] && ! ls -d "$r"/usr/src/oomdiag-* >/dev/null 2>&1
t $? "after the purge no new file named oomdiag (dkms tree, /usr/src/oomdiag-*, the module), depmod no longer lists it"
[ -z "$named" ] || echo "$named" | head -n 5 | sed 's/^/#   /'

# The real chroot is as it was.
cleanup_ov() {
	[ -n "$ov" ] || return 0
	umount "$ov/root" 2>/dev/null || umount -l "$ov/root"
	ov=
}
cleanup_ov
flock -u 9
[ ! -e "$root/var/lib/dpkg/info/oomdiag.list" ] && [ ! -e "$root/var/lib/dpkg/info/oomdiag-dkms.list" ] &&
	! ls -d "$root"/usr/src/oomdiag-* >/dev/null 2>&1 && [ ! -e "$root/usr/bin/oomdiag" ]
t $? "the $suite chroot itself has no oomdiag package or file (the install ran in a throwaway copy)"
exit $fail
