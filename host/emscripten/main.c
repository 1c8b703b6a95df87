/*
 * The Emscripten front door shared by Node and the browser's Web Worker.
 * No main loop here: JavaScript calls wasmu_run_slice() repeatedly and
 * returns to its event loop in between (no Asyncify, no blocking), so the
 * terminal, timers and the page stay responsive.
 *
 * JS contract:
 *   h = wasmu_new()              a handle; every call below takes it
 *   wasmu_create(h, argc, argv)  -> 0 ok, 3 -help/-version (printed, nothing
 *                                   to run), else error (text: wasmu_error(h))
 *   wasmu_run_slice(h)           -> -1 running (call again soon),
 *                                   >= 0 idle: may sleep that many
 *                                   microseconds (at most 10 ms),
 *                                   -2 shutdown (wasmu_exit_code(h))
 *   wasmu_console_input(h, ptr, len)   bytes typed by the user
 *   wasmu_net_input(h, ptr, len)       an Ethernet frame from the network
 *   wasmu_gdb_attach(h, connected)     a debugger connected (1) or left (0)
 *   wasmu_gdb_input(h, ptr, len)       bytes from the debugger
 *   wasmu_terminal_input(h, ptr, len)  the same typed on a terminal: QEMU's
 *                                      Ctrl-A escapes and monitor first
 *   wasmu_destroy(h)
 * Guest console output goes to the JS function Module.wasmuConsoleWrite
 * (declared with EM_JS below).  With -netdev socket, wasmu_create calls
 * Module.wasmuNetOpen(h, listen, connect) (an error's text, or '') and the
 * guest's frames go to Module.wasmuNetSend(bytes).  With -gdb (Node's
 * front door), it calls Module.wasmuGdbOpen(h, "[HOST]:PORT") (an error's
 * text, or ''), and the stub's replies go to Module.wasmuGdbSend(bytes).
 */
#include <emscripten.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/tb.h"
#include "hw/riscv/virt.h"
#include "system/gdbstub.h"
#include "system/monitor.h"
#include "system/options.h"

EM_JS(void, js_console_write, (const uint8_t *buf, size_t len), {
    if (Module.wasmuConsoleWrite)
        Module.wasmuConsoleWrite(HEAPU8.slice(buf >>> 0, (buf >>> 0) + len));
});

EM_JS(void, js_net_send, (const uint8_t *frame, size_t len), {
    if (Module.wasmuNetSend)
        Module.wasmuNetSend(HEAPU8.slice(frame >>> 0, (frame >>> 0) + len));
});

/* The front door's network for -netdev socket: 0, or 1 with the reason in
 * err. */
EM_JS(int, js_net_open, (void *handle, const char *listen, const char *connect,
                         char *err, size_t errlen), {
    var why = Module.wasmuNetOpen
        ? Module.wasmuNetOpen(handle >>> 0, listen ? UTF8ToString(listen) : "",
                              connect ? UTF8ToString(connect) : "")
        : '-netdev: this front door has no network';
    if (!why)
        return 0;
    stringToUTF8(why, err, errlen);
    return 1;
});

static void net_send(void *opaque, const uint8_t *frame, size_t len)
{
    js_net_send(frame, len);
}

/* -gdb: the front door listens for the debugger (0), or says why not (1,
 * the reason in err).  at_start: a listen that fails later ends the
 * process, as QEMU's -gdb does (else, the monitor's gdbserver, it is only
 * reported). */
EM_JS(int, js_gdb_open, (void *handle, const char *spec, int at_start, char *err,
                         size_t errlen), {
    var why = Module.wasmuGdbOpen
        ? Module.wasmuGdbOpen(handle >>> 0, UTF8ToString(spec), at_start != 0)
        : '-gdb: no debugger in this front door (the native one and Node have it)';
    if (!why)
        return 0;
    stringToUTF8(why, err, errlen);
    return 1;
});

EM_JS(void, js_gdb_send, (const uint8_t *buf, size_t len), {
    if (Module.wasmuGdbSend)
        Module.wasmuGdbSend(HEAPU8.slice(buf >>> 0, (buf >>> 0) + len));
});

