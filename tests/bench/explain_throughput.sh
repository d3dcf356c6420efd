#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# explain_throughput.sh [SIZE_MB]: `oomdiag explain` throughput and memory.
#
# Generates a synthetic kernel log of SIZE_MB (default 200) MB: ordinary
# kernel chatter (network, USB, audit, systemd via syslog prefixes) with the
# real reports of tests/data/reports interleaved every ~64 kB, then runs
# explain on it (human and --json output to /dev/null) and prints MB/s and
# peak RSS.  The peer measured in the same run is `grep -c` over the same file
# (a lower bound for any line scanner) and `wc -l`; the ratios are printed.
# Wall-clock MB/s (best of 3) and MB per CPU second (user+sys, robust when
# the machine is shared) are both printed.
# Memory independence: the same runs on a log 1/8 the size; peak RSS must not
# grow with the input (printed, and the script fails if it grows by more
# than 1 MB).  No assertion on time.
# OOMDIAG_BEFORE=BIN: also run BIN (an older build) on the same large log in
# the same run and print before/after MB/s, CPU MB/s and peak RSS side by side,
# and both builds' instruction counts (valgrind's callgrind), which the
# machine's load does not move.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${OOMDIAG:-$src/build/userspace/oomdiag}
size=${1:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$bin" ] || { echo "explain_throughput: no $bin (run make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "explain_throughput: needs /usr/bin/time (GNU time)" >&2; exit 1; }

gen() {	# gen OUT MB
	python3 - "$1" "$2" "$src/tests/data/reports" <<'PY'
import glob, random, sys
out, mb, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(1)
reports = [open(f, errors='replace').read() for f in sorted(glob.glob(d + '/*.log'))]
noise = [
    "[{t:12.6f}] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
    "[{t:12.6f}] usb 1-1.2: new high-speed USB device number {n} using ehci-pci",
    "[{t:12.6f}] audit: type=1400 audit({t:.3f}:{n}): apparmor=\"DENIED\" operation=\"open\" profile=\"snap\" name=\"/proc/{n}/mounts\" pid={n} comm=\"snapd\"",
    "Jan 12 03:14:{s:02d} host kernel: [{t:12.6f}] EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)",
    "Jan 12 03:14:{s:02d} host systemd[1]: Started Session {n} of user root.",
    "[{t:12.6f}] IPv6: ADDRCONF(NETDEV_CHANGE): wlan0: link becomes ready",
    "[{t:12.6f}] perf: interrupt took too long (2506 > 2500), lowering kernel.perf_event_max_sample_rate to 79750",
    "[{t:12.6f}] TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.",
]
target = mb << 20
t = 0.0
written = 0
n = 0
with open(out, 'w') as f:
    while written < target:
        chunk = []
        size = 0
        while size < 65536:
            t += 0.000731
            n += 1
            line = random.choice(noise).format(t=t, n=n, s=n % 60) + "\n"
            chunk.append(line)
            size += len(line)
        chunk.append(reports[n % len(reports)])
        s = "".join(chunk)
        f.write(s)
        written += len(s)
PY
}

measure() {	# measure LABEL CMD...: prints "wall_s maxrss_kb cpu_s" (best of 3)
	local label=$1 best= rss=0 cpu= t0 t1 i c; shift
	for i in 1 2 3; do
		t0=$(date +%s%N)
		/usr/bin/time -f '%M %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || {
			echo "explain_throughput: $label failed:" >&2; cat "$tmp/err" >&2; exit 1; }
		t1=$(date +%s%N)
		if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then best=$((t1 - t0)); fi
		read -r rss u sy <"$tmp/time"
		c=$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.3f", u + s }')
		if [ -z "$cpu" ] || awk -v a="$c" -v b="$cpu" 'BEGIN { exit !(a < b) }'; then cpu=$c; fi
	done
	awk -v ns="$best" -v r="$rss" -v c="$cpu" 'BEGIN { printf "%.4f %d %s\n", ns / 1e9, r, c }'
}

