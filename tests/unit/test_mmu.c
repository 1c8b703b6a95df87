/*
 * Privileged architecture unit test: the Sv39/Sv48 page walker, PMP, trap
 * delegation, interrupts and CSR access rules, on a RiscvCpu with a small
 * PhysMem and no machine behind it.  The exec-layer and board functions the
 * target code calls are this test's own stubs (bottom of the file).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/softmmu.h"
#include "exec/tb_cache.h"
#include "target/riscv/cpu.h"
#include "target/riscv/helpers.h"

enum {
    RAM_BASE = 0x80000000u, RAM_SIZE = 32u << 20,
    ROOT = RAM_BASE + 0x100000,  /* page tables live from here */
    L1 = ROOT + 0x1000, L0 = ROOT + 0x2000,
    SV48_ROOT = ROOT + 0x3000, SV48_L2 = ROOT + 0x4000,
    DATA = RAM_BASE + 0x200000,  /* target of 4 KiB mappings */
};
enum { PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_A = 64,
       PTE_D = 128 };
enum { CSR_SSTATUS = 0x100, CSR_SIP = 0x144, CSR_SATP = 0x180,
       CSR_MSTATUS = 0x300, CSR_MIP = 0x344, CSR_PMPCFG0 = 0x3a0,
       CSR_PMPADDR0 = 0x3b0, CSR_CYCLE = 0xc00, CSR_MHARTID = 0xf14,
       CSR_FFLAGS = 0x001, CSR_TSELECT = 0x7a0 };
#define SATP_SV39 (8ull << 60)
#define SATP_SV48 (9ull << 60)
#define PROT_R (1u << MMU_READ)
#define PROT_W (1u << MMU_WRITE)
#define PROT_X (1u << MMU_EXEC)

typedef struct Fixture {
    RiscvCpu cpu;
    PhysMem pm;
    TbCache *cache;
} Fixture;

static int failures;

static void check(const char *name, bool ok, const char *fmt, uint64_t got,
                  uint64_t want)
{
    if (ok) {
        printf("ok %s\n", name);
        return;
    }
    printf("not ok %s ", name);
    printf(fmt, got, want);
    printf("\n");
    failures++;
}

#define EXPECT_EQ(name, got, want) do {                                      \
        uint64_t g_ = (got), w_ = (want);                                    \
        check(name, g_ == w_, "got 0x%" PRIx64 " want 0x%" PRIx64, g_, w_);  \
    } while (0)

/* ---- fixture ------------------------------------------------------------- */

static Fixture *fixture_new(void)
{
    Fixture *f = calloc(1, sizeof(*f));
    f->cache = calloc(1, sizeof(*f->cache));
    if (!f || !f->cache || phys_init(&f->pm, RAM_BASE, RAM_SIZE) != 0) {
        printf("not ok fixture: out of memory\n");
        exit(1);
    }
    f->cache->pm = &f->pm;
    riscv_cpu_init(&f->cpu, NULL, 0);
    f->cpu.common.tbs = f->cache;
    riscv_cpu_reset(&f->cpu, RAM_BASE);
    return f;
}

static void fixture_free(Fixture *f)
{
    phys_free(&f->pm);
    free(f->cache);
    free(f);
}

static void poke(Fixture *f, uint64_t paddr, uint64_t v)
{
    phys_write(&f->pm, paddr, 8, v);
}

static uint64_t peek(Fixture *f, uint64_t paddr)
{
    uint64_t v = 0;
    phys_read(&f->pm, paddr, 8, &v);
    return v;
}

static uint64_t pte(uint64_t paddr, unsigned flags)
{
    return (paddr >> 12) << 10 | flags;
}

/*
 * Sv39 tables:
 *   VA 0x0000_1000      -> DATA          4 KiB, RW, S (A/D clear)
 *   VA 0x0000_2000      -> DATA + 0x1000 4 KiB, RW, U
 *   VA 0x0000_3000      -> DATA + 0x2000 4 KiB, X only, S
 *   VA 0x0000_4000      -> W without R (reserved)
 *   VA 0x0000_5000      -> DATA + 0x3000 4 KiB, X only, U
 *   VA 0x0020_0000      -> misaligned megapage (ppn low bits set)
 *   VA 0x4000_0000      -> RAM_BASE      1 GiB gigapage, RWX, S, A/D set
 *   VA 0xffff_ffc0_0000_0000 -> RAM_BASE gigapage (top of the space)
 */
