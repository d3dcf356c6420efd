# Helpers for the stress suite (tests/stress/*.sh), sourced after
# /oomdiag/tests/vm/lib.sh in the guest (busybox ash).  The module's files
# are discovered, never assumed: every script exercises whatever
# /sys/kernel/debug/oomdiag/ holds when it runs.
#
# Figures: `figure NAME VALUE` prints "# figure NAME=VALUE"; tests/stress/run
# collects them into the table printed at the end.

. /oomdiag/tests/vm/lib.sh

STRESS_T0=$(awk '{ print int($1 * 1000) }' /proc/uptime)

# now_ms: milliseconds since boot.
now_ms() {
	awk '{ print int($1 * 1000) }' /proc/uptime
}

# elapsed_ms: milliseconds since the script started.
elapsed_ms() {
	echo $(($(now_ms) - STRESS_T0))
}

figure() {
	echo "# figure $1=$2"
}

# dbg_files: the regular files of the module's debugfs directory, one a line.
dbg_files() {
	for f in "$DBG"/*; do
		[ -f "$f" ] && echo "$f"
	done
}

# dbg_writable: those with the owner's write bit (mode 0600).
dbg_writable() {
	for f in $(dbg_files); do
		case "$(stat -c %A "$f")" in
		??w*) echo "$f" ;;
		esac
	done
}

# summary_kv FILE KEY: KEY's value in the "# oomdiag VIEW v1 k=v ..." line
# (or the first line holding KEY=), empty if none.
summary_kv() {
	awk -v k="$2" '{
		for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit }
	}' "$1" 2>/dev/null
}

# events_lost: the ring's lost/dropped counter from the events header, in
# whatever name the recorder uses for it (lost=, dropped=, drops=).
events_lost() {
	_f=${1:-$DBG/events}
	awk '!/^seq=/ && !/^  / {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^(lost|dropped|drops|overwritten)=[0-9]+$/) { sub(/^[a-z]+=/, "", $i); print $i; exit }
	}' "$_f" 2>/dev/null
}

# events_count [KIND] [FILE]: records in the events file (of KIND).
events_count() {
	awk -v k="${1:-}" '/^seq=/ { if (k == "" || index($0, " kind=" k " ")) n++ } END { print n + 0 }' \
		"${2:-$DBG/events}" 2>/dev/null
}

# rmmod_retry: rmmod oomdiag, retrying while an open file pins it (EBUSY).
# Prints the number of retries; fails after ~10 s.
rmmod_retry() {
	_n=0
	until rmmod oomdiag 2>/dev/null; do
		_n=$((_n + 1))
		if [ $_n -ge 500 ]; then
			echo $_n
			return 1
		fi
		sleep 0.02
	done
	echo $_n
}

# stop_file: background loops run while it does not exist.
STOP=/tmp/stress.stop
rm -f $STOP

# mem_avail_kb: MemAvailable from /proc/meminfo.
mem_avail_kb() {
	awk '/^MemAvailable:/ { print $2 }' /proc/meminfo
}

# forks_total: tasks the kernel has forked since boot (/proc/stat processes).
forks_total() {
	awk '/^processes/ { print $2 }' /proc/stat
}

# killed_count: "Killed process" lines in the kernel log.
killed_count() {
	dmesg | grep -c 'Killed process'
}
