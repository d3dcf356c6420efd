#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# overcommit against /proc/meminfo and /proc/sys/vm, and against the
# kernel's own verdict: with vm.overcommit_memory=2 a mapping just above
# the reported largest_mmap_kb fails and one just below succeeds (bigmalloc
# maps without touching, as malloc does for a big block), also in mode 0.
. /oomdiag/tests/vm/lib.sh

TMP=/tmp/views_overcommit.$$
VM=/proc/sys/vm

plan 14
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"

val() {	# val KEY FILE: value of KEY=... in the view
	sed -n "s/^$1=//p" "$2"
}
# meminfo KEY FILE: kB of "KEY: N kB" in a /proc/meminfo copy; a line the
# kernel does not print (SwapTotal without CONFIG_SWAP, Hugetlb without
# CONFIG_HUGETLB_PAGE: the debug kernel) is 0, as the view reports it.
meminfo() {
	awk -v k="$1:" '$1 == k { v = $2 } END { print v + 0 }' "$2"
}
# snap: our view and /proc/meminfo read back to back by one process.
snap() {
	views_readall "$DBG/overcommit" /proc/meminfo >"$TMP.all"
	sed -n '/^==> .*overcommit <==$/,/^==> \/proc\/meminfo <==$/p' "$TMP.all" >"$TMP.oc"
	sed -n '/^==> \/proc\/meminfo <==$/,$p' "$TMP.all" >"$TMP.mi"
}
# same_as_meminfo: CommitLimit and Committed_AS equal, retried (Committed_AS
# moves whenever anything maps memory).
same_as_meminfo() {
	i=0
	while [ $i -lt 5 ]; do
		snap
		if [ "$(val commit_limit_kb "$TMP.oc")" = "$(meminfo CommitLimit "$TMP.mi")" ] &&
		   [ "$(val committed_as_kb "$TMP.oc")" = "$(meminfo Committed_AS "$TMP.mi")" ]; then
			return 0
		fi
		i=$((i + 1))
	done
	diag "ours: limit $(val commit_limit_kb "$TMP.oc") committed $(val committed_as_kb "$TMP.oc")"
	diag "meminfo: limit $(meminfo CommitLimit "$TMP.mi") committed $(meminfo Committed_AS "$TMP.mi")"
	return 1
}

old_mode=$(cat $VM/overcommit_memory)
old_ratio=$(cat $VM/overcommit_ratio)
old_kbytes=$(cat $VM/overcommit_kbytes)

same_as_meminfo
ok $? "mode $old_mode: CommitLimit and Committed_AS equal /proc/meminfo"
got="$(val mode "$TMP.oc") $(val overcommit_ratio "$TMP.oc") $(val overcommit_kbytes "$TMP.oc") $(val admin_reserve_kb "$TMP.oc") $(val user_reserve_kb "$TMP.oc")"
want="$old_mode $old_ratio $old_kbytes $(cat $VM/admin_reserve_kbytes) $(cat $VM/user_reserve_kbytes)"
is "$got" "$want" "mode, ratio, kbytes and reserves equal /proc/sys/vm"
is "$(val swap_total_kb "$TMP.oc") $(val hugetlb_kb "$TMP.oc")" \
	"$(meminfo SwapTotal "$TMP.mi") $(meminfo Hugetlb "$TMP.mi")" "swap and hugetlb equal /proc/meminfo"

# Mode 0 (guess): one request above RAM + swap fails, below succeeds.
echo 0 >$VM/overcommit_memory
snap
big=$(val largest_mmap_kb "$TMP.oc")
is "$big" "$(val largest_mmap_guess_kb "$TMP.oc")" "mode 0: largest_mmap_kb is the guess rule's"
bigmalloc "$((big + 1024))k" >/dev/null
is $? 1 "mode 0: mmap of largest_mmap_kb + 1 MB ($((big + 1024)) kB) fails"
bigmalloc "$((big - 1024))k" >/dev/null
is $? 0 "mode 0: mmap of largest_mmap_kb - 1 MB succeeds"

# Mode 2 (never): the limit of __vm_enough_memory().  largest_mmap_kb is
# for a process like the reader, with the reader's own mappings committed:
# read it with a small cat (views_readall commits a 4 MB buffer), whose
# mappings are about bigmalloc's.
echo 2 >$VM/overcommit_memory
same_as_meminfo
ok $? "mode 2: CommitLimit and Committed_AS equal /proc/meminfo"
cat "$DBG/overcommit" >"$TMP.oc"
big=$(val largest_mmap_kb "$TMP.oc")
slack=$(val committed_as_slack_kb "$TMP.oc")
free=$(val free_kb "$TMP.oc")
diag "mode 2: largest_mmap_kb=$big committed_as_slack_kb=$slack free_kb=$free headroom_kb=$(val headroom_kb "$TMP.oc")"
above=$((big + slack + 256))
below=$((big - slack - 256))
out=$(bigmalloc "${above}k")
is $? 1 "mode 2: mmap just above the reported limit ($above kB) fails: $out"
out=$(bigmalloc "${below}k")
is $? 0 "mode 2: mmap just below the reported limit ($below kB) succeeds: $out"
# How close: bisect the real limit in 16 kB steps (diagnostic only).
lo=$below hi=$above
while [ $((hi - lo)) -gt 16 ]; do
	mid=$(((lo + hi) / 2))
	if bigmalloc "${mid}k" >/dev/null; then lo=$mid; else hi=$mid; fi
done
diag "mode 2: real largest mmap ~${lo} kB, reported ${big} kB (error $((lo - big)) kB)"
[ "$free" -gt "$above" ]
ok $? "mode 2 refuses $above kB while free shows $free kB (the seed case)"

# Another ratio, then overcommit_kbytes: CommitLimit follows.
echo 30 >$VM/overcommit_ratio
same_as_meminfo
ok $? "overcommit_ratio=30: CommitLimit equals /proc/meminfo ($(val commit_limit_kb "$TMP.oc") kB)"
echo 65536 >$VM/overcommit_kbytes
same_as_meminfo
ok $? "overcommit_kbytes=65536: CommitLimit equals /proc/meminfo ($(val commit_limit_kb "$TMP.oc") kB)"
cat "$DBG/overcommit" >"$TMP.oc"
big=$(val largest_mmap_kb "$TMP.oc")
if [ "$big" -gt $((slack + 512)) ]; then
	r1=$(bigmalloc "$((big + slack + 256))k" >/dev/null; echo $?)
	r2=$(bigmalloc "$((big - slack - 256))k" >/dev/null; echo $?)
	is "$r1 $r2" "1 0" "overcommit_kbytes=65536: just above fails, just below succeeds"
else
	is "$(bigmalloc "$((big + slack + 256))k" >/dev/null; echo $?)" 1 \
		"overcommit_kbytes=65536: no room left, a mapping above the limit fails"
fi

# Restore (overcommit_ratio clears overcommit_kbytes and the reverse).
echo "$old_kbytes" >$VM/overcommit_kbytes
[ "$old_kbytes" = 0 ] && echo "$old_ratio" >$VM/overcommit_ratio
echo "$old_mode" >$VM/overcommit_memory
rm -f "$TMP".*
unload_oomdiag
done_testing
