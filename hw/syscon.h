/* SiFive test device ("syscon"): poweroff, failure exit and reset. */
#ifndef WASMU_SYSCON_H
#define WASMU_SYSCON_H

#include <stdint.h>

typedef struct Machine Machine;

typedef struct Syscon {
    Machine *machine;
} Syscon;

uint64_t syscon_read(void *opaque, uint64_t offset, unsigned size);
void syscon_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);

#endif
