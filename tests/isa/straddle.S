/*
 * An instruction that straddles two pages: its first half ends one page,
 * its second half starts the next.  Rewriting only the second half (a
 * store to the second page, then fence.i) must take effect, on every tier:
 * the TB holding it belongs to both pages.
 */
#include "test.h"
#define ADDI_A0_1 0x00150513      /* addi a0, a0, 1: upper half 0x0015 */
    .option norvc
TEST_START
    li s3, 1                      /* the immediate of this round */
round:
    li s1, 0                      /* iterations */
    li a0, 0                      /* the sum */
loop:
    jal ra, straddling
    addi s1, s1, 1
    li t0, 3000
    blt s1, t0, loop
    mul t1, s3, t0
    mv TESTNUM, s3
    bne a0, t1, fail
    li t0, 3
    beq s3, t0, pass
    addi s3, s3, 1
    /* the upper half holds imm[11:0] << 4 | rs1 >> 1 (a0 = x10) */
    slli t1, s3, 4
    ori t1, t1, 0x5
    la t0, straddling
    sh t1, 2(t0)                  /* the first bytes of the next page */
    fence.i
    j round
TEST_END

    .section .text.straddle, "ax"
    .balign 4096
    .skip 4094
straddling:
    addi a0, a0, 1                /* bytes 4094..4097: two pages */
    ret
