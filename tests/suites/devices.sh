#!/usr/bin/env bash
# Device tests: the Goldfish RTC bare metal (tests/devices/rtc.c) and a
# hostile 9P client on virtio-9p (tests/devices/ninep.c) natively, under
# Node on each tier, and on QEMU's virt board as the reference; then Linux
# with -rtc base=DATE, with shared directories (-virtfs), with QEMU's
# monitor (Ctrl-A c), under GDB (-gdb, -S), and two machines on one
# network (-netdev socket), one of them QEMU.
set -u
cd "$(dirname "$0")/../.."
dir=$(bash tests/devices/build.sh | tail -n 1) || { echo "not ok devices/build"; exit 0; }
node=(node --no-experimental-fetch build/wasm/wasmu-node.js)

source tests/baremetal_run.sh
BAREMETAL_TIMEOUT=60
runs_clean devices/rtc-native "$dir/rtc.elf" build/native/wasmu-system-riscv64
runs_clean devices/rtc-node "$dir/rtc.elf" "${node[@]}"
runs_clean devices/rtc-node-interpreter "$dir/rtc.elf" "${node[@]}" -accel tcg,jit=off
runs_clean devices/rtc-node-all-compiled "$dir/rtc.elf" "${node[@]}" -accel tcg,jit-threshold=0,jit-async=off
if command -v qemu-system-riscv64 >/dev/null; then
  runs_clean devices/rtc-qemu-virt "$dir/rtc-virt.elf" qemu-system-riscv64 -M virt -nographic
else
  echo "not ok devices/rtc-qemu-virt no qemu-system-riscv64"
fi

# an empty virtio-mmio slot, as on QEMU's board (QEMU's transports are
# legacy, version 1, unless told otherwise)
runs_clean devices/empty-slot-native "$dir/empty-slot.elf" build/native/wasmu-system-riscv64
runs_clean devices/empty-slot-node "$dir/empty-slot.elf" "${node[@]}"
if command -v qemu-system-riscv64 >/dev/null; then
  runs_clean devices/empty-slot-qemu-virt "$dir/empty-slot-virt.elf" qemu-system-riscv64 -M virt -nographic \
    -global virtio-mmio.force-legacy=false
else
  echo "not ok devices/empty-slot-qemu-virt no qemu-system-riscv64"
fi

# ninep.elf on a fresh share whose links lead to a folder outside it: it
# exits 0, and afterwards that folder is as it was and the file it wrote
# is in the share.
ninep_runs() {
  local test=$1 elf=$2 share_opt=$3; shift 3
  local root; root=$(mktemp -d)
  make_share_with_escapes "$root"
  runs_clean "$test" "$elf" "$@" ${share_opt//DIR/$root/share}
  if outside_untouched "$root" && [ "$(cat "$root/share/made.txt" 2>/dev/null)" = "from bare metal" ]; then
    echo "ok $test-outside-untouched"
  else
    echo "not ok $test-outside-untouched: $(ls -lAR "$root" | tr '\n' ' ' | tail -c 300)"
  fi
  rm -rf "$root"
}
virtfs="-virtfs local,path=DIR,mount_tag=test,security_model=none"
ninep_runs devices/9p-native "$dir/ninep.elf" "$virtfs" build/native/wasmu-system-riscv64
ninep_runs devices/9p-node "$dir/ninep.elf" "$virtfs" "${node[@]}"
ninep_runs devices/9p-node-all-compiled "$dir/ninep.elf" "$virtfs" "${node[@]}" -accel tcg,jit-threshold=0,jit-async=off
if command -v qemu-system-riscv64 >/dev/null; then
  # (QEMU's virtio-mmio is legacy unless told otherwise; -virtfs there is PCI)
  ninep_runs devices/9p-qemu-virt "$dir/ninep-virt.elf" \
    "-global virtio-mmio.force-legacy=false -fsdev local,id=f,path=DIR,security_model=none -device virtio-9p-device,fsdev=f,mount_tag=test" \
    qemu-system-riscv64 -M virt -nographic
else
  echo "not ok devices/9p-qemu-virt no qemu-system-riscv64"
fi

# -rtc base=DATE under Linux, natively and under Node
guest=$(bash guest/build.sh | tail -n 1) || { echo "not ok devices/guest-build"; exit 0; }
python3 tests/boot/rtc_base.py "$guest" devices/native build/native/wasmu-system-riscv64
python3 tests/boot/rtc_base.py "$guest" devices/node "${node[@]}"
python3 tests/boot/virtfs.py "$guest" devices/native build/native/wasmu-system-riscv64
python3 tests/boot/virtfs.py "$guest" devices/node "${node[@]}"
# QEMU's Ctrl-A escapes and monitor on a terminal
python3 tests/boot/monitor.py "$guest" devices/native build/native/wasmu-system-riscv64
python3 tests/boot/monitor.py "$guest" devices/node "${node[@]}"
# GDB (Debian's gdb-multiarch) debugging Linux through -gdb and -S
if command -v gdb-multiarch >/dev/null; then
  python3 tests/boot/gdb.py "$guest" devices/gdb build/native/wasmu-system-riscv64
  python3 tests/boot/gdb.py "$guest" devices/gdb-node "${node[@]}"
else
  echo "not ok devices/gdb no gdb-multiarch"
fi
# two machines on one Ethernet link (-netdev socket): wasmu with QEMU, and
# wasmu under Node with the native one
if command -v qemu-system-riscv64 >/dev/null; then
  python3 tests/boot/net.py "$guest" devices/net-native-qemu -- build/native/wasmu-system-riscv64 -- qemu-system-riscv64 -M virt
else
  echo "not ok devices/net-native-qemu no qemu-system-riscv64"
fi
python3 tests/boot/net.py "$guest" devices/net-node-native -- "${node[@]}" -- build/native/wasmu-system-riscv64
