/*
 * RISC-V address translation for the soft MMU: Sv39/Sv48 page walks with
 * hardware A/D updates, and PMP checks.
 */
#include "exec/softmmu.h"
#include "exec/tb_cache.h"
#include "target/riscv/cpu.h"

#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK ((1ull << 44) - 1)

#define PROT_READ (1u << MMU_READ)
#define PROT_WRITE (1u << MMU_WRITE)
#define PROT_EXEC (1u << MMU_EXEC)
#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)

static uint64_t page_fault_cause(int access)
{
    return access == MMU_WRITE ? EXC_STORE_PAGE_FAULT
         : access == MMU_EXEC ? EXC_INSN_PAGE_FAULT : EXC_LOAD_PAGE_FAULT;
}

/* ---- PMP ----------------------------------------------------------------- */

static uint8_t pmp_cfg(const RiscvCpu *cpu, unsigned i)
{
    return (uint8_t)(cpu->pmpcfg[i / 8] >> (8 * (i % 8)));
}

/* Range [lo, hi) of PMP entry i, or false when the entry is off. */
static bool pmp_range(const RiscvCpu *cpu, unsigned i, uint64_t *lo,
                      uint64_t *hi)
{
    uint8_t cfg = pmp_cfg(cpu, i);
    uint64_t addr = cpu->pmpaddr[i];
    switch ((cfg >> 3) & 3) {
    case 1:   /* TOR */
        *lo = i ? cpu->pmpaddr[i - 1] << 2 : 0;
        *hi = addr << 2;
        return true;
    case 2:   /* NA4 */
        *lo = addr << 2;
        *hi = *lo + 4;
        return true;
    case 3: { /* NAPOT: trailing ones give the size */
        unsigned ones = 0;
        while (ones < 54 && ((addr >> ones) & 1))
            ones++;
        uint64_t size = 8ull << ones;
        *lo = (addr << 2) & ~(size - 1);
        *hi = *lo + size;
        return true;
    }
    default:
        return false;
    }
}

void riscv_pmp_decode(RiscvCpu *cpu)
{
    cpu->pmp_on_count = 0;
    for (unsigned i = 0; i < RV_PMP_COUNT; i++) {
        uint64_t lo, hi;
        if (!pmp_range(cpu, i, &lo, &hi))
            continue;
        unsigned n = cpu->pmp_on_count++;
        cpu->pmp_on[n].lo = lo;
        cpu->pmp_on[n].hi = hi;
        cpu->pmp_on[n].cfg = pmp_cfg(cpu, i);
    }
}

/*
 * Permissions PMP grants at physical address paddr for an access of this
 * privilege: the lowest-numbered entry containing paddr decides.
 *
 * Granularity: the soft MMU caches the answer for the whole 4 KiB page, so
 * a PMP region that starts or ends inside a page (or two regions sharing a
 * page) is only exact for the address that caused the fill.  Firmware and
 * kernels use page-aligned regions; finer regions are approximated.
 */
static unsigned pmp_prot(const RiscvCpu *cpu, uint64_t paddr, unsigned priv)
{
    for (unsigned n = 0; n < cpu->pmp_on_count; n++) {
        if (paddr < cpu->pmp_on[n].lo || paddr >= cpu->pmp_on[n].hi)
            continue;
        uint8_t cfg = cpu->pmp_on[n].cfg;
        /* Unlocked entries do not constrain M-mode. */
        if (priv == PRV_M && !(cfg & 0x80))
            return PROT_ALL;
        unsigned prot = 0;
        if (cfg & 1) prot |= PROT_READ;
        if (cfg & 2) prot |= PROT_WRITE;
        if (cfg & 4) prot |= PROT_EXEC;
        return prot;
    }
    /* No entry matched: M-mode is allowed; S/U only while PMP is unused. */
    if (priv == PRV_M || cpu->pmp_on_count == 0)
        return PROT_ALL;
    return 0;
}

/* ---- page walk ---------------------------------------------------------- */

