#!/usr/bin/env bash
# Builds the device tests into build/tests and prints that folder:
# rtc.elf, ninep.elf and empty-slot.elf (exit through HTIF), and their
# -virt.elf builds (through the SiFive test device, for QEMU's virt board).
set -eu
cd "$(dirname "$0")/../.."
mkdir -p build/tests
flags=(-O2 -march=rv64gc -mabi=lp64d -mcmodel=medany -ffreestanding -fno-pie)
link=(riscv64-linux-gnu-gcc "${flags[@]}" -static -nostdlib -nostartfiles -no-pie
      -Wl,--build-id=none -T bench/baremetal/link.ld bench/baremetal/crt.S)
"${link[@]}" -o build/tests/rtc.elf tests/devices/rtc.c
riscv64-linux-gnu-gcc "${flags[@]}" -Dmain=test_main -c -o build/tests/rtc-virt.o tests/devices/rtc.c
"${link[@]}" -o build/tests/rtc-virt.elf build/tests/rtc-virt.o tests/devices/virt_exit.c
"${link[@]}" -o build/tests/ninep.elf tests/devices/ninep.c
riscv64-linux-gnu-gcc "${flags[@]}" -Dmain=test_main -DQEMU_REFERENCE -c -o build/tests/ninep-virt.o tests/devices/ninep.c
"${link[@]}" -o build/tests/ninep-virt.elf build/tests/ninep-virt.o tests/devices/virt_exit.c
"${link[@]}" -o build/tests/empty-slot.elf tests/devices/empty_slot.c
riscv64-linux-gnu-gcc "${flags[@]}" -Dmain=test_main -c -o build/tests/empty-slot-virt.o tests/devices/empty_slot.c
"${link[@]}" -o build/tests/empty-slot-virt.elf build/tests/empty-slot-virt.o tests/devices/virt_exit.c
echo "$PWD/build/tests"
