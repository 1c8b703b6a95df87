/* Goldfish RTC, as on QEMU's virt board: wall-clock time and one alarm. */
#ifndef WASMU_GOLDFISH_RTC_H
#define WASMU_GOLDFISH_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/irq.h"

/* Where the RTC starts (-rtc base=): the host's clock in UTC, in local
 * time, or a given date and time (then it runs on from there). */
typedef struct RtcBase {
    enum { RTC_BASE_UTC, RTC_BASE_LOCALTIME, RTC_BASE_DATE } kind;
    int64_t date_s;            /* RTC_BASE_DATE: seconds since 1970, UTC */
} RtcBase;

typedef struct GoldfishRtc {
    int64_t offset_ns;         /* the guest's wall clock minus the host's */
    uint32_t time_high;        /* latched by a read of TIME_LOW; or written */
    uint64_t alarm_ns;         /* guest wall time the alarm rings at */
    uint32_t alarm_high;       /* written, taken by the write of ALARM_LOW */
    bool alarm_armed;
    bool irq_enabled;
    bool irq_pending;          /* the alarm rang; cleared by CLEAR_INTERRUPT */
    IrqLine irq;
} GoldfishRtc;

void goldfish_rtc_init(GoldfishRtc *r, IrqLine irq, RtcBase base);
/* Machine reset: the clock keeps its time; the alarm and interrupt go. */
void goldfish_rtc_reset(GoldfishRtc *r);
uint64_t goldfish_rtc_read(void *opaque, uint64_t offset, unsigned size);
void goldfish_rtc_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);
/* Rings the alarm once its time has come (called between slices). */
void goldfish_rtc_update(GoldfishRtc *r);

#endif
