/*
 * softfloat.h on the host FPU through <fenv.h>: rounding modes and
 * exception flags come from the hardware (x86-64 SSE, which like RISC-V
 * detects tininess after rounding), RISC-V's own rules (canonical NaN,
 * saturating conversions, RMM, minNum/maxNum) are applied here.
 *
 * Where the host has no dynamic rounding or flags (WebAssembly) the same
 * API is computed in round-to-nearest with exact error terms instead
 * (softfloat_exact.h); tests/suites/fpu.sh checks the two paths agree bit
 * for bit.  Known limit: RMM on the fenv path is round-to-nearest-even.
 */
#include "fpu/softfloat.h"

#include <fenv.h>
#include <math.h>
#include <string.h>

/* WebAssembly has neither flags nor directed rounding: there the exact
 * software path below is used (and natively with -DWASMU_EXACT_FP). */
#if defined(__EMSCRIPTEN__) || defined(WASMU_EXACT_FP) || !defined(FE_INEXACT)
#define EXACT_FP 1
#else
#define EXACT_FP 0
#endif

static bool f32_is_nan(uint32_t a) { return (a & 0x7fffffff) > 0x7f800000; }
static bool f64_is_nan(uint64_t a)
{
    return (a & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}
static bool f32_is_snan(uint32_t a) { return f32_is_nan(a) && !(a & 0x00400000); }
static bool f64_is_snan(uint64_t a)
{
    return f64_is_nan(a) && !(a & 0x0008000000000000ull);
}

#if !EXACT_FP
/* RMM (ties away from zero) has no host mode: round toward zero, then
 * fix up exact ties is not possible after the fact, so RMM uses RNE and
 * corrects only the cases where the two differ (exact halfway results)
 * for conversions; arithmetic under RMM uses RNE (documented gap). */
static int host_mode(uint8_t rm)
{
    switch (rm) {
    case FPU_RTZ: return FE_TOWARDZERO;
    case FPU_RDN: return FE_DOWNWARD;
    case FPU_RUP: return FE_UPWARD;
    default: return FE_TONEAREST;
    }
}

/* The emulator itself always runs in round-to-nearest; an operation
 * switches the mode only when the guest asks for another one. */
typedef struct HostEnv { bool switched; } HostEnv;

static void begin(HostEnv *e, const FloatStatus *s)
{
    feclearexcept(FE_ALL_EXCEPT);
    e->switched = s->rm != FPU_RNE && s->rm != FPU_RMM;
    if (e->switched)
        fesetround(host_mode(s->rm));
}

static void end(HostEnv *e, FloatStatus *s)
{
    int x = fetestexcept(FE_ALL_EXCEPT);
    uint8_t flags = 0;
    if (x & FE_INEXACT) flags |= FPU_NX;
    if (x & FE_UNDERFLOW) flags |= FPU_UF;
    if (x & FE_OVERFLOW) flags |= FPU_OF;
    if (x & FE_DIVBYZERO) flags |= FPU_DZ;
    if (x & FE_INVALID) flags |= FPU_NV;
    /* Underflow is only signalled together with inexact (IEEE default). */
    if ((flags & FPU_UF) && !(flags & FPU_NX))
        flags &= (uint8_t)~FPU_UF;
    s->flags |= flags;
    if (e->switched)
        fesetround(FE_TONEAREST);
}

#endif

static uint32_t canon32(uint32_t r) { return f32_is_nan(r) ? F32_CANONICAL_NAN : r; }
static uint64_t canon64(uint64_t r) { return f64_is_nan(r) ? F64_CANONICAL_NAN : r; }

#if !EXACT_FP
/* volatile keeps the compiler from folding or moving the operation out of
 * the region where the rounding mode is set. */
#define BINOP32(name, expr)                                                  \
    uint32_t f32_##name(uint32_t a, uint32_t b, FloatStatus *s)              \
    {                                                                        \
        HostEnv e;                                                           \
        volatile float x = f32_of(a), y = f32_of(b), r;                      \
        begin(&e, s);                                                        \
        r = expr;                                                            \
        end(&e, s);                                                          \
        return canon32(bits_f32(r));                                         \
    }
#define BINOP64(name, expr)                                                  \
    uint64_t f64_##name(uint64_t a, uint64_t b, FloatStatus *s)              \
    {                                                                        \
        HostEnv e;                                                           \
        volatile double x = f64_of(a), y = f64_of(b), r;                     \
        begin(&e, s);                                                        \
        r = expr;                                                            \
        end(&e, s);                                                          \
        return canon64(bits_f64(r));                                         \
    }

BINOP32(add, x + y)
BINOP32(sub, x - y)
BINOP32(mul, x * y)
BINOP32(div, x / y)
BINOP64(add, x + y)
BINOP64(sub, x - y)
BINOP64(mul, x * y)
BINOP64(div, x / y)

uint32_t f32_sqrt(uint32_t a, FloatStatus *s)
{
    HostEnv e;
    volatile float x = f32_of(a), r;
    begin(&e, s);
    r = sqrtf(x);
    end(&e, s);
    return canon32(bits_f32(r));
}

uint64_t f64_sqrt(uint64_t a, FloatStatus *s)
{
    HostEnv e;
    volatile double x = f64_of(a), r;
    begin(&e, s);
    r = sqrt(x);
    end(&e, s);
    return canon64(bits_f64(r));
}

uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, bool negate_product,
                    bool negate_addend, FloatStatus *s)
{
    HostEnv e;
    volatile float x = f32_of(a), y = f32_of(b), z = f32_of(c), r;
    if (negate_product) x = -x;
    if (negate_addend) z = -z;
    begin(&e, s);
    r = fmaf(x, y, z);
    end(&e, s);
    /* RISC-V: infinity times zero is invalid even with a quiet NaN addend
     * (the host raises nothing then) */
    if ((isinf(x) && y == 0) || (x == 0 && isinf(y)))
        s->flags |= FPU_NV;
    return canon32(bits_f32(r));
}

uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, bool negate_product,
                    bool negate_addend, FloatStatus *s)
{
    HostEnv e;
    volatile double x = f64_of(a), y = f64_of(b), z = f64_of(c), r;
    if (negate_product) x = -x;
    if (negate_addend) z = -z;
    begin(&e, s);
    r = fma(x, y, z);
    end(&e, s);
    if ((isinf(x) && y == 0) || (x == 0 && isinf(y)))   /* as above */
        s->flags |= FPU_NV;
    return canon64(bits_f64(r));
}

#else
/* Without host rounding modes and flags (WebAssembly), or when asked to
 * (WASMU_EXACT_FP, for the differential test): error-free transformations. */
#include "fpu/softfloat_exact.h"
#include "fpu/softfloat_fma.h"

static bool any_snan64(uint64_t a, uint64_t b) { return f64_is_snan(a) || f64_is_snan(b); }
static bool any_snan32(uint32_t a, uint32_t b) { return f32_is_snan(a) || f32_is_snan(b); }

static uint64_t op64(Rounded r, uint64_t a, uint64_t b, FloatStatus *s)
{
    double x = f64_of(a), y = f64_of(b);
    if (any_snan64(a, b))
        s->flags |= FPU_NV;
    return canon64(bits_f64(finish_f64(r, isfinite(x) && isfinite(y),
                                       isnan(x) || isnan(y), s)));
}

static uint32_t op32(Rounded r, uint32_t a, uint32_t b, FloatStatus *s)
{
    float x = f32_of(a), y = f32_of(b);
    if (any_snan32(a, b))
        s->flags |= FPU_NV;
    return canon32(bits_f32(finish_f32(r, isfinite(x) && isfinite(y),
                                       isnan(x) || isnan(y), s)));
}

/* An exact zero sum of operands of opposite signs is -0 when rounding
 * down, +0 otherwise (IEEE 754 6.3). */
static double signed_zero_sum(double sum, double x, double y, uint8_t rm)
{
    if (sum == 0 && rm == FPU_RDN && !(x == 0 && y == 0 && !signbit(x) && !signbit(y)))
        return -0.0;
    return sum;
}

