/*
 * Soft-MMU slow paths: TLB refill through the target's page walker, MMIO
 * and ROM accesses, misaligned accesses, stores to pages holding code.
 */
#include "exec/softmmu.h"

#include <string.h>

#include "exec/tb_cache.h"

static PhysMem *cpu_phys(CpuCommon *cpu) { return cpu->tbs->pm; }

void tlb_flush(CpuCommon *cpu)
{
    memset(cpu->tlb, 0xff, sizeof(cpu->tlb));
    cpu->tlb_flushes++;
    if (cpu->tbs)
        tb_jmp_cache_clear(cpu->tbs);
}

void tlb_flush_page(CpuCommon *cpu, uint64_t vaddr)
{
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++)
        memset(tlb_entry(cpu, idx, vaddr), 0xff, sizeof(TlbEntry));
    cpu->tlb_page_flushes++;
    /* Jump-cache entries are virtual pcs: those of this page and of TBs
     * starting on the page before (which may run into it) go stale. */
    if (cpu->tbs) {
        tb_jmp_cache_clear_page(cpu->tbs, vaddr);
        tb_jmp_cache_clear_page(cpu->tbs, vaddr - GUEST_PAGE_SIZE);
    }
}

static uint64_t tag_for(unsigned prot, int access, uint64_t page,
                        uint64_t flags)
{
    return (prot & (1u << access)) ? (page | flags) : TLB_INVALID_TAG;
}

/* Walk and install the entry for vaddr; false with an exception raised. */
static bool tlb_fill(CpuCommon *cpu, uint64_t vaddr, int access,
                     unsigned mmu_idx, TlbEntry **out)
{
    uint64_t paddr_page;
    unsigned prot;
    cpu->tlb_fills++;
    if (!target_tlb_fill(cpu, vaddr, access, mmu_idx, &paddr_page, &prot))
        return false;

    PhysMem *pm = cpu_phys(cpu);
    uint64_t page = vaddr & GUEST_PAGE_MASK;
    uint64_t flags = 0, write_flags = 0;
    TlbEntry *e = tlb_entry(cpu, mmu_idx, vaddr);
    paddr_page &= GUEST_PAGE_MASK;
    e->paddr = paddr_page;
    if (phys_is_ram(pm, paddr_page)) {
        uint64_t index = (paddr_page - pm->ram_base) >> GUEST_PAGE_BITS;
        e->addend = (int64_t)((uintptr_t)(pm->ram + (paddr_page - pm->ram_base)) -
                              (uintptr_t)page);
        if (pm->code_pages[index])
            write_flags = TLB_FLAG_NOTDIRTY;
    } else {
        /* ROM and devices: always the slow path, never executed from. */
        flags = TLB_FLAG_MMIO;
        e->addend = 0;
        prot &= ~(1u << MMU_EXEC);
    }
    e->tag_read = tag_for(prot, MMU_READ, page, flags);
    e->tag_write = tag_for(prot, MMU_WRITE, page, flags | write_flags);
    e->tag_exec = tag_for(prot, MMU_EXEC, page, flags);
    *out = e;
    return true;
}

static uint64_t entry_tag(const TlbEntry *e, int access)
{
    return access == MMU_READ ? e->tag_read
         : access == MMU_WRITE ? e->tag_write : e->tag_exec;
}

/* The entry for vaddr with `access` allowed, refilling on a miss. */
static TlbEntry *tlb_lookup(CpuCommon *cpu, uint64_t vaddr, int access,
                            unsigned mmu_idx)
{
    TlbEntry *e = tlb_entry(cpu, mmu_idx, vaddr);
    uint64_t tag = entry_tag(e, access);
    if (tag != TLB_INVALID_TAG &&
        (tag & GUEST_PAGE_MASK) == (vaddr & GUEST_PAGE_MASK))
        return e;
    if (!tlb_fill(cpu, vaddr, access, mmu_idx, &e))
        return NULL;
    if (entry_tag(e, access) == TLB_INVALID_TAG) {
        /* The walker granted less than asked: treat as its fault. */
        cpu_raise(cpu, target_access_fault_cause(access), vaddr);
        return NULL;
    }
    return e;
}

bool mmu_translate(CpuCommon *cpu, uint64_t vaddr, int access,
                   unsigned mmu_idx, uint64_t *paddr)
{
    TlbEntry *e = tlb_lookup(cpu, vaddr, access, mmu_idx);
    if (!e)
        return false;
    *paddr = e->paddr | (vaddr & ~GUEST_PAGE_MASK);
    return true;
}

