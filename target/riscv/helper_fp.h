/*
 * F/D instruction helpers: the operation selector the translator passes in
 * the helper's imm, and the decode of OP-FP into it.
 */
#ifndef WASMU_RISCV_HELPER_FP_H
#define WASMU_RISCV_HELPER_FP_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"

enum FpOp {
    FPOP_ADD, FPOP_SUB, FPOP_MUL, FPOP_DIV, FPOP_SQRT,
    FPOP_SGNJ, FPOP_SGNJN, FPOP_SGNJX, FPOP_MIN, FPOP_MAX,
    FPOP_EQ, FPOP_LT, FPOP_LE, FPOP_CLASS,
    FPOP_TO_W, FPOP_TO_WU, FPOP_TO_L, FPOP_TO_LU,        /* float -> int */
    FPOP_FROM_W, FPOP_FROM_WU, FPOP_FROM_L, FPOP_FROM_LU, /* int -> float */
    FPOP_CVT_FMT,                                        /* s <-> d */
    FPOP_COUNT
};

/* The IR's FARITH64 operation for FPOP_ADD .. FPOP_DIV (same order). */
static inline IrFpOp fp_farith_op(int op)
{
    _Static_assert(FPOP_SUB - FPOP_ADD == IR_FSUB - IR_FADD &&
                   FPOP_MUL - FPOP_ADD == IR_FMUL - IR_FADD &&
                   FPOP_DIV - FPOP_ADD == IR_FDIV - IR_FADD, "FpOp order");
    return (IrFpOp)(IR_FADD + (op - FPOP_ADD));
}

/* imm = op | fmt << 8 (0 single, 1 double) | rm << 12 */
static inline int64_t fp_imm(unsigned op, unsigned fmt, unsigned rm)
{
    return (int64_t)(op | fmt << 8 | rm << 12);
}

/* OP-FP: funct5, rs2 and rm fields -> FpOp, or -1 if illegal. */
int fp_decode_op(unsigned funct5, unsigned rs2, unsigned rm, unsigned fmt);
bool fp_op_uses_rm(int op);
bool fp_op_writes_x(int op);
bool fp_op_reads_x(int op);

#endif
