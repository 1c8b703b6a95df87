/*
 * ISA test conventions: M-mode from 0x80000000, HTIF tohost reports
 * 1 = pass or (n << 1) | 1 = failure in sub-test n (held in gp).
 * A trap is a failure unless the test armed EXPECT_TRAP with the cause;
 * then the handler records mtval in s10, skips the instruction and returns.
 */
#include "htif.h"
#define TESTNUM gp

#define TEST_START                                                   \
    .section .text.start;                                            \
    .globl _start;                                                   \
_start:                                                              \
    la t0, trap_handler; csrw mtvec, t0;                             \
    li t0, (1 << 13); csrs mstatus, t0; csrwi fcsr, 0;               \
    la sp, stack_top; li s11, 0; li TESTNUM, 0;                      \
    j tests_begin;                                                   \
trap_handler:                                                        \
    csrr t5, mcause; mv s9, t5; li t6, -1; beq s11, t6, 2f;          \
    bne t5, s11, fail;                                               \
2:                                                                   \
    csrr s10, mtval; li s11, 0;                                      \
    csrr t5, mepc; lhu t6, 0(t5); andi t6, t6, 3; li t4, 3;          \
    addi t5, t5, 2; bne t6, t4, 1f; addi t5, t5, 2;                  \
1:  csrw mepc, t5; mret;                                             \
tests_begin:

#define TEST_END HTIF_END

#define EXPECT_TRAP(cause) li s11, cause
/* any trap: the handler leaves its cause in s9 */
#define EXPECT_ANY_TRAP li s11, -1
#define CHECK(num, reg, value) li TESTNUM, num; li t3, value; bne reg, t3, fail

/* rd = insn(v1, v2) */
#define TEST_RR(num, insn, expect, v1, v2) \
    li a1, v1; li a2, v2; insn a0, a1, a2; CHECK(num, a0, expect)
#define TEST_RI(num, insn, expect, v1, imm) \
    li a1, v1; insn a0, a1, imm; CHECK(num, a0, expect)
/* fflags after clearing, then the op */
#define CHECK_FLAGS(num, flags) csrr t2, fflags; CHECK(num, t2, flags); csrwi fflags, 0
