#!/usr/bin/env bash
# Builds every tests/isa/*.S into build/isa/<name>.elf; prints that folder.
set -eu
cd "$(dirname "$0")/../.."
out=build/isa
mkdir -p "$out"
for src in tests/isa/*.S; do
  name=$(basename "$src" .S)
  [ "$out/$name.elf" -nt "$src" ] && [ "$out/$name.elf" -nt tests/isa/test.h ] && continue
  riscv64-linux-gnu-gcc -nostdlib -nostartfiles -static -fno-pie -no-pie \
    -Wl,--build-id=none -march=rv64gc -mabi=lp64d -T tests/isa/link.ld \
    -o "$out/$name.elf" "$src"
done
echo "$out"
