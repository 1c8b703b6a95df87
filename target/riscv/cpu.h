/*
 * RV64GC hart state and the interfaces between the RISC-V frontend
 * (translate.c), its helpers, the privileged architecture (cpu.c, csr.c,
 * mmu.c) and the machine.
 */
#ifndef WASMU_RISCV_CPU_H
#define WASMU_RISCV_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/cpu_common.h"

/* Slot numbers of guest registers in CpuCommon.slots. */
#define RV_SLOT_X(n) ((uint16_t)(n))
#define RV_SLOT_F(n) ((uint16_t)(32 + (n)))

enum { PRV_U = 0, PRV_S = 1, PRV_M = 3 };

/* MMU indexes (CpuCommon.tlb[idx]). */
enum {
    RV_MMU_U = 0,      /* user accesses (translated) */
    RV_MMU_S = 1,      /* supervisor, SUM=0 */
    RV_MMU_S_SUM = 2,  /* supervisor, SUM=1: may touch U pages */
    RV_MMU_M = 3,      /* machine mode: physical (PMP only) */
};

/* CpuCommon.tb_flags layout for RISC-V. */
#define RV_TBF_PRIV_MASK  0x3u       /* privilege level of the code */
#define RV_TBF_FS_ON      0x4u       /* mstatus.FS != Off: FP allowed */
#define RV_TBF_MMU_SHIFT  4          /* mmu_idx_data in bits 4..5 */

/* Exception causes. */
enum {
    EXC_INSN_MISALIGNED = 0, EXC_INSN_ACCESS = 1, EXC_ILLEGAL_INSN = 2,
    EXC_BREAKPOINT = 3, EXC_LOAD_MISALIGNED = 4, EXC_LOAD_ACCESS = 5,
    EXC_STORE_MISALIGNED = 6, EXC_STORE_ACCESS = 7, EXC_ECALL_U = 8,
    EXC_ECALL_S = 9, EXC_ECALL_M = 11, EXC_INSN_PAGE_FAULT = 12,
    EXC_LOAD_PAGE_FAULT = 13, EXC_STORE_PAGE_FAULT = 15,
};
#define CAUSE_INTERRUPT ((uint64_t)1 << 63)
/* Interrupt numbers (bits of mip/mie). */
enum { IRQ_S_SOFT = 1, IRQ_M_SOFT = 3, IRQ_S_TIMER = 5, IRQ_M_TIMER = 7,
       IRQ_S_EXT = 9, IRQ_M_EXT = 11 };
#define MIP_SSIP (1ull << IRQ_S_SOFT)
#define MIP_MSIP (1ull << IRQ_M_SOFT)
#define MIP_STIP (1ull << IRQ_S_TIMER)
#define MIP_MTIP (1ull << IRQ_M_TIMER)
#define MIP_SEIP (1ull << IRQ_S_EXT)
#define MIP_MEIP (1ull << IRQ_M_EXT)

/* mstatus bits. */
#define MSTATUS_SIE  (1ull << 1)
#define MSTATUS_MIE  (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_UBE  (1ull << 6)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP  (1ull << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP  (3ull << 11)
#define MSTATUS_FS_SHIFT 13
#define MSTATUS_FS   (3ull << 13)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM  (1ull << 18)
#define MSTATUS_MXR  (1ull << 19)
#define MSTATUS_TVM  (1ull << 20)
#define MSTATUS_TW   (1ull << 21)
#define MSTATUS_TSR  (1ull << 22)
#define MSTATUS_UXL  (3ull << 32)
#define MSTATUS_SXL  (3ull << 34)
#define MSTATUS_SD   (1ull << 63)

/* fflags bits (fcsr[4:0]). */
enum { FFLAG_NX = 1, FFLAG_UF = 2, FFLAG_OF = 4, FFLAG_DZ = 8, FFLAG_NV = 16 };
/* Rounding modes (frm / instruction rm field). 7 = dynamic. */
enum { RM_RNE = 0, RM_RTZ = 1, RM_RDN = 2, RM_RUP = 3, RM_RMM = 4,
       RM_DYN = 7 };

enum { RV_PMP_COUNT = 16 };

