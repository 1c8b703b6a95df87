#!/usr/bin/env python3
"""-virtfs: Linux mounts a host directory over virtio-9p and works in it.
The guest's init mounts each share at /mnt/TAG; unmounted, it mounts again
by QEMU's documented command.
The guest reads what the host put there (a big file by checksum, a
directory of 300 entries, a change made while mounted), writes, renames,
removes, links, chmods and touches, runs a program copied there; the host
then finds every change in its directory.  A second share, attached with
QEMU's -fsdev + -device form and readonly=on, refuses writes.
Usage: virtfs.py GUEST_DIR LABEL EMULATOR-ARGV...
Prints 'ok LABEL/<check>' or 'not ok LABEL/<check> <why>' lines."""
import hashlib
import os
import shutil
import stat
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from console import Console, guest_args  # noqa: E402
from linux_boot import BOOT_TIMEOUT, result, session  # noqa: E402

MOUNT = "mount -t 9p -o trans=virtio,version=9p2000.L"   # (QEMU's documentation's)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make_share(root):
    share, ro = os.path.join(root, "share"), os.path.join(root, "ro")
    os.makedirs(os.path.join(share, "sub"))
    os.makedirs(os.path.join(share, "many"))
    os.makedirs(os.path.join(share, "emptydir"))
    os.makedirs(ro)
    with open(os.path.join(share, "hello.txt"), "w") as f:
        f.write("hello from the host\n")
    with open(os.path.join(share, "sub", "nested.txt"), "w") as f:
        f.write("nested\n")
    with open(os.path.join(share, "doomed.txt"), "w") as f:
        f.write("remove me\n")
    with open(os.path.join(share, "big.bin"), "wb") as f:
        f.write(os.urandom(3 * 1024 * 1024 + 123))
    for i in range(300):
        open(os.path.join(share, "many", "f%03d" % i), "w").close()
    with open(os.path.join(ro, "readme.txt"), "w") as f:
        f.write("read only\n")
    return share, ro


def guest_checks(label, con, share):
    run = con.run
    booted = con.buf.decode("utf-8", "replace")
    result(label, "virtfs-mounted-at-boot",
           "shared directory host0 at /mnt/host0" in booted and
           "shared directory ro at /mnt/ro" in booted, repr(booted[-300:]))
    out = run("umount /mnt/host0 && " + MOUNT + " host0 /mnt/host0 && echo MOUNTED")
    if not result(label, "virtfs-mount", "MOUNTED" in out, repr(out[-300:])):
        return False
    out = run("cat /mnt/host0/hello.txt /mnt/host0/sub/nested.txt")
    result(label, "virtfs-read", out == "hello from the host\nnested", repr(out))
    out = run("sha256sum /mnt/host0/big.bin; stat -c %s /mnt/host0/big.bin")
    result(label, "virtfs-read-big",
           out.split() == [sha256(os.path.join(share, "big.bin")), "/mnt/host0/big.bin",
                           str(3 * 1024 * 1024 + 123)], repr(out))
    out = run("ls /mnt/host0/many | wc -l; ls /mnt/host0/many | tail -n 1")
    result(label, "virtfs-readdir-300", out.split() == ["300", "f299"], repr(out))
    with open(os.path.join(share, "hello.txt"), "a") as f:
        f.write("changed by the host\n")
    out = run("tail -n 1 /mnt/host0/hello.txt")
    result(label, "virtfs-host-change-seen", out == "changed by the host", repr(out))
    steps = [
        "echo written by the guest > /mnt/host0/new.txt",
        "echo a second line >> /mnt/host0/new.txt",
        "dd if=/dev/urandom of=/mnt/host0/rand.bin bs=65536 count=24 2>/dev/null",
        "mkdir /mnt/host0/d1", "mv /mnt/host0/new.txt /mnt/host0/d1/moved.txt",
        "rm /mnt/host0/doomed.txt", "rmdir /mnt/host0/emptydir",
        "ln -s some/target /mnt/host0/lnk",
        "ln /mnt/host0/d1/moved.txt /mnt/host0/hard.txt",
        "chmod 751 /mnt/host0/d1/moved.txt",
        "touch -d '2020-01-02 03:04:05' /mnt/host0/d1/moved.txt",
        "truncate -s 5000 /mnt/host0/sub/nested.txt",
        "cp /bin/busybox /mnt/host0/busybox", "sync"]
    failed = [cmd for cmd in steps if run(cmd + " && echo DONE").split("\n")[-1] != "DONE"]
    result(label, "virtfs-write-ops", not failed, "failed: %r" % failed)
    out = run("readlink /mnt/host0/lnk; /mnt/host0/busybox echo ran-from-the-share")
    result(label, "virtfs-symlink-and-exec",
           out == "some/target\nran-from-the-share", repr(out))
    out = run("stat -c %h /mnt/host0/hard.txt; cat /mnt/host0/hard.txt")
    result(label, "virtfs-hard-link",
           out == "2\nwritten by the guest\na second line", repr(out))
    out = run("sha256sum /mnt/host0/rand.bin")
    guest_rand = out.split()[0] if out else ""
    out = run("touch /mnt/ro/x 2>&1; cat /mnt/ro/readme.txt")
    result(label, "virtfs-readonly",
           "Read-only file system" in out and "read only" in out, repr(out))
    out = run("umount /mnt/host0 && umount /mnt/ro && echo UNMOUNTED")
    result(label, "virtfs-umount", "UNMOUNTED" in out, repr(out))
    return guest_rand


