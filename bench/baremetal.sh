#!/usr/bin/env bash
# CPU-bound bare-metal programs: wasmu's interpreter tier (native build)
# beside qemu-system-riscv64 -M spike (QEMU's native JIT), same ELFs, same
# run.  Guest MIPS = instructions counted by wasmu / wall time of each,
# the best of BENCH_ROUNDS (default 2) runs, wasmu and QEMU taking turns.
# Usage: bench/baremetal.sh [wasmu-command...]   (default: native build)
set -eu
cd "$(dirname "$0")/.."
emu=("$@")
[ ${#emu[@]} -eq 0 ] && emu=(build/native/wasmu-system-riscv64)
dir=$(bash bench/baremetal/build.sh | tail -n 1)

now_ns() { date +%s%N; }

printf '%-10s %10s %12s %12s %12s %12s %8s\n' program "insns(M)" "wasmu(s)" \
  "wasmu MIPS" "qemu(s)" "qemu MIPS" "ratio"
rounds=${BENCH_ROUNDS:-2}
for elf in "$dir"/*.elf; do
  name=$(basename "$elf" .elf)
  times=()   # wasmu and QEMU taking turns, BENCH_ROUNDS times; the best of each
  for ((round = 0; round < rounds; round++)); do
    t0=$(now_ns)
    stats=$("${emu[@]}" -bios none -kernel "$elf" -d jit-stats 2>&1 >/dev/null) || {
      echo "$name: wasmu failed: $stats" >&2; continue 2; }
    t1=$(now_ns)
    timeout 300 qemu-system-riscv64 -M spike -nographic -bios none -kernel "$elf" >/dev/null
    t2=$(now_ns)
    times+=("$((t1 - t0))" "$((t2 - t1))")
  done
  insns=$(echo "$stats" | sed -n 's/.*jit-stats: insns=\([0-9]*\).*/\1/p' | tail -n 1)
  python3 - "$name" "$insns" "${times[@]}" <<'PY'
import sys
name, insns, times = sys.argv[1], int(sys.argv[2] or 0), list(map(int, sys.argv[3:]))
w, q = min(times[0::2]) / 1e9, min(times[1::2]) / 1e9
wm, qm = insns / w / 1e6, insns / q / 1e6
print(f"{name:<10} {insns/1e6:10.1f} {w:12.3f} {wm:12.1f} {q:12.3f} {qm:12.1f} {wm/qm:8.3f}")
PY
done
