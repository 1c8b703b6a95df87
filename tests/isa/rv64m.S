#include "test.h"
TEST_START
    TEST_RR(1, mul, 0x0000000000000001, -1, -1)
    TEST_RR(2, mulh, 0, -1, -1)
    TEST_RR(3, mulhu, 0xfffffffffffffffe, -1, -1)
    TEST_RR(4, mulhsu, -1, -1, -1)
    TEST_RR(5, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(6, div, -1, 7, 0)
    TEST_RR(7, divu, -1, 7, 0)
    TEST_RR(8, rem, 7, 7, 0)
    TEST_RR(9, remu, 7, 7, 0)
    TEST_RR(10, div, 0x8000000000000000, 0x8000000000000000, -1)
    TEST_RR(11, rem, 0, 0x8000000000000000, -1)
    TEST_RR(12, div, -3, -7, 2)                  /* rounds toward zero */
    TEST_RR(13, rem, -1, -7, 2)
    TEST_RR(14, mulw, 0xffffffff80000000, 0x40000000, 2)
    TEST_RR(15, divw, -1, 7, 0)
    TEST_RR(16, divuw, -1, 7, 0)
    TEST_RR(17, remw, 7, 7, 0)
    TEST_RR(18, remuw, 0xffffffff80000000, 0x80000000, 0)   /* sign-extended */
    TEST_RR(19, divw, 0xffffffff80000000, 0x80000000, -1)
    TEST_RR(20, remw, 0, 0x80000000, -1)
    TEST_RR(21, divuw, 0x7fffffff, 0xfffffffffffffffe, 2)
    TEST_RR(22, divw, 3, 0x100000007, 2)         /* upper bits ignored */
    j pass
TEST_END
