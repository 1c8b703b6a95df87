/* An interrupt line from a device to an interrupt controller (PLIC). */
#ifndef WASMU_IRQ_H
#define WASMU_IRQ_H

typedef struct IrqLine {
    void (*set)(void *opaque, int irq, int level);
    void *opaque;
    int irq;
} IrqLine;

static inline void irq_set(const IrqLine *line, int level)
{
    if (line->set)
        line->set(line->opaque, line->irq, level);
}

#endif
