#!/bin/sh
# vm-mem: 256M
# vm-timeout: 150
# Refused address space (malloc returns NULL, nothing in dmesg), each with
# its reason: vm.overcommit_memory=2 and an mmap above CommitLimit (pages,
# Committed_AS, CommitLimit, mode and ratio against /proc/meminfo and
# /proc/sys/vm); ulimit -v and an mmap above it (rlimit_as); ulimit -d and
# an mmap or a brk above it (rlimit_data); vm.max_map_count reached (max_map_count);
# mremap above ulimit -v; vm.overcommit_memory=0 and one request larger than
# RAM + swap (the heuristic's rule).  A request that succeeds leaves no record,
# and every refused call leaves exactly one (issue 14: mmap_region() asks
# may_expand_vm() twice when the first answer is no).
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

meminfo() {
	sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo
}

plan 33
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
echo clear >"$DBG/events"

# 1. Overcommit.
echo 2 >/proc/sys/vm/overcommit_memory
lim=$(meminfo CommitLimit)
bytes=$((lim * 2048))
out=$(bigmalloc $bytes)
cas=$(meminfo Committed_AS)
diag "bigmalloc: $out; CommitLimit ${lim} kB, Committed_AS ${cas} kB"
case "$out" in "fail $bytes errno=12"*) r=0 ;; *) r=1 ;; esac
ok $r "mmap of twice CommitLimit fails with ENOMEM"
wait_after
snap
ev=$(recs vm_refused | grep ' reason=overcommit ' | head -n1)
diag "$ev"
is "$(kv "$ev" comm)" bigmalloc "overcommit refusal recorded for bigmalloc"
is "$(kv "$ev" pages)" $((bytes / 4096)) "pages = the request"
is "$(kv "$ev" commit_limit_pages)" $((lim / 4)) "commit_limit_pages = /proc/meminfo CommitLimit"
c=$(kv "$ev" committed_as_pages)
d=$(( c * 4 - cas ))
[ -n "$c" ] && [ ${d#-} -le 1024 ]
ok $? "committed_as_pages = /proc/meminfo Committed_AS within 1 MB (${c}x4 vs $cas kB)"
is "$(kv "$ev" overcommit_mode) $(kv "$ev" overcommit_ratio) $(kv "$ev" overcommit_kbytes)" \
	"2 $(cat /proc/sys/vm/overcommit_ratio) $(cat /proc/sys/vm/overcommit_kbytes)" \
	"mode, ratio, kbytes = /proc/sys/vm"
[ $((c + $(kv "$ev" pages))) -gt "$(kv "$ev" commit_limit_pages)" ]
ok $? "committed + asked > limit: the kernel's reason, in the record's numbers"
is "$(recs vm_refused | grep -c ' comm=bigmalloc ')" 1 "one record for one refusal (do_mmap does not add one)"
echo 0 >/proc/sys/vm/overcommit_memory

# 2. A request that succeeds: no record.
echo clear >"$DBG/events"
out=$(bigmalloc 64m)
snap
is "$out $(recs vm_refused | wc -l)" "ok 67108864 0" "a 64 MB mmap within limits: no record"

# 3. RLIMIT_AS.
out=$( (ulimit -v 65536 && bigmalloc 128m) )
diag "ulimit -v 65536; bigmalloc 128m: $out"
case "$out" in "fail 134217728 errno=12"*) r=0 ;; *) r=1 ;; esac
ok $r "mmap above ulimit -v fails with ENOMEM"
snap
ev=$(recs vm_refused | grep ' comm=bigmalloc ' | head -n1)
diag "$ev"
is "$(kv "$ev" reason)" rlimit_as "reason rlimit_as"
is "$(kv "$ev" limit) $(kv "$ev" pages)" "67108864 32768" "limit = 64 MB, pages = 128 MB"
[ $(( ($(kv "$ev" current) + $(kv "$ev" pages)) * 4096 )) -gt 67108864 ]
ok $? "total_vm + pages > limit (current=$(kv "$ev" current))"
is "$(recs vm_refused | grep -c ' comm=bigmalloc ')" 1 "rlimit_as: one record for one refused mmap"

