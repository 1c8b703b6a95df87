#!/usr/bin/env bash
# The bare-metal benchmark programs as correctness tests: each returns a
# checksum that must equal the one computed by the same C source on the
# host (integer, memory, branchy and floating-point code).
set -u
cd "$(dirname "$0")/../.."
emu=${WASMU:-build/native/wasmu-system-riscv64}
dir=$(bash bench/baremetal/build.sh | tail -n 1)
for elf in "$dir"/*.elf; do
  name=$(basename "$elf" .elf)
  out=$(timeout 300 $emu -bios none -kernel "$elf" 2>&1); rc=$?
  if [ $rc -eq 0 ]; then echo "ok baremetal/$name"
  else echo "not ok baremetal/$name exit $rc: $(echo "$out" | tail -n 2)"; fi
done
