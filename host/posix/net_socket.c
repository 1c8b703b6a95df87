/*
 * -netdev socket,listen=[HOST]:PORT | connect=HOST:PORT: the guest's
 * Ethernet frames over a TCP stream, each behind its length (4 bytes, big
 * endian), as QEMU's socket netdev sends them, so that wasmu and QEMU
 * machines can share a link.  The listening side takes one peer at a time
 * (another after it leaves).  Nothing here blocks the machine for long: a
 * peer that stops reading for a second is dropped.
 */
#include "host/posix/net_socket.h"

#include "host/posix/tcp.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

bool posix_net_open(PosixNet *n, const char *listen_at, const char *connect_to,
                    char *err, size_t errlen)
{
    *n = (PosixNet){ .listen_fd = -1, .fd = -1 };
    int fd = tcp_open(listen_at ? listen_at : connect_to, listen_at != NULL,
                      "-netdev socket", err, errlen);
    if (fd < 0)
        return false;
    if (listen_at)
        n->listen_fd = fd;
    else
        n->fd = fd;
    return true;
}

static void drop_peer(PosixNet *n)
{
    if (n->fd >= 0)
        close(n->fd);
    n->fd = -1;
    n->in_len = 0;
    n->skip = 0;
}

void posix_net_send(void *opaque, const uint8_t *frame, size_t len)
{
    PosixNet *n = opaque;
    if (n->fd < 0)
        return;   /* no peer: the frame is lost, as on an unplugged cable */
    uint8_t header[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16),
                          (uint8_t)(len >> 8), (uint8_t)len };
    if (!tcp_write_all(n->fd, header, 4) || !tcp_write_all(n->fd, frame, len))
        drop_peer(n);
}

/* Hand every whole frame in n->in to the machine; keep the rest. */
static void take_frames(PosixNet *n, Machine *m)
{
    size_t at = 0;
    for (;;) {
        if (n->skip) {   /* the rest of an oversized frame */
            size_t k = n->in_len - at < n->skip ? n->in_len - at : n->skip;
            at += k;
            n->skip -= k;
            if (n->skip)
                break;
        }
        if (n->in_len - at < 4)
            break;
        const uint8_t *p = n->in + at;
        uint32_t len = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                       (uint32_t)p[2] << 8 | p[3];
        if (len > NET_FRAME_MAX) {
            at += 4;
            n->skip = len;
            continue;
        }
        if (n->in_len - at < 4 + len)
            break;
        machine_net_input(m, p + 4, len);
        at += 4 + len;
    }
    memmove(n->in, n->in + at, n->in_len - at);
    n->in_len -= at;
}

void posix_net_poll(PosixNet *n, Machine *m)
{
    if (n->fd < 0 && n->listen_fd >= 0) {
        n->fd = tcp_accept(n->listen_fd);
    }
    while (n->fd >= 0) {
        ssize_t r = recv(n->fd, n->in + n->in_len, sizeof(n->in) - n->in_len, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
                       errno != EINTR)) {
            drop_peer(n);   /* the peer left */
            break;
        }
        if (r < 0)
            break;
        n->in_len += (size_t)r;
        take_frames(n, m);
    }
}

int posix_net_wake_fd(const PosixNet *n)
{
    return n->fd >= 0 ? n->fd : n->listen_fd;
}

void posix_net_close(PosixNet *n)
{
    drop_peer(n);
    if (n->listen_fd >= 0)
        close(n->listen_fd);
    n->listen_fd = -1;
}
