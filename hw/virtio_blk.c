/*
 * virtio-blk on a raw image file.  Writes go straight to the file (pwrite),
 * FLUSH calls fsync, and the file is synced again when the machine goes
 * away, so no acknowledged write is lost.  With -snapshot they go to an
 * overlay instead, an unlinked temporary file (at the same offsets, so it
 * holds the room of what was written, sparse where the host allows), and a
 * bitmap of the sectors written says which file each read comes from.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/virtio_mmio.h"

enum { BLK_T_IN = 0, BLK_T_OUT = 1, BLK_T_FLUSH = 4, BLK_T_GET_ID = 8 };
enum { BLK_S_OK = 0, BLK_S_IOERR = 1, BLK_S_UNSUPP = 2 };
#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)
#define SECTOR 512u
#define BOUNCE (64u * 1024u)

typedef struct VirtioBlk {
    int fd;                  /* the image */
    FILE *overlay;           /* -snapshot: the guest's writes, else NULL */
    uint8_t *written;        /* -snapshot: a bit per sector in the overlay */
    uint64_t sectors;
    bool readonly;
    uint8_t bounce[BOUNCE];
    VirtioDeviceOps ops;
} VirtioBlk;

static uint64_t blk_config_read(void *dev, uint64_t offset, unsigned size)
{
    VirtioBlk *b = dev;
    uint8_t config[8];
    memcpy(config, &b->sectors, 8);   /* capacity, in 512-byte sectors */
    uint64_t v = 0;
    if (offset < 8 && size <= 8 - offset)
        memcpy(&v, config + offset, size);
    return v;
}

static bool sector_in_overlay(const VirtioBlk *b, uint64_t sector)
{
    return b->written && (b->written[sector / 8] >> (sector % 8) & 1);
}

/* How many bytes from pos (sector aligned; at most `left`, and at most the
 * bounce buffer) one file holds for a read, and which (*fd). */
static size_t read_run(const VirtioBlk *b, uint64_t pos, uint64_t left, int *fd)
{
    size_t max = left < BOUNCE ? (size_t)left : BOUNCE;
    *fd = b->fd;
    if (!b->overlay)
        return max;
    bool overlay = sector_in_overlay(b, pos / SECTOR);
    size_t n = SECTOR;
    while (n < max && sector_in_overlay(b, (pos + n) / SECTOR) == overlay)
        n += SECTOR;
    if (overlay)
        *fd = fileno(b->overlay);
    return n;
}

static bool write_sectors(VirtioBlk *b, uint64_t pos, size_t len)
{
    if (!b->overlay)
        return pwrite(b->fd, b->bounce, len, (off_t)pos) == (ssize_t)len;
    if (pwrite(fileno(b->overlay), b->bounce, len, (off_t)pos) != (ssize_t)len)
        return false;
    for (uint64_t s = pos / SECTOR; s < (pos + len) / SECTOR; s++)
        b->written[s / 8] |= (uint8_t)(1u << (s % 8));
    return true;
}

/* Move `len` bytes (whole sectors) between the disk at `pos` and the
 * chain's data area. */
static bool blk_transfer(VirtioMmio *v, VirtioBlk *b, VirtqChain *c,
                         bool to_guest, uint64_t pos, uint64_t len)
{
    for (uint64_t done = 0; done < len;) {
        size_t chunk;
        if (to_guest) {
            int fd;
            chunk = read_run(b, pos + done, len - done, &fd);
            ssize_t n = pread(fd, b->bounce, chunk, (off_t)(pos + done));
            if (n != (ssize_t)chunk || !virtq_write(v, c, done, b->bounce, chunk))
                return false;
        } else {
            chunk = len - done < BOUNCE ? (size_t)(len - done) : BOUNCE;
            /* The data follows the 16-byte request header. */
            if (!virtq_read(v, c, 16 + done, b->bounce, chunk) ||
                !write_sectors(b, pos + done, chunk))
                return false;
        }
        done += chunk;
    }
    return true;
}

