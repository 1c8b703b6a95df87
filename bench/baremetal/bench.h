/* Shared bits of the bare-metal benchmarks.  main returns 0 (HTIF pass) only
 * when the checksum matches the value computed by the same source built for
 * the host (NATIVE_REFERENCE), so a mis-emulated run cannot pass as fast. */
#ifndef BENCH_H
#define BENCH_H
#include <stddef.h>
#include <stdint.h>

#ifdef NATIVE_REFERENCE
#include <inttypes.h>
#include <stdio.h>
static inline int check(uint64_t got, uint64_t want)
{
    (void)want;
    printf("0x%" PRIx64 "ull\n", got);
    return 0;
}
#else
static inline int check(uint64_t got, uint64_t want)
{
    return got == want ? 0 : 1 + (int)(got & 0x3fff);
}
#endif
#endif
