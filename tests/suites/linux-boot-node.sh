#!/usr/bin/env bash
# The same Linux boot test under Node, running the Emscripten build (the
# .wasm the browser uses).
set -u
cd "$(dirname "$0")/../.."
guest=$(bash guest/build.sh | tail -n 1) || { echo "not ok linux-boot-node/guest-build"; exit 0; }
make -s wasm >/tmp/wasmu-wasm-build.log 2>&1 || { echo "not ok linux-boot-node/wasm-build $(tail -3 /tmp/wasmu-wasm-build.log)"; exit 0; }
python3 tests/boot/linux_boot.py "$guest" node node --no-experimental-fetch build/wasm/wasmu-node.js
# and with every TB queued for the Wasm tier from its first run (background
# compiles, thousands in flight during boot; it hung before the in-flight
# compiles stopped counting as live after a flush)
WASMU_IDLE_CHECK=0 python3 tests/boot/linux_boot.py "$guest" node-jit0 node --no-experimental-fetch build/wasm/wasmu-node.js -accel tcg,jit-threshold=0
