/*
 * A hostile guest: writes pseudo-random values of every size to random
 * registers of the UART, CLINT, PLIC, RTC and virtio-mmio devices, drives the
 * virtio-blk, virtio-rng, virtio-9p and virtio-net queues with garbage rings (random addresses,
 * sizes, descriptor loops).  Then, on a virtio-blk device reset and set up
 * by the book, well-formed writes at random sectors, in range, across the
 * end and far past it: those in range must succeed and read back, the
 * others must fail with IOERR.  Last, 9P messages with random fields to the
 * shared directory (virtio-9p), which must still serve a session after.
 * Success is reported through HTIF (exit 0);
 * a wrong status or read-back is a non-zero exit.  The SiFive test device
 * is left alone: its job is to end the machine.
 */
#include <stdint.h>

extern volatile uint64_t tohost;

#ifndef FUZZ_SEED   /* other seeds: -DFUZZ_SEED=N (a longer campaign) */
#define FUZZ_SEED 0x2545f4914f6cdd1dull
#endif
static uint64_t state = FUZZ_SEED;
static uint64_t rnd(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static void poke(uintptr_t base, uint64_t span)
{
    uintptr_t addr = base + (rnd() % span);
    uint64_t v = rnd();
    switch (rnd() % 4) {
    case 0: *(volatile uint8_t *)addr = (uint8_t)v; break;
    case 1: *(volatile uint16_t *)(addr & ~1ul) = (uint16_t)v; break;
    case 2: *(volatile uint32_t *)(addr & ~3ul) = (uint32_t)v; break;
    default: *(volatile uint64_t *)(addr & ~7ul) = v; break;
    }
    (void)*(volatile uint32_t *)(addr & ~3ul);
}

static void w32(uintptr_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }

/* A virtio device set up by the book, but with a garbage ring. */
static void virtio_garbage(uintptr_t base, uint64_t *ram, unsigned words)
{
    for (unsigned i = 0; i < words; i++)
        ram[i] = rnd() % 4 ? rnd() : (rnd() & 0xffff);
    w32(base + 0x70, 0);                 /* reset */
    w32(base + 0x70, 1 | 2);             /* ACK, DRIVER */
    w32(base + 0x24, 1);
    w32(base + 0x20, 1);                 /* VERSION_1 */
    w32(base + 0x70, 1 | 2 | 8);         /* FEATURES_OK */
    w32(base + 0x30, (uint32_t)(rnd() % 3));
    w32(base + 0x38, (uint32_t)(rnd() % 300));
    uintptr_t r = (uintptr_t)ram;
    uintptr_t a = rnd() % 2 ? r : (uintptr_t)rnd();
    w32(base + 0x80, (uint32_t)a);
    w32(base + 0x84, (uint32_t)(a >> 32));
    w32(base + 0x90, (uint32_t)(r + 2048));
    w32(base + 0x94, 0);
    w32(base + 0xa0, (uint32_t)(rnd() % 2 ? r + 4096 : rnd()));
    w32(base + 0xa4, 0);
    w32(base + 0x44, 1);                 /* ready */
    w32(base + 0x70, 1 | 2 | 4 | 8);     /* DRIVER_OK */
    w32(base + 0x50, (uint32_t)(rnd() % 3));   /* notify */
    w32(base + 0x64, (uint32_t)rnd());         /* ack */
}

static uint64_t ring_ram[1024] __attribute__((aligned(4096)));

/* ---- well-formed virtio-blk requests ---- */

enum { QSZ = 8, BLK_BASE = 0x10001000, BLK_OUT = 1, BLK_IN = 0 };
struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
static struct desc vq_desc[QSZ] __attribute__((aligned(16)));
static struct { uint16_t flags, idx, ring[QSZ], used_event; } vq_avail
    __attribute__((aligned(4)));
static volatile struct {
    uint16_t flags, idx;
    struct { uint32_t id, len; } ring[QSZ];
    uint16_t avail_event;
} vq_used __attribute__((aligned(4)));
static uint8_t req_header[16], req_status;
static uint8_t data_out[4096], data_in[4096];

static uint32_t r32(uintptr_t addr) { return *(volatile uint32_t *)addr; }
static void w64pair(uintptr_t reg, const volatile void *p)
{
    w32(reg, (uint32_t)(uintptr_t)p);
    w32(reg + 4, (uint32_t)((uint64_t)(uintptr_t)p >> 32));
}

/* Bring the virtio device at base up by the book, with one queue on
 * vq_desc/vq_avail/vq_used and the low feature bits given; 0 if refused. */
static int vq_setup(uintptr_t base, uint32_t features_low)
{
    w32(base + 0x70, 0);
    w32(base + 0x70, 1 | 2);
    w32(base + 0x24, 1);
    w32(base + 0x20, 1);                 /* VERSION_1 */
    w32(base + 0x24, 0);
    w32(base + 0x20, features_low);
    w32(base + 0x70, 1 | 2 | 8);
    if (!(r32(base + 0x70) & 8))
        return 0;
    w32(base + 0x30, 0);
    if (r32(base + 0x34) < QSZ)
        return 0;
    w32(base + 0x38, QSZ);
    w64pair(base + 0x80, vq_desc);
    w64pair(base + 0x90, &vq_avail);
    w64pair(base + 0xa0, &vq_used);
    w32(base + 0x44, 1);
    w32(base + 0x70, 1 | 2 | 4 | 8);
    vq_avail.idx = 0;
    return 1;
}

/* Hand the chain at vq_desc[0] to the device at base; 0 if it is never
 * used. */
static int vq_submit(uintptr_t base)
{
    uint16_t want = (uint16_t)(vq_used.idx + 1);
    vq_avail.ring[vq_avail.idx % QSZ] = 0;
    __asm__ volatile("fence" ::: "memory");
    vq_avail.idx++;
    __asm__ volatile("fence" ::: "memory");
    w32(base + 0x50, 0);
    for (int spin = 0; vq_used.idx != want; spin++)
        if (spin > 1000000)
            return 0;
    w32(base + 0x64, r32(base + 0x60));
    return 1;
}

/* One request (header, data, status); its status, or 0xff if it is never
 * used. */
static unsigned blk_request(uint32_t type, uint64_t sector, uint8_t *data,
                            uint32_t len)
{
    for (int i = 0; i < 16; i++)
        req_header[i] = (uint8_t)(i < 4 ? type >> (8 * i) :
                                  i >= 8 ? sector >> (8 * (i - 8)) : 0);
    req_status = 0xee;
    vq_desc[0] = (struct desc){ (uintptr_t)req_header, 16, 1, 1 };
    vq_desc[1] = (struct desc){ (uintptr_t)data, len,
                                (uint16_t)(1 | (type == BLK_IN ? 2 : 0)), 2 };
    vq_desc[2] = (struct desc){ (uintptr_t)&req_status, 1, 2, 0 };
    return vq_submit(BLK_BASE) ? req_status : 0xff;
}

/* Writes in range (must succeed and read back), across the end and far past
 * it (must fail): 0 when all behave. */
static int blk_bounds(void)
{
    if (!vq_setup(BLK_BASE, 0))
        return 10;
    uint64_t capacity = *(volatile uint64_t *)(BLK_BASE + 0x100);
    for (int i = 0; i < 200; i++) {
        uint32_t sectors = 1 + rnd() % 8, len = 512 * sectors;
        uint64_t sector;
        switch (rnd() % 4) {
        case 0: sector = capacity - 1 - rnd() % 4; break;       /* across the end? */
        case 1: sector = rnd() >> (rnd() % 64); break;           /* anywhere, huge */
        default: sector = rnd() % (capacity - 8); break;         /* in range */
        }
        int fits = sector <= capacity && sectors <= capacity - sector;
        for (uint32_t k = 0; k < len; k++)
            data_out[k] = (uint8_t)rnd();
        unsigned st = blk_request(BLK_OUT, sector, data_out, len);
        if (st != (fits ? 0u : 1u))
            return 11;
        if (!fits)
            continue;
        if (blk_request(BLK_IN, sector, data_in, len) != 0)
            return 12;
        for (uint32_t k = 0; k < len; k++)
            if (data_in[k] != data_out[k])
                return 13;
    }
    return 0;
}

/* ---- 9P: a session, then messages of every type with random fields ---- */

/* The shared directory (-virtfs) after the disk and the entropy source,
 * then the network card (its peer sends every frame back). */
enum { P9_BASE = 0x10003000, NET_BASE = 0x10004000, P9_MSG = 4096 };
static uint8_t p9_tx[P9_MSG], p9_rx[P9_MSG];
static unsigned p9_len;

static void p9_put(uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n && p9_len < P9_MSG; i++)
        p9_tx[p9_len++] = (uint8_t)(v >> (8 * i));
}

