/*
 * TCP sockets of the native front door: -netdev socket's link and -gdb's
 * debugger connection.  Every socket is non-blocking, so that the machine
 * loop polls it between slices and never waits on a peer for long.
 */
#include "host/posix/tcp.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* "HOST:PORT" (HOST may be empty: any, for listen) into an address. */
static struct addrinfo *resolve(const char *spec, bool passive, const char *who,
                                char *err, size_t errlen)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || !colon[1]) {
        snprintf(err, errlen, "%s: '%s' is not HOST:PORT", who, spec);
        return NULL;
    }
    char host[256];
    size_t host_len = (size_t)(colon - spec);
    if (host_len >= sizeof(host)) {
        snprintf(err, errlen, "%s: host name too long", who);
        return NULL;
    }
    memcpy(host, spec, host_len);
    host[host_len] = '\0';
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM,
                              .ai_flags = passive ? AI_PASSIVE : 0 };
    struct addrinfo *ai = NULL;
    int r = getaddrinfo(host_len ? host : NULL, colon + 1, &hints, &ai);
    if (r != 0) {
        snprintf(err, errlen, "%s: '%s': %s", who, spec, gai_strerror(r));
        return NULL;
    }
    return ai;
}

static void set_nonblocking(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int tcp_open(const char *spec, bool listen_there, const char *who, char *err,
             size_t errlen)
{
    struct addrinfo *ai = resolve(spec, listen_there, who, err, errlen);
    if (!ai)
        return -1;
    int fd = socket(ai->ai_family, ai->ai_socktype, 0);
    int one = 1;
    bool ok = fd >= 0;
    if (ok && listen_there)
        ok = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
             bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0;
    else if (ok)
        ok = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    freeaddrinfo(ai);
    if (!ok) {
        snprintf(err, errlen, "%s: cannot %s %s: %s", who,
                 listen_there ? "listen on" : "connect to", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    set_nonblocking(fd);
    return fd;
}

int tcp_accept(int listen_fd)
{
    int fd = accept(listen_fd, NULL, NULL);
    if (fd >= 0) {
        int one = 1;   /* small packets (GDB's) go out at once */
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        set_nonblocking(fd);
    }
    return fd;
}

bool tcp_write_all(int fd, const uint8_t *buf, size_t len)
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
