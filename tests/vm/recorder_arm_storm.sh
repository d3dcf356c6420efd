#!/bin/sh
# vm-mem: 384M
# vm-smp: 2
# vm-timeout: 300
# Issue 21, bounded for make check: tests/stress/arm_storm.sh for 45 s on two
# vCPUs (the stress suite runs it for 10 minutes).
exec sh /oomdiag/tests/stress/arm_storm.sh 45
