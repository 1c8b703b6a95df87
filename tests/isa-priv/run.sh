#!/usr/bin/env bash
# Runs every privileged test ELF on an emulator: run.sh LABEL EMULATOR-ARGV...
# Exit status 0 means tohost was 1; otherwise it names the failing sub-test.
set -u
cd "$(dirname "$0")/../.."
label=$1; shift
dir=$(bash tests/isa-priv/build.sh | tail -n 1) || { echo "not ok $label/build"; exit 0; }
for elf in "$dir"/*.elf; do
  name=$(basename "$elf" .elf)
  timeout 30 "$@" -nographic -bios none -kernel "$elf" </dev/null >/dev/null 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then echo "ok $label/$name"
  elif [ $rc -eq 124 ]; then echo "not ok $label/$name timed out"
  else echo "not ok $label/$name failed sub-test $rc"; fi
done
