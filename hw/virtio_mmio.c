/* virtio-mmio transport and split virtqueues.  See virtio_mmio.h. */
#include "hw/virtio_mmio.h"

#include <stdlib.h>
#include <string.h>

enum {
    REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008,
    REG_VENDOR_ID = 0x00c, REG_DEVICE_FEATURES = 0x010,
    REG_DEVICE_FEATURES_SEL = 0x014, REG_DRIVER_FEATURES = 0x020,
    REG_DRIVER_FEATURES_SEL = 0x024, REG_QUEUE_SEL = 0x030,
    REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038, REG_QUEUE_READY = 0x044,
    REG_QUEUE_NOTIFY = 0x050, REG_INTERRUPT_STATUS = 0x060,
    REG_INTERRUPT_ACK = 0x064, REG_STATUS = 0x070,
    REG_QUEUE_DESC_LOW = 0x080, REG_QUEUE_DESC_HIGH = 0x084,
    REG_QUEUE_DRIVER_LOW = 0x090, REG_QUEUE_DRIVER_HIGH = 0x094,
    REG_QUEUE_DEVICE_LOW = 0x0a0, REG_QUEUE_DEVICE_HIGH = 0x0a4,
    REG_CONFIG_GENERATION = 0x0fc, REG_CONFIG = 0x100,
};
#define VIRTIO_MAGIC 0x74726976u
#define VIRTIO_VENDOR 0x554d4551u          /* "QEMU", as Linux expects none */
#define STATUS_NEEDS_RESET 0x40u
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u
#define VIRTQ_DESC_F_INDIRECT 4u

VirtioMmio *virtio_mmio_new(PhysMem *pm, IrqLine irq,
                            const VirtioDeviceOps *ops, void *dev)
{
    VirtioMmio *v = calloc(1, sizeof(*v));
    if (!v)
        return NULL;
    v->pm = pm;
    v->irq = irq;
    v->ops = ops;
    v->dev = dev;
    return v;
}

void virtio_mmio_destroy(VirtioMmio *v)
{
    if (!v)
        return;
    if (v->ops->destroy)
        v->ops->destroy(v->dev);
    free(v);
}

void virtio_mmio_reset(VirtioMmio *v)
{
    v->status = 0;
    v->driver_features = 0;
    v->device_features_sel = v->driver_features_sel = v->queue_sel = 0;
    v->interrupt_status = 0;
    memset(v->queues, 0, sizeof(v->queues));
    irq_set(&v->irq, 0);
    if (v->ops->reset)
        v->ops->reset(v->dev);
}

static VirtQueue *selected_queue(VirtioMmio *v)
{
    return v->queue_sel < v->ops->num_queues ? &v->queues[v->queue_sel] : NULL;
}

/* ---- virtqueue walking ------------------------------------------------------ */

static bool read_u16(VirtioMmio *v, uint64_t addr, uint16_t *out)
{
    return phys_copy_from(v->pm, out, addr, 2);
}

typedef struct Desc { uint64_t addr; uint32_t len; uint16_t flags, next; } Desc;

static bool read_desc(VirtioMmio *v, uint64_t table, uint32_t index, Desc *d)
{
    uint8_t raw[16];
    if (!phys_copy_from(v->pm, raw, table + 16ull * index, 16))
        return false;
    memcpy(&d->addr, raw, 8);
    memcpy(&d->len, raw + 8, 4);
    memcpy(&d->flags, raw + 12, 2);
    memcpy(&d->next, raw + 14, 2);
    return true;
}

static bool add_segment(VirtqChain *c, const Desc *d)
{
    if (c->n >= VIRTQ_MAX_CHAIN)
        return false;
    bool writable = d->flags & VIRTQ_DESC_F_WRITE;
    c->seg[c->n++] = (VirtqSegment){ d->addr, d->len, writable };
    if (writable)
        c->writable_len += d->len;
    else
        c->readable_len += d->len;
    return true;
}

