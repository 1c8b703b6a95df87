#!/usr/bin/env bash
# Builds the static site into web/dist: page, worker, the Wasm build of the
# emulator, xterm.js, and the default guest (with its disk: ?drive=disk.ext2).
# Serve the folder from any static host (no special headers needed; one that
# answers byte ranges, as web/serve.js does, lets &lazy=on read a disk in
# pieces).
set -eu
cd "$(dirname "$0")/.."
make -s wasm
(cd web && { [ -d node_modules/@xterm/xterm ] || npm ci --no-audit --no-fund >/dev/null; })
guest=$(bash guest/build.sh | tail -n 1)
dist=web/dist
rm -rf "$dist"
mkdir -p "$dist"
cp web/src/index.html web/src/main.js web/src/worker.js "$dist/"
cp build/wasm/wasmu-web.js build/wasm/wasmu-web.wasm "$dist/"
cp web/node_modules/@xterm/xterm/lib/xterm.js web/node_modules/@xterm/xterm/css/xterm.css "$dist/"
cp web/node_modules/@xterm/addon-fit/lib/addon-fit.js "$dist/"
cp "$guest/Image" "$guest/initramfs.cpio" "$guest/disk.ext2" "$dist/"
cp /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin "$dist/"
echo "$dist"
