#!/bin/bash
# os-timeout: 1800
# The Debian packages in a whole Debian system (issue 18 item 4), run by
# scripts/os-run in the suite's own Debian booted with systemd as init (no
# network: apt installs from the test disk, the image holds dkms, gcc, make
# and the running kernel's headers).
#
# Boot 1: "apt-get install ./oomdiag-dkms_V_all.deb ./oomdiag_V_amd64.deb";
# DKMS builds oomdiag.ko for the running kernel into updates/dkms and
# modprobe loads that very module (its build id); the package enabled and
# started oomdiag.service (OOMScoreAdjust -900), which then drains the ring;
# with the unit's documented textfile drop-in it keeps
# /var/lib/prometheus/node-exporter/oomdiag.prom.  Three failures: a
# GFP_NOWAIT|__GFP_NOWARN order-10 allocation failure (the test helper
# module; nothing in dmesg), a malloc refused by vm.overcommit_memory=2, and
# an OOM kill of a hog in a systemd scope whose MemoryMax is sized from
# MemAvailable.  journalctl -o json
# shows each with its MESSAGE_ID (debian/oomdiag.catalog), PRIORITY and
# OOMDIAG_* fields matching the kernel's own account (dmesg's victim, the
# helper's result, the sysctl), one entry per ring record; journalctl -x
# explains the kill from the installed catalog; the textfile's counters
# agree.  Then "systemctl reboot".
#
# Boot 2 (the same disk): the persistent journal gives back boot 1's entries
# unchanged; nothing is written twice (every boot+seq once); the service
# was started at boot, and with the DKMS module loaded again sends nothing
# of the old ring and reports nothing lost.  "apt-get purge oomdiag
# oomdiag-dkms": no file of the packages' dpkg -L lists is left, nor
# /var/lib/dkms/oomdiag, a module in /lib/modules, the state directory, the
# unit's symlinks, the catalog's entries or any file named *oomdiag*.
. /ostest/lib.sh

plan 48
phase=$(cat "$S/phase" 2>/dev/null || echo 1)
DBG=/sys/kernel/debug/oomdiag
PROM_DIR=/var/lib/prometheus/node-exporter
PROM=$PROM_DIR/oomdiag.prom
ID_ALLOC=66b38c3cafe24090a71223e898c73c36
ID_WARN=f5755f0b0a55426d8f134a9eaf2f7455
ID_KILL=5812df3c93ec4e1dae2f281e682ed0d6
ID_REFUSED=be34a0105e42464b987416595f9ecf56
ID_LOST=fbe24d6c51a94e3aaff899de85d14279

# jlist [journalctl args]: "BOOT SEQ KIND MESSAGE_ID" per record entry of
# oomdiag (entries with OOMDIAG_SEQ), from journalctl -o json.
jlist() {
	journalctl -o json --all --no-pager SYSLOG_IDENTIFIER=oomdiag "$@" 2>/dev/null | awk '
		function f(k) {
			if (match($0, "\"" k "\":\"[^\"]*\""))
				return substr($0, RSTART + length(k) + 4, RLENGTH - length(k) - 5)
			return "-"
		}
		f("OOMDIAG_SEQ") != "-" {
			print f("_BOOT_ID"), f("OOMDIAG_SEQ"), f("OOMDIAG_KIND"), f("MESSAGE_ID") }'
}
# jentry FIELD=VALUE... : the JSON lines of the oomdiag entries matching.
jentry() { journalctl -b -o json --all --no-pager SYSLOG_IDENTIFIER=oomdiag "$@" 2>/dev/null; }
# jval FIELD < json lines: FIELD of each line.
jval() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
# prom NAME: the value of a sample (NAME with its labels, exact) in the textfile.
prom() { awk -v n="$1" '$1 == n { print $2 }' "$PROM" 2>/dev/null; }
svc_ready() { [ "$(systemctl is-active oomdiag)" = active ]; }

