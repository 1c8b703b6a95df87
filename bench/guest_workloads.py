#!/usr/bin/env python3
"""CPU workloads inside the Linux guest, built from Debian sources (see
guest/build.sh; zstd and xz on the read-only disk bench.ext2), on the same
kernel, initramfs and disk for every emulator:
qemu-system-riscv64 -M virt, wasmu native (interpreter tier), and wasmu
under Node with the Wasm tier on and with the interpreter alone.

  lua   Lua 5.4 running guest/bench/bench.lua      host-timed, seconds
  xz    xz -3 of /bin/busybox, then xz -d | md5sum  host-timed, seconds
  zstd  zstd -b3 -i1 /bin/busybox                   guest-reported MB/s
                                                    (compress, decompress)

Each workload also prints a result that must agree across emulators (a
checksum, a compressed size), so a wrong emulation cannot pass as a fast
one.  Prints each figure and its ratio to QEMU's speed (higher is faster),
and the Wasm tier's speed over the interpreter alone."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "boot"))
from console import Console, guest_args  # noqa: E402

# typed as arithmetic so that the echoed command line never matches
MARK_COMMAND, MARK = "echo end-of-$((40+2))", "end-of-42"
WORKLOADS = [
    # name, command, regex of the agreed result
    ("lua", "lua /root/bench.lua", r"checksum [0-9 ]+"),
    ("xz", "/mnt/xz -T1 -3 -c /bin/busybox > /tmp/b.xz && wc -c < /tmp/b.xz && "
           "/mnt/xz -d -c /tmp/b.xz | md5sum", r"\d+\s+[0-9a-f]{32}"),
    ("zstd", "/mnt/zstd -b3 -i1 /bin/busybox 2>&1 | tr '\\r' '\\n' | grep 'MB/s, ' | tail -n 1",
     r"\d+ -> +\d+"),
]
ZSTD_RATES = re.compile(r"([0-9.]+) MB/s, +([0-9.]+) MB/s")


def run_workloads(argv):
    """Boot once, run every workload; returns {name: (metrics, result)}
    where metrics maps a label to (value, higher_is_better)."""
    con = Console(argv)
    found = {}
    try:
        con.wait_for_shell(300)
        con.run("mount -o ro /dev/vda /mnt")
        for name, command, agreed in WORKLOADS:
            start = time.time()
            con.send("%s; %s\n" % (command, MARK_COMMAND))
            out = con.expect(re.escape(MARK).encode(), 900)
            elapsed = time.time() - start
            result = re.search(agreed, out)
            if not result:
                raise RuntimeError("%s: no result in %r" % (name, out[-300:]))
            if name == "zstd":
                rates = ZSTD_RATES.search(out)
                metrics = {"compress MB/s": (float(rates.group(1)), True),
                           "decompress MB/s": (float(rates.group(2)), True)}
            else:
                metrics = {"s": (elapsed, False)}
            found[name] = (metrics, " ".join(result.group(0).split()))
        con.poweroff()
    finally:
        con.kill()
    return found


def speed_ratio(value, reference, higher_is_better):
    return value / reference if higher_is_better else reference / value


def main():
    guest = sys.argv[1]
    common = guest_args(guest) + [
        "-drive", "if=virtio,format=raw,readonly=on,file=" + os.path.join(guest, "bench.ext2")]
    node = ["node", "--no-experimental-fetch", "build/wasm/wasmu-node.js"]
    runs = [("qemu-system-riscv64 -M virt", ["qemu-system-riscv64", "-M", "virt", "-bios", "default"] + common),
            ("wasmu native (interpreter)", ["build/native/wasmu-system-riscv64"] + common),
            ("wasmu node, wasm tier", node + common + ["-accel", "tcg,jit=on"]),
            ("wasmu node, interpreter", node + common + ["-accel", "tcg,jit=off"])]
    results = {}
    for run_name, argv in runs:
        results[run_name] = run_workloads(argv)
        for name, (metrics, agreed) in results[run_name].items():
            figures = ", ".join("%.2f %s" % (v, label) for label, (v, _) in metrics.items())
            print("%-30s %-5s %-40s (%s)" % (run_name, name, figures, agreed), flush=True)
    qemu = results[runs[0][0]]
    for run_name, found in results.items():
        for name, (metrics, agreed) in found.items():
            if agreed != qemu[name][1]:
                print("MISMATCH %s %s: %s vs QEMU's %s" % (run_name, name, agreed, qemu[name][1]))
            for label, (value, higher) in metrics.items():
                ref = qemu[name][0][label][0]
                print("%-30s %-5s %-16s %.2fx QEMU's speed" % (run_name, name, label,
                                                          speed_ratio(value, ref, higher)))
    tier, interp = results[runs[2][0]], results[runs[3][0]]
    for name, (metrics, _) in tier.items():
        for label, (value, higher) in metrics.items():
            print("wasm tier over interpreter (node) %-5s %-16s %.2fx" % (
                name, label, speed_ratio(value, interp[name][0][label][0], higher)))


if __name__ == "__main__":
    main()
