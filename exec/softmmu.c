/*
 * Soft-MMU slow paths: TLB refill through the target's page walker, MMIO
 * and ROM accesses, misaligned accesses, stores to pages holding code.
 */
#include "exec/softmmu.h"

#include <string.h>

#include "exec/tb_cache.h"

static PhysMem *cpu_phys(CpuCommon *cpu) { return cpu->tbs->pm; }

/* Reset TLB idx: its logged entries, or all of it when the log is not
 * complete; the log starts over. */
static void tlb_reset_filled(CpuCommon *cpu, unsigned idx)
{
    TlbFillLog *log = &cpu->tlb_filled[idx];
    if (log->complete) {
        for (unsigned k = 0; k < log->count; k++)
            memset(&cpu->tlb[idx][log->index[k]], 0xff, sizeof(TlbEntry));
    } else {
        memset(cpu->tlb[idx], 0xff, sizeof(cpu->tlb[idx]));
    }
    log->complete = true;
    log->count = 0;
}

/* Called before entry e of TLB idx is made valid. */
static void tlb_log_fill(CpuCommon *cpu, unsigned idx, const TlbEntry *e)
{
    TlbFillLog *log = &cpu->tlb_filled[idx];
    if (!log->complete || (e->tag_read != TLB_INVALID_TAG ||
                           e->tag_write != TLB_INVALID_TAG))
        return;   /* a valid entry is in the log already */
    if (log->count == TLB_FILL_LOG)
        log->complete = false;
    else
        log->index[log->count++] = (uint16_t)(e - cpu->tlb[idx]);
}

void tlb_flush(CpuCommon *cpu)
{
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++)
        tlb_reset_filled(cpu, idx);
    memset(cpu->tlb_exec, 0xff, sizeof(cpu->tlb_exec));
    cpu->tlb_flushes++;
    if (cpu->tbs)
        tb_jmp_cache_clear(cpu->tbs);
}

void tlb_flush_page(CpuCommon *cpu, uint64_t vaddr)
{
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++) {
        memset(tlb_entry(cpu, idx, vaddr), 0xff, sizeof(TlbEntry));
        memset(tlb_exec_entry(cpu, idx, vaddr), 0xff, sizeof(ExecTlbEntry));
    }
    cpu->tlb_page_flushes++;
    /* Jump-cache entries are virtual pcs: those of this page and of TBs
     * starting on the page before (which may run into it) go stale. */
    if (cpu->tbs) {
        tb_jmp_cache_clear_page(cpu->tbs, vaddr);
        tb_jmp_cache_clear_page(cpu->tbs, vaddr - GUEST_PAGE_SIZE);
    }
}

static void set_code_flag(TlbEntry *e, uint64_t page_paddr, bool holds_code)
{
    if (e->tag_write == TLB_INVALID_TAG || e->paddr != page_paddr)
        return;
    if (holds_code)
        e->tag_write |= TLB_FLAG_NOTDIRTY;
    else
        e->tag_write &= ~TLB_FLAG_NOTDIRTY;
}

void tlb_set_code_page(CpuCommon *cpu, uint64_t page_paddr, bool holds_code)
{
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++) {
        const TlbFillLog *log = &cpu->tlb_filled[idx];
        if (log->complete) {
            for (unsigned k = 0; k < log->count; k++)
                set_code_flag(&cpu->tlb[idx][log->index[k]], page_paddr,
                              holds_code);
        } else {
            for (unsigned i = 0; i < TLB_SIZE; i++)
                set_code_flag(&cpu->tlb[idx][i], page_paddr, holds_code);
        }
    }
}

static uint64_t tag_for(unsigned prot, int access, uint64_t page,
                        uint64_t flags)
{
    return (prot & (1u << access)) ? (page | flags) : TLB_INVALID_TAG;
}

/* What a TLB entry for one virtual page holds, from the page walk. */
typedef struct PageMapping {
    uint64_t page, paddr;
    int64_t addend;        /* host - guest virtual (RAM), else 0 */
    uint64_t flags;        /* TLB_FLAG_MMIO outside RAM */
    bool holds_code;       /* RAM page with TBs: stores take the slow path */
    unsigned prot;         /* 1 << MMU_READ/WRITE/EXEC allowed */
} PageMapping;

