/*
 * RISC-V F and D instructions on top of fpu/softfloat: NaN boxing of
 * singles, rounding-mode resolution, fflags accrual, mstatus.FS dirtying.
 */
#include "target/riscv/helper_fp.h"

#include "fpu/softfloat.h"

#include <math.h>

#include "ir/ir_arith.h"
#include "target/riscv/cpu.h"
#include "target/riscv/helpers.h"

#define BOX_MASK 0xffffffff00000000ull

int fp_decode_op(unsigned funct5, unsigned rs2, unsigned rm, unsigned fmt)
{
    switch (funct5) {
    case 0x00: return FPOP_ADD;
    case 0x01: return FPOP_SUB;
    case 0x02: return FPOP_MUL;
    case 0x03: return FPOP_DIV;
    case 0x0b: return rs2 == 0 ? FPOP_SQRT : -1;
    case 0x04: return rm <= 2 ? FPOP_SGNJ + (int)rm : -1;
    case 0x05: return rm <= 1 ? FPOP_MIN + (int)rm : -1;
    case 0x14: return rm == 2 ? FPOP_EQ : rm == 1 ? FPOP_LT
                    : rm == 0 ? FPOP_LE : -1;
    case 0x18: return rs2 <= 3 ? FPOP_TO_W + (int)rs2 : -1;
    case 0x1a: return rs2 <= 3 ? FPOP_FROM_W + (int)rs2 : -1;
    case 0x08: return rs2 == (fmt ^ 1) ? FPOP_CVT_FMT : -1;
    default: return -1;
    }
}

bool fp_op_uses_rm(int op)
{
    return op <= FPOP_SQRT || op >= FPOP_TO_W;
}

bool fp_op_writes_x(int op)
{
    return (op >= FPOP_EQ && op <= FPOP_CLASS) ||
           (op >= FPOP_TO_W && op <= FPOP_TO_LU);
}

bool fp_op_reads_x(int op)
{
    return op >= FPOP_FROM_W && op <= FPOP_FROM_LU;
}

/* A single-precision operand that is not NaN-boxed reads as canonical NaN. */
static uint32_t unbox(uint64_t v)
{
    return (v & BOX_MASK) == BOX_MASK ? (uint32_t)v : F32_CANONICAL_NAN;
}

static uint64_t box(uint32_t v) { return BOX_MASK | v; }

static uint64_t sext32(uint32_t v) { return (uint64_t)(int64_t)(int32_t)v; }

/* Resolve the rounding mode; false (illegal instruction raised) if the
 * dynamic mode in frm is invalid. */
static bool resolve_rm(RiscvCpu *cpu, unsigned rm, FloatStatus *st)
{
    if (rm == RM_DYN)
        rm = cpu->frm;
    if (rm > RM_RMM) {
        cpu_raise(&cpu->common, EXC_ILLEGAL_INSN, 0);
        return false;
    }
    st->rm = (uint8_t)rm;
    st->flags = 0;
    return true;
}

