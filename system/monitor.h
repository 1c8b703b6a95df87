/*
 * QEMU's terminal escapes and monitor for -nographic: on a terminal,
 * Ctrl-A x quits, Ctrl-A h lists the escapes, Ctrl-A Ctrl-A sends one
 * Ctrl-A, and Ctrl-A c switches between the guest's console and a
 * "(qemu)" prompt that takes a few of QEMU's commands (help, info
 * registers|status|jit, x, xp, stop, cont, system_reset, gdbserver, quit).
 * Both the native and Node's front doors hand it what is typed on their
 * terminal (monitor_terminal_input).
 */
#ifndef WASMU_MONITOR_H
#define WASMU_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/riscv/virt.h"

typedef void (*MonitorWriteFn)(void *opaque, const uint8_t *buf, size_t len);
/* Start the GDB stub listening at "[HOST]:PORT": 0, or 1 with why in err. */
typedef int (*MonitorGdbserverFn)(void *opaque, const char *spec, char *err,
                                  size_t errlen);

typedef struct Monitor {
    Machine *machine;
    MonitorWriteFn write;      /* to the terminal */
    void *opaque;
    char line[256];            /* the command being typed */
    size_t len;
    bool escape;               /* the last byte typed was Ctrl-A */
    bool on;                   /* Ctrl-A c: typing goes to the monitor */
    bool paused;               /* stop: the front door runs no slice */
    const char *quit;          /* the front door ends: "Ctrl-A x", "the
                                  monitor's quit", or NULL */
    MonitorGdbserverFn gdbserver;   /* the front door's, or NULL */
    void *gdbserver_opaque;
} Monitor;

void monitor_init(Monitor *mon, Machine *m, MonitorWriteFn write, void *opaque);
/* Bytes typed on the terminal: the escapes are taken, what is typed for
 * the monitor runs there, and the guest's bytes move to the front of buf;
 * their count. */
size_t monitor_terminal_input(Monitor *mon, uint8_t *buf, size_t len);

#endif