uint64_t f64_add(uint64_t a, uint64_t b, FloatStatus *s)
{
    double x = f64_of(a), y = f64_of(b);
    Rounded r = exact_add(x, y);
    r.value = signed_zero_sum(r.value, x, y, s->rm);
    return op64(r, a, b, s);
}
uint64_t f64_sub(uint64_t a, uint64_t b, FloatStatus *s)
{
    double x = f64_of(a), y = -f64_of(b);
    Rounded r = exact_add(x, y);
    r.value = signed_zero_sum(r.value, x, y, s->rm);
    return op64(r, a, b, s);
}
uint64_t f64_mul(uint64_t a, uint64_t b, FloatStatus *s)
{
    return op64(exact_mul(f64_of(a), f64_of(b)), a, b, s);
}
uint64_t f64_div(uint64_t a, uint64_t b, FloatStatus *s)
{
    double x = f64_of(a), y = f64_of(b);
    if (y == 0 && isfinite(x) && x != 0) {   /* exact infinity, DZ */
        s->flags |= FPU_DZ;
        return bits_f64(copysign(INFINITY, x) * (signbit(y) ? -1 : 1));
    }
    return op64(exact_div(x, y), a, b, s);
}
uint32_t f32_add(uint32_t a, uint32_t b, FloatStatus *s)
{
    double x = f32_of(a), y = f32_of(b);
    Rounded r = exact_add(x, y);
    r.value = signed_zero_sum(r.value, x, y, s->rm);
    return op32(r, a, b, s);
}
uint32_t f32_sub(uint32_t a, uint32_t b, FloatStatus *s)
{
    double x = f32_of(a), y = -(double)f32_of(b);
    Rounded r = exact_add(x, y);
    r.value = signed_zero_sum(r.value, x, y, s->rm);
    return op32(r, a, b, s);
}
uint32_t f32_mul(uint32_t a, uint32_t b, FloatStatus *s)
{
    return op32(exact_mul(f32_of(a), f32_of(b)), a, b, s);
}
uint32_t f32_div(uint32_t a, uint32_t b, FloatStatus *s)
{
    float x = f32_of(a), y = f32_of(b);
    if (y == 0 && isfinite(x) && x != 0) {
        s->flags |= FPU_DZ;
        return bits_f32(copysignf(INFINITY, x) * (signbit(y) ? -1.0f : 1.0f));
    }
    return op32(exact_div(x, y), a, b, s);
}

uint32_t f32_sqrt(uint32_t a, FloatStatus *s)
{
    return op32(exact_sqrt(f32_of(a)), a, a, s);
}

uint64_t f64_sqrt(uint64_t a, FloatStatus *s)
{
    return op64(exact_sqrt(f64_of(a)), a, a, s);
}

/* Fused multiply-add: integer arithmetic (softfloat_fma.h). */
uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, bool negate_product,
                    bool negate_addend, FloatStatus *s)
{
    return (uint32_t)soft_fma(&FMA_F32, a, b, c, negate_product,
                              negate_addend, s->rm, &s->flags);
}

uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, bool negate_product,
                    bool negate_addend, FloatStatus *s)
{
    return soft_fma(&FMA_F64, a, b, c, negate_product, negate_addend, s->rm,
                    &s->flags);
}

#endif

/* ---- min / max ------------------------------------------------------------ */

static uint32_t minmax32(uint32_t a, uint32_t b, bool want_max, FloatStatus *s)
{
    if (f32_is_snan(a) || f32_is_snan(b))
        s->flags |= FPU_NV;
    bool an = f32_is_nan(a), bn = f32_is_nan(b);
    if (an && bn) return F32_CANONICAL_NAN;
    if (an) return b;
    if (bn) return a;
    float x = f32_of(a), y = f32_of(b);
    if (x == y)   /* equal, possibly +0 / -0: -0 is the smaller */
        return want_max ? (a & b) : (a | b);
    return (want_max ? x > y : x < y) ? a : b;
}

