/*
 * IEEE-754 binary32/binary64 arithmetic in software, with the five rounding
 * modes and the exception flags RISC-V needs (WebAssembly has neither).
 *
 * Values are raw bit patterns (uint32_t / uint64_t).  Conventions follow the
 * RISC-V F/D spec so callers need no post-processing:
 *   - rounding mode numbers are RISC-V's (RM_RNE .. RM_RMM, fpu_rm below);
 *   - flags are RISC-V fflags bits (NV DZ OF UF NX);
 *   - tininess is detected after rounding;
 *   - any NaN result is the canonical NaN (0x7fc00000 / 0x7ff8000000000000);
 *   - float -> integer conversions saturate and return the RISC-V values for
 *     NaN and out-of-range inputs, raising NV.
 * A host-FP fast path is used only where it provably gives the same bits and
 * flags (see softfloat_host.c).
 */
#ifndef WASMU_SOFTFLOAT_H
#define WASMU_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

enum fpu_rm { FPU_RNE = 0, FPU_RTZ = 1, FPU_RDN = 2, FPU_RUP = 3, FPU_RMM = 4 };
enum fpu_flag { FPU_NX = 1, FPU_UF = 2, FPU_OF = 4, FPU_DZ = 8, FPU_NV = 16 };

typedef struct FloatStatus {
    uint8_t rm;     /* enum fpu_rm: callers resolve the dynamic mode first */
    uint8_t flags;  /* accrued enum fpu_flag bits: operations OR into it */
} FloatStatus;

/* Bit patterns <-> host floats. */
typedef union { float f; uint32_t u; } F32;
typedef union { double f; uint64_t u; } F64;
static inline float f32_of(uint32_t u) { F32 v; v.u = u; return v.f; }
static inline uint32_t bits_f32(float f) { F32 v; v.f = f; return v.u; }
static inline double f64_of(uint64_t u) { F64 v; v.u = u; return v.f; }
static inline uint64_t bits_f64(double f) { F64 v; v.f = f; return v.u; }

#define F32_CANONICAL_NAN 0x7fc00000u
#define F64_CANONICAL_NAN 0x7ff8000000000000ull

/* arithmetic */
uint32_t f32_add(uint32_t a, uint32_t b, FloatStatus *s);
uint32_t f32_sub(uint32_t a, uint32_t b, FloatStatus *s);
uint32_t f32_mul(uint32_t a, uint32_t b, FloatStatus *s);
uint32_t f32_div(uint32_t a, uint32_t b, FloatStatus *s);
uint32_t f32_sqrt(uint32_t a, FloatStatus *s);
/* (a * b) + c with one rounding; negate_product / negate_addend give
 * fmsub (c negated), fnmsub (product negated), fnmadd (both). */
uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, bool negate_product,
                    bool negate_addend, FloatStatus *s);

uint64_t f64_add(uint64_t a, uint64_t b, FloatStatus *s);
uint64_t f64_sub(uint64_t a, uint64_t b, FloatStatus *s);
uint64_t f64_mul(uint64_t a, uint64_t b, FloatStatus *s);
uint64_t f64_div(uint64_t a, uint64_t b, FloatStatus *s);
uint64_t f64_sqrt(uint64_t a, FloatStatus *s);
uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, bool negate_product,
                    bool negate_addend, FloatStatus *s);

/* RISC-V fmin/fmax (IEEE 754-2008 minNum/maxNum as amended in F 2.2:
 * -0 < +0; one NaN operand -> the other; both NaN -> canonical NaN;
 * signaling NaN input raises NV). */
uint32_t f32_min(uint32_t a, uint32_t b, FloatStatus *s);
uint32_t f32_max(uint32_t a, uint32_t b, FloatStatus *s);
uint64_t f64_min(uint64_t a, uint64_t b, FloatStatus *s);
uint64_t f64_max(uint64_t a, uint64_t b, FloatStatus *s);

/* comparisons: eq is quiet (NV only for signaling NaN), lt/le signal NV
 * for any NaN.  NaN operands compare false. */
bool f32_eq(uint32_t a, uint32_t b, FloatStatus *s);
bool f32_lt(uint32_t a, uint32_t b, FloatStatus *s);
bool f32_le(uint32_t a, uint32_t b, FloatStatus *s);
bool f64_eq(uint64_t a, uint64_t b, FloatStatus *s);
bool f64_lt(uint64_t a, uint64_t b, FloatStatus *s);
bool f64_le(uint64_t a, uint64_t b, FloatStatus *s);

/* RISC-V fclass: one-hot 10-bit mask. */
uint32_t f32_classify(uint32_t a);
uint32_t f64_classify(uint64_t a);

/* float -> integer (rounded with s->rm, saturating, NV on invalid, NX on
 * inexact).  32-bit results are returned as the 32-bit pattern. */
int32_t f32_to_i32(uint32_t a, FloatStatus *s);
uint32_t f32_to_u32(uint32_t a, FloatStatus *s);
int64_t f32_to_i64(uint32_t a, FloatStatus *s);
uint64_t f32_to_u64(uint32_t a, FloatStatus *s);
int32_t f64_to_i32(uint64_t a, FloatStatus *s);
uint32_t f64_to_u32(uint64_t a, FloatStatus *s);
int64_t f64_to_i64(uint64_t a, FloatStatus *s);
uint64_t f64_to_u64(uint64_t a, FloatStatus *s);

/* integer -> float */
uint32_t i32_to_f32(int32_t v, FloatStatus *s);
uint32_t u32_to_f32(uint32_t v, FloatStatus *s);
uint32_t i64_to_f32(int64_t v, FloatStatus *s);
uint32_t u64_to_f32(uint64_t v, FloatStatus *s);
uint64_t i32_to_f64(int32_t v, FloatStatus *s);
uint64_t u32_to_f64(uint32_t v, FloatStatus *s);
uint64_t i64_to_f64(int64_t v, FloatStatus *s);
uint64_t u64_to_f64(uint64_t v, FloatStatus *s);

/* float <-> float */
uint64_t f32_to_f64(uint32_t a, FloatStatus *s);
uint32_t f64_to_f32(uint64_t a, FloatStatus *s);

#endif
