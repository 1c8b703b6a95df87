/*
 * RISC-V privileged architecture: reset, traps with delegation, interrupts,
 * translation flags, and the exec-layer hooks.
 */
#include "target/riscv/cpu.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exec/exec.h"
#include "exec/softmmu.h"
#include "exec/tb_cache.h"

#define MISA_RV64 (2ull << 62)
#define MISA_EXT(c) (1ull << ((c) - 'A'))

void riscv_cpu_init(RiscvCpu *cpu, Machine *m, uint64_t hartid)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->common.machine = m;
    cpu->mhartid = hartid;
    cpu->misa = MISA_RV64 | MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('A') |
                MISA_EXT('F') | MISA_EXT('D') | MISA_EXT('C') |
                MISA_EXT('S') | MISA_EXT('U');
}

void riscv_cpu_reset(RiscvCpu *cpu, uint64_t pc)
{
    CpuCommon *c = &cpu->common;
    memset(c->slots, 0, sizeof(c->slots));
    c->pc = pc;
    c->exc_pending = false;
    c->reservation = (uint64_t)-1;
    cpu->priv = PRV_M;
    cpu->wfi = false;
    /* UXL = SXL = 64-bit; everything else off. */
    cpu->mstatus = (2ull << 32) | (2ull << 34);
    cpu->mie = cpu->mip = 0;
    cpu->seip_line = false;
    cpu->medeleg = cpu->mideleg = 0;
    cpu->satp = 0;
    cpu->fflags = cpu->frm = 0;
    memset(cpu->pmpcfg, 0, sizeof(cpu->pmpcfg));
    memset(cpu->pmpaddr, 0, sizeof(cpu->pmpaddr));
    riscv_pmp_decode(cpu);
    riscv_update_tb_flags(cpu);
    tlb_flush(c);
    cpu->tlb_super_lo = cpu->tlb_super_hi = 0;
}

