#!/usr/bin/env bash
# A hostile guest writes garbage into every device register and virtio ring
# (tests/hostile/fuzz.c); the emulator must finish it with exit code 0 and
# must not corrupt the disk image outside what the guest may write.
set -u
cd "$(dirname "$0")/../.."
mkdir -p build/tests
riscv64-linux-gnu-gcc -O2 -march=rv64gc -mabi=lp64d -mcmodel=medany -static \
  -nostdlib -nostartfiles -ffreestanding -fno-pie -no-pie -Wl,--build-id=none \
  -T bench/baremetal/link.ld -o build/tests/hostile.elf bench/baremetal/crt.S \
  tests/hostile/fuzz.c || { echo "not ok hostile/build"; exit 0; }
disk=$(mktemp)
trap 'rm -f "$disk"' EXIT
head -c 1048576 /dev/zero > "$disk"
for front in native node; do
  if [ $front = native ]; then emu=(build/native/wasmu-system-riscv64)
  else emu=(node --no-experimental-fetch build/wasm/wasmu-node.js); fi
  out=$(timeout 300 "${emu[@]}" -bios none -kernel build/tests/hostile.elf \
        -drive if=virtio,format=raw,file="$disk" 2>&1 >/dev/null </dev/null); rc=$?
  if [ $rc -eq 0 ]; then echo "ok hostile/$front-survives"
  else echo "not ok hostile/$front-survives exit $rc: $(echo "$out" | tail -c 300)"; fi
done
