#!/usr/bin/env python3
"""A CPU workload inside the Linux guest: Lua 5.4 (built from Debian's
lua5.4 source) running guest/bench/bench.lua, timed from the command to its
output, for wasmu native, wasmu under Node with the Wasm tier on and off,
and qemu-system-riscv64 -M virt, on the same kernel and initramfs."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "boot"))
from console import Console, guest_args  # noqa: E402


def run(argv):
    con = Console(argv)
    try:
        con.wait_for_shell(300)
        start = time.time()
        con.send("lua /root/bench.lua\n")
        out = con.expect(rb"lua-bench checksum [0-9 ]+time [0-9.]+", 600)
        elapsed = time.time() - start
        con.poweroff()
        return elapsed, re.search(r"checksum [0-9 ]+", out).group(0)
    finally:
        con.kill()


def main():
    guest = sys.argv[1]
    common = guest_args(guest)
    node = ["node", "--no-experimental-fetch", "build/wasm/wasmu-node.js"]
    runs = [("qemu-system-riscv64 -M virt", ["qemu-system-riscv64", "-M", "virt", "-bios", "default"] + common),
            ("wasmu native (interpreter)", ["build/native/wasmu-system-riscv64"] + common),
            ("wasmu node, wasm tier", node + common + ["-accel", "tcg,jit=on"]),
            ("wasmu node, interpreter", node + common + ["-accel", "tcg,jit=off"])]
    times = {}
    for name, argv in runs:
        t, checksum = run(argv)
        times[name] = t
        print("%-30s lua bench %6.2f s  (%s)" % (name, t, checksum), flush=True)
    q = times[runs[0][0]]
    for name, t in times.items():
        print("%-30s %.2fx QEMU's speed" % (name, q / t))


if __name__ == "__main__":
    main()