# ---------------------------------------------------------------- boot 1
if [ "$phase" = 1 ]; then
	# A guest that reset during boot 1 (a panic: panic=-1) comes back here.
	[ -e "$S/boot1-started" ] && bail "the guest rebooted before boot 1's tests ended (kernel panic? see the console)"
	: >"$S/boot1-started"
	t_up=$(cut -d' ' -f1 /proc/uptime)
	state=$(systemctl is-system-running --wait 2>/dev/null)
	timing first_boot_to_test "$t_up"
	timing first_boot_system_up "$(cut -d' ' -f1 /proc/uptime)"
	is "$(cat /proc/1/comm)" systemd "PID 1 is systemd ($(systemctl --version | head -n1))"
	case "$state" in running | degraded) r=0 ;; *) r=1 ;; esac
	ok $r "the system came up: is-system-running says $state"
	[ "$state" = degraded ] && systemctl --failed --no-legend | sed 's/^/# failed: /'
	is "$(uname -r)" "$KREL" "the suite's kernel runs ($SUITE)"
	[ -f "/var/log/journal/$(cat /etc/machine-id)/system.journal" ]
	ok $? "the journal is persistent (/var/log/journal)"
	echo "$(cat /proc/sys/kernel/random/boot_id)" >"$S/boot1"

	# ---- apt install, DKMS
	# files named *oomdiag* before (the image's own settings): compared after the purge
	find / -xdev -name '*oomdiag*' 2>/dev/null | sort >"$S/named.before"
	t0=$(now)
	# Each line of apt's output stamped with the guest's clock: where the
	# time goes (unpack, the DKMS build, depmod, the triggers).
	set -o pipefail
	DEBIAN_FRONTEND=noninteractive apt-get install -y ./debs/oomdiag-dkms_*_all.deb ./debs/oomdiag_*_amd64.deb 2>&1 |
		while IFS= read -r l; do printf '%s %s\n' "${EPOCHREALTIME%????}" "${l%$'\r'}"; done >"$S/apt-install.log"
	r=$?
	t_apt=$(since "$t0")
	timing apt_install_with_dkms_build "$t_apt"
	ok $r "apt-get install of both packages from the test disk, no network (${t_apt}s)"
	[ $r -eq 0 ] || { tail -n 30 "$S/apt-install.log" | sed 's/^/# apt: /'
		cat /var/lib/dkms/oomdiag/*/build/make.log 2>/dev/null | tail -n 20 | sed 's/^/# make.log: /'; }
	set +o pipefail
	# the DKMS build: from "Building for" to its end in apt's stamped output
	# ("Done." from dkms 3.0, "Building module(s)...... done." from 3.2)
	dkms_s=$(awk '$2 == "Building" && $3 == "for" { a = $1 }
		($2 == "Done." || / done\.$/) && a { printf "%.1f\n", $1 - a; exit }' "$S/apt-install.log")
	timing dkms_build "${dkms_s:-unknown}"
	grep -E ' (Building|Installing|depmod|Setting up|Processing|Done)' "$S/apt-install.log" | sed 's/^/# apt: /'
	is "$(dpkg-query -W -f '${Package} ${Version} ${Status}\n' oomdiag oomdiag-dkms 2>&1 | sort | tr '\n' ';')" \
		"oomdiag $DEB_VERSION install ok installed;oomdiag-dkms $DEB_VERSION install ok installed;" \
		"dpkg: both packages installed at $DEB_VERSION"
	dpkg -L oomdiag oomdiag-dkms >"$S/dpkg-L" 2>/dev/null
	st=$(dkms status -m oomdiag 2>/dev/null)
	case "$st" in *"$KREL"*installed*) r=0 ;; *) r=1 ;; esac
	ok $r "dkms status: built and installed for the running kernel ($st)"
	modpath=$(modinfo -n oomdiag 2>/dev/null)
	case "$modpath" in /lib/modules/"$KREL"/updates/dkms/oomdiag.ko* | /usr/lib/modules/"$KREL"/updates/dkms/oomdiag.ko*) r=0 ;; *) r=1 ;; esac
	ok $r "depmod knows DKMS's module ($modpath)"
	is "$(systemctl is-enabled oomdiag 2>&1) $(systemctl is-active oomdiag 2>&1)" "enabled active" \
		"the package enabled and started oomdiag.service (it waits for the module)"

	# ---- the module, loaded by name
	modprobe oomdiag
	ok $? "modprobe oomdiag"
	# the GNU build id of the module in memory (sysfs notes) and of DKMS's file
	bid_mem=$(od -An -v -tx1 /sys/module/oomdiag/notes/.note.gnu.build-id 2>/dev/null | tr -d ' \n' | tail -c 40)
	case "$modpath" in
	*.xz) xz -dc "$modpath" ;; *.zst) zstd -qdc "$modpath" ;; *.gz) gzip -dc "$modpath" ;; *) cat "$modpath" ;;
	esac >/tmp/oomdiag-dkms.ko 2>/dev/null
	bid_file=$(readelf -n /tmp/oomdiag-dkms.ko 2>/dev/null | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p')
	rm -f /tmp/oomdiag-dkms.ko
	[ -n "$bid_file" ] && [ "$bid_mem" = "$bid_file" ]
	ok $? "the loaded module is the file DKMS built (build id ${bid_file:-none}, in memory ${bid_mem:-none})"
	head -n1 $DBG/events 2>/dev/null | grep -q 'armed=1'
	ok $? "recorder armed ($(head -n1 $DBG/events 2>&1 | cut -c1-100))"

	# ---- the unit's documented textfile drop-in (systemctl edit oomdiag)
	mkdir -p /etc/systemd/system/oomdiag.service.d $PROM_DIR
	cat >/etc/systemd/system/oomdiag.service.d/textfile.conf <<-EOF
		[Service]
		ExecStart=
		ExecStart=/usr/bin/oomdiag record --state /var/lib/oomdiag/record.state --textfile $PROM_DIR
		ReadWritePaths=$PROM_DIR
	EOF
	systemctl daemon-reload && systemctl restart oomdiag
	wait_for 30 svc_ready
	pid=$(systemctl show -p MainPID --value oomdiag)
	is "$(systemctl is-active oomdiag) $(cat /proc/"$pid"/oom_score_adj 2>&1)" "active -900" \
		"oomdiag.service runs with the textfile drop-in (pid $pid, oom_score_adj -900)"
	wait_for 30 grep -qx 'oomdiag_module_loaded 1' $PROM
	recorder_seen() { [ "$(prom oomdiag_recorder_armed)" = 1 ]; }
	wait_for 20 recorder_seen
	is "$(prom oomdiag_module_loaded) $(prom oomdiag_recorder_armed)" "1 1" \
		"textfile written: module loaded, recorder armed (the service reads the module's files)"

	# ---- three failures
	insmod ./kmod/oomdiag_test_alloc.ko
	dmesg -c >/dev/null
	echo 'nowait_nowarn 10' >/sys/kernel/debug/oomdiag_test/alloc
	res=$(cat /sys/kernel/debug/oomdiag_test/result)
	case "$res" in *" failed=1 "*) r=0 ;; *) r=1 ;; esac
	ok $r "GFP_NOWAIT|__GFP_NOWARN order 10 failed once ($res)"
	is "$(dmesg | grep -c 'page allocation failure')" 0 "__GFP_NOWARN: nothing in dmesg"
	rmmod oomdiag_test_alloc

	sysctl -qw vm.overcommit_memory=2
	limit_kb=$(awk '$1 == "CommitLimit:" { print $2 }' /proc/meminfo)
	out=$(bigmalloc $((limit_kb * 2))k 2>&1)
	sysctl -qw vm.overcommit_memory=0
	case "$out" in fail*errno=12*) r=0 ;; *) r=1 ;; esac
	ok $r "vm.overcommit_memory=2: malloc of twice CommitLimit ($((limit_kb * 2)) kB) refused ($out)"

	# The OOM kill: a hog in a transient scope whose MemoryMax is a quarter
	# of MemAvailable (a memcg OOM).  A global OOM of this 1 GB guest
	# thrashed the root file system's page cache for 265 s under TCG before
	# the kill, and the guest then stalled.
	avail_mb=$(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo)
	lim=$((avail_mb / 4))
	t0=$(now)
	dmesg -c >/dev/null
	systemd-run --quiet --scope --unit=oomdiag-hog -p MemoryMax=${lim}M -p MemorySwapMax=0 \
		hog -a 1000 -s 8 -m $((lim * 2)) >/dev/null 2>&1
	r=$?
	t_oom=$(since "$t0")
	timing oom_kill "$t_oom"
	victim=$(dmesg | sed -n 's/.*Killed process \([0-9]*\) (hog).*/\1/p' | tail -n1)
	[ $r -eq 137 ] && [ -n "$victim" ]
	ok $? "a hog in oomdiag-hog.scope, MemoryMax ${lim}M (MemAvailable/4), was OOM-killed (exit $r, pid ${victim:-none}, ${t_oom}s)"

	# ---- the journal
	has_kill() { journalctl -b -o cat --no-pager MESSAGE_ID=$ID_KILL | grep -q .; }
	wait_for 60 has_kill
	kill=$(jentry MESSAGE_ID=$ID_KILL)
	is "$(echo "$kill" | jval OOMDIAG_VICTIM_PID) $(echo "$kill" | jval OOMDIAG_VICTIM_COMM) $(echo "$kill" | jval PRIORITY)" \
		"${victim:-none} hog 3" "journal: oom_kill entry, MESSAGE_ID $ID_KILL, PRIORITY 3, dmesg's victim"
	is "$(echo "$kill" | jval OOMDIAG_CONSTRAINT) $(echo "$kill" | jval OOMDIAG_VICTIM_UNIT)" \
		"memcg oomdiag-hog.scope" "journal: a memcg OOM; OOMDIAG_VICTIM_UNIT names the hog's scope"
	if [ -z "$kill" ]; then
		systemctl status --no-pager oomdiag 2>&1 | sed 's/^/# status: /'
		journalctl -b -u oomdiag --no-pager 2>&1 | tail -n 15 | sed 's/^/# unit: /'
	fi
	jx=$(journalctl -b -x --no-pager MESSAGE_ID=$ID_KILL 2>/dev/null)
	echo "$jx" | grep -q "The OOM killer killed hog (pid ${victim:-none})"
	ok $? "journalctl -x: the installed catalog explains the kill"
	warn=$(jentry MESSAGE_ID=$ID_WARN OOMDIAG_ORDER=10)
	case "$(echo "$warn" | jval OOMDIAG_FLAGS | head -n1)" in *silent*nowarn*) r=0 ;; *) r=1 ;; esac
	ok $r "journal: warn_alloc order 10 flagged silent|nowarn ($(echo "$warn" | jval OOMDIAG_FLAGS | head -n1), $(echo "$warn" | jval OOMDIAG_GFP_NAMES | head -n1))"
	alloc=$(jentry MESSAGE_ID=$ID_ALLOC OOMDIAG_ORDER=10 OOMDIAG_KIND=alloc_fail)
	is "$(echo "$alloc" | jval PRIORITY | head -n1) $(echo "$alloc" | jval OOMDIAG_GFP | head -n1)" \
		"5 $(echo "$res" | sed -n 's/.* gfp=\([^ ]*\).*/\1/p')" "journal: alloc_fail order 10 with the helper's gfp mask"
	ref=$(jentry MESSAGE_ID=$ID_REFUSED OOMDIAG_COMM=bigmalloc)
	is "$(echo "$ref" | jval OOMDIAG_REASON | head -n1) $(echo "$ref" | jval OOMDIAG_OVERCOMMIT_MODE | head -n1) $(echo "$ref" | jval PRIORITY | head -n1)" \
		"overcommit 2 5" "journal: vm_refused by overcommit mode 2 in bigmalloc"

	# every record of the ring once, by seq (the service has read up to next_seq)
	next=$(sed -n '1s/.* next_seq=\([0-9]*\) .*/\1/p' $DBG/events)
	last_seq_is() { [ "$(prom oomdiag_record_last_seq)" = "$1" ]; }
	wait_for 40 last_seq_is $((next - 1))
	jlist -b >"$S/boot1.entries"
	seqs=$(awk '{ print $2 }' "$S/boot1.entries" | sort -n | tr '\n' ' ')
	is "$seqs" "$(seq 0 $((next - 1)) | tr '\n' ' ')" "journal: records 0..$((next - 1)) of the ring (next_seq $next), each once"
	is "$(jentry MESSAGE_ID=$ID_LOST | grep -c .)" 0 "journal: nothing reported lost"

	# ---- the textfile metrics
	is "$(prom oomdiag_record_last_seq) $(prom oomdiag_record_journal_entries_total) $(prom oomdiag_record_journal_errors_total)" \
		"$((next - 1)) $next 0" "textfile: last_seq, journal entries, no journal error"
	is "$(prom oomdiag_kernel_oom_kills_total) $(prom oomdiag_oom_kills_recorded_total) $(prom oomdiag_oom_kills_unrecorded)" \
		"1 1 0" "textfile: the kernel's one kill, recorded"
	is "$(prom 'oomdiag_events_in_ring{kind="oom_kill"}') $(prom 'oomdiag_events_in_ring{kind="vm_refused"}' | grep -c '^[1-9]')" \
		"1 1" "textfile: the ring's records by kind"
	grep -v '^#' $PROM 2>/dev/null | grep -v -e '^oomdiag_free_blocks' -e '^oomdiag_fragm' -e '^oomdiag_unusable' \
		-e '^oomdiag_zone_' | sed 's/^/# prom: /'
	# A temporary file exists for an instant at each write: one seen in two
	# listings 3 s apart is a leftover.
	l1=$(ls -A $PROM_DIR | grep -vx 'oomdiag\.prom')
	sleep 3
	l2=$(ls -A $PROM_DIR | grep -vx 'oomdiag\.prom')
	is "$(printf '%s\n' "$l1" "$l2" | grep . | sort | uniq -d | tr '\n' ' ')" "" \
		"textfile: written by rename (no temporary file left in $PROM_DIR)"

	echo 2 >"$S/phase"
	now >"$S/reboot-at"
	timing boot1_uptime_at_reboot "$(cut -d' ' -f1 /proc/uptime)"
	dmesg >/dev/ttyS2 2>/dev/null
	sync
	# What "systemctl reboot" does once logind said yes: there is no D-Bus
	# in the image ("Failed to connect to bus"), the private socket is enough.
	systemctl start reboot.target --job-mode=replace-irreversibly --no-block
	exit 0
