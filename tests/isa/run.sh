#!/usr/bin/env bash
# Runs every ISA test ELF on an emulator: run.sh LABEL EMULATOR-ARGV...
# The emulator exits 0 when tohost is 1, else with the failing sub-test.
# ISA_BUILD names the script that builds the ELFs and prints their folder
# (tests/isa/build.sh; tests/isa-priv/run.sh passes its own).  With
# MIN_WASM_SHARE=P (a wasmu Wasm-tier run) a test also fails when fewer
# than P% of its instructions ran compiled (-d jit-stats).
set -u
cd "$(dirname "$0")/../.."
label=$1; shift
dir=$(bash "${ISA_BUILD:-tests/isa/build.sh}" | tail -n 1) || { echo "not ok $label/build"; exit 0; }
min_share=${MIN_WASM_SHARE:-}
for elf in "$dir"/*.elf; do
  name=$(basename "$elf" .elf)
  share=100
  if [ -n "$min_share" ]; then
    stats=$(timeout 30 "$@" -nographic -bios none -kernel "$elf" -d jit-stats </dev/null 2>&1 >/dev/null)
    rc=$?
    share=$(echo "$stats" | sed -n 's/.*in_wasm=[0-9]* (\([0-9.]*\)%).*/\1/p' | tail -n 1)
  else
    timeout 30 "$@" -nographic -bios none -kernel "$elf" </dev/null >/dev/null 2>&1
    rc=$?
  fi
  if [ $rc -eq 124 ]; then echo "not ok $label/$name timed out"
  elif [ $rc -ne 0 ]; then echo "not ok $label/$name failed sub-test $rc"
  elif ! awk -v s="${share:-0}" -v m="${min_share:-0}" 'BEGIN { exit !(s >= m) }'; then
    echo "not ok $label/$name only ${share:-0}% of its instructions ran in Wasm"
  else echo "ok $label/$name"; fi
done
