#!/usr/bin/env python3
"""Boot-to-prompt time of the default guest, in one run, for wasmu native,
wasmu under Node and qemu-system-riscv64 -M virt (same kernel, initramfs,
command line).  Prints a table and the ratios to QEMU."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "boot"))
from console import Console, guest_args  # noqa: E402


def boot_time(argv):
    con = Console(argv)
    start = time.time()
    try:
        con.wait_for_shell(300)
        elapsed = time.time() - start
        con.poweroff()
        return elapsed
    finally:
        con.kill()


def main():
    guest = sys.argv[1]
    common = guest_args(guest)
    runs = [
        ("wasmu native (interpreter)", ["build/native/wasmu-system-riscv64"] + common),
        ("wasmu node (wasm build)", ["node", "--no-experimental-fetch",
                                     "build/wasm/wasmu-node.js"] + common),
        ("qemu-system-riscv64 -M virt", ["qemu-system-riscv64", "-M", "virt",
                                         "-bios", "default"] + common),
    ]
    results = {}
    for name, argv in runs:
        results[name] = min(boot_time(argv) for _ in range(3))
        print("%-30s boot to prompt %6.2f s" % (name, results[name]), flush=True)
    q = results["qemu-system-riscv64 -M virt"]
    for name, t in results.items():
        print("%-30s %.2fx QEMU's boot time" % (name, t / q))


if __name__ == "__main__":
    main()
