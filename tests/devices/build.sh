#!/usr/bin/env bash
# Builds the device tests into build/tests and prints that folder:
# rtc.elf and ninep.elf (exit through HTIF), and rtc-virt.elf and
# ninep-virt.elf (through the SiFive test device, for QEMU's virt board).
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
echo "$PWD/build/tests"
