/* Branchy work: repeated quicksort of pseudo-random data. */
#include "bench.h"

#define N 20000
static uint32_t v[N];

static void quicksort(uint32_t *x, int lo, int hi)
{
    while (lo < hi) {
        uint32_t pivot = x[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (x[i] < pivot) i++;
            while (x[j] > pivot) j--;
            if (i <= j) {
                uint32_t t = x[i]; x[i] = x[j]; x[j] = t;
                i++; j--;
            }
        }
        if (j - lo < hi - i) { quicksort(x, lo, j); lo = i; }
        else { quicksort(x, i, hi); hi = j; }
    }
}

int main(void)
{
    uint32_t seed = 12345;
    uint64_t sum = 0;
    for (int round = 0; round < 360; round++) {
        for (int i = 0; i < N; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = seed >> 3;
        }
        quicksort(v, 0, N - 1);
        for (int i = 0; i < N; i += 97)
            sum = sum * 31 + v[i];
    }
    return check(sum, BENCH_SORT_EXPECT);
}
