/*
 * Guest physical address space: RAM, a small ROM and MMIO regions.
 * See memory.h.
 */
#include "exec/memory.h"

#include <stdlib.h>
#include <string.h>

#include "host/ram.h"

#define PAGE_BITS 12
#define PAGE_SIZE (1u << PAGE_BITS)

int phys_init(PhysMem *pm, uint64_t ram_base, uint64_t ram_size)
{
    memset(pm, 0, sizeof(*pm));
    if (ram_size == 0 || (ram_size & (PAGE_SIZE - 1)) ||
        (uint64_t)(size_t)ram_size != ram_size)
        return -1;
    /* Page-aligned so TLB addends keep guest alignment on the host. */
    pm->ram = host_ram_alloc((size_t)ram_size);
    pm->code_pages = calloc((size_t)(ram_size >> PAGE_BITS), 1);
    if (!pm->ram || !pm->code_pages) {
        pm->ram_size = ram_size;
        phys_free(pm);
        return -1;
    }
    pm->ram_base = ram_base;
    pm->ram_size = ram_size;
    return 0;
}

void phys_free(PhysMem *pm)
{
    host_ram_free(pm->ram, (size_t)pm->ram_size);
    free(pm->code_pages);
    free(pm->rom);
    pm->ram = NULL;
    pm->code_pages = NULL;
    pm->rom = NULL;
}

void phys_clear_ram(PhysMem *pm)
{
    host_ram_clear(pm->ram, (size_t)pm->ram_size);
}

static bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

static bool range_free(const PhysMem *pm, uint64_t base, uint64_t size)
{
    if (size == 0 || base + size < base)
        return false;
    if (overlaps(base, size, pm->ram_base, pm->ram_size))
        return false;
    if (pm->rom && overlaps(base, size, pm->rom_base, pm->rom_size))
        return false;
    for (unsigned i = 0; i < pm->n_regions; i++)
        if (overlaps(base, size, pm->regions[i].base, pm->regions[i].size))
            return false;
    return true;
}

bool phys_add_mmio(PhysMem *pm, const MmioRegion *region)
{
    if (pm->n_regions >= PHYS_MAX_REGIONS ||
        !range_free(pm, region->base, region->size))
        return false;
    pm->regions[pm->n_regions++] = *region;
    return true;
}

bool phys_add_rom(PhysMem *pm, uint64_t base, const void *data, uint64_t size)
{
    if (pm->rom || !range_free(pm, base, size))
        return false;
    pm->rom = malloc((size_t)size);
    if (!pm->rom)
        return false;
    memcpy(pm->rom, data, (size_t)size);
    pm->rom_base = base;
    pm->rom_size = size;
    return true;
}

uint8_t *phys_ram_ptr(PhysMem *pm, uint64_t paddr, uint64_t len)
{
    uint64_t off = paddr - pm->ram_base;
    if (paddr < pm->ram_base || off > pm->ram_size || len > pm->ram_size - off)
        return NULL;
    return pm->ram + off;
}

/* Writes into pages holding translated code invalidate those TBs. */
static void notify_code_write(PhysMem *pm, uint64_t paddr, uint64_t len)
{
    if (!pm->code_write_hook || len == 0)
        return;
    uint64_t first = (paddr - pm->ram_base) >> PAGE_BITS;
    uint64_t last = (paddr + len - 1 - pm->ram_base) >> PAGE_BITS;
    for (uint64_t page = first; page <= last; page++)
        if (pm->code_pages[page]) {
            pm->code_write_hook(pm->code_write_opaque, paddr, len);
            return;
        }
}

uint8_t *phys_ram_ptr_for_write(PhysMem *pm, uint64_t paddr, uint64_t len)
{
    uint8_t *p = phys_ram_ptr(pm, paddr, len);
    if (p)
        notify_code_write(pm, paddr, len);
    return p;
}

MmioRegion *phys_find_mmio(PhysMem *pm, uint64_t paddr)
{
    for (unsigned i = 0; i < pm->n_regions; i++) {
        MmioRegion *r = &pm->regions[i];
        if (paddr - r->base < r->size)
            return r;
    }
    return NULL;
}

/* Little-endian copies of up to 8 bytes.  The usual sizes copy with a
 * fixed size: a memcpy of a variable size is a library call (under
 * Emscripten a slow one), and these run on every slow-path access. */
static uint64_t load_le(const uint8_t *p, unsigned size)
{
    uint8_t v8; uint16_t v16; uint32_t v32; uint64_t v64 = 0;
    switch (size) {
    case 1: memcpy(&v8, p, 1); return v8;
    case 2: memcpy(&v16, p, 2); return v16;
    case 4: memcpy(&v32, p, 4); return v32;
    case 8: memcpy(&v64, p, 8); return v64;
    default: memcpy(&v64, p, size); return v64;
    }
}

static void store_le(uint8_t *p, unsigned size, uint64_t value)
{
    uint8_t v8 = (uint8_t)value; uint16_t v16 = (uint16_t)value;
    uint32_t v32 = (uint32_t)value;
    switch (size) {
    case 1: memcpy(p, &v8, 1); break;
    case 2: memcpy(p, &v16, 2); break;
    case 4: memcpy(p, &v32, 4); break;
    default: memcpy(p, &value, size); break;
    }
}

bool phys_read(PhysMem *pm, uint64_t paddr, unsigned size, uint64_t *value)
{
    uint8_t *p = phys_ram_ptr(pm, paddr, size);
    *value = 0;
    if (p) {
        *value = load_le(p, size);
        return true;
    }
    if (pm->rom && paddr - pm->rom_base < pm->rom_size &&
        size <= pm->rom_size - (paddr - pm->rom_base)) {
        memcpy(value, pm->rom + (paddr - pm->rom_base), size);
        return true;
    }
    MmioRegion *r = phys_find_mmio(pm, paddr);
    if (!r || size > r->size - (paddr - r->base))
        return false;
    *value = r->read ? r->read(r->opaque, paddr - r->base, size) : 0;
    if (size < 8)
        *value &= (1ull << (8 * size)) - 1;
    return true;
}

bool phys_write(PhysMem *pm, uint64_t paddr, unsigned size, uint64_t value)
{
    uint8_t *p = phys_ram_ptr_for_write(pm, paddr, size);
    if (p) {
        store_le(p, size, value);
        return true;
    }
    if (pm->rom && paddr - pm->rom_base < pm->rom_size)
        return true;   /* writes to ROM are ignored, like QEMU's mrom */
    MmioRegion *r = phys_find_mmio(pm, paddr);
    if (!r || size > r->size - (paddr - r->base))
        return false;
    if (r->write)
        r->write(r->opaque, paddr - r->base, value, size);
    return true;
}

bool phys_copy_from(PhysMem *pm, void *dst, uint64_t paddr, uint64_t len)
{
    uint8_t *p = phys_ram_ptr(pm, paddr, len);
    if (!p)
        return false;
    memcpy(dst, p, (size_t)len);
    return true;
}

bool phys_copy_to(PhysMem *pm, uint64_t paddr, const void *src, uint64_t len)
{
    uint8_t *p = phys_ram_ptr_for_write(pm, paddr, len);
    if (!p)
        return false;
    memcpy(p, src, (size_t)len);
    return true;
}
