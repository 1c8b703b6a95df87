/* M -> S -> U and back: mret/sret, ecall delegated or not, xRET stacking,
 * privileged instructions and CSRs refused below their level. */
#include "priv.h"
PRIV_START
    /* 1-2: into S with mret; S cannot read mstatus (illegal, M takes it) */
    li TESTNUM, 1
    li t0, MSTATUS_MPIE; csrs mstatus, t0
    ENTER_S(in_s)
in_s:
    EXPECT_M_TRAP(after_mstatus)
    csrr t1, mstatus
    j fail
after_mstatus:
    CHECK(2, s2, 2)
    li t1, MSTATUS_MPP; and t1, s7, t1
    CHECK(3, t1, MSTATUS_MPP_S)          /* trap came from S */
    /* mret set MIE from MPIE (1); the trap stacked it: MPIE = 1, MIE = 0 */
    li t1, MSTATUS_MPIE | MSTATUS_MIE; and t1, s7, t1
    CHECK(4, t1, MSTATUS_MPIE)

    /* 5: ecall from S is cause 9 */
    ENTER_S(s_ecall)
s_ecall:
    BACK_TO_M(after_s_ecall)
after_s_ecall:
    CHECK(5, s2, 9)

    /* 6-7: S -> U with sret; ecall from U not delegated: cause 8, MPP = U */
    ENTER_S(s_to_u)
s_to_u:
    S_ENTER_U(in_u)
in_u:
    BACK_TO_M(after_u_ecall)
after_u_ecall:
    CHECK(6, s2, 8)
    li t1, MSTATUS_MPP; and t1, s7, t1
    CHECK(7, t1, 0)

    /* 8-10: ecall from U delegated to S: scause 8, SPP = U, sepc */
    li t0, (1 << 8); csrw medeleg, t0
    EXPECT_S_TRAP(u_ecall_in_s)
    ENTER_U(u_deleg)
u_deleg:
    ecall
    j fail
u_ecall_in_s:
    CHECK(8, s2, 8)
    la t1, u_deleg; li TESTNUM, 9; bne s4, t1, fail
    li t1, MSTATUS_SPP; and t1, s7, t1
    CHECK(10, t1, 0)
    /* 11: still in S: ecall from S (not delegated) reaches M as cause 9 */
    BACK_TO_M(deleg_done)
deleg_done:
    CHECK(11, s2, 9)
    csrw medeleg, zero

    /* 12: U cannot read sstatus */
    ENTER_U(u_sstatus)
u_sstatus:
    EXPECT_M_TRAP(after_u_sstatus)
    csrr t1, sstatus
    j fail
after_u_sstatus:
    CHECK(12, s2, 2)

    /* 13: S cannot run mret */
    ENTER_S(s_mret)
s_mret:
    EXPECT_M_TRAP(after_s_mret)
    mret
    j fail
after_s_mret:
    CHECK(13, s2, 2)

    /* 14: U cannot run sret */
    ENTER_U(u_sret)
u_sret:
    EXPECT_M_TRAP(after_u_sret)
    sret
    j fail
after_u_sret:
    CHECK(14, s2, 2)

    /* 15: satp with mstatus.TVM from S is illegal; 16: sfence.vma too */
    li t0, MSTATUS_TVM; csrs mstatus, t0
    ENTER_S(s_tvm)
s_tvm:
    EXPECT_M_TRAP(after_tvm)
    csrr t1, satp
    j fail
after_tvm:
    CHECK(15, s2, 2)
    ENTER_S(s_tvm_fence)
s_tvm_fence:
    EXPECT_M_TRAP(after_tvm_fence)
    sfence.vma
    j fail
after_tvm_fence:
    CHECK(16, s2, 2)
    li t0, MSTATUS_TVM; csrc mstatus, t0

    /* 17: sret in S with mstatus.TSR is illegal */
    li t0, MSTATUS_TSR; csrs mstatus, t0
    ENTER_S(s_tsr)
s_tsr:
    EXPECT_M_TRAP(after_tsr)
    sret
    j fail
after_tsr:
    CHECK(17, s2, 2)
    li t0, MSTATUS_TSR; csrc mstatus, t0

    /* 18: S writing a read-only CSR (cycle) is illegal even when it may
     * read it; 19: reading cycle from S with mcounteren.CY = 0 */
    li t0, 1; csrw mcounteren, t0
    ENTER_S(s_ro)
s_ro:
    csrr t1, cycle
    EXPECT_M_TRAP(after_ro)
    csrw cycle, t1
    j fail
after_ro:
    CHECK(18, s2, 2)
    csrw mcounteren, zero
    ENTER_S(s_cy)
s_cy:
    EXPECT_M_TRAP(after_cy)
    csrr t1, cycle
    j fail
after_cy:
    CHECK(19, s2, 2)

    /* 20-21: sret restores SIE from SPIE and sets SPIE */
    li t0, MSTATUS_SPIE; csrs mstatus, t0
    li t0, MSTATUS_SIE | MSTATUS_SPP; csrc mstatus, t0
    ENTER_S(s_sret_stack)
s_sret_stack:
    li t0, MSTATUS_SPP; csrs sstatus, t0      /* return to S */
    la t0, s_after_sret; csrw sepc, t0
    sret
s_after_sret:
    csrr t0, sstatus
    li t1, MSTATUS_SIE; and t1, t0, t1
    CHECK(20, t1, MSTATUS_SIE)
    li t1, MSTATUS_SPIE | MSTATUS_SPP; and t1, t0, t1
    CHECK(21, t1, MSTATUS_SPIE)
    li t0, MSTATUS_SIE; csrc sstatus, t0

    /* (mret/sret clearing MPRV when leaving M is priv 1.12 behaviour that
     * QEMU 7.2 lacks; tests/unit/test_mmu.c covers it.) */
    BACK_TO_M(done)
done:
    j pass
PRIV_END
