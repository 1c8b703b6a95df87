/*
 * virtio over MMIO (version 2 register layout) with split virtqueues, and
 * the devices on it.  Every guest-supplied index, length and address is
 * checked: a hostile driver gets DEVICE_NEEDS_RESET, never a host fault.
 */
#ifndef WASMU_VIRTIO_MMIO_H
#define WASMU_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/memory.h"
#include "hw/irq.h"

enum { VIRTIO_MAX_QUEUES = 2, VIRTQ_MAX_SIZE = 256, VIRTQ_MAX_CHAIN = 256 };

typedef struct VirtioMmio VirtioMmio;

/* One descriptor chain, seen as two byte streams: what the driver wrote
 * (readable by the device) and what the device may fill (writable). */
typedef struct VirtqSegment { uint64_t addr; uint32_t len; bool writable; } VirtqSegment;
typedef struct VirtqChain {
    uint16_t head;
    unsigned n;
    VirtqSegment seg[VIRTQ_MAX_CHAIN];
    uint64_t readable_len, writable_len;
} VirtqChain;

typedef struct VirtioDeviceOps {
    uint32_t device_id;
    uint64_t features;
    unsigned num_queues;
    /* Config space read at offset (bytes, little-endian). */
    uint64_t (*config_read)(void *dev, uint64_t offset, unsigned size);
    /* Handle one chain; returns the number of bytes written for the used
     * ring, or -1 when the chain is malformed (device needs reset). */
    long (*handle)(VirtioMmio *v, void *dev, unsigned queue, VirtqChain *c);
    /* Queues the device fills when it has data (a network card's receive
     * queue), one bit per queue: a notify leaves their buffers waiting for
     * virtio_mmio_deliver, and tells buffers_added. */
    uint32_t held_queues;
    void (*buffers_added)(VirtioMmio *v, void *dev, unsigned queue);
    /* Back to the just-powered-on state, with the transport (optional). */
    void (*reset)(void *dev);
    void (*destroy)(void *dev);
} VirtioDeviceOps;

typedef struct VirtQueue {
    uint32_t num;
    bool ready;
    uint64_t desc, avail, used;
    uint16_t last_avail;
} VirtQueue;

struct VirtioMmio {
    PhysMem *pm;
    IrqLine irq;
    const VirtioDeviceOps *ops;
    void *dev;
    uint32_t status;
    uint32_t device_features_sel, driver_features_sel, queue_sel;
    uint64_t driver_features;
    uint32_t interrupt_status;
    VirtQueue queues[VIRTIO_MAX_QUEUES];
};

VirtioMmio *virtio_mmio_new(PhysMem *pm, IrqLine irq,
                            const VirtioDeviceOps *ops, void *dev);
void virtio_mmio_destroy(VirtioMmio *v);
/* Back to the just-powered-on state (driver reset or machine reset). */
void virtio_mmio_reset(VirtioMmio *v);
uint64_t virtio_mmio_read(void *opaque, uint64_t offset, unsigned size);
/* A slot with no device, as on QEMU's virt: the magic, version 2, device
 * ID 0 (none) and zeros; writes are ignored (NULL write function). */
uint64_t virtio_mmio_read_empty(void *opaque, uint64_t offset, unsigned size);
void virtio_mmio_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size);

/* Hand the next buffer of a held queue to handle (as if the driver had
 * notified); 1 when one was used, 0 when the driver has none ready, -1
 * when the ring is malformed (the device then needs a reset). */
int virtio_mmio_deliver(VirtioMmio *v, unsigned queue);

/* Stream access to a chain for device handlers; false if out of range or
 * the guest address is not RAM. */
bool virtq_read(VirtioMmio *v, const VirtqChain *c, uint64_t offset,
                void *buf, uint64_t len);
bool virtq_write(VirtioMmio *v, const VirtqChain *c, uint64_t offset,
                 const void *buf, uint64_t len);

/* A disk on the raw image at path; snapshot: the guest's writes go to a
 * temporary overlay, the file is only read. */
VirtioMmio *virtio_blk_create(PhysMem *pm, IrqLine irq, const char *path,
                              bool readonly, bool snapshot, char *err,
                              size_t errlen);
VirtioMmio *virtio_rng_create(PhysMem *pm, IrqLine irq);
/* A network card on backend (frames in through virtio_net_receive). */
typedef struct NetBackend NetBackend;
VirtioMmio *virtio_net_create(PhysMem *pm, IrqLine irq, const uint8_t mac[6],
                              const NetBackend *backend);
/* A frame from the network for the card's driver; it waits for a receive
 * buffer, and is dropped when the card's queue of waiting frames is full
 * (as a real one would). */
void virtio_net_receive(VirtioMmio *v, const uint8_t *frame, size_t len);
/* A host directory shared over 9P2000.L, mounted in the guest by tag. */
VirtioMmio *virtio_9p_create(PhysMem *pm, IrqLine irq, const char *path,
                             const char *tag, bool readonly, char *err,
                             size_t errlen);

#endif