static uint64_t minmax64(uint64_t a, uint64_t b, bool want_max, FloatStatus *s)
{
    if (f64_is_snan(a) || f64_is_snan(b))
        s->flags |= FPU_NV;
    bool an = f64_is_nan(a), bn = f64_is_nan(b);
    if (an && bn) return F64_CANONICAL_NAN;
    if (an) return b;
    if (bn) return a;
    double x = f64_of(a), y = f64_of(b);
    if (x == y)
        return want_max ? (a & b) : (a | b);
    return (want_max ? x > y : x < y) ? a : b;
}

uint32_t f32_min(uint32_t a, uint32_t b, FloatStatus *s) { return minmax32(a, b, false, s); }
uint32_t f32_max(uint32_t a, uint32_t b, FloatStatus *s) { return minmax32(a, b, true, s); }
uint64_t f64_min(uint64_t a, uint64_t b, FloatStatus *s) { return minmax64(a, b, false, s); }
uint64_t f64_max(uint64_t a, uint64_t b, FloatStatus *s) { return minmax64(a, b, true, s); }

/* ---- comparisons ---------------------------------------------------------- */

bool f32_eq(uint32_t a, uint32_t b, FloatStatus *s)
{
    if (f32_is_snan(a) || f32_is_snan(b)) s->flags |= FPU_NV;
    return !f32_is_nan(a) && !f32_is_nan(b) && f32_of(a) == f32_of(b);
}
bool f32_lt(uint32_t a, uint32_t b, FloatStatus *s)
{
    if (f32_is_nan(a) || f32_is_nan(b)) { s->flags |= FPU_NV; return false; }
    return f32_of(a) < f32_of(b);
}
bool f32_le(uint32_t a, uint32_t b, FloatStatus *s)
{
    if (f32_is_nan(a) || f32_is_nan(b)) { s->flags |= FPU_NV; return false; }
    return f32_of(a) <= f32_of(b);
}
bool f64_eq(uint64_t a, uint64_t b, FloatStatus *s)
{
    if (f64_is_snan(a) || f64_is_snan(b)) s->flags |= FPU_NV;
    return !f64_is_nan(a) && !f64_is_nan(b) && f64_of(a) == f64_of(b);
}
bool f64_lt(uint64_t a, uint64_t b, FloatStatus *s)
{
    if (f64_is_nan(a) || f64_is_nan(b)) { s->flags |= FPU_NV; return false; }
    return f64_of(a) < f64_of(b);
}
bool f64_le(uint64_t a, uint64_t b, FloatStatus *s)
{
    if (f64_is_nan(a) || f64_is_nan(b)) { s->flags |= FPU_NV; return false; }
    return f64_of(a) <= f64_of(b);
}

/* ---- classify --------------------------------------------------------------- */

static uint32_t classify(bool sign, bool inf, bool nan, bool snan, bool zero,
                         bool subnormal)
{
    if (nan) return snan ? 1u << 8 : 1u << 9;
    if (inf) return sign ? 1u << 0 : 1u << 7;
    if (zero) return sign ? 1u << 3 : 1u << 4;
    if (subnormal) return sign ? 1u << 2 : 1u << 5;
    return sign ? 1u << 1 : 1u << 6;
}

uint32_t f32_classify(uint32_t a)
{
    uint32_t exp = (a >> 23) & 0xff, frac = a & 0x7fffff;
    return classify(a >> 31, exp == 0xff && !frac, f32_is_nan(a),
                    f32_is_snan(a), !exp && !frac, !exp && frac);
}

uint32_t f64_classify(uint64_t a)
{
    uint64_t exp = (a >> 52) & 0x7ff, frac = a & 0xfffffffffffffull;
    return classify(a >> 63, exp == 0x7ff && !frac, f64_is_nan(a),
                    f64_is_snan(a), !exp && !frac, !exp && frac);
}

/* ---- conversions to integers ------------------------------------------------ */

/* Round a double to an integral value in the status's mode (exact for
 * every float and double input), flagging inexact. */
