#!/usr/bin/env bash
# Runs every ISA test ELF on an emulator: run.sh LABEL EMULATOR-ARGV...
# The emulator exits 0 when tohost is 1, else with the failing sub-test.
set -u
cd "$(dirname "$0")/../.."
label=$1; shift
dir=$(bash tests/isa/build.sh | tail -n 1)
for elf in "$dir"/*.elf; do
  name=$(basename "$elf" .elf)
  timeout 30 "$@" -nographic -bios none -kernel "$elf" </dev/null >/dev/null 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then echo "ok $label/$name"
  else echo "not ok $label/$name failed sub-test $rc"; fi
done
