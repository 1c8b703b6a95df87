/*
 * Guest physical address space of one machine: RAM, read-only memory and
 * MMIO regions.  Devices register regions; the soft MMU maps RAM pages to
 * host memory and sends everything else to mmio_read/mmio_write.
 */
#ifndef WASMU_MEMORY_H
#define WASMU_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t (*MmioReadFn)(void *opaque, uint64_t offset, unsigned size);
typedef void (*MmioWriteFn)(void *opaque, uint64_t offset, uint64_t value,
                            unsigned size);

typedef struct MmioRegion {
    const char *name;
    uint64_t base, size;
    void *opaque;
    MmioReadFn read;    /* size is 1, 2, 4 or 8; offset within the region */
    MmioWriteFn write;
} MmioRegion;

enum { PHYS_MAX_REGIONS = 32 };

typedef struct PhysMem {
    uint8_t *ram;          /* host memory backing guest RAM */
    uint64_t ram_base;     /* guest physical address of ram[0] */
    uint64_t ram_size;
    uint8_t *rom;          /* small read-only area (reset vector, fw info) */
    uint64_t rom_base, rom_size;
    MmioRegion regions[PHYS_MAX_REGIONS];
    unsigned n_regions;
    /* One byte per RAM page: non-zero when translated code came from it,
     * so writes to it must invalidate TBs (self-modifying code, DMA). */
    uint8_t *code_pages;
    /* Called when a write hits a code page (set by the exec layer). */
    void (*code_write_hook)(void *opaque, uint64_t paddr, uint64_t len);
    void *code_write_opaque;
} PhysMem;

int phys_init(PhysMem *pm, uint64_t ram_base, uint64_t ram_size);
void phys_free(PhysMem *pm);
/* RAM back to all zeros (machine reset). */
void phys_clear_ram(PhysMem *pm);
/* Returns false if the table is full or the range overlaps RAM/another. */
bool phys_add_mmio(PhysMem *pm, const MmioRegion *region);
bool phys_add_rom(PhysMem *pm, uint64_t base, const void *data, uint64_t size);

/* RAM pointer for [paddr, paddr+len) or NULL if not wholly inside RAM. */
uint8_t *phys_ram_ptr(PhysMem *pm, uint64_t paddr, uint64_t len);
/* Same, for a write by a device (DMA) or the loader: invalidates any
 * translated code in the range first. */
uint8_t *phys_ram_ptr_for_write(PhysMem *pm, uint64_t paddr, uint64_t len);

/* Region containing paddr, or NULL. */
MmioRegion *phys_find_mmio(PhysMem *pm, uint64_t paddr);

/* Physical access of 1/2/4/8 bytes for the soft-MMU slow path and devices.
 * Return false on an access to nothing (bus error): the caller raises an
 * access fault. Unaligned accesses are fine here. */
bool phys_read(PhysMem *pm, uint64_t paddr, unsigned size, uint64_t *value);
bool phys_write(PhysMem *pm, uint64_t paddr, unsigned size, uint64_t value);

/* Copy helpers for devices (virtio): false if the range is not RAM. */
bool phys_copy_from(PhysMem *pm, void *dst, uint64_t paddr, uint64_t len);
bool phys_copy_to(PhysMem *pm, uint64_t paddr, const void *src, uint64_t len);

static inline bool phys_is_ram(const PhysMem *pm, uint64_t paddr)
{
    return paddr - pm->ram_base < pm->ram_size;
}

#endif
