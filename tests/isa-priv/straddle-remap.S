/* An instruction straddling two virtual pages, whose second page is
 * remapped between rounds (sfence.vma of that page alone) to physical pages
 * holding different second halves: each round must run the instruction its
 * current mapping spells, addi a0, a0, 1 or addi a0, a0, 2. */
#include "priv.h"

#define CODE_VA 0x6000            /* first page; 0x7000 the second */

    .option norvc
PRIV_START
    li t0, 0x80000000; SET_PTE(root, 2, t0, PTE_V|PTE_R|PTE_W|PTE_X|PTE_A|PTE_D)
    la t0, l1; SET_PTE(root, 0, t0, PTE_V)
    la t0, l0; SET_PTE(l1, 0, t0, PTE_V)
    la t0, first_half; SET_PTE(l0, 6, t0, PTE_V|PTE_R|PTE_X|PTE_A)
    la t0, second_1; SET_PTE(l0, 7, t0, PTE_V|PTE_R|PTE_X|PTE_A)
    la t0, root; srli t0, t0, 12; li t1, SATP_SV39; or t0, t0, t1
    csrw satp, t0
    sfence.vma
    ENTER_S(s_code)

s_code:
    li s10, 0                       /* round: odd ones map second_2 */
round:
    andi s2, s10, 1
    addi s2, s2, 1                  /* what one call adds */
    li s1, 0
1:  li a0, 0
    li t0, CODE_VA + 0xffe; jalr ra, t0, 0
    mv TESTNUM, s2
    bne a0, s2, fail
    addi s1, s1, 1
    li t0, 500
    blt s1, t0, 1b
    addi s10, s10, 1
    andi t0, s10, 1
    la t1, second_1
    beqz t0, 2f
    la t1, second_2
2:  SET_PTE(l0, 7, t1, PTE_V|PTE_R|PTE_X|PTE_A)
    li t0, CODE_VA + 0x1000
    sfence.vma t0
    li t0, 6
    blt s10, t0, round
    PASS_FROM_VM

    .align 12
first_half:
    .skip 4094
    .half 0x0513                    /* addi a0, a0, imm: its first half */
    .align 12
second_1:
    .half 0x0015                    /* imm 1, rs1 a0 */
    ret
    .align 12
second_2:
    .half 0x0025                    /* imm 2 */
    ret
    .align 12

PRIV_END
    .section .bss
    .align 12
root: .space 4096
l1:   .space 4096
l0:   .space 4096
