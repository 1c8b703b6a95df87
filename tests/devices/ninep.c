/*
 * Bare-metal: a 9P2000.L client of its own on the virtio-9p device, trying
 * to leave the shared directory.  tests/suites/devices.sh shares a folder
 * holding hello.txt, "escape" (a symlink to a folder outside it, which
 * holds secret.txt) and "outfile" (a symlink to that secret.txt).  Walks
 * through a symlink, "..", names with '/', creating, renaming, removing
 * and chmod/truncate through the symlinks (also of an open file whose name
 * became a symlink) must all fail or touch nothing
 * outside (the script checks the outside folder afterwards); garbage
 * messages get Rlerror; opening the host's fifo is refused, not waited
 * on; plain reads and writes work.  Exit code 0, or the
 * number of the failed check.  QEMU's virt board passes it too, built
 * with QEMU_REFERENCE: without the malformed messages, after which QEMU
 * serves nothing more.
 */
#include <stdint.h>

#define VIRTIO_BASE 0x10001000ul
#define VIRTIO_SLOTS 8
enum {
    MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, DEV_FEATURES = 0x010,
    DEV_FEATURES_SEL = 0x014, DRV_FEATURES = 0x020, DRV_FEATURES_SEL = 0x024,
    QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038,
    QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, INT_STATUS = 0x060,
    INT_ACK = 0x064, STATUS = 0x070, DESC_LOW = 0x080, DESC_HIGH = 0x084,
    AVAIL_LOW = 0x090, AVAIL_HIGH = 0x094, USED_LOW = 0x0a0, USED_HIGH = 0x0a4,
    CONFIG = 0x100,
};
enum { RLERROR = 7, QSIZE = 8, MSG = 16384 };   /* (QEMU warns of less) */

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
static struct desc ring_desc[QSIZE] __attribute__((aligned(4096)));
static struct { uint16_t flags, idx, ring[QSIZE]; } avail __attribute__((aligned(4096)));
static struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[QSIZE]; }
    used __attribute__((aligned(4096)));
static uint8_t tx[MSG], rx[MSG];
static unsigned tx_len, rx_pos;
static unsigned long dev;

static volatile uint32_t *reg(unsigned off)
{
    return (volatile uint32_t *)(dev + off);
}

/* Find the 9P device and bring it up; 0 or a failed check's number. */
static int virtio_init(void)
{
    for (unsigned i = 0; i < VIRTIO_SLOTS && !dev; i++) {
        unsigned long base = VIRTIO_BASE + 0x1000ul * i;
        if (*(volatile uint32_t *)(base + MAGIC) == 0x74726976 &&
            *(volatile uint32_t *)(base + DEVICE_ID) == 9)
            dev = base;
    }
    if (!dev || *reg(VERSION) != 2)
        return 1;
    *reg(STATUS) = 0;
    *reg(STATUS) = 1 | 2;                       /* ACKNOWLEDGE, DRIVER */
    *reg(DEV_FEATURES_SEL) = 1;
    if (!(*reg(DEV_FEATURES) & 1))              /* VERSION_1 */
        return 2;
    *reg(DRV_FEATURES_SEL) = 0;
    *reg(DRV_FEATURES) = 1;                     /* MOUNT_TAG */
    *reg(DRV_FEATURES_SEL) = 1;
    *reg(DRV_FEATURES) = 1;
    *reg(STATUS) = 1 | 2 | 8;                   /* FEATURES_OK */
    if (!(*reg(STATUS) & 8))
        return 3;
    *reg(QUEUE_SEL) = 0;
    if (*reg(QUEUE_NUM_MAX) < QSIZE)
        return 4;
    *reg(QUEUE_NUM) = QSIZE;
    *reg(DESC_LOW) = (uint32_t)(unsigned long)ring_desc;
    *reg(DESC_HIGH) = 0;
    *reg(AVAIL_LOW) = (uint32_t)(unsigned long)&avail;
    *reg(AVAIL_HIGH) = 0;
    *reg(USED_LOW) = (uint32_t)(unsigned long)&used;
    *reg(USED_HIGH) = 0;
    *reg(QUEUE_READY) = 1;
    *reg(STATUS) = 1 | 2 | 8 | 4;               /* DRIVER_OK */
    volatile uint8_t *config = (volatile uint8_t *)(dev + CONFIG);
    return config[0] == 4 && config[2] == 't' && config[5] == 't' ? 0 : 5;
}

/* ---- messages ---- */

static void put(uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        tx[tx_len++] = (uint8_t)(v >> (8 * i));
}

