/*
 * -netdev socket,listen=[HOST]:PORT | connect=HOST:PORT: the guest's
 * Ethernet frames over a TCP stream, each behind its length (4 bytes, big
 * endian), as QEMU's socket netdev sends them, so that wasmu and QEMU
 * machines can share a link.  The listening side takes one peer at a time
 * (another after it leaves).  Nothing here blocks the machine for long: a
 * peer that stops reading for a second is dropped.
 */
#include "host/posix/net_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* "HOST:PORT" (HOST may be empty: any, for listen) into an address. */
static struct addrinfo *resolve(const char *spec, bool passive, char *err,
                                size_t errlen)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || !colon[1]) {
        snprintf(err, errlen, "-netdev socket: '%s' is not HOST:PORT", spec);
        return NULL;
    }
    char host[256];
    size_t host_len = (size_t)(colon - spec);
    if (host_len >= sizeof(host)) {
        snprintf(err, errlen, "-netdev socket: host name too long");
        return NULL;
    }
    memcpy(host, spec, host_len);
    host[host_len] = '\0';
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM,
                              .ai_flags = passive ? AI_PASSIVE : 0 };
    struct addrinfo *ai = NULL;
    int r = getaddrinfo(host_len ? host : NULL, colon + 1, &hints, &ai);
    if (r != 0) {
        snprintf(err, errlen, "-netdev socket: '%s': %s", spec, gai_strerror(r));
        return NULL;
    }
    return ai;
}

static void set_nonblocking(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

bool posix_net_open(PosixNet *n, const char *listen_at, const char *connect_to,
                    char *err, size_t errlen)
{
    *n = (PosixNet){ .listen_fd = -1, .fd = -1 };
    struct addrinfo *ai = resolve(listen_at ? listen_at : connect_to,
                                  listen_at != NULL, err, errlen);
    if (!ai)
        return false;
    int fd = socket(ai->ai_family, ai->ai_socktype, 0);
    int one = 1;
    bool ok = fd >= 0;
    if (ok && listen_at)
        ok = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
             bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0;
    else if (ok)
        ok = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    freeaddrinfo(ai);
    if (!ok) {
        snprintf(err, errlen, "-netdev socket: cannot %s %s: %s",
                 listen_at ? "listen on" : "connect to",
                 listen_at ? listen_at : connect_to, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    set_nonblocking(fd);
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

/* Write all of buf, waiting for room at most a second in all. */
static bool write_all(int fd, const uint8_t *buf, size_t len)
{
    for (int waited_ms = 0; len > 0;) {
        ssize_t w = send(fd, buf, len, MSG_NOSIGNAL);
        if (w > 0) {
            buf += w;
            len -= (size_t)w;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
                   waited_ms < 1000) {
            struct pollfd p = { fd, POLLOUT, 0 };
            poll(&p, 1, 100);
            waited_ms += 100;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else {
            return false;
        }
    }
    return true;
}

void posix_net_send(void *opaque, const uint8_t *frame, size_t len)
{
    PosixNet *n = opaque;
    if (n->fd < 0)
        return;   /* no peer: the frame is lost, as on an unplugged cable */
    uint8_t header[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16),
                          (uint8_t)(len >> 8), (uint8_t)len };
    if (!write_all(n->fd, header, 4) || !write_all(n->fd, frame, len))
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
        n->fd = accept(n->listen_fd, NULL, NULL);
        if (n->fd >= 0)
            set_nonblocking(n->fd);
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
