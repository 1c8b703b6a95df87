/*
 * The round-to-nearest fast path of fadd/fsub/fmul/fdiv.d (taken once
 * fflags holds NX) in a loop, so that it also runs compiled to Wasm: results
 * that are not normal numbers, and directed rounding modes, must still get
 * their exact values and flags.
 */
#include "test.h"
#define FD(freg, bits) li t0, bits; fmv.d.x freg, t0
/* run insn with fflags = NX, then check the result bits and fflags */
#define COMMA ,
#define CASE(num, insn, expect, flags)                               \
    csrwi fflags, 1; insn; fmv.x.d a0, fa2; CHECK(num, a0, expect);  \
    csrr t2, fflags; CHECK(num, t2, flags)
TEST_START
    li s1, 0
loop:
    FD(fa0, 0x7fefffffffffffff); FD(fa1, 0x4000000000000000)
    CASE(1, fmul.d fa2 COMMA fa0 COMMA fa1, 0x7ff0000000000000, 5)
    FD(fa0, 0x1ff0000000000001)
    CASE(2, fmul.d fa2 COMMA fa0 COMMA fa0, 0x0004000000000001, 3)
    FD(fa0, 0x7ff0000000000000)
    CASE(3, fsub.d fa2 COMMA fa0 COMMA fa0, 0x7ff8000000000000, 17)
    FD(fa0, 0x3ff0000000000000); FD(fa1, 0x4008000000000000)
    CASE(4, fdiv.d fa2 COMMA fa0 COMMA fa1, 0x3fd5555555555555, 1)
    CASE(5, fdiv.d fa2 COMMA fa0 COMMA fa1 COMMA rup, 0x3fd5555555555556, 1)
    csrwi frm, 3
    CASE(6, fdiv.d fa2 COMMA fa0 COMMA fa1, 0x3fd5555555555556, 1)
    csrwi frm, 0
    fneg.d fa1, fa0
    CASE(7, fadd.d fa2 COMMA fa0 COMMA fa1, 0, 1)
    FD(fa1, 0)
    CASE(8, fdiv.d fa2 COMMA fa0 COMMA fa1, 0x7ff0000000000000, 9)
    FD(fa1, 0x3ff8000000000000)
    CASE(9, fmul.d fa2 COMMA fa0 COMMA fa1, 0x3ff8000000000000, 1)
    addi s1, s1, 1
    li t0, 30000              /* many slices: compiled code runs */
    blt s1, t0, loop
    csrwi fflags, 0
    j pass
TEST_END
