/*
 * The A extension: LR/SC with a reservation on the physical address, and
 * the AMOs as read-modify-write on guest physical memory.  One hart, so
 * each helper is atomic with respect to the guest.
 */
#include "exec/softmmu.h"
#include "exec/tb_cache.h"
#include "target/riscv/cpu.h"
#include "target/riscv/helpers.h"

static unsigned size_of(uint64_t memop) { return 1u << (memop & IR_MO_SIZE_MASK); }

static uint64_t extend(uint64_t v, unsigned size)
{
    return size == 4 ? (uint64_t)(int64_t)(int32_t)v : v;
}

/* Translate for an atomic access; misaligned AMOs raise, never split. */
static bool amo_address(CpuCommon *cpu, uint64_t vaddr, unsigned size,
                        int access, uint64_t *paddr)
{
    if (vaddr & (size - 1)) {
        cpu_raise(cpu, access == MMU_READ ? EXC_LOAD_MISALIGNED
                                          : EXC_STORE_MISALIGNED, vaddr);
        return false;
    }
    return mmu_translate(cpu, vaddr, access, cpu->mmu_idx_data, paddr);
}

uint64_t helper_lr(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                   uint64_t imm)
{
    CpuCommon *cpu = opaque;
    unsigned size = size_of(imm);
    uint64_t paddr, value;
    if (!amo_address(cpu, a, size, MMU_READ, &paddr))
        return 0;
    if (!phys_read(cpu->tbs->pm, paddr, size, &value)) {
        cpu_raise(cpu, EXC_LOAD_ACCESS, a);
        return 0;
    }
    cpu->reservation = paddr;
    return extend(value, size);
}

uint64_t helper_sc(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                   uint64_t imm)
{
    CpuCommon *cpu = opaque;
    unsigned size = size_of(imm);
    uint64_t paddr;
    if (!amo_address(cpu, a, size, MMU_WRITE, &paddr))
        return 1;
    bool reserved = cpu->reservation == paddr;
    cpu->reservation = (uint64_t)-1;
    if (!reserved)
        return 1;
    if (!phys_write(cpu->tbs->pm, paddr, size, b)) {
        cpu_raise(cpu, EXC_STORE_ACCESS, a);
        return 1;
    }
    return 0;
}

static uint64_t amo_compute(unsigned funct5, uint64_t old, uint64_t src,
                            unsigned size)
{
    int64_t so = (int64_t)extend(old, size), ss = (int64_t)extend(src, size);
    uint64_t uo = size == 4 ? (uint32_t)old : old;
    uint64_t us = size == 4 ? (uint32_t)src : src;
    switch (funct5) {
    case 0x01: return src;                        /* amoswap */
    case 0x00: return old + src;                  /* amoadd */
    case 0x04: return old ^ src;                  /* amoxor */
    case 0x0c: return old & src;                  /* amoand */
    case 0x08: return old | src;                  /* amoor */
    case 0x10: return so < ss ? old : src;        /* amomin */
    case 0x14: return so > ss ? old : src;        /* amomax */
    case 0x18: return uo < us ? old : src;        /* amominu */
    default: return uo > us ? old : src;          /* amomaxu */
    }
}

uint64_t helper_amo(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                    uint64_t imm)
{
    CpuCommon *cpu = opaque;
    unsigned funct5 = imm & 0x1f, size = size_of(imm >> 8);
    uint64_t paddr, old;
    if (!amo_address(cpu, a, size, MMU_WRITE, &paddr))
        return 0;
    if (!phys_read(cpu->tbs->pm, paddr, size, &old)) {
        cpu_raise(cpu, EXC_STORE_ACCESS, a);
        return 0;
    }
    uint64_t result = amo_compute(funct5, old, b, size);
    if (!phys_write(cpu->tbs->pm, paddr, size, result)) {
        cpu_raise(cpu, EXC_STORE_ACCESS, a);
        return 0;
    }
    return extend(old, size);
}
