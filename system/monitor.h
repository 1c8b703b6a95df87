/*
 * The monitor of -nographic, as QEMU's: Ctrl-A c switches the terminal
 * between the guest's console and a "(qemu)" prompt that takes a few of
 * QEMU's commands (help, info registers|status|jit, x, xp, stop, cont,
 * system_reset, gdbserver, quit).  Both the native and Node's front doors feed it
 * what is typed while it is on.
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
    bool paused;               /* stop: the front door runs no slice */
    bool quit;                 /* quit: the front door ends */
    MonitorGdbserverFn gdbserver;   /* the front door's, or NULL */
    void *gdbserver_opaque;
} Monitor;

void monitor_init(Monitor *mon, Machine *m, MonitorWriteFn write, void *opaque);
/* Ctrl-A c turned the monitor on: its banner and prompt. */
void monitor_enter(Monitor *mon);
/* What was typed while it is on: echoed, edited, run line by line. */
void monitor_input(Monitor *mon, const uint8_t *buf, size_t len);
/* Ctrl-A h: the escapes the terminal knows. */
void monitor_print_escapes(Monitor *mon);

#endif