fi

# ---------------------------------------------------------------- boot 2
t_up=$(cut -d' ' -f1 /proc/uptime)
state=$(systemctl is-system-running --wait 2>/dev/null)
timing reboot_to_test "$(since "$(cat "$S/reboot-at")")"
timing second_boot_to_test "$t_up"
b1=$(cat "$S/boot1")
b2=$(cat /proc/sys/kernel/random/boot_id)
[ "$b1" != "$b2" ] && [ "$(journalctl --list-boots --no-pager 2>/dev/null | grep -c .)" -ge 2 ]
ok $? "rebooted: a new boot id, the journal lists both boots ($state)"
jlist -b -1 >"$S/boot1.after"
is "$(md5sum <"$S/boot1.after")" "$(md5sum <"$S/boot1.entries")" \
	"journal: boot 1's $(grep -c . "$S/boot1.entries") record entries read back after the reboot, unchanged"
is "$(jlist | awk '{ print $1, $2 }' | sort | uniq -d | grep -c .)" 0 "journal: every boot+seq once"
wait_for 60 svc_ready
is "$(systemctl is-active oomdiag) $(lsmod | grep -c '^oomdiag ')" "active 0" \
	"oomdiag.service started at boot, waiting for the module"
modprobe oomdiag
ok $? "modprobe oomdiag (DKMS's module, after the reboot)"
btime=$(awk '$1 == "btime" { print $2 }' /proc/stat)
fresh() { [ "$(prom oomdiag_module_loaded)" = 1 ] &&
	awk -v b="$btime" '$1 == "oomdiag_record_start_time_seconds" && $2 >= b { f = 1 } END { exit !f }' "$PROM"; }