static double round_integral(double x, FloatStatus *s)
{
    double r;
    switch (s->rm) {
    case FPU_RTZ: r = trunc(x); break;
    case FPU_RDN: r = floor(x); break;
    case FPU_RUP: r = ceil(x); break;
    case FPU_RMM: r = round(x); break;
    default: r = nearbyint(x); break;   /* default env: to nearest even */
    }
    return r;
}

/* Saturating conversion of x (not NaN handled by caller) to [lo, hi]. */
static bool to_int_common(double x, bool is_nan, double lo, double hi,
                          double *out, FloatStatus *s)
{
    if (is_nan) {
        s->flags |= FPU_NV;
        return false;
    }
    double r = round_integral(x, s);
    if (r < lo || r > hi) {
        s->flags |= FPU_NV;
        *out = r;
        return false;
    }
    if (r != x)
        s->flags |= FPU_NX;
    *out = r;
    return true;
}

static int64_t sat_signed(double x, bool nan, double lo, double hi,
                          int64_t min, int64_t max, FloatStatus *s)
{
    double r;
    if (!to_int_common(x, nan, lo, hi, &r, s))
        return nan || r > 0 ? max : min;
    return (int64_t)r;
}

static uint64_t sat_unsigned(double x, bool nan, double hi, uint64_t max,
                             FloatStatus *s)
{
    double r;
    if (!to_int_common(x, nan, 0.0, hi, &r, s))
        return nan || r > 0 ? max : 0;
    return r == 0 ? 0 : (uint64_t)r;
}

/* 2^63 and 2^64 are exact doubles; the integer range checks use them with
 * strict bounds on the high side. */
#define TWO63 9223372036854775808.0
#define TWO64 18446744073709551616.0

static int64_t to_i64(double x, bool nan, FloatStatus *s)
{
    double r;
    if (nan) { s->flags |= FPU_NV; return INT64_MAX; }
    r = round_integral(x, s);
    if (r >= TWO63 || r < -TWO63) {
        s->flags |= FPU_NV;
        return r > 0 ? INT64_MAX : INT64_MIN;
    }
    if (r != x) s->flags |= FPU_NX;
    return (int64_t)r;
}

static uint64_t to_u64(double x, bool nan, FloatStatus *s)
{
    double r;
    if (nan) { s->flags |= FPU_NV; return UINT64_MAX; }
    r = round_integral(x, s);
    if (r >= TWO64 || r <= -1.0) {
        s->flags |= FPU_NV;
        return r > 0 ? UINT64_MAX : 0;
    }
    if (r != x) s->flags |= FPU_NX;
    return r == 0 ? 0 : (uint64_t)r;
}

int32_t f32_to_i32(uint32_t a, FloatStatus *s)
{
    return (int32_t)sat_signed(f32_of(a), f32_is_nan(a), INT32_MIN, INT32_MAX,
                               INT32_MIN, INT32_MAX, s);
}
uint32_t f32_to_u32(uint32_t a, FloatStatus *s)
{
    return (uint32_t)sat_unsigned(f32_of(a), f32_is_nan(a), UINT32_MAX,
                                  UINT32_MAX, s);
}
int64_t f32_to_i64(uint32_t a, FloatStatus *s) { return to_i64(f32_of(a), f32_is_nan(a), s); }
uint64_t f32_to_u64(uint32_t a, FloatStatus *s) { return to_u64(f32_of(a), f32_is_nan(a), s); }
int32_t f64_to_i32(uint64_t a, FloatStatus *s)
{
    return (int32_t)sat_signed(f64_of(a), f64_is_nan(a), INT32_MIN, INT32_MAX,
                               INT32_MIN, INT32_MAX, s);
}
uint32_t f64_to_u32(uint64_t a, FloatStatus *s)
{
    return (uint32_t)sat_unsigned(f64_of(a), f64_is_nan(a), UINT32_MAX,
                                  UINT32_MAX, s);
}
int64_t f64_to_i64(uint64_t a, FloatStatus *s) { return to_i64(f64_of(a), f64_is_nan(a), s); }
uint64_t f64_to_u64(uint64_t a, FloatStatus *s) { return to_u64(f64_of(a), f64_is_nan(a), s); }

