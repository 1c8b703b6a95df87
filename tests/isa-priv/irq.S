/* Interrupts: supervisor software interrupts (mip.SSIP) delegated to S via
 * a vectored stvec, the global-enable rules by privilege, WFI wake-up, and
 * a machine software interrupt (CLINT msip) preempting S. */
#include "priv.h"

#define SSIP (1 << 1)
#define MSIP (1 << 3)
#define CLINT_MSIP 0x2000000

PRIV_START
    li t0, SSIP; csrw mideleg, t0
    li t0, SSIP; csrw mie, t0
    la t0, s_vectors; ori t0, t0, 1; csrw stvec, t0
    li s9, 0                            /* S software interrupts taken */
    ENTER_S(s_code)

s_code:
    /* 1-2: pending but SIE = 0 in S: not taken, visible in sip */
    li t0, SSIP; csrs sip, t0
    nop; nop
    CHECK(1, s9, 0)
    csrr t0, sip; andi t0, t0, SSIP
    CHECK(2, t0, SSIP)
    /* 3-5: setting SIE takes it at once, through vector 1 */
    li t0, MSTATUS_SIE; csrs sstatus, t0
    CHECK(3, s9, 1)
    li t1, INTERRUPT | 1
    li TESTNUM, 4; bne s2, t1, fail
    csrr t0, sstatus; andi t0, t0, MSTATUS_SIE
    CHECK(5, t0, MSTATUS_SIE)           /* sret restored SIE */
    li t0, MSTATUS_SIE; csrc sstatus, t0

    /* 6: WFI with a pending (masked) interrupt does not stall */
    li t0, SSIP; csrs sip, t0
    wfi
    CHECK(6, s9, 1)
    li t0, SSIP; csrc sip, t0

    /* 7: raised from M: never taken in M */
    BACK_TO_M(in_m)
in_m:
    li t0, SSIP; csrs mip, t0
    li t0, MSTATUS_MIE; csrs mstatus, t0
    nop; nop
    CHECK(7, s9, 1)
    li t0, MSTATUS_MIE; csrc mstatus, t0
    /* 8: in U it is taken even with SIE = 0 (priv < S) */
    EXPECT_M_TRAP(after_u)
    ENTER_U(in_u)
in_u:
    nop
    ecall
after_u:
    CHECK(8, s9, 2)
    CHECK(9, s2, 8)                     /* U got back to M by its ecall */

    /* 10-11: CLINT msip: M-level, taken from S with MIE = 0 */
    li t0, MSIP; csrs mie, t0
    /* MIE = 0 in S (from MPIE), so also after the handler's mret to M */
    li t0, MSTATUS_MPIE; csrc mstatus, t0
    ENTER_S(s_msip)
s_msip:
    EXPECT_M_TRAP(after_msip)
    li t0, CLINT_MSIP; li t1, 1; sw t1, 0(t0)
1:  j 1b
after_msip:
    li t1, INTERRUPT | 3
    li TESTNUM, 10; bne s2, t1, fail
    li t0, CLINT_MSIP; sw zero, 0(t0)
    csrr t0, mip; andi t0, t0, MSIP
    CHECK(11, t0, 0)
    j pass

    /* vectored stvec: exceptions at base, interrupt n at base + 4n */
    .align 6
s_vectors:
    j s_trap
    j s_soft_irq
s_soft_irq:
    csrr s2, scause
    addi s9, s9, 1
    li t6, SSIP; csrc sip, t6
    sret
PRIV_END
