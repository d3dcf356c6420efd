#!/bin/bash
# oomdiag record's journal catalog and systemd unit (issue 18 item 2), on
# the host with systemd's own tools:
# - debian/oomdiag.catalog has one entry per MESSAGE_ID the code sends
#   (userspace/record_journal.c: one per record kind; cmd_record.c: lost
#   records) and no other; journalctl --update-catalog compiles it in a
#   scratch root and --list-catalog lists every ID; the oom_kill entry's
#   text substitutes the record's fields (@OOMDIAG_VICTIM_PID@ ...).
# - debian/oomdiag.service passes systemd-analyze verify, keeps what the
#   brief asks (OOMScoreAdjust, MemoryMin, CapabilityBoundingSet with
#   CAP_IPC_LOCK and CAP_SYS_ADMIN only, ProtectSystem=strict, NoNewPrivileges, the state
#   directory writable) and systemd-analyze security --offline rates its
#   exposure at most 2.0 ("OK").
# Not run under systemd here: the test bed's guests have no systemd as init
# (issue 18 item 4).
SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
OOMDIAG=${OOMDIAG:-$SRC/build/userspace/oomdiag}
# shellcheck source=tests/unit/tap.sh
. "$(dirname "$0")/tap.sh"
echo "1..9"
cat=$SRC/debian/oomdiag.catalog
unit=$SRC/debian/oomdiag.service

code_ids=$(cat "$SRC/userspace/record_journal.c" "$SRC/userspace/cmd_record.c" |
	grep -o '"[0-9a-f]\{32\}"' | tr -d '"' | sort -u)
cat_ids=$(sed -n 's/^-- \([0-9a-f]\{32\}\)$/\1/p' "$cat" | sort)
is "$cat_ids" "$code_ids" "the catalog's IDs are exactly the code's ($(echo "$code_ids" | wc -l))"
is "$(echo "$cat_ids" | uniq -d)" "" "each ID once in the catalog"

if command -v journalctl >/dev/null; then
	mkdir -p "$T/root/usr/lib/systemd/catalog"
	cp "$cat" "$T/root/usr/lib/systemd/catalog/"
	journalctl --root="$T/root" --update-catalog 2>"$T/err"
	ok $? "journalctl --update-catalog compiles it"
	sed 's/^/# /' "$T/err"
	listed=$(journalctl --root="$T/root" --list-catalog 2>/dev/null | awk '{ print $1 }' | sort)
	is "$listed" "$code_ids" "journalctl --list-catalog lists every ID"
	journalctl --root="$T/root" --dump-catalog 5812df3c93ec4e1dae2f281e682ed0d6 2>/dev/null |
		grep -q '^Subject: The OOM killer killed @OOMDIAG_VICTIM_COMM@ (pid @OOMDIAG_VICTIM_PID@)$'
	ok $? "the oom_kill entry names the victim by the entry's own fields"
else
	for i in 1 2 3; do n=$((n + 1)); echo "ok $n - # SKIP journalctl not installed"; done
fi
# every @FIELD@ a catalog text uses is a field the code sends
fields=$(grep -o '@[A-Z_]*@' "$cat" | tr -d @ | sort -u)
bad=
for f in $fields; do
	grep -q "\"$f\"\|OOMDIAG_${f#OOMDIAG_}" "$SRC/userspace/record_journal.c" "$SRC/userspace/cmd_record.c" ||
		grep -q "X([A-Z_]*, \"$(echo "${f#OOMDIAG_}" | tr 'A-Z' 'a-z')\"" "$SRC/userspace/event.h" ||
		bad="$bad $f"
done
is "$bad" "" "every @FIELD@ of the catalog is sent ($(echo "$fields" | wc -w) fields)"

need="OOMScoreAdjust=-900 MemoryMin= ProtectSystem=strict
NoNewPrivileges=yes ReadWritePaths=/var/lib/oomdiag StateDirectory=oomdiag
RestrictAddressFamilies=AF_UNIX"
miss=
for k in $need; do grep -q "^$k" "$unit" || miss="$miss $k"; done
# The debugfs files refuse an open without CAP_SYS_ADMIN (found under systemd, docs/os-guest.md).
grep -qx "CapabilityBoundingSet=CAP_IPC_LOCK CAP_SYS_ADMIN" "$unit" || miss="$miss CapabilityBoundingSet"
is "$miss" "" "the unit: OOMScoreAdjust, MemoryMin, only CAP_IPC_LOCK and CAP_SYS_ADMIN, ProtectSystem=strict, NoNewPrivileges, state dir writable"
if command -v systemd-analyze >/dev/null; then
	# ExecStart must exist for verify: this build's binary
	sed "s|/usr/bin/oomdiag|$(readlink -f "$OOMDIAG")|" "$unit" >"$T/oomdiag.service"
	systemd-analyze verify --man=no "$T/oomdiag.service" >"$T/v" 2>&1
	ok $? "systemd-analyze verify"
	sed 's/^/# /' "$T/v"
	e=$(systemd-analyze security --offline=yes "$T/oomdiag.service" 2>/dev/null |
		sed -n 's/.*Overall exposure level for oomdiag.service: \([0-9.]*\).*/\1/p')
	awk -v e="$e" 'BEGIN { exit !(e != "" && e <= 2.0) }'
	ok $? "systemd-analyze security --offline: exposure $e (at most 2.0)"
else
	for i in 1 2; do n=$((n + 1)); echo "ok $n - # SKIP systemd-analyze not installed"; done
fi
[ $failed -eq 0 ]
