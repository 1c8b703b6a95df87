#!/usr/bin/env bash
# Installs every host package wasmu needs on a fresh Debian 12 machine.
# Idempotent: skips apt when everything is already present.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

PKGS=(build-essential make gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
      qemu-system-misc opensbi linux-source-6.1 bc flex bison cpio xz-utils
      libelf-dev libssl-dev e2fsprogs dpkg-dev emscripten python3 gdb-multiarch)
[ "${WASMU_BROWSER:-1}" = 1 ] && PKGS+=(chromium)
command -v node >/dev/null || PKGS+=(nodejs npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
src=/etc/apt/sources.list.d/debian.sources
need_src=0
if [ -f "$src" ] && ! grep -q '^Types:.*deb-src' "$src"; then need_src=1; fi
if [ ${#missing[@]} -gt 0 ] || [ $need_src = 1 ]; then
  if [ $need_src = 1 ]; then
    $SUDO sed -i 's/^Types: deb$/Types: deb deb-src/' "$src"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  [ ${#missing[@]} -gt 0 ] && $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "install-deps: ok"
