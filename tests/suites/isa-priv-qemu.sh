#!/usr/bin/env bash
# The privileged-mode tests on QEMU's spike machine: checks the tests
# themselves against a reference (QEMU exits 0 when tohost is 1).
set -u
cd "$(dirname "$0")/../.."
command -v qemu-system-riscv64 >/dev/null || { echo "not ok isa-priv-qemu/no-qemu"; exit 0; }
bash tests/isa-priv/run.sh isa-priv-qemu qemu-system-riscv64 -M spike
