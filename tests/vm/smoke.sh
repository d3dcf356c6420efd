#!/bin/sh
# vm-mem: 256M
# vm-timeout: 120
# The module loads, creates its debugfs directory, and unloads leaving
# nothing behind: no directory, no module, no splat in the kernel log.
. /oomdiag/tests/vm/lib.sh

plan 6
before_mods=$(wc -l </proc/modules)
load_oomdiag
ok $? "insmod oomdiag.ko on $(uname -r)"
grep -q '^oomdiag ' /proc/modules
ok $? "oomdiag listed in /proc/modules"
[ -d "$DBG" ]
ok $? "debugfs directory $DBG exists"
unload_oomdiag
ok $? "rmmod oomdiag"
[ ! -e "$DBG" ]
ok $? "debugfs directory removed after rmmod"
is "$(wc -l </proc/modules)" "$before_mods" "module count back to what it was"
done_testing
