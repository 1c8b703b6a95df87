/* Loading firmware, kernels (ELF or RISC-V Image) and initrds into RAM. */
#ifndef WASMU_LOADER_H
#define WASMU_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/memory.h"

typedef struct LoadedImage {
    uint64_t entry;        /* entry point (physical) */
    uint64_t start, end;   /* physical range occupied */
    uint64_t tohost, fromhost;   /* HTIF symbols of an ELF, or 0 */
    bool is_elf;
} LoadedImage;

/* Read a whole file (at most max_size bytes); NULL with a message. */
uint8_t *load_file(const char *path, uint64_t max_size, size_t *size,
                   char *err, size_t errlen);
bool is_elf(const uint8_t *data, size_t size);
/* ELF64 RISC-V: PT_LOAD segments at their physical addresses. */
bool load_elf(PhysMem *pm, const uint8_t *data, size_t size,
              LoadedImage *out, char *err, size_t errlen);
/* A raw binary, or a RISC-V Image (header checked), at load_addr. */
bool load_raw(PhysMem *pm, const uint8_t *data, size_t size,
              uint64_t load_addr, bool kernel_image, LoadedImage *out,
              char *err, size_t errlen);

#endif
