/* Host monotonic clock, for guest time (mtime). */
#ifndef WASMU_CLOCK_H
#define WASMU_CLOCK_H
#include <stdint.h>
uint64_t host_clock_ns(void);
#endif
