#include "test.h"
TEST_START
    c.li a0, -32; CHECK(1, a0, -32)
    c.li a0, 5; c.addi a0, 31; CHECK(2, a0, 36)
    li a0, 0x7fffffff; c.addiw a0, 1; CHECK(3, a0, 0xffffffff80000000)
    c.lui a0, 0xfffe1; CHECK(4, a0, 0xfffffffffffe1000)
    j 5f
5:  mv s0, sp; c.addi16sp sp, -64; sub a0, s0, sp; CHECK(5, a0, 64); mv sp, s0
    c.addi4spn a0, sp, 16; sub a0, a0, sp; CHECK(6, a0, 16)
    li a0, 1; c.slli a0, 63; CHECK(7, a0, 0x8000000000000000)
    c.srai a0, 63; CHECK(8, a0, -1)
    c.srli a0, 60; CHECK(9, a0, 15)
    c.andi a0, -2; CHECK(10, a0, 14)
    li a1, 3; c.mv a2, a1; c.add a2, a1; CHECK(11, a2, 6)
    li a0, 12; li a1, 10; c.and a0, a1; CHECK(12, a0, 8)
    li a0, 12; c.or a0, a1; CHECK(13, a0, 14)
    li a0, 12; c.xor a0, a1; CHECK(14, a0, 6)
    li a0, 12; c.sub a0, a1; CHECK(15, a0, 2)
    li a0, 0x7fffffff; li a1, 1; c.addw a0, a1; CHECK(16, a0, 0xffffffff80000000)
    li a0, 0; c.subw a0, a1; CHECK(17, a0, -1)
    la s0, data; li a1, -7
    c.sw a1, 4(s0); c.lw a0, 4(s0); CHECK(18, a0, -7)
    c.sd a1, 8(s0); c.ld a0, 8(s0); CHECK(19, a0, -7)
    c.swsp a1, 0(sp); c.lwsp a0, 0(sp); CHECK(20, a0, -7)
    c.sdsp a1, 8(sp); c.ldsp a0, 8(sp); CHECK(21, a0, -7)
    li t0, 0x4000000000000000; sd t0, 16(s0); c.fld fa0, 16(s0); c.fsd fa0, 24(s0); ld a0, 24(s0)
    CHECK(22, a0, 0x4000000000000000)
    c.fsdsp fa0, 16(sp); c.fldsp fa1, 16(sp); fmv.x.d a0, fa1; CHECK(23, a0, 0x4000000000000000)
    li a0, 0; c.beqz a0, 1f; j fail
1:  c.bnez a0, fail
    li TESTNUM, 24; c.j 2f; j fail
2:  la t0, 3f; c.jalr t0; j 4f
3:  c.jr ra
4:
    /* a 32-bit instruction at a 2-byte aligned address */
    c.nop
    li a0, 0x12345; addi a0, a0, 1; CHECK(25, a0, 0x12346)
    /* c.ebreak traps with cause 3 */
    li TESTNUM, 26; EXPECT_TRAP(3); c.ebreak; bnez s11, fail
    j pass
TEST_END
    .section .data
    .align 4
data: .space 64
