#!/bin/bash
# oomdiag command line on the host: --help on every command, exit codes,
# --json validity, colour rules (tty only, never with --json or NO_COLOR),
# 100-column output, and the module's debugfs files read from a fake
# directory (OOMDIAG_DEBUGFS) in the formats the module prints.
OOMDIAG=${OOMDIAG:-build/userspace/oomdiag}
SRC=${OOMDIAG_SRC:-.}
# shellcheck source=tests/unit/tap.sh
. "$(dirname "$0")/tap.sh"
json_ok() { python3 -c 'import json,sys
for l in sys.stdin.read().strip().split("\n"):
    json.loads(l)' ; }

CMDS="status buddy gfp top events metrics explain trace"

# --help everywhere
for c in $CMDS; do
	out=$("$OOMDIAG" $c --help 2>&1)
	rc=$?
	[ $rc -eq 0 ] && [ -n "$out" ]
	ok $? "$c --help exits 0 and prints help"
	w=$(printf '%s\n' "$out" | awk '{ if (length($0) > 100) n++ } END { print n + 0 }')
	is "$w" 0 "$c --help fits 100 columns"
done
"$OOMDIAG" --help | grep -q "^  metrics"
ok $? "oomdiag --help lists the commands"
"$OOMDIAG" help gfp | grep -q "Usage: oomdiag gfp"
ok $? "oomdiag help gfp"
"$OOMDIAG" --version | grep -q "^oomdiag [0-9]"
ok $? "--version"

# exit codes
"$OOMDIAG" >/dev/null 2>&1; is $? 2 "no command: exit 2"
"$OOMDIAG" nosuch >/dev/null 2>&1; is $? 2 "unknown command: exit 2"
"$OOMDIAG" top --bogus >/dev/null 2>&1; is $? 2 "unknown option: exit 2"
"$OOMDIAG" top -n x >/dev/null 2>&1; is $? 2 "bad number: exit 2"
"$OOMDIAG" gfp >/dev/null 2>&1; is $? 2 "gfp without MASK: exit 2"
"$OOMDIAG" gfp GFP_NOPE >/dev/null 2>&1; is $? 2 "gfp unknown flag: exit 2"
"$OOMDIAG" gfp 0xcc0 --kernel banana >/dev/null 2>&1; is $? 2 "gfp bad --kernel: exit 2"
err=$("$OOMDIAG" gfp GFP_NOPE --kernel 6.1 2>&1 >/dev/null)
case "$err" in "oomdiag: "*) ok 0 "errors start with 'oomdiag: '" ;; *) ok 1 "errors start with 'oomdiag: ' ($err)" ;; esac
OOMDIAG_DEBUGFS=$T/none "$OOMDIAG" events >/dev/null 2>"$T/err"; rc=$?
is $rc 3 "events without module: exit 3"
grep -q "cannot read $T/none/events: No such file or directory (is the module loaded? insmod oomdiag.ko)" "$T/err"
ok $? "events without module: error names the file, the reason and the fix"

# JSON on every command
for c in "status" "buddy" "top" "gfp 0xcc0 --kernel 6.1" "metrics" "gfp --list-kernels"; do
	OOMDIAG_DEBUGFS=$T/none "$OOMDIAG" $c --json >"$T/j" 2>/dev/null
	json_ok <"$T/j"
	ok $? "$c --json is valid JSON"
done
OOMDIAG_DEBUGFS=$T/none "$OOMDIAG" --json top >"$T/j" 2>/dev/null && json_ok <"$T/j"
ok $? "global --json before the command"

# colour: only on a tty, never with --json or NO_COLOR
esc=$(printf '\033')
out=$(OOMDIAG_DEBUGFS=$T/none "$OOMDIAG" gfp 0xa20 --kernel 6.1)
case "$out" in *"$esc"*) ok 1 "no colour when piped" ;; *) ok 0 "no colour when piped" ;; esac
out=$(TERM=xterm OOMDIAG_DEBUGFS=$T/none script -qec "$OOMDIAG gfp 0xa20 --kernel 6.1" /dev/null)
case "$out" in *"$esc["*) ok 0 "colour on a terminal" ;; *) ok 1 "colour on a terminal" ;; esac
out=$(TERM=xterm NO_COLOR=1 OOMDIAG_DEBUGFS=$T/none script -qec "$OOMDIAG gfp 0xa20 --kernel 6.1" /dev/null)
case "$out" in *"$esc["*) ok 1 "NO_COLOR on a terminal: no colour" ;; *) ok 0 "NO_COLOR on a terminal: no colour" ;; esac
out=$(TERM=xterm OOMDIAG_DEBUGFS=$T/none script -qec "$OOMDIAG gfp 0xa20 --kernel 6.1 --json" /dev/null)
case "$out" in *"$esc["*) ok 1 "--json on a terminal: no colour" ;; *) ok 0 "--json on a terminal: no colour" ;; esac
out=$(TERM=xterm OOMDIAG_DEBUGFS=$T/none script -qec "$OOMDIAG --no-color status" /dev/null)
case "$out" in *"$esc["*) ok 1 "--no-color on a terminal" ;; *) ok 0 "--no-color on a terminal" ;; esac