/* Walk the page tables for vaddr; false with an exception raised. */
static bool walk(CpuCommon *cpu, uint64_t vaddr, int access, unsigned mmu_idx,
                 PageMapping *m)
{
    uint64_t paddr_page;
    cpu->tlb_fills++;
    if (!target_tlb_fill(cpu, vaddr, access, mmu_idx, &paddr_page, &m->prot))
        return false;
    PhysMem *pm = cpu_phys(cpu);
    m->page = vaddr & GUEST_PAGE_MASK;
    m->paddr = paddr_page & GUEST_PAGE_MASK;
    m->flags = 0;
    m->holds_code = false;
    if (phys_is_ram(pm, m->paddr)) {
        uint64_t index = (m->paddr - pm->ram_base) >> GUEST_PAGE_BITS;
        m->addend = (int64_t)((uintptr_t)(pm->ram + (m->paddr - pm->ram_base)) -
                              (uintptr_t)m->page);
        m->holds_code = pm->code_pages[index] != 0;
    } else {
        /* ROM and devices: always the slow path, never executed from. */
        m->flags = TLB_FLAG_MMIO;
        m->addend = 0;
        m->prot &= ~(1u << MMU_EXEC);
    }
    return true;
}

/* The data entry for vaddr, refilled for `access` (read or write); NULL
 * with an exception raised on a fault. */
static TlbEntry *tlb_lookup(CpuCommon *cpu, uint64_t vaddr, int access,
                            unsigned mmu_idx)
{
    TlbEntry *e = tlb_entry(cpu, mmu_idx, vaddr);
    uint64_t tag = access == MMU_READ ? e->tag_read : e->tag_write;
    if (tag != TLB_INVALID_TAG &&
        (tag & GUEST_PAGE_MASK) == (vaddr & GUEST_PAGE_MASK))
        return e;
    PageMapping m;
    if (!walk(cpu, vaddr, access, mmu_idx, &m))
        return NULL;
    tlb_log_fill(cpu, mmu_idx, e);
    e->paddr = m.paddr;
    e->addend = m.addend;
    e->tag_read = tag_for(m.prot, MMU_READ, m.page, m.flags);
    e->tag_write = tag_for(m.prot, MMU_WRITE, m.page,
                           m.flags | (m.holds_code ? TLB_FLAG_NOTDIRTY : 0));
    if (!(m.prot & (1u << access))) {
        /* The walker granted less than asked: treat as its fault. */
        cpu_raise(cpu, target_access_fault_cause(access), vaddr);
        return NULL;
    }
    return e;
}

/* The fetch entry for vaddr, refilled on a miss; NULL with an exception
 * raised on a fault. */
static ExecTlbEntry *tlb_lookup_exec(CpuCommon *cpu, uint64_t vaddr,
                                     unsigned mmu_idx)
{
    ExecTlbEntry *e = tlb_exec_entry(cpu, mmu_idx, vaddr);
    if (e->tag == (vaddr & GUEST_PAGE_MASK))
        return e;
    PageMapping m;
    if (!walk(cpu, vaddr, MMU_EXEC, mmu_idx, &m))
        return NULL;
    if (!(m.prot & (1u << MMU_EXEC))) {
        e->tag = TLB_INVALID_TAG;
        cpu_raise(cpu, target_access_fault_cause(MMU_EXEC), vaddr);
        return NULL;
    }
    e->tag = m.page;
    e->paddr = m.paddr;
    e->addend = m.addend;
    return e;
}

bool mmu_translate(CpuCommon *cpu, uint64_t vaddr, int access,
                   unsigned mmu_idx, uint64_t *paddr)
{
    uint64_t page;
    if (access == MMU_EXEC) {
        ExecTlbEntry *e = tlb_lookup_exec(cpu, vaddr, mmu_idx);
        if (!e)
            return false;
        page = e->paddr;
    } else {
        TlbEntry *e = tlb_lookup(cpu, vaddr, access, mmu_idx);
        if (!e)
            return false;
        page = e->paddr;
    }
    *paddr = page | (vaddr & ~GUEST_PAGE_MASK);
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
    ExecTlbEntry *e = tlb_lookup_exec(cpu, vaddr, cpu->mmu_idx_exec);
    if (!e)
        return false;
    memcpy(insn, (const void *)(uintptr_t)(vaddr + e->addend), 2);
    return true;
}