/* A name: one the share has, one that tries to leave it, or random bytes. */
static void p9_put_name(void)
{
    static const char *const names[] = { "..", ".", "escape", "outfile",
        "hello.txt", "a/b", "", "/etc", "../outside", "escape/secret.txt",
        "pipe" };
    char buf[16];
    const char *name = names[rnd() % 11];
    if (rnd() % 3 == 0) {
        unsigned len = (unsigned)(rnd() % 15);
        for (unsigned i = 0; i < len; i++)
            buf[i] = "ab./x\001"[rnd() % 6];
        buf[len] = 0;
        name = buf;
    }
    unsigned len = 0;
    while (name[len])
        len++;
    p9_put(len, 2);
    for (unsigned i = 0; i < len; i++)
        p9_put((uint8_t)name[i], 1);
}

/* Send p9_tx as a message of that type: well-formed, or (garble) its
 * size field now and then wrong and the room for the reply random; 0 if
 * the device never answers. */
static int p9_send(uint8_t type, int garble)
{
    static const uint32_t reply_room[] = { 7, 11, 64, P9_MSG };
    uint32_t size = !garble || rnd() % 16 ? p9_len : (uint32_t)rnd() % (2 * P9_MSG);
    for (int i = 0; i < 4; i++)
        p9_tx[i] = (uint8_t)(size >> (8 * i));
    p9_tx[4] = type;
    vq_desc[0] = (struct desc){ (uintptr_t)p9_tx, p9_len, 1, 1 };
    vq_desc[1] = (struct desc){ (uintptr_t)p9_rx,
                                garble ? reply_room[rnd() % 4] : P9_MSG, 2, 0 };
    return vq_submit(P9_BASE);
}

