#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `oomdiag explain` output contracts over the whole report corpus: --json is
# valid JSON with every key of docs/explain-schema.md in every report (and
# nothing else on stdout); the human output fits 100 columns, has colour on a
# terminal but not with NO_COLOR, not when piped and never with --json;
# stdin and FILE give the same result; errors and exit codes as documented.
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
echo "1..10"

cat "$DATA"/*.log >"$tmp/all.log"
"$BIN" explain --json "$tmp/all.log" >"$tmp/all.json"
tap $? "explain --json over the concatenated corpus exits 0"

if command -v python3 >/dev/null; then
	python3 - "$tmp/all.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert list(doc) == ["reports"], list(doc)
need = ["kind", "line_first", "line_last", "timestamp", "kernel", "task", "gfp", "order",
        "nodemask", "cpuset", "mems_allowed", "victim", "killed_count", "constraint", "memcg",
        "task_memcg", "memcg_stats", "vmalloc", "meminfo", "zones", "tasks", "suppressed",
        "causes", "truncated", "stall_ms", "sysrq", "oom_killer_disabled", "panic_on_oom", "missing"]
kinds = {"global_oom", "memcg_oom", "page_alloc_failure", "vmalloc_failure", "alloc_stall"}
zkeys = ["node", "name", "free_kb", "min_kb", "low_kb", "high_kb", "free_cma_kb", "managed_kb",
         "free_blocks", "migratetypes", "highest_free_order", "highest_usable_order", "usable"]
bad = 0
for i, r in enumerate(doc["reports"]):
    miss = [k for k in need if k not in r]
    if miss or r["kind"] not in kinds:
        print("# report %d: missing %s kind %s" % (i, miss, r.get("kind"))); bad += 1
    for k in ("comm", "pid"):
        if k not in r["task"]: print("# report %d: task.%s" % (i, k)); bad += 1
    if r["gfp"] is not None and (not r["gfp"]["mask"].startswith("0x") or
                                 not isinstance(r["gfp"]["flags"], list)):
        print("# report %d: gfp %s" % (i, r["gfp"])); bad += 1
    if r["victim"] is not None:
        for k in ("pid", "comm", "anon_rss_kb", "oom_score_adj"):
            if k not in r["victim"]: print("# report %d: victim.%s" % (i, k)); bad += 1
    for z in r["zones"]:
        if [k for k in zkeys if k not in z]: print("# report %d: zone keys" % i); bad += 1
        if z["free_blocks"] is not None and z["migratetypes"] is not None and \
           len(z["free_blocks"]) != len(z["migratetypes"]):
            print("# report %d: per-order arrays differ" % i); bad += 1
    for c in r["causes"]:
        if sorted(c) != ["advice", "evidence", "id"] or not c["evidence"] or not c["advice"]:
            print("# report %d: cause %s" % (i, c)); bad += 1
    if not isinstance(r["truncated"], bool): bad += 1
print("# %d reports checked" % len(doc["reports"]))
sys.exit(1 if bad or len(doc["reports"]) < 40 else 0)
PY
	tap $? "every report has the documented keys and types"
else
	echo "ok $((n += 1)) - schema keys # SKIP python3 not installed"
fi

"$BIN" explain "$tmp/all.log" >"$tmp/all.txt"
tap $? "human output over the corpus exits 0"
wide=$(awk 'length($0) > 100' "$tmp/all.txt" | wc -l)
[ "$wide" -eq 0 ]
tap $? "human output fits 100 columns ($wide lines wider)"
esc=$(printf '\033')
! grep -q "$esc" "$tmp/all.txt" && ! grep -q "$esc" "$tmp/all.json"
tap $? "no colour when piped, none in --json"

if command -v script >/dev/null; then
	script -qec "$BIN explain $DATA/vm-6.1-hog-oom.log" /dev/null >"$tmp/tty.txt" 2>&1
	grep -q "$esc" "$tmp/tty.txt"
	tap $? "colour on a terminal"
	NO_COLOR=1 script -qec "$BIN explain $DATA/vm-6.1-hog-oom.log" /dev/null >"$tmp/nc.txt" 2>&1
	! grep -q "$esc" "$tmp/nc.txt"
	tap $? "no colour with NO_COLOR on a terminal"
else
	echo "ok $((n += 1)) - colour on a terminal # SKIP no script(1)"
	echo "ok $((n += 1)) - NO_COLOR # SKIP no script(1)"
fi

"$BIN" explain --json - <"$tmp/all.log" >"$tmp/stdin.json"
cmp -s "$tmp/stdin.json" "$tmp/all.json"
tap $? "stdin and FILE give the same JSON"

"$BIN" explain "$tmp/does-not-exist" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "^oomdiag: cannot read $tmp/does-not-exist: No such file or directory" "$tmp/err"
tap $? "missing file: exit 1 and 'oomdiag: cannot read FILE: reason' ($rc: $(cat "$tmp/err"))"
"$BIN" explain --no-such-option >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^oomdiag: explain: unknown option" "$tmp/err"
tap $? "bad option: exit 2 ($rc)"
[ $failed -eq 0 ]
