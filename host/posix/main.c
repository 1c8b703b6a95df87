/*
 * wasmu-system-riscv64: the native front door.  Parses QEMU-style options,
 * builds the virt machine, and runs it in slices, feeding the terminal to
 * the UART between slices and sleeping while the guest waits in WFI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/posix/console.h"
#include "host/posix/gdb_socket.h"
#include "host/posix/net_socket.h"
#include "hw/riscv/virt.h"
#include "system/monitor.h"
#include "system/options.h"

/* The monitor's gdbserver: the stub -gdb would have started. */
typedef struct GdbserverArgs {
    PosixGdb *gdb;
    Machine *machine;
} GdbserverArgs;

static int start_gdbserver(void *opaque, const char *spec, char *err, size_t errlen)
{
    GdbserverArgs *a = opaque;
    return posix_gdb_open(a->gdb, spec, machine_cpu(a->machine), false, err, errlen) ? 0 : 1;
}

/* Run until shutdown (or Ctrl-A x, the monitor's quit, the debugger's
 * kill); returns the process exit status.  net: the network backend
 * (-netdev socket) or NULL; gdb: the debugger's stub, open with -gdb or
 * the monitor's gdbserver. */
static int run_machine(Machine *m, PosixConsole *con, Monitor *mon, PosixNet *net,
                       PosixGdb *gdb_slot)
{
    uint8_t input[4096];
    for (;;) {
        PosixGdb *gdb = posix_gdb_is_open(gdb_slot) ? gdb_slot : NULL;
        uint64_t timeout_ns = 100000000;   /* stopped: wait for input */
        if ((!gdb || gdb->stub.running) && !mon->paused) {
            MachineRunResult r = machine_run_slice(m);
            if (r.state == MACHINE_SHUTDOWN) {
                if (gdb)
                    gdbstub_exited(&gdb->stub, r.exit_code);
                return r.exit_code;
            }
            if (gdb)
                gdbstub_slice_done(&gdb->stub, r.state == MACHINE_DEBUG);
            timeout_ns = r.state == MACHINE_IDLE ? r.idle_ns : 0;
        }
        if (net) {
            posix_net_poll(net, m);
            con->wake_fds[0] = posix_net_wake_fd(net);
        }
        if (gdb) {
            posix_gdb_poll(gdb);
            if (gdb->stub.kill) {
                fprintf(stderr, "\nwasmu: terminated by the debugger\n");
                return 0;
            }
            con->wake_fds[1] = posix_gdb_wake_fd(gdb);
            if (!gdb->stub.running)
                timeout_ns = 100000000;   /* stopped: wait for the debugger */
        }
        size_t n = console_poll(con, timeout_ns, input, sizeof(input));
        if (con->raw)
            n = monitor_terminal_input(mon, input, n);
        if (mon->quit) {
            fprintf(stderr, "\nwasmu: terminated by %s\n", mon->quit);
            return 0;
        }
        if (n)
            machine_console_input(m, input, n);
    }
}

int main(int argc, char **argv)
{
    CliOptions opts;
    char err[512];
    if (cli_parse(&opts, argc, argv, err, sizeof(err)) < 0) {
        fprintf(stderr, "wasmu-system-riscv64: %s\n", err);
        return 2;
    }
    if (opts.show_help) {
        cli_print_help(argv[0]);
        return 0;
    }
    if (opts.show_version) {
        cli_print_version("wasmu-system-riscv64");
        return 0;
    }
    if (opts.log_file && !freopen(opts.log_file, "w", stderr)) {
        fprintf(stdout, "wasmu-system-riscv64: cannot open log file '%s'\n",
                opts.log_file);
        return 2;
    }

    PosixConsole con;
    MachineOptions mo;
    cli_machine_options(&opts, &mo);
    mo.console.write = console_write;
    mo.console.opaque = &con;
    PosixNet net;
    bool has_net = opts.netdev.id != NULL;
    if (has_net && !posix_net_open(&net, opts.netdev.listen, opts.netdev.connect,
                                   err, sizeof(err))) {
        fprintf(stderr, "wasmu-system-riscv64: %s\n", err);
        return 1;
    }
    mo.net_backend = (NetBackend){ &net, posix_net_send };
    Machine *m = machine_create(&mo, err, sizeof(err));
    if (!m) {
        fprintf(stderr, "wasmu-system-riscv64: %s\n", err);
        return 1;
    }
    PosixGdb gdb;
    posix_gdb_init(&gdb);
    if (opts.gdb && !posix_gdb_open(&gdb, opts.gdb, machine_cpu(m), opts.gdb_wait,
                                    err, sizeof(err))) {
        fprintf(stderr, "wasmu-system-riscv64: %s\n", err);
        machine_destroy(m);
        return 1;
    }
    console_open(&con, opts.nographic);
    Monitor mon;
    monitor_init(&mon, m, console_write, &con);
    GdbserverArgs gdbserver = { &gdb, m };
    mon.gdbserver = start_gdbserver;
    mon.gdbserver_opaque = &gdbserver;
    int status = run_machine(m, &con, &mon, has_net ? &net : NULL, &gdb);
    console_close(&con);
    if (has_net)
        posix_net_close(&net);
    posix_gdb_close(&gdb);
    if (opts.exec.jit_stats)
        machine_print_stats(m, stderr);
    machine_destroy(m);
    return status;
}