typedef struct RiscvCpu {
    CpuCommon common;          /* must be first: CpuCommon* == RiscvCpu* */

    uint8_t priv;              /* PRV_U / PRV_S / PRV_M */
    bool wfi;                  /* stalled in WFI until an interrupt */
    uint64_t mhartid;
    uint64_t misa;

    /* floating point control */
    uint32_t fflags;           /* accrued exception flags, 5 bits */
    uint32_t frm;              /* dynamic rounding mode, 3 bits */

    /* machine-level CSRs */
    uint64_t mstatus;
    uint64_t medeleg, mideleg;
    uint64_t mie, mip;
    uint64_t mtvec, mscratch, mepc, mcause, mtval;
    uint64_t mcounteren, mcountinhibit, menvcfg;
    uint64_t pmpcfg[RV_PMP_COUNT / 8];   /* pmpcfg0, pmpcfg2 on RV64 */
    uint64_t pmpaddr[RV_PMP_COUNT];
    /* The entries that are on, decoded to [lo, hi) at every pmpcfg/pmpaddr
     * write (riscv_pmp_decode): a TLB fill then checks only these. */
    struct { uint64_t lo, hi; uint8_t cfg; } pmp_on[RV_PMP_COUNT];
    unsigned pmp_on_count;

    /* supervisor-level CSRs (sstatus/sie/sip are views of m*) */
    uint64_t stvec, sscratch, sepc, scause, stval, satp;
    uint64_t scounteren, senvcfg;

    /* counters: cycle/instret derive from common.insns_executed */
    uint64_t minstret_offset;
    uint64_t mcycle_offset;

    /* mip.SEIP as software reads it is this PLIC line OR the bit software
     * wrote in mip; the two are kept apart so neither clobbers the other. */
    bool seip_line;
    /* Virtual range [lo, hi) covered by superpage translations that may be
     * in the TLB (4 KiB pieces): SFENCE.VMA of an address in it flushes all. */
    uint64_t tlb_super_lo, tlb_super_hi;
} RiscvCpu;

static inline RiscvCpu *rv_cpu(CpuCommon *c) { return (RiscvCpu *)c; }

/* ---- implemented in target/riscv/cpu.c (privileged architecture) ---- */
void riscv_cpu_init(RiscvCpu *cpu, Machine *m, uint64_t hartid);
void riscv_cpu_reset(RiscvCpu *cpu, uint64_t pc);
/* Recompute common.tb_flags / mmu_idx_data / mmu_idx_exec after a change
 * of priv, mstatus or satp. */
void riscv_update_tb_flags(RiscvCpu *cpu);
/* Take a synchronous exception (cause < 64) or interrupt (cause with
 * CAUSE_INTERRUPT): delegation, xstatus stacking, pc = xtvec. */
void riscv_do_trap(RiscvCpu *cpu, uint64_t cause, uint64_t tval);
/* If an enabled interrupt is pending, take it; returns true if taken.
 * Also clears cpu->wfi when any interrupt is pending (even if masked). */
bool riscv_check_interrupts(RiscvCpu *cpu);
/* mip with the device-driven SEIP line folded in (what csrr mip reads). */
uint64_t riscv_effective_mip(const RiscvCpu *cpu);
/* Is any interrupt pending (mip & mie), enabled or not?  (WFI wake-up) */
bool riscv_irq_pending(const RiscvCpu *cpu);
/* Raise/lower interrupt-pending bits driven by devices (CLINT, PLIC). */
void riscv_set_mip(RiscvCpu *cpu, uint64_t mask, bool level);

/* ---- implemented in target/riscv/mmu.c ------------------------------- */
/* Rebuild cpu->pmp_on from pmpcfg/pmpaddr (after any write of them). */
void riscv_pmp_decode(RiscvCpu *cpu);

/* ---- implemented in target/riscv/csr.c ------------------------------- */
/* CSR read-modify-write with the access checks of the current privilege.
 * On success *old gets the previous value; when do_write, the CSR becomes
 * (old & ~mask) | (value & mask).  Raises illegal-instruction and returns
 * false on a bad access. */
bool riscv_csr_rmw(RiscvCpu *cpu, unsigned csr, uint64_t *old, uint64_t value,
                   uint64_t mask, bool do_write);
/* A debugger's access (target/riscv/gdb.c): no privilege check, no trap;
 * false for a CSR that does not exist. */
bool riscv_csr_peek(RiscvCpu *cpu, unsigned csr, uint64_t *value);
bool riscv_csr_poke(RiscvCpu *cpu, unsigned csr, uint64_t value);

/* ---- provided by the machine (hw/riscv/virt.c) ----------------------- */
/* Current value of the CLINT's mtime (10 MHz). */
uint64_t machine_read_mtime(Machine *m);

#endif
