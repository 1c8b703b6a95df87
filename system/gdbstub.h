/*
 * A GDB remote stub (-s, -gdb tcp::PORT, -S): GDB's remote serial
 * protocol over a byte stream the front door carries (host/posix/
 * gdb_socket.c natively, Node's net module in host/emscripten/wasmu-node.js).
 * Registers, memory (virtual addresses, as the CPU sees them now),
 * breakpoints, continue, single step, Ctrl-C, detach and kill.
 */
#ifndef WASMU_GDBSTUB_H
#define WASMU_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/cpu_common.h"

enum { GDB_PACKET_MAX = 4096 };

typedef void (*GdbWriteFn)(void *opaque, const uint8_t *buf, size_t len);

typedef struct GdbStub {
    CpuCommon *cpu;
    GdbWriteFn write;          /* bytes to GDB */
    void *opaque;
    bool running;              /* the machine runs; else it waits for GDB */
    bool kill;                 /* GDB asked to end the emulator */
    /* the packet being received: "$data#xx" */
    enum { GDB_IDLE, GDB_DATA, GDB_CSUM1, GDB_CSUM2 } state;
    char in[GDB_PACKET_MAX + 1];
    size_t in_len;
    bool in_overflow;
    uint8_t csum, csum_sent;
    char out[2 * GDB_PACKET_MAX + 8];
    char xml[8192];            /* the target description */
    size_t xml_len;
} GdbStub;

/* running: whether the machine runs until GDB stops it (else -S: it waits
 * for GDB's continue). */
void gdbstub_init(GdbStub *g, CpuCommon *cpu, bool running, GdbWriteFn write,
                  void *opaque);
/* GDB connected: the machine stops, as QEMU's does. */
void gdbstub_attach(GdbStub *g);
/* GDB left (detach or closed connection): breakpoints go, the machine
 * runs on. */
void gdbstub_detach(GdbStub *g);
/* Bytes from GDB. */
void gdbstub_input(GdbStub *g, const uint8_t *data, size_t len);
/* After a slice the machine ran: stopped_at_breakpoint is its state
 * (MACHINE_DEBUG); a finished step or breakpoint stops it and tells GDB. */
void gdbstub_slice_done(GdbStub *g, bool stopped_at_breakpoint);
/* The machine shut down: GDB hears the exit status. */
void gdbstub_exited(GdbStub *g, int code);

#endif
