#!/bin/sh
# vm-mem: 256M
# vm-timeout: 120
# The views are root only: modes 0400 (gfp 0600), owner root, and a user
# without CAP_SYS_ADMIN is refused, by the mode and, were the modes opened
# up, by the module itself (-EPERM from open).
. /oomdiag/tests/vm/lib.sh

FILES="buddyinfo gfp tasks overcommit"
NOBODY=65534

plan 7
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"

modes=$(for f in $FILES; do stat -c '%n %a %u' "$DBG/$f"; done | sed "s|$DBG/||" | tr '\n' ';')
is "$modes" "buddyinfo 400 0;gfp 600 0;tasks 400 0;overcommit 400 0;" "modes 0400/0600, owned by root"

# As root every file reads.
n=0
for f in $FILES; do
	head -n1 "$DBG/$f" | grep -q "^# oomdiag $f v1" && n=$((n + 1))
done
is "$n" "4" "root reads all four views"

views_asuser $NOBODY true
is $? 0 "views_asuser can run a command as uid $NOBODY"

# As nobody, with the modes as they are: refused.
n=0
for f in $FILES; do
	views_asuser $NOBODY cat "$DBG/$f" >/dev/null 2>&1 || n=$((n + 1))
done
views_asuser $NOBODY sh -c "printf 0xcc0 >$DBG/gfp" 2>/dev/null || n=$((n + 1))
is "$n" "5" "uid $NOBODY can neither read the four views nor write gfp"

# With the modes opened up, the module's own check still refuses.
old_dbg=$(stat -c %a /sys/kernel/debug)
chmod 0755 /sys/kernel/debug "$DBG"
for f in $FILES; do chmod 0666 "$DBG/$f"; done
n=0
out=""
for f in $FILES; do
	if err=$(views_asuser $NOBODY cat "$DBG/$f" 2>&1 >/dev/null); then
		out="$out $f:read"
	else
		n=$((n + 1))
		out="$out $f:$(echo "$err" | sed 's/.*: //')"
	fi
done
diag "as uid $NOBODY with mode 0666:$out"
is "$n" "4" "even with mode 0666 the module refuses uid $NOBODY (EPERM)"
echo "$out" | grep -q 'Operation not permitted'
ok $? "the refusal is the module's EPERM, not a mode check"
chmod "$old_dbg" /sys/kernel/debug
chmod 0700 "$DBG"
for f in buddyinfo tasks overcommit; do chmod 0400 "$DBG/$f"; done
chmod 0600 "$DBG/gfp"
unload_oomdiag
done_testing
