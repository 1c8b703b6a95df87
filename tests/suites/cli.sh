#!/usr/bin/env bash
# Bad input gets a one-line error and a non-zero exit, never a crash.
set -u
cd "$(dirname "$0")/../.."
emu=build/native/wasmu-system-riscv64
node_emu=(node --no-experimental-fetch build/wasm/wasmu-node.js)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
elf=$(bash bench/baremetal/build.sh | tail -n 1)/intmix.elf

# check NAME EXPECTED-PATTERN ARGS...: exit 1 or 2, one line naming the
# problem (from the emulator in door: the native one, then Node's)
door=("$emu")
check() {
  local name=$1 pattern=$2; shift 2
  local out rc
  out=$(timeout 20 "${door[@]}" "$@" 2>&1 </dev/null); rc=$?
  local lines; lines=$(printf '%s\n' "$out" | grep -c .)
  if [ $rc -ne 1 ] && [ $rc -ne 2 ]; then
    echo "not ok cli/$name: exit status $rc (want 1 or 2): $out"
  elif [ "$lines" -ne 1 ]; then
    echo "not ok cli/$name: $lines lines of output: $out"
  elif ! printf '%s' "$out" | grep -qi -- "$pattern"; then
    echo "not ok cli/$name: message '$out' lacks '$pattern'"
  else
    echo "ok cli/$name"
  fi
}

head -c 100 "$elf" > "$tmp/truncated.elf"
head -c 3000 "$elf" > "$tmp/cut.elf"
printf 'garbage, not a kernel at all, just text\n%.0s' {1..100} > "$tmp/garbage.bin"
head -c 64 /dev/urandom > "$tmp/random.bin"
dd if=/dev/zero of="$tmp/big.img" bs=1M count=40 status=none
# the guest's Linux Image cut short: in its PE header, and one byte short
image=$(bash guest/build.sh | tail -n 1)/Image
head -c 100 "$image" > "$tmp/cut-header.Image"
head -c $(($(stat -c %s "$image") - 1)) "$image" > "$tmp/cut.Image"

