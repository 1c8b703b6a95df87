/*
 * Soft MMU: guest virtual address -> host memory, through the per-CPU TLB
 * (exec/cpu_common.h).  The fast path (tag compare + addend) is inlined by
 * each execution tier; these are the slow paths and maintenance calls.
 *
 * Faults: slow paths never unwind.  On a fault they call cpu_raise() and
 * return 0; callers check cpu->exc_pending.
 */
#ifndef WASMU_SOFTMMU_H
#define WASMU_SOFTMMU_H

#include "exec/cpu_common.h"

/* memop: IrMemOp (size and sign). */
uint64_t mmu_load_slow(CpuCommon *cpu, uint64_t vaddr, unsigned memop,
                       unsigned mmu_idx);
void mmu_store_slow(CpuCommon *cpu, uint64_t vaddr, uint64_t value,
                    unsigned memop, unsigned mmu_idx);

/* Translate for an access without using or filling the fast-path tags;
 * false (exception raised) on fault. Used by AMOs, LR/SC, instruction fetch. */
bool mmu_translate(CpuCommon *cpu, uint64_t vaddr, int access,
                   unsigned mmu_idx, uint64_t *paddr);

/* Instruction fetch of 2 bytes at vaddr (exception raised on fault). */
bool mmu_fetch16(CpuCommon *cpu, uint64_t vaddr, uint16_t *insn);

void tlb_flush(CpuCommon *cpu);
void tlb_flush_page(CpuCommon *cpu, uint64_t vaddr);
/* Set or clear TLB_FLAG_NOTDIRTY in the write tags of the entries mapping
 * the physical page, so that stores to a page holding code take the slow
 * path (which invalidates its TBs). */
void tlb_set_code_page(CpuCommon *cpu, uint64_t page_paddr, bool holds_code);

/* Inline fast-path helpers shared by the interpreter and host-side code. */
static inline TlbEntry *tlb_entry(CpuCommon *cpu, unsigned mmu_idx,
                                  uint64_t vaddr)
{
    return &cpu->tlb[mmu_idx][(vaddr >> GUEST_PAGE_BITS) & (TLB_SIZE - 1)];
}

static inline ExecTlbEntry *tlb_exec_entry(CpuCommon *cpu, unsigned mmu_idx,
                                          uint64_t vaddr)
{
    return &cpu->tlb_exec[mmu_idx][(vaddr >> GUEST_PAGE_BITS) & (TLB_EXEC_SIZE - 1)];
}

static inline uint64_t tlb_cmp_addr(uint64_t vaddr, unsigned size_log2)
{
    return vaddr & (GUEST_PAGE_MASK | ((1u << size_log2) - 1));
}

/*
 * Target hook: walk the guest page tables for vaddr.  On success store the
 * physical page address in *paddr_page and the allowed accesses for the page
 * (bit 1 << MMU_READ/MMU_WRITE/MMU_EXEC) in *prot, return true.  On failure
 * raise the guest exception for `access` and return false.  Implemented in
 * target/<arch>/mmu.c; includes PMP checks.
 */
bool target_tlb_fill(CpuCommon *cpu, uint64_t vaddr, int access,
                     unsigned mmu_idx, uint64_t *paddr_page, unsigned *prot);

/* Target hook: exception cause for an access fault (bus error) at paddr. */
uint64_t target_access_fault_cause(int access);
uint64_t target_misaligned_cause(int access);

#endif
