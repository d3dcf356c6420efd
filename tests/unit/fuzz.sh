#!/bin/bash
# Fuzz harness: builds every tests/fuzz/*.c libFuzzer target with clang
# -fsanitize=fuzzer,address,undefined, linked with every userspace object
# except main.o compiled by clang with the same sanitizers (into
# $OOMDIAG_OUT/fuzz, apart from the normal build), and runs each target for
# FUZZ_RUNS executions (default 10000 each: the whole run stays under a
# minute on the 2-core build machine).  Any crash, leak, sanitizer report
# or timeout fails that target.  TAP.
#
# Seeds: a line "FUZZ_SEEDS: glob ..." in the target's source (globs
# relative to the repository), plus tests/fuzz/corpus/NAME/ if present.
# Longer runs: FUZZ_RUNS=2000000 tests/unit/fuzz.sh (see `make fuzz-long`
# in the report), or FUZZ_TARGETS="fuzz_gfp" to pick targets.
set -u
SRC=${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
OUT=${OOMDIAG_OUT:-$SRC/build}
FZ=$OUT/fuzz
RUNS=${FUZZ_RUNS:-10000}
CLANG=${CLANG:-clang}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 -std=gnu11 -D_GNU_SOURCE -Wall -Wno-unused-command-line-argument $SAN
	-I$SRC/userspace -I$SRC/include -I$OUT/bpf"
n=0
failed=0

tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

targets=$(ls "$SRC"/tests/fuzz/*.c 2>/dev/null)
[ -n "${FUZZ_TARGETS:-}" ] && targets=$(for t in $FUZZ_TARGETS; do echo "$SRC/tests/fuzz/$t.c"; done)
if ! command -v "$CLANG" >/dev/null ||
	! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"$CLANG" -x c -fsanitize=fuzzer,address -o /dev/null - 2>/dev/null; then
	echo "1..1"
	echo "ok 1 - fuzz targets # SKIP clang with libFuzzer/ASan not installed (apt-get install clang libclang-rt-dev)"
	exit 0
fi
echo "1..$(( $(echo "$targets" | wc -w) * 2 + 1 ))"

# the userspace objects, with sanitizers, rebuilt when their source is newer
mkdir -p "$FZ/obj" "$FZ/bin"
objs=()
err=0
for c in "$SRC"/userspace/*.c; do
	b=$(basename "$c" .c)
	[ "$b" = main ] && continue
	o=$FZ/obj/$b.o
	if [ ! -e "$o" ] || [ -n "$(find "$c" "$SRC"/userspace/*.h "$SRC"/include -newer "$o" 2>/dev/null | head -n1)" ]; then
		if ! $CLANG $CFLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$c" 2>"$FZ/obj/$b.log"; then
			err=1
			sed 's/^/# /' "$FZ/obj/$b.log" | head -20
		fi
	fi
	objs+=("$o")
done
tap $err "userspace objects built with clang and ASan+UBSan+fuzzer instrumentation"

LIBS="-lbpf -lelf -lz -lzstd -lm"
for t in $targets; do
	name=$(basename "$t" .c)
	bin=$FZ/bin/$name
	if $CLANG $CFLAGS -fsanitize=fuzzer -o "$bin" "$t" "${objs[@]}" $LIBS 2>"$FZ/$name.build.log"; then
		tap 0 "$name builds"
	else
		sed 's/^/# /' "$FZ/$name.build.log" | head -20
		tap 1 "$name builds"
		tap 1 "$name runs $RUNS executions # not built"
		continue
	fi
	corpus=$FZ/corpus/$name
	rm -rf "$corpus"
	mkdir -p "$corpus"
	seeds=$(sed -n 's/.*FUZZ_SEEDS: *//p' "$t")
	for g in $seeds; do
		for f in $SRC/$g; do
			[ -f "$f" ] && cp "$f" "$corpus/$(basename "$f")"
		done
	done
	[ -d "$SRC/tests/fuzz/corpus/$name" ] && cp "$SRC/tests/fuzz/corpus/$name"/* "$corpus/" 2>/dev/null
	start=$(date +%s)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" -runs="$RUNS" -seed=1 -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		-artifact_prefix="$FZ/$name-" "$corpus" >"$FZ/$name.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc -ne 0 ]; then
		grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$FZ/$name.log" | head -10 | sed 's/^/# /'
	fi
	execs=$(sed -n 's/.*Done \([0-9]*\) runs.*/\1/p' "$FZ/$name.log" | tail -n1)
	tap $rc "$name runs ${execs:-?} executions in ${secs}s, no crash, leak or UB"
done
[ $failed -eq 0 ]
