#!/usr/bin/env bash
# Device tests, bare metal: the Goldfish RTC (tests/devices/rtc.c) natively,
# under Node on each tier, and on QEMU's virt board as the reference.
set -u
cd "$(dirname "$0")/../.."
dir=$(bash tests/devices/build.sh | tail -n 1) || { echo "not ok devices/build"; exit 0; }
node=(node --no-experimental-fetch build/wasm/wasmu-node.js)

# passes NAME ELF EMULATOR... : exit 0, stderr empty
passes() {
  local name=$1 elf=$2; shift 2
  local err rc
  err=$(timeout 60 "$@" -bios none -kernel "$elf" 2>&1 >/dev/null </dev/null); rc=$?
  if [ $rc -eq 0 ] && [ -z "$err" ]; then echo "ok devices/$name"
  else echo "not ok devices/$name exit $rc (the failed check): $(echo "$err" | tail -c 300)"; fi
}
passes rtc-native "$dir/rtc.elf" build/native/wasmu-system-riscv64
passes rtc-node "$dir/rtc.elf" "${node[@]}"
passes rtc-node-interpreter "$dir/rtc.elf" "${node[@]}" -accel tcg,jit=off
passes rtc-node-all-compiled "$dir/rtc.elf" "${node[@]}" -accel tcg,jit-threshold=0,jit-async=off
if command -v qemu-system-riscv64 >/dev/null; then
  passes rtc-qemu-virt "$dir/rtc-virt.elf" qemu-system-riscv64 -M virt -nographic
else
  echo "not ok devices/rtc-qemu-virt no qemu-system-riscv64"
fi
