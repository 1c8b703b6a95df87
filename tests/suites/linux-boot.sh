#!/usr/bin/env bash
# Boots Linux + busybox natively (interpreter tier) and checks it through
# the console: uname, cpuinfo, disk read/write across reboot and restart,
# poweroff exit code.
set -u
cd "$(dirname "$0")/../.."
guest=$(bash guest/build.sh | tail -n 1) || { echo "not ok linux-boot/guest-build"; exit 0; }
python3 tests/boot/linux_boot.py "$guest" native build/native/wasmu-system-riscv64