static unsigned priv_of_mmu_idx(unsigned mmu_idx)
{
    return mmu_idx == RV_MMU_M ? PRV_M : mmu_idx == RV_MMU_U ? PRV_U : PRV_S;
}

/* How a page walk ended. */
typedef enum WalkResult {
    WALK_OK, WALK_PAGE_FAULT, WALK_ACCESS_FAULT
} WalkResult;

/* Implicit page-table accesses are checked by PMP as S-mode accesses. */
static bool read_pte(RiscvCpu *cpu, uint64_t addr, uint64_t *pte)
{
    if (!(pmp_prot(cpu, addr, PRV_S) & PROT_READ))
        return false;
    return phys_read(cpu->common.tbs->pm, addr, 8, pte);
}

static bool write_pte(RiscvCpu *cpu, uint64_t addr, uint64_t pte)
{
    if (!(pmp_prot(cpu, addr, PRV_S) & PROT_WRITE))
        return false;
    return phys_write(cpu->common.tbs->pm, addr, 8, pte);
}

/* Permissions a leaf PTE grants at this privilege (before A/D rules). */
static unsigned leaf_prot(const RiscvCpu *cpu, uint64_t pte, unsigned mmu_idx)
{
    bool user_page = pte & PTE_U;
    if (mmu_idx == RV_MMU_U && !user_page)
        return 0;
    if (mmu_idx != RV_MMU_U && user_page && mmu_idx != RV_MMU_S_SUM)
        return 0;
    unsigned prot = 0;
    if ((pte & PTE_R) || ((cpu->mstatus & MSTATUS_MXR) && (pte & PTE_X)))
        prot |= PROT_READ;
    if (pte & PTE_W)
        prot |= PROT_WRITE;
    /* SUM lets S read and write user pages, never execute them. */
    if ((pte & PTE_X) && !(mmu_idx != RV_MMU_U && user_page))
        prot |= PROT_EXEC;
    return prot;
}

/* A superpage leaf fills the TLB in 4 KiB pieces: remember its range so
 * SFENCE.VMA of any address inside drops all of them. */
static void note_superpage(RiscvCpu *cpu, uint64_t vaddr, unsigned level)
{
    uint64_t size = 1ull << (12 + 9 * level);
    uint64_t lo = vaddr & ~(size - 1), hi = lo + size;
    if (cpu->tlb_super_lo >= cpu->tlb_super_hi) {
        cpu->tlb_super_lo = lo;
        cpu->tlb_super_hi = hi;
        return;
    }
    if (lo < cpu->tlb_super_lo)
        cpu->tlb_super_lo = lo;
    if (hi > cpu->tlb_super_hi)
        cpu->tlb_super_hi = hi;
}

/* Is vaddr canonical for the current mode: bits above the top bit of the
 * virtual address all equal to it? */
static bool canonical(uint64_t vaddr, unsigned va_bits)
{
    int64_t extended = (int64_t)(vaddr << (64 - va_bits)) >> (64 - va_bits);
    return (uint64_t)extended == vaddr;
}

/* The leaf PTE at pte_addr allows the access: set A (and D on a write) in
 * memory, then give the page's permissions.  A page with D clear is mapped
 * without write so that the first write walks again and sets D. */
static WalkResult use_leaf(RiscvCpu *cpu, uint64_t pte_addr, uint64_t pte,
                           int access, unsigned *prot)
{
    uint64_t new_pte = pte | PTE_A | (access == MMU_WRITE ? PTE_D : 0);
    if (new_pte != pte && !write_pte(cpu, pte_addr, new_pte))
        return WALK_ACCESS_FAULT;
    if (!(new_pte & PTE_D))
        *prot &= ~PROT_WRITE;
    return WALK_OK;
}

/* Walk satp's tables; on success *paddr is the physical page.  A
 * debugger's walk (inspect) only looks: no permission check, no A/D bits
 * set, nothing noted. */
