#!/usr/bin/env bash
# The exact software floating point (used by the Wasm build, where the host
# has no rounding modes or flags) against the host FPU through fenv, on
# 200,000 pseudo-random operand sets x 14 operations x 4 rounding modes,
# results and flags.
set -u
cd "$(dirname "$0")/../.."
mkdir -p build/tests
cc -std=c11 -D_DEFAULT_SOURCE -O2 -I. -o build/tests/fp_fenv tests/unit/fp_dump.c fpu/softfloat_host.c -lm 2>/dev/null &&
cc -std=c11 -D_DEFAULT_SOURCE -DWASMU_EXACT_FP -O2 -I. -o build/tests/fp_exact tests/unit/fp_dump.c fpu/softfloat_host.c -lm 2>/dev/null ||
  { echo "not ok fpu/build"; exit 0; }
build/tests/fp_fenv 200000 > build/tests/fp_fenv.txt
build/tests/fp_exact 200000 > build/tests/fp_exact.txt
python3 tests/unit/fp_compare.py build/tests/fp_fenv.txt build/tests/fp_exact.txt
