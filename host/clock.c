#include "host/clock.h"

#include <time.h>

static uint64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t host_clock_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

uint64_t host_wall_clock_ns(void)
{
    return clock_ns(CLOCK_REALTIME);
}
