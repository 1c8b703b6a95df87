/*
 * A hostile guest: writes pseudo-random values of every size to random
 * registers of the UART, CLINT, PLIC and virtio-mmio devices, drives the
 * virtio-blk and virtio-rng queues with garbage rings (random addresses,
 * sizes, descriptor loops), and then reports success through HTIF.  The
 * emulator must survive all of it.  The SiFive test device is left alone:
 * its job is to end the machine.
 */
#include <stdint.h>

extern volatile uint64_t tohost;

static uint64_t state = 0x2545f4914f6cdd1dull;
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

int main(void)
{
    for (int round = 0; round < 20000; round++) {
        poke(0x10000000, 8);             /* UART */
        poke(0x2000000, 0x10000);        /* CLINT (mtimecmp, msip) */
        poke(0xc000000, 0x400000);       /* PLIC */
        poke(0x10001000, 0x200);         /* virtio-blk registers */
        poke(0x10002000, 0x200);         /* virtio-rng registers */
        if (round % 16 == 0) {
            virtio_garbage(0x10001000, ring_ram, 1024);
            virtio_garbage(0x10002000, ring_ram, 1024);
        }
    }
    /* disable the CLINT timer interrupt source we may have armed */
    *(volatile uint64_t *)(0x2000000 + 0x4000) = ~0ull;
    return 0;
}
