#!/usr/bin/env bash
# Hostile guests; the emulator must finish each with exit code 0 and print
# nothing on stderr (a Wasm tier compile failure would show there).
#  - tests/hostile/fuzz.c writes garbage into every device register and
#    virtio ring (its requests may write the disk, never past its end;
#    with -snapshot, never the image at all);
#  - tests/hostile/randcode.c runs random instructions in S and U mode
#    (random mstatus bits, random page tables, PMP confining them) and
#    checks M-mode's state is intact: natively, under Node, and under Node
#    with every TB compiled to Wasm at its first execution.
set -u
cd "$(dirname "$0")/../.."
dir=$(bash tests/hostile/build.sh | tail -n 1) || { echo "not ok hostile/build"; exit 0; }
disk=$(mktemp)
trap 'rm -f "$disk"' EXIT
head -c 1048576 /dev/zero > "$disk"
native=(build/native/wasmu-system-riscv64)
node=(node --no-experimental-fetch build/wasm/wasmu-node.js)

source tests/baremetal_run.sh
runs_clean hostile/native-devices "$dir/hostile.elf" "${native[@]}" -drive if=virtio,format=raw,file="$disk"
runs_clean hostile/node-devices "$dir/hostile.elf" "${node[@]}" -drive if=virtio,format=raw,file="$disk"
size=$(stat -c %s "$disk")
if [ "$size" -eq 1048576 ]; then echo "ok hostile/disk-size-kept"
else echo "not ok hostile/disk-size-kept: the 1 MiB image is now $size bytes"; fi
# the same with -snapshot: its writes and read-backs go through the overlay
sum=$(md5sum < "$disk")
runs_clean hostile/native-devices-snapshot "$dir/hostile.elf" "${native[@]}" -snapshot -drive if=virtio,format=raw,file="$disk"
if [ "$(md5sum < "$disk")" = "$sum" ]; then echo "ok hostile/snapshot-disk-unchanged"
else echo "not ok hostile/snapshot-disk-unchanged"; fi
runs_clean hostile/native-random-code "$dir/randcode.elf" "${native[@]}"
runs_clean hostile/node-random-code "$dir/randcode.elf" "${node[@]}"
runs_clean hostile/node-random-code-all-compiled "$dir/randcode-short.elf" "${node[@]}" \
  -accel tcg,jit-threshold=0,jit-async=off