/* Privilege used for loads and stores: MPRV makes M-mode act as MPP. */
static unsigned effective_data_priv(const RiscvCpu *cpu)
{
    if (cpu->priv == PRV_M && (cpu->mstatus & MSTATUS_MPRV))
        return (cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    return cpu->priv;
}

static unsigned mmu_idx_for(const RiscvCpu *cpu, unsigned priv)
{
    if (priv == PRV_M)
        return RV_MMU_M;
    if (priv == PRV_U)
        return RV_MMU_U;
    return (cpu->mstatus & MSTATUS_SUM) ? RV_MMU_S_SUM : RV_MMU_S;
}

void riscv_update_tb_flags(RiscvCpu *cpu)
{
    CpuCommon *c = &cpu->common;
    c->mmu_idx_data = (uint8_t)mmu_idx_for(cpu, effective_data_priv(cpu));
    c->mmu_idx_exec = (uint8_t)mmu_idx_for(cpu, cpu->priv);
    c->tb_flags = cpu->priv |
                  ((cpu->mstatus & MSTATUS_FS) ? RV_TBF_FS_ON : 0) |
                  (uint32_t)c->mmu_idx_data << RV_TBF_MMU_SHIFT;
}

static bool trap_is_delegated(const RiscvCpu *cpu, uint64_t cause)
{
    if (cpu->priv == PRV_M)
        return false;
    uint64_t bit = 1ull << (cause & 63);
    return (cause & CAUSE_INTERRUPT) ? (cpu->mideleg & bit)
                                     : (cpu->medeleg & bit);
}

static uint64_t trap_vector(uint64_t tvec, uint64_t cause)
{
    uint64_t base = tvec & ~3ull;
    if ((tvec & 3) == 1 && (cause & CAUSE_INTERRUPT))
        return base + 4 * (cause & 63);
    return base;
}

void riscv_do_trap(RiscvCpu *cpu, uint64_t cause, uint64_t tval)
{
    CpuCommon *c = &cpu->common;
    uint64_t st = cpu->mstatus;
    c->reservation = (uint64_t)-1;
    cpu->wfi = false;
    if (trap_is_delegated(cpu, cause)) {
        cpu->scause = cause;
        cpu->sepc = c->pc;
        cpu->stval = tval;
        st = (st & ~MSTATUS_SPIE) | ((st & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        st = (st & ~MSTATUS_SPP) | (cpu->priv == PRV_S ? MSTATUS_SPP : 0);
        st &= ~MSTATUS_SIE;
        cpu->priv = PRV_S;
        c->pc = trap_vector(cpu->stvec, cause);
    } else {
        cpu->mcause = cause;
        cpu->mepc = c->pc;
        cpu->mtval = tval;
        st = (st & ~MSTATUS_MPIE) | ((st & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
        st = (st & ~MSTATUS_MPP) | ((uint64_t)cpu->priv << MSTATUS_MPP_SHIFT);
        st &= ~MSTATUS_MIE;
        cpu->priv = PRV_M;
        c->pc = trap_vector(cpu->mtvec, cause);
    }
    cpu->mstatus = st;
    riscv_update_tb_flags(cpu);
}

/* mip as software and the interrupt logic see it: the software-written
 * bits plus the external supervisor interrupt line of the PLIC. */
uint64_t riscv_effective_mip(const RiscvCpu *cpu)
{
    return cpu->mip | (cpu->seip_line ? MIP_SEIP : 0);
}

bool riscv_irq_pending(const RiscvCpu *cpu)
{
    return (riscv_effective_mip(cpu) & cpu->mie) != 0;
}

/* Pending interrupts that may be taken now, by the global-enable rules. */
static uint64_t takeable_irqs(const RiscvCpu *cpu)
{
    uint64_t pending = riscv_effective_mip(cpu) & cpu->mie;
    if (!pending)
        return 0;
    uint64_t m_irqs = pending & ~cpu->mideleg;
    uint64_t s_irqs = pending & cpu->mideleg;
    bool m_enabled = cpu->priv < PRV_M || (cpu->mstatus & MSTATUS_MIE);
    bool s_enabled = cpu->priv < PRV_S ||
                     (cpu->priv == PRV_S && (cpu->mstatus & MSTATUS_SIE));
    return (m_enabled ? m_irqs : 0) | (s_enabled ? s_irqs : 0);
}

bool riscv_check_interrupts(RiscvCpu *cpu)
{
    static const uint8_t priority[] = { IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER,
                                        IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER };
    uint64_t irqs = takeable_irqs(cpu);
    if (riscv_irq_pending(cpu))
        cpu->wfi = false;
    if (!irqs)
        return false;
    for (unsigned i = 0; i < sizeof(priority); i++)
        if (irqs & (1ull << priority[i])) {
            riscv_do_trap(cpu, CAUSE_INTERRUPT | priority[i], 0);
            return true;
        }
    return false;
}

void riscv_set_mip(RiscvCpu *cpu, uint64_t mask, bool level)
{
    /* The PLIC's S-level line stays apart from the software-writable SEIP. */
    if (mask & MIP_SEIP)
        cpu->seip_line = level;
    uint64_t software_bits = mask & ~MIP_SEIP;
    if (level)
        cpu->mip |= software_bits;
    else
        cpu->mip &= ~software_bits;
    /* An interrupt may now be deliverable: end the current slice early. */
    if (level && (cpu->mie & mask))
        cpu_exit_request(&cpu->common);
}

/* ---- exec-layer hooks ----------------------------------------------------- */

bool target_cpu_exec_interrupt(CpuCommon *c)
{
    RiscvCpu *cpu = rv_cpu(c);
    if (!riscv_irq_pending(cpu))
        return false;
    uint64_t old_pc = c->pc;
    bool taken = riscv_check_interrupts(cpu);
    if (taken && c->tbs->opts.trace_int)
        fprintf(stderr, "int: cause=%" PRIx64 " epc=%016" PRIx64 "\n",
                cpu->priv == PRV_M ? cpu->mcause : cpu->scause, old_pc);
    return taken;
}

void target_cpu_do_exception(CpuCommon *c)
{
    RiscvCpu *cpu = rv_cpu(c);
    c->exc_pending = false;
    if (c->tbs->opts.trace_int)
        fprintf(stderr, "exc: cause=%" PRIu64 " tval=%016" PRIx64
                " pc=%016" PRIx64 " priv=%u\n", c->exc_cause, c->exc_tval,
                c->pc, cpu->priv);
    riscv_do_trap(cpu, c->exc_cause, c->exc_tval);
}

bool target_cpu_is_halted(CpuCommon *c)
{
    RiscvCpu *cpu = rv_cpu(c);
    return cpu->wfi && !riscv_irq_pending(cpu);
}

uint64_t target_access_fault_cause(int access)
{
    return access == MMU_WRITE ? EXC_STORE_ACCESS
         : access == MMU_EXEC ? EXC_INSN_ACCESS : EXC_LOAD_ACCESS;
}

uint64_t target_misaligned_cause(int access)
{
    return access == MMU_WRITE ? EXC_STORE_MISALIGNED
         : access == MMU_EXEC ? EXC_INSN_MISALIGNED : EXC_LOAD_MISALIGNED;
}
