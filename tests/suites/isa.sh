#!/usr/bin/env bash
# ISA tests (tests/isa/*.S): on QEMU (validates the tests themselves), on
# the native build, and under Node with every TB compiled to Wasm.
set -u
cd "$(dirname "$0")/../.."
bash tests/isa/run.sh isa-qemu qemu-system-riscv64 -M spike
bash tests/isa/run.sh isa-native build/native/wasmu-system-riscv64
make -s wasm >/dev/null 2>&1 || { echo "not ok isa-node/wasm-build"; exit 0; }
MIN_WASM_SHARE=95 bash tests/isa/run.sh isa-node-jit node --no-experimental-fetch build/wasm/wasmu-node.js -accel tcg,jit-threshold=0,jit-async=off
# and with a threshold hot code passes after its callees have run a while,
# so that regions take in TBs of other pages (crosspage.S)
bash tests/isa/run.sh isa-node-jit500 node --no-experimental-fetch build/wasm/wasmu-node.js -accel tcg,jit-threshold=500
# and every TB queued at once for a background compile (the default
# jit-async): short tests end before their code lands, manytbs.S passes the
# live-module limit with compiles still in flight
bash tests/isa/run.sh isa-node-jit0async node --no-experimental-fetch build/wasm/wasmu-node.js -accel tcg,jit-threshold=0