static void build_sv39(Fixture *f)
{
    poke(f, ROOT + 0 * 8, pte(L1, PTE_V));
    poke(f, ROOT + 1 * 8, pte(RAM_BASE, PTE_V | PTE_R | PTE_W | PTE_X |
                                        PTE_A | PTE_D));
    poke(f, ROOT + 256 * 8, pte(RAM_BASE, PTE_V | PTE_R | PTE_A));
    poke(f, L1 + 0 * 8, pte(L0, PTE_V));
    poke(f, L1 + 1 * 8, pte(RAM_BASE + 0x1000, PTE_V | PTE_R | PTE_A));
    poke(f, L0 + 1 * 8, pte(DATA, PTE_V | PTE_R | PTE_W));
    poke(f, L0 + 2 * 8, pte(DATA + 0x1000, PTE_V | PTE_R | PTE_W | PTE_U));
    poke(f, L0 + 3 * 8, pte(DATA + 0x2000, PTE_V | PTE_X));
    poke(f, L0 + 4 * 8, pte(DATA + 0x3000, PTE_V | PTE_W));
    poke(f, L0 + 5 * 8, pte(DATA + 0x3000, PTE_V | PTE_X | PTE_U));
    f->cpu.satp = SATP_SV39 | (ROOT >> 12);
}

/* Translate through the target hook; a fault leaves exc_cause/exc_tval. */
static bool fill(Fixture *f, uint64_t vaddr, int access, unsigned mmu_idx,
                 uint64_t *paddr, unsigned *prot)
{
    f->cpu.common.exc_pending = false;
    return target_tlb_fill(&f->cpu.common, vaddr, access, mmu_idx, paddr,
                           prot);
}

/* Cause of the fault a fill raises, or -1 when it succeeds. */
static uint64_t fill_fault(Fixture *f, uint64_t vaddr, int access,
                           unsigned mmu_idx)
{
    uint64_t paddr;
    unsigned prot;
    if (fill(f, vaddr, access, mmu_idx, &paddr, &prot))
        return (uint64_t)-1;
    return f->cpu.common.exc_cause;
}

/* ---- page walker ----------------------------------------------------------- */

static void test_bare_and_m_mode(void)
{
    Fixture *f = fixture_new();
    uint64_t paddr;
    unsigned prot;
    bool ok = fill(f, RAM_BASE + 0x1234, MMU_READ, RV_MMU_S, &paddr, &prot);
    EXPECT_EQ("walk/bare-identity", ok ? paddr : 1, RAM_BASE + 0x1000);
    EXPECT_EQ("walk/bare-prot", prot, PROT_R | PROT_W | PROT_X);
    build_sv39(f);
    ok = fill(f, RAM_BASE + 0x5000, MMU_WRITE, RV_MMU_M, &paddr, &prot);
    EXPECT_EQ("walk/m-mode-ignores-satp", ok ? paddr : 1, RAM_BASE + 0x5000);
    fixture_free(f);
}

static void test_sv39_4k_and_ad_bits(void)
{
    Fixture *f = fixture_new();
    build_sv39(f);
    uint64_t paddr;
    unsigned prot;
    bool ok = fill(f, 0x1abc, MMU_READ, RV_MMU_S, &paddr, &prot);
    EXPECT_EQ("walk/sv39-4k-paddr", ok ? paddr : 1, DATA);
    EXPECT_EQ("walk/read-sets-A-only", peek(f, L0 + 8) & (PTE_A | PTE_D),
              PTE_A);
    EXPECT_EQ("walk/clean-page-not-writable", prot, PROT_R);
    ok = fill(f, 0x1abc, MMU_WRITE, RV_MMU_S, &paddr, &prot);
    EXPECT_EQ("walk/write-ok", ok, 1);
    EXPECT_EQ("walk/write-sets-D", peek(f, L0 + 8) & (PTE_A | PTE_D),
              PTE_A | PTE_D);
    EXPECT_EQ("walk/dirty-page-writable", prot, PROT_R | PROT_W);
    fixture_free(f);
}

static void test_sv39_superpages(void)
{
    Fixture *f = fixture_new();
    build_sv39(f);
    uint64_t paddr;
    unsigned prot;
    bool ok = fill(f, 0x40123456, MMU_EXEC, RV_MMU_S, &paddr, &prot);
    EXPECT_EQ("walk/gigapage-paddr", ok ? paddr : 1, RAM_BASE + 0x123000);
    EXPECT_EQ("walk/gigapage-prot", prot, PROT_R | PROT_W | PROT_X);
    ok = fill(f, 0xffffffc000042000ull, MMU_READ, RV_MMU_S, &paddr, &prot);
    EXPECT_EQ("walk/high-half-gigapage", ok ? paddr : 1, RAM_BASE + 0x42000);
    EXPECT_EQ("walk/misaligned-megapage",
              fill_fault(f, 0x200000, MMU_READ, RV_MMU_S), EXC_LOAD_PAGE_FAULT);
    EXPECT_EQ("walk/fault-tval", f->cpu.common.exc_tval, 0x200000);
    fixture_free(f);
}