static void put_str(const char *s)
{
    unsigned n = 0;
    while (s[n])
        n++;
    put(n, 2);
    for (unsigned i = 0; i < n; i++)
        tx[tx_len++] = (uint8_t)s[i];
}

static void begin(uint8_t type)
{
    tx_len = 0;
    put(0, 4);
    put(type, 1);
    put(1, 2);   /* tag */
}

static uint64_t get(unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)rx[rx_pos++] << (8 * i);
    return v;
}

/* Send tx (its size field set to size_field, normally tx_len), wait for
 * the reply; its type. */
static unsigned exchange(uint32_t size_field)
{
    for (unsigned i = 0; i < 4; i++)
        tx[i] = (uint8_t)(size_field >> (8 * i));
    for (unsigned i = 0; i < 7; i++)
        rx[i] = 0;
    ring_desc[0] = (struct desc){ (unsigned long)tx, tx_len, 1, 1 };
    ring_desc[1] = (struct desc){ (unsigned long)rx, MSG, 2, 0 };
    uint16_t before = used.idx;
    avail.ring[avail.idx % QSIZE] = 0;
    __sync_synchronize();
    avail.idx++;
    __sync_synchronize();
    *reg(QUEUE_NOTIFY) = 0;
    for (unsigned long spin = 0; *(volatile uint16_t *)&used.idx == before; spin++)
        if (spin > 10000000ul)
            return 0;
    *reg(INT_ACK) = *reg(INT_STATUS);
    rx_pos = 7;
    return rx[4];
}

static unsigned send(void) { return exchange(tx_len); }

static unsigned walk(uint32_t fid, uint32_t newfid, unsigned n, const char *const *names)
{
    begin(110);
    put(fid, 4);
    put(newfid, 4);
    put(n, 2);
    for (unsigned i = 0; i < n; i++)
        put_str(names[i]);
    return send();
}

/* A walk of all n names succeeded (newfid now names the last). */
static int walked(uint32_t fid, uint32_t newfid, unsigned n, const char *const *names)
{
    return walk(fid, newfid, n, names) == 111 && get(2) == n;
}

static unsigned clunk(uint32_t fid)
{
    begin(120);
    put(fid, 4);
    return send();
}

static unsigned lopen(uint32_t fid, uint32_t flags)
{
    begin(12);
    put(fid, 4);
    put(flags, 4);
    return send();
}

static unsigned lcreate(uint32_t dfid, const char *name)
{
    begin(14);
    put(dfid, 4);
    put_str(name);
    put(0101 | 01000, 4);   /* O_WRONLY | O_CREAT | O_TRUNC */
    put(0644, 4);
    put(0, 4);
    return send();
}

static unsigned mkdir_in(uint32_t dfid, const char *name)
{
    begin(72);
    put(dfid, 4);
    put_str(name);
    put(0755, 4);
    put(0, 4);
    return send();
}

static unsigned renameat(uint32_t odfid, const char *name, uint32_t ndfid,
                         const char *newname)
{
    begin(74);
    put(odfid, 4);
    put_str(name);
    put(ndfid, 4);
    put_str(newname);
    return send();
}

static unsigned unlinkat(uint32_t dfid, const char *name)
{
    begin(76);
    put(dfid, 4);
    put_str(name);
    put(0, 4);
    return send();
}

static unsigned symlink_in(uint32_t dfid, const char *name, const char *target)
{
    begin(16);
    put(dfid, 4);
    put_str(name);
    put_str(target);
    put(0, 4);
    return send();
}

/* Tsetattr: mode 0777 and size 0 */
static unsigned clobber_attrs(uint32_t fid)
{
    begin(26);
    put(fid, 4);
    put(1 | 8, 4);
    put(0777, 4);
    put(0, 4);
    put(0, 4);
    put(0, 8);
    for (unsigned i = 0; i < 4; i++)
        put(0, 8);
    return send();
}

static unsigned read_fid(uint32_t fid, uint32_t count)
{
    begin(116);
    put(fid, 4);
    put(0, 8);
    put(count, 4);
    return send();
}

static int same(const uint8_t *a, const char *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (a[i] != (uint8_t)b[i])
            return 0;
    return 1;
}

/* ---- the checks ---- */

static int setup_session(void)
{
    begin(100);
    put(MSG, 4);
    put_str("9P2000.L");
    if (send() != 101 || get(4) > MSG)
        return 10;
    begin(104);
    put(0, 4);                    /* fid 0: the share's root */
    put(0xffffffffu, 4);
    put_str("root");
    put_str("");
    put(0, 4);
    return send() == 105 ? 0 : 11;
}

