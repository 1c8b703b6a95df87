#!/usr/bin/env bash
# Random IR programs on the interpreter and on the Wasm tier (under Node):
# identical registers, memory, pc and exit status.
set -u
cd "$(dirname "$0")/../.."
mkdir -p build/tests
NODE_PATH=/usr/share/nodejs emcc -O2 -std=c11 -D_DEFAULT_SOURCE -I. \
  -sALLOW_TABLE_GROWTH=1 -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node \
  -sEXPORTED_RUNTIME_METHODS=addFunction,removeFunction \
  -o build/tests/wasm_diff.js tests/unit/test_wasm_diff.c ir/ir.c ir/ir_print.c \
  ir/ir_opt.c backend/interp/interp.c backend/wasm/*.c \
  exec/tb.c exec/softmmu.c exec/memory.c host/ram.c \
  >/tmp/wasm-diff-build.log 2>&1 || { echo "not ok wasm-diff/build $(grep error /tmp/wasm-diff-build.log | head -3)"; exit 0; }
for seed in 0x1234567 0xfeedbeef 0x5eed; do
  node --no-experimental-fetch build/tests/wasm_diff.js 1500 $seed
done
