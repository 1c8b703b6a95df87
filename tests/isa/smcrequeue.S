/*
 * A function in the loop's own page is rewritten again and again while
 * the loop stays hot: each time its TBs go back to the interpreter, get
 * hot again and are queued for a new compile while the compile from
 * before the write may still be running in the background.  That older
 * compile holds the old code and must not be installed (under Node with
 * jit-threshold=500, tests/suites/isa.sh; it was, before the page's code
 * generation was checked at install).
 */
#include "test.h"
    .option norvc
TEST_START
    li s3, 1                  /* what near_func returns this round */
round:
    li s1, 0
    li s2, 0
loop:
    jal ra, near_func
    add s2, s2, a0
    addi s1, s1, 1
    li t0, 50000              /* a few slices: compiles start and finish */
    blt s1, t0, loop
    mul t1, t0, s3            /* expected: 50000 * value */
    mv TESTNUM, s3            /* sub-test: the round */
    bne s2, t1, fail
    li t0, 12
    beq s3, t0, pass_all
    addi s3, s3, 1
    la t0, near_func          /* near_func: addi a0, x0, s3 */
    slli t1, s3, 20
    li t2, 0x00000513
    or t1, t1, t2
    sw t1, 0(t0)
    fence.i
    j round
pass_all:
    j pass
near_func:
    addi a0, x0, 1
    ret
TEST_END
