#!/bin/sh
# vm-mem: 384M
# vm-timeout: 300
# Issue 14 item 7: a full bucket of the calls-in-flight table
# (module/calls.c).  Tasks are forked until ways + 2 of them fall in one
# bucket (the test helper's "bucket" file tells a task its hash), and those
# sleep inside do_mmap() (the helper's gate): the first "ways" take the
# bucket's slots, every later call in that bucket is counted in full=.
# Refusals by tasks of that bucket meanwhile: overcommit is still recorded
# once, rlimit_as at least once (once per may_expand_vm() answer); a
# max_map_count refusal, which only do_mmap()'s return sees, is recorded
# or its call counted in full=, never lost without a count.  Once the
# tasks have returned every slot is free.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

# calls KEY: KEY of the events header's "# calls_in_flight table=vm" line,
# read with shell builtins only: no exec, so no do_mmap() of our own runs.
calls() {
	while IFS= read -r _l; do
		case "$_l" in
		"# calls_in_flight table=vm "*)
			for _w in $_l; do
				case "$_w" in "$1="*) echo "${_w#*=}"; return 0 ;; esac
			done ;;
		"seq="*) break ;;
		esac
	done <"$DBG/events"
	echo "-"
}

gate_waiters() {
	read -r _g <"$HELPER/gate"
	_g=${_g#waiters=}
	echo "${_g%% *}"
}

# in_bucket OUT GO CMD...: fork until a child's bucket is $bucket (or take
# the first child's as $bucket when it is empty); that child waits until
# go GO (if GO is not "-"), then execs CMD with stdout in OUT (same task).
# The others wait in the open of a FIFO until release_all: an exited
# child's task_struct would be the next fork's.
TRIES=0
mkfifo /tmp/hold
in_bucket() {
	_out=$1
	_go=$2
	shift 2
	[ "$_go" = - ] || mkfifo "/tmp/go.$_go"
	while [ $TRIES -lt 20000 ]; do
		TRIES=$((TRIES + 1))
		: >/tmp/pick
		(
			read -r _h <"$HELPER/bucket"
			_b=$((_h >> shift))
			if [ -n "$bucket" ] && [ "$_b" -ne "$bucket" ]; then
				echo "n $_b" >/tmp/pick
				read -r _x </tmp/hold
				exit 0
			fi
			echo "y $_b" >/tmp/pick
			[ "$_go" = - ] || read -r _x <"/tmp/go.$_go"
			exec "$@" >"$_out"
		) &
		_p=$!
		until [ -s /tmp/pick ]; do :; done
		read -r _a _b </tmp/pick
		if [ "$_a" = y ]; then
			bucket=$_b
			[ "$_go" = - ] || eval "PID_${_go}=$_p"
			return 0
		fi
		HELD="$HELD $_p"
	done
	return 1
}

# go NAME: let the child waiting in in_bucket NAME go on; wait for it.
go() {
	exec 3<>"/tmp/go.$1"
	exec 3>&-
	eval "wait \$PID_$1"
}

# release_all: the children that were not picked exit (their memory is
# uncommitted before overcommit_memory=2).
HELD=
release_all() {
	exec 3<>/tmp/hold
	exec 3>&-
	# shellcheck disable=SC2086
	wait $HELD
	HELD=
}

plan 14
load_helper || bail "insmod oomdiag_test_alloc failed"
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
buckets=$(calls buckets)
ways=$(calls ways)
bits=0
while [ $((1 << bits)) -lt "$buckets" ]; do bits=$((bits + 1)); done
shift=$((32 - bits))
is "$(calls used)/$(calls full)" 0/0 "table vm: $buckets buckets of $ways ways, none used, full=0"
K=$((ways + 2))

echo close >$HELPER/gate
: >/tmp/go
bucket=
k=0
while [ $k -lt $K ]; do
	in_bucket /tmp/gate.$k - mmap_gate $HELPER/gate /tmp/go 4096 || break
	k=$((k + 1))
	i=0
	while [ "$(gate_waiters)" -lt $k ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
done
diag "$K tasks in bucket $bucket after $TRIES forks"
is "$(gate_waiters)" $K "$K tasks of one bucket sleep inside do_mmap()"
used=$(calls used)
full=$(calls full)
is "$used" "$ways" "the bucket's $ways slots are taken, no other"
[ "$full" -ge $((K - ways)) ]
ok $? "the calls that found it full are counted: full=$full >= $((K - ways))"

# Refusals by tasks of the full bucket, picked first: under
# overcommit_memory=2 the forks would not get the memory.
in_bucket /tmp/oc oc bigmalloc 64g
in_bucket /tmp/as as sh -c "ulimit -v 65536; exec bigmalloc 128m"
in_bucket /tmp/mm mm rec_maps
diag "and 3 refusers in bucket $bucket, $TRIES forks in all"
release_all
echo clear >"$DBG/events"
echo 2 >/proc/sys/vm/overcommit_memory
f0=$(calls full)
go oc
f1=$(calls full)
echo 0 >/proc/sys/vm/overcommit_memory
go as
f2=$(calls full)
echo 200 >/proc/sys/vm/max_map_count
go mm
f3=$(calls full)
wait_after
echo 65530 >/proc/sys/vm/max_map_count
snap
like() { case "$1" in $2) return 0 ;; esac; return 1; }
like "$(cat /tmp/oc)" "fail *errno=12*" && like "$(cat /tmp/as)" "fail *errno=12*" &&
	like "$(cat /tmp/mm)" "maps * errno=12 *"
ok $? "overcommit, rlimit_as and max_map_count refusals in bucket $bucket"
diag "full= while each refused: +$((f1 - f0)) +$((f2 - f1)) +$((f3 - f2))"
[ $((f1 - f0)) -gt 0 ] && [ $((f2 - f1)) -gt 0 ] && [ $((f3 - f2)) -gt 0 ]
ok $? "each refusing task's calls found the bucket full (counted)"
is "$(recs vm_refused | grep -c ' comm=bigmalloc .* reason=overcommit ')" 1 \
	"one vm_refused record for the overcommit refusal"
# A call without a slot cannot leave may_expand_vm()'s answer to its
# return: each "no" is recorded at once, and mmap_region() asks twice on
# 6.1 and 6.12 (the second time counting what MAP_FIXED would unmap); where
# may_expand_vm() is inlined into mmap_region() (Debian's 5.10) only the
# return of do_mmap() sees it, and the call is not tracked.
n=$(recs vm_refused | grep -c ' comm=bigmalloc .* reason=rlimit_as ')
diag "rlimit_as refusal: $n records"
{ [ "$n" -ge 1 ] && [ "$n" -le 2 ]; } || { [ "$n" -eq 0 ] && [ $((f2 - f1)) -gt 0 ]; }
ok $? "rlimit_as refusal recorded (once per may_expand_vm answer) or its call counted in full"
n=$(recs vm_refused | grep -c ' comm=rec_maps ')
diag "max_map_count refusal: $n records"
[ "$n" -eq 1 ] || { [ "$n" -eq 0 ] && [ $((f3 - f2)) -gt 0 ]; }
ok $? "max_map_count refusal recorded or its call counted in full"

echo open >$HELPER/gate
wait
is "$(cat /tmp/gate.* | grep -c '^gate errno=19$')" $K "every gated mmap returned (ENODEV)"
is "$(calls used)" 0 "every slot is free again"
# The same refusals with the table free: one record each.
echo clear >"$DBG/events"
(ulimit -v 65536; bigmalloc 128m >/dev/null)
echo 200 >/proc/sys/vm/max_map_count
rec_maps >/dev/null
# The worker compares the map count with the sysctl after the event.
wait_after
echo 65530 >/proc/sys/vm/max_map_count
snap
is "$(recs vm_refused | grep -c ' comm=bigmalloc .* reason=rlimit_as ')/$(recs vm_refused | grep -c ' comm=rec_maps .* reason=max_map_count ')" 1/1 \
	"with the table free again: one rlimit_as and one max_map_count record"
unload_oomdiag
ok $? "rmmod oomdiag"
done_testing