/* Collect the chain at head; false if it is malformed. */
static bool collect_chain(VirtioMmio *v, VirtQueue *q, uint16_t head,
                          VirtqChain *c)
{
    uint64_t table = q->desc;
    uint32_t table_size = q->num, index = head;
    bool indirect_used = false;
    c->head = head;
    c->n = 0;
    c->readable_len = c->writable_len = 0;
    for (unsigned steps = 0; steps <= VIRTQ_MAX_CHAIN; steps++) {
        Desc d;
        if (index >= table_size || !read_desc(v, table, index, &d))
            return false;
        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            if (indirect_used || d.len % 16 || d.len == 0 ||
                d.len / 16 > VIRTQ_MAX_CHAIN)
                return false;
            indirect_used = true;
            table = d.addr;
            table_size = d.len / 16;
            index = 0;
            continue;
        }
        if (!add_segment(c, &d))
            return false;
        if (!(d.flags & VIRTQ_DESC_F_NEXT))
            return true;
        index = d.next;
    }
    return false;   /* a loop in the chain */
}

static bool stream_copy(VirtioMmio *v, const VirtqChain *c, bool writable,
                        uint64_t offset, uint8_t *buf, uint64_t len)
{
    for (unsigned i = 0; i < c->n && len; i++) {
        const VirtqSegment *s = &c->seg[i];
        if (s->writable != writable)
            continue;
        if (offset >= s->len) {
            offset -= s->len;
            continue;
        }
        uint64_t chunk = s->len - offset < len ? s->len - offset : len;
        bool ok = writable ? phys_copy_to(v->pm, s->addr + offset, buf, chunk)
                           : phys_copy_from(v->pm, buf, s->addr + offset, chunk);
        if (!ok)
            return false;
        buf += chunk;
        len -= chunk;
        offset = 0;
    }
    return len == 0;
}

bool virtq_read(VirtioMmio *v, const VirtqChain *c, uint64_t offset,
                void *buf, uint64_t len)
{
    return stream_copy(v, c, false, offset, buf, len);
}

bool virtq_write(VirtioMmio *v, const VirtqChain *c, uint64_t offset,
                 const void *buf, uint64_t len)
{
    return stream_copy(v, c, true, offset, (uint8_t *)buf, len);
}

static bool push_used(VirtioMmio *v, VirtQueue *q, uint16_t head, uint32_t len)
{
    uint16_t used_idx;
    if (!read_u16(v, q->used + 2, &used_idx))
        return false;
    uint8_t elem[8];
    uint32_t id = head;
    memcpy(elem, &id, 4);
    memcpy(elem + 4, &len, 4);
    if (!phys_copy_to(v->pm, q->used + 4 + 8ull * (used_idx % q->num), elem, 8))
        return false;
    used_idx++;
    return phys_copy_to(v->pm, q->used + 2, &used_idx, 2);
}

static void needs_reset(VirtioMmio *v)
{
    v->status |= STATUS_NEEDS_RESET;
    v->interrupt_status |= 2;   /* configuration change */
    irq_set(&v->irq, 1);
}

/* Serve the next chain the driver made available on queue qi: 1 if one
 * was, 0 if none is waiting, -1 if the ring is malformed (the device then
 * needs a reset). */
static int serve_one(VirtioMmio *v, unsigned qi, VirtqChain *chain)
{
    VirtQueue *q = &v->queues[qi];
    uint16_t avail_idx, head;
    if (!read_u16(v, q->avail + 2, &avail_idx))
        return -1;
    if (avail_idx == q->last_avail)
        return 0;
    if (!read_u16(v, q->avail + 4 + 2ull * (q->last_avail % q->num), &head) ||
        !collect_chain(v, q, head, chain))
        return -1;
    long written = v->ops->handle(v, v->dev, qi, chain);
    if (written < 0 || !push_used(v, q, head, (uint32_t)written))
        return -1;
    q->last_avail++;
    return 1;
}

/* Serve up to n chains of queue qi, then interrupt if any was served. */
static int serve_queue(VirtioMmio *v, unsigned qi, unsigned n)
{
    VirtqChain *chain = malloc(sizeof(*chain));
    int served = 0, r = 0;
    if (!chain)
        return 0;
    while (served < (int)n && (r = serve_one(v, qi, chain)) > 0)
        served++;
    free(chain);
    if (r < 0)
        needs_reset(v);
    if (served) {
        v->interrupt_status |= 1;
        irq_set(&v->irq, 1);
    }
    return r < 0 ? -1 : served;
}

static bool queue_live(const VirtioMmio *v, unsigned qi)
{
    return qi < v->ops->num_queues && v->queues[qi].ready &&
           (v->status & 4) && !(v->status & STATUS_NEEDS_RESET);
}

int virtio_mmio_deliver(VirtioMmio *v, unsigned queue)
{
    return queue_live(v, queue) ? serve_queue(v, queue, 1) : 0;
}

