#!/usr/bin/env bash
# Builds the bare-metal benchmark ELFs into build/bench/.  Each program's
# expected checksum comes from the same source compiled for the host.
set -eu
cd "$(dirname "$0")/../.."
out=build/bench
mkdir -p "$out"
CROSS=${CROSS:-riscv64-linux-gnu-}
FLAGS="-O2 -ffp-contract=off -fno-builtin"
for src in bench/baremetal/*.c; do
  name=$(basename "$src" .c)
  macro=BENCH_$(echo "$name" | tr a-z A-Z)_EXPECT
  [ "$out/$name.elf" -nt "$src" ] && [ "$out/$name.elf" -nt bench/baremetal/crt.S ] &&
    [ "$out/$name.elf" -nt bench/baremetal/link.ld ] && continue
  cc $FLAGS -DNATIVE_REFERENCE -D$macro=0 -o "$out/$name.ref" "$src"
  expect=$("$out/$name.ref")
  ${CROSS}gcc $FLAGS -march=rv64gc -mabi=lp64d -mcmodel=medany -static \
    -nostdlib -nostartfiles -ffreestanding -fno-pie -no-pie -Wl,--build-id=none -D$macro="$expect" \
    -T bench/baremetal/link.ld -o "$out/$name.elf" bench/baremetal/crt.S "$src"
done
echo "$out"
