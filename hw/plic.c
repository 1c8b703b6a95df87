/*
 * PLIC: level-triggered sources, per-context enables and thresholds,
 * claim/complete.  Context 0 drives MEIP, context 1 SEIP of hart 0.
 */
#include "hw/plic.h"

#include <string.h>

#include "target/riscv/cpu.h"

enum {
    PLIC_PENDING = 0x1000, PLIC_ENABLE = 0x2000, PLIC_ENABLE_STRIDE = 0x80,
    PLIC_CONTEXT = 0x200000, PLIC_CONTEXT_STRIDE = 0x1000,
};

void plic_init(Plic *p, RiscvCpu *cpu)
{
    memset(p, 0, sizeof(*p));
    p->cpu = cpu;
}

static bool bit(const uint32_t *words, unsigned n)
{
    return (words[n / 32] >> (n % 32)) & 1;
}

static void set_bit(uint32_t *words, unsigned n, bool on)
{
    if (on)
        words[n / 32] |= 1u << (n % 32);
    else
        words[n / 32] &= ~(1u << (n % 32));
}

/* Highest-priority pending enabled source above the threshold, or 0. */
static unsigned best_source(const Plic *p, unsigned ctx)
{
    unsigned best = 0, best_prio = p->threshold[ctx];
    for (unsigned src = 1; src < PLIC_SOURCES; src++)
        if (bit(p->pending, src) && bit(p->enable[ctx], src) &&
            p->priority[src] > best_prio) {
            best = src;
            best_prio = p->priority[src];
        }
    return best;
}

static void update_outputs(Plic *p)
{
    riscv_set_mip(p->cpu, MIP_MEIP, best_source(p, 0) != 0);
    riscv_set_mip(p->cpu, MIP_SEIP, best_source(p, 1) != 0);
}

void plic_set_irq(void *opaque, int irq, int level)
{
    Plic *p = opaque;
    if (irq <= 0 || irq >= PLIC_SOURCES)
        return;
    set_bit(p->level, (unsigned)irq, level);
    if (level && !bit(p->in_service, (unsigned)irq))
        set_bit(p->pending, (unsigned)irq, true);
    if (!level)
        set_bit(p->pending, (unsigned)irq, false);
    update_outputs(p);
}

IrqLine plic_irq_line(Plic *p, int irq)
{
    IrqLine line = { plic_set_irq, p, irq };
    return line;
}

static unsigned claim(Plic *p, unsigned ctx)
{
    unsigned src = best_source(p, ctx);
    if (src) {
        set_bit(p->pending, src, false);
        set_bit(p->in_service, src, true);
        update_outputs(p);
    }
    return src;
}

static void complete(Plic *p, unsigned src)
{
    if (src == 0 || src >= PLIC_SOURCES)
        return;
    set_bit(p->in_service, src, false);
    if (bit(p->level, src))
        set_bit(p->pending, src, true);
    update_outputs(p);
}

uint64_t plic_read(void *opaque, uint64_t offset, unsigned size)
{
    Plic *p = opaque;
    if (offset < 4 * PLIC_SOURCES)
        return p->priority[offset / 4];
    if (offset >= PLIC_PENDING && offset < PLIC_PENDING + 4 * PLIC_WORDS)
        return p->pending[(offset - PLIC_PENDING) / 4];
    if (offset >= PLIC_ENABLE &&
        offset < PLIC_ENABLE + PLIC_ENABLE_STRIDE * PLIC_CONTEXTS) {
        unsigned ctx = (unsigned)((offset - PLIC_ENABLE) / PLIC_ENABLE_STRIDE);
        unsigned word = (unsigned)((offset - PLIC_ENABLE) % PLIC_ENABLE_STRIDE) / 4;
        return word < PLIC_WORDS ? p->enable[ctx][word] : 0;
    }
    if (offset >= PLIC_CONTEXT &&
        offset < PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * PLIC_CONTEXTS) {
        unsigned ctx = (unsigned)((offset - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE);
        unsigned reg = (unsigned)((offset - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE);
        if (reg == 0)
            return p->threshold[ctx];
        if (reg == 4)
            return claim(p, ctx);
    }
    return 0;
}

void plic_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Plic *p = opaque;
    uint32_t v = (uint32_t)value;
    if (offset < 4 * PLIC_SOURCES) {
        p->priority[offset / 4] = v & 7;
    } else if (offset >= PLIC_ENABLE &&
               offset < PLIC_ENABLE + PLIC_ENABLE_STRIDE * PLIC_CONTEXTS) {
        unsigned ctx = (unsigned)((offset - PLIC_ENABLE) / PLIC_ENABLE_STRIDE);
        unsigned word = (unsigned)((offset - PLIC_ENABLE) % PLIC_ENABLE_STRIDE) / 4;
        if (word < PLIC_WORDS)
            p->enable[ctx][word] = word == 0 ? v & ~1u : v;   /* source 0 */
    } else if (offset >= PLIC_CONTEXT &&
               offset < PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * PLIC_CONTEXTS) {
        unsigned ctx = (unsigned)((offset - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE);
        unsigned reg = (unsigned)((offset - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE);
        if (reg == 0)
            p->threshold[ctx] = v & 7;
        else if (reg == 4)
            complete(p, v);
    }
    update_outputs(p);
}
