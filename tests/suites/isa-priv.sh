#!/usr/bin/env bash
# Privileged-mode tests (tests/isa-priv/*.S) on the native build, and under
# Node with every TB compiled to Wasm.  isa-priv-qemu.sh validates the tests.
set -u
cd "$(dirname "$0")/../.."
bash tests/isa-priv/run.sh isa-priv-native build/native/wasmu-system-riscv64
make -s wasm >/dev/null 2>&1 || { echo "not ok isa-priv-node/wasm-build"; exit 0; }
MIN_WASM_SHARE=95 bash tests/isa-priv/run.sh isa-priv-node-jit node --no-experimental-fetch \
  build/wasm/wasmu-node.js -accel tcg,jit-threshold=0,jit-async=off
# and with a threshold a TB passes under one mapping and compiles under
# another (retranslate.S)
bash tests/isa-priv/run.sh isa-priv-node-jit100 node --no-experimental-fetch \
  build/wasm/wasmu-node.js -accel tcg,jit-threshold=100
