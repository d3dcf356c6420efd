#!/bin/sh
# vm-mem: 512M
# vm-timeout: 600
# Guest half of tests/bench/recorder_overhead.sh (run it through that
# script).  Prints measurements and ratios; asserts nothing about time.
. /oomdiag/tests/vm/lib.sh
. /oomdiag/tests/vm/recorder_lib.inc

PAGES=${1:-20000}
LOOPS=${2:-200000}
PASSES=${3:-5}
FORKS=${4:-300}
READ_MB=${5:-32}

load_helper || bail "insmod oomdiag_test_alloc failed"

# mode: unloaded, off (loaded, armed=0), armed (every hook attached)
set_mode() {
	grep -q '^oomdiag ' /proc/modules && rmmod oomdiag
	case $1 in
	unloaded) ;;
	off) load_oomdiag armed=0 ;;
	armed) load_oomdiag && [ "$(hdr hooks)" -gt 0 ] ;;
	esac
}

# best of PASSES; each pass runs the three modes, starting with a different
# one each time, so drift and host load hit all three alike
for m in unloaded off armed; do
	eval "touch_$m=; pages_$m=; kmalloc_$m=; fork_$m=; read_$m="
done
best() {
	if [ -z "$1" ] || [ "$2" -lt "$1" ]; then echo "$2"; else echo "$1"; fi
}
p=0
while [ $p -lt "$PASSES" ]; do
	case $((p % 3)) in
	0) order="unloaded off armed" ;;
	1) order="off armed unloaded" ;;
	*) order="armed unloaded off" ;;
	esac
	for m in $order; do
		set_mode $m || bail "mode $m"
		t=$(rec_touch "$PAGES" 3 | sed -n 's/.*ns_per_page=//p')
		a=$(helper "pages $LOOPS" | sed -n 's/.* ns=\([0-9]*\).*/\1/p')
		k=$(helper "kmalloc $LOOPS" | sed -n 's/.* ns=\([0-9]*\).*/\1/p')
		eval "touch_$m=\$(best \"\$touch_$m\" $t)"
		eval "pages_$m=\$(best \"\$pages_$m\" $((a / LOOPS)))"
		f=$(rec_forkread fork "$FORKS" 1 | sed -n 's/.*ns_per_fork=//p')
		r=$(rec_forkread read /tmp/rec_read.dat "$READ_MB" 2 | sed -n 's/.*ns_per_4k=//p')
		eval "kmalloc_$m=\$(best \"\$kmalloc_$m\" $((k / LOOPS)))"
		eval "fork_$m=\$(best \"\$fork_$m\" $f)"
		eval "read_$m=\$(best \"\$read_$m\" $r)"
	done
	p=$((p + 1))
done
set_mode armed
grep '^# hook ' "$DBG/events" | sed 's/^# /  /' | while read -r l; do diag "$l"; done
set_mode unloaded

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 0 }'
}
case $(cat /proc/cmdline) in
*oomdiag.clock=icount*) clock="icount: ns = instructions executed" ;;
*) clock="wall: TCG host time, noisy" ;;
esac
echo "# recorder overhead, $(uname -r), best of $PASSES passes, clock $clock"
echo "# (off/unl measures the noise: off runs no recorder code at all)"
printf '%-28s %10s %10s %10s %12s %12s %10s\n' "benchmark" unloaded off armed "off/unl" "armed/unl" "armed-unl"
for b in touch pages kmalloc fork read; do
	eval "u=\$${b}_unloaded o=\$${b}_off a=\$${b}_armed"
	case $b in
	touch) name="mmap+touch ns/page" ;;
	pages) name="alloc_pages(0)+free ns/op" ;;
	kmalloc) name="kmalloc(256)+kfree ns/op" ;;
	fork) name="fork+exit+wait ns/op" ;;
	read) name="page-cache pread 4k ns/op" ;;
	esac
	printf '%-28s %10s %10s %10s %12s %12s %10s\n' "$name" "$u" "$o" "$a" "$(ratio "$o" "$u")" \
		"$(ratio "$a" "$u")" "$((a - u))"
done
rmmod oomdiag_test_alloc
exit 0
