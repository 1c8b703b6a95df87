#!/usr/bin/env python3
"""-gdb and -S: Debian's gdb-multiarch debugs the Linux guest through the
stub (system/gdbstub.c).  The CPU waits for GDB; GDB stops it at the
kernel's entry, reads registers (the hart id and the device tree the
firmware hands Linux) and memory (the Image's first bytes), steps, writes
the pc and memory; then lets Linux boot, interrupts it at the shell, reads
kernel code through the guest's page tables, stops at a breakpoint there
when a key wakes the guest, and detaches: the guest runs on.  A client
sending garbage changes nothing; a second GDB kills the emulator.
Usage: gdb.py GUEST_DIR LABEL EMULATOR-ARGV...
Prints 'ok LABEL/<check>' or 'not ok LABEL/<check> <why>' lines."""
import os
import random
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from console import Console, guest_args  # noqa: E402
from linux_boot import BOOT_TIMEOUT, PROMPT, result, session  # noqa: E402
from net import free_port, wait_listening  # noqa: E402

KERNEL_ENTRY = 0x80200000   # where OpenSBI's fw_dynamic starts the Image


class Gdb:
    """gdb-multiarch driven through a pipe: each command is followed by an
    echo of a marker, and its output is what comes before the marker."""

    def __init__(self):
        self.con = Console(["gdb-multiarch", "-q", "-nx"])
        self.count = 0
        self.cmd("set confirm off\nset pagination off\nset architecture riscv:rv64")

    def cmd(self, command, timeout=60):
        self.count += 1
        mark = "@@done-%d@@" % self.count
        self.con.send("%s\necho %s\\n\n" % (command, mark))
        return self.con.expect(re.escape(mark).encode(), timeout)

    def wait_for(self, text, timeout=30):
        """Output until text shows (GDB reports a stop when it comes, after
        the command that caused it has returned)."""
        deadline, out = time.time() + timeout, ""
        while text not in out and time.time() < deadline:
            out += self.cmd("echo")
            time.sleep(0.1)
        return out

    def value(self, expression):
        out = self.cmd("printf \"=%%lx=\\n\", %s" % expression)
        found = re.search(r"=([0-9a-f]+)=", out)
        return int(found.group(1), 16) if found else None

    def close(self):
        self.con.kill()


def garbage_client(port):
    """Junk, bad checksums, an oversized packet and requests out of range,
    then a valid '?': the stub must still answer it."""
    rng = random.Random(7)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        junk = [bytes(rng.randrange(256) for _ in range(2000)),
                b"$g#00", b"$m0,ffffffffffffffff#00", b"$" + b"A" * 10000 + b"#00",
                b"$Z0,zz#00", b"$P1000=ff#00", b"$\x03\x03#", b"+-+-"]
        for packet in junk:
            s.sendall(packet)
        for body in (b"m0,ffffffff", b"mffffffffffffffff,10", b"M80000000,2:zz",
                     b"p99999999", b"Z5,80200000,2", b"qXfer:features:read:x:0,10",
                     b"G" + b"0" * 5):
            s.sendall(b"$%s#%02x" % (body, sum(body) & 0xff))
        s.sendall(b"$?#3f")
        data, deadline = b"", time.time() + 10
        while b"$T05" not in data and time.time() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return b"$T05" in data


def stop_at_entry(label, gdb, emu, image):
    gdb.cmd("break *0x%x" % KERNEL_ENTRY)
    gdb.cmd("continue", timeout=BOOT_TIMEOUT)
    pc = gdb.value("$pc")
    result(label, "gdb-breakpoint", pc == KERNEL_ENTRY and b"wasmu guest" not in emu.buf,
           "pc %s" % (pc if pc is None else hex(pc)))
    a0, a1 = gdb.value("$a0"), gdb.value("$a1")
    result(label, "gdb-registers", a0 == 0 and a1 is not None and 0x80000000 <= a1 < 0x90000000,
           "a0 %s a1 %s" % (a0, a1))
    satp, misa = gdb.value("$satp"), gdb.value("$misa")
    result(label, "gdb-csrs", satp == 0 and misa is not None and misa >> 62 == 2 and
           misa & 0x14112d == 0x14112d,   # RV64 IMAFDC, S and U: the MMU still off
           "satp %s misa %s" % (satp, misa))
    out = gdb.cmd("x/8xb 0x%x" % KERNEL_ENTRY)
    seen = bytes(int(b, 16) for b in re.findall(r"0x([0-9a-f]{2})\b", out.split(":", 1)[-1]))
    result(label, "gdb-memory-read", seen == image[:8], "%r vs %r" % (seen, image[:8]))


