/* Native terminal handling for -nographic.  See console.h. */
#include "host/posix/console.h"

#include <errno.h>
#include <stdio.h>
#include <sys/select.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

void console_open(PosixConsole *c, bool raw)
{
    c->raw = false;
    c->stdin_eof = false;
    c->wake_fds[0] = c->wake_fds[1] = -1;
    if (raw && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &c->saved) == 0) {
        struct termios t = c->saved;
        /* Like QEMU -nographic: no echo, no line editing, no signals, so
         * Ctrl-C reaches the guest; Ctrl-A x is the way out (the escapes:
         * system/monitor.c). */
        t.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
        t.c_iflag &= ~(IXON | ICRNL | INLCR | IGNCR);
        t.c_oflag |= OPOST;
        t.c_cc[VMIN] = 1;
        t.c_cc[VTIME] = 0;
        if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
            c->raw = true;
    }
}

void console_close(PosixConsole *c)
{
    if (c->raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &c->saved);
    c->raw = false;
}

/* The wait has nanoseconds, not poll()'s milliseconds: an idle guest's
 * timer is often due in less than one, and rounding that down to 0 spun
 * the host (an idle Linux took ~22% of a core), up made it late. */
size_t console_poll(PosixConsole *c, uint64_t timeout_ns, uint8_t *buf,
                    size_t cap)
{
    struct timespec wait = { (time_t)(timeout_ns / 1000000000u),
                             (long)(timeout_ns % 1000000000u) };
    fd_set readable;
    FD_ZERO(&readable);
    int top = -1;
    if (!c->stdin_eof) {
        FD_SET(STDIN_FILENO, &readable);
        top = STDIN_FILENO;
    }
    for (unsigned i = 0; i < 2; i++)
        if (c->wake_fds[i] >= 0) {
            FD_SET(c->wake_fds[i], &readable);
            top = c->wake_fds[i] > top ? c->wake_fds[i] : top;
        }
    if (top < 0) {
        if (timeout_ns > 0)
            nanosleep(&wait, NULL);
        return 0;
    }
    if (pselect(top + 1, &readable, NULL, NULL, &wait, NULL) <= 0 ||
        c->stdin_eof || !FD_ISSET(STDIN_FILENO, &readable))
        return 0;
    ssize_t n = read(STDIN_FILENO, buf, cap);
    if (n <= 0) {
        if (n == 0 || errno != EINTR)
            c->stdin_eof = true;
        return 0;
    }
    return (size_t)n;
}

void console_write(void *opaque, const uint8_t *buf, size_t len)
{
    (void)opaque;
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}