/* The device set up again, Tversion, and Tattach of fid 0. */
static int p9_session(void)
{
    if (!vq_setup(P9_BASE, 1))
        return 0;
    p9_len = 7;
    p9_put(P9_MSG, 4);
    p9_put(8, 2);
    for (const char *v = "9P2000.L"; *v; v++)
        p9_put((uint8_t)*v, 1);
    if (!p9_send(100, 0) || p9_rx[4] != 101)
        return 0;
    p9_len = 7;
    p9_put(0, 4);                  /* fid */
    p9_put(~0u, 4);                /* afid */
    p9_put(0, 2);                  /* uname, aname */
    p9_put(0, 2);
    p9_put(0, 4);
    return p9_send(104, 0) && p9_rx[4] == 105;
}

/* One field of a message: f a fid (0-7), n a name, w a walk's names,
 * d a write's count and bytes, 1/2/4/8 a number of that many bytes. */
static void p9_put_field(char kind)
{
    switch (kind) {
    case 'f': p9_put(rnd() % 8, 4); break;
    case 'n': p9_put_name(); break;
    case 'w': {
        unsigned n = (unsigned)(rnd() % 5);
        p9_put(n, 2);
        for (unsigned i = 0; i < n; i++)
            p9_put_name();
        break;
    }
    case 'd': {
        unsigned n = (unsigned)(rnd() % 64);
        p9_put(rnd() % 8 ? n : (uint32_t)rnd(), 4);
        for (unsigned i = 0; i < n; i++)
            p9_put(rnd(), 1);
        break;
    }
    case '8': p9_put(rnd() >> (rnd() % 64), 8); break;
    case '4': p9_put(rnd() % 2 ? rnd() % 01000 : rnd(), 4); break;
    default: p9_put(rnd(), (unsigned)(kind - '0')); break;
    }
}

