/* Goldfish RTC, as on QEMU's virt board: wall-clock time and one alarm. */
#ifndef WASMU_GOLDFISH_RTC_H
#define WASMU_GOLDFISH_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/irq.h"

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

void goldfish_rtc_init(GoldfishRtc *r, IrqLine irq);
/* Machine reset: the clock keeps its time; the alarm and interrupt go. */
void goldfish_rtc_reset(GoldfishRtc *r);
uint64_t goldfish_rtc_read(void *opaque, uint64_t offset, unsigned size);
void goldfish_rtc_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);
/* Rings the alarm once its time has come (called between slices). */
void goldfish_rtc_update(GoldfishRtc *r);

#endif
