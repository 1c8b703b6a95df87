/* Sv39 in S and U: 4 KiB pages and superpages, A/D set by hardware, page
 * faults with scause/stval, SUM, MXR, U/S separation, SFENCE.VMA. */
#include "priv.h"

#define MEGA_PA  0x80400000      /* 2 MiB aligned RAM behind VA 0x200000 */
#define MEGA2_PA 0x80600000      /* the same VA after a remap */

PRIV_START
    /* data the mappings point at */
    li t0, 0x1111; la t1, page_s; sd t0, 0(t1)
    li t0, 0x2222; la t1, page_u; sd t0, 0(t1)
    li t0, 0x3333; la t1, page_x; sd t0, 0(t1)
    li t0, 0x4444; li t1, MEGA_PA; sd t0, 8(t1)
    li t0, 0x6666; li t1, MEGA2_PA + 0x1000; sd t0, 8(t1)

    li t0, 0x80000000; SET_PTE(pt_root, 2, t0, PTE_V|PTE_R|PTE_W|PTE_X|PTE_A|PTE_D)
    la t0, pt_l1;      SET_PTE(pt_root, 0, t0, PTE_V)
    la t0, pt_l0;      SET_PTE(pt_l1, 0, t0, PTE_V)
    li t0, MEGA_PA;    SET_PTE(pt_l1, 1, t0, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D)
    li t0, MEGA_PA + 0x1000; SET_PTE(pt_l1, 2, t0, PTE_V|PTE_R|PTE_A)
    la t0, page_s;     SET_PTE(pt_l0, 1, t0, PTE_V|PTE_R|PTE_W)
    la t0, page_u;     SET_PTE(pt_l0, 2, t0, PTE_V|PTE_R|PTE_W|PTE_U|PTE_A|PTE_D)
    la t0, page_x;     SET_PTE(pt_l0, 3, t0, PTE_V|PTE_X|PTE_A)
    la t0, page_s;     SET_PTE(pt_l0, 5, t0, PTE_V|PTE_R|PTE_A)
    la t0, user_code;  SET_PTE(pt_l0, 6, t0, PTE_V|PTE_R|PTE_X|PTE_U|PTE_A)
    la t0, page_s;     SET_PTE(pt_l0, 7, t0, PTE_V|PTE_W|PTE_A|PTE_D)

    SV39_SATP
    sfence.vma
    li t0, (1 << 12) | (1 << 13) | (1 << 15); csrw medeleg, t0
    ENTER_S(s_code)

s_code:
    /* 1-3: a 4 KiB page; the read sets A only, the write sets D */
    li a0, 0x1000; ld t0, 0(a0)
    CHECK(1, t0, 0x1111)
    la a1, pt_l0; ld t0, 8(a1); andi t0, t0, PTE_A|PTE_D
    CHECK(2, t0, PTE_A)
    li t0, 0x55; sd t0, 8(a0)
    ld t0, 8(a1); andi t0, t0, PTE_A|PTE_D
    CHECK(3, t0, PTE_A|PTE_D)
    /* 4-5: a read-only alias of the same page */
    li a0, 0x5000; ld t0, 8(a0)
    CHECK(4, t0, 0x55)
    S_FAULT(5, 15, 0x5000, sd t0, 0(a0))
    /* 6-8: invalid page: load, store and fetch faults */
    li a0, 0x4000
    S_FAULT(6, 13, 0x4008, ld t0, 8(a0))
    S_FAULT(7, 15, 0x4000, sd t0, 0(a0))
    S_FAULT(8, 12, 0x4000, jalr a0, 0)
    CHECK(9, s4, 0x4000)                         /* sepc = target */
    /* 10: W without R is reserved */
    li a0, 0x7000
    S_FAULT(10, 13, 0x7000, ld t0, 0(a0))
    /* 11: megapage; 12: misaligned megapage; 13: non-canonical address */
    li a0, 0x200000; ld t0, 8(a0)
    CHECK(11, t0, 0x4444)
    li a0, 0x400000
    S_FAULT(12, 13, 0x400000, ld t0, 0(a0))
    li a0, 0x4000000000
    S_FAULT(13, 13, 0x4000000000, ld t0, 0(a0))
    /* 14-15: SUM gates S access to U pages */
    li a0, 0x2000
    S_FAULT(14, 13, 0x2000, ld t0, 0(a0))
    li t0, MSTATUS_SUM; csrs sstatus, t0
    ld t0, 0(a0)
    CHECK(15, t0, 0x2222)
    /* 16: S never executes a U page, SUM or not */
    li a0, 0x6000
    S_FAULT(16, 12, 0x6000, jalr a0, 0)
    li t0, MSTATUS_SUM; csrc sstatus, t0
    /* 17-18: MXR makes execute-only pages readable */
    li a0, 0x3000
    S_FAULT(17, 13, 0x3000, ld t0, 0(a0))
    li t0, MSTATUS_MXR; csrs sstatus, t0
    ld t0, 0(a0)
    CHECK(18, t0, 0x3333)
    li t0, MSTATUS_MXR; csrc sstatus, t0

    /* 19-21: U reads its page, then faults on an S page into S */
    li s8, 0
    EXPECT_S_TRAP(back_from_u)
    li t0, MSTATUS_SPP; csrc sstatus, t0
    li t0, 0x6000; csrw sepc, t0
    sret
back_from_u:
    CHECK(19, s8, 0x2222)
    CHECK_TRAP(20, 13, 0x1000)
    li t0, MSTATUS_SPP; and t0, s7, t0
    CHECK(21, t0, 0)                             /* came from U */

    /* 22: remap a 4 KiB page, SFENCE.VMA that address */
    li a0, 0x1000; ld t0, 0(a0)
    la t0, page_u; SET_PTE(pt_l0, 1, t0, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D)
    sfence.vma a0, zero
    ld t0, 0(a0)
    CHECK(22, t0, 0x2222)
    /* 23: remap the megapage after touching two of its 4 KiB pieces; a
     * fence naming one address of it drops every piece */
    li a0, 0x200000; ld t0, 8(a0); li t3, 0x201000; ld t0, 8(t3)
    li t0, MEGA2_PA; SET_PTE(pt_l1, 1, t0, PTE_V|PTE_R|PTE_W|PTE_A|PTE_D)
    sfence.vma a0, zero
    li t3, 0x201000; ld t0, 8(t3)
    CHECK(23, t0, 0x6666)

    BACK_TO_M(m_done)
m_done:
    CHECK(24, s2, 9)
    csrw satp, zero
    j pass

    /* U code, mapped at VA 0x6000: position independent, no data refs */
    .align 12
user_code:
    li a0, 0x2000; ld s8, 0(a0)
    li a0, 0x1000; ld t0, 0(a0)
1:  j 1b
    .align 12

PRIV_END
    SV39_TABLES
page_s:  .space 4096
page_u:  .space 4096
page_x:  .space 4096