static void test_sv39_faults(void)
{
    Fixture *f = fixture_new();
    build_sv39(f);
    EXPECT_EQ("walk/invalid-load", fill_fault(f, 0x9000, MMU_READ, RV_MMU_S),
              EXC_LOAD_PAGE_FAULT);
    EXPECT_EQ("walk/invalid-store", fill_fault(f, 0x9000, MMU_WRITE, RV_MMU_S),
              EXC_STORE_PAGE_FAULT);
    EXPECT_EQ("walk/invalid-fetch", fill_fault(f, 0x9000, MMU_EXEC, RV_MMU_S),
              EXC_INSN_PAGE_FAULT);
    EXPECT_EQ("walk/w-without-r", fill_fault(f, 0x4000, MMU_READ, RV_MMU_S),
              EXC_LOAD_PAGE_FAULT);
    EXPECT_EQ("walk/gigapage-read",
              fill_fault(f, 0x40000000ull + 0x1000 * 0, MMU_READ, RV_MMU_S),
              (uint64_t)-1);
    EXPECT_EQ("walk/read-only-megapage-store",
              fill_fault(f, 0xffffffc000000000ull, MMU_WRITE, RV_MMU_S),
              EXC_STORE_PAGE_FAULT);
    EXPECT_EQ("walk/non-canonical",
              fill_fault(f, 0x0000004000001000ull, MMU_READ, RV_MMU_S),
              EXC_LOAD_PAGE_FAULT);
    EXPECT_EQ("walk/non-canonical-tval", f->cpu.common.exc_tval,
              0x0000004000001000ull);
    fixture_free(f);
}

static void test_user_sum_mxr(void)
{
    Fixture *f = fixture_new();
    build_sv39(f);
    EXPECT_EQ("perm/u-reads-u-page", fill_fault(f, 0x2000, MMU_READ, RV_MMU_U),
              (uint64_t)-1);
    EXPECT_EQ("perm/u-cannot-read-s-page",
              fill_fault(f, 0x1000, MMU_READ, RV_MMU_U), EXC_LOAD_PAGE_FAULT);
    EXPECT_EQ("perm/s-without-sum", fill_fault(f, 0x2000, MMU_READ, RV_MMU_S),
              EXC_LOAD_PAGE_FAULT);
    EXPECT_EQ("perm/s-with-sum-reads",
              fill_fault(f, 0x2000, MMU_READ, RV_MMU_S_SUM), (uint64_t)-1);
    EXPECT_EQ("perm/s-with-sum-writes",
              fill_fault(f, 0x2000, MMU_WRITE, RV_MMU_S_SUM), (uint64_t)-1);
    EXPECT_EQ("perm/s-never-executes-u",
              fill_fault(f, 0x5000, MMU_EXEC, RV_MMU_S_SUM),
              EXC_INSN_PAGE_FAULT);
    EXPECT_EQ("perm/x-only-unreadable",
              fill_fault(f, 0x3000, MMU_READ, RV_MMU_S), EXC_LOAD_PAGE_FAULT);
    EXPECT_EQ("perm/x-only-executes",
              fill_fault(f, 0x3000, MMU_EXEC, RV_MMU_S), (uint64_t)-1);
    f->cpu.mstatus |= MSTATUS_MXR;
    EXPECT_EQ("perm/mxr-reads-x-only",
              fill_fault(f, 0x3000, MMU_READ, RV_MMU_S), (uint64_t)-1);
    EXPECT_EQ("perm/mxr-sum-reads-user-x-only",
              fill_fault(f, 0x5000, MMU_READ, RV_MMU_S_SUM), (uint64_t)-1);
    fixture_free(f);
}

