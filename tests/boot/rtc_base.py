#!/usr/bin/env python3
"""-rtc base=DATE: Linux boots with its clock at that date, and it runs on.
Usage: rtc_base.py GUEST_DIR LABEL EMULATOR-ARGV...
Prints 'ok LABEL/rtc-base-date' or 'not ok LABEL/<check> <why>'."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from console import Console, guest_args  # noqa: E402
from linux_boot import BOOT_TIMEOUT, result, session  # noqa: E402


def main():
    guest, label, emu = sys.argv[1], sys.argv[2], sys.argv[3:]
    con = Console(emu + guest_args(guest) + ["-rtc", "base=2021-02-03T04:05:06"])
    with session(label, con):
        con.wait_for_shell(BOOT_TIMEOUT)
        out = con.run("date -u '+%F %T'").strip()
        # the boot took some seconds of that clock, not minutes
        result(label, "rtc-base-date", "2021-02-03 04:05:06" <= out <= "2021-02-03 04:06:06",
               repr(out))
        con.poweroff()


if __name__ == "__main__":
    main()
