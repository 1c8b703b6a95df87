#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds wasmu, the default guest
# (Linux 6.1 + busybox) and the web page, serves the page on localhost and
# prints its URL.  With --terminal, boots the guest natively on this
# terminal instead (Ctrl-A x quits; `poweroff` in the guest ends it).
set -eu
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
make -j"$(nproc)"
guest=$(bash guest/build.sh | tail -n 1)
if [ "${1:-}" = "--terminal" ]; then
  shift
  exec build/native/wasmu-system-riscv64 -m 256M -nographic \
    -kernel "$guest/Image" -initrd "$guest/initramfs.cpio" \
    -append "console=ttyS0" \
    -drive if=virtio,format=raw,file="$guest/disk.ext2" "$@"
fi
dist=$(bash web/build.sh | tail -n 1)
exec node web/serve.js "$dist" "${PORT:-8000}"
