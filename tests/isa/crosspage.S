/*
 * A loop calling a function in another page, hot enough for the Wasm tier
 * to compile them into one region, then the function's code is rewritten
 * and the same loop runs again: it must see the new code (a region holding
 * a copy of another page's code must notice the page was written).
 * Run under Node with jit-threshold=0 and with a threshold the function
 * passes first (tests/suites/isa.sh).
 */
#include "test.h"
    .option norvc
TEST_START
    li s3, 0                  /* round: 0 before the patch, 1 after */
round:
    li s1, 0
    li s2, 0
loop:
    jal ra, far_func
    add s2, s2, a0
    addi s1, s1, 1
    li t0, 100000             /* several slices: compiled code runs */
    blt s1, t0, loop
    bnez s3, second
    CHECK(1, s2, 100000)
    la t0, far_func
    li t1, 0x00200513         /* addi a0, x0, 2 */
    sw t1, 0(t0)
    fence.i
    li s3, 1
    j round
second:
    CHECK(2, s2, 200000)
    j pass
TEST_END

    .text
    .balign 4096
far_func:
    addi a0, x0, 1
    ret