static uint8_t blk_request(VirtioMmio *v, VirtioBlk *b, VirtqChain *c,
                           uint32_t type, uint64_t sector, uint64_t *written)
{
    uint64_t data_in = c->writable_len - 1;        /* minus the status byte */
    uint64_t data_out = c->readable_len - 16;      /* minus the header */
    switch (type) {
    case BLK_T_IN:
        if (data_in % SECTOR || sector > b->sectors ||
            data_in / SECTOR > b->sectors - sector)
            return BLK_S_IOERR;
        if (!blk_transfer(v, b, c, true, sector * SECTOR, data_in))
            return BLK_S_IOERR;
        *written = data_in;
        return BLK_S_OK;
    case BLK_T_OUT:
        if (b->readonly)
            return BLK_S_IOERR;
        if (data_out % SECTOR || sector > b->sectors ||
            data_out / SECTOR > b->sectors - sector)
            return BLK_S_IOERR;
        return blk_transfer(v, b, c, false, sector * SECTOR, data_out)
                   ? BLK_S_OK : BLK_S_IOERR;
    case BLK_T_FLUSH:   /* (an overlay is dropped at the end anyway) */
        return b->overlay || fsync(b->fd) == 0 ? BLK_S_OK : BLK_S_IOERR;
    case BLK_T_GET_ID: {
        static const char id[20] = "wasmu-virtio-blk";
        uint64_t n = data_in < sizeof(id) ? data_in : sizeof(id);
        if (!virtq_write(v, c, 0, id, n))
            return BLK_S_IOERR;
        *written = n;
        return BLK_S_OK;
    }
    default:
        return BLK_S_UNSUPP;
    }
}

static long blk_handle(VirtioMmio *v, void *dev, unsigned queue, VirtqChain *c)
{
    VirtioBlk *b = dev;
    uint8_t header[16];
    if (c->readable_len < 16 || c->writable_len < 1 ||
        !virtq_read(v, c, 0, header, 16))
        return -1;
    uint32_t type;
    uint64_t sector, written = 0;
    memcpy(&type, header, 4);
    memcpy(&sector, header + 8, 8);
    uint8_t status = blk_request(v, b, c, type, sector, &written);
    if (!virtq_write(v, c, c->writable_len - 1, &status, 1))
        return -1;
    return (long)(written + 1);
}

static void blk_destroy(void *dev)
{
    VirtioBlk *b = dev;
    if (b->overlay)
        fclose(b->overlay);
    else
        fsync(b->fd);
    close(b->fd);
    free(b->written);
    free(b);
}

/* -snapshot: the overlay file and its bitmap; false if either fails. */
static bool blk_open_overlay(VirtioBlk *b)
{
    b->overlay = tmpfile();
    b->written = calloc((size_t)(b->sectors / 8 + 1), 1);
    return b->overlay && b->written;
}

VirtioMmio *virtio_blk_create(PhysMem *pm, IrqLine irq, const char *path,
                              bool readonly, bool snapshot, char *err,
                              size_t errlen)
{
    int fd = open(path, readonly || snapshot ? O_RDONLY : O_RDWR);
    if (fd < 0) {
        snprintf(err, errlen, "-drive: cannot open '%s': %s", path,
                 strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < SECTOR) {
        snprintf(err, errlen, "-drive: '%s' is not a disk image (a regular "
                 "file of at least 512 bytes)", path);
        close(fd);
        return NULL;
    }
    VirtioBlk *b = calloc(1, sizeof(*b));
    if (!b) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->fd = fd;
    b->sectors = (uint64_t)st.st_size / SECTOR;
    b->readonly = readonly;
    if (snapshot && !readonly && !blk_open_overlay(b)) {
        snprintf(err, errlen, "-snapshot: cannot make a temporary overlay "
                 "for '%s': %s", path, strerror(errno));
        blk_destroy(b);
        return NULL;
    }
    b->ops = (VirtioDeviceOps){
        .device_id = 2,
        .features = VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_FLUSH |
                    (readonly ? VIRTIO_BLK_F_RO : 0),
        .num_queues = 1,
        .config_read = blk_config_read,
        .handle = blk_handle,
        .destroy = blk_destroy,
    };
    VirtioMmio *v = virtio_mmio_new(pm, irq, &b->ops, b);
    if (!v) {
        blk_destroy(b);
        snprintf(err, errlen, "out of memory");
    }
    return v;
}
