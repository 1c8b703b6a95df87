#!/usr/bin/env bash
# The RISC-V decoder/disassembler against GNU objdump (-M no-aliases):
# every instruction of tests/unit/decode_corpus.S, 200000 random 32-bit
# encodings and all 16-bit ones.  See tests/unit/test_decode.c.
set -u
cd "$(dirname "$0")/../.."
out=build/tests/decode
mkdir -p "$out"
CROSS=${CROSS:-riscv64-linux-gnu-}
if ! command -v "${CROSS}objdump" >/dev/null; then
  echo "not ok decode/toolchain ${CROSS}objdump is not installed"; exit 0
fi
gcc -std=c11 -D_DEFAULT_SOURCE -O1 -Wall -Wextra -Wno-unused-parameter -I. \
  -o "$out/test_decode" tests/unit/test_decode.c target/riscv/decode.c \
  target/riscv/disas.c target/riscv/rvc.c \
  || { echo "not ok decode/build"; exit 0; }

# objdump on raw bytes: addresses from 0, no symbols, every word decoded.
dump() { "${CROSS}objdump" -D -b binary -m riscv:rv64 -M no-aliases "$1"; }

"${CROSS}as" -march=rv64gc -o "$out/corpus.o" tests/unit/decode_corpus.S \
  && "${CROSS}objcopy" -O binary -j .text "$out/corpus.o" "$out/corpus.bin" \
  || { echo "not ok decode/corpus-assemble"; exit 0; }
dump "$out/corpus.bin" | "$out/test_decode" corpus

"$out/test_decode" gen32 200000 ${DECODE_SEED:-20261124} > "$out/random32.bin"
dump "$out/random32.bin" | "$out/test_decode" random random32

"$out/test_decode" gen16 > "$out/all16.bin"
dump "$out/all16.bin" | "$out/test_decode" random all16