static WalkResult page_walk(RiscvCpu *cpu, uint64_t vaddr, int access,
                            unsigned mmu_idx, bool inspect, uint64_t *paddr,
                            unsigned *prot)
{
    unsigned levels = (cpu->satp >> 60) == 9 ? 4 : 3;
    if (!canonical(vaddr, 12 + 9 * levels))
        return WALK_PAGE_FAULT;

    uint64_t table = (cpu->satp & PTE_PPN_MASK) << 12;
    for (int level = (int)levels - 1; level >= 0; level--) {
        uint64_t index = (vaddr >> (12 + 9 * level)) & 0x1ff;
        uint64_t pte_addr = table + index * 8, pte;
        if (!read_pte(cpu, pte_addr, &pte))
            return WALK_ACCESS_FAULT;
        /* Invalid, W without R, or reserved bits 63:54 set. */
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) ||
            (pte >> 54))
            return WALK_PAGE_FAULT;
        uint64_t ppn = (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
        if (!(pte & (PTE_R | PTE_X))) {           /* pointer to next level */
            if (pte & (PTE_A | PTE_D | PTE_U))    /* reserved in non-leaves */
                return WALK_PAGE_FAULT;
            table = ppn << 12;
            continue;
        }
        uint64_t page_ppn_mask = (1ull << (9 * level)) - 1;
        if (ppn & page_ppn_mask)                  /* misaligned superpage */
            return WALK_PAGE_FAULT;
        unsigned granted = inspect ? PROT_ALL : leaf_prot(cpu, pte, mmu_idx);
        if (!(granted & (1u << access)))
            return WALK_PAGE_FAULT;
        WalkResult r = inspect ? WALK_OK : use_leaf(cpu, pte_addr, pte, access, &granted);
        if (r != WALK_OK)
            return r;
        if (level > 0 && !inspect)
            note_superpage(cpu, vaddr, (unsigned)level);
        uint64_t vpn_low = (vaddr >> 12) & page_ppn_mask;
        *paddr = (ppn | vpn_low) << 12;
        *prot = granted;
        return WALK_OK;
    }
    return WALK_PAGE_FAULT;   /* no leaf at level 0 */
}

bool target_tlb_fill(CpuCommon *c, uint64_t vaddr, int access,
                     unsigned mmu_idx, uint64_t *paddr_page, unsigned *prot)
{
    RiscvCpu *cpu = rv_cpu(c);
    unsigned priv = priv_of_mmu_idx(mmu_idx);
    uint64_t paddr;
    unsigned vm_prot;
    bool translated = priv != PRV_M && (cpu->satp >> 60) != 0;
    if (translated) {
        WalkResult r = page_walk(cpu, vaddr, access, mmu_idx, false, &paddr,
                                 &vm_prot);
        if (r != WALK_OK) {
            /* A PTE access PMP or the bus refused is an access fault of the
             * original access type; everything else is a page fault. */
            cpu_raise(c, r == WALK_PAGE_FAULT ? page_fault_cause(access)
                                              : target_access_fault_cause(access),
                      vaddr);
            return false;
        }
    } else {
        paddr = vaddr & GUEST_PAGE_MASK;
        vm_prot = PROT_ALL;
    }
    unsigned allowed = vm_prot & pmp_prot(cpu, paddr | (vaddr & ~GUEST_PAGE_MASK),
                                          priv);
    if (!(allowed & (1u << access))) {
        cpu_raise(c, target_access_fault_cause(access), vaddr);
        return false;
    }
    *paddr_page = paddr;
    *prot = allowed;
    return true;
}

bool target_debug_translate(CpuCommon *c, uint64_t vaddr, uint64_t *paddr)
{
    RiscvCpu *cpu = rv_cpu(c);
    unsigned mmu_idx = c->mmu_idx_data, prot;
    if (priv_of_mmu_idx(mmu_idx) == PRV_M || (cpu->satp >> 60) == 0) {
        *paddr = vaddr;
        return true;
    }
    if (page_walk(cpu, vaddr, MMU_READ, mmu_idx, true, paddr, &prot) != WALK_OK)
        return false;
    *paddr |= vaddr & ~GUEST_PAGE_MASK;
    return true;
}