static uint64_t extend(uint64_t value, unsigned memop)
{
    unsigned bits = 8u << (memop & IR_MO_SIZE_MASK);
    if (bits == 64)
        return value;
    value &= (1ull << bits) - 1;
    if ((memop & IR_MO_SIGNED) && (value >> (bits - 1)))
        value |= ~0ull << bits;
    return value;
}

/* Aligned access within one page. */
static bool access_aligned(CpuCommon *cpu, uint64_t vaddr, unsigned size,
                           int access, unsigned mmu_idx, uint64_t *value)
{
    TlbEntry *e = tlb_lookup(cpu, vaddr, access, mmu_idx);
    if (!e)
        return false;
    PhysMem *pm = cpu_phys(cpu);
    uint64_t paddr = e->paddr | (vaddr & ~GUEST_PAGE_MASK);
    bool ok;
    if (access == MMU_WRITE) {
        /* phys_write runs the code-page hook (SMC invalidation) and MMIO. */
        ok = phys_write(pm, paddr, size, *value);
    } else {
        ok = phys_read(pm, paddr, size, value);
    }
    if (!ok)
        cpu_raise(cpu, target_access_fault_cause(access), vaddr);
    return ok;
}

uint64_t mmu_load_slow(CpuCommon *cpu, uint64_t vaddr, unsigned memop,
                       unsigned mmu_idx)
{
    unsigned size = 1u << (memop & IR_MO_SIZE_MASK);
    uint64_t value = 0;
    if (vaddr & (size - 1)) {
        /* Misaligned: byte by byte, so a page crossing faults precisely. */
        for (unsigned i = 0; i < size; i++) {
            uint64_t byte;
            if (!access_aligned(cpu, vaddr + i, 1, MMU_READ, mmu_idx, &byte))
                return 0;
            value |= (byte & 0xff) << (8 * i);
        }
    } else if (!access_aligned(cpu, vaddr, size, MMU_READ, mmu_idx, &value)) {
        return 0;
    }
    return extend(value, memop);
}

void mmu_store_slow(CpuCommon *cpu, uint64_t vaddr, uint64_t value,
                    unsigned memop, unsigned mmu_idx)
{
    unsigned size = 1u << (memop & IR_MO_SIZE_MASK);
    if (vaddr & (size - 1)) {
        /* Check every byte's page first so a fault leaves memory intact. */
        uint64_t paddr;
        if (!mmu_translate(cpu, vaddr, MMU_WRITE, mmu_idx, &paddr) ||
            !mmu_translate(cpu, vaddr + size - 1, MMU_WRITE, mmu_idx, &paddr))
            return;
        for (unsigned i = 0; i < size; i++) {
            uint64_t byte = (value >> (8 * i)) & 0xff;
            if (!access_aligned(cpu, vaddr + i, 1, MMU_WRITE, mmu_idx, &byte))
                return;
        }
        return;
    }
    access_aligned(cpu, vaddr, size, MMU_WRITE, mmu_idx, &value);
}

/* A fetch while the TB's page is pinned (fetch_pinned): RAM of that page
 * only, no exception raised. */
static bool fetch_pinned16(CpuCommon *cpu, uint64_t vaddr, uint16_t *insn)
{
    PhysMem *pm = cpu_phys(cpu);
    uint64_t offset = vaddr & ~GUEST_PAGE_MASK;
    uint64_t paddr = cpu->fetch_pin_ppage + offset;
    const uint8_t *host = NULL;
    if ((vaddr & GUEST_PAGE_MASK) == cpu->fetch_pin_vpage &&
        offset <= GUEST_PAGE_SIZE - 2)
        host = phys_ram_ptr(pm, paddr, 2);
    if (!host)
        return false;
    memcpy(insn, host, 2);
    return true;
}

bool mmu_fetch16(CpuCommon *cpu, uint64_t vaddr, uint16_t *insn)
{
    if (cpu->fetch_pinned)
        return fetch_pinned16(cpu, vaddr, insn);
    TlbEntry *e = tlb_lookup(cpu, vaddr, MMU_EXEC, cpu->mmu_idx_exec);
    if (!e)
        return false;
    memcpy(insn, (const void *)(uintptr_t)(vaddr + e->addend), 2);
    return true;
}
