/* Accesses through one base register that cross into another page: the
 * Wasm tier reuses the TLB lookup of a member's last load (store) for the
 * next one with the same base, after comparing the page (tlb_fast_path in
 * backend/wasm/wasm_emit_mem.c).  Under Sv39, VA 0x1000 and 0x2000 map to RAM
 * pages that are not neighbours (page_c lies between them, where a reused
 * lookup would land), 0x3000 is read-only and 0x4000 invalid.  Each
 * second access must reach its own page, fault on its own page, or be
 * misaligned across the two.  The checks loop for several slices, so
 * that compiled code runs them with a tier-up threshold too. */
#include "priv.h"

#define ROUNDS 3000

PRIV_START
    li t0, 0xaaaa; la t1, page_a + 0xff8; sd t0, 0(t1)
    li t0, 0xbbbb; la t1, page_b; sd t0, 0(t1)
    li t0, 0xcccc; la t1, page_c; sd t0, 0(t1)
    li t0, 0xdddd; la t1, page_r; sd t0, 0(t1)

    li t0, 0x80000000; SET_PTE(pt_root, 2, t0, PTE_V|PTE_R|PTE_W|PTE_X|PTE_A|PTE_D)
    la t0, pt_l1;      SET_PTE(pt_root, 0, t0, PTE_V)
    la t0, pt_l0;      SET_PTE(pt_l1, 0, t0, PTE_V)
    la t0, page_a;     SET_PTE(pt_l0, 1, t0, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D)
    la t0, page_b;     SET_PTE(pt_l0, 2, t0, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D)
    la t0, page_r;     SET_PTE(pt_l0, 3, t0, PTE_V|PTE_R|PTE_A)
    SV39_SATP
    sfence.vma
    li t0, (1 << 13) | (1 << 15); csrw medeleg, t0
    ENTER_S(s_code)

s_code:
    li s1, ROUNDS
round:
    li s8, 8                  /* the accesses that stay compiled, 8 times */
fast:
    /* 1-2: loads at the end of 0x1000 and the start of 0x2000 */
    li a0, 0x1ff8
    ld t0, 0(a0)
    ld t1, 8(a0)
    CHECK(1, t0, 0xaaaa)
    CHECK(2, t1, 0xbbbb)
    /* 3-4: stores the same way, read back by their physical addresses */
    li t0, 0x1234; li t1, 0x5678
    sd t0, 0(a0)
    sd t1, 8(a0)
    la t2, page_b; ld t4, 0(t2)
    CHECK(3, t4, 0x5678)
    la t2, page_c; ld t4, 0(t2)
    CHECK(4, t4, 0xcccc)
    li t0, 0xaaaa; sd t0, 0(a0)
    li t0, 0xbbbb; sd t0, 8(a0)
    /* 5: the read-only page reads */
    li a0, 0x2ff8
    ld t0, 0(a0)
    ld t1, 8(a0)
    CHECK(5, t1, 0xdddd)
    addi s8, s8, -1
    bnez s8, fast
    /* 6: a load misaligned across the two pages: 4 bytes of each (the
     * interpreter does it, after the page compare sends it there) */
    li a0, 0x1ff8
    ld t0, 0(a0)
    ld t1, 4(a0)
    CHECK(6, t1, 0xbbbb00000000)
    /* 7: a store after one to 0x2000 lands on the read-only 0x3000 */
    li a0, 0x2ff8
    S_FAULT(7, 15, 0x3000, sd zero, 0(a0); sd zero, 8(a0))
    /* 8: a load after one from 0x3000 reaches the invalid 0x4000 */
    li a0, 0x3ff8
    S_FAULT(8, 13, 0x4000, ld t0, 0(a0); ld t0, 8(a0))
    addi s1, s1, -1
    bnez s1, round

    BACK_TO_M(m_done)
m_done:
    CHECK(9, s2, 9)
    csrw satp, zero
    j pass

PRIV_END
    SV39_TABLES
page_a:  .space 4096
page_c:  .space 4096
page_b:  .space 4096
page_r:  .space 4096
