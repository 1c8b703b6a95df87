/*
 * Fused multiply-add in integer arithmetic, for hosts without rounding
 * modes or flags (WebAssembly): the product of the significands is exact in
 * 128 bits, the addend is aligned to it with a sticky bit, and the sum is
 * rounded once in the requested mode, with RISC-V's flags (tininess after
 * rounding).  One routine serves binary32 and binary64 through FmaFormat.
 *
 * Included by softfloat_host.c only (exact path).
 */
#ifndef WASMU_SOFTFLOAT_FMA_H
#define WASMU_SOFTFLOAT_FMA_H

typedef unsigned __int128 U128;

typedef struct FmaFormat {
    int precision;      /* significand bits, hidden bit included */
    int exp_bits;
    int emin, emax;     /* unbiased exponents of normal numbers */
    uint64_t canonical_nan;
} FmaFormat;

static const FmaFormat FMA_F64 = { 53, 11, -1022, 1023, F64_CANONICAL_NAN };
static const FmaFormat FMA_F32 = { 24, 8, -126, 127, F32_CANONICAL_NAN };

/* A finite number: sig * 2^exp, sig < 2^precision. */
typedef struct Unpacked {
    bool sign;
    int kind;           /* 0 zero, 1 finite, 2 infinite, 3 quiet NaN, 4 signaling */
    int exp;
    uint64_t sig;
} Unpacked;

static Unpacked fma_unpack(const FmaFormat *f, uint64_t bits)
{
    int frac_bits = f->precision - 1;
    uint64_t frac = bits & ((1ull << frac_bits) - 1);
    int field = (int)((bits >> frac_bits) & ((1u << f->exp_bits) - 1));
    int bias = f->emax;
    Unpacked u = { (bits >> (frac_bits + f->exp_bits)) & 1, 1, 0, 0 };
    if (field == (1 << f->exp_bits) - 1) {
        u.kind = frac == 0 ? 2 : (frac >> (frac_bits - 1)) ? 3 : 4;
    } else if (field == 0) {
        u.kind = frac ? 1 : 0;
        u.sig = frac;
        u.exp = f->emin - frac_bits;
    } else {
        u.sig = frac | (1ull << frac_bits);
        u.exp = field - bias - frac_bits;
    }
    return u;
}

static uint64_t fma_pack(const FmaFormat *f, bool sign, int biased, uint64_t frac)
{
    int frac_bits = f->precision - 1;
    return (uint64_t)sign << (frac_bits + f->exp_bits) |
           (uint64_t)biased << frac_bits | frac;
}

static int msb128(U128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll((uint64_t)x);
}

/* x >> n, with every bit shifted out ORed into bit 0 (n >= 0). */
static U128 shift_right_sticky(U128 x, int n)
{
    if (n == 0)
        return x;
    if (n >= 128)
        return x != 0;
    return (x >> n) | ((x & (((U128)1 << n) - 1)) != 0);
}

/* Whether rounding drops to kept + 1: rem is what is cut off below a
 * unit of kept, half is half that unit. */
static bool round_up(uint8_t rm, bool sign, U128 kept, U128 rem, U128 half)
{
    switch (rm) {
    case FPU_RNE: return rem > half || (rem == half && (kept & 1));
    case FPU_RMM: return rem >= half;
    case FPU_RDN: return sign && rem != 0;
    case FPU_RUP: return !sign && rem != 0;
    default: return false;   /* RTZ */
    }
}

