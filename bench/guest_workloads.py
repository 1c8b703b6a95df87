#!/usr/bin/env python3
"""CPU workloads inside the Linux guest, built from Debian sources (see
guest/build.sh; zstd and xz on the read-only disk bench.ext2), on the same
kernel, initramfs and disk for every emulator:
qemu-system-riscv64 -M virt, wasmu native (interpreter tier), wasmu
under Node with the Wasm tier on and with the interpreter alone, and the
web page in headless Chromium with the Wasm tier (bench/browser_guest.js).

  lua   Lua 5.4 running guest/bench/bench.lua      host-timed, seconds
  xz    xz -3 of /bin/busybox, then xz -d | md5sum  host-timed, seconds
  zstd  zstd -3 of /bin/busybox, then zstd -d | md5sum, three times each
                                                    host-timed, seconds

Host-timed: from sending the command line to reading its end on the
console pipe; in the page, from its Enter reaching the worker to its end
coming back to the page (bench/browser_guest.js).

Each workload runs twice in the same boot: the first run pays for
translating (and, on the Wasm tier, compiling) its code, the second shows
the steady state.  The emulators take turns, BENCH_ROUNDS times (default
2), and each figure is the best of its rounds: this machine's speed drifts
by tens of percent over minutes, and one emulator measured during a slow
spell skewed its ratios.  Each also prints a result that must agree across
emulators (a checksum, a compressed size), so a wrong emulation cannot pass
as a fast one.  Prints each figure and its ratio to QEMU's speed (higher is
faster), the Wasm tier's speed over the interpreter alone, and the guest
instructions each run retires (counted by wasmu native, -d jit-stats) over
its time: each emulator's guest instructions per second."""
import json
import os
import re
import subprocess
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
    ("zstd", "for i in 1 2 3; do /mnt/zstd -q -3 -c /bin/busybox > /tmp/b.zst; done; "
             "wc -c < /tmp/b.zst; for i in 1 2 3; do /mnt/zstd -q -d -c /tmp/b.zst | md5sum; "
             "done | uniq",
     r"\d+\s+[0-9a-f]{32}"),
]


RUNS = ("first", "again")
MOUNT = "mount -o ro /dev/vda /mnt && echo mounted-$((1+1))"


def agreed_result(name, pattern, out):
    """The part of a workload's output that must agree across emulators."""
    result = re.search(pattern, out)
    if not result:
        raise RuntimeError("%s: no result in %r" % (name, out[-300:]))
    return " ".join(result.group(0).split())


def run_workloads(argv):
    """Boot once, run every workload twice; returns
    {(name, run): (seconds, result)}."""
    con = Console(argv)
    found = {}
    try:
        con.wait_for_shell(300)
        out = con.run(MOUNT)
        if "mounted-2" not in out:
            raise RuntimeError("bench disk did not mount: %r" % out)
        for name, command, agreed in WORKLOADS:
            for run in RUNS:
                start = time.time()
                con.send("%s; %s\n" % (command, MARK_COMMAND))
                out = con.expect(re.escape(MARK).encode(), 900)
                elapsed = time.time() - start
                found[(name, run)] = (elapsed, agreed_result(name, agreed, out))
        con.poweroff()
    finally:
        con.kill()
    return found


def guest_instructions(argv):
    """The guest instructions each workload run retires, counted by wasmu
    (-d jit-stats): boots with the workload run never, once and twice, so
    that first = once - never and again = twice - once.  Returns
    {(name, run): instructions}."""
    def count(workload):
        con = Console(argv + ["-d", "jit-stats"])
        try:
            con.wait_for_shell(300)
            con.run(MOUNT)
            for _ in range(workload[1] if workload else 0):
                con.send("%s; %s\n" % (workload[0], MARK_COMMAND))
                con.expect(re.escape(MARK).encode(), 900)
            con.poweroff()
        finally:
            con.kill()
        stats = re.search(rb"jit-stats: insns=(\d+)", con.buf)
        if not stats:
            raise RuntimeError("no jit-stats: %r" % con.buf[-300:])
        return int(stats.group(1))
    never = count(None)
    found = {}
    for name, command, _ in WORKLOADS:
        once, twice = count((command, 1)), count((command, 2))
        found[(name, "first")], found[(name, "again")] = once - never, twice - once
    return found


