#!/bin/sh
# vm-mem: 384M
# vm-timeout: 420
# vm-bin: /lib/systemd/systemd-journald journalctl
# oomdiag record into the real systemd-journald (issue 18 item 2): the
# host's /lib/systemd/systemd-journald (copied in by vm-run's vm-bin with
# its libraries) runs in the guest, binds /run/systemd/journal/socket and
# stores to /run/log/journal; journalctl -o json reads the entries back.
# A memcg OOM kill: `oomdiag record --once` sends one entry per record of
# the ring, the oom_kill entry with its MESSAGE_ID, PRIORITY 3, and
# OOMDIAG_VICTIM_PID equal to dmesg's "Killed process"; restarted after a
# second kill it sends only the new records (every OOMDIAG_SEQ once in the
# journal); restarted after the ring was cleared behind its back it says
# in the journal how many records were lost (the module's next_seq minus
# the state's), then sends the records still there.
. /oomdiag/tests/vm/lib.sh

plan 13
J=/run/log/journal
ST=/tmp/record.state

command -v systemd-journald >/dev/null && command -v journalctl >/dev/null ||
	bail "systemd-journald or journalctl not copied in (install systemd on the host)"
mkdir -p /run/systemd/journal /var/log /etc
[ -s /etc/machine-id ] || tr -d '-' </proc/sys/kernel/random/uuid >/etc/machine-id
systemd-journald >/tmp/journald.log 2>&1 &
JPID=$!
i=0
while [ ! -S /run/systemd/journal/socket ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
[ -S /run/systemd/journal/socket ] && kill -0 $JPID
ok $? "the real systemd-journald runs (pid $JPID, socket up after $((i / 10)) s)"
if [ ! -S /run/systemd/journal/socket ]; then
	if kill -0 $JPID 2>/dev/null; then diag "journald (pid $JPID) runs, no socket yet"; else
		diag "journald exited"; fi
	ls -la /run/systemd/journal 2>&1 | sed 's/^/# /'
	sed 's/^/# journald: /' /tmp/journald.log
	bail "no journald"
fi

# jq-less JSON: FIELD of each oomdiag entry of kind KIND ("" for all)
jfield() {	# jfield FIELD [KIND]
	journalctl -D $J -o json --all --no-pager SYSLOG_IDENTIFIER=oomdiag \
		${2:+OOMDIAG_KIND=$2} 2>/dev/null |
		sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"
}
# wait until the journal holds N entries of FIELD=VALUE (up to 20 s)
jwait() {
	i=0
	while [ "$(journalctl -D $J -o cat --no-pager "$1" 2>/dev/null | grep -c .)" -lt "$2" ] &&
		[ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
}
CG=/sys/fs/cgroup
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/rj
echo 16M >$CG/rj/memory.max
kill_one() {
	dmesg -c >/dev/null
	sh -c "echo \$\$ >$CG/rj/cgroup.procs && exec hog" >/dev/null 2>&1
	dmesg | sed -n 's/.*Killed process \([0-9]*\) .*/\1/p' | tail -n1
}
ring_seqs() { sed -n 's/^seq=\([0-9]*\) .*/\1/p' "$DBG/events" | tr '\n' ' '; }

load_oomdiag
ok $? "insmod oomdiag.ko"
v1=$(kill_one)
[ -n "$v1" ]
ok $? "memcg OOM kill: dmesg Killed process $v1"
oomdiag record --once --state $ST 2>/tmp/r1.err
ok $? "oomdiag record --once exits 0"
sed 's/^/# /' /tmp/r1.err
jwait OOMDIAG_KIND=oom_kill 1
is "$(jfield OOMDIAG_VICTIM_PID oom_kill)" "$v1" "journal: the oom_kill entry's OOMDIAG_VICTIM_PID = dmesg's victim"
is "$(jfield MESSAGE_ID oom_kill) $(jfield PRIORITY oom_kill) $(jfield OOMDIAG_VICTIM_MEMCG oom_kill)" \
	"5812df3c93ec4e1dae2f281e682ed0d6 3 /rj" "journal: oom_kill MESSAGE_ID, PRIORITY 3, OOMDIAG_VICTIM_MEMCG"
want=$(ring_seqs)
got=$(jfield OOMDIAG_SEQ | sort -n | tr '\n' ' ')
is "$got" "$want" "journal: one entry per record of the ring, by seq ($want)"
journalctl -D $J -o json --all --no-pager OOMDIAG_KIND=oom_kill 2>/dev/null | grep -q '"OOMDIAG_RECORD":"seq=[0-9]* .*\\n  '
ok $? "journal: OOMDIAG_RECORD holds the record with its continuation lines"

# restart after a second kill: only the new records
v2=$(kill_one)
oomdiag record --once --state $ST 2>/tmp/r2.err
jwait OOMDIAG_KIND=oom_kill 2
is "$(jfield OOMDIAG_VICTIM_PID oom_kill | tr '\n' ' ')" "$v1 $v2 " "restart: the second kill's entry follows ($v2)"
all=$(jfield OOMDIAG_SEQ | sort -n)
is "$(echo "$all" | uniq -d)" "" "restart: every OOMDIAG_SEQ once in the journal ($(echo "$all" | wc -l) entries)"
is "$(echo "$all" | tr '\n' ' ')" "$(ring_seqs)" "restart: the journal holds exactly the ring's records"

# the ring cleared behind the recorder's back (as if overwritten while down)
s0=$(sed -n 's/.* next_seq=0*\([0-9][0-9]*\)$/\1/p' $ST)
kill_one >/dev/null
echo clear >"$DBG/events"
n1=$(sed -n '1s/.* next_seq=\([0-9]*\) .*/\1/p' "$DBG/events")
v3=$(kill_one)
oomdiag record --once --state $ST 2>/tmp/r3.err
jwait MESSAGE_ID=fbe24d6c51a94e3aaff899de85d14279 1
is "$(journalctl -D $J -o json --no-pager MESSAGE_ID=fbe24d6c51a94e3aaff899de85d14279 2>/dev/null |
	sed -n 's/.*"OOMDIAG_LOST_WHILE_DOWN":"\([0-9]*\)".*/\1/p')" "$((n1 - ${s0:-0}))" \
	"after a clear: the journal says $((n1 - ${s0:-0})) records lost while down (next_seq $n1 - state $s0)"
jwait OOMDIAG_KIND=oom_kill 3
is "$(jfield OOMDIAG_VICTIM_PID oom_kill | tail -n1)" "$v3" "after a clear: the kill after it is in the journal ($v3)"
kill $JPID
unload_oomdiag
done_testing