check unknown-option "unknown option" -kernel "$elf" -frobnicate
check missing-arg "needs an argument" -kernel
check bad-memory "memory size" -m lots -kernel "$elf"
check bad-accel "accel" -accel kvm -kernel "$elf"
check bad-accel-prop "bad property" -accel tcg,warp=9 -kernel "$elf"
check bad-rtc-base "base=2021-13-01 is not utc, localtime or a date" -rtc base=2021-13-01 -kernel "$elf"
check bad-rtc-clock "only clock=host" -rtc clock=vm -kernel "$elf"
check bad-rtc-day "base=2021-02-29 is not" -rtc base=2021-02-29 -kernel "$elf"
check bad-accel-async "bad property" -accel tcg,jit-async=maybe -kernel "$elf"
check no-kernel "no -kernel" -m 64
check missing-kernel "cannot open" -bios none -kernel "$tmp/nonexistent.elf"
check truncated-elf "truncated" -bios none -kernel "$tmp/truncated.elf"
check cut-elf "truncated" -bios none -kernel "$tmp/cut.elf"
check cut-image-header "kernel Image is truncated (100 bytes" -kernel "$tmp/cut-header.Image"
check cut-image "kernel Image is truncated .* lists $(stat -c %s "$image")" -kernel "$tmp/cut.Image"
check garbage-kernel "neither an ELF nor a RISC-V Image" -kernel "$tmp/garbage.bin"
check random-kernel "kernel" -bios none -kernel "$tmp/random.bin"
check initrd-too-big "does not fit" -m 32 -bios none -kernel "$elf" -initrd "$tmp/big.img"
check missing-initrd "cannot open" -bios none -kernel "$elf" -initrd "$tmp/none.img"
check missing-disk "cannot open" -bios none -kernel "$elf" -drive if=virtio,format=raw,file="$tmp/none.img"
check bad-drive "only if=virtio" -kernel "$elf" -drive if=ide,file=x
check eight-drives "at most 7 disks" -kernel "$elf" $(for i in 1 2 3 4 5 6 7 8; do echo -drive file=d$i; done)
check drive-same-id "duplicate id=hd0" -kernel "$elf" -drive file=x,id=hd0 -drive file=y,id=hd0
check device-twice "already attached" -kernel "$elf" -drive file=x,if=none,id=hd0 -device virtio-blk-device,drive=hd0 -device virtio-blk-device,drive=hd0
check drive-none-no-id "needs an id" -kernel "$elf" -drive file=x,if=none
check device-unknown "not available" -kernel "$elf" -device virtio-gpu-device
check device-no-drive "no -drive with id=nope" -kernel "$elf" -drive file=x,if=none,id=hd0 -device virtio-blk-device,drive=nope
check device-drive-in-use "already attached by if=virtio" -kernel "$elf" -drive file=x,id=hd0,if=virtio -device virtio-blk-device,drive=hd0
check virtfs-missing-dir "'$tmp/none' is not a directory" -bios none -kernel "$elf" -virtfs local,path="$tmp/none",mount_tag=t
check virtfs-file "is not a directory" -bios none -kernel "$elf" -virtfs local,path="$tmp/big.img",mount_tag=t
check virtfs-no-tag "mount_tag= is required" -kernel "$elf" -virtfs local,path="$tmp"
check virtfs-long-tag "1-31 characters" -kernel "$elf" -virtfs local,path="$tmp",mount_tag=$(printf 't%.0s' {1..40})
check virtfs-mapped "only security_model=none or passthrough" -kernel "$elf" -virtfs local,path="$tmp",mount_tag=t,security_model=mapped-xattr
check virtfs-driver "only the 'local' driver" -kernel "$elf" -virtfs proxy,sock_fd=3,mount_tag=t
check fsdev-no-device "no -fsdev with id=f9" -kernel "$elf" -device virtio-9p-device,fsdev=f9,mount_tag=t
check fsdev-twice "fsdev 'f1' is already attached" -kernel "$elf" -fsdev local,id=f1,path="$tmp" -device virtio-9p-device,fsdev=f1,mount_tag=a -device virtio-9p-device,fsdev=f1,mount_tag=b
check fsdev-same-id "duplicate id=f1" -kernel "$elf" -fsdev local,id=f1,path=a -fsdev local,id=f1,path=b
check disks-and-shares "at most 7 disks, shared directories and network cards" -kernel "$elf" $(for i in 1 2 3 4 5 6; do echo -drive file=d$i; done) -virtfs local,path=a,mount_tag=a -virtfs local,path=b,mount_tag=b
check netdev-user "-netdev user: not available" -kernel "$elf" -netdev user,id=n0
check netdev-no-mode "give listen= or connect=" -kernel "$elf" -netdev socket,id=n0
check netdev-bad-address "is not HOST:PORT" -bios none -kernel "$elf" -netdev socket,id=n0,connect=nowhere -device virtio-net-device,netdev=n0
check net-device-no-netdev "no -netdev with id=n9" -kernel "$elf" -device virtio-net-device,netdev=n9
check net-device-bad-mac "unicast address" -kernel "$elf" -netdev socket,id=n0,listen=:0 -device virtio-net-device,netdev=n0,mac=01:00:5e:00:00:01
check net-connect-refused "cannot connect to 127.0.0.1:1" -bios none -kernel "$elf" -netdev socket,id=n0,connect=127.0.0.1:1 -device virtio-net-device,netdev=n0
check nic-user "-nic: only 'none'" -kernel "$elf" -nic user
check bad-cpu "only rv64" -kernel "$elf" -cpu sifive-u54
check bad-object "only rng-random" -kernel "$elf" -object memory-backend-ram,id=m0,size=1G
check rng-no-object "no -object with id=rng0" -kernel "$elf" -device virtio-rng-device,rng=rng0
check snapshot-missing-disk "cannot open" -bios none -kernel "$elf" -snapshot -drive file="$tmp/none.img"
check missing-bios "firmware" -bios "$tmp/none.bin" -kernel "$elf"
check tiny-ram "RAM size" -m 1 -bios none -kernel "$elf"
check empty-bios "firmware '/dev/null' is empty" -bios /dev/null -kernel "$elf"
check directory-kernel "is a directory" -bios none -kernel "$tmp"
check gdb-bad-address "expected tcp:\[HOST\]:PORT" -bios none -kernel "$elf" -gdb stdio
check gdb-S-alone "-S waits for a debugger" -bios none -kernel "$elf" -S
# a port another process listens on
python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(60)' > "$tmp/port" &
holder=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
check gdb-port-taken "-gdb: cannot listen on 127.0.0.1:$(cat "$tmp/port")" -bios none -kernel "$elf" -gdb "tcp:127.0.0.1:$(cat "$tmp/port")"
check gdb-bad-host "-gdb: 'no.such.host.invalid:1234'" -bios none -kernel "$elf" -gdb tcp:no.such.host.invalid:1234
# a command line longer than the device tree holds (QEMU takes any length)
check long-append "-append is 30000 bytes" -bios none -kernel "$elf" -append "$(head -c 30000 /dev/zero | tr '\0' x)"

