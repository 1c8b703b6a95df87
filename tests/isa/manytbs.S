/*
 * More distinct TBs than the Wasm tier keeps live (WASM_MAX_LIVE, 4000),
 * all hot: 4200 two-instruction blocks run 3 times.  With every TB queued
 * for a background compile (jit-threshold=0, async), the compiles in flight
 * pass the limit within one slice; the flush that bounds live modules must
 * not count them again (before, each TB looked up flushed the cache anew,
 * nothing ran and the slice never ended: a host hang).
 */
#include "test.h"
    .option norvc
TEST_START
    li TESTNUM, 1
    li a0, 0
    li s1, 0
round:
    .rept 4200
    addi a0, a0, 1
    jal x0, .+4
    .endr
    addi s1, s1, 1
    li t0, 3
    blt s1, t0, round
    li t1, 12600
    bne a0, t1, fail
    j pass
TEST_END
