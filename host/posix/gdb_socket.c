/*
 * The debugger's TCP connection: one GDB at a time.  It attaches when it
 * connects (the machine stops) and detaches when it leaves (the machine
 * runs on without breakpoints), as with QEMU's -gdb.
 */
#include "host/posix/gdb_socket.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host/posix/tcp.h"

static void send_to_gdb(void *opaque, const uint8_t *buf, size_t len)
{
    PosixGdb *g = opaque;
    if (g->fd >= 0 && !tcp_write_all(g->fd, buf, len)) {
        close(g->fd);   /* gone or stuck: like leaving */
        g->fd = -1;
        gdbstub_detach(&g->stub);
    }
}

void posix_gdb_init(PosixGdb *g)
{
    g->fd = g->listen_fd = -1;
}

bool posix_gdb_is_open(const PosixGdb *g)
{
    return g->listen_fd >= 0;
}

bool posix_gdb_open(PosixGdb *g, const char *spec, CpuCommon *cpu, bool wait,
                    char *err, size_t errlen)
{
    if (posix_gdb_is_open(g)) {
        snprintf(err, errlen, "a debugger's stub is already listening");
        return false;
    }
    g->fd = -1;
    g->listen_fd = tcp_open(spec, true, "-gdb", err, errlen);
    if (g->listen_fd < 0)
        return false;
    gdbstub_init(&g->stub, cpu, !wait, send_to_gdb, g);
    return true;
}

void posix_gdb_poll(PosixGdb *g)
{
    if (g->fd < 0 && (g->fd = tcp_accept(g->listen_fd)) >= 0)
        gdbstub_attach(&g->stub);
    while (g->fd >= 0 && !g->stub.kill) {
        uint8_t buf[4096];
        ssize_t r = recv(g->fd, buf, sizeof(buf), 0);
        if (r > 0) {
            gdbstub_input(&g->stub, buf, (size_t)r);
            continue;
        }
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            break;
        close(g->fd);   /* GDB left */
        g->fd = -1;
        gdbstub_detach(&g->stub);
    }
}

int posix_gdb_wake_fd(const PosixGdb *g)
{
    return g->fd >= 0 ? g->fd : g->listen_fd;
}

void posix_gdb_close(PosixGdb *g)
{
    if (g->fd >= 0)
        close(g->fd);
    if (g->listen_fd >= 0)
        close(g->listen_fd);
    g->fd = g->listen_fd = -1;
}
