#include "test.h"
#define QNAN_S 0x7fc00000
#define QNAN_D 0x7ff8000000000000
/* load a double / boxed single bit pattern into an f register */
#define FD(freg, bits) li t0, bits; fmv.d.x freg, t0
#define FS(freg, bits) li t0, bits; fmv.w.x freg, t0
TEST_START
    csrwi fflags, 0
    /* 1.0 + 2.0 = 3.0 exactly */
    FD(fa0, 0x3ff0000000000000); FD(fa1, 0x4000000000000000)
    fadd.d fa2, fa0, fa1; fmv.x.d a0, fa2; CHECK(1, a0, 0x4008000000000000)
    CHECK_FLAGS(2, 0)
    /* 1/3 is inexact; rounding modes give different last bits */
    FD(fa0, 0x3ff0000000000000); FD(fa1, 0x4008000000000000)
    fdiv.d fa2, fa0, fa1, rne; fmv.x.d a0, fa2; CHECK(3, a0, 0x3fd5555555555555)
    CHECK_FLAGS(4, 1)
    fdiv.d fa2, fa0, fa1, rup; fmv.x.d a0, fa2; CHECK(5, a0, 0x3fd5555555555556)
    fdiv.d fa2, fa0, fa1, rtz; fmv.x.d a0, fa2; CHECK(6, a0, 0x3fd5555555555555)
    csrwi frm, 3; fdiv.d fa2, fa0, fa1; fmv.x.d a0, fa2; CHECK(7, a0, 0x3fd5555555555556)
    csrwi frm, 0; csrwi fflags, 0
    /* divide by zero, invalid */
    FD(fa3, 0); fdiv.d fa2, fa0, fa3; fmv.x.d a0, fa2; CHECK(8, a0, 0x7ff0000000000000)
    CHECK_FLAGS(9, 8)
    fdiv.d fa2, fa3, fa3; fmv.x.d a0, fa2; CHECK(10, a0, QNAN_D)
    CHECK_FLAGS(11, 16)
    /* sqrt(-1) = canonical NaN, NV */
    FD(fa0, 0xbff0000000000000); fsqrt.d fa2, fa0; fmv.x.d a0, fa2; CHECK(12, a0, QNAN_D)
    CHECK_FLAGS(13, 16)
    /* min/max: -0 < +0, NaN operand ignored */
    FD(fa0, 0x8000000000000000); FD(fa1, 0)
    fmin.d fa2, fa0, fa1; fmv.x.d a0, fa2; CHECK(14, a0, 0x8000000000000000)
    fmax.d fa2, fa0, fa1; fmv.x.d a0, fa2; CHECK(15, a0, 0)
    FD(fa0, QNAN_D); FD(fa1, 0x3ff0000000000000)
    fmin.d fa2, fa0, fa1; fmv.x.d a0, fa2; CHECK(16, a0, 0x3ff0000000000000)
    CHECK_FLAGS(17, 0)
    /* comparisons: flt with NaN raises NV, feq with quiet NaN does not */
    feq.d a0, fa0, fa1; CHECK(18, a0, 0); CHECK_FLAGS(19, 0)
    flt.d a0, fa0, fa1; CHECK(20, a0, 0); CHECK_FLAGS(21, 16)
    fle.d a0, fa1, fa1; CHECK(22, a0, 1)
    /* fcvt saturation */
    FD(fa0, 0x43e0000000000000)   /* 2^63 */
    fcvt.l.d a0, fa0, rtz; CHECK(23, a0, 0x7fffffffffffffff); CHECK_FLAGS(24, 16)
    FD(fa0, QNAN_D); fcvt.w.d a0, fa0, rtz; CHECK(25, a0, 0x7fffffff); csrwi fflags, 0
    FD(fa0, 0xbff0000000000000); fcvt.wu.d a0, fa0, rtz; CHECK(26, a0, 0); CHECK_FLAGS(27, 16)
    FD(fa0, 0x4004000000000000)   /* 2.5 */
    fcvt.w.d a0, fa0, rne; CHECK(28, a0, 2); CHECK_FLAGS(29, 1)
    fcvt.w.d a0, fa0, rmm; CHECK(30, a0, 3)
    fcvt.w.d a0, fa0, rdn; CHECK(31, a0, 2)
    fcvt.w.d a0, fa0, rup; CHECK(32, a0, 3)
    FD(fa0, 0xc004000000000000)   /* -2.5 */
    fcvt.w.d a0, fa0, rtz; CHECK(33, a0, -2)
    fcvt.wu.d a0, fa0, rtz; CHECK(34, a0, 0)
    csrwi fflags, 0
    /* int -> float */
    li a1, -1; fcvt.d.l fa0, a1; fmv.x.d a0, fa0; CHECK(35, a0, 0xbff0000000000000)
    fcvt.d.lu fa0, a1; fmv.x.d a0, fa0; CHECK(36, a0, 0x43f0000000000000)
    CHECK_FLAGS(37, 1)
    /* single precision, NaN boxing */
    FS(fa0, 0x3f800000); FS(fa1, 0x40000000)
    fadd.s fa2, fa0, fa1; fmv.x.w a0, fa2; CHECK(38, a0, 0x40400000)
    fmv.x.d a0, fa2; CHECK(39, a0, 0xffffffff40400000)
    FD(fa3, 0x000000003f800000)   /* not NaN-boxed: reads as canonical NaN */
    fadd.s fa2, fa3, fa1; fmv.x.w a0, fa2; CHECK(40, a0, QNAN_S)
    FS(fa0, 0xbf800000); fmv.x.w a0, fa0; CHECK(41, a0, 0xffffffffbf800000)
    /* fsgnj family */
    FS(fa0, 0x3f800000); FS(fa1, 0xc0000000)
    fsgnj.s fa2, fa0, fa1; fmv.x.w a0, fa2; CHECK(42, a0, 0xffffffffbf800000)
    fsgnjn.s fa2, fa0, fa1; fmv.x.w a0, fa2; CHECK(43, a0, 0x3f800000)
    fsgnjx.s fa2, fa1, fa1; fmv.x.w a0, fa2; CHECK(44, a0, 0x40000000)
    /* fclass */
    FD(fa0, 0xfff0000000000000); fclass.d a0, fa0; CHECK(45, a0, 1)
    FD(fa0, 0x0000000000000001); fclass.d a0, fa0; CHECK(46, a0, 0x20)
    FD(fa0, 0x7ff4000000000000); fclass.d a0, fa0; CHECK(47, a0, 0x100)
    FS(fa0, 0x80000000); fclass.s a0, fa0; CHECK(48, a0, 8)
    /* fused multiply-add: one rounding */
    FD(fa0, 0x3ff0000000000001); FD(fa1, 0x3ff0000000000001); FD(fa2, 0xbff0000000000000)
    fmadd.d fa3, fa0, fa1, fa2; fmv.x.d a0, fa3; CHECK(49, a0, 0x3cc0000000000000)
    fnmadd.d fa3, fa0, fa1, fa2; fmv.x.d a0, fa3; CHECK(50, a0, 0xbcc0000000000000)
    csrwi fflags, 0
    /* conversions between formats */
    FS(fa0, 0x3fc00000); fcvt.d.s fa1, fa0; fmv.x.d a0, fa1; CHECK(51, a0, 0x3ff8000000000000)
    FD(fa0, 0x3ff0000000000001); fcvt.s.d fa1, fa0; fmv.x.w a0, fa1; CHECK(52, a0, 0x3f800000)
    CHECK_FLAGS(53, 1)
    /* loads and stores */
    la s0, data; li t0, 0x40490fdb; sw t0, 0(s0); flw fa0, 0(s0); fmv.x.d a0, fa0
    CHECK(54, a0, 0xffffffff40490fdb)
    fsw fa0, 4(s0); lwu a0, 4(s0); CHECK(55, a0, 0x40490fdb)
    /* fcsr layout and fsrm/fsflags */
    li t0, 0x7f; fscsr t1, t0; frrm a0; CHECK(56, a0, 3); frflags a0; CHECK(57, a0, 0x1f)
    fsrmi 0; csrwi fflags, 0
    /* invalid dynamic rounding mode makes FP ops illegal */
    li TESTNUM, 58; csrwi frm, 5; EXPECT_TRAP(2); fadd.d fa0, fa0, fa0; bnez s11, fail
    csrwi frm, 0
    /* with NX already accrued (the host-FP fast path's condition): other
     * flags still come, directed modes still round their own way */
    csrwi fflags, 1
    FD(fa0, 0x7fefffffffffffff); FD(fa1, 0x4000000000000000)
    fmul.d fa2, fa0, fa1; fmv.x.d a0, fa2; CHECK(59, a0, 0x7ff0000000000000)
    CHECK_FLAGS(60, 5)
    csrwi fflags, 1
    FD(fa0, 0x1ff0000000000001)    /* (1+2^-52) 2^-512: square inexact, subnormal */
    fmul.d fa2, fa0, fa0; fmv.x.d a0, fa2; CHECK(61, a0, 0x0004000000000001)
    CHECK_FLAGS(62, 3)
    csrwi fflags, 1
    FD(fa0, 0x3ff0000000000000); FD(fa1, 0x4008000000000000)
    fdiv.d fa2, fa0, fa1, rup; fmv.x.d a0, fa2; CHECK(63, a0, 0x3fd5555555555556)
    FS(fa0, 0x7f7fffff); FS(fa1, 0x7f7fffff)
    fadd.s fa2, fa0, fa1; fmv.x.w a0, fa2; CHECK(64, a0, 0x7f800000)
    CHECK_FLAGS(65, 5)
    csrwi fflags, 1
    FD(fa0, 0x7ff0000000000000); fsub.d fa2, fa0, fa0; fmv.x.d a0, fa2; CHECK(66, a0, QNAN_D)
    CHECK_FLAGS(67, 17)
    csrwi fflags, 1
    FD(fa0, 0x3ff0000000000000); FD(fa1, 0x4008000000000000)
    fdiv.d fa2, fa0, fa1; fmv.x.d a0, fa2; CHECK(68, a0, 0x3fd5555555555555)
    CHECK_FLAGS(69, 1)
    /* fused multiply-add: directed rounding and flags */
    csrwi fflags, 0
    FD(fa0, 0x3ff0000000000001); FD(fa1, 0x3ff0000000000001); FD(fa2, 0xbff0000000000000)
    fmadd.d fa3, fa0, fa1, fa2, rup; fmv.x.d a0, fa3; CHECK(70, a0, 0x3cc0000000000001)
    CHECK_FLAGS(71, 1)
    fmadd.d fa3, fa0, fa1, fa2, rdn; fmv.x.d a0, fa3; CHECK(72, a0, 0x3cc0000000000000)
    FD(fa0, 0x7fefffffffffffff); FD(fa1, 0x4000000000000000); FD(fa2, 0)
    fmadd.d fa3, fa0, fa1, fa2; fmv.x.d a0, fa3; CHECK(73, a0, 0x7ff0000000000000)
    CHECK_FLAGS(74, 5)
    fmadd.d fa3, fa0, fa1, fa2, rtz; fmv.x.d a0, fa3; CHECK(75, a0, 0x7fefffffffffffff)
    csrwi fflags, 0
    FS(fa0, 0x3f800001); FS(fa1, 0x3f800001); FS(fa2, 0xbf800000)
    fmadd.s fa3, fa0, fa1, fa2, rup; fmv.x.w a0, fa3; CHECK(76, a0, 0x34800001)
    CHECK_FLAGS(77, 1)
    FD(fa0, 0x7ff0000000000000); FD(fa1, 0); FD(fa2, QNAN_D)
    fmadd.d fa3, fa0, fa1, fa2; fmv.x.d a0, fa3; CHECK(78, a0, QNAN_D)
    CHECK_FLAGS(79, 16)
    csrwi fflags, 0
    j pass
TEST_END
    .section .data
    .align 4
data: .space 16