/* 3000 messages: most laid out as their type's (so that walks, creates,
 * renames and the rest get past parsing), with random values, fids 0-7
 * and names that try to leave the share; the others random fields under
 * any type.  Afterwards a new session must still work.  The suite checks
 * that nothing outside the share changed. */
static int p9_fuzz(void)
{
    static const struct { uint8_t type; const char *fields; } layouts[] = {
        { 8, "f" }, { 12, "f4" }, { 14, "fn444" }, { 16, "fnn4" },
        { 18, "fn4444" }, { 20, "ffn" }, { 22, "f" }, { 24, "f8" },
        { 26, "f4444888888" }, { 30, "ffn" }, { 32, "fn84" }, { 40, "f84" },
        { 50, "f4" }, { 52, "f14884n" }, { 54, "f1884n" }, { 70, "ffn" },
        { 72, "fn44" }, { 74, "fnfn" }, { 76, "fn4" }, { 104, "ff" "nn4" },
        { 108, "2" }, { 110, "ffw" }, { 116, "f84" }, { 118, "f8d" },
        { 120, "f" }, { 122, "f" }, { 0, "44" }, { 255, "8" },
    };
    enum { N_LAYOUTS = sizeof(layouts) / sizeof(layouts[0]) };
    if (!p9_session())
        return 20;
    for (int i = 0; i < 3000; i++) {
        unsigned pick = (unsigned)(rnd() % N_LAYOUTS);
        p9_len = 7;
        if (rnd() % 4) {
            for (const char *f = layouts[pick].fields; *f; f++)
                p9_put_field(*f);
        } else {
            for (unsigned n = (unsigned)(rnd() % 8); n > 0; n--)
                p9_put_field("fnw8421"[rnd() % 7]);
        }
        if (!p9_send(layouts[pick].type, 1) && !p9_session())
            return 21;
    }
    return p9_session() ? 0 : 22;
}

int main(void)
{
    for (int round = 0; round < 20000; round++) {
        poke(0x10000000, 8);             /* UART */
        poke(0x2000000, 0x10000);        /* CLINT (mtimecmp, msip) */
        poke(0xc000000, 0x400000);       /* PLIC */
        poke(0x101000, 0x20);            /* RTC (time, alarm, interrupt) */
        poke(0x10001000, 0x200);         /* virtio-blk registers */
        poke(0x10002000, 0x200);         /* virtio-rng registers */
        poke(P9_BASE, 0x200);            /* virtio-9p registers */
        poke(NET_BASE, 0x200);           /* virtio-net registers */
        if (round % 16 == 0) {
            virtio_garbage(0x10001000, ring_ram, 1024);
            virtio_garbage(0x10002000, ring_ram, 1024);
            virtio_garbage(P9_BASE, ring_ram, 1024);
            virtio_garbage(NET_BASE, ring_ram, 1024);
        }
    }
    /* disable the CLINT timer interrupt source we may have armed */
    *(volatile uint64_t *)(0x2000000 + 0x4000) = ~0ull;
    int failed = blk_bounds();
    return failed ? failed : p9_fuzz();
}
