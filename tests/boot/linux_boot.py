#!/usr/bin/env python3
"""Boot test: Linux + busybox on the virt machine, checked through the
console: the shell, the RTC, the disk across reboot and restart, two disks and
-snapshot (with QEMU's -drive + -device form), which must leave
the images as they were.  Usage: linux_boot.py GUEST_DIR LABEL EMULATOR-ARGV...

Prints 'ok LABEL/<check>' or 'not ok LABEL/<check> <why>' lines."""
import contextlib
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from console import Console, guest_args  # noqa: E402

PROMPT = rb"~ # "
BOOT_TIMEOUT = float(os.environ.get("WASMU_BOOT_TIMEOUT", "300"))


def result(label, name, ok, why=""):
    print(("ok %s/%s" % (label, name)) if ok else
          ("not ok %s/%s %s" % (label, name, why)), flush=True)
    return ok


@contextlib.contextmanager
def session(label, con):
    """A console session: timing out or the emulator ending early is the
    failed check LABEL/session; the emulator is killed at its end."""
    try:
        yield con
    except (TimeoutError, EOFError) as e:
        result(label, "session", False, str(e).replace("\n", " ")[:400])
    finally:
        con.kill()


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def boot(emu, guest, disk, log):
    argv = emu + guest_args(guest) + ["-drive", "if=virtio,format=raw,file=" + disk]
    return Console(argv, log)


def file_md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def check_snapshot(label, emu, guest, disk, work, log, token):
    """-snapshot, with a second disk: vda is the image attached by QEMU's
    -drive + -device form (no if=: the -device claims it, as in QEMU's riscv
    docs), vdb a raw one by if=virtio after it.
    The guest reads the images and its own writes back (after a remount,
    from the device), and the image files stay as they were."""
    raw = os.path.join(work, "raw.img")
    with open(raw, "wb") as f:
        f.write(b"second-disk-%s\n" % token.encode() + bytes(65536))
    before = file_md5(disk), file_md5(raw)
    argv = emu + guest_args(guest) + [
        "-snapshot", "-drive", "file=%s,format=raw,id=hd0" % disk,   # (QEMU's riscv docs' form)
        "-device", "virtio-blk-device,drive=hd0",
        "-drive", "if=virtio,format=raw,file=" + raw]
    con = Console(argv, log)
    try:
        con.wait_for_shell(BOOT_TIMEOUT)
        out = con.run("mount /dev/vda /mnt && cat /mnt/persist.txt")
        result(label, "device-form-disk", token in out, repr(out))
        out = con.run("head -c 30 /dev/vdb; echo; echo overwritten | dd of=/dev/vdb 2>/dev/null; sync")
        result(label, "second-disk", "second-disk-" + token in out, repr(out))
        out = con.run("echo snap-$((6*7)) > /mnt/persist.txt && "
                      "dd if=/dev/urandom of=/mnt/r bs=1k count=2000 2>/dev/null && "
                      "md5sum /mnt/r && sync && umount /mnt && mount /dev/vda /mnt && "
                      "cat /mnt/persist.txt && md5sum /mnt/r")
        sums = [w for w in out.split() if len(w) == 32]
        result(label, "snapshot-reads-its-writes",
               "snap-42" in out and len(sums) == 2 and sums[0] == sums[1], repr(out))
        con.run("umount /mnt")
        con.send("poweroff\n")
        con.wait_exit(120)
    finally:
        con.kill()
    result(label, "snapshot-images-unchanged", (file_md5(disk), file_md5(raw)) == before)


def main():
    guest, label, emu = sys.argv[1], sys.argv[2], sys.argv[3:]
    work = tempfile.mkdtemp(prefix="wasmu-boot-")
    disk = os.path.join(work, "disk.ext2")
    shutil.copy(os.path.join(guest, "disk.ext2"), disk)
    token = "persist-%08x" % random.getrandbits(32)
    log = os.path.join(work, "console.log")
    con = boot(emu, guest, disk, log)
    try:
        start = time.time()
        con.wait_for_shell(BOOT_TIMEOUT)
        result(label, "boot-to-prompt", True)
        print("# %s: boot to prompt %.1f s" % (label, time.time() - start))
        out = con.run("uname -m")
        result(label, "uname-m", out.strip() == "riscv64", repr(out))
        out = con.run("uname -a")
        result(label, "uname-a", "Linux" in out and "riscv64" in out, repr(out))
        # the Goldfish RTC: Linux set its clock from the host's at boot
        out = con.run("date +%s")
        skew = abs(int(out.strip()) - time.time()) if out.strip().isdigit() else None
        result(label, "rtc-wall-clock", skew is not None and skew < 120, repr(out))
        out = con.run("cat /proc/cpuinfo")
        result(label, "cpuinfo-isa", "rv64imafdc" in out, repr(out[-200:]))
        # An idle guest (its timer ticking at 250 Hz) must leave the host
        # idle too: waiting out a tick less than 1 ms away spun ~22% of a
        # core; now ~4%.  (Not under jit-threshold=0, whose compiles of
        # every new TB are host work of their own.)
        if os.environ.get("WASMU_IDLE_CHECK", "1") == "1":
            before = cpu_seconds(con.proc.pid)
            con.run("sleep 3")
            busy = (cpu_seconds(con.proc.pid) - before) / 3
            result(label, "idle-guest-idle-host", busy < 0.12,
                   "%.0f%% of a core while the guest sleeps" % (100 * busy))
        out = con.run("lua -e 'print(string.format(\"%.3f\", math.sqrt(2) * 1000))'")
        result(label, "lua-userland-fp", out.strip() == "1414.214", repr(out))
        out = con.run("mount /dev/vda /mnt && cat /mnt/hello.txt")
        result(label, "disk-read", "hello from the wasmu disk" in out, repr(out))
        out = con.run("echo %s > /mnt/persist.txt && sync && umount /mnt && echo written"
                      % token)
        result(label, "disk-write", "written" in out, repr(out))
        # a time set in the RTC (hwclock -w) is what the next boot reads
        con.run("date -s '2030-01-02 03:04:05' >/dev/null && hwclock -w")
        con.send("reboot\n")
        con.wait_for_shell(BOOT_TIMEOUT)   # booted again
        out = con.run("mount /dev/vda /mnt && cat /mnt/persist.txt")
        result(label, "disk-survives-reboot", token in out, repr(out))
        out = con.run("date +%Y-%m-%d")
        result(label, "rtc-set-survives-reboot", out.strip() == "2030-01-02", repr(out))
        con.run("umount /mnt")
        con.send("poweroff\n")
        status = con.wait_exit(120)
        result(label, "poweroff-exit-0", status == 0, "exit status %s" % status)
        # A second emulator process sees what the first one wrote.
        con2 = boot(emu, guest, disk, log + ".2")
        try:
            con2.wait_for_shell(BOOT_TIMEOUT)
            out = con2.run("mount /dev/vda /mnt && cat /mnt/persist.txt")
            result(label, "disk-survives-restart", token in out, repr(out))
            con2.send("poweroff\n")
            con2.wait_exit(120)
        finally:
            con2.kill()
        check_snapshot(label, emu, guest, disk, work, log + ".3", token)
    except (TimeoutError, EOFError) as e:
        result(label, "session", False, str(e).replace("\n", " ")[:400])
    finally:
        con.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