static void gdb_send(void *opaque, const uint8_t *buf, size_t len)
{
    js_gdb_send(buf, len);
}

/* The front door's state: one machine per module instance. */
typedef struct FrontDoor {
    Machine *machine;
    CliOptions opts;
    char error[512];
    int exit_code;
    bool shut_down;
    /* Guest console output of the current slice: handed to JS once per
     * wasmu_run_slice call (or when full), not byte by byte, since each
     * hand-over is a message to the page's thread in the browser. */
    uint8_t out[4096];
    size_t out_len;
    GdbStub *gdb;              /* -gdb: the debugger's stub, or NULL */
    bool machine_started;      /* past wasmu_create */
    Monitor monitor;           /* Ctrl-A c */
} FrontDoor;

EMSCRIPTEN_KEEPALIVE
FrontDoor *wasmu_new(void)
{
    return calloc(1, sizeof(FrontDoor));
}

static void flush_output(FrontDoor *d)
{
    if (d->out_len)
        js_console_write(d->out, d->out_len);
    d->out_len = 0;
}

static void console_write(void *opaque, const uint8_t *buf, size_t len)
{
    FrontDoor *d = opaque;
    if (d->out_len + len > sizeof(d->out))
        flush_output(d);
    if (len > sizeof(d->out)) {
        js_console_write(buf, len);
        return;
    }
    memcpy(d->out + d->out_len, buf, len);
    d->out_len += len;
}

/* The GDB stub, listening at spec ([HOST]:PORT) through the front door:
 * 0, or 1 with why in err.  wait: -S. */
static int open_debugger(FrontDoor *d, const char *spec, bool wait, char *err,
                         size_t errlen)
{
    if (d->gdb) {
        snprintf(err, errlen, "a debugger's stub is already listening");
        return 1;
    }
    GdbStub *stub = malloc(sizeof(GdbStub));
    if (!stub) {
        snprintf(err, errlen, "out of memory");
        return 1;
    }
    gdbstub_init(stub, machine_cpu(d->machine), !wait, gdb_send, d);
    d->gdb = stub;   /* (the front door may attach GDB as soon as it listens) */
    if (js_gdb_open(d, spec, d->machine_started ? 0 : 1, err, errlen)) {
        d->gdb = NULL;
        free(stub);
        return 1;
    }
    return 0;
}

/* The monitor's gdbserver. */
static int start_gdbserver(void *opaque, const char *spec, char *err, size_t errlen)
{
    return open_debugger(opaque, spec, false, err, errlen);
}

EMSCRIPTEN_KEEPALIVE
int wasmu_create(FrontDoor *d, int argc, char **argv)
{
    if (cli_parse(&d->opts, argc, argv, d->error, sizeof(d->error)) < 0)
        return 2;
    if (d->opts.show_help) {      /* 3: printed, nothing to run */
        cli_print_help("wasmu");
        return 3;
    }
    if (d->opts.show_version) {
        cli_print_version("wasmu");
        return 3;
    }
    MachineOptions mo;
    cli_machine_options(&d->opts, &mo);
    mo.console.write = console_write;
    mo.console.opaque = d;
    mo.net_backend = (NetBackend){ d, net_send };
    if (d->opts.netdev.id &&
        js_net_open(d, d->opts.netdev.listen, d->opts.netdev.connect,
                    d->error, sizeof(d->error)))
        return 1;
    d->machine = machine_create(&mo, d->error, sizeof(d->error));
    if (!d->machine)
        return 1;
    monitor_init(&d->monitor, d->machine, console_write, d);
    d->monitor.gdbserver = start_gdbserver;
    d->monitor.gdbserver_opaque = d;
    if (d->opts.gdb && open_debugger(d, d->opts.gdb, d->opts.gdb_wait, d->error,
                                     sizeof(d->error)))
        return 1;
    d->machine_started = true;
    return 0;
}

EMSCRIPTEN_KEEPALIVE
const char *wasmu_error(FrontDoor *d) { return d->error; }

