/* -gdb tcp:[HOST]:PORT and -s: GDB's connection to the stub. */
#ifndef WASMU_POSIX_GDB_SOCKET_H
#define WASMU_POSIX_GDB_SOCKET_H

#include <stdbool.h>
#include <stddef.h>

#include "system/gdbstub.h"

typedef struct PosixGdb {
    int listen_fd, fd;     /* fd: the debugger connected, or -1 */
    GdbStub stub;
} PosixGdb;

/* No debugger yet (the monitor's gdbserver may start one). */
void posix_gdb_init(PosixGdb *g);
bool posix_gdb_is_open(const PosixGdb *g);
/* Listen at spec; wait: -S, the CPU waits for GDB's continue. */
bool posix_gdb_open(PosixGdb *g, const char *spec, CpuCommon *cpu, bool wait,
                    char *err, size_t errlen);
/* Take a debugger that connects and what it sent (between slices). */
void posix_gdb_poll(PosixGdb *g);
/* What a wait for input should watch for the debugger. */
int posix_gdb_wake_fd(const PosixGdb *g);
void posix_gdb_close(PosixGdb *g);

#endif
