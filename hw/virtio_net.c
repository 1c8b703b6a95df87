/*
 * virtio-net: an Ethernet card on the front door's network backend.  The
 * driver's transmitted frames go to the backend as they come; frames from
 * the network wait in a small ring here until the driver gives receive
 * buffers (its notify of the receive queue delivers them), and past
 * RX_WAITING of them the newest are dropped, as a card with a full ring
 * does.  No offloads: every frame is whole, with a zero
 * header.
 */
#include <stdlib.h>
#include <string.h>

#include "hw/net.h"
#include "hw/virtio_mmio.h"

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_NET_F_MAC (1ull << 5)

enum { RX_QUEUE = 0, TX_QUEUE = 1, NET_HDR = 12, RX_WAITING = 64 };

typedef struct WaitingFrame { uint16_t len; uint8_t data[NET_FRAME_MAX]; } WaitingFrame;

typedef struct VirtioNet {
    uint8_t mac[6];
    NetBackend backend;
    WaitingFrame rx[RX_WAITING];   /* a ring: rx_head the oldest */
    unsigned rx_head, rx_count;
    const WaitingFrame *delivering;   /* for net_handle, during a delivery */
    uint8_t tx[NET_HDR + NET_FRAME_MAX];
    VirtioDeviceOps ops;
} VirtioNet;

static uint64_t net_config_read(void *dev, uint64_t offset, unsigned size)
{
    VirtioNet *n = dev;
    uint64_t v = 0;
    if (offset < sizeof(n->mac) && size <= sizeof(n->mac) - offset)
        memcpy(&v, n->mac + offset, size);
    return v;
}

/* A transmitted frame: its header is skipped, a runt or an oversized
 * frame dropped. */
static long net_transmit(VirtioMmio *v, VirtioNet *n, VirtqChain *c)
{
    uint64_t len = c->readable_len;
    if (len > NET_HDR + 14 && len <= sizeof(n->tx) &&
        virtq_read(v, c, 0, n->tx, len) && n->backend.send)
        n->backend.send(n->backend.opaque, n->tx + NET_HDR, (size_t)(len - NET_HDR));
    return 0;
}

/* The frame being delivered into a receive buffer, behind a zero header
 * (num_buffers 1); a buffer too small for it gets as much as fits. */
static long net_fill(VirtioMmio *v, VirtioNet *n, VirtqChain *c)
{
    const WaitingFrame *f = n->delivering;
    uint8_t hdr[NET_HDR] = { 0 };
    hdr[10] = 1;
    if (!f || c->writable_len < NET_HDR || !virtq_write(v, c, 0, hdr, NET_HDR))
        return -1;
    uint64_t len = c->writable_len - NET_HDR < f->len ? c->writable_len - NET_HDR : f->len;
    if (!virtq_write(v, c, NET_HDR, f->data, len))
        return -1;
    return (long)(NET_HDR + len);
}

static long net_handle(VirtioMmio *v, void *dev, unsigned queue, VirtqChain *c)
{
    VirtioNet *n = dev;
    return queue == TX_QUEUE ? net_transmit(v, n, c) : net_fill(v, n, c);
}

/* Pass waiting frames to the driver's receive buffers, as many as it has
 * given (when a frame comes, and when the driver adds buffers). */
static void deliver_waiting(VirtioMmio *v)
{
    VirtioNet *n = v->dev;
    while (n->rx_count) {
        n->delivering = &n->rx[n->rx_head];
        int r = virtio_mmio_deliver(v, RX_QUEUE);
        n->delivering = NULL;
        if (r == 0)
            return;   /* no buffer yet: the frames wait */
        n->rx_head = (n->rx_head + 1) % RX_WAITING;   /* (a malformed ring drops it) */
        n->rx_count--;
    }
}

void virtio_net_receive(VirtioMmio *v, const uint8_t *frame, size_t len)
{
    VirtioNet *n = v->dev;
    if (len < 14 || len > NET_FRAME_MAX || n->rx_count == RX_WAITING)
        return;
    WaitingFrame *f = &n->rx[(n->rx_head + n->rx_count++) % RX_WAITING];
    f->len = (uint16_t)len;
    memcpy(f->data, frame, len);
    deliver_waiting(v);
}

static void net_buffers_added(VirtioMmio *v, void *dev, unsigned queue)
{
    deliver_waiting(v);
}

static void net_reset(void *dev)
{
    VirtioNet *n = dev;
    n->rx_head = n->rx_count = 0;
}

VirtioMmio *virtio_net_create(PhysMem *pm, IrqLine irq, const uint8_t mac[6],
                              const NetBackend *backend)
{
    VirtioNet *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    memcpy(n->mac, mac, 6);
    n->backend = *backend;
    n->ops = (VirtioDeviceOps){
        .device_id = 1,
        .features = VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC,
        .num_queues = 2,
        .config_read = net_config_read,
        .handle = net_handle,
        .held_queues = 1u << RX_QUEUE,
        .buffers_added = net_buffers_added,
        .reset = net_reset,
        .destroy = free,
    };
    VirtioMmio *v = virtio_mmio_new(pm, irq, &n->ops, n);
    if (!v)
        free(n);
    return v;
}
