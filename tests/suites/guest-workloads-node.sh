#!/usr/bin/env bash
# xz, zstd and Lua inside Linux under Node with the Wasm tier, at a
# threshold low enough that much of them is compiled while they run (and
# code pages are reused between processes meanwhile): results must be
# exact (tests/boot/workloads.py).
set -u
cd "$(dirname "$0")/../.."
guest=$(bash guest/build.sh | tail -n 1) || { echo "not ok guest-workloads-node/guest-build"; exit 0; }
make -s wasm >/tmp/wasmu-wasm-build.log 2>&1 || { echo "not ok guest-workloads-node/wasm-build $(tail -3 /tmp/wasmu-wasm-build.log)"; exit 0; }
python3 tests/boot/workloads.py "$guest" guest-workloads-node node --no-experimental-fetch \
  build/wasm/wasmu-node.js -accel tcg,jit-threshold=2000
