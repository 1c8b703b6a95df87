/* SiFive CLINT: machine software interrupt and timer for one hart. */
#ifndef WASMU_CLINT_H
#define WASMU_CLINT_H

#include <stdint.h>

typedef struct RiscvCpu RiscvCpu;
typedef struct Machine Machine;

typedef struct Clint {
    RiscvCpu *cpu;
    Machine *machine;
    uint32_t msip;
    uint64_t mtimecmp;
} Clint;

void clint_init(Clint *c, RiscvCpu *cpu, Machine *m);
uint64_t clint_read(void *opaque, uint64_t offset, unsigned size);
void clint_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);
/* Raise or lower MTIP for the current mtime. */
void clint_update_timer(Clint *c);
/* Guest time (10 MHz ticks) until the timer fires; 0 if pending. */
uint64_t clint_ticks_until_timer(Clint *c);

#endif
