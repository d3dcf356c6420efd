#!/bin/bash
# oomdiag record on the host (issue 18 item 2), the real binary against a
# fake debugfs directory (OOMDIAG_DEBUGFS, files as the module prints
# them) and a datagram socket standing in for journald's
# (--journal-socket): this checks what the binary sends and how it resumes,
# not journald itself (tests/vm/record_journal.sh does that where a guest
# runs the real systemd-journald).  Runs: a first drain (every record, the
# 7 seqs the ring lost before it reported, state saved); a restart after
# the ring moved on (only the new seqs, none twice); a restart after the
# ring overwrote records the recorder never read (counted as lost while
# down); the module loaded again (a new debugfs directory, its inode names
# the instance: read from seq 0); a long-running recorder that picks up
# records appended while it runs and stops on SIGTERM; --jsonl rotation
# at its size; the textfile (atomic, promtool-clean, with
# oomdiag_record_*); a module of another ABI refused.
OOMDIAG=${OOMDIAG:-build/userspace/oomdiag}
# shellcheck source=tests/unit/tap.sh
. "$(dirname "$0")/tap.sh"
PY=/usr/bin/python3
echo "1..28"

# recv SOCKET CMD...: bind SOCKET, run CMD, print each entry received as one
# JSON object (the native protocol decoded, memfd entries included)
cat >"$T/recv.py" <<'X'
import array, json, os, socket, struct, subprocess, sys
path, cmd = sys.argv[1], sys.argv[2:]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
rc = subprocess.call(cmd)
s.setblocking(False)
def parse(b):
    f, i = {}, 0
    while i < len(b):
        nl = b.index(b'\n', i)
        line = b[i:nl]
        if b'=' in line:
            k, v = line.split(b'=', 1)
            i = nl + 1
        else:
            k = line
            l = struct.unpack('<Q', b[nl + 1:nl + 9])[0]
            v = b[nl + 9:nl + 9 + l]
            if b[nl + 9 + l:nl + 10 + l] != b'\n':
                raise ValueError('bad binary field')
            i = nl + 10 + l
        f[k.decode()] = v.decode('utf-8', 'replace')
    return f
while True:
    try:
        data, anc, _, _ = s.recvmsg(1 << 20, socket.CMSG_SPACE(4))
    except BlockingIOError:
        break
    for _, typ, d in anc:
        if typ == socket.SCM_RIGHTS:
            fd = struct.unpack('i', d[:4])[0]
            data = os.pread(fd, 1 << 24, 0)
            os.close(fd)
    print(json.dumps(parse(data)))
print(json.dumps({"rc": rc}))
X
M=$T/dbg
S=$T/state
J=$T/journal.sock
rec() { OOMDIAG_DEBUGFS=$M $PY "$T/recv.py" "$J" "$OOMDIAG" record --state "$S" \
	--journal-socket "$J" --no-mlock "$@" 2>"$T/err"; }