EMSCRIPTEN_KEEPALIVE
int wasmu_exit_code(FrontDoor *d) { return d->exit_code; }

static int run_slices(FrontDoor *d)
{
    if (!d->machine || d->shut_down)
        return -2;
    /* Several slices per call amortise the JS round trip, while keeping a
     * call well under the 10 ms that keeps input responsive. */
    for (int i = 0; i < 4; i++) {
        if (d->gdb && d->gdb->kill) {
            fprintf(stderr, "\nwasmu: terminated by the debugger\n");
            d->shut_down = true;
            return -2;
        }
        if (d->monitor.quit) {
            fprintf(stderr, "\nwasmu: terminated by %s\n", d->monitor.quit);
            d->shut_down = true;
            return -2;
        }
        if ((d->gdb && !d->gdb->running) || d->monitor.paused)
            return 100000;   /* stopped: the debugger's or monitor's input wakes us */
        MachineRunResult r = machine_run_slice(d->machine);
        if (r.state == MACHINE_SHUTDOWN) {
            d->shut_down = true;
            d->exit_code = r.exit_code;
            if (d->gdb)
                gdbstub_exited(d->gdb, r.exit_code);
            if (d->opts.exec.jit_stats)
                machine_print_stats(d->machine, stderr);
            return -2;
        }
        if (d->gdb)
            gdbstub_slice_done(d->gdb, r.state == MACHINE_DEBUG);
        if (r.state == MACHINE_IDLE)
            return (int)(r.idle_ns / 1000u);
    }
    return -1;
}

EMSCRIPTEN_KEEPALIVE
int wasmu_run_slice(FrontDoor *d)
{
    int r = run_slices(d);
    flush_output(d);
    return r;
}

EMSCRIPTEN_KEEPALIVE
void wasmu_console_input(FrontDoor *d, const uint8_t *buf, int len)
{
    if (d->machine && len > 0)
        machine_console_input(d->machine, buf, (size_t)len);
}

EMSCRIPTEN_KEEPALIVE
void wasmu_net_input(FrontDoor *d, const uint8_t *frame, int len)
{
    if (d->machine && len > 0)
        machine_net_input(d->machine, frame, (size_t)len);
}

EMSCRIPTEN_KEEPALIVE
void wasmu_gdb_attach(FrontDoor *d, int connected)
{
    if (!d->gdb)
        return;
    if (connected)
        gdbstub_attach(d->gdb);
    else
        gdbstub_detach(d->gdb);
}

EMSCRIPTEN_KEEPALIVE
void wasmu_gdb_input(FrontDoor *d, const uint8_t *buf, int len)
{
    if (d->gdb && len > 0)
        gdbstub_input(d->gdb, buf, (size_t)len);
}

EMSCRIPTEN_KEEPALIVE
void wasmu_terminal_input(FrontDoor *d, uint8_t *buf, int len)
{
    if (!d->machine || len <= 0)
        return;
    size_t guest = monitor_terminal_input(&d->monitor, buf, (size_t)len);
    if (guest)
        machine_console_input(d->machine, buf, guest);
    flush_output(d);
}

/* Figures for the page's status line: 0 guest instructions executed,
 * 1 of them in Wasm, 2 live compiled regions (Wasm functions; a module
 * holds up to WASM_BATCH_MAX of them). */
EMSCRIPTEN_KEEPALIVE
double wasmu_stat(FrontDoor *d, int which)
{
    if (!d->machine)
        return 0;
    CpuCommon *cpu = &d->machine->cpu.common;
    TbStats st;
    tb_cache_stats(cpu->tbs, &st);
    switch (which) {
    case 0: return (double)cpu->insns_executed;
    case 1: return (double)cpu->insns_in_wasm;
    case 2: return (double)st.wasm_live;
    default: return 0;
    }
}

EMSCRIPTEN_KEEPALIVE
void wasmu_destroy(FrontDoor *d)
{
    flush_output(d);
    if (d->machine)
        machine_destroy(d->machine);
    free(d->gdb);
    free(d);
}