static void test_sv48(void)
{
    Fixture *f = fixture_new();
    build_sv39(f);
    /* Sv48: one more level on top; VA 0x0000_8000_4000_0000 reaches the
     * Sv39 root's gigapage at index 1 through L3 index 1. */
    poke(f, SV48_ROOT + 1 * 8, pte(ROOT, PTE_V));
    f->cpu.satp = SATP_SV48 | (SV48_ROOT >> 12);
    uint64_t paddr;
    unsigned prot;
    bool ok = fill(f, 0x0000008040005000ull, MMU_READ, RV_MMU_S, &paddr, &prot);
    EXPECT_EQ("walk/sv48-gigapage", ok ? paddr : 1, RAM_BASE + 0x5000);
    ok = fill(f, 0x0000008000001000ull, MMU_READ, RV_MMU_S, &paddr, &prot);
    EXPECT_EQ("walk/sv48-4k", ok ? paddr : 1, DATA);
    /* A 512 GiB terapage must be aligned to 2^27 pages. */
    poke(f, SV48_ROOT + 2 * 8, pte(RAM_BASE, PTE_V | PTE_R));
    EXPECT_EQ("walk/sv48-misaligned-terapage",
              fill_fault(f, 0x0000010000000000ull, MMU_READ, RV_MMU_S),
              EXC_LOAD_PAGE_FAULT);
    EXPECT_EQ("walk/sv48-non-canonical",
              fill_fault(f, 0x0000800000000000ull, MMU_READ, RV_MMU_S),
              EXC_LOAD_PAGE_FAULT);
    fixture_free(f);
}

/* ---- PMP ------------------------------------------------------------------- */

static void set_pmp(Fixture *f, unsigned i, uint64_t addr, uint8_t cfg)
{
    uint64_t old;
    f->cpu.priv = PRV_M;
    riscv_csr_rmw(&f->cpu, CSR_PMPADDR0 + i, &old, addr, ~0ull, true);
    riscv_csr_rmw(&f->cpu, CSR_PMPCFG0, &old, (uint64_t)cfg << (8 * i),
                  0xffull << (8 * i), true);
}

enum { PMP_R = 1, PMP_W = 2, PMP_X = 4, PMP_TOR = 1 << 3, PMP_NA4 = 2 << 3,
       PMP_NAPOT = 3 << 3, PMP_L = 0x80 };

static uint64_t napot(uint64_t base, uint64_t size)
{
    return (base >> 2) | ((size / 8) - 1);
}

static void test_pmp(void)
{
    Fixture *f = fixture_new();
    EXPECT_EQ("pmp/unconfigured-allows-s",
              fill_fault(f, RAM_BASE, MMU_WRITE, RV_MMU_S), (uint64_t)-1);
    /* entry 0: NAPOT 64 KiB at RAM_BASE read-only; entry 1: TOR up to
     * RAM_BASE + 1 MiB read/write. */
    set_pmp(f, 0, napot(RAM_BASE, 0x10000), PMP_NAPOT | PMP_R);
    set_pmp(f, 1, (RAM_BASE + 0x100000) >> 2, PMP_TOR | PMP_R | PMP_W);
    EXPECT_EQ("pmp/napot-read", fill_fault(f, RAM_BASE + 0x8000, MMU_READ,
                                           RV_MMU_S), (uint64_t)-1);
    EXPECT_EQ("pmp/napot-denies-write",
              fill_fault(f, RAM_BASE + 0x8000, MMU_WRITE, RV_MMU_S),
              EXC_STORE_ACCESS);
    EXPECT_EQ("pmp/tor-write", fill_fault(f, RAM_BASE + 0x20000, MMU_WRITE,
                                          RV_MMU_S), (uint64_t)-1);
    EXPECT_EQ("pmp/tor-denies-exec",
              fill_fault(f, RAM_BASE + 0x20000, MMU_EXEC, RV_MMU_S),
              EXC_INSN_ACCESS);
    EXPECT_EQ("pmp/no-match-denies-s",
              fill_fault(f, RAM_BASE + 0x200000, MMU_READ, RV_MMU_U),
              EXC_LOAD_ACCESS);
    EXPECT_EQ("pmp/unlocked-m-allowed",
              fill_fault(f, RAM_BASE + 0x8000, MMU_WRITE, RV_MMU_M),
              (uint64_t)-1);
    /* NA4 entry 2 at RAM_BASE + 0x200000: S may read that page now. */
    set_pmp(f, 2, (RAM_BASE + 0x200000) >> 2, PMP_NA4 | PMP_R);
    EXPECT_EQ("pmp/na4", fill_fault(f, RAM_BASE + 0x200000, MMU_READ,
                                    RV_MMU_S), (uint64_t)-1);
    /* A locked entry binds M-mode and cannot be changed any more. */
    set_pmp(f, 3, napot(RAM_BASE + 0x300000, 0x1000), PMP_NAPOT | PMP_L);
    EXPECT_EQ("pmp/locked-binds-m",
              fill_fault(f, RAM_BASE + 0x300000, MMU_READ, RV_MMU_M),
              EXC_LOAD_ACCESS);
    set_pmp(f, 3, 0, PMP_NAPOT | PMP_R | PMP_W | PMP_X);
    EXPECT_EQ("pmp/locked-cfg-frozen", (f->cpu.pmpcfg[0] >> 24) & 0xff,
              PMP_NAPOT | PMP_L);
    EXPECT_EQ("pmp/locked-addr-frozen", f->cpu.pmpaddr[3],
              napot(RAM_BASE + 0x300000, 0x1000));
    fixture_free(f);
}

