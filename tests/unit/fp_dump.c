/*
 * Prints results and flags of the softfloat API for pseudo-random operands
 * (biased toward special values), in RNE/RTZ/RDN/RUP.  Built twice, once on
 * the host FPU's fenv path and once on the exact software path used by the
 * Wasm build; tests/suites/fpu.sh compares the two outputs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "fpu/softfloat.h"

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static uint64_t operand64(void)
{
    static const uint64_t specials[] = {
        0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0x7ff0000000000000ull,
        0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff4000000000000ull,
        0x0000000000000001ull, 0x000fffffffffffffull, 0x0010000000000000ull,
        0x7fefffffffffffffull, 0x3fe0000000000000ull, 0x4340000000000000ull };
    uint64_t r = next();
    switch (r % 8) {
    case 0: return specials[(r >> 8) % (sizeof(specials) / 8)];
    case 1: return (next() & 0x800fffffffffffffull) | (0x3ffull + (r >> 8) % 64 - 32) << 52;
    default: return next();
    }
}

static uint32_t operand32(void)
{
    static const uint32_t specials[] = { 0, 0x80000000u, 0x3f800000u,
        0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7fa00000u, 1, 0x007fffffu,
        0x00800000u, 0x7f7fffffu, 0x3f000000u, 0x4b000000u };
    uint64_t r = next();
    switch (r % 8) {
    case 0: return specials[(r >> 8) % (sizeof(specials) / 4)];
    case 1: return ((uint32_t)next() & 0x807fffffu) | (uint32_t)(127 + (r >> 8) % 32 - 16) << 23;
    default: return (uint32_t)next();
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    for (long i = 0; i < n; i++) {
        uint64_t a = operand64(), b = operand64(), c = operand64();
        uint32_t x = operand32(), y = operand32(), z = operand32();
        /* an addend near the product now and then: cancellation */
        if (next() % 4 == 0) {
            FloatStatus t = { 0, 0 };
            c = f64_mul(a, b, &t) ^ (next() % 2 ? 0x8000000000000000ull : 0) ^ (next() % 4);
            z = f32_mul(x, y, &t) ^ (next() % 2 ? 0x80000000u : 0) ^ (uint32_t)(next() % 4);
        }
        bool neg_p = next() % 2, neg_a = next() % 2;
        int64_t iv = (int64_t)next() >> (next() % 64);
        for (uint8_t rm = 0; rm < 4; rm++) {
            FloatStatus s[14] = { { rm, 0 } };
            for (int k = 1; k < 14; k++) s[k] = s[0];
            uint64_t r0 = f64_add(a, b, &s[0]), r1 = f64_mul(a, b, &s[1]);
            uint64_t r2 = f64_div(a, b, &s[2]), r3 = f64_sqrt(a, &s[3]);
            uint32_t r4 = f32_add(x, y, &s[4]), r5 = f32_mul(x, y, &s[5]);
            uint32_t r6 = f32_div(x, y, &s[6]), r7 = f32_sqrt(x, &s[7]);
            uint32_t r8 = f64_to_f32(a, &s[8]);
            uint64_t r9 = i64_to_f64(iv, &s[9]);
            uint32_t r10 = i64_to_f32(iv, &s[10]);
            uint64_t r11 = f64_sub(a, b, &s[11]);
            uint64_t r12 = f64_muladd(a, b, c, neg_p, neg_a, &s[12]);
            uint32_t r13 = f32_muladd(x, y, z, neg_p, neg_a, &s[13]);
            printf("%" PRIx64 " %" PRIx64 " %u: %" PRIx64 "/%x %" PRIx64 "/%x %"
                   PRIx64 "/%x %" PRIx64 "/%x %x/%x %x/%x %x/%x %x/%x %x/%x %"
                   PRIx64 "/%x %x/%x %" PRIx64 "/%x %" PRIx64 "/%x %x/%x\n", a, b, rm,
                   r0, s[0].flags, r1, s[1].flags, r2, s[2].flags, r3, s[3].flags,
                   r4, s[4].flags, r5, s[5].flags, r6, s[6].flags, r7, s[7].flags,
                   r8, s[8].flags, r9, s[9].flags, r10, s[10].flags, r11, s[11].flags,
                   r12, s[12].flags, r13, s[13].flags);
        }
    }
    return 0;
}