def host_checks(label, share, ro, guest_rand):
    def path(*p):
        return os.path.join(share, *p)
    moved = path("d1", "moved.txt")
    ok = os.path.exists(moved) and open(moved).read() == \
        "written by the guest\na second line\n"
    result(label, "virtfs-host-sees-writes", ok and not os.path.exists(path("new.txt")),
           "moved.txt missing or wrong")
    result(label, "virtfs-host-sees-big-write",
           os.path.getsize(path("rand.bin")) == 24 * 65536 and
           sha256(path("rand.bin")) == guest_rand, "rand.bin differs")
    st = os.stat(moved)
    result(label, "virtfs-host-sees-attrs",
           stat.S_IMODE(st.st_mode) == 0o751 and
           os.path.getsize(path("sub", "nested.txt")) == 5000 and
           abs(st.st_mtime - 1577934245) < 86400 * 2,   # (the guest's zone)
           "mode %o size %d mtime %d" % (st.st_mode, os.path.getsize(path("sub", "nested.txt")),
                                         st.st_mtime))
    result(label, "virtfs-host-sees-namespace",
           not os.path.exists(path("doomed.txt")) and
           not os.path.exists(path("emptydir")) and
           os.readlink(path("lnk")) == "some/target" and
           os.path.exists(path("hard.txt")) and
           os.stat(path("hard.txt")).st_ino == os.stat(moved).st_ino and
           os.path.getsize(path("busybox")) > 100000,
           "doomed.txt/emptydir/lnk/hard.txt/busybox not as the guest left them")
    result(label, "virtfs-readonly-untouched", os.listdir(ro) == ["readme.txt"],
           repr(os.listdir(ro)))


def main():
    guest, label, emu = sys.argv[1], sys.argv[2], sys.argv[3:]
    root = tempfile.mkdtemp(prefix="wasmu-virtfs-")
    try:
        share, ro = make_share(root)
        con = Console(emu + guest_args(guest) + [
            "-virtfs", "local,path=%s,mount_tag=host0,security_model=none" % share,
            "-fsdev", "local,id=fs1,path=%s,security_model=none,readonly=on" % ro,
            "-device", "virtio-9p-device,fsdev=fs1,mount_tag=ro"])
        with session(label, con):
            con.wait_for_shell(BOOT_TIMEOUT)
            guest_rand = guest_checks(label, con, share)
            con.poweroff()
            if guest_rand is not False:
                host_checks(label, share, ro, guest_rand)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