def run_workloads_chromium(guest, disk, jit):
    """The same in the page, in headless Chromium (bench/browser_guest.js)."""
    plan = [(name, run, command, agreed) for name, command, agreed in WORKLOADS
            for run in RUNS]
    commands = [MOUNT] + [command for _, _, command, _ in plan]
    script = os.path.join(os.path.dirname(__file__), "browser_guest.js")
    done = subprocess.run(["node", script, guest, disk, "jit=" + jit],
                          input=json.dumps(commands), capture_output=True, text=True,
                          timeout=3600)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if len(lines) != len(commands) or "mounted-2" not in lines[0]["output"]:
        raise RuntimeError("chromium run failed: %s %s" % (done.stdout[-300:], done.stderr[-300:]))
    found = {}
    for (name, run, _, agreed), line in zip(plan, lines[1:]):
        found[(name, run)] = (line["seconds"], agreed_result(name, agreed, line["output"]))
    return found


def main():
    guest = sys.argv[1]
    common = guest_args(guest)
    disk = "format=raw,readonly=on,file=" + os.path.join(guest, "bench.ext2")
    # QEMU's if=virtio is PCI on virt; the guest kernel has virtio-mmio only
    qemu_disk = ["-drive", "if=none,id=bench," + disk, "-device", "virtio-blk-device,drive=bench"]
    wasmu_disk = ["-drive", "if=virtio," + disk]
    node = ["node", "--no-experimental-fetch", "build/wasm/wasmu-node.js"]
    runs = [("qemu-system-riscv64 -M virt", ["qemu-system-riscv64", "-M", "virt", "-bios", "default"] + common + qemu_disk),
            ("wasmu native (interpreter)", ["build/native/wasmu-system-riscv64"] + common + wasmu_disk),
            ("wasmu node, wasm tier", node + common + wasmu_disk + ["-accel", "tcg,jit=on"]),
            ("wasmu node, interpreter", node + common + wasmu_disk + ["-accel", "tcg,jit=off"])]
    runs += [("wasmu chromium, wasm tier", "on")]
    rounds = int(os.environ.get("BENCH_ROUNDS", "2"))
    results, seen = {}, {}   # the best time of each; every result given
    for _ in range(rounds):
        for emu, argv in runs:
            found = (run_workloads(argv) if isinstance(argv, list)
                     else run_workloads_chromium(guest, "bench.ext2", argv))
            best = results.setdefault(emu, dict(found))
            for key, (seconds, agreed) in found.items():
                seen.setdefault((emu, key), set()).add(agreed)
                if seconds < best[key][0]:
                    best[key] = (seconds, agreed)
    print("# best of %d rounds, the emulators taking turns" % rounds)
    for emu, found in results.items():
        for (name, run), (seconds, agreed) in found.items():
            print("%-30s %-5s %-6s %7.2f s  (%s)" % (emu, name, run, seconds, agreed), flush=True)
    qemu = results[runs[0][0]]
    for emu, found in results.items():
        for key in found:
            if seen[(emu, key)] != {qemu[key][1]}:
                print("MISMATCH %s %s: %s vs QEMU's %s" % (emu, key, sorted(seen[(emu, key)]),
                                                         qemu[key][1]))
        print("%-30s %s" % (emu, "  ".join(
            "%s/%s %.2fx" % (name, run, qemu[(name, run)][0] / found[(name, run)][0])
            for name, _, _ in WORKLOADS for run in RUNS)), "(speed relative to QEMU)")
    tier, interp = results[runs[2][0]], results[runs[3][0]]
    print("wasm tier over interpreter (node)", "  ".join(
        "%s/%s %.2fx" % (name, run, interp[(name, run)][0] / tier[(name, run)][0])
        for name, _, _ in WORKLOADS for run in RUNS))
    insns = guest_instructions(runs[1][1])
    print("guest instructions (wasmu native)", "  ".join(
        "%s/%s %.0fM" % (name, run, insns[(name, run)] / 1e6)
        for name, _, _ in WORKLOADS for run in RUNS))
    for emu, found in results.items():
        print("%-30s %s" % (emu, "  ".join(
            "%s/%s %.2f" % (name, run, insns[(name, run)] / found[(name, run)][0] / 1e9)
            for name, _, _ in WORKLOADS for run in RUNS)), "(G guest instructions/s)")


if __name__ == "__main__":
    main()