/* ---- integers to floats ------------------------------------------------------- */
#if !EXACT_FP

#define FROM_INT(name, T, R, conv, bits)                                     \
    R name(T v, FloatStatus *s)                                              \
    {                                                                        \
        HostEnv e;                                                           \
        volatile T in = v;                                                   \
        begin(&e, s);                                                        \
        volatile conv r = (conv)in;                                          \
        end(&e, s);                                                          \
        return bits(r);                                                      \
    }

FROM_INT(i32_to_f32, int32_t, uint32_t, float, bits_f32)
FROM_INT(u32_to_f32, uint32_t, uint32_t, float, bits_f32)
FROM_INT(i64_to_f32, int64_t, uint32_t, float, bits_f32)
FROM_INT(u64_to_f32, uint64_t, uint32_t, float, bits_f32)
FROM_INT(i32_to_f64, int32_t, uint64_t, double, bits_f64)
FROM_INT(u32_to_f64, uint32_t, uint64_t, double, bits_f64)
FROM_INT(i64_to_f64, int64_t, uint64_t, double, bits_f64)
FROM_INT(u64_to_f64, uint64_t, uint64_t, double, bits_f64)

#else
/* Exact differences through long double (binary128 in Wasm, x87 natively:
 * both hold any 64-bit integer exactly). */
#define FROM_INT_EXACT(name, T, R, conv, directed, bits)                     \
    R name(T v, FloatStatus *s)                                              \
    {                                                                        \
        conv r = (conv)v;                                                    \
        long double diff = (long double)v - (long double)r;                  \
        int sign = (diff > 0) - (diff < 0);                                  \
        if (sign)                                                            \
            s->flags |= FPU_NX;                                              \
        return bits(directed(r, sign, (double)diff, s->rm));                 \
    }
static double directed_f64_sign(double v, int sign, double error, uint8_t rm)
{
    Rounded r = { v, sign, error, false };
    return directed_f64(r, rm);
}
FROM_INT_EXACT(i32_to_f32, int32_t, uint32_t, float, directed_f32, bits_f32)
FROM_INT_EXACT(u32_to_f32, uint32_t, uint32_t, float, directed_f32, bits_f32)
FROM_INT_EXACT(i64_to_f32, int64_t, uint32_t, float, directed_f32, bits_f32)
FROM_INT_EXACT(u64_to_f32, uint64_t, uint32_t, float, directed_f32, bits_f32)
FROM_INT_EXACT(i32_to_f64, int32_t, uint64_t, double, directed_f64_sign, bits_f64)
FROM_INT_EXACT(u32_to_f64, uint32_t, uint64_t, double, directed_f64_sign, bits_f64)
FROM_INT_EXACT(i64_to_f64, int64_t, uint64_t, double, directed_f64_sign, bits_f64)
FROM_INT_EXACT(u64_to_f64, uint64_t, uint64_t, double, directed_f64_sign, bits_f64)

uint32_t f64_to_f32(uint64_t a, FloatStatus *s)
{
    double x = f64_of(a);
    if (f64_is_snan(a))
        s->flags |= FPU_NV;
    Rounded r = { x, 0, 0, false };
    return canon32(bits_f32(finish_f32(r, isfinite(x), isnan(x), s)));
}
#endif

uint64_t f32_to_f64(uint32_t a, FloatStatus *s)
{
    if (f32_is_snan(a)) s->flags |= FPU_NV;
    if (f32_is_nan(a)) return F64_CANONICAL_NAN;
    return bits_f64((double)f32_of(a));
}

#if !EXACT_FP
uint32_t f64_to_f32(uint64_t a, FloatStatus *s)
{
    HostEnv e;
    volatile double x = f64_of(a);
    volatile float r;
    begin(&e, s);
    r = (float)x;
    end(&e, s);
    return canon32(bits_f32(r));
}
#endif
