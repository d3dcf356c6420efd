#!/bin/sh
# vm-mem: 256M
# vm-timeout: 240
# make demo's stories, checked: tests/demo/story.sh --tap tells the same
# three stories and asserts each fact they show against the kernel's own
# numbers: the refusal's numbers against /proc/meminfo, order 10 and the
# allocator state against dmesg and /proc/buddyinfo, the victim pid against
# dmesg's "Killed process" and the ranking against /proc/PID/oom_score.
# Parts of oomdiag that have not landed are SKIPs, named.
exec sh /oomdiag/tests/demo/story.sh --tap