def step_and_write(label, gdb):
    gdb.cmd("stepi")
    after_step = gdb.value("$pc")
    result(label, "gdb-step", after_step in (KERNEL_ENTRY + 2, KERNEL_ENTRY + 4),
           "pc %s" % after_step)
    gdb.cmd("set $pc = 0x%x" % KERNEL_ENTRY)   # the CPU takes it: the same step again
    gdb.cmd("stepi")
    result(label, "gdb-register-write", gdb.value("$pc") == after_step)
    word = KERNEL_ENTRY + 0x38   # in the Image header, read once by then
    original = gdb.value("*(unsigned int *)0x%x" % word)
    gdb.cmd("set {unsigned int}0x%x = 0x12345678" % word)
    changed = gdb.value("*(unsigned int *)0x%x" % word)
    gdb.cmd("set {unsigned int}0x%x = 0x%x" % (word, original or 0))
    result(label, "gdb-memory-write",
           changed == 0x12345678 and gdb.value("*(unsigned int *)0x%x" % word) == original,
           "read back %s" % changed)


def interrupt_in_linux(label, gdb, emu):
    gdb.cmd("delete")
    gdb.cmd("continue &")
    emu.expect(PROMPT, BOOT_TIMEOUT)
    out = gdb.cmd("interrupt") + gdb.wait_for("SIGINT")
    pc = gdb.value("$pc")
    result(label, "gdb-interrupt", "SIGINT" in out and pc is not None and pc >= 0xffffffff00000000,
           out[-200:])
    out = gdb.cmd("x/2i $pc")
    result(label, "gdb-virtual-memory", "Cannot access" not in out and "0xffffffff" in out, out[-200:])
    satp = gdb.value("$satp")
    gdb.cmd("set $sscratch = 0x1234")   # (0 while Linux runs in the kernel)
    gdb.cmd("maint flush register-cache")   # read back from the stub, not GDB's copy
    written = gdb.value("$sscratch")
    gdb.cmd("set $sscratch = 0")
    result(label, "gdb-csr-write", satp is not None and satp >> 60 in (8, 9, 10) and
           written == 0x1234 and gdb.value("$sscratch") == 0,
           "satp %s sscratch %s" % (satp, written))
    gdb.cmd("break *$pc")
    gdb.cmd("continue &")
    time.sleep(0.5)
    emu.send("echo typed\n")   # wakes the guest, which runs its idle code again
    out = gdb.wait_for("Breakpoint 2,")
    result(label, "gdb-breakpoint-virtual", "Breakpoint 2," in out, out[-200:])
    gdb.cmd("delete")
    gdb.cmd("detach")
    emu.expect(rb"\ntyped\r?\n", 30)   # the command ran once the guest went on
    emu.expect(PROMPT, 30)


def main():
    guest, label, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(os.path.join(guest, "Image"), "rb") as f:
        image = f.read(8)
    port = free_port()
    emu = Console(argv + guest_args(guest) + ["-gdb", "tcp:127.0.0.1:%d" % port, "-S"])
    gdb = None
    with session(label, emu):
        if not result(label, "gdb-listening", wait_listening(port)):
            return
        gdb = Gdb()
        out = gdb.cmd("target remote 127.0.0.1:%d" % port)
        time.sleep(0.5)
        result(label, "gdb-S-waits", "Remote debugging" in out and not emu.buf,
               "console before continue: %r" % emu.buf[-100:])
        stop_at_entry(label, gdb, emu, image)
        step_and_write(label, gdb)
        interrupt_in_linux(label, gdb, emu)
        gdb.close()
        out = emu.run("echo $((6*7))")
        result(label, "gdb-detach-runs-on", "42" in out, out)
        answered = garbage_client(port)
        out = emu.run("echo $((6*8))")
        result(label, "gdb-garbage", answered and "48" in out, "answered %s: %r" % (answered, out))
        gdb = Gdb()
        gdb.cmd("target remote 127.0.0.1:%d" % port)
        gdb.cmd("kill")
        result(label, "gdb-kill", emu.wait_exit(10) == 0)
    if gdb:
        gdb.close()


if __name__ == "__main__":
    main()