static void fp_finish(RiscvCpu *cpu, const FloatStatus *st)
{
    cpu->fflags |= st->flags;
    cpu->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

uint64_t helper_fp_dirty(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                         uint64_t imm)
{
    RiscvCpu *cpu = opaque;
    cpu->mstatus |= MSTATUS_FS | MSTATUS_SD;
    return 0;
}

static uint64_t sgnj64(uint64_t a, uint64_t b, unsigned op)
{
    const uint64_t sign = 1ull << 63;
    uint64_t s = op == FPOP_SGNJ ? (b & sign)
               : op == FPOP_SGNJN ? (~b & sign) : ((a ^ b) & sign);
    return (a & ~sign) | s;
}

static uint64_t op_single(unsigned op, uint64_t ra, uint64_t rb,
                          FloatStatus *st)
{
    uint32_t a = unbox(ra), b = unbox(rb);
    switch (op) {
    case FPOP_ADD: return box(f32_add(a, b, st));
    case FPOP_SUB: return box(f32_sub(a, b, st));
    case FPOP_MUL: return box(f32_mul(a, b, st));
    case FPOP_DIV: return box(f32_div(a, b, st));
    case FPOP_SQRT: return box(f32_sqrt(a, st));
    case FPOP_SGNJ: case FPOP_SGNJN: case FPOP_SGNJX:
        return box((uint32_t)(sgnj64((uint64_t)a << 32, (uint64_t)b << 32,
                                     op) >> 32));
    case FPOP_MIN: return box(f32_min(a, b, st));
    case FPOP_MAX: return box(f32_max(a, b, st));
    case FPOP_EQ: return f32_eq(a, b, st);
    case FPOP_LT: return f32_lt(a, b, st);
    case FPOP_LE: return f32_le(a, b, st);
    case FPOP_CLASS: return f32_classify(a);
    case FPOP_TO_W: return sext32((uint32_t)f32_to_i32(a, st));
    case FPOP_TO_WU: return sext32(f32_to_u32(a, st));
    case FPOP_TO_L: return (uint64_t)f32_to_i64(a, st);
    case FPOP_TO_LU: return f32_to_u64(a, st);
    case FPOP_FROM_W: return box(i32_to_f32((int32_t)ra, st));
    case FPOP_FROM_WU: return box(u32_to_f32((uint32_t)ra, st));
    case FPOP_FROM_L: return box(i64_to_f32((int64_t)ra, st));
    case FPOP_FROM_LU: return box(u64_to_f32(ra, st));
    case FPOP_CVT_FMT: return box(f64_to_f32(ra, st));   /* fcvt.s.d */
    default: return 0;
    }
}

static uint64_t op_double(unsigned op, uint64_t a, uint64_t b,
                          FloatStatus *st)
{
    switch (op) {
    case FPOP_ADD: return f64_add(a, b, st);
    case FPOP_SUB: return f64_sub(a, b, st);
    case FPOP_MUL: return f64_mul(a, b, st);
    case FPOP_DIV: return f64_div(a, b, st);
    case FPOP_SQRT: return f64_sqrt(a, st);
    case FPOP_SGNJ: case FPOP_SGNJN: case FPOP_SGNJX: return sgnj64(a, b, op);
    case FPOP_MIN: return f64_min(a, b, st);
    case FPOP_MAX: return f64_max(a, b, st);
    case FPOP_EQ: return f64_eq(a, b, st);
    case FPOP_LT: return f64_lt(a, b, st);
    case FPOP_LE: return f64_le(a, b, st);
    case FPOP_CLASS: return f64_classify(a);
    case FPOP_TO_W: return sext32((uint32_t)f64_to_i32(a, st));
    case FPOP_TO_WU: return sext32(f64_to_u32(a, st));
    case FPOP_TO_L: return (uint64_t)f64_to_i64(a, st);
    case FPOP_TO_LU: return f64_to_u64(a, st);
    case FPOP_FROM_W: return i32_to_f64((int32_t)a, st);
    case FPOP_FROM_WU: return u32_to_f64((uint32_t)a, st);
    case FPOP_FROM_L: return i64_to_f64((int64_t)a, st);
    case FPOP_FROM_LU: return u64_to_f64(a, st);
    case FPOP_CVT_FMT: return f32_to_f64(unbox(a), st);  /* fcvt.d.s */
    default: return 0;
    }
}

/* The fast path.  When an add, sub, mul, div or sqrt rounds to nearest and
 * its host result (computed in round-to-nearest-even, as both hosts do) is
 * a normal number, the only flag it can raise is NX: overflow, underflow,
 * invalid and divide-by-zero all give an infinite, tiny, zero or NaN
 * result.  NX is sticky, so once the guest has accrued it the software
 * path has nothing left to compute: result and fflags are the same. */
static bool normal32(float r)
{
    uint32_t exp = (bits_f32(r) >> 23) & 0xff;
    return exp != 0 && exp != 0xff;
}

/* (ir_arith.h's farith64 is the IR's FARITH64.) */
static bool fast_double(unsigned op, uint64_t a, uint64_t b, uint64_t *out)
{
    if (op == FPOP_SQRT)
        *out = farith64_normal(bits_f64(sqrt(f64_of(a))));
    else if (op <= FPOP_DIV)
        *out = farith64_normal(farith64(fp_farith_op((int)op), a, b));
    else
        return false;
    return *out != 0;
}

static bool fast_single(unsigned op, uint64_t ra, uint64_t rb, uint64_t *out)
{
    float x = f32_of(unbox(ra)), y = f32_of(unbox(rb)), r;
    switch (op) {
    case FPOP_ADD: r = x + y; break;
    case FPOP_SUB: r = x - y; break;
    case FPOP_MUL: r = x * y; break;
    case FPOP_DIV: r = x / y; break;
    case FPOP_SQRT: r = sqrtf(x); break;
    default: return false;
    }
    *out = box(bits_f32(r));
    return normal32(r);
}

static bool fast_op(RiscvCpu *cpu, unsigned op, unsigned fmt,
                    const FloatStatus *st, uint64_t a, uint64_t b,
                    uint64_t *out)
{
    if (st->rm != FPU_RNE || !(cpu->fflags & FPU_NX) || op > FPOP_SQRT)
        return false;
    return fmt ? fast_double(op, a, b, out) : fast_single(op, a, b, out);
}

uint64_t helper_fp_op(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                      uint64_t imm)
{
    RiscvCpu *cpu = opaque;
    unsigned op = imm & 0xff, fmt = (imm >> 8) & 1, rm = (imm >> 12) & 7;
    FloatStatus st = { 0, 0 };
    if (fp_op_uses_rm((int)op) && !resolve_rm(cpu, rm, &st))
        return 0;
    uint64_t result;
    if (fast_op(cpu, op, fmt, &st, a, b, &result)) {
        cpu->mstatus |= MSTATUS_FS | MSTATUS_SD;
        return result;
    }
    result = fmt ? op_double(op, a, b, &st) : op_single(op, a, b, &st);
    fp_finish(cpu, &st);
    return result;
}

uint64_t helper_fp_fma(void *opaque, uint64_t a, uint64_t b, uint64_t c,
                       uint64_t imm)
{
    RiscvCpu *cpu = opaque;
    unsigned kind = imm & 3, fmt = (imm >> 8) & 1, rm = (imm >> 12) & 7;
    /* kind: 0 fmadd, 1 fmsub (-c), 2 fnmsub (-(a*b)), 3 fnmadd (both) */
    bool negate_product = kind >= 2, negate_addend = kind == 1 || kind == 3;
    FloatStatus st;
    if (!resolve_rm(cpu, rm, &st))
        return 0;
    uint64_t result = fmt
        ? f64_muladd(a, b, c, negate_product, negate_addend, &st)
        : box(f32_muladd(unbox(a), unbox(b), unbox(c), negate_product,
                         negate_addend, &st));
    fp_finish(cpu, &st);
    return result;
}
