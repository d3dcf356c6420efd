#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where `oomdiag explain` reads from and what a log spanning boots means, on
# real reports of tests/data/reports:
#  - without FILE, a pipe or a redirected file on stdin is read (not the live
#    kernel log), and the summary names "standard input"; stdin from
#    /dev/null (not data) still means the live log;
#  - a report takes the kernel of its own boot: a later "Linux version"
#    banner, a journalctl "-- Boot" marker or a printk clock reset ends the
#    boot before it (real banners of a CentOS 7 and a 4.18 riscv boot);
#  - log text reaches the terminal escaped (a comm may hold any byte but NUL:
#    prctl(PR_SET_NAME)); JSON escapes it as \u001b.
# TAP.
set -u
SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${OOMDIAG:-$SRC/build/userspace/oomdiag}
DATA=$SRC/tests/data/reports
n=0
failed=0
tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..12"

log=$DATA/vm-6.1-hog-oom.log
"$BIN" explain "$log" >"$tmp/file.txt" 2>&1
cat "$log" | "$BIN" explain >"$tmp/pipe.txt" 2>&1
tap $? "a pipe without '-' exits 0"
grep -q '^2 reports in standard input:' "$tmp/pipe.txt"
tap $? "a pipe without '-' is read, and the summary says 'standard input'"
diff <(grep -v ' reports in ' "$tmp/file.txt") <(grep -v ' reports in ' "$tmp/pipe.txt") >/dev/null
tap $? "the pipe gives the reports of the FILE"
"$BIN" explain <"$log" >"$tmp/redir.txt" 2>&1
grep -q '^2 reports in standard input:' "$tmp/redir.txt"
tap $? "a file redirected to stdin is read"
"$BIN" explain --json <"$log" >"$tmp/redir.json" 2>&1
"$BIN" explain --json "$log" >"$tmp/file.json" 2>&1
cmp -s "$tmp/redir.json" "$tmp/file.json"
tap $? "--json: stdin without '-' = FILE"
"$BIN" explain </dev/null >"$tmp/null.txt" 2>&1
grep -q 'standard input' "$tmp/null.txt"
[ $? -ne 0 ]
tap $? "stdin /dev/null: the live kernel log, not stdin ($(head -c 60 "$tmp/null.txt"))"

# boots: CentOS 7's banner (a /var/log/dmesg capture), a headerless order-5 failure
# of node_exporter#2990 (0xd0: GFP_KERNEL in the pre-4.4 layout), then the banner of a
# later 4.18 boot (XiangShan-doc#9); then the same with a journalctl boot marker.
b310='[    0.000000] Linux version 3.10.0-1160.15.2.el7.x86_64 (mockbuild@kbuilder.bsys.centos.org) (gcc version 4.8.5 20150623 (Red Hat 4.8.5-44) (GCC) ) #1 SMP Wed Feb 3 15:06:38 UTC 2021'
b418='[    0.000000] Linux version 4.18.0-14485-g036ca364c6b2-dirty (yangqi@gdcni-2U-Rack-Server) (gcc version 10.2.0 (g83718316603)) #3 Wed Apr 6 11:22:17 CST 2022'
{ echo "$b310"; cat "$DATA/node_exporter-2990-order5.log"; echo "$b418"; } >"$tmp/boots.log"
"$BIN" explain --json "$tmp/boots.log" >"$tmp/boots.json"
grep -q '"kernel":"3.10.0-1160.15.2.el7.x86_64"' "$tmp/boots.json"
tap $? "a later banner does not apply: the report keeps its boot's 3.10 kernel"
grep -q '"flags":\["GFP_KERNEL"\]' "$tmp/boots.json"
tap $? "0xd0 decoded with the 3.10 layout (GFP_KERNEL)"
{ echo "$b310"; echo "-- Boot 4f1c0e2b7d9a4c55a2b1e0f9d8c7b6a5 --"; cat "$DATA/node_exporter-2990-order5.log"; } >"$tmp/marker.log"
"$BIN" explain --json "$tmp/marker.log" >"$tmp/marker.json"
grep -q '"kernel":null' "$tmp/marker.json"
tap $? "a journalctl boot marker ends the banner's boot: kernel unknown"
# a clock reset: after the 3.10 banner and a line at 9000 s, the Galaxy Nexus report of
# OSMonitor#54 (printk time 5623 s, no version line) is of another boot
{ echo "$b310"; echo '[ 9000.000000] EXT4-fs (mmcblk0p2): re-mounted. Opts: (null)'
  cat "$DATA/osmonitor-54-3.0-android-oom-adj.log"; } >"$tmp/reset.log"
"$BIN" explain --json "$tmp/reset.log" >"$tmp/reset.json"
grep -q '"kernel":null' "$tmp/reset.json" && ! grep -q '"kernel":"3.10' "$tmp/reset.json"
tap $? "a printk clock that goes back ends the boot: the banner's 3.10 does not apply"

# terminal safety: the hog report with the comm renamed to "x ESC[2J ESC]0;PWNED BEL y"
esc=$(printf '\033')
sed "s/\bhog\b/x${esc}[2J${esc}]0;PWNED$(printf '\007')y/g" "$log" >"$tmp/esc.log"
"$BIN" explain "$tmp/esc.log" >"$tmp/esc.txt"
if grep -q "$esc" "$tmp/esc.txt" || grep -q "$(printf '\007')" "$tmp/esc.txt"; then r=1; else r=0; fi
[ $r -eq 0 ] && grep -q 'x\\x1b\[2J\\x1b\]0;PWNED\\x07y' "$tmp/esc.txt"
tap $? "control characters of log text are printed as \\xHH, never raw"
"$BIN" explain --json "$tmp/esc.log" | grep -q 'x\\u001b\[2J\\u001b\]0;PWNED\\u0007y'
tap $? "--json escapes them as \\u00XX"
exit $((failed != 0))
