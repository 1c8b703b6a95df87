/*
 * Network backend: where the guest's Ethernet frames go.  The front door
 * provides it (a socket natively, Node's net module, a WebSocket in the
 * page); received frames travel the other way through machine_net_input().
 */
#ifndef WASMU_NET_H
#define WASMU_NET_H

#include <stddef.h>
#include <stdint.h>

typedef struct NetBackend {
    void *opaque;
    void (*send)(void *opaque, const uint8_t *frame, size_t len);
} NetBackend;

/* The largest frame either way: Ethernet's 1514 bytes, with room for a
 * VLAN tag and slack. */
enum { NET_FRAME_MAX = 1600 };

#endif
