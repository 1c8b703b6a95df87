/* Helpers for the privileged instructions: CSR access, xRET, WFI, SFENCE. */
#include "exec/softmmu.h"
#include "target/riscv/cpu.h"
#include "target/riscv/helpers.h"

static void raise_illegal(RiscvCpu *cpu)
{
    cpu_raise(&cpu->common, EXC_ILLEGAL_INSN, 0);
}

uint64_t helper_csr(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                    uint64_t imm)
{
    RiscvCpu *cpu = opaque;
    unsigned csr = imm & 0xfff, op = (imm >> 12) & 3;
    bool write = imm & RVH_CSR_WRITE;
    uint64_t value = a, mask = ~0ull, old = 0;
    if (op == RVH_CSR_RS) {
        mask = a;
        value = ~0ull;
    } else if (op == RVH_CSR_RC) {
        mask = a;
        value = 0;
    }
    riscv_csr_rmw(cpu, csr, &old, value, mask, write);
    return old;
}

uint64_t helper_mret(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                     uint64_t imm)
{
    RiscvCpu *cpu = opaque;
    if (cpu->priv != PRV_M) {
        raise_illegal(cpu);
        return 0;
    }
    uint64_t st = cpu->mstatus;
    unsigned mpp = (st & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    st = (st & ~MSTATUS_MIE) | ((st & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    st |= MSTATUS_MPIE;
    st &= ~MSTATUS_MPP;               /* MPP = U (least privileged) */
    if (mpp != PRV_M)
        st &= ~MSTATUS_MPRV;
    cpu->mstatus = st;
    cpu->priv = (uint8_t)mpp;
    cpu->common.reservation = (uint64_t)-1;
    riscv_update_tb_flags(cpu);
    return cpu->mepc;
}

uint64_t helper_sret(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                     uint64_t imm)
{
    RiscvCpu *cpu = opaque;
    if (cpu->priv < PRV_S ||
        (cpu->priv == PRV_S && (cpu->mstatus & MSTATUS_TSR))) {
        raise_illegal(cpu);
        return 0;
    }
    uint64_t st = cpu->mstatus;
    unsigned spp = (st & MSTATUS_SPP) ? PRV_S : PRV_U;
    st = (st & ~MSTATUS_SIE) | ((st & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    st |= MSTATUS_SPIE;
    st &= ~MSTATUS_SPP;
    st &= ~MSTATUS_MPRV;              /* returning below M */
    cpu->mstatus = st;
    cpu->priv = (uint8_t)spp;
    cpu->common.reservation = (uint64_t)-1;
    riscv_update_tb_flags(cpu);
    return cpu->sepc;
}

uint64_t helper_wfi(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                    uint64_t imm)
{
    RiscvCpu *cpu = opaque;
    if ((cpu->priv < PRV_M && (cpu->mstatus & MSTATUS_TW)) ||
        cpu->priv == PRV_U) {
        raise_illegal(cpu);
        return 0;
    }
    /* Stall until an interrupt is pending; the loop sleeps the host.  (The
     * slice's rest is dropped, not counted: an idle Linux guest seemed to
     * run 50M instructions a second, all of them wfi's leftover budget.) */
    if (!riscv_irq_pending(cpu))
        cpu->wfi = true;
    cpu_drop_budget(&cpu->common);
    return 0;
}

uint64_t helper_sfence_vma(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                           uint64_t imm)
{
    RiscvCpu *cpu = opaque;
    if (cpu->priv == PRV_U ||
        (cpu->priv == PRV_S && (cpu->mstatus & MSTATUS_TVM))) {
        raise_illegal(cpu);
        return 0;
    }
    /* The TLB holds 4 KiB pieces of superpages: an address inside a
     * superpage range may have many entries, so flush them all. */
    bool in_superpage = a >= cpu->tlb_super_lo && a < cpu->tlb_super_hi;
    if ((imm & 1) || in_superpage) {
        tlb_flush(&cpu->common);
        cpu->tlb_super_lo = cpu->tlb_super_hi = 0;
    } else {
        tlb_flush_page(&cpu->common, a);
    }
    return 0;
}