# global options: parsed once by main, anywhere before "--", by every command (explain too)
log=$SRC/tests/data/reports/vm-6.1-hog-oom.log
out=$(TERM=xterm script -qec "$OOMDIAG explain $log" /dev/null)
case "$out" in *"$esc["*) ok 0 "explain on a terminal: colour" ;; *) ok 1 "explain on a terminal: colour" ;; esac
for a in "--no-color explain $log" "explain --no-color $log" "explain $log --no-color"; do
	out=$(TERM=xterm script -qec "$OOMDIAG $a" /dev/null)
	case "$out" in *"$esc["*) ok 1 "$a: no colour on a terminal" ;; *) ok 0 "$a: no colour on a terminal" ;; esac
done
a=$("$OOMDIAG" --json explain "$log" | md5sum)
for b in "explain --json $log" "explain $log --json" "explain --pretty $log" "--pretty explain $log"; do
	"$OOMDIAG" $b >"$T/j" && python3 -c 'import json,sys; json.load(sys.stdin)' <"$T/j"
	ok $? "$b: JSON"
done
is "$("$OOMDIAG" explain "$log" --json | md5sum)" "$a" "explain FILE --json = --json explain FILE"
"$OOMDIAG" explain --pretty "$log" | grep -q '^  "reports": \['
ok $? "explain --pretty: indented JSON"
out=$(TERM=xterm OOMDIAG_DEBUGFS=$T/none script -qec "$OOMDIAG status --no-module --no-color" /dev/null)
case "$out" in *"$esc["*) ok 1 "status after its name: --no-color" ;; *) ok 0 "status after its name: --no-color" ;; esac
"$OOMDIAG" explain -- --json >/dev/null 2>"$T/err"; rc=$?
is "$rc" 1 "after --, --json is an argument (explain's FILE)"
"$OOMDIAG" trace --json --records >/dev/null 2>&1; rc=$?
is "$rc" 2 "trace: the global --json meets --records: usage error"
grep -l '#include "\(buddy\|top\|explain\|trace\)\.h"' "$SRC"/userspace/cmd_*.c "$SRC"/userspace/main.c "$SRC"/userspace/event_model.c >"$T/inc" 2>/dev/null
is "$(cat "$T/inc")" "" "no command includes another command's header"

# 100 columns
for c in "status --no-module" "buddy --no-module" "top --no-module -n 50" "gfp 0x52cc0 --order 9 --kernel 6.1"; do
	w=$(OOMDIAG_DEBUGFS=$T/none "$OOMDIAG" $c | awk '{ if (length($0) > 100) n++ } END { print n + 0 }')
	is "$w" 0 "$c fits 100 columns"
done

# a fake module directory, files as the module prints them
M=$T/dbg
mkdir -p "$M"
cat >"$M/buddyinfo" <<'X'
# oomdiag buddyinfo v1 zones=2 orders=11 migratetypes=Unmovable,Movable,Reclaimable,HighAtomic,CMA,Isolate list_cap=100000 lists=132 capped_lists=0 max_lock_ns=1000 total_lock_ns=5000
# node zone managed_pages free_pages free_cma_pages boost_pages min_pages low_pages high_pages free_blocks unusable_index frag_index highest_order free_Unmovable free_Movable free_Reclaimable free_HighAtomic free_CMA free_Isolate capped_lists max_lock_ns
0 DMA 3840 3000 0 0 33 41 49 2,1,0,1,1,1,1,1,0,1,2 0.000,0.000,0.001,0.001,0.003,0.007,0.018,0.039,0.082,0.082,0.420 -1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000 10,10,-1,-1,-1,-1 0,0,0,0,0,0,0,0,0,0,0 2,1,0,1,1,1,1,1,0,1,2 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0 500
0 DMA32 60000 1234 0 0 500 625 750 100,50,20,10,5,2,1,0,0,0,0 0.000,0.081,0.162,0.227,0.292,0.357,0.405,0.438,1.000,1.000,1.000 -1.000,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000,0.890,0.945,0.972,0.986 6,6,-1,-1,-1,-1 60,20,5,0,0,0,0,0,0,0,0 40,30,15,10,5,2,1,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0,0,0,0,0,0,0,0,0,0,0 0 900
X
cat >"$M/tasks" <<'X'
# oomdiag tasks v1 totalpages=65536 tasks=3 exempt=1 truncated=0 memcg_overflow=0 walk_ns=12000
# pid uid comm anon_kb file_kb shmem_kb swap_kb pgtables_kb oom_score_adj badness oom_score memcg exempt
1 0 init 400 800 0 0 40 0 - 0 / init
200 1000 big\x20hog 180000 1000 0 0 400 0 45350 1358 /test -
300 1000 small 8000 500 0 0 40 900 60963 1600 /test -
X
cat >"$M/overcommit" <<'X'
# oomdiag overcommit v1
mode=2
mode_name=never
overcommit_ratio=50
overcommit_kbytes=0
commit_limit_kb=131072
committed_as_kb=140000
headroom_kb=-8928
X
cat >"$M/events" <<'X'
# oomdiag events v1 records=1 first_seq=1 next_seq=2 ring_size=256 lost=0 dropped=4 armed=1 hooks=5
seq=1 ts_ns=5000000000 wall_ns=0 kind=alloc_fail cpu=0 context=task pid=50 tgid=50 comm=insmod flags=snapshot|costly gfp=0x2800 gfp_names=GFP_NOWAIT|__GFP_NOWARN order=10 latency_ns=- nodemask_set=0 hook=x after=-
  zone node=0 zone=DMA32 free_pages=1234 min_pages=500 low_pages=625 high_pages=750 free_cma_pages=0 managed_pages=60000 free_blocks=100,50,20,10,5,2,1,0,0,0,0
