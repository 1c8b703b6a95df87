/*
 * A region entered at a member in another page than its entry checks the
 * entry's page before jumping into it.  The loop E -> M -> F runs with E
 * in page A, M in page B, F in page A again; E runs 5 times for M's 4, so
 * that E passes the threshold first and its region (entry page A) takes M
 * and F in.  Then F is rewritten, which drops page A's TBs but not M (page
 * B), still a member of that region; a jump straight to M enters the
 * region at M, and M's jump to F must see the write (guards are placed by
 * the jumping member's page, not the entry's).
 * Run under Node with jit-threshold=500 (tests/suites/isa.sh).
 */
#include "test.h"
    .option norvc
TEST_START
    li s1, 0                  /* E's runs */
    li s2, 0                  /* F's sum: +1 per run, +100 once patched */
    li s3, 0                  /* 0 while looping, 1 after the patch */
    li s4, 0                  /* E's runs modulo 5 */
    j page_a_E
patch:
    CHECK(1, s2, 80001)       /* E ran 100001 times, 4 in 5 went on to F */
    la t0, page_a_F
    la t1, new_F_insn
    lw t1, 0(t1)
    sw t1, 0(t0)
    fence.i
    li s3, 1
    j page_b_M                /* enters E's region at M */
after_patch:
    CHECK(2, s2, 80101)
    j pass
new_F_insn:
    addi s2, s2, 100          /* (copied over F's first instruction) */

    .balign 4096
page_a_E:
    addi s1, s1, 1
    addi s4, s4, 1
    li t1, 5
    bne s4, t1, page_a_to_M
    li s4, 0                  /* every 5th run of E runs E again */
    j page_a_E
page_a_to_M:
    j page_b_M
page_a_F:
    addi s2, s2, 1            /* patched to addi s2, s2, 100 */
    bnez s3, after_patch
    li t0, 100000
    blt s1, t0, page_a_E
    j patch

    .balign 4096
page_b_M:
    nop
    j page_a_F
TEST_END
