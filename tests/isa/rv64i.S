#include "test.h"
    .option norvc
TEST_START
    TEST_RR(1, add, 0, -1, 1)
    TEST_RR(2, sub, 0x8000000000000000, 0x7fffffffffffffff, -1)
    TEST_RI(3, addi, -2048, 0, -2048)
    TEST_RR(4, sll, 0x8000000000000000, 1, 63)
    TEST_RR(5, sll, 1, 1, 64)                    /* amount masked to 6 bits */
    TEST_RR(6, srl, 1, 0x8000000000000000, 63)
    TEST_RR(7, sra, -1, 0x8000000000000000, 63)
    TEST_RI(8, srai, -1, 0x8000000000000000, 63)
    TEST_RR(9, addw, 0xffffffff80000000, 0x7fffffff, 1)   /* sign-extends */
    TEST_RR(10, subw, 0x7fffffff, 0x80000000, 1)
    TEST_RR(11, sllw, 0xffffffff80000000, 1, 31)
    TEST_RR(12, sllw, 1, 1, 32)                  /* 5-bit amount */
    TEST_RR(13, srlw, 1, 0xffffffff80000000, 31)
    TEST_RR(14, sraw, -1, 0x80000000, 31)
    TEST_RI(15, addiw, 0xffffffff80000000, 0x7fffffff, 1)
    TEST_RI(16, slliw, 0xffffffff80000000, 1, 31)
    TEST_RI(17, srliw, 0x7fffffff, -1, 1)
    TEST_RI(18, sraiw, -1, 0x80000000, 31)
    TEST_RR(19, slt, 1, -1, 0)
    TEST_RR(20, sltu, 0, -1, 0)
    TEST_RI(21, sltiu, 1, 0, -1)                 /* imm sign-extended, compared unsigned */
    TEST_RI(22, slti, 0, 0, -1)
    TEST_RR(23, xor, 0xf0f0, 0xff00, 0x0ff0)
    TEST_RI(24, andi, 0x7f0, 0xfff0, 0x7f0)
    li TESTNUM, 25; lui a0, 0x80000; li t3, 0xffffffff80000000; bne a0, t3, fail
    li TESTNUM, 26; 26: auipc a0, 0; la a1, 26b; bne a0, a1, fail
    /* jal/jalr links and jalr clears bit 0 */
    li TESTNUM, 27; jal a0, 27f; 27: la a1, 27b; bne a0, a1, fail
    li TESTNUM, 28; la a1, 28f + 1; jalr a0, 0(a1); j fail; 28: la a2, 28b - 4; bne a0, a2, fail
    /* branches both ways */
    li TESTNUM, 29; li a1, -1; li a2, 1; blt a2, a1, fail; bltu a1, a2, fail
    bge a1, a2, fail; bgeu a2, a1, fail; beq a1, a2, fail; bne a1, a1, fail
    li t0, 3; li a0, 0
29: addi a0, a0, 1; addi t0, t0, -1; bnez t0, 29b
    CHECK(30, a0, 3)
    /* loads and stores, sign and zero extension */
    la s0, data
    li t0, 0x8182838485868788; sd t0, 0(s0)
    lb a0, 0(s0); CHECK(31, a0, 0xffffffffffffff88)
    lbu a0, 0(s0); CHECK(32, a0, 0x88)
    lh a0, 2(s0); CHECK(33, a0, 0xffffffffffff8586)
    lhu a0, 2(s0); CHECK(34, a0, 0x8586)
    lw a0, 4(s0); CHECK(35, a0, 0xffffffff81828384)
    lwu a0, 4(s0); CHECK(36, a0, 0x81828384)
    li t0, 0x55; sb t0, 1(s0); ld a0, 0(s0); CHECK(37, a0, 0x8182838485865588)
    /* misaligned accesses work on RAM */
    lw a0, 1(s0); CHECK(38, a0, 0xffffffff84858655)
    li t0, 0x1122334455667788; sd t0, 3(s0); ld a0, 3(s0); CHECK(39, a0, 0x1122334455667788)
    lhu a0, 7(s0); CHECK(40, a0, 0x3344)
    /* writes to x0 are dropped, loads into x0 still happen */
    li TESTNUM, 41; addi x0, x0, 5; bnez x0, fail; lw x0, 0(s0); bnez x0, fail
    j pass
TEST_END
    .section .data
    .align 4
data: .space 32