X
export OOMDIAG_DEBUGFS=$M
src=$("$OOMDIAG" buddy --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["source"])')
is "$src" "module buddyinfo" "buddy reads the module's buddyinfo"
mt=$("$OOMDIAG" buddy --json | python3 -c 'import json,sys; z=json.load(sys.stdin)["zones"][1]; print(z["name"], z["migratetypes"]["Movable"][:3], z["min_kb"], z["highest_free_order"])')
is "$mt" "DMA32 [40, 30, 15] 2000 6" "module columns found by name (migratetype, watermark, order)"
v=$("$OOMDIAG" top --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["source"], d["next_victim"]["pid"], d["tasks"][1]["comm"], len(d["tasks"]))')
is "$v" "module tasks 300 big hog 2" "top: module ranking, victim, escaped comm, exempt hidden"
"$OOMDIAG" top --all | grep -q " init "
ok $? "top --all shows exempt tasks"
hr=$("$OOMDIAG" status --json | python3 -c 'import json,sys; o=json.load(sys.stdin)["overcommit"]; print(o["source"], o["mode"], o["headroom_kb"])')
is "$hr" "module overcommit 2 -8928" "status: overcommit from the module"
"$OOMDIAG" status | grep -q "alloc_fail"
ok $? "status shows recent events"
why=$("$OOMDIAG" status | sed -n '/^Why the recent failures/,$p')
wid=$("$OOMDIAG" events --explain 2>/dev/null | awk '/^  causes$/ { c = 1; next } /^  [^ ]/ { c = 0 }
	c && /^    [a-z_]+:/ { sub(/:.*/, ""); sub(/^ +/, ""); printf "%s%s", s, $0; s = ", " }')
echo "$why" | grep -q "^  seq 1 alloc_fail insmod pid 50: $wid: gfp 0x2800"
ok $? "status: why the recent failure, one line with the causes of events --explain ($wid)"
rc=$("$OOMDIAG" status --json | python3 -c 'import json,sys; r=json.load(sys.stdin)["recent_causes"]; print(len(r), r[0]["seq"], r[0]["kind"], ", ".join(c["id"] for c in r[0]["causes"]), len(r[0]["missing"]) > 0)')
is "$rc" "1 1 alloc_fail $wid True" "status --json: recent_causes with the causes of events --explain"
rc=$("$OOMDIAG" --no-module status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["recent_causes"])')
is "$rc" "None" "status --no-module --json: recent_causes null"
ev=$("$OOMDIAG" events --json | python3 -c 'import json,sys; e=json.loads(sys.stdin.readline()); print(e["kind"], e["order"], e["gfp"]["flags"], e["zones"][0]["highest_free_order"])')
is "$ev" "alloc_fail 10 ['GFP_NOWAIT', '__GFP_NOWARN'] 6" "events --json: one event per line"
"$OOMDIAG" events --records 2>/dev/null >"$T/rec"
grep -v '^#' "$M/events" | diff - "$T/rec" >/dev/null
ok $? "events --records: the module's records written back as the module wrote them"
"$OOMDIAG" events --records --json >/dev/null 2>&1; rc=$?
is "$rc" 2 "events --records --json: usage error"
"$OOMDIAG" events 2>&1 | grep -q "dropped 4 events"
ok $? "events warns about dropped events"
"$OOMDIAG" metrics | grep -q '^oomdiag_recorder_dropped_total 4$'
ok $? "metrics: lost-event counter from the summary line"
"$OOMDIAG" metrics | grep -q '^oomdiag_free_blocks_by_migratetype{node="0",zone="DMA32",migratetype="Movable",order="0"} 40$'
ok $? "metrics: per-migratetype sample"
"$OOMDIAG" metrics --no-module | grep -q '^oomdiag_module_loaded 0$'
ok $? "metrics --no-module"
chmod 000 "$M/tasks"
if [ "$(id -u)" != 0 ]; then
	"$OOMDIAG" top >/dev/null 2>"$T/err"
	grep -q "Permission denied (run as root)" "$T/err"
	ok $? "permission denied: run as root hint"
else
	echo "ok $((n += 1)) - permission denied hint # SKIP running as root"
fi
unset OOMDIAG_DEBUGFS

echo "1..$n"
[ $failed -eq 0 ]
