#!/usr/bin/env bash
# Interpreter tier: hand-built IR blocks against expected guest state.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p build/tests
cc -std=c11 -D_DEFAULT_SOURCE -O1 -g -fsanitize=address,undefined -I. \
   -o build/tests/test_interp tests/unit/test_interp.c ir/ir.c ir/ir_print.c \
   ir/ir_opt.c backend/interp/interp.c backend/wasm/*.c \
   exec/tb.c exec/softmmu.c \
   exec/memory.c host/ram.c
build/tests/test_interp
