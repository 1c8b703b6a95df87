#!/usr/bin/env python3
"""-netdev socket: two Linux machines on one Ethernet link, each booted with
a virtio network card.  The first listens, the second connects (QEMU's
socket netdev protocol, so either may be QEMU); they ping each other, and
the first fetches 512 KiB over HTTP from the second (busybox httpd and
wget), checked by md5 on both sides.
Usage: net.py GUEST_DIR LABEL -- LISTENER-ARGV... -- CONNECTOR-ARGV...
Prints 'ok LABEL/<check>' or 'not ok LABEL/<check> <why>' lines."""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from console import Console, guest_args  # noqa: E402
from linux_boot import BOOT_TIMEOUT, result, session  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, timeout=30):
    """Until something listens on port (read from /proc/net/tcp: a probe
    connection would take the listener's one peer)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if int(local.split(":")[1], 16) == port and state == "0A":
                    return True
        time.sleep(0.1)
    return False


def nic(mode, port, mac):
    return ["-netdev", "socket,id=n0,%s=127.0.0.1:%d" % (mode, port),
            "-device", "virtio-net-device,netdev=n0,mac=" + mac]


def up(con, address):
    out = con.run("ip link set eth0 up && ip addr add %s/24 dev eth0 && echo UP" % address)
    return "UP" in out


def checks(label, a, b):
    if not result(label, "net-link-up", up(a, "10.0.2.1") and up(b, "10.0.2.2")):
        return
    out = a.run("ping -c 3 -W 10 10.0.2.2", timeout=90)
    result(label, "net-ping", "3 packets received" in out, repr(out[-200:]))
    out = b.run("ping -c 2 -W 10 10.0.2.1", timeout=90)
    result(label, "net-ping-back", "2 packets received" in out, repr(out[-200:]))
    b.run("mkdir -p /tmp/www && dd if=/dev/urandom of=/tmp/www/data bs=1024 count=512")
    b.run("httpd -p 8080 -h /tmp/www")
    sent = b.run("md5sum /tmp/www/data").split()
    got = a.run("wget -q -O /tmp/got http://10.0.2.2:8080/data && md5sum /tmp/got",
                timeout=120).split()
    result(label, "net-http-512k", len(sent) >= 1 and len(got) >= 1 and
           sent[0] == got[0] and len(sent[0]) == 32, repr((sent, got)))


def main():
    guest, label = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    split = rest.index("--", 1)
    listener, connector = rest[1:split], rest[split + 1:]
    port = free_port()
    a = Console(listener + guest_args(guest) + nic("listen", port, "52:54:00:00:00:01"))
    with session(label, a):
        if not result(label, "net-listening", wait_listening(port)):
            return
        b = Console(connector + guest_args(guest) + nic("connect", port, "52:54:00:00:00:02"))
        with session(label, b):
            a.wait_for_shell(BOOT_TIMEOUT)
            b.wait_for_shell(BOOT_TIMEOUT)
            checks(label, a, b)
            b.poweroff()
        a.poweroff()


if __name__ == "__main__":
    main()
