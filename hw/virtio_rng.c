/* virtio-rng: fills the driver's buffers from the host's entropy source. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/virtio_mmio.h"

#define VIRTIO_F_VERSION_1 (1ull << 32)

int getentropy(void *buf, size_t len);

static long rng_handle(VirtioMmio *v, void *dev, unsigned queue, VirtqChain *c)
{
    uint8_t buf[256];
    uint64_t total = c->writable_len < 4096 ? c->writable_len : 4096;
    for (uint64_t done = 0; done < total;) {
        size_t chunk = total - done < sizeof(buf) ? (size_t)(total - done)
                                                  : sizeof(buf);
        if (getentropy(buf, chunk) != 0 || !virtq_write(v, c, done, buf, chunk))
            return -1;
        done += chunk;
    }
    return (long)total;
}

static const VirtioDeviceOps rng_ops = {
    .device_id = 4,
    .features = VIRTIO_F_VERSION_1,
    .num_queues = 1,
    .handle = rng_handle,
};

VirtioMmio *virtio_rng_create(PhysMem *pm, IrqLine irq)
{
    return virtio_mmio_new(pm, irq, &rng_ops, NULL);
}
