/* The native terminal: raw mode (for QEMU's Ctrl-A escapes, which
 * system/monitor.c takes), non-blocking stdin. */
#ifndef WASMU_POSIX_CONSOLE_H
#define WASMU_POSIX_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

typedef struct PosixConsole {
    bool raw;              /* terminal switched to raw mode (restore at exit) */
    struct termios saved;  /* terminal state to restore */
    bool stdin_eof;
    int wake_fds[2];       /* input here ends a wait too (the network's, the
                              debugger's), or -1 */
} PosixConsole;

void console_open(PosixConsole *c, bool raw);
void console_close(PosixConsole *c);
/* Wait up to timeout_ns for input (or for wake_fds'); copy what was typed
 * into buf and return how many bytes. */
size_t console_poll(PosixConsole *c, uint64_t timeout_ns, uint8_t *buf,
                    size_t cap);
void console_write(void *opaque, const uint8_t *buf, size_t len);

#endif
