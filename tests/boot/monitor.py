#!/usr/bin/env python3
"""-nographic on a terminal: QEMU's Ctrl-A escapes and monitor.  Linux
boots; Ctrl-A h lists the escapes; Ctrl-A c gives "(qemu)", where info
registers shows the CPU, xp reads the kernel's first bytes from RAM and x
the same through the kernel's page tables, gdbserver starts the GDB stub
(a client's '?' gets a stop reply; it leaves, the guest runs on), stop
pauses the guest (a command typed to it meanwhile does not run) and cont
resumes it (the command runs), system_reset boots Linux again, and quit
ends the emulator with status 0.
Usage: monitor.py GUEST_DIR LABEL EMULATOR-ARGV...
Prints 'ok LABEL/<check>' or 'not ok LABEL/<check> <why>' lines."""
import os
import re
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from console import Terminal, guest_args  # noqa: E402
from net import free_port, wait_listening  # noqa: E402
from linux_boot import BOOT_TIMEOUT, result  # noqa: E402

KERNEL_ENTRY = 0x80200000


def monitor(term, command):
    """Run a monitor command; its output."""
    term.send(command.encode() + b"\r")
    return term.expect(rb"\(qemu\) ", 30)


def checks(label, term, image):
    term.expect(rb"wasmu guest: Linux", BOOT_TIMEOUT)
    term.expect(rb"~ # ", BOOT_TIMEOUT)
    term.send(b"\x01h")
    out = term.expect(rb"C-a C-a", 10)
    result(label, "escapes-help", "C-a x" in out and "C-a c" in out, repr(out))
    term.send(b"\x01c")
    term.expect(rb"\(qemu\) ", 10)
    out = monitor(term, "info registers")
    pc = re.search(r"\bpc\s+([0-9a-f]{16})", out)
    satp = re.search(r"\bsatp\s+([0-9a-f]{16})", out)
    result(label, "monitor-info-registers",
           pc is not None and " sp " in out and satp is not None and
           int(satp.group(1), 16) >> 60 in (8, 9, 10),   # Linux's page tables on
           repr(out[-300:]))
    out = monitor(term, "xp /2xw 0x%x" % KERNEL_ENTRY)
    words = ["0x%08x" % w for w in struct.unpack("<2I", image[:8])]
    result(label, "monitor-xp", all(w in out for w in words), "%r, want %s" % (out, words))
    out = monitor(term, "x /2xw 0xffffffff80000000")   # the kernel's own mapping of it
    result(label, "monitor-x-virtual", all(w in out for w in words), "%r, want %s" % (out, words))
    port = free_port()
    out = monitor(term, "gdbserver tcp:127.0.0.1:%d" % port)
    answered = b""
    if "Waiting for gdb connection" in out and wait_listening(port):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"$?#3f")
            deadline = time.time() + 10
            while b"$T05" not in answered and time.time() < deadline:
                answered += s.recv(4096)
    result(label, "monitor-gdbserver", b"$T05" in answered, "%r %r" % (out, answered))
    out = monitor(term, "stop") + monitor(term, "info status")
    result(label, "monitor-stop", "paused" in out, repr(out))
    term.send(b"\x01c")                       # back to the guest, which is paused
    term.send(b"echo $((6*7))x\r")
    quiet = term.quiet_for(2)
    result(label, "monitor-paused-guest-waits", b"42x" not in quiet, repr(quiet))
    term.send(b"\x01c")
    term.expect(rb"\(qemu\) ", 10)
    monitor(term, "cont")
    term.send(b"\x01c")
    term.expect(rb"42x", 30)
    result(label, "monitor-cont", True)
    term.expect(rb"~ # ", 30)
    term.send(b"\x01c")
    term.expect(rb"\(qemu\) ", 10)
    term.send(b"system_reset\r")
    term.send(b"\x01c")
    term.expect(rb"wasmu guest: Linux", BOOT_TIMEOUT)
    term.expect(rb"~ # ", BOOT_TIMEOUT)
    result(label, "monitor-system-reset", True)
    term.send(b"\x01c")
    term.expect(rb"\(qemu\) ", 10)
    term.send(b"quit\r")
    try:
        status = term.proc.wait(10)
    except subprocess.TimeoutExpired:
        status = None
    result(label, "monitor-quit", status == 0, "status %s" % status)


def main():
    guest, label, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(os.path.join(guest, "Image"), "rb") as f:
        image = f.read(8)
    term = Terminal(argv + guest_args(guest))
    try:
        checks(label, term, image)
    except (TimeoutError, EOFError) as e:
        result(label, "monitor-session", False, str(e)[:400])
    finally:
        term.close()


if __name__ == "__main__":
    main()
