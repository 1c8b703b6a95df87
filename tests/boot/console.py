"""Drive an emulator's serial console: wait for text, type commands.

Used by the boot tests for every front door (native, Node): the emulator
runs as a child process with its console on a pipe pair."""
import os
import pty
import re
import select
import subprocess
import time


def guest_args(guest, append="console=ttyS0 quiet"):
    """QEMU-style arguments that boot the default guest from its cache dir."""
    return ["-m", "256M", "-nographic",
            "-kernel", os.path.join(guest, "Image"),
            "-initrd", os.path.join(guest, "initramfs.cpio"),
            "-append", append]


class Console:
    def __init__(self, argv, log_path=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.buf = b""
        self.seen = 0      # bytes of buf already consumed by expect()
        self.log = open(log_path, "wb") if log_path else None

    def _read(self, timeout):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return False
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return None
        self.buf += data
        if self.log:
            self.log.write(data)
            self.log.flush()
        return True

    def expect(self, pattern, timeout):
        """Wait until pattern (regex, bytes) appears after the last match;
        returns the text up to and including it, or raises TimeoutError."""
        regex = re.compile(pattern)
        deadline = time.time() + timeout
        while True:
            m = regex.search(self.buf, self.seen)
            if m:
                text = self.buf[self.seen:m.end()]
                self.seen = m.end()
                return text.decode("utf-8", "replace")
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("timed out waiting for %r; last output: %r"
                                   % (pattern, self.buf[-300:]))
            if self._read(min(left, 0.5)) is None:
                raise EOFError("emulator exited (status %s) waiting for %r; "
                               "last output: %r" % (self.proc.poll(), pattern,
                                                    self.buf[-300:]))

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def run(self, command, prompt=rb"~ # ", timeout=60):
        """Type a command, return its output (between the echo and the
        next prompt)."""
        self.send(command + "\n")
        out = self.expect(prompt, timeout)
        lines = out.replace("\r", "").split("\n")
        return "\n".join(lines[1:-1])

    def wait_exit(self, timeout):
        deadline = time.time() + timeout
        while self.proc.poll() is None and time.time() < deadline:
            if self._read(0.2) is None:
                break
        try:
            return self.proc.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise TimeoutError("emulator did not exit")

    def wait_for_shell(self, timeout):
        """Wait for the guest's banner, then its prompt."""
        self.expect(rb"wasmu guest: Linux", timeout)
        self.expect(rb"~ # ", timeout)

    def poweroff(self, timeout=60):
        """Ask the guest to power off; tolerate an emulator that lingers."""
        self.send("poweroff\n")
        try:
            self.wait_exit(timeout)
        except TimeoutError:
            pass

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Terminal(Console):
    """The emulator on a pty, as a user at a terminal has it (Console's
    expect, over the pty's master side)."""

    def __init__(self, argv):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                     close_fds=True)
        os.close(slave)
        self.buf, self.seen, self.log = b"", 0, None

    def _read(self, timeout):
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            self.buf += os.read(self.master, 65536)
        except OSError:
            return None   # (the emulator closed its terminal)
        return True

    def send(self, data):
        os.write(self.master, data)

    def quiet_for(self, seconds):
        """The output of the next seconds."""
        start, deadline = len(self.buf), time.time() + seconds
        while time.time() < deadline and self._read(0.1) is not None:
            pass
        return self.buf[start:]

    def close(self):
        self.kill()
        os.close(self.master)
