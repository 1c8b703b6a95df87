/*
 * The IR's arithmetic with RISC-V semantics where C or Wasm differ: high
 * parts of 64x64 products, division by zero and overflow.  Shared by the
 * interpreter and the Wasm tier's runtime calls, so both tiers agree.
 */
#ifndef WASMU_IR_ARITH_H
#define WASMU_IR_ARITH_H

#include <stdint.h>

/* ---- 128-bit multiply high parts ---------------------------------------- */

static inline uint64_t mulhu64(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
#else
    uint64_t a_lo = (uint32_t)a, a_hi = a >> 32;
    uint64_t b_lo = (uint32_t)b, b_hi = b >> 32;
    uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo;
    uint64_t lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    uint64_t cross = (lo_lo >> 32) + (uint32_t)hi_lo + lo_hi;
    return hi_hi + (hi_lo >> 32) + (cross >> 32);
#endif
}

static inline uint64_t mulh64(int64_t a, int64_t b)
{
    /* Signed high part from the unsigned one: subtract the wrap terms. */
    uint64_t hi = mulhu64((uint64_t)a, (uint64_t)b);
    if (a < 0) hi -= (uint64_t)b;
    if (b < 0) hi -= (uint64_t)a;
    return hi;
}

static inline uint64_t mulhsu64(int64_t a, uint64_t b)
{
    uint64_t hi = mulhu64((uint64_t)a, b);
    if (a < 0) hi -= b;
    return hi;
}

/* ---- RISC-V division semantics ------------------------------------------ */

static inline uint64_t div64(int64_t a, int64_t b)
{
    if (b == 0) return (uint64_t)-1;
    if (a == INT64_MIN && b == -1) return (uint64_t)a;
    return (uint64_t)(a / b);
}
static inline uint64_t divu64(uint64_t a, uint64_t b) { return b ? a / b : ~0ull; }
static inline uint64_t rem64(int64_t a, int64_t b)
{
    if (b == 0) return (uint64_t)a;
    if (a == INT64_MIN && b == -1) return 0;
    return (uint64_t)(a % b);
}
static inline uint64_t remu64(uint64_t a, uint64_t b) { return b ? a % b : a; }

static inline uint64_t sx32(uint32_t v) { return (uint64_t)(int64_t)(int32_t)v; }

static inline uint64_t div32(int32_t a, int32_t b)
{
    if (b == 0) return (uint64_t)-1;
    if (a == INT32_MIN && b == -1) return sx32((uint32_t)a);
    return sx32((uint32_t)(a / b));
}
static inline uint64_t divu32(uint32_t a, uint32_t b)
{
    return b ? sx32(a / b) : ~0ull;
}
static inline uint64_t rem32(int32_t a, int32_t b)
{
    if (b == 0) return sx32((uint32_t)a);
    if (a == INT32_MIN && b == -1) return 0;
    return sx32((uint32_t)(a % b));
}
static inline uint64_t remu32(uint32_t a, uint32_t b)
{
    return sx32(b ? a % b : a);
}

/* ---- FARITH64 ------------------------------------------------------------ */

/* bits, when they are a normal binary64 number; 0 otherwise (zero,
 * subnormal, infinite, NaN: the cases where a frontend needs its exact
 * software path). */
static inline uint64_t farith64_normal(uint64_t bits)
{
    uint64_t exp = (bits >> 52) & 0x7ff;
    return exp - 1 < 0x7fe ? bits : 0;
}

/* The IR's FARITH64: a op b in binary64, rounded to nearest even (both
 * hosts' mode), the result's bits. */
static inline uint64_t farith64(unsigned fop, uint64_t a, uint64_t b)
{
    union { uint64_t u; double f; } x = { a }, y = { b }, r;
    switch (fop) {
    case 0: r.f = x.f + y.f; break;
    case 1: r.f = x.f - y.f; break;
    case 2: r.f = x.f * y.f; break;
    default: r.f = x.f / y.f; break;
    }
    return r.u;
}

#endif
