#!/bin/sh
# vm-mem: 256M
# vm-timeout: 120
# With vm.overcommit_memory=2 a request past CommitLimit fails in
# __vm_enough_memory() without a word in dmesg; the BPF kretprobe reports
# it (as JSON here) with the numbers /proc/meminfo and /proc/sys/vm show.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/bpf_lib.inc

plan 11
# jv KEY: a number of the first vm_refused JSON line of bigmalloc
jv() {
	grep '"kind":"vm_refused"' "$TR_OUT" | grep '"comm":"bigmalloc"' | head -n1 |
		sed -n "s/.*\"$1\":\"*\([^,\"]*\).*/\1/p"
}
trace_start --json
ok $? "oomdiag trace --json attached"
bigmalloc 1m >/dev/null
ok $? "a 1 MB request passes"
old=$(cat /proc/sys/vm/overcommit_memory)
echo 2 >/proc/sys/vm/overcommit_memory
limit_kb=$(awk '/^CommitLimit:/ { print $2 }' /proc/meminfo)
used_kb=$(awk '/^Committed_AS:/ { print $2 }' /proc/meminfo)
ask_kb=$((limit_kb - used_kb + 65536))
out=$(bigmalloc ${ask_kb}k)
echo "$out" | grep -q '^fail .*errno=12'
ok $? "bigmalloc ${ask_kb}k refused: $out"
used2_kb=$(awk '/^Committed_AS:/ { print $2 }' /proc/meminfo)
ratio=$(cat /proc/sys/vm/overcommit_ratio)
echo "$old" >/proc/sys/vm/overcommit_memory
sleep 0.5
trace_stop
diag "$(grep '"kind":"vm_refused"' "$TR_OUT" | head -n1 | cut -c1-400)"
is "$(grep '"kind":"vm_refused"' "$TR_OUT" | grep -c '"comm":"bigmalloc"')" 1 \
	"exactly one refusal of bigmalloc (the 1 MB request is not one)"
is "$(jv overcommit_mode)" 2 "overcommit_mode = /proc/sys/vm/overcommit_memory"
is "$(jv overcommit_ratio)" "$ratio" "overcommit_ratio = /proc/sys/vm/overcommit_ratio"
is "$(jv pages)" $((ask_kb / 4)) "pages = the request"
is "$(( $(jv commit_limit_pages) * 4 ))" "$limit_kb" "commit limit = /proc/meminfo CommitLimit"
c=$(( $(jv committed_as_pages) * 4 ))
lo=$used_kb; hi=$used2_kb
[ $lo -gt $hi ] && { lo=$used2_kb; hi=$used_kb; }
[ $c -ge $((lo - 1024)) ] && [ $c -le $((hi + 1024)) ]
ok $? "committed_as ${c} kB within /proc/meminfo Committed_AS $lo..$hi kB (+-1 MB)"
grep '"kind":"vm_refused"' "$TR_OUT" | grep '"comm":"bigmalloc"' | grep -q '"source":"bpf"'
ok $? "JSON in the shared schema (source bpf, task.comm)"
grep -q '"kind":"summary"' "$TR_OUT"
ok $? "JSON summary line at exit"
done_testing
