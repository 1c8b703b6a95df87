/*
 * Rounding modes and exception flags where the host FPU offers neither
 * (WebAssembly): each operation is computed in round-to-nearest, its exact
 * rounding error is recovered with error-free transformations (TwoSum for
 * addition, fma for products, quotients and square roots), and the result
 * is then stepped one ulp for the directed modes and flagged.
 *
 * Included by softfloat_host.c only.  Fused multiply-add is computed in
 * integers instead (softfloat_fma.h).
 */
#ifndef WASMU_SOFTFLOAT_EXACT_H
#define WASMU_SOFTFLOAT_EXACT_H

#include <float.h>
#include <math.h>

/* Sign of (exact - rounded): -1, 0 or 1, and whether they differ. */
typedef struct Rounded {
    double value;
    int error_sign;
    double error;      /* exact - value where known, for RMM ties */
    bool halved;       /* value and error are for exact / 2 (overflow) */
} Rounded;

static int sign_of(double x) { return (x > 0) - (x < 0); }

static Rounded exact_add(double a, double b);

/* The round-to-nearest result overflowed: redo the operation on halved
 * operands so the directed modes can tell whether the exact value really
 * rounds past the largest finite number. */
static Rounded halve(Rounded r)
{
    r.halved = true;
    return r;
}

static Rounded exact_add(double a, double b)
{
    Rounded r = { 0, 0, 0, false };
    r.value = a + b;
    if (isinf(r.value) && isfinite(a) && isfinite(b))
        return halve(exact_add(a * 0.5, b * 0.5));
    double bv = r.value - a;
    r.error = (a - (r.value - bv)) + (b - bv);
    if (!isfinite(r.value))
        r.error = 0;
    r.error_sign = sign_of(r.error);
    return r;
}

/* Near the bottom of the exponent range the error terms below would
 * themselves underflow; computing them on operands scaled by 2^512 keeps
 * them exact (only their sign and ties matter). */
#define TINY 0x1p-500
#define SCALE 0x1p512

static Rounded exact_mul(double a, double b)
{
    Rounded r = { 0, 0, 0, false };
    r.value = a * b;
    if (isinf(r.value) && isfinite(a) && isfinite(b))
        return halve(fabs(a) > fabs(b) ? exact_mul(a * 0.5, b)
                                       : exact_mul(a, b * 0.5));
    if (!isfinite(r.value)) {
        r.error = 0;
    } else if (r.value == 0 && a != 0 && b != 0) {
        /* the whole product underflowed: inexact, of the product's sign */
        r.error_sign = sign_of(a) * sign_of(b);
        r.error = r.error_sign * 0x1p-1074;
        return r;
    } else if (fabs(r.value) < TINY && a != 0 && b != 0) {
        /* scale the smaller factor: the product stays representable */
        double sa = fabs(a) < fabs(b) ? a * SCALE : a;
        double sb = fabs(a) < fabs(b) ? b : b * SCALE;
        r.error = fma(sa, sb, -r.value * SCALE) / SCALE;
        r.error_sign = sign_of(fma(sa, sb, -r.value * SCALE));
        return r;
    } else {
        r.error = fma(a, b, -r.value);
    }
    r.error_sign = sign_of(r.error);
    return r;
}

static Rounded exact_div(double a, double b)
{
    Rounded r = { 0, 0, 0, false };
    r.value = a / b;
    if (isinf(r.value) && isfinite(a) && b != 0 && fabs(a) > 1)
        return halve(exact_div(a * 0.5, b));
    double rem = 0;
    if (isfinite(r.value) && b != 0 && isfinite(b)) {
        /* a - q*b = b * (exact - q) */
        if (fabs(a) < TINY) {
            double sq = fabs(r.value) < fabs(b) ? r.value * SCALE : r.value;
            double sb = fabs(r.value) < fabs(b) ? b : b * SCALE;
            rem = fma(-sq, sb, a * SCALE) / SCALE;
            r.error_sign = sign_of(fma(-sq, sb, a * SCALE)) * sign_of(b);
            r.error = rem / b;
            return r;
        }
        rem = fma(-r.value, b, a);
    }
    r.error = b != 0 ? rem / b : 0;
    r.error_sign = sign_of(rem) * sign_of(b);
    return r;
}

static Rounded exact_sqrt(double a)
{
    Rounded r = { 0, 0, 0, false };
    r.value = sqrt(a);
    double rem = 0;
    if (isfinite(r.value) && r.value > 0) {
        if (a < TINY) {   /* a - r^2, scaled by 2^512 = (2^256)^2 */
            double sr = r.value * 0x1p256;
            rem = fma(-sr, sr, a * SCALE);
            r.error_sign = sign_of(rem);
            r.error = rem / SCALE / (2 * r.value);
            return r;
        }
        rem = fma(-r.value, r.value, a);
    }
    r.error = r.value > 0 ? rem / (2 * r.value) : 0;
    r.error_sign = sign_of(rem);
    return r;
}

