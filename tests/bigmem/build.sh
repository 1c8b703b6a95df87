#!/usr/bin/env bash
# Builds ramwalk.elf (all of a 3 GiB guest RAM, bare metal) into
# build/tests and prints that folder.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p build/tests
riscv64-linux-gnu-gcc -O2 -march=rv64gc -mabi=lp64d -mcmodel=medany -static -nostdlib \
  -nostartfiles -ffreestanding -fno-pie -no-pie -Wl,--build-id=none -T bench/baremetal/link.ld \
  bench/baremetal/crt.S -o build/tests/ramwalk.elf tests/bigmem/ramwalk.c
echo "$PWD/build/tests"