seqs() { $PY -c 'import json, sys
print(" ".join(json.loads(l)["OOMDIAG_SEQ"] for l in sys.stdin if "OOMDIAG_SEQ" in l))' <"$1"; }
lost() { $PY -c 'import json, sys
print(" ".join(json.loads(l)["OOMDIAG_LOST_WHILE_DOWN"] for l in sys.stdin if "OOMDIAG_LOST_WHILE_DOWN" in l))' <"$1"; }
record() {	# record SEQ KIND: one record line (and a stack)
	if [ "$2" = oom_kill ]; then
		echo "seq=$1 ts_ns=$1000 wall_ns=1700000000$1000000 kind=oom_kill cpu=0 context=task pid=60 tgid=60 comm=hog flags=- victim_pid=$((100 + $1)) victim_uid=0 victim_comm=hog anon_rss_kb=1000 file_rss_kb=0 shmem_rss_kb=0 swap_kb=0 pgtables_kb=4 points=250 totalpages=1000 oom_score_adj=0 constraint=memcg gfp=0xcc0 gfp_names=GFP_KERNEL order=0 memcg=/t victim_memcg=/t hook=oom_kill after=-"
	else
		echo "seq=$1 ts_ns=$1000 wall_ns=1700000000$1000000 kind=alloc_fail cpu=0 context=task pid=50 tgid=50 comm=insmod flags=costly gfp=0x2800 gfp_names=GFP_NOWAIT|__GFP_NOWARN order=10 latency_ns=- nodemask_set=0 hook=x after=-"
	fi
	echo "  stack alloc_pages+0x1/0x2"
}
ring() {	# ring FIRST NEXT SEQ...: replace the events file (atomically: rename)
	local first=$1 next=$2
	shift 2
	{
		echo "# oomdiag events v1 abi=2 records=$# first_seq=$first next_seq=$next ring_size=256 lost=$first dropped=0 armed=1 hooks=5"
		for s in "$@"; do record "$s" $([ $((s % 2)) -eq 0 ] && echo oom_kill); done
	} >"$M/.events.new"
	mv "$M/.events.new" "$M/events"
}
mkdir -p "$M"

# 1. first drain: seqs 7 and 8, 0..6 already overwritten
ring 7 9 7 8
rec --once --jsonl "$T/ev.jsonl" --textfile "$T" >"$T/r1"
is "$(seqs "$T/r1")" "7 8" "first run: every record of the ring, in seq order"
is "$(lost "$T/r1")" "7" "first run: says the ring lost 7 records (0..6) before it read"
is "$(tail -n1 "$T/r1")" '{"rc": 0}' "--once exits 0"
grep -q 'next_seq=00000000000000000009$' "$S"
ok $? "state: next seq 9 ($(cat "$S"))"
$PY -c 'import json, sys
e = [json.loads(l) for l in open(sys.argv[1]) if "OOMDIAG_SEQ" in l][1]
assert e["OOMDIAG_KIND"] == "oom_kill" and e["PRIORITY"] == "3", e
assert e["MESSAGE_ID"] == "5812df3c93ec4e1dae2f281e682ed0d6", e
assert e["OOMDIAG_VICTIM_PID"] == "108" and e["OOMDIAG_STACK"] == "alloc_pages+0x1/0x2", e
assert e["OOMDIAG_RECORD"].startswith("seq=8 ") and "\n  stack " in e["OOMDIAG_RECORD"], e
' "$T/r1"
ok $? "the oom_kill entry: MESSAGE_ID, PRIORITY 3, OOMDIAG_VICTIM_PID, stack, whole record"
is "$(wc -l <"$T/ev.jsonl")" 2 "--jsonl: one line per record"
$PY -c 'import json, sys
[json.loads(l) for l in open(sys.argv[1])]' "$T/ev.jsonl"
ok $? "--jsonl lines are JSON"
promtool check metrics <"$T/oomdiag.prom" >"$T/lint" 2>&1
ok $? "--textfile: oomdiag.prom passes promtool check metrics"
sed 's/^/# /' "$T/lint"
grep -q '^oomdiag_record_lost_while_down_total 7$' "$T/oomdiag.prom" &&
	grep -q '^oomdiag_record_journal_entries_total 2$' "$T/oomdiag.prom"
ok $? "--textfile: oomdiag_record_lost_while_down_total 7, journal_entries_total 2"
is "$(ls -A "$T" | grep -c '\.tmp$')" 0 "--textfile: no temporary file left"

# 2. restart after the ring moved on: 8 is still there, 9 and 10 are new
ring 8 11 8 9 10
rec --once >"$T/r2"
is "$(seqs "$T/r2")" "9 10" "restart: only the new records, 8 not again"
is "$(lost "$T/r2")" "" "restart: nothing lost"

# 3. restart after the ring overwrote 11..13 unread
ring 14 16 14 15
rec --once >"$T/r3"
is "$(seqs "$T/r3")" "14 15" "restart after overwrites: the records still there"
is "$(lost "$T/r3")" "3" "restart after overwrites: 3 lost while down (11..13)"

# 4. restart with nothing new: no entry, no duplicate
rec --once >"$T/r4"
is "$(seqs "$T/r4")" "" "restart with nothing new: no entry"

# 4b. the journal away (journald restarting): nothing handed on, then all
ring 14 18 14 15 16 17
OOMDIAG_DEBUGFS=$M "$OOMDIAG" record --state "$S" --journal-socket "$T/nosuch.sock" --no-mlock \
	--once 2>"$T/err4b"
is "$?" 1 "journal socket absent: --once exits 1"
grep -q "retrying seq 16" "$T/err4b"
ok $? "journal socket absent: says it retries seq 16 ($(head -n1 "$T/err4b"))"
rec --once >"$T/r4b"
is "$(seqs "$T/r4b")" "16 17" "journal back: the records it could not send, none lost"

# 5. the module loaded again: a new debugfs directory (another inode), seqs from 0
mv "$M" "$M.old"
mkdir -p "$M"
ring 0 2 0 1
rec --once >"$T/r5"
is "$(seqs "$T/r5")" "0 1" "module loaded again: its ring from seq 0"
grep -q "loaded again" "$T/err"
ok $? "module loaded again: said on stderr"

# 6. long-running: records appended while it runs, SIGTERM ends it
ring 0 2 0 1
cat >"$T/live.sh" <<X
"$OOMDIAG" record --state "$S" --journal-socket "$J" --no-mlock --interval 0.1 2>"$T/err6" &
p=\$!
sleep 0.5
. "$T/fns"
ring 0 5 0 1 2 3 4
i=0
while ! grep -q 'next_seq=00000000000000000005\$' "$S" && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
kill -TERM \$p
wait \$p
X
declare -f record ring >"$T/fns"
echo "M=$M" >>"$T/fns"
OOMDIAG_DEBUGFS=$M $PY "$T/recv.py" "$J" bash "$T/live.sh" >"$T/r6"
is "$(seqs "$T/r6")" "2 3 4" "running: the records appended meanwhile, each once"
is "$(tail -n1 "$T/r6")" '{"rc": 0}' "SIGTERM: exits 0"
grep -q "stopped before seq 5" "$T/err6"
ok $? "SIGTERM: says where it stopped ($(tail -n1 "$T/err6"))"

# 7. --jsonl rotation at 1 MiB: 2500 records of ~600 bytes
{
	echo "# oomdiag events v1 abi=2 records=2500 first_seq=5 next_seq=2505 ring_size=4096 lost=5 dropped=0 armed=1 hooks=5"
	for s in $(seq 5 2504); do record "$s" oom_kill; done
} >"$M/events"
rec --once --no-journal --jsonl "$T/rot.jsonl" --jsonl-max-mb 1 --jsonl-keep 2 >/dev/null
tot=$(cat "$T"/rot.jsonl* | wc -l)
is "$tot" 2500 "--jsonl rotation: 2500 lines over the files"
[ -s "$T/rot.jsonl.1" ] && [ "$(stat -c %s "$T/rot.jsonl.1")" -ge 1048576 ] &&
	[ "$(stat -c %s "$T/rot.jsonl")" -lt 1048576 ]
ok $? "--jsonl rotation: rot.jsonl.1 reached 1 MiB, rot.jsonl is below ($(ls "$T" | grep -c rot.jsonl) files)"

# 7b. no memory of its own per record: as many brk/mmap calls for the
# 2500 records as for 2 (strace -c), the parser's free()d memory reused
if command -v strace >/dev/null; then
	mc() { rm -f "$T/st7"; OOMDIAG_DEBUGFS=$M strace -f -c -e trace=brk,mmap,munmap,mremap \
		"$OOMDIAG" record --once --no-journal --state "$T/st7" --jsonl "$T/m.jsonl" 2>&1 >/dev/null |
		awk '$NF == "total" { print $(NF - 1) }'; }
	many=$(mc)
	ring 0 2 0 1
	few=$(mc)
	[ -n "$many" ] && [ "$many" = "$few" ]
	ok $? "memory syscalls do not grow with the records: $few for 2 records, $many for 2500"
else
	n=$((n + 1)); echo "ok $n - # SKIP strace not installed"
fi

# 8. a module of another ABI: refused, nothing sent
sed -i '1s/abi=2/abi=99/' "$M/events"
rec --once >"$T/r8"
is "$(tail -n1 "$T/r8")" '{"rc": 1}' "another module ABI: exit 1"
grep -q "module ABI 99" "$T/err"
ok $? "another module ABI: says so"
[ $failed -eq 0 ]
