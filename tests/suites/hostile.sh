#!/usr/bin/env bash
# Hostile guests; the emulator must finish each with exit code 0 and print
# nothing on stderr (a Wasm tier compile failure would show there).
#  - tests/hostile/fuzz.c writes garbage into every device register and
#    virtio ring (its requests may write the disk, never past its end;
#    with -snapshot, never the image at all), random 9P messages into a
#    shared directory, whose links out of it must lead nowhere, and
#    garbage rings to a network card whose frames come back to it;
#  - tests/hostile/randcode.c runs random instructions in S and U mode
#    (random mstatus bits, random page tables, PMP confining them) and
#    checks M-mode's state is intact: natively, under Node, and under Node
#    with every TB compiled to Wasm at its first execution;
#  - tests/hostile/traploop.c traps for ever: Ctrl-A x still ends it.
set -u
cd "$(dirname "$0")/../.."
dir=$(bash tests/hostile/build.sh | tail -n 1) || { echo "not ok hostile/build"; exit 0; }
disk=$(mktemp)
shares=$(mktemp -d)
head -c 1048576 /dev/zero > "$disk"
native=(build/native/wasmu-system-riscv64)
node=(node --no-experimental-fetch build/wasm/wasmu-node.js)

source tests/baremetal_run.sh
# The network card's peer: every frame the guest sends comes back to it
# (QEMU's socket netdev framing survives an echo).
echo_port_file=$(mktemp)
python3 -c '
import socket, sys, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
def echo(c):
    while True:
        data = c.recv(65536)
        if not data:
            return
        c.sendall(data)
while True:
    threading.Thread(target=echo, args=(s.accept()[0],), daemon=True).start()
' "$echo_port_file" &
echo_pid=$!
trap 'rm -f "$disk" "$echo_port_file"; kill $echo_pid 2>/dev/null; chmod -R u+rwx "$shares"; rm -rf "$shares"' EXIT
for _ in $(seq 50); do [ -s "$echo_port_file" ] && break; sleep 0.1; done
net=(-netdev socket,id=n0,connect=127.0.0.1:$(cat "$echo_port_file") -device virtio-net-device,netdev=n0)
# fuzz.c with the disk, a shared directory and a network card; nothing
# outside the share changes
devices_run() {
  local test=$1 root=$shares/$1; shift
  mkdir -p "$root"
  make_share_with_escapes "$root"
  runs_clean "$test" "$dir/hostile.elf" "$@" -drive if=virtio,format=raw,file="$disk" \
    -virtfs local,path="$root/share",mount_tag=fuzz "${net[@]}"
  if outside_untouched "$root"; then echo "ok $test-share-kept-in"
  else echo "not ok $test-share-kept-in: $(ls -lAR "$root" | tr '\n' ' ' | tail -c 300)"; fi
}
devices_run hostile/native-devices "${native[@]}"
devices_run hostile/node-devices "${node[@]}"
size=$(stat -c %s "$disk")
if [ "$size" -eq 1048576 ]; then echo "ok hostile/disk-size-kept"
else echo "not ok hostile/disk-size-kept: the 1 MiB image is now $size bytes"; fi
# the same with -snapshot: its writes and read-backs go through the overlay
sum=$(md5sum < "$disk")
devices_run hostile/native-devices-snapshot "${native[@]}" -snapshot
if [ "$(md5sum < "$disk")" = "$sum" ]; then echo "ok hostile/snapshot-disk-unchanged"
else echo "not ok hostile/snapshot-disk-unchanged"; fi
runs_clean hostile/native-random-code "$dir/randcode.elf" "${native[@]}"
runs_clean hostile/node-random-code "$dir/randcode.elf" "${node[@]}"
runs_clean hostile/node-random-code-all-compiled "$dir/randcode-short.elf" "${node[@]}" \
  -accel tcg,jit-threshold=0,jit-async=off
# a guest that traps for ever (its trap vector faults too) leaves the
# machine the host's: Ctrl-A x ends it, natively and under Node
python3 tests/hostile/ctrl_a.py hostile/trap-loop-native "${native[@]}" -bios none -kernel "$dir/traploop.elf"
python3 tests/hostile/ctrl_a.py hostile/trap-loop-node "${node[@]}" -bios none -kernel "$dir/traploop.elf"
