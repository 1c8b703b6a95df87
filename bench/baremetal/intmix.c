/* Integer work: a hash mixing loop with multiplies, shifts and rotates. */
#include "bench.h"

int main(void)
{
    uint64_t h = 0x243f6a8885a308d3ull;
    for (uint32_t i = 0; i < 240000000; i++) {
        h ^= i;
        h *= 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
        h += (h << 7) | (h >> 57);
        h ^= (uint32_t)(h >> 17) * 2654435761u;
    }
    return check(h, BENCH_INTMIX_EXPECT);
}
