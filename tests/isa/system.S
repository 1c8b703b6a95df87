#include "test.h"
    .option norvc
TEST_START
    /* csr instructions */
    li t0, 0x1234; csrw mscratch, t0; csrr a0, mscratch; CHECK(1, a0, 0x1234)
    li t0, 0xf; csrrs a0, mscratch, t0; CHECK(2, a0, 0x1234)
    csrr a0, mscratch; CHECK(3, a0, 0x123f)
    csrrci a0, mscratch, 3; csrr a0, mscratch; CHECK(4, a0, 0x123c)
    csrrwi a0, mscratch, 5; CHECK(5, a0, 0x123c); csrr a0, mscratch; CHECK(6, a0, 5)
    csrr a0, misa; srli a0, a0, 62; CHECK(7, a0, 2)
    csrr a0, mhartid; CHECK(8, a0, 0)
    /* ecall from M: cause 11 */
    li TESTNUM, 9; EXPECT_TRAP(11); ecall; bnez s11, fail
    /* illegal instructions: cause 2, mtval = the encoding */
    li TESTNUM, 10; EXPECT_TRAP(2); .word 0xffffffff; bnez s11, fail
    li t0, 0xffffffff; bne s10, t0, fail
    li TESTNUM, 11; EXPECT_TRAP(2); .half 0x0000; bnez s11, fail
    li TESTNUM, 12; EXPECT_TRAP(2); csrw mvendorid, t0; bnez s11, fail   /* read-only */
    /* self-modifying code: overwrite an instruction, fence.i, run it */
    la t0, patch; li t1, 0x00700513   /* addi a0, x0, 7 */
    sw t1, 0(t0); fence.i
patch: addi a0, x0, 1
    CHECK(13, a0, 7)
    /* and again on code already executed (translated) */
    li s1, 0
smc_loop:
    la t0, patch2
patch2: addi a0, x0, 1
    addi s1, s1, 1
    li t1, 0x00900513   /* addi a0, x0, 9 */
    sw t1, 0(t0); fence.i
    li t2, 2; blt s1, t2, smc_loop
    CHECK(14, a0, 9)
    /* counters advance */
    rdinstret a0; rdinstret a1; li TESTNUM, 15; bgeu a0, a1, 15f; j 16f
15: bne a0, a1, fail
16: rdcycle a0; li TESTNUM, 16; beqz a0, fail
    j pass
TEST_END
