#!/usr/bin/env python3
"""Ctrl-A x on the emulator's terminal ends it within seconds, whatever its
guest does (tests/hostile/traploop.c traps for ever).
Usage: ctrl_a.py LABEL EMULATOR-ARGV...  Prints 'ok LABEL' or 'not ok LABEL why'."""
import os
import pty
import select
import subprocess
import sys
import time


def main():
    label, argv = sys.argv[1], sys.argv[2:]
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv + ["-nographic"], stdin=slave, stdout=slave,
                            stderr=slave, close_fds=True)
    os.close(slave)
    output = b""

    def read_for(seconds):
        nonlocal output
        deadline = time.time() + seconds
        while time.time() < deadline and proc.poll() is None:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    output += os.read(master, 4096)
                except OSError:
                    break

    read_for(3)   # the guest is in its trap loop by then
    if proc.poll() is not None:
        print("not ok %s exited by itself (%s): %r" % (label, proc.returncode, output[-200:]))
        return
    os.write(master, b"\x01x")
    read_for(10)
    try:
        proc.wait(5)   # (its terminal may close before it is gone)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        print("not ok %s Ctrl-A x did not end it: %r" % (label, output[-200:]))
        return
    if b"Ctrl-A x" not in output:
        print("not ok %s exit %s without the message: %r" % (label, proc.returncode, output[-200:]))
    else:
        print("ok %s" % label)
    os.close(master)


if __name__ == "__main__":
    main()
