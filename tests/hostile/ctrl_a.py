#!/usr/bin/env python3
"""Ctrl-A x on the emulator's terminal ends it within seconds, whatever its
guest does (tests/hostile/traploop.c traps for ever).
Usage: ctrl_a.py LABEL EMULATOR-ARGV...  Prints 'ok LABEL' or 'not ok LABEL why'."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "boot"))
from console import Terminal  # noqa: E402


def main():
    label, argv = sys.argv[1], sys.argv[2:]
    term = Terminal(argv + ["-nographic"])
    try:
        term.quiet_for(3)   # the guest is in its trap loop by then
        if term.proc.poll() is not None:
            print("not ok %s exited by itself (%s): %r" % (label, term.proc.returncode,
                                                          term.buf[-200:]))
            return
        term.send(b"\x01x")
        term.quiet_for(10)   # (ends early when the emulator closes its terminal)
        try:
            term.proc.wait(5)
        except subprocess.TimeoutExpired:
            print("not ok %s Ctrl-A x did not end it: %r" % (label, term.buf[-200:]))
            return
        if b"Ctrl-A x" not in term.buf:
            print("not ok %s exit %s without the message: %r" % (label, term.proc.returncode,
                                                                  term.buf[-200:]))
        else:
            print("ok %s" % label)
    finally:
        term.close()


if __name__ == "__main__":
    main()
