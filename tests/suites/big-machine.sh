#!/usr/bin/env bash
# A big machine: 3 GiB of guest RAM and a 5 GiB disk.  Under Node (and in
# the browser) linear memory then reaches past 2 GiB, where JavaScript sees
# pointers as negative numbers, and emcc's own pwrite lost the high bits of
# disk offsets.  tests/bigmem/ramwalk.c checks all of the RAM bare-metal,
# on each tier; tests/boot/big_machine.py boots Linux on it.
set -u
cd "$(dirname "$0")/../.."
guest=$(bash guest/build.sh | tail -n 1) || { echo "not ok big-machine/guest-build"; exit 0; }
make -s && make -s wasm >/tmp/wasmu-wasm-build.log 2>&1 || { echo "not ok big-machine/build $(tail -3 /tmp/wasmu-wasm-build.log)"; exit 0; }
dir=$(bash tests/bigmem/build.sh | tail -n 1) || { echo "not ok big-machine/ramwalk-build"; exit 0; }
native=(build/native/wasmu-system-riscv64)
node=(node --no-experimental-fetch build/wasm/wasmu-node.js)

source tests/baremetal_run.sh
BAREMETAL_TIMEOUT=120
# walks TEST EMULATOR... : ramwalk.elf on -m 3G (its exit code: the bad words)
walks() { local test=$1; shift; runs_clean "big-machine/$test" "$dir/ramwalk.elf" "$@" -m 3G; }
walks native-3g-ram "${native[@]}"
walks node-3g-ram "${node[@]}"
walks node-3g-ram-interpreter "${node[@]}" -accel tcg,jit=off
walks node-3g-ram-all-compiled "${node[@]}" -accel tcg,jit-threshold=0,jit-async=off

python3 tests/boot/big_machine.py "$guest" big-machine/native "${native[@]}"
python3 tests/boot/big_machine.py "$guest" big-machine/node "${node[@]}"
