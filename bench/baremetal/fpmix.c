/* Floating-point work: a small n-body style double-precision loop. */
#include "bench.h"

#define BODIES 16
static double px[BODIES], py[BODIES], vx[BODIES], vy[BODIES];

static double approx_rsqrt(double d)
{
    /* Newton steps on 1/sqrt: keeps the work in mul/add/div. */
    double y = 1.0 / (0.5 + d);
    for (int k = 0; k < 3; k++)
        y = y * (1.5 - 0.5 * d * y * y);
    return y;
}

int main(void)
{
    for (int i = 0; i < BODIES; i++) {
        px[i] = i * 0.37; py[i] = i * 0.11 - 1.0;
        vx[i] = 0.0; vy[i] = 0.01 * i;
    }
    for (int step = 0; step < 30000; step++) {
        for (int i = 0; i < BODIES; i++)
            for (int j = 0; j < BODIES; j++) {
                if (i == j) continue;
                double dx = px[j] - px[i], dy = py[j] - py[i];
                double d2 = dx * dx + dy * dy + 0.01;
                double inv = approx_rsqrt(d2);
                double f = inv * inv * inv * 1e-4;
                vx[i] += dx * f; vy[i] += dy * f;
            }
        for (int i = 0; i < BODIES; i++) { px[i] += vx[i]; py[i] += vy[i]; }
    }
    double e = 0;
    for (int i = 0; i < BODIES; i++) e += px[i] * 3 + py[i] * 7;
    union { double d; uint64_t u; } bits = { e };
    return check(bits.u >> 20, BENCH_FPMIX_EXPECT);
}
