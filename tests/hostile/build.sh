#!/usr/bin/env bash
# Builds the hostile guests into build/tests and prints that folder:
# hostile.elf (device garbage, then block writes at every kind of sector),
# randcode.elf (2000 blocks of random code), randcode-short.elf (200) and
# traploop.elf (a guest that traps for ever).
set -eu
cd "$(dirname "$0")/../.."
mkdir -p build/tests
cc=(riscv64-linux-gnu-gcc -O2 -march=rv64gc -mabi=lp64d -mcmodel=medany -static
    -nostdlib -nostartfiles -ffreestanding -fno-pie -no-pie -Wl,--build-id=none
    -T bench/baremetal/link.ld bench/baremetal/crt.S)
"${cc[@]}" -o build/tests/hostile.elf tests/hostile/fuzz.c
"${cc[@]}" -o build/tests/randcode.elf tests/hostile/randcode.c
"${cc[@]}" -DRANDCODE_BLOCKS=200 -o build/tests/randcode-short.elf tests/hostile/randcode.c
"${cc[@]}" -o build/tests/traploop.elf tests/hostile/traploop.c
echo "$PWD/build/tests"
