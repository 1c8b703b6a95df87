/*
 * Goldfish RTC (QEMU virt's, at 0x101000, PLIC source 11).  Time is in
 * nanoseconds since 1970, read as two 32-bit words: reading TIME_LOW
 * latches the high word, so the pair is consistent.  Linux sets its
 * clock from it at boot (CONFIG_RTC_HCTOSYS); setting it (hwclock -w)
 * moves an offset from the host's clock, never the host's clock.  The
 * alarm is armed by writing ALARM_HIGH then ALARM_LOW, and rings (an
 * interrupt when enabled) once the time passes it; it is checked between
 * slices, whose idle waits are at most 10 ms.
 */
#include "hw/goldfish_rtc.h"

#include <time.h>

#include "host/clock.h"

enum {
    RTC_TIME_LOW = 0x00, RTC_TIME_HIGH = 0x04,
    RTC_ALARM_LOW = 0x08, RTC_ALARM_HIGH = 0x0c,
    RTC_IRQ_ENABLED = 0x10, RTC_CLEAR_ALARM = 0x14,
    RTC_ALARM_STATUS = 0x18, RTC_CLEAR_INTERRUPT = 0x1c,
};

static uint64_t guest_now_ns(const GoldfishRtc *r)
{
    return host_wall_clock_ns() + (uint64_t)r->offset_ns;
}

static void update_irq(GoldfishRtc *r)
{
    irq_set(&r->irq, r->irq_pending && r->irq_enabled);
}

/* The offset from the host's clock in UTC that base asks for. */
static int64_t base_offset_ns(RtcBase base)
{
    if (base.kind == RTC_BASE_DATE)
        return base.date_s * 1000000000 - (int64_t)host_wall_clock_ns();
    if (base.kind == RTC_BASE_LOCALTIME) {
        time_t now = time(NULL);
        struct tm local;
        if (localtime_r(&now, &local))
            return (int64_t)local.tm_gmtoff * 1000000000;
    }
    return 0;
}

void goldfish_rtc_init(GoldfishRtc *r, IrqLine irq, RtcBase base)
{
    *r = (GoldfishRtc){ .offset_ns = base_offset_ns(base), .irq = irq };
}

void goldfish_rtc_reset(GoldfishRtc *r)
{
    r->alarm_armed = r->irq_enabled = r->irq_pending = false;
    update_irq(r);
}

void goldfish_rtc_update(GoldfishRtc *r)
{
    if (r->alarm_armed && guest_now_ns(r) >= r->alarm_ns) {
        r->alarm_armed = false;
        r->irq_pending = true;
        update_irq(r);
    }
}

uint64_t goldfish_rtc_read(void *opaque, uint64_t offset, unsigned size)
{
    GoldfishRtc *r = opaque;
    switch (offset) {
    case RTC_TIME_LOW: {
        uint64_t now = guest_now_ns(r);
        r->time_high = (uint32_t)(now >> 32);
        return (uint32_t)now;
    }
    case RTC_TIME_HIGH: return r->time_high;
    case RTC_ALARM_LOW: return (uint32_t)r->alarm_ns;
    case RTC_ALARM_HIGH: return (uint32_t)(r->alarm_ns >> 32);
    case RTC_IRQ_ENABLED: return r->irq_enabled;
    case RTC_ALARM_STATUS: return r->alarm_armed;
    default: return 0;
    }
}

void goldfish_rtc_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    GoldfishRtc *r = opaque;
    uint32_t word = (uint32_t)value;
    switch (offset) {
    case RTC_TIME_LOW: {
        uint64_t set = (uint64_t)r->time_high << 32 | word;
        r->offset_ns = (int64_t)(set - host_wall_clock_ns());
        break;
    }
    case RTC_TIME_HIGH: r->time_high = word; break;
    case RTC_ALARM_LOW:
        r->alarm_ns = (uint64_t)r->alarm_high << 32 | word;
        r->alarm_armed = true;
        break;
    case RTC_ALARM_HIGH: r->alarm_high = word; break;
    case RTC_IRQ_ENABLED: r->irq_enabled = word & 1; break;
    case RTC_CLEAR_ALARM: r->alarm_armed = false; break;
    case RTC_CLEAR_INTERRUPT: r->irq_pending = false; break;
    default: break;
    }
    goldfish_rtc_update(r);   /* an alarm set in the past rings at once */
    update_irq(r);
}
