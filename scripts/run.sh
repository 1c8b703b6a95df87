#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds wasmu and the default guest
# (Linux 6.1 + busybox), and boots it to a shell on this terminal.
# Ctrl-A x quits; `poweroff` in the guest ends the emulator.
set -eu
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
make -j"$(nproc)"
guest=$(bash guest/build.sh | tail -n 1)
exec build/native/wasmu-system-riscv64 -m 256M -nographic \
  -kernel "$guest/Image" -initrd "$guest/initramfs.cpio.gz" \
  -append "console=ttyS0" \
  -drive if=virtio,format=raw,file="$guest/disk.ext2" "$@"
