/*
 * Bare-metal: a virtio-mmio slot with no device behind it (the last of the
 * board's eight, 0x10008000, when fewer devices are given) answers as on
 * QEMU's virt board: the magic "virt", version 2, device ID 0, and writes
 * to its registers (the first 0x200 bytes, QEMU's transport), of every
 * size, are ignored rather than faulting
 * (there is no trap vector here: a fault would hang this program, and the
 * test times out).  Exit code 0, or the number of the failed check.
 */
#include <stdint.h>

#define SLOT 0x10008000ul

static uint32_t rd(unsigned reg) { return *(volatile uint32_t *)(SLOT + reg); }

int main(void)
{
    if (rd(0x000) != 0x74726976u)
        return 1;
    if (rd(0x004) != 2)
        return 2;
    if (rd(0x008) != 0)
        return 3;
    for (unsigned off = 0; off < 0x200; off += 8) {
        *(volatile uint8_t *)(SLOT + off) = 0xa5;
        *(volatile uint16_t *)(SLOT + off + 2) = 0xa5a5;
        *(volatile uint32_t *)(SLOT + off + 4) = 0xa5a5a5a5u;
        *(volatile uint32_t *)(SLOT + off) = ~0u;
    }
    *(volatile uint32_t *)(SLOT + 0x070) = 0xf;   /* status: DRIVER_OK and all */
    if (rd(0x008) != 0 || rd(0x070) != 0)
        return 4;
    return 0;
}