# 3b. RLIMIT_AS through mremap (vma_to_resize(), no mmap around it).
echo clear >"$DBG/events"
out=$( (ulimit -v 65536 && bigmalloc 128m mremap) )
diag "ulimit -v 65536; bigmalloc 128m mremap: $out"
snap
ev=$(recs vm_refused | grep ' comm=bigmalloc ' | head -n1)
diag "$ev"
case "$out" in "fail 134217728 errno=12"*) r=0 ;; *) r=1 ;; esac
ok $r "mremap above ulimit -v fails with ENOMEM"
is "$(kv "$ev" reason) $(recs vm_refused | grep -c ' comm=bigmalloc ')" "rlimit_as 1" \
	"mremap: one rlimit_as record"

# 4. RLIMIT_DATA: a private writable mmap (may_expand_vm), and brk
# (sys_brk's own check_data_rlimit(), which refuses without -ENOMEM).
for kind in mmap brk; do
	echo clear >"$DBG/events"
	out=$( (ulimit -d 16384 && bigmalloc 64m $kind) 2>&1)
	diag "ulimit -d 16384; bigmalloc 64m $kind: $out"
	snap
	ev=$(recs vm_refused | grep ' comm=bigmalloc ' | head -n1)
	diag "$ev"
	case "$out" in
	"fail 67108864 errno=12"*) r=0 ;;
	*) r=1 ;;
	esac
	ok $r "$kind above ulimit -d fails with ENOMEM"
	is "$(kv "$ev" reason) $(kv "$ev" limit)" "rlimit_data 16777216" "$kind: reason rlimit_data, limit 16 MB ($(kv "$ev" hook))"
	is "$(recs vm_refused | grep -c ' comm=bigmalloc ')" 1 "$kind: one record for one refused call"
done

# 4b. vm.overcommit_memory=0: the heuristic refuses one request larger
# than RAM + swap, whatever is committed.
echo clear >"$DBG/events"
echo 0 >/proc/sys/vm/overcommit_memory
total=$(( ($(meminfo MemTotal) + $(meminfo SwapTotal)) * 1024 ))
bytes=$((total * 2))
out=$(bigmalloc $bytes)
diag "overcommit 0; bigmalloc $bytes (2 x RAM+swap): $out"
case "$out" in "fail $bytes errno=12"*) r=0 ;; *) r=1 ;; esac
ok $r "mode 0: a request of twice RAM + swap fails with ENOMEM"
wait_after
snap
ev=$(recs vm_refused | grep ' comm=bigmalloc ' | head -n1)
diag "$ev"
is "$(kv "$ev" reason) $(kv "$ev" overcommit_mode) $(kv "$ev" pages)" "overcommit 0 $((bytes / 4096))" \
	"mode 0: reason overcommit, mode 0, pages = the request"
is "$(recs vm_refused | grep -c ' comm=bigmalloc ')" 1 "mode 0: one record"

# 5. vm.max_map_count.
echo clear >"$DBG/events"
old=$(cat /proc/sys/vm/max_map_count)
echo 200 >/proc/sys/vm/max_map_count
out=$(rec_maps)
echo "$old" >/proc/sys/vm/max_map_count
diag "rec_maps with max_map_count 200: $out"
case "$out" in *errno=12*) r=0 ;; *) r=1 ;; esac
ok $r "mmap fails with ENOMEM once 200 maps exist"
wait_after
snap
ev=$(recs vm_refused | grep ' comm=rec_maps ' | head -n1)
diag "$ev"
is "$(kv "$ev" reason)" max_map_count "reason max_map_count"
is "$(kv "$ev" limit)" 200 "limit = vm.max_map_count at the time"
[ "$(kv "$ev" current)" -ge 200 ]
ok $? "current map count $(kv "$ev" current) >= 200"
is "$(recs vm_refused | grep -c ' comm=rec_maps ')" 1 "one record"
grep -q '0xffff' "$REC_OUT"
ok $((! $?)) "no raw kernel address"
unload_oomdiag
ok $? "rmmod oomdiag"
done_testing
