/* The native front door's network backend: QEMU's -netdev socket. */
#ifndef WASMU_POSIX_NET_SOCKET_H
#define WASMU_POSIX_NET_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/net.h"
#include "hw/riscv/virt.h"

typedef struct PosixNet {
    int listen_fd, fd;                  /* -1: none */
    uint8_t in[2 * (4 + NET_FRAME_MAX)];   /* the stream, not yet framed */
    size_t in_len;
    size_t skip;                        /* bytes left of an oversized frame */
} PosixNet;

/* Listen on or connect to HOST:PORT (exactly one of them given). */
bool posix_net_open(PosixNet *n, const char *listen_at, const char *connect_to,
                    char *err, size_t errlen);
void posix_net_send(void *opaque, const uint8_t *frame, size_t len);
/* Take a peer if listening and none is there; frames received go to m. */
void posix_net_poll(PosixNet *n, Machine *m);
/* The descriptor whose input should wake an idle machine. */
int posix_net_wake_fd(const PosixNet *n);
void posix_net_close(PosixNet *n);

#endif