static void test_pmp_guards_page_tables(void)
{
    Fixture *f = fixture_new();
    build_sv39(f);
    /* S may touch DATA's region but not the page tables. */
    set_pmp(f, 0, napot(ROOT, 0x10000), PMP_NAPOT);
    set_pmp(f, 1, napot(RAM_BASE, RAM_SIZE), PMP_NAPOT | PMP_R | PMP_W | PMP_X);
    EXPECT_EQ("pmp/pte-read-denied-access-fault",
              fill_fault(f, 0x1000, MMU_WRITE, RV_MMU_S), EXC_STORE_ACCESS);
    fixture_free(f);
}

/* ---- traps and interrupts --------------------------------------------------- */

static void test_trap_delegation(void)
{
    Fixture *f = fixture_new();
    RiscvCpu *cpu = &f->cpu;
    cpu->stvec = 0x80001000;
    cpu->mtvec = 0x80002000;
    cpu->medeleg = 1u << EXC_ECALL_U;
    cpu->priv = PRV_U;
    cpu->mstatus |= MSTATUS_SIE;
    cpu->common.pc = 0x1234;
    cpu->common.reservation = 0x80000000;
    riscv_do_trap(cpu, EXC_ECALL_U, 0);
    EXPECT_EQ("trap/delegated-priv", cpu->priv, PRV_S);
    EXPECT_EQ("trap/delegated-pc", cpu->common.pc, 0x80001000);
    EXPECT_EQ("trap/delegated-scause", cpu->scause, EXC_ECALL_U);
    EXPECT_EQ("trap/delegated-sepc", cpu->sepc, 0x1234);
    EXPECT_EQ("trap/delegated-stacking",
              cpu->mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP),
              MSTATUS_SPIE);
    EXPECT_EQ("trap/clears-reservation", cpu->common.reservation,
              (uint64_t)-1);
    EXPECT_EQ("trap/tb-flags-follow", cpu->common.tb_flags & RV_TBF_PRIV_MASK,
              PRV_S);

    /* From S, ecall-from-S is not delegated: M takes it. */
    cpu->common.pc = 0x80001004;
    riscv_do_trap(cpu, EXC_ECALL_S, 0);
    EXPECT_EQ("trap/not-delegated-priv", cpu->priv, PRV_M);
    EXPECT_EQ("trap/not-delegated-mpp",
              (cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_S);
    EXPECT_EQ("trap/not-delegated-mepc", cpu->mepc, 0x80001004);

    /* Traps in M stay in M even when delegated. */
    cpu->medeleg = ~0ull;
    riscv_do_trap(cpu, EXC_ILLEGAL_INSN, 0x73);
    EXPECT_EQ("trap/m-never-delegates", cpu->mcause, EXC_ILLEGAL_INSN);
    EXPECT_EQ("trap/mtval", cpu->mtval, 0x73);
    fixture_free(f);
}

