#!/usr/bin/env bash
# Device tests: the Goldfish RTC bare metal (tests/devices/rtc.c) natively,
# under Node on each tier, and on QEMU's virt board as the reference; then
# Linux with -rtc base=DATE.
set -u
cd "$(dirname "$0")/../.."
dir=$(bash tests/devices/build.sh | tail -n 1) || { echo "not ok devices/build"; exit 0; }
node=(node --no-experimental-fetch build/wasm/wasmu-node.js)

source tests/baremetal_run.sh
BAREMETAL_TIMEOUT=60
runs_clean devices/rtc-native "$dir/rtc.elf" build/native/wasmu-system-riscv64
runs_clean devices/rtc-node "$dir/rtc.elf" "${node[@]}"
runs_clean devices/rtc-node-interpreter "$dir/rtc.elf" "${node[@]}" -accel tcg,jit=off
runs_clean devices/rtc-node-all-compiled "$dir/rtc.elf" "${node[@]}" -accel tcg,jit-threshold=0,jit-async=off
if command -v qemu-system-riscv64 >/dev/null; then
  runs_clean devices/rtc-qemu-virt "$dir/rtc-virt.elf" qemu-system-riscv64 -M virt -nographic
else
  echo "not ok devices/rtc-qemu-virt no qemu-system-riscv64"
fi

# -rtc base=DATE under Linux, natively and under Node
guest=$(bash guest/build.sh | tail -n 1) || { echo "not ok devices/guest-build"; exit 0; }
python3 tests/boot/rtc_base.py "$guest" devices/native build/native/wasmu-system-riscv64
python3 tests/boot/rtc_base.py "$guest" devices/node "${node[@]}"
