/* Two address spaces map the same virtual page to different code of the
 * same length.  The S code calls into the page under the first until its
 * TB is queued for the Wasm tier, then switches to the second and calls it
 * many times: the queued TB is compiled (at the slice's end) while the
 * second mapping is current, and must still get its own code (re-
 * translation reads the TB's physical page, not the current mapping).
 * Run under Node with jit-threshold=100 (tests/suites/isa-priv.sh). */
#include "priv.h"

#define CODE_VA 0x6000

/* root -> l1 -> l0 -> code at CODE_VA, plus RAM identity-mapped at 2 GiB */
#define ADDRESS_SPACE(root, l1, l0, code)                            \
    li t0, 0x80000000; SET_PTE(root, 2, t0, PTE_V|PTE_R|PTE_W|PTE_X|PTE_A|PTE_D); \
    la t0, l1; SET_PTE(root, 0, t0, PTE_V);                          \
    la t0, l0; SET_PTE(l1, 0, t0, PTE_V);                            \
    la t0, code; SET_PTE(l0, 6, t0, PTE_V|PTE_R|PTE_X|PTE_A)

/* Under the address space in satp_reg, call CODE_VA n times; each call
 * must return `expect` (also the sub-test number). */
#define CALLS(satp_reg, expect, n)                                   \
    csrw satp, satp_reg; sfence.vma; li s1, 0;                       \
1:  li t0, CODE_VA; jalr ra, t0, 0;                                  \
    CHECK(expect, a0, expect);                                       \
    addi s1, s1, 1; li t0, n; blt s1, t0, 1b

#define SATP_OF(reg, root)                                           \
    la reg, root; srli reg, reg, 12; li t1, SATP_SV39; or reg, reg, t1

    .option norvc
PRIV_START
    ADDRESS_SPACE(root_a, l1_a, l0_a, code_a)
    ADDRESS_SPACE(root_b, l1_b, l0_b, code_b)
    SATP_OF(s8, root_a)
    SATP_OF(s9, root_b)
    ENTER_S(s_code)

s_code:
    li s10, 0                       /* round */
round:
    CALLS(s8, 1, 150)               /* past jit-threshold=100: queued */
    CALLS(s9, 2, 2000)
    addi s10, s10, 1
    li t0, 40
    blt s10, t0, round
    PASS_FROM_VM

    .align 12
code_a:
    li a0, 1
    ret
    .align 12
code_b:
    li a0, 2
    ret
    .align 12

PRIV_END
    .section .bss
    .align 12
root_a: .space 4096
l1_a:   .space 4096
l0_a:   .space 4096
root_b: .space 4096
l1_b:   .space 4096
l0_b:   .space 4096
