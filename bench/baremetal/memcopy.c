/* Memory-bound work: strided reads and writes over a 256 KiB array. */
#include "bench.h"

#define N (32 * 1024)
static uint64_t a[N], b[N];

int main(void)
{
    for (uint32_t i = 0; i < N; i++)
        a[i] = i * 0x9e3779b9u;
    uint64_t sum = 0;
    for (int round = 0; round < 12000; round++) {
        for (uint32_t i = 0; i < N; i++)
            b[(i * 7) & (N - 1)] = a[i] + round;
        for (uint32_t i = 0; i < N; i += 4)
            sum += b[i] ^ a[(i * 13) & (N - 1)];
    }
    return check(sum, BENCH_MEMCOPY_EXPECT);
}