static void test_interrupts(void)
{
    Fixture *f = fixture_new();
    RiscvCpu *cpu = &f->cpu;
    cpu->stvec = 0x80001001;   /* vectored */
    cpu->mtvec = 0x80002000;
    cpu->mideleg = MIP_SSIP;
    cpu->mie = MIP_SSIP | MIP_MTIP | MIP_MEIP;
    cpu->mip = MIP_SSIP;
    cpu->priv = PRV_M;
    EXPECT_EQ("irq/delegated-masked-in-m", riscv_check_interrupts(cpu), 0);
    cpu->priv = PRV_S;
    EXPECT_EQ("irq/s-needs-sie", riscv_check_interrupts(cpu), 0);
    cpu->priv = PRV_U;
    EXPECT_EQ("irq/u-takes-s-irq", riscv_check_interrupts(cpu), 1);
    EXPECT_EQ("irq/scause", cpu->scause, CAUSE_INTERRUPT | IRQ_S_SOFT);
    EXPECT_EQ("irq/vectored-pc", cpu->common.pc, 0x80001000 + 4 * IRQ_S_SOFT);

    /* M-level interrupts preempt S regardless of SIE; MEI beats MTI. */
    cpu->mip = MIP_MTIP | MIP_MEIP;
    EXPECT_EQ("irq/m-from-s", riscv_check_interrupts(cpu), 1);
    EXPECT_EQ("irq/priority-mei", cpu->mcause, CAUSE_INTERRUPT | IRQ_M_EXT);
    EXPECT_EQ("irq/m-pc-direct", cpu->common.pc, 0x80002000);
    cpu->mip = MIP_MTIP;
    EXPECT_EQ("irq/m-needs-mie-in-m", riscv_check_interrupts(cpu), 0);
    cpu->mstatus |= MSTATUS_MIE;
    EXPECT_EQ("irq/m-with-mie", riscv_check_interrupts(cpu), 1);

    /* WFI wakes on a pending interrupt even when it is masked. */
    cpu->mstatus &= ~MSTATUS_MIE;
    cpu->wfi = true;
    cpu->mip = 0;
    EXPECT_EQ("irq/wfi-halted", target_cpu_is_halted(&cpu->common), 1);
    riscv_set_mip(cpu, MIP_MTIP, true);
    EXPECT_EQ("irq/wfi-wakes", target_cpu_is_halted(&cpu->common), 0);
    fixture_free(f);
}

static void test_seip_line(void)
{
    Fixture *f = fixture_new();
    RiscvCpu *cpu = &f->cpu;
    uint64_t v;
    riscv_set_mip(cpu, MIP_SEIP, true);
    riscv_csr_rmw(cpu, CSR_MIP, &v, 0, 0, false);
    EXPECT_EQ("seip/line-visible", v & MIP_SEIP, MIP_SEIP);
    riscv_csr_rmw(cpu, CSR_MIP, &v, 0, MIP_SEIP, true);   /* csrc */
    riscv_csr_rmw(cpu, CSR_MIP, &v, 0, 0, false);
    EXPECT_EQ("seip/clear-keeps-line", v & MIP_SEIP, MIP_SEIP);
    riscv_csr_rmw(cpu, CSR_MIP, &v, ~0ull, MIP_SEIP, true);  /* csrs */
    riscv_set_mip(cpu, MIP_SEIP, false);
    riscv_csr_rmw(cpu, CSR_MIP, &v, 0, 0, false);
    EXPECT_EQ("seip/software-bit-survives-line", v & MIP_SEIP, MIP_SEIP);
    riscv_csr_rmw(cpu, CSR_MIP, &v, 0, MIP_SEIP, true);
    riscv_csr_rmw(cpu, CSR_MIP, &v, 0, 0, false);
    EXPECT_EQ("seip/both-clear", v & MIP_SEIP, 0);
    fixture_free(f);
}

/* ---- CSRs and xRET ---------------------------------------------------------- */

static bool csr_ok(RiscvCpu *cpu, unsigned csr, bool write, uint64_t value)
{
    uint64_t old;
    cpu->common.exc_pending = false;
    bool ok = riscv_csr_rmw(cpu, csr, &old, value, ~0ull, write);
    if (!ok && cpu->common.exc_cause != EXC_ILLEGAL_INSN)
        return true;   /* wrong cause: make the test fail */
    return ok;
}