/* ---- registers ------------------------------------------------------------- */

uint64_t virtio_mmio_read_empty(void *opaque, uint64_t offset, unsigned size)
{
    if (size != 4)
        return 0;
    return offset == REG_MAGIC ? VIRTIO_MAGIC : offset == REG_VERSION ? 2 : 0;
}

uint64_t virtio_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    VirtioMmio *v = opaque;
    VirtQueue *q = selected_queue(v);
    if (offset >= REG_CONFIG)
        return v->ops->config_read ? v->ops->config_read(v->dev, offset - REG_CONFIG, size) : 0;
    if (size != 4)
        return 0;
    switch (offset) {
    case REG_MAGIC: return VIRTIO_MAGIC;
    case REG_VERSION: return 2;
    case REG_DEVICE_ID: return v->ops->device_id;
    case REG_VENDOR_ID: return VIRTIO_VENDOR;
    case REG_DEVICE_FEATURES:
        return v->device_features_sel > 1 ? 0
             : (uint32_t)(v->ops->features >> (32 * v->device_features_sel));
    case REG_QUEUE_NUM_MAX: return q ? VIRTQ_MAX_SIZE : 0;
    case REG_QUEUE_READY: return q ? q->ready : 0;
    case REG_INTERRUPT_STATUS: return v->interrupt_status;
    case REG_STATUS: return v->status;
    case REG_CONFIG_GENERATION: return 0;
    default: return 0;
    }
}

static void set_half(uint64_t *reg, bool high, uint32_t value)
{
    *reg = high ? (*reg & 0xffffffffull) | (uint64_t)value << 32
                : (*reg & ~0xffffffffull) | value;
}

static void write_queue_reg(VirtioMmio *v, VirtQueue *q, uint64_t offset,
                            uint32_t value)
{
    if (q->ready && offset != REG_QUEUE_READY)
        return;   /* a live queue's layout cannot change */
    switch (offset) {
    case REG_QUEUE_NUM:
        q->num = value >= 1 && value <= VIRTQ_MAX_SIZE ? value : 0;
        break;
    case REG_QUEUE_READY:
        q->ready = (value & 1) && q->num;
        if (q->ready)
            q->last_avail = 0;
        break;
    case REG_QUEUE_DESC_LOW: case REG_QUEUE_DESC_HIGH:
        set_half(&q->desc, offset == REG_QUEUE_DESC_HIGH, value); break;
    case REG_QUEUE_DRIVER_LOW: case REG_QUEUE_DRIVER_HIGH:
        set_half(&q->avail, offset == REG_QUEUE_DRIVER_HIGH, value); break;
    case REG_QUEUE_DEVICE_LOW: case REG_QUEUE_DEVICE_HIGH:
        set_half(&q->used, offset == REG_QUEUE_DEVICE_HIGH, value); break;
    default: break;
    }
}

void virtio_mmio_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size)
{
    VirtioMmio *v = opaque;
    uint32_t val = (uint32_t)value;
    if (offset >= REG_CONFIG || size != 4)
        return;   /* config space is read-only for our devices */
    switch (offset) {
    case REG_DEVICE_FEATURES_SEL: v->device_features_sel = val; break;
    case REG_DRIVER_FEATURES_SEL: v->driver_features_sel = val; break;
    case REG_DRIVER_FEATURES:
        if (v->driver_features_sel <= 1)
            set_half(&v->driver_features, v->driver_features_sel == 1,
                     val & (uint32_t)(v->ops->features >>
                                      (32 * v->driver_features_sel)));
        break;
    case REG_QUEUE_SEL: v->queue_sel = val; break;
    case REG_QUEUE_NOTIFY:
        /* At most one pass over the ring per notify bounds the work. */
        if (!queue_live(v, val))
            break;
        if (!(v->ops->held_queues >> val & 1))
            serve_queue(v, val, v->queues[val].num);
        else if (v->ops->buffers_added)
            v->ops->buffers_added(v, v->dev, val);
        break;
    case REG_INTERRUPT_ACK:
        v->interrupt_status &= ~val;
        if (!v->interrupt_status)
            irq_set(&v->irq, 0);
        break;
    case REG_STATUS:
        if (val == 0)
            virtio_mmio_reset(v);
        else
            v->status = val & 0xff;
        break;
    default: {
        VirtQueue *q = selected_queue(v);
        if (q)
            write_queue_reg(v, q, offset, val);
        break;
    }
    }
}