wait_for 60 fresh
is "$(prom oomdiag_module_loaded) $(prom oomdiag_record_journal_entries_total) $(prom oomdiag_record_lost_while_down_total)" \
	"1 0 0" "textfile of this boot: the new module's empty ring, nothing sent, nothing lost"
is "$(jlist -b | grep -c .) $(jentry MESSAGE_ID=$ID_LOST | grep -c .)" "0 0" \
	"journal: no record re-sent after the reboot, none reported lost"
timing boot2_checks "$(since "$(date -d @"$btime" +%s)")"

# ---- apt purge
rm -rf /etc/systemd/system/oomdiag.service.d
systemctl daemon-reload
t0=$(now)
apt-get purge -y oomdiag oomdiag-dkms >"$S/apt-purge.log" 2>&1
r=$?
timing apt_purge "$(since "$t0")"
ok $r "apt-get purge oomdiag oomdiag-dkms"
[ $r -eq 0 ] || tail -n 20 "$S/apt-purge.log" | sed 's/^/# purge: /'
is "$(dpkg-query -W -f '${db:Status-Abbrev}\n' oomdiag oomdiag-dkms 2>/dev/null | grep -c '^[ir]')" 0 \
	"dpkg: neither package installed nor config-files"
left=
while IFS= read -r p; do
	[ -e "$p" ] || [ -L "$p" ] || continue
	# a directory stays unless it is the packages' own (/usr/src/oomdiag-V):
	# shared ones (/usr/share/doc), "/." and, with merged /usr, /lib/systemd
	[ -d "$p" ] && case "$p" in *oomdiag*) ;; *) continue ;; esac
	left="$left $p"
