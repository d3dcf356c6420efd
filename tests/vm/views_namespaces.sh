#!/bin/sh
# vm-mem: 256M
# vm-timeout: 180
# Issue 14 item 10: the views read the kernel's own values, whatever the
# reader's root and mount namespace show as /proc.  Read from a chroot that
# has no /proc at all, and from a mount namespace where /proc/meminfo and
# /proc/sys/vm/overcommit_ratio are replaced by other files (what lxcfs
# does in a container), the overcommit view and the tasks view's totalpages
# are those of a plain read, and /proc/meminfo's.
. /oomdiag/tests/vm/lib.sh

plan 8
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"

keys="overcommit_ratio overcommit_kbytes totalram_kb hugetlb_kb swap_total_kb commit_limit_kb"
# pick FILE: the sysctl/meminfo-derived keys of an overcommit view copy.
pick() {
	for k in $keys; do sed -n "s/^$k=/$k=/p" "$1"; done | tr '\n' ' '
}
totalpages() {
	head -n1 "$1" | tr ' ' '\n' | sed -n 's/^totalpages=//p'
}
cat "$DBG/overcommit" >/tmp/oc.plain
cat "$DBG/tasks" >/tmp/tasks.plain
plain=$(pick /tmp/oc.plain)
diag "plain read: $plain totalpages=$(totalpages /tmp/tasks.plain)"
lim=$(sed -n 's/^CommitLimit: *\([0-9]*\) kB/\1/p' /proc/meminfo)
is "$(sed -n 's/^commit_limit_kb=//p' /tmp/oc.plain)" "$lim" "plain read: commit_limit_kb = /proc/meminfo CommitLimit"

# 1. A chroot with busybox and debugfs, but no /proc.
J=/tmp/jail
mkdir -p $J/bin $J/dbg $J/tmp
cp /bin/busybox $J/bin/
mount --bind /sys/kernel/debug $J/dbg
[ ! -e $J/proc/meminfo ]
ok $? "the chroot has no /proc/meminfo"
chroot $J /bin/busybox cat /dbg/oomdiag/overcommit >/tmp/oc.chroot
chroot $J /bin/busybox cat /dbg/oomdiag/tasks >/tmp/tasks.chroot
diag "chroot read: $(pick /tmp/oc.chroot) totalpages=$(totalpages /tmp/tasks.chroot)"
is "$(pick /tmp/oc.chroot)" "$plain" "overcommit view in the chroot = plain read"
is "$(totalpages /tmp/tasks.chroot)" "$(totalpages /tmp/tasks.plain)" "tasks totalpages in the chroot = plain read"
umount $J/dbg

# 2. A mount namespace whose /proc/meminfo and overcommit_ratio lie.
sed -e 's/^\(SwapTotal: *\)[0-9]*/\1999999/' -e 's/^\(CommitLimit: *\)[0-9]*/\11/' \
	-e 's/^\(MemTotal: *\)[0-9]*/\1123/' /proc/meminfo >/tmp/fake_meminfo
echo 7 >/tmp/fake_ratio
unshare -m sh -c "mount --bind /tmp/fake_meminfo /proc/meminfo &&
	mount --bind /tmp/fake_ratio /proc/sys/vm/overcommit_ratio &&
	grep -q '^SwapTotal: *999999' /proc/meminfo && cat /proc/sys/vm/overcommit_ratio >/tmp/ratio.seen &&
	cat $DBG/overcommit >/tmp/oc.ns && cat $DBG/tasks >/tmp/tasks.ns"
is "$(cat /tmp/ratio.seen 2>/dev/null)" 7 "inside the namespace /proc shows the replaced files"
diag "namespace read: $(pick /tmp/oc.ns) totalpages=$(totalpages /tmp/tasks.ns)"
is "$(pick /tmp/oc.ns)" "$plain" "overcommit view in the namespace = plain read"
is "$(totalpages /tmp/tasks.ns)" "$(totalpages /tmp/tasks.plain)" "tasks totalpages in the namespace = plain read"
unload_oomdiag
done_testing
