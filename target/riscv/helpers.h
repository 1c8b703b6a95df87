/*
 * RISC-V helper functions called from IR (IR_CALL) and their ids.
 * All share the IrHelperFn signature: uint64_t fn(void *cpu, a, b, c, imm).
 * The table mapping ids to functions is in target/riscv/helpers.c.
 */
#ifndef WASMU_RISCV_HELPERS_H
#define WASMU_RISCV_HELPERS_H

#include <stdint.h>

enum RiscvHelperId {
    /* privileged: target/riscv/priv_helpers.c */
    RVH_CSR,          /* d = old value; a = source value (rs1 or uimm);
                         imm = csr | op << 12 (RVH_CSR_RW/RS/RC)
                               | RVH_CSR_WRITE | RVH_CSR_NO_READ       */
    RVH_MRET,         /* d = new pc */
    RVH_SRET,         /* d = new pc */
    RVH_WFI,          /* may raise (mstatus.TW); stalls the hart */
    RVH_SFENCE_VMA,   /* a = vaddr, b = asid; imm bit0: rs1==x0, bit1: rs2==x0 */
    /* atomics: target/riscv/helper_amo.c */
    RVH_LR,           /* d = mem[a]; imm = IrMemOp (32 signed or 64) */
    RVH_SC,           /* d = 0 success / 1 failure; a = addr, b = value */
    RVH_AMO,          /* d = old; a = addr, b = value; imm = funct5 | memop << 8 */
    /* floating point: target/riscv/helper_fp.c (see helper_fp.h) */
    RVH_FP_DIRTY,     /* mstatus.FS = Dirty */
    RVH_FP_OP,        /* d = op(a, b); imm = fp_imm(op, fmt, rm) */
    RVH_FP_FMA,       /* d = ±(a * b) ± c; imm = fp_imm(kind, fmt, rm) */
    RVH_COUNT
};

enum { RVH_CSR_RW = 1, RVH_CSR_RS = 2, RVH_CSR_RC = 3 };
#define RVH_CSR_WRITE (1u << 16)    /* the instruction writes the CSR */
#define RVH_CSR_NO_READ (1u << 17)  /* csrrw with rd = x0: no read effects */

uint64_t helper_csr(void *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t imm);
uint64_t helper_mret(void *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t imm);
uint64_t helper_sret(void *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t imm);
uint64_t helper_wfi(void *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t imm);
uint64_t helper_sfence_vma(void *cpu, uint64_t a, uint64_t b, uint64_t c,
                           uint64_t imm);
uint64_t helper_lr(void *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t imm);
uint64_t helper_sc(void *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t imm);
uint64_t helper_amo(void *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t imm);
uint64_t helper_fp_dirty(void *cpu, uint64_t a, uint64_t b, uint64_t c,
                         uint64_t imm);
uint64_t helper_fp_op(void *cpu, uint64_t a, uint64_t b, uint64_t c,
                      uint64_t imm);
uint64_t helper_fp_fma(void *cpu, uint64_t a, uint64_t b, uint64_t c,
                       uint64_t imm);

#endif
