#!/usr/bin/env python3
"""Linux on a big machine: 3 GiB of RAM (under Node past 2 GiB of linear
memory, where the emulator's own buffers then live too: file reads, the
console, the Wasm tier's module bytes) and a 5 GiB disk, written at 3 GiB
and at 4 GiB + 512 (emcc's own pwrite took the offset modulo 4 GiB, as a
signed number: the second write landed on sector 1).
Usage: big_machine.py GUEST_DIR LABEL EMULATOR-ARGV...
Prints 'ok LABEL/<check>' or 'not ok LABEL/<check> <why>' lines."""
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from console import Console, guest_args  # noqa: E402
from linux_boot import BOOT_TIMEOUT, result, session  # noqa: E402

GiB = 1 << 30
MARKS = {3 * GiB: b"mark-at-3g", 4 * GiB + 512: b"mark-at-4g+512"}
# Hot enough for the Wasm tier, whose module bytes now sit past 2 GiB.
LUA = "lua -e 'local s = 0 for i = 1, 3000000 do s = (s * 31 + i) % 1000003 end print(s)'"


def lua_reference():
    s = 0
    for i in range(1, 3000001):
        s = (s * 31 + i) % 1000003
    return str(s)


def main():
    guest, label, emu = sys.argv[1], sys.argv[2], sys.argv[3:]
    work = tempfile.mkdtemp(prefix="wasmu-big-")
    disk = os.path.join(work, "big.img")
    with open(disk, "wb") as f:
        f.truncate(5 * GiB)   # sparse
    argv = emu + guest_args(guest) + ["-d", "jit-stats",
                                      "-drive", "if=virtio,format=raw,file=" + disk]
    argv[argv.index("-m") + 1] = "3G"
    log = os.path.join(work, "console.log")
    con = Console(argv, log)
    with session(label, con):
        con.wait_for_shell(BOOT_TIMEOUT)
        out = con.run("grep MemTotal /proc/meminfo")
        kib = re.search(r"MemTotal:\s+(\d+) kB", out)
        result(label, "3g-ram", kib and int(kib.group(1)) > 2900 * 1024, repr(out))
        out = con.run(LUA)
        result(label, "3g-lua", out.strip().split("\n")[-1] == lua_reference(), repr(out))
        for offset, mark in MARKS.items():
            con.run("echo %s | dd of=/dev/vda bs=512 seek=%d conv=notrunc 2>/dev/null"
                    % (mark.decode(), offset // 512))
        out = con.run("sync; echo 3 > /proc/sys/vm/drop_caches; for s in %s; do "
                      "dd if=/dev/vda bs=512 skip=$s count=1 2>/dev/null | head -c 14; echo; done"
                      % " ".join(str(o // 512) for o in MARKS))
        result(label, "5g-disk-reads-back", all(m.decode() in out for m in MARKS.values()),
               repr(out))
        con.send("poweroff\n")
        status = con.wait_exit(120)
        result(label, "3g-poweroff", status == 0, "exit status %s" % status)
        while con._read(0.2):   # what it printed on its way out: -d jit-stats
            pass
    with open(disk, "rb") as f:
        found = {}
        for offset, mark in list(MARKS.items()) + [(512, b"")]:
            f.seek(offset)
            found[offset] = f.read(len(mark) or 16)
    result(label, "5g-disk-offsets",
           all(found[o] == m for o, m in MARKS.items()) and found[512] == bytes(16),
           repr(found))
    text = con.buf.decode(errors="replace")
    stats = re.search(r"wasm_compiled=(\d+)", text)
    if os.path.basename(emu[0]) == "node":   # hot code compiled, all of it installed
        result(label, "3g-wasm-tier",
               stats and int(stats.group(1)) > 0 and "compile failed" not in text,
               stats.group(0) if stats else repr(text[-300:]))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