run() {	# run FILE: prints a table row set, sets rss_human rss_json
	local f=$1 mb secs rss
	mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1048576 }')
	read -r g_s _ g_c < <(measure grep grep -c "page allocation failure" "$f")
	read -r w_s _ w_c < <(measure wc wc -l "$f")
	read -r secs rss cpu < <(measure explain "$bin" explain "$f")
	read -r j_secs j_rss j_cpu < <(measure explain-json "$bin" explain --json "$f")
	rss_human=$rss
	rss_json=$j_rss
	awk -v mb="$mb" -v s="$secs" -v js="$j_secs" -v g="$g_s" -v w="$w_s" -v r="$rss" -v jr="$j_rss" 'BEGIN {
		mbs = (s > 0) ? mb / s : 0; jmbs = (js > 0) ? mb / js : 0
		gmbs = (g > 0) ? mb / g : 0; wmbs = (w > 0) ? mb / w : 0
		printf "%7.1f MB  explain %8.1f MB/s  --json %8.1f MB/s  peak RSS %6d kB / %6d kB\n", mb, mbs, jmbs, r, jr
		printf "          peers: grep -c %8.1f MB/s (explain/grep %.2f)  wc -l %8.1f MB/s (explain/wc %.2f)\n", gmbs, (gmbs > 0 ? mbs / gmbs : 0), wmbs, (wmbs > 0 ? mbs / wmbs : 0)
	}'
	awk -v mb="$mb" -v c="$cpu" -v jc="$j_cpu" -v gc="$g_c" -v wc="$w_c" 'BEGIN {
		printf "          per CPU s (>= 10 ms): explain %8.1f MB/s  --json %8.1f MB/s  grep -c %8.1f MB/s  wc -l %8.1f MB/s\n", mb / (c > 0.01 ? c : 0.01), mb / (jc > 0.01 ? jc : 0.01), mb / (gc > 0.01 ? gc : 0.01), mb / (wc > 0.01 ? wc : 0.01)
	}'
}

gen "$tmp/big.log" "$size"
gen "$tmp/small.log" $(( size / 8 > 1 ? size / 8 : 1 ))
reports=$("$bin" explain --json "$tmp/big.log" | grep -o '"kind":' | wc -l)
echo "# explain throughput: synthetic log, real reports interleaved every ~64 kB ($reports reports in the large log)"
run "$tmp/small.log"; small_rss=$rss_human; small_jrss=$rss_json
run "$tmp/big.log"; big_rss=$rss_human; big_jrss=$rss_json
echo "# peak RSS small -> large: human $small_rss -> $big_rss kB, json $small_jrss -> $big_jrss kB"
if [ $((big_rss - small_rss)) -gt 1024 ] || [ $((big_jrss - small_jrss)) -gt 1024 ]; then
	echo "not ok - memory grows with the input"
	exit 1
fi
echo "ok - memory independent of input size"
if [ -n "${OOMDIAG_BEFORE:-}" ]; then
	mb=$(awk -v b="$(stat -c %s "$tmp/big.log")" 'BEGIN { printf "%.1f", b / 1048576 }')
	b_reports=$("$OOMDIAG_BEFORE" explain --json "$tmp/big.log" | grep -o '"kind":' | wc -l)
	for which in before after; do
		b=$bin; [ $which = before ] && b=$OOMDIAG_BEFORE
		read -r s1 r1 c1 < <(measure "$which" "$b" explain "$tmp/big.log")
		read -r s2 r2 c2 < <(measure "$which-json" "$b" explain --json "$tmp/big.log")
		awk -v w="$which" -v mb="$mb" -v s1="$s1" -v s2="$s2" -v c1="$c1" -v c2="$c2" -v r1="$r1" -v r2="$r2" 'BEGIN {
			printf "# %-6s explain %7.1f MB/s (%7.1f per CPU s)  --json %7.1f MB/s (%7.1f per CPU s)  peak RSS %d / %d kB\n",
				w, mb / s1, mb / (c1 > 0.01 ? c1 : 0.01), mb / s2, mb / (c2 > 0.01 ? c2 : 0.01), r1, r2 }'
	done
	echo "# reports found: before $b_reports, after $reports"
	# Wall and CPU seconds move with the machine's load (15-20% on a shared
	# machine); instructions do not: callgrind's count on the small log,
	# the same for both builds, repeatable to the instruction.
	if command -v valgrind >/dev/null; then
		smb=$(awk -v b="$(stat -c %s "$tmp/small.log")" 'BEGIN { printf "%.2f", b / 1048576 }')
		for which in before after; do
			b=$bin; [ $which = before ] && b=$OOMDIAG_BEFORE
			for mode in human json; do
				a=; [ $mode = json ] && a=--json
				valgrind --tool=callgrind --callgrind-out-file=/dev/null "$b" explain $a "$tmp/small.log" \
					>/dev/null 2>"$tmp/cg" || { echo "explain_throughput: callgrind of $which failed" >&2; exit 1; }
				eval "ir_${which}_$mode=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/cg")"
			done
		done
		awk -v mb="$smb" -v bh="$ir_before_human" -v ah="$ir_after_human" -v bj="$ir_before_json" -v aj="$ir_after_json" 'BEGIN {
			printf "# instructions per MB (callgrind, %.2f MB log): before %.0f / --json %.0f, after %.0f / --json %.0f; after/before %.3f / --json %.3f\n",
				mb, bh / mb, bj / mb, ah / mb, aj / mb, ah / bh, aj / bj }'
	else
		echo "# (no valgrind: instruction counts skipped; apt-get install valgrind)"
	fi
fi
