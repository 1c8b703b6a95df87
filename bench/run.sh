#!/usr/bin/env bash
# All benchmarks, figures taken in one run:
#  1. bare-metal CPU programs: native interpreter tier vs qemu-system-riscv64
#  2. the same under Node: Wasm tier on, and interpreter alone (jit=off)
#  3. boot to the shell prompt: native, Node, QEMU, and the page in Chromium
#  4. Lua, xz and zstd inside the Linux guest: native, Node (tier on, off), QEMU
set -eu
cd "$(dirname "$0")/.."
make -s -j"$(nproc)" all wasm
echo "== bare metal, native build (interpreter tier) vs QEMU"
bash bench/baremetal.sh build/native/wasmu-system-riscv64
echo "== bare metal, Node, Wasm tier on"
bash bench/baremetal.sh node --no-experimental-fetch build/wasm/wasmu-node.js -accel tcg,jit=on
echo "== bare metal, Node, interpreter alone (jit=off)"
bash bench/baremetal.sh node --no-experimental-fetch build/wasm/wasmu-node.js -accel tcg,jit=off
echo "== Linux boot to prompt"
python3 bench/boot_time.py "$(bash guest/build.sh | tail -n 1)"
echo "== Linux boot in headless Chromium (page load to prompt)"
bash web/build.sh >/dev/null
node web/test/browser-test.js build/browser.png "$(bash guest/build.sh | tail -n 1)" | grep '^# browser'
echo "== bare metal in headless Chromium (Wasm tier, page worker)"
node bench/browser_cpu.js "$(bash bench/baremetal/build.sh | tail -n 1)"
echo "== Lua, xz, zstd (Debian sources) inside the Linux guest"
python3 bench/guest_workloads.py "$(bash guest/build.sh | tail -n 1)"