# Node's front door (host/emscripten/front_door.js) says the same
door=("${node_emu[@]}")
check node-unknown-option "unknown option" -kernel "$elf" -frobnicate
check node-bad-memory "memory size" -m lots -kernel "$elf"
check node-missing-kernel "cannot open" -bios none -kernel "$tmp/nonexistent.elf"
check node-truncated-elf "truncated" -bios none -kernel "$tmp/truncated.elf"
check node-cut-image "kernel Image is truncated" -kernel "$tmp/cut.Image"
check node-missing-disk "cannot open" -bios none -kernel "$elf" -drive if=virtio,format=raw,file="$tmp/none.img"
check node-net-connect-refused "cannot connect to 127.0.0.1:1" -bios none -kernel "$elf" -netdev socket,id=n0,connect=127.0.0.1:1 -device virtio-net-device,netdev=n0
check node-netdev-bad-address "is not HOST:PORT" -bios none -kernel "$elf" -netdev socket,id=n0,connect=nowhere -device virtio-net-device,netdev=n0
check node-gdb-bad-address "expected tcp:\[HOST\]:PORT" -bios none -kernel "$elf" -gdb stdio
check node-gdb-port-taken "-gdb: cannot listen on 127.0.0.1:$(cat "$tmp/port")" -bios none -kernel "$elf" -gdb "tcp:127.0.0.1:$(cat "$tmp/port")"
kill $holder 2>/dev/null
# more RAM than 32-bit linear memory (4 GiB, with the emulator) holds: the error gives the bound
check node-ram-past-memory "this build holds [0-9]* MiB in all" -m 4G -bios none -kernel "$elf"

# QEMU's own spellings that scripts and its riscv docs use are accepted:
# the bare-metal program still runs to its end (exit 0, nothing said)
accepts() {
  local name=$1; shift
  local out rc
  out=$(timeout 20 "${door[@]}" -bios none -kernel "$slot_elf" "$@" 2>&1 </dev/null); rc=$?
  if [ $rc -eq 0 ] && [ -z "$out" ]; then echo "ok cli/$name"
  else echo "not ok cli/$name: exit $rc: $out"; fi
}
slot_elf=$(bash tests/devices/build.sh | tail -n 1)/empty-slot.elf
head -c 65536 /dev/zero > "$tmp/disk.img"
for front in native node; do
  if [ $front = native ]; then door=("$emu"); else door=("${node_emu[@]}"); fi
  accepts $front-drive-claimed-by-device -drive file="$tmp/disk.img",format=raw,id=hd0 -device virtio-blk-device,drive=hd0
  accepts $front-qemu-noop-options -nodefaults -name guest -machine virt,acpi=off -M virt,accel=tcg \
    -global virtio-mmio.force-legacy=false
  accepts $front-chardev-stdio -chardev stdio,id=char0,mux=on,signal=off -serial chardev:char0 -mon chardev=char0,mode=readline
done
door=("$emu")
check drive-claimed-twice "drive 'hd0' is already attached" -bios none -kernel "$elf" -drive file="$tmp/disk.img",format=raw,id=hd0 -device virtio-blk-device,drive=hd0 -device virtio-blk-device,drive=hd0
check global-other "-global: only virtio-mmio.force-legacy=false" -bios none -kernel "$elf" -global virtio-mmio.force-legacy=true
check chardev-socket "only the stdio backend" -bios none -kernel "$elf" -chardev socket,id=c0,port=4444
check serial-unknown-chardev "-serial: only stdio, or a -chardev stdio" -bios none -kernel "$elf" -chardev stdio,id=c0 -serial chardev:c1
check machine-kvm "-machine: bad property 'accel'" -bios none -kernel "$elf" -machine virt,accel=kvm

# -version and -help print and exit at once, natively and under Node
for front in native node; do
  if [ $front = native ]; then cmd=("$emu"); else cmd=("${node_emu[@]}"); fi
  out=$(timeout 20 "${cmd[@]}" -version 2>&1 </dev/null); rc=$?
  if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q '^wasmu.* version [0-9]'; then echo "ok cli/$front-version"
  else echo "not ok cli/$front-version: exit $rc: $out"; fi
  out=$(timeout 20 "${cmd[@]}" -help 2>&1 </dev/null); rc=$?
  if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q -- '-kernel FILE'; then echo "ok cli/$front-help"
  else echo "not ok cli/$front-help: exit $rc: $(printf '%s' "$out" | head -c 200)"; fi
done

# QEMU's way of giving the entropy source and the CPU is accepted
if timeout 60 "$emu" -bios none -kernel "$elf" -cpu rv64 -smp 1 -object rng-random,filename=/dev/urandom,id=rng0 \
     -device virtio-rng-device,rng=rng0 >/dev/null 2>&1; then echo "ok cli/qemu-rng-cpu-options"
else echo "not ok cli/qemu-rng-cpu-options"; fi
# QEMU's -bios default is the bundled OpenSBI (dumpdtb: build the machine, write its tree, exit)
if timeout 20 "$emu" -bios default -kernel "$image" \
     -machine virt,dumpdtb="$tmp/virt.dtb" >/dev/null 2>&1 && [ -s "$tmp/virt.dtb" ]; then echo "ok cli/bios-default"
else echo "not ok cli/bios-default"; fi

# and the good case still works, also under Node with synchronous compiles
if timeout 60 "$emu" -bios none -kernel "$elf" >/dev/null 2>&1; then echo "ok cli/good-run"
else echo "not ok cli/good-run"; fi
if timeout 120 "${node_emu[@]}" -bios none -kernel "$elf" \
     -accel tcg,jit-async=off,jit-threshold=100 >/dev/null 2>&1; then echo "ok cli/node-jit-sync-run"
else echo "not ok cli/node-jit-sync-run"; fi
