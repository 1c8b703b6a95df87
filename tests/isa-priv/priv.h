/*
 * Privileged-mode test conventions (after tests/isa/test.h): start in M at
 * 0x80000000; HTIF tohost = 1 on pass, (n << 1) | 1 on failure of sub-test n
 * (held in gp).  PMP entry 0 opens all memory to S/U so the tests run on
 * any PMP-enforcing machine; tests that exercise PMP rewrite it.
 *
 * Trap handlers record cause, tval, epc and the status register (mstatus
 * or sstatus as the trap left it) in s2, s3, s4, s7, then resume:
 *   M handler: in M at the address in s5 (EXPECT_M_TRAP), once;
 *   S handler: in S at the address in s6 (EXPECT_S_TRAP), once.
 * A trap with no resume address armed fails the test.  t6 is theirs.
 */
#include "../isa/htif.h"
#define TESTNUM gp

#define MSTATUS_SIE  (1 << 1)
#define MSTATUS_MIE  (1 << 3)
#define MSTATUS_SPIE (1 << 5)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_SPP  (1 << 8)
#define MSTATUS_MPP  (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPRV (1 << 17)
#define MSTATUS_SUM  (1 << 18)
#define MSTATUS_MXR  (1 << 19)
#define MSTATUS_TVM  (1 << 20)
#define MSTATUS_TW   (1 << 21)
#define MSTATUS_TSR  (1 << 22)
#define SATP_SV39    (8 << 60)
/* menvcfg.ADUE: hardware A/D updates where that is optional (Svadu) */
#define MENVCFG_ADUE (1 << 61)
#define INTERRUPT    (1 << 63)

#define PRIV_START                                                   \
    .section .text.start;                                            \
    .globl _start;                                                   \
_start:                                                              \
    li TESTNUM, 99;                      /* setup failures */         \
    la t0, m_trap; csrw mtvec, t0;                                   \
    la t0, s_trap; csrw stvec, t0;                                   \
    li t0, -1; csrw pmpaddr0, t0;                                    \
    li t0, 0x1f; csrw pmpcfg0, t0;            /* NAPOT, RWX */       \
    li t0, MENVCFG_ADUE; csrs 0x30a, t0;      /* menvcfg */          \
    la sp, stack_top; li s5, 0; li s6, 0; li TESTNUM, 99;            \
    j tests_begin;                                                   \
    .align 2;                                                        \
m_trap:                                                              \
    csrr s2, mcause; csrr s3, mtval; csrr s4, mepc; csrr s7, mstatus;                \
    beqz s5, fail;                                                   \
    csrw mepc, s5; li s5, 0;                                         \
    li t6, MSTATUS_MPP; csrs mstatus, t6;                            \
    mret;                                                            \
    .align 2;                                                        \
s_trap:                                                              \
    csrr s2, scause; csrr s3, stval; csrr s4, sepc; csrr s7, sstatus;                \
    beqz s6, fail;                                                   \
    csrw sepc, s6; li s6, 0;                                         \
    li t6, MSTATUS_SPP; csrs sstatus, t6;                            \
    sret;                                                            \
tests_begin:

/* fail runs in M or S (tohost must be reachable from there). */
#define PRIV_END HTIF_END

#define EXPECT_M_TRAP(label) la s5, label
#define EXPECT_S_TRAP(label) la s6, label

/* From M: continue at label in S or U. */
#define M_ENTER(label, mpp)                                          \
    li t0, MSTATUS_MPP; csrc mstatus, t0;                            \
    li t0, (mpp); csrs mstatus, t0;                                  \
    la t0, label; csrw mepc, t0; mret
#define ENTER_S(label) M_ENTER(label, MSTATUS_MPP_S)
#define ENTER_U(label) M_ENTER(label, 0)
/* From S: continue at label in U. */
#define S_ENTER_U(label)                                             \
    li t0, MSTATUS_SPP; csrc sstatus, t0;                            \
    la t0, label; csrw sepc, t0; sret
/* From S or U: back to M at label (ecall not delegated). */
#define BACK_TO_M(label) EXPECT_M_TRAP(label); ecall
/* From S or U: back to M, paging off, and the test passed. */
#define PASS_FROM_VM BACK_TO_M(9f); 9: csrw satp, zero; j pass

#define CHECK(num, reg, value) li TESTNUM, num; li t3, value; bne reg, t3, fail
/* The last trap had this cause and tval. */
#define CHECK_TRAP(num, cause, tval)                                 \
    CHECK(num, s2, cause); li t3, tval; bne s3, t3, fail
/* Expect a trap to the S handler from the next instructions, then check it */
#define S_FAULT(num, cause, tval, ...)                               \
    EXPECT_S_TRAP(1f); __VA_ARGS__; j fail;                          \
1:  CHECK_TRAP(num, cause, tval)

/* Sv39 page table entries: bits, and table[index] = the PTE for the
 * physical address in pa_reg with flags (clobbers t1, t2). */
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define SET_PTE(table, index, pa_reg, flags)                         \
    srli t1, pa_reg, 12; slli t1, t1, 10; ori t1, t1, flags;         \
    la t2, table; sd t1, (index * 8)(t2)
/* satp = Sv39 rooted at pt_root (clobbers t0, t1).  SV39_TABLES reserves
 * the tables the tests fill: pt_root, pt_l1, pt_l0, 4 KiB each. */
#define SV39_SATP                                                    \
    la t0, pt_root; srli t0, t0, 12; li t1, SATP_SV39; or t0, t0, t1; \
    csrw satp, t0
#define SV39_TABLES                                                  \
    .section .bss; .align 12;                                        \
pt_root: .space 4096; pt_l1: .space 4096; pt_l0: .space 4096