/* Step the round-to-nearest result for the requested mode. */
static double directed_f64(Rounded r, uint8_t rm)
{
    double v = r.value;
    if (!r.error_sign || !isfinite(v))
        return v;
    switch (rm) {
    case FPU_RUP: return r.error_sign > 0 ? nextafter(v, INFINITY) : v;
    case FPU_RDN: return r.error_sign < 0 ? nextafter(v, -INFINITY) : v;
    case FPU_RTZ: return sign_of(v) != r.error_sign && v != 0 ? nextafter(v, 0) : v;
    case FPU_RMM: {
        /* Only exact ties differ from RNE: then round away from zero. */
        double half_ulp = fabs(nextafter(v, INFINITY) - v) / 2;
        bool tie = fabs(r.error) == half_ulp;
        return tie && sign_of(v) == r.error_sign ? nextafter(v, copysign(INFINITY, v)) : v;
    }
    default: return v;
    }
}

static float directed_f32(float v, int error_sign, double error, uint8_t rm)
{
    if (!error_sign || !isfinite(v))
        return v;
    switch (rm) {
    case FPU_RUP: return error_sign > 0 ? nextafterf(v, INFINITY) : v;
    case FPU_RDN: return error_sign < 0 ? nextafterf(v, -INFINITY) : v;
    case FPU_RTZ: return sign_of(v) != error_sign && v != 0 ? nextafterf(v, 0) : v;
    case FPU_RMM: {
        double half_ulp = fabs((double)nextafterf(v, INFINITY) - (double)v) / 2;
        return fabs(error) == half_ulp && sign_of(v) == error_sign
                   ? nextafterf(v, copysignf(INFINITY, v)) : v;
    }
    default: return v;
    }
}

/* Overflow in a mode that rounds toward zero for that sign gives the
 * largest finite value instead of infinity. */
static bool overflow_to_max(uint8_t rm, bool negative)
{
    return rm == FPU_RTZ || (rm == FPU_RDN && !negative) ||
           (rm == FPU_RUP && negative);
}

static uint8_t flags_for(bool inputs_nan, bool result_nan, bool inexact,
                         bool overflow, bool tiny)
{
    uint8_t f = 0;
    if (result_nan && !inputs_nan)
        f |= FPU_NV;
    if (overflow)
        f |= FPU_OF | FPU_NX;
    if (inexact)
        f |= FPU_NX;
    if (tiny && inexact)
        f |= FPU_UF;
    return f;
}

/* Finish a binary64 operation: direct, flag, handle overflow. */
static double finish_f64(Rounded r, bool inputs_finite, bool inputs_nan,
                         FloatStatus *s)
{
    double v = directed_f64(r, s->rm);
    if (r.halved)   /* doubling is exact unless it overflows */
        v = fabs(v) > DBL_MAX / 2 ? copysign(INFINITY, v) : v * 2;
    bool overflow = isinf(v) && inputs_finite;
    if (overflow && overflow_to_max(s->rm, v < 0))
        v = copysign(DBL_MAX, v);
    bool inexact = r.error_sign != 0 || overflow;
    bool tiny = v != 0 ? fabs(v) < DBL_MIN : r.error_sign != 0;
    s->flags |= flags_for(inputs_nan, isnan(v), inexact, overflow, tiny);
    return v;
}

/* Finish a binary32 operation computed exactly enough in binary64 (d with
 * its own error): round to float, direct, flag. */
static float finish_f32(Rounded d, bool inputs_finite, bool inputs_nan,
                        FloatStatus *s)
{
    /* d (a double) rounds past FLT_MAX: decide on d / 2, exactly. */
    bool halved = isinf((float)d.value) && isfinite(d.value);
    double exact = halved ? d.value * 0.5 : d.value;
    float v = (float)exact;
    double diff = isfinite(v) ? exact - (double)v : 0;
    int error_sign = diff != 0 ? sign_of(diff) : d.error_sign;
    double error = diff != 0 ? diff + d.error : d.error;
    float out = directed_f32(v, error_sign, error, s->rm);
    if (halved)
        out = fabsf(out) > FLT_MAX / 2 ? copysignf(INFINITY, out) : out * 2;
    bool overflow = isinf(out) && inputs_finite;
    if (overflow && overflow_to_max(s->rm, out < 0))
        out = copysignf(FLT_MAX, out);
    bool inexact = error_sign != 0 || overflow;
    bool tiny = out != 0 ? fabsf(out) < FLT_MIN : error_sign != 0;
    s->flags |= flags_for(inputs_nan, isnan(out), inexact, overflow, tiny);
    return out;
}

#endif