static int plain_io(void)
{
    static const char *const hello[] = { "hello.txt" };
    if (!walked(0, 1, 1, hello) || lopen(1, 0) != 13)
        return 20;
    if (read_fid(1, 4096) != 117 || get(4) != 20 ||
        !same(rx + rx_pos, "hello from the host\n", 20))
        return 21;
    clunk(1);
    if (!walked(0, 2, 0, 0) || lcreate(2, "made.txt") != 15)
        return 22;
    begin(118);
    put(2, 4);
    put(0, 8);
    put(15, 4);
    for (const char *p = "from bare metal"; *p; p++)
        put((uint8_t)*p, 1);
    if (send() != 119 || get(4) != 15)
        return 23;
    clunk(2);
    return 0;
}

static int leaving_by_walk(void)
{
    static const char *const up_hello[] = { "..", "..", "hello.txt" };
    static const char *const up_out[] = { "..", "outside", "secret.txt" };
    static const char *const through_dir_link[] = { "escape", "secret.txt" };
    static const char *const slash[] = { "sub/../../outside" };
    static const char *const absolute[] = { "/etc" };
    if (!walked(0, 3, 3, up_hello))   /* ".." stops at the root */
        return 30;
    clunk(3);
    if (walked(0, 3, 3, up_out))
        return 31;
    if (walked(0, 3, 2, through_dir_link))
        return 32;
    if (walk(0, 3, 1, slash) != RLERROR || walk(0, 3, 1, absolute) != RLERROR)
        return 33;
    return 0;
}

static int leaving_by_links(void)
{
    static const char *const escape[] = { "escape" }, *const outfile[] = { "outfile" };
    static const char *const evil_secret[] = { "evil", "secret.txt" };
    if (!walked(0, 4, 1, escape))   /* the link itself may be named */
        return 40;
    if (lopen(4, 0) != RLERROR || lcreate(4, "new.txt") != RLERROR ||
        mkdir_in(4, "newdir") != RLERROR || symlink_in(4, "l", "x") != RLERROR ||
        unlinkat(4, "secret.txt") != RLERROR)
        return 41;
    if (renameat(0, "hello.txt", 4, "stolen.txt") != RLERROR)
        return 42;
    if (!walked(0, 5, 1, outfile) || lopen(5, 2) != RLERROR)
        return 43;
    clobber_attrs(5);   /* may answer either way; must not reach the target */
    if (symlink_in(0, "evil", "../outside") != 17 || walked(0, 6, 2, evil_secret))
        return 44;
    /* An open file's name swapped for a link out of the share: attribute
     * changes reach the open file, never the link's target. */
    if (!walked(0, 7, 0, 0) || lcreate(7, "victim") != 15 ||
        unlinkat(0, "victim") != 77 || symlink_in(0, "victim", "../outside/secret.txt") != 17)
        return 45;
    clobber_attrs(7);
    return 0;
}

static int bad_names(void)
{
    static const char *const bad[] = { "..", ".", "a/b", "" };
    for (unsigned i = 0; i < 4; i++)
        if (lcreate(0, bad[i]) != RLERROR || mkdir_in(0, bad[i]) != RLERROR ||
            renameat(0, "hello.txt", 0, bad[i]) != RLERROR)
            return 50 + (int)i;
    return 0;
}

static int garbage(void)
{
    begin(250);                                   /* an unknown type */
    if (send() != RLERROR)
        return 60;
    if (lopen(0xfffffff0u, 0) != RLERROR || clunk(12345) != RLERROR)
        return 61;
#ifndef QEMU_REFERENCE
    /* The host's fifo: refused, opened or created over (QEMU opens it, and
     * waits for its other end) */
    static const char *const pipe[] = { "pipe" };
    if (!walked(0, 6, 1, pipe) || lopen(6, 0) != RLERROR)
        return 65;
    if (!walked(0, 8, 0, 0) || lcreate(8, "pipe") != RLERROR)
        return 66;
    /* (QEMU stops serving at a malformed message) */
    begin(118);                                   /* count past the data */
    put(0, 4);
    put(0, 8);
    put(100000, 4);
    if (send() != RLERROR)
        return 62;
    begin(110);                                   /* a string past the end */
    put(0, 4);
    put(7, 4);
    put(1, 2);
    put(5000, 2);
    if (send() != RLERROR)
        return 63;
    begin(110);                                   /* a size past the chain */
    put(0, 4);
    put(7, 4);
    put(1, 2);
    if (exchange(tx_len + 100) != RLERROR)
        return 64;
#endif
    return 0;
}

int main(void)
{
    int (*const steps[])(void) = { virtio_init, setup_session, plain_io,
                                   leaving_by_walk, leaving_by_links, bad_names,
                                   garbage };
    for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        int failed = steps[i]();
        if (failed)
            return failed;
    }
    return 0;
}
