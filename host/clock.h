/* Host clocks: monotonic for guest time (mtime), wall for the RTC. */
#ifndef WASMU_CLOCK_H
#define WASMU_CLOCK_H
#include <stdint.h>
uint64_t host_clock_ns(void);
/* Nanoseconds since 1970 (UTC). */
uint64_t host_wall_clock_ns(void);
#endif
