#!/usr/bin/env bash
# Builds every tests/isa-priv/*.S into build/isa-priv/<name>.elf (linked
# like the ISA tests); prints that folder.
set -eu
cd "$(dirname "$0")/../.."
out=build/isa-priv
mkdir -p "$out"
for src in tests/isa-priv/*.S; do
  name=$(basename "$src" .S)
  [ "$out/$name.elf" -nt "$src" ] && [ "$out/$name.elf" -nt tests/isa-priv/priv.h ] && continue
  riscv64-linux-gnu-gcc -nostdlib -nostartfiles -static -fno-pie -no-pie \
    -Wl,--build-id=none -march=rv64gc -mabi=lp64d -T tests/isa/link.ld \
    -o "$out/$name.elf" "$src"
done
echo "$out"