done <"$S/dpkg-L"
is "${left:-none}" none "no path of the packages' dpkg -L lists left ($(grep -c . "$S/dpkg-L") listed)"
mods=$(find /lib/modules /usr/lib/modules -name 'oomdiag.ko*' 2>/dev/null | tr '\n' ' ')
is "$(ls -d /var/lib/dkms/oomdiag /usr/src/oomdiag-* 2>/dev/null | tr '\n' ' ')|$mods" "|" \
	"DKMS: no /var/lib/dkms/oomdiag, no /usr/src/oomdiag-*, no oomdiag.ko in the module tree"
modinfo oomdiag >/dev/null 2>&1 || grep -q oomdiag "/lib/modules/$KREL/modules.dep"
ok $((! $?)) "depmod forgot the module (modinfo fails, modules.dep without it)"
is "$(ls -d /var/lib/oomdiag $PROM 2>/dev/null | tr '\n' ' ')" "" \
	"the service's state directory and textfile are gone"
systemctl cat oomdiag >/dev/null 2>&1 || ls /etc/systemd/system/*.wants/oomdiag.service >/dev/null 2>&1
ok $((! $?)) "systemd: no oomdiag.service, no symlink of it"
is "$(journalctl --list-catalog 2>/dev/null | grep -c -e $ID_KILL -e $ID_ALLOC -e $ID_REFUSED)" 0 \
	"the journal catalog no longer has oomdiag's entries"
rest=$(find / -xdev -name '*oomdiag*' 2>/dev/null | sort | comm -13 "$S/named.before" - | tr '\n' ' ')
is "$rest" "" "no file named *oomdiag* on the root file system that was not there before the install"
is "$(jlist -b -1 | grep -c .)" "$(grep -c . "$S/boot1.entries")" \
	"the journal keeps boot 1's history after the purge"
rmmod oomdiag
ok $? "rmmod oomdiag (still loaded from before the purge)"
finish 0