static void test_csr_access(void)
{
    Fixture *f = fixture_new();
    RiscvCpu *cpu = &f->cpu;
    uint64_t v;
    EXPECT_EQ("csr/m-writes-mstatus", csr_ok(cpu, CSR_MSTATUS, true, 0), 1);
    EXPECT_EQ("csr/read-only-write-illegal",
              csr_ok(cpu, CSR_MHARTID, true, 1), 0);
    EXPECT_EQ("csr/tselect-reads", csr_ok(cpu, CSR_TSELECT, false, 0), 1);
    EXPECT_EQ("csr/fp-off-illegal", csr_ok(cpu, CSR_FFLAGS, false, 0), 0);
    cpu->mstatus |= 1ull << MSTATUS_FS_SHIFT;
    csr_ok(cpu, CSR_FFLAGS, true, 1);
    riscv_csr_rmw(cpu, CSR_MSTATUS, &v, 0, 0, false);
    EXPECT_EQ("csr/fp-write-dirty-sd", v & (MSTATUS_FS | MSTATUS_SD),
              MSTATUS_FS | MSTATUS_SD);
    EXPECT_EQ("csr/uxl-sxl-64", (v >> 32) & 0xf, 0xa);
    csr_ok(cpu, CSR_MSTATUS, true, 2ull << MSTATUS_MPP_SHIFT);
    EXPECT_EQ("csr/mpp-reserved-ignored",
              (cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, 0);
    csr_ok(cpu, CSR_SATP, true, (5ull << 60) | 0x1234);
    EXPECT_EQ("csr/satp-bad-mode-ignored", cpu->satp, 0);
    csr_ok(cpu, CSR_SATP, true, SATP_SV39 | 0x1234);
    EXPECT_EQ("csr/satp-sv39", cpu->satp, SATP_SV39 | 0x1234);

    cpu->priv = PRV_S;
    EXPECT_EQ("csr/s-reads-sstatus", csr_ok(cpu, CSR_SSTATUS, false, 0), 1);
    EXPECT_EQ("csr/s-mstatus-illegal", csr_ok(cpu, CSR_MSTATUS, false, 0), 0);
    EXPECT_EQ("csr/s-satp", csr_ok(cpu, CSR_SATP, false, 0), 1);
    cpu->mstatus |= MSTATUS_TVM;
    EXPECT_EQ("csr/s-satp-tvm-illegal", csr_ok(cpu, CSR_SATP, false, 0), 0);
    EXPECT_EQ("csr/s-cycle-needs-mcounteren",
              csr_ok(cpu, CSR_CYCLE, false, 0), 0);
    cpu->mcounteren = 1;
    EXPECT_EQ("csr/s-cycle-enabled", csr_ok(cpu, CSR_CYCLE, false, 0), 1);
    cpu->priv = PRV_U;
    EXPECT_EQ("csr/u-cycle-needs-scounteren",
              csr_ok(cpu, CSR_CYCLE, false, 0), 0);
    EXPECT_EQ("csr/u-sip-illegal", csr_ok(cpu, CSR_SIP, false, 0), 0);
    fixture_free(f);
}

static void test_xret(void)
{
    Fixture *f = fixture_new();
    RiscvCpu *cpu = &f->cpu;
    cpu->mepc = 0x80004000;
    cpu->mstatus |= MSTATUS_MPIE | MSTATUS_MPRV | (1ull << MSTATUS_MPP_SHIFT);
    uint64_t pc = helper_mret(cpu, 0, 0, 0, 0);
    EXPECT_EQ("xret/mret-pc", pc, 0x80004000);
    EXPECT_EQ("xret/mret-priv", cpu->priv, PRV_S);
    EXPECT_EQ("xret/mret-stack",
              cpu->mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP |
                              MSTATUS_MPRV), MSTATUS_MIE | MSTATUS_MPIE);
    cpu->common.exc_pending = false;
    helper_mret(cpu, 0, 0, 0, 0);
    EXPECT_EQ("xret/mret-from-s-illegal", cpu->common.exc_pending, 1);
    cpu->common.exc_pending = false;
    cpu->sepc = 0x5000;
    cpu->mstatus |= MSTATUS_SPIE;     /* SPP = U */
    pc = helper_sret(cpu, 0, 0, 0, 0);
    EXPECT_EQ("xret/sret-pc", pc, 0x5000);
    EXPECT_EQ("xret/sret-priv", cpu->priv, PRV_U);
    EXPECT_EQ("xret/sret-sie", cpu->mstatus & MSTATUS_SIE, MSTATUS_SIE);
    helper_sret(cpu, 0, 0, 0, 0);
    EXPECT_EQ("xret/sret-from-u-illegal", cpu->common.exc_pending, 1);
    cpu->common.exc_pending = false;
    cpu->priv = PRV_S;
    cpu->mstatus |= MSTATUS_TSR;
    helper_sret(cpu, 0, 0, 0, 0);
    EXPECT_EQ("xret/sret-tsr-illegal", cpu->common.exc_pending, 1);
    cpu->common.exc_pending = false;
    cpu->mstatus |= MSTATUS_TW;
    helper_wfi(cpu, 0, 0, 0, 0);
    EXPECT_EQ("wfi/tw-illegal", cpu->common.exc_pending, 1);
    cpu->common.exc_pending = false;
    cpu->mstatus &= ~MSTATUS_TW;
    cpu->common.budget = 100;
    int64_t dropped = cpu->common.budget_dropped;
    helper_wfi(cpu, 0, 0, 0, 0);
    EXPECT_EQ("wfi/stalls", cpu->wfi && cpu->common.budget <= 0, 1);
    /* the slice's rest is not counted as run (minstret) */
    EXPECT_EQ("wfi/budget-dropped", cpu->common.budget_dropped - dropped, 100);
    fixture_free(f);
}

