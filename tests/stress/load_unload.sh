#!/bin/sh
# vm-mem: 256M
# vm-timeout: 900
# Load and unload oomdiag.ko 100 times (argument 1 overrides) while three
# readers hammer every file of /sys/kernel/debug/oomdiag/.  Every load and
# every unload must succeed (an unload may wait while a reader holds a file
# open: that is the module reference debugfs takes, and is counted), the
# directory must be gone at the end, and the kernel log clean.
. /oomdiag/tests/stress/stresslib.sh

n=${1:-100}
plan 6
load_oomdiag || bail "insmod failed"
files=$(dbg_files | sed 's|.*/||' | tr '\n' ' ')
diag "files: $files"
rmmod oomdiag || bail "rmmod failed"
before_mods=$(wc -l </proc/modules)

reader() {
	r=0
	while [ ! -e $STOP ]; do
		for f in "$DBG"/*; do
			cat "$f" >/dev/null 2>&1 && r=$((r + 1))
		done
	done
	echo $r >/tmp/reads.$1
}
for i in 1 2 3; do
	reader $i &
done

loadfail=0 unloadfail=0 retries=0 i=0
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	if ! load_oomdiag 2>/tmp/insmod.err; then
		loadfail=$((loadfail + 1))
		diag "load $i failed: $(cat /tmp/insmod.err)"
		continue
	fi
	r=$(rmmod_retry) || { unloadfail=$((unloadfail + 1)); diag "unload $i failed after $r tries"; }
	retries=$((retries + r))
done
touch $STOP
wait
reads=$(cat /tmp/reads.* | awk '{ s += $1 } END { print s + 0 }')

is "$loadfail" 0 "$n loads succeeded"
is "$unloadfail" 0 "$n unloads succeeded (retried $retries times while a file was open)"
[ "$reads" -gt 0 ]
ok $? "readers completed $reads reads of module files"
grep -q '^oomdiag ' /proc/modules
[ $? -ne 0 ]
ok $? "module gone at the end"
[ ! -e "$DBG" ]
ok $? "debugfs directory gone at the end"
is "$(wc -l </proc/modules)" "$before_mods" "module count unchanged"
figure iterations "$i"
figure files "$(echo $files | wc -w)"
figure reads "$reads"
figure rmmod_retries "$retries"
figure duration_ms "$(elapsed_ms)"
done_testing
