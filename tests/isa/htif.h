/*
 * The end of every ISA test program (tests/isa, tests/isa-priv): pass and
 * fail report through HTIF tohost (1 = pass, (n << 1) | 1 = failure in
 * sub-test n, held in TESTNUM), plus the tohost/fromhost symbols and a stack.
 */
#ifndef WASMU_ISA_HTIF_H
#define WASMU_ISA_HTIF_H

#define HTIF_END                                                     \
pass: li a0, 1; j write_tohost;                                      \
fail: slli a0, TESTNUM, 1; ori a0, a0, 1;                            \
write_tohost: la t0, tohost; sd a0, 0(t0); 1: j 1b;                  \
    .section .tohost, "aw", @progbits; .align 6;                     \
    .globl tohost; .type tohost, @object; .size tohost, 8;           \
tohost: .dword 0; .align 6;                                          \
    .globl fromhost; .type fromhost, @object; .size fromhost, 8;     \
fromhost: .dword 0;                                                  \
    .section .bss; .align 4; .space 4096; stack_top:

#endif