/* Round sum * 2^exp (sum != 0) to the format in mode rm, with flags. */
static uint64_t fma_round(const FmaFormat *f, bool sign, U128 sum, int exp,
                          uint8_t rm, uint8_t *flags)
{
    int p = f->precision;
    int top = msb128(sum) + exp;                  /* unbiased exponent */
    int lsb = (top < f->emin ? f->emin : top) - (p - 1);
    int cut = lsb - exp;                          /* bits dropped */
    U128 kept = sum, rem = 0, half = 0;
    if (cut > 0) {
        kept = cut >= 128 ? 0 : sum >> cut;
        rem = cut >= 128 ? sum : sum & (((U128)1 << cut) - 1);
        half = cut > 128 ? 0 : (U128)1 << (cut - 1);
        if (cut > 128)   /* all of sum is below half a unit */
            rem = 1, half = 2;
    } else {
        kept = sum << -cut;
    }
    bool inexact = rem != 0;
    if (round_up(rm, sign, kept, rem, half))
        kept++;
    if (kept >> p) {   /* carried into a new bit */
        kept >>= 1;
        lsb++;
    }
    if (inexact && top < f->emin) {
        /* tiny after rounding: rounded to full precision (as if the
         * exponent range had no bottom), still below 2^emin? */
        int full_cut = top - (p - 1) - exp;
        bool tiny = true;
        if (full_cut > 0 && full_cut < 128 && top == f->emin - 1) {
            U128 k = sum >> full_cut, r = sum & (((U128)1 << full_cut) - 1);
            if (round_up(rm, sign, k, r, (U128)1 << (full_cut - 1)))
                k++;
            tiny = !(k >> p);
        }
        if (tiny)
            *flags |= FPU_UF;
    }
    if (inexact)
        *flags |= FPU_NX;
    int frac_bits = p - 1;
    if ((uint64_t)kept >> frac_bits == 0)     /* subnormal (or zero) */
        return fma_pack(f, sign, 0, (uint64_t)kept);
    int e = lsb + frac_bits;
    if (e > f->emax) {
        *flags |= FPU_OF | FPU_NX;
        bool to_inf = rm == FPU_RNE || rm == FPU_RMM ||
                      (rm == FPU_RUP && !sign) || (rm == FPU_RDN && sign);
        return to_inf ? fma_pack(f, sign, (1 << f->exp_bits) - 1, 0)
                      : fma_pack(f, sign, (1 << f->exp_bits) - 2,
                                 (1ull << frac_bits) - 1);
    }
    return fma_pack(f, sign, e + f->emax, (uint64_t)kept & ((1ull << frac_bits) - 1));
}

/* (a * b) + c rounded once, RISC-V flags; the negations as in muladd. */
static uint64_t soft_fma(const FmaFormat *f, uint64_t a, uint64_t b,
                         uint64_t c, bool negate_product, bool negate_addend,
                         uint8_t rm, uint8_t *flags)
{
    Unpacked x = fma_unpack(f, a), y = fma_unpack(f, b), z = fma_unpack(f, c);
    bool psign = x.sign ^ y.sign ^ negate_product;
    bool zsign = z.sign ^ negate_addend;
    bool inf_times_zero = (x.kind == 2 && y.kind == 0) || (x.kind == 0 && y.kind == 2);
    if (x.kind == 4 || y.kind == 4 || z.kind == 4 || inf_times_zero)
        *flags |= FPU_NV;
    if (x.kind >= 3 || y.kind >= 3 || z.kind >= 3 || inf_times_zero)
        return f->canonical_nan;
    bool pinf = x.kind == 2 || y.kind == 2;
    if (pinf && z.kind == 2 && psign != zsign) {
        *flags |= FPU_NV;
        return f->canonical_nan;
    }
    if (pinf)
        return fma_pack(f, psign, (1 << f->exp_bits) - 1, 0);
    if (z.kind == 2)
        return fma_pack(f, zsign, (1 << f->exp_bits) - 1, 0);
    bool pzero = x.kind == 0 || y.kind == 0;
    if (pzero && z.kind == 0)   /* exact zero: -0 only if both are, or RDN */
        return fma_pack(f, psign == zsign ? psign : rm == FPU_RDN, 0, 0);
    if (pzero)
        return c ^ ((uint64_t)negate_addend << (f->precision - 1 + f->exp_bits));

    /* finite, nonzero product: both terms left-aligned at bit 125 */
    U128 p = (U128)x.sig * y.sig;
    int pexp = x.exp + y.exp;
    int shift = 125 - msb128(p);
    p <<= shift;
    pexp -= shift;
    if (z.kind == 0)
        return fma_round(f, psign, p, pexp, rm, flags);
    U128 q = z.sig;
    int qexp = z.exp;
    shift = 125 - msb128(q);
    q <<= shift;
    qexp -= shift;
    /* the larger term first */
    bool sign = psign, other_sign = zsign;
    if (qexp > pexp || (qexp == pexp && q > p)) {
        U128 t = p; p = q; q = t;
        int te = pexp; pexp = qexp; qexp = te;
        sign = zsign;
        other_sign = psign;
    }
    q = shift_right_sticky(q, pexp - qexp);
    U128 sum = sign == other_sign ? p + q : p - q;
    if (sum == 0)   /* exact cancellation */
        return fma_pack(f, rm == FPU_RDN, 0, 0);
    return fma_round(f, sign, sum, pexp, rm, flags);
}

#endif
