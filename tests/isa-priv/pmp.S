/* PMP: NAPOT, TOR and NA4 entries against S-mode accesses, M-mode exempt
 * unless locked, MPRV, page-table accesses checked as S. */
#include "priv.h"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_TOR 0x08
#define PMP_NA4 0x10
#define PMP_NAPOT 0x18
#define PMP_L 0x80

/* Expect an access fault in M from the next instruction, then check it */
#define M_FAULT(num, cause, tval_reg, ...)                           \
    EXPECT_M_TRAP(1f); __VA_ARGS__; j fail;                          \
1:  li TESTNUM, num; li t3, cause; bne s2, t3, fail;                 \
    bne s3, tval_reg, fail

PRIV_START
    /* 0: secret page, no access; 1: off (bottom of 2); 2: TOR over
     * tor_page, read-only; 3: NA4 on na4_page's first word, read-only;
     * 4: everything else */
    la t0, secret; srli t0, t0, 2; ori t0, t0, 0x1ff; csrw pmpaddr0, t0
    la t0, tor_page; srli t0, t0, 2; csrw pmpaddr1, t0
    la t0, tor_page + 4096; srli t0, t0, 2; csrw pmpaddr2, t0
    la t0, na4_page; srli t0, t0, 2; csrw pmpaddr3, t0
    li t0, -1; csrw pmpaddr4, t0
    li t0, (PMP_NAPOT|PMP_R|PMP_W|PMP_X) << 32 | (PMP_NA4|PMP_R) << 24 | (PMP_TOR|PMP_R) << 16 | PMP_NAPOT
    csrw pmpcfg0, t0
    sfence.vma
    csrr t1, pmpcfg0
    li TESTNUM, 1; bne t0, t1, fail

    la s8, secret; la s9, tor_page; la s10, na4_page; la s11, other_page
    ENTER_S(s_code)
s_code:
    /* 2-4: the secret page refuses S loads, stores and fetches */
    M_FAULT(2, 5, s8, ld t0, 0(s8))
    ENTER_S(1f)
1:  M_FAULT(3, 7, s8, sd t0, 0(s8))
    ENTER_S(1f)
1:  M_FAULT(4, 1, s8, jalr s8)
    /* 5: M itself is not bound by an unlocked entry */
    ld t0, 0(s8)
    /* 6-7: TOR read-only */
    ENTER_S(1f)
1:  ld t0, 0(s9)
    M_FAULT(7, 7, s9, sd t0, 0(s9))
    /* 8-9: NA4 read-only word */
    ENTER_S(1f)
1:  lw t0, 0(s10)            /* 4 bytes: an 8-byte access would straddle */
    M_FAULT(9, 7, s10, sw t0, 0(s10))
    /* 10: the catch-all entry allows the rest */
    ENTER_S(1f)
1:  sd t0, 0(s11); ld t0, 0(s11)
    BACK_TO_M(1f)
1:  CHECK(10, s2, 9)

    /* 11: M loads with MPRV and MPP = S are checked as S */
    li t0, MSTATUS_MPRV; csrs mstatus, t0
    li t0, MSTATUS_MPP; csrc mstatus, t0
    li t0, MSTATUS_MPP_S; csrs mstatus, t0
    M_FAULT(11, 5, s8, ld t0, 0(s8))
    li t0, MSTATUS_MPRV; csrc mstatus, t0

    /* 12: page-table reads are S accesses: a root table in the secret page
     * makes the very first fetch in S an instruction access fault */
    li t0, 0x80000000; srli t0, t0, 12; slli t0, t0, 10; ori t0, t0, 0xcf
    sd t0, 16(s8)                       /* root[2]: gigapage, RWXAD */
    srli t0, s8, 12; li t1, SATP_SV39; or t0, t0, t1; csrw satp, t0
    sfence.vma
    la a0, s_paged
    EXPECT_M_TRAP(1f)
    ENTER_S(s_paged)
s_paged:
    j fail
1:  li TESTNUM, 12
    li t3, 1; bne s2, t3, fail; bne s3, a0, fail
    csrw satp, zero
    sfence.vma

    /* 13-14: a locked entry binds M too and can no longer be changed */
    li t0, PMP_L | PMP_NAPOT; csrs pmpcfg0, t0
    M_FAULT(13, 5, s8, ld t0, 0(s8))
    li t0, PMP_L | PMP_NAPOT | PMP_R; csrc pmpcfg0, t0
    csrr t0, pmpcfg0; andi t0, t0, 0xff
    CHECK(14, t0, PMP_L | PMP_NAPOT)
    j pass
PRIV_END
    .section .bss
    .align 12
secret:     .space 4096
tor_page:   .space 4096
na4_page:   .space 4096
other_page: .space 4096
