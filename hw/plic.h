/* SiFive PLIC with two contexts: hart 0 M-mode (0) and S-mode (1). */
#ifndef WASMU_PLIC_H
#define WASMU_PLIC_H

#include <stdint.h>

#include "hw/irq.h"

enum { PLIC_SOURCES = 96, PLIC_CONTEXTS = 2, PLIC_WORDS = PLIC_SOURCES / 32 };

typedef struct RiscvCpu RiscvCpu;

typedef struct Plic {
    RiscvCpu *cpu;
    uint32_t priority[PLIC_SOURCES];
    uint32_t level[PLIC_WORDS];        /* device line levels */
    uint32_t pending[PLIC_WORDS];
    uint32_t in_service[PLIC_WORDS];   /* claimed, not yet completed */
    uint32_t enable[PLIC_CONTEXTS][PLIC_WORDS];
    uint32_t threshold[PLIC_CONTEXTS];
} Plic;

void plic_init(Plic *p, RiscvCpu *cpu);
uint64_t plic_read(void *opaque, uint64_t offset, unsigned size);
void plic_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);
void plic_set_irq(void *opaque, int irq, int level);
IrqLine plic_irq_line(Plic *p, int irq);

#endif
