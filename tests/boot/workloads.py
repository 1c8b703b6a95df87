#!/usr/bin/env python3
"""Real programs inside the Linux guest must compute the right thing: xz and
zstd (from the read-only bench disk, see guest/build.sh) compress busybox
and decompress it again, and the result must be busybox byte for byte;
Lua's benchmark script must print its checksum (the one qemu-system-riscv64
prints too, bench/guest_workloads.py).  Each runs
twice in one boot (the second run meets the code the first one compiled).
Usage: workloads.py GUEST_DIR LABEL EMULATOR-ARGV...

Prints 'ok LABEL/<check>' or 'not ok LABEL/<check> <why>' lines."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from console import Console, guest_args  # noqa: E402
from linux_boot import BOOT_TIMEOUT, result, session  # noqa: E402

LUA_CHECKSUM = "checksum 139104 5001 108893"   # guest/bench/bench.lua's result
ROUNDTRIPS = [
    ("xz", "/mnt/xz -T1 -3 -c /bin/busybox > /tmp/c && /mnt/xz -d -c /tmp/c | md5sum"),
    ("zstd", "/mnt/zstd -q -3 -c /bin/busybox > /tmp/c && /mnt/zstd -q -d -c /tmp/c | md5sum"),
]


def md5_of(out):
    found = re.search(r"\b([0-9a-f]{32})\b", out)
    return found.group(1) if found else None


def main():
    guest, label, emu = sys.argv[1], sys.argv[2], sys.argv[3:]
    disk = "if=virtio,format=raw,readonly=on,file=" + os.path.join(guest, "bench.ext2")
    con = Console(emu + guest_args(guest) + ["-drive", disk])
    with session(label, con):
        con.wait_for_shell(BOOT_TIMEOUT)
        out = con.run("mount -o ro /dev/vda /mnt && echo mounted-$((1+1))")
        if not result(label, "bench-disk", "mounted-2" in out, repr(out)):
            return
        original = md5_of(con.run("md5sum /bin/busybox"))
        for name, command in ROUNDTRIPS:
            for run in ("first", "again"):
                out = con.run(command, timeout=300)
                result(label, "%s-roundtrip-%s" % (name, run),
                       original is not None and md5_of(out) == original,
                       "%r vs busybox %s" % (out[-120:], original))
        for run in ("first", "again"):
            out = con.run("lua /root/bench.lua", timeout=300)
            result(label, "lua-checksum-" + run, LUA_CHECKSUM in out, repr(out[-120:]))
        con.poweroff()


if __name__ == "__main__":
    main()
