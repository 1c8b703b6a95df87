/* The native terminal: raw mode, non-blocking stdin, QEMU's Ctrl-A escapes. */
#ifndef WASMU_POSIX_CONSOLE_H
#define WASMU_POSIX_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

typedef struct PosixConsole {
    bool raw;              /* terminal switched to raw mode (restore at exit) */
    struct termios saved;  /* terminal state to restore */
    bool saw_escape;       /* previous byte was Ctrl-A */
    bool stdin_eof;
    bool quit;             /* Ctrl-A x */
    bool monitor_on;       /* Ctrl-A c switched typing to the monitor */
    bool monitor_entered;  /* ... just now (its banner is due) */
    bool escapes_help;     /* Ctrl-A h: the escapes' help is due */
    uint8_t monitor_in[4096];   /* typed for the monitor, not yet given */
    size_t monitor_len;
    int wake_fds[2];       /* input here ends a wait too (the network's, the
                              debugger's), or -1 */
} PosixConsole;

void console_open(PosixConsole *c, bool raw);
void console_close(PosixConsole *c);
/* Wait up to timeout_ns for input (or for wake_fds'); copy guest-bound
 * bytes into buf (escape sequences removed) and return how many. */
size_t console_poll(PosixConsole *c, uint64_t timeout_ns, uint8_t *buf,
                    size_t cap);
void console_write(void *opaque, const uint8_t *buf, size_t len);

#endif
