#!/usr/bin/env bash
# The same Linux boot test under Node, running the Emscripten build (the
# .wasm the browser uses).
set -u
cd "$(dirname "$0")/../.."
guest=$(bash guest/build.sh | tail -n 1) || { echo "not ok linux-boot-node/guest-build"; exit 0; }
make -s wasm >/tmp/wasmu-wasm-build.log 2>&1 || { echo "not ok linux-boot-node/wasm-build $(tail -3 /tmp/wasmu-wasm-build.log)"; exit 0; }
python3 tests/boot/linux_boot.py "$guest" node node --no-experimental-fetch build/wasm/wasmu-node.js
