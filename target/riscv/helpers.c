/* The RISC-V helper table: ids (helpers.h) -> functions and flags. */
#include "target/riscv/helpers.h"

#include "ir/ir.h"

#define RAISES IR_HELPER_MAY_RAISE
#define NO_RESULT IR_HELPER_NO_RESULT

static const IrHelperInfo riscv_helpers[RVH_COUNT] = {
    [RVH_CSR] = { "csr", helper_csr, RAISES },
    [RVH_MRET] = { "mret", helper_mret, RAISES },
    [RVH_SRET] = { "sret", helper_sret, RAISES },
    [RVH_WFI] = { "wfi", helper_wfi, RAISES | NO_RESULT },
    [RVH_SFENCE_VMA] = { "sfence_vma", helper_sfence_vma, RAISES | NO_RESULT },
    [RVH_LR] = { "lr", helper_lr, RAISES },
    [RVH_SC] = { "sc", helper_sc, RAISES },
    [RVH_AMO] = { "amo", helper_amo, RAISES },
    [RVH_FP_DIRTY] = { "fp_dirty", helper_fp_dirty, NO_RESULT },
    [RVH_FP_OP] = { "fp_op", helper_fp_op, RAISES },
    [RVH_FP_FMA] = { "fp_fma", helper_fp_fma, RAISES },
};

const IrHelperInfo *target_helper_info(unsigned id)
{
    return id < RVH_COUNT ? &riscv_helpers[id] : &riscv_helpers[RVH_FP_DIRTY];
}

unsigned target_helper_count(void)
{
    return RVH_COUNT;
}