static void test_sfence_superpage(void)
{
    Fixture *f = fixture_new();
    RiscvCpu *cpu = &f->cpu;
    build_sv39(f);
    cpu->priv = PRV_S;
    uint64_t paddr;
    /* Fill two 4 KiB pieces of the gigapage, remap it, fence one address. */
    mmu_translate(&cpu->common, 0x40001000, MMU_READ, RV_MMU_S, &paddr);
    mmu_translate(&cpu->common, 0x40002000, MMU_READ, RV_MMU_S, &paddr);
    poke(f, ROOT + 8, pte(RAM_BASE + 0x40000000, PTE_V | PTE_R | PTE_A));
    helper_sfence_vma(cpu, 0x40001000, 0, 0, 2);
    mmu_translate(&cpu->common, 0x40002000, MMU_READ, RV_MMU_S, &paddr);
    EXPECT_EQ("sfence/superpage-whole", paddr, RAM_BASE + 0x40002000);
    fixture_free(f);
}

/* Entries of the S-mode data TLB still valid. */
static unsigned valid_entries(Fixture *f)
{
    unsigned n = 0;
    for (unsigned i = 0; i < TLB_SIZE; i++) {
        const TlbEntry *e = &f->cpu.common.tlb[RV_MMU_S][i];
        n += e->tag_read != TLB_INVALID_TAG || e->tag_write != TLB_INVALID_TAG;
    }
    return n;
}

/* Stores to `pages` pages of the gigapage, from 8 MiB into RAM (past the
 * page tables): each fills one TLB entry. */
enum { TOUCHED = 0x40000000 + (8u << 20) };
static void touch_pages(Fixture *f, unsigned pages)
{
    for (unsigned k = 0; k < pages; k++)
        mmu_store_slow(&f->cpu.common, TOUCHED + ((uint64_t)k << 12), k,
                       IR_MO_64, RV_MMU_S);
}

/* A flush resets the entries filled since the last one, from their log
 * or, past TLB_FILL_LOG fills, the whole TLB; a code page's protection
 * reaches its entries either way. */
static void test_tlb_flush_log(void)
{
    static const unsigned pages[] = { 3, TLB_FILL_LOG, TLB_FILL_LOG + 1,
                                      TLB_FILL_LOG + 300 };
    for (unsigned t = 0; t < sizeof(pages) / sizeof(pages[0]); t++) {
        Fixture *f = fixture_new();
        build_sv39(f);
        f->cpu.priv = PRV_S;
        char name[64];
        touch_pages(f, pages[t]);
        snprintf(name, sizeof(name), "tlb/%u-pages-filled", pages[t]);
        EXPECT_EQ(name, valid_entries(f), pages[t]);
        uint64_t last = TOUCHED + ((uint64_t)(pages[t] - 1) << 12);
        tlb_set_code_page(&f->cpu.common, RAM_BASE + (last - 0x40000000), true);
        snprintf(name, sizeof(name), "tlb/%u-pages-code-protected", pages[t]);
        EXPECT_EQ(name, !!(tlb_entry(&f->cpu.common, RV_MMU_S, last)->tag_write &
                           TLB_FLAG_NOTDIRTY), 1);
        tlb_flush(&f->cpu.common);
        snprintf(name, sizeof(name), "tlb/%u-pages-flushed", pages[t]);
        EXPECT_EQ(name, valid_entries(f), 0);
        touch_pages(f, 2);
        tlb_flush(&f->cpu.common);
        snprintf(name, sizeof(name), "tlb/%u-pages-second-flush", pages[t]);
        EXPECT_EQ(name, valid_entries(f), 0);
        fixture_free(f);
    }
}

int main(void)
{
    test_bare_and_m_mode();
    test_sv39_4k_and_ad_bits();
    test_sv39_superpages();
    test_sv39_faults();
    test_user_sum_mxr();
    test_sv48();
    test_pmp();
    test_pmp_guards_page_tables();
    test_trap_delegation();
    test_interrupts();
    test_seip_line();
    test_csr_access();
    test_xret();
    test_sfence_superpage();
    test_tlb_flush_log();
    return failures ? 1 : 0;
}

/* ---- stubs for what the target code calls outside itself ------------------ */

void tb_jmp_cache_clear(TbCache *cache) { (void)cache; }
void tb_jmp_cache_clear_page(TbCache *cache, uint64_t vaddr) { (void)cache; (void)vaddr; }
void cpu_exit_request(CpuCommon *cpu) { cpu->exit_request = true; }
uint64_t machine_read_mtime(Machine *m) { return 0; }
