/* Zero-filled, page-aligned host memory for guest RAM. */
#ifndef WASMU_RAM_H
#define WASMU_RAM_H
#include <stddef.h>
void *host_ram_alloc(size_t size);
void host_ram_free(void *ram, size_t size);
/* Zero all of it again (guest reset). */
void host_ram_clear(void *ram, size_t size);
/* The most memory this host's process can ever hold in all (the Wasm
 * build's linear memory), or 0 when there is no such fixed bound. */
size_t host_memory_limit(void);
#endif
