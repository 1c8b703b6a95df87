/*
 * Bare-metal: the Goldfish RTC at 0x101000 (PLIC source 11).  It reads the
 * host's wall clock (after 2020), its time moves, a time written reads
 * back, an alarm rings once its time passes (its status clears, and M mode
 * claims source 11 from the PLIC), an alarm set in the past rings at once,
 * and a cleared one never does.  Exit code 0, or the number of the failed
 * check.  Built with bench/baremetal's start-up and link script; QEMU's
 * virt board passes it too (with an exit through its test device).
 */
#include <stdint.h>

#define RTC 0x101000ul
#define PLIC 0xc000000ul
#define RTC_IRQ 11
enum { TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c,
       IRQ_ENABLED = 0x10, CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18,
       CLEAR_INTERRUPT = 0x1c };
#define SECOND 1000000000ull

static uint32_t rd(unsigned reg) { return *(volatile uint32_t *)(RTC + reg); }
static void wr(unsigned reg, uint32_t v) { *(volatile uint32_t *)(RTC + reg) = v; }
static volatile uint32_t *plic(unsigned long offset)
{
    return (volatile uint32_t *)(PLIC + offset);
}

static uint64_t now(void)
{
    uint64_t low = rd(TIME_LOW);   /* latches the high word */
    return (uint64_t)rd(TIME_HIGH) << 32 | low;
}

/* The PLIC's answer to a claim by M mode (context 0): the source whose
 * interrupt is pending, completed at once, or 0. */
static unsigned claimed(void)
{
    unsigned src = *plic(0x200004);
    if (src)
        *plic(0x200004) = src;
    return src;
}

/* The RTC's interrupt, acknowledged at the RTC, then claimed. */
static int interrupted(void)
{
    unsigned src = *plic(0x200004);
    wr(CLEAR_INTERRUPT, 1);
    if (src)
        *plic(0x200004) = src;
    return src == RTC_IRQ;
}

static void arm(uint64_t at)
{
    wr(ALARM_HIGH, (uint32_t)(at >> 32));
    wr(ALARM_LOW, (uint32_t)at);
}

/* Spins until the alarm's status clears or `limit` of RTC time passes. */
static int rang_within(uint64_t limit)
{
    uint64_t start = now();
    while (rd(ALARM_STATUS))
        if (now() - start > limit)
            return 0;
    return 1;
}

int main(void)
{
    uint64_t t0 = now();
    if (t0 < 1577836800ull * SECOND)          /* 2020-01-01 */
        return 1;
    uint64_t t1 = t0;
    for (int i = 0; i < 10000000 && t1 == t0; i++)
        t1 = now();
    if (t1 <= t0)
        return 2;
    uint64_t set = 2000000000ull * SECOND;     /* 2033-05-18 */
    wr(TIME_HIGH, (uint32_t)(set >> 32));
    wr(TIME_LOW, (uint32_t)set);
    uint64_t t2 = now();
    if (t2 < set || t2 > set + SECOND)
        return 3;
    *plic(4 * RTC_IRQ) = 1;                    /* priority */
    *plic(0x2000) = 1u << RTC_IRQ;             /* enabled for context 0 */
    *plic(0x200000) = 0;                       /* its threshold */
    wr(IRQ_ENABLED, 1);
    if (claimed() || rd(ALARM_STATUS))
        return 4;
    arm(now() + SECOND / 500);                 /* 2 ms ahead */
    if (!rd(ALARM_STATUS))
        return 5;
    if (!rang_within(SECOND) || !interrupted())
        return 6;
    if (claimed())                             /* acknowledged: gone */
        return 7;
    arm(now() - SECOND);                       /* in the past: at once */
    if (rd(ALARM_STATUS) || !interrupted())
        return 8;
    arm(now() + SECOND / 100);
    wr(CLEAR_ALARM, 1);
    uint64_t t3 = now();
    while (now() - t3 < SECOND / 20)           /* 50 ms: long past it */
        ;
    if (rd(ALARM_STATUS) || claimed())
        return 9;
    return 0;
}
