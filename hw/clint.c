/* SiFive CLINT: msip at 0x0, mtimecmp at 0x4000, mtime at 0xbff8. */
#include "hw/clint.h"

#include <string.h>

#include "hw/riscv/virt.h"

enum { CLINT_MSIP = 0x0, CLINT_MTIMECMP = 0x4000, CLINT_MTIME = 0xbff8 };

void clint_init(Clint *c, RiscvCpu *cpu, Machine *m)
{
    memset(c, 0, sizeof(*c));
    c->cpu = cpu;
    c->machine = m;
    c->mtimecmp = ~0ull;
}

void clint_update_timer(Clint *c)
{
    bool fire = machine_read_mtime(c->machine) >= c->mtimecmp;
    riscv_set_mip(c->cpu, MIP_MTIP, fire);
}

uint64_t clint_ticks_until_timer(Clint *c)
{
    uint64_t now = machine_read_mtime(c->machine);
    return now >= c->mtimecmp ? 0 : c->mtimecmp - now;
}

/* Accesses of 4 or 8 bytes to a 64-bit register at base. */
static uint64_t read_part(uint64_t reg, uint64_t offset, uint64_t base,
                          unsigned size)
{
    unsigned shift = (unsigned)(offset - base) * 8;
    uint64_t v = reg >> shift;
    return size >= 8 ? v : v & ((1ull << (size * 8)) - 1);
}

static uint64_t write_part(uint64_t reg, uint64_t offset, uint64_t base,
                           uint64_t value, unsigned size)
{
    unsigned shift = (unsigned)(offset - base) * 8;
    uint64_t mask = size >= 8 ? ~0ull : ((1ull << (size * 8)) - 1);
    return (reg & ~(mask << shift)) | ((value & mask) << shift);
}

uint64_t clint_read(void *opaque, uint64_t offset, unsigned size)
{
    Clint *c = opaque;
    if (offset < 4)
        return offset == 0 ? c->msip : 0;
    if (offset >= CLINT_MTIMECMP && offset < CLINT_MTIMECMP + 8)
        return read_part(c->mtimecmp, offset, CLINT_MTIMECMP, size);
    if (offset >= CLINT_MTIME && offset < CLINT_MTIME + 8)
        return read_part(machine_read_mtime(c->machine), offset, CLINT_MTIME,
                         size);
    return 0;
}

void clint_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Clint *c = opaque;
    if (offset == 0) {
        c->msip = value & 1;
        riscv_set_mip(c->cpu, MIP_MSIP, c->msip);
    } else if (offset >= CLINT_MTIMECMP && offset < CLINT_MTIMECMP + 8 &&
               offset + size <= CLINT_MTIMECMP + 8) {
        c->mtimecmp = write_part(c->mtimecmp, offset, CLINT_MTIMECMP, value,
                                 size);
        clint_update_timer(c);
    }
    /* mtime is read-only here: the guest's clock follows the host's. */
}
