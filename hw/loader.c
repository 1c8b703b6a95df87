/*
 * Loaders.  Every offset and size read from a file is checked against the
 * file and against guest RAM: a truncated or hostile image gets an error
 * message, never an out-of-bounds access.
 */
#include "hw/loader.h"
#include "system/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


uint8_t *load_file(const char *path, uint64_t max_size, size_t *size,
                   char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            size_t new_cap = cap ? cap * 2 : 1 << 20;
            if (new_cap > max_size + 1)
                new_cap = (size_t)max_size + 1;
            if (new_cap <= cap) {
                fail(err, errlen, "'%s' is too large (more than %llu bytes)",
                     path, (unsigned long long)max_size);
                free(buf);
                fclose(f);
                return NULL;
            }
            uint8_t *grown = realloc(buf, new_cap);
            if (!grown) {
                fail(err, errlen, "out of memory reading '%s'", path);
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
            cap = new_cap;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int read_errno = ferror(f) ? errno : 0;
    fclose(f);
    if (read_errno) {   /* a directory: "Is a directory" */
        fail(err, errlen, "error reading '%s': %s", path, strerror(read_errno));
        free(buf);
        return NULL;
    }
    if (len > max_size) {
        fail(err, errlen, "'%s' is too large", path);
        free(buf);
        return NULL;
    }
    *size = len;
    return buf;
}

/* ---- ELF ------------------------------------------------------------------ */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}
static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

enum { EM_RISCV = 243, PT_LOAD = 1, SHT_SYMTAB = 2 };

bool is_elf(const uint8_t *data, size_t size)
{
    return size >= 4 && !memcmp(data, "\177ELF", 4);
}

/* Is [off, off + len) inside a buffer of `size` bytes? */
static bool in_file(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

static void find_htif_symbols(const uint8_t *d, size_t size, LoadedImage *out)
{
    uint64_t shoff = rd64(d + 0x28);
    unsigned shentsize = rd16(d + 0x3a), shnum = rd16(d + 0x3c);
    if (shentsize < 64 || !in_file(shoff, (uint64_t)shentsize * shnum, size))
        return;
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *sh = d + shoff + (uint64_t)i * shentsize;
        if (rd32(sh + 4) != SHT_SYMTAB)
            continue;
        uint64_t symoff = rd64(sh + 0x18), symsize = rd64(sh + 0x20);
        unsigned link = rd32(sh + 0x28);
        if (link >= shnum || !in_file(symoff, symsize, size))
            return;
        const uint8_t *strsh = d + shoff + (uint64_t)link * shentsize;
        uint64_t stroff = rd64(strsh + 0x18), strsize = rd64(strsh + 0x20);
        if (!in_file(stroff, strsize, size))
            return;
        for (uint64_t s = 0; s + 24 <= symsize; s += 24) {
            const uint8_t *sym = d + symoff + s;
            uint32_t name = rd32(sym);
            if (name >= strsize)
                continue;
            const char *n = (const char *)d + stroff + name;
            size_t max = (size_t)(strsize - name);
            if (!strncmp(n, "tohost", max) && strnlen(n, max) == 6)
                out->tohost = rd64(sym + 8);
            else if (!strncmp(n, "fromhost", max) && strnlen(n, max) == 8)
                out->fromhost = rd64(sym + 8);
        }
        return;
    }
}

bool load_elf(PhysMem *pm, const uint8_t *d, size_t size, LoadedImage *out,
              char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (size < 64 || !is_elf(d, size))
        return fail(err, errlen, "not an ELF file (truncated header)");
    if (d[4] != 2 || d[5] != 1)
        return fail(err, errlen, "not a 64-bit little-endian ELF");
    if (rd16(d + 0x12) != EM_RISCV)
        return fail(err, errlen, "ELF is not for RISC-V (machine %u)",
                    rd16(d + 0x12));
    uint64_t phoff = rd64(d + 0x20);
    unsigned phentsize = rd16(d + 0x36), phnum = rd16(d + 0x38);
    if (phentsize < 56 || phnum == 0 ||
        !in_file(phoff, (uint64_t)phentsize * phnum, size))
        return fail(err, errlen, "ELF program headers are truncated");
    out->start = UINT64_MAX;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + (uint64_t)i * phentsize;
        if (rd32(ph) != PT_LOAD)
            continue;
        uint64_t off = rd64(ph + 8), paddr = rd64(ph + 0x18);
        uint64_t filesz = rd64(ph + 0x20), memsz = rd64(ph + 0x28);
        if (filesz > memsz || !in_file(off, filesz, size))
            return fail(err, errlen, "ELF segment %u is truncated", i);
        uint8_t *dst = phys_ram_ptr_for_write(pm, paddr, memsz);
        if (!dst)
            return fail(err, errlen, "ELF segment %u (0x%llx, %llu bytes) is "
                        "outside RAM", i, (unsigned long long)paddr,
                        (unsigned long long)memsz);
        memcpy(dst, d + off, (size_t)filesz);
        memset(dst + filesz, 0, (size_t)(memsz - filesz));
        if (paddr < out->start) out->start = paddr;
        if (paddr + memsz > out->end) out->end = paddr + memsz;
    }
    if (out->start == UINT64_MAX)
        return fail(err, errlen, "ELF has no loadable segment");
    out->entry = rd64(d + 0x18);
    out->is_elf = true;
    find_htif_symbols(d, size, out);
    return true;
}

/* ---- raw binaries and RISC-V Images ------------------------------------ */

/*
 * The bytes a Linux Image with an EFI stub must hold: its PE/COFF header
 * ("MZ" at 0, the PE header's offset at 0x3c) lists the sections' extents
 * in the file, and the last one ends the file.  0 when the Image has no
 * such header (then a cut file is not told from a whole one); UINT64_MAX
 * when the header itself runs past the end of the file.
 */
static uint64_t pe_file_size(const uint8_t *d, size_t size)
{
    if (size < 0x40 || memcmp(d, "MZ", 2))
        return 0;
    uint64_t pe = rd32(d + 0x3c);
    if (!in_file(pe, 24, size) || memcmp(d + pe, "PE\0\0", 4))
        return UINT64_MAX;
    unsigned n_sections = rd16(d + pe + 6), opt_size = rd16(d + pe + 20);
    uint64_t table = pe + 24 + opt_size;
    if (!in_file(table, (uint64_t)n_sections * 40, size))
        return UINT64_MAX;
    uint64_t end = 0;
    for (unsigned i = 0; i < n_sections; i++) {
        const uint8_t *sec = d + table + (uint64_t)i * 40;
        uint64_t sec_end = (uint64_t)rd32(sec + 20) + rd32(sec + 16);
        if (sec_end > end)
            end = sec_end;
    }
    return end;
}

bool load_raw(PhysMem *pm, const uint8_t *d, size_t size, uint64_t load_addr,
              bool kernel_image, LoadedImage *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    uint64_t footprint = size;
    if (kernel_image) {
        /* RISC-V Image header: magic "RISCV\0\0\0" at 48, "RSC\x05" at 56. */
        if (size < 64 || memcmp(d + 48, "RISCV\0\0\0", 8) ||
            memcmp(d + 56, "RSC\x05", 4))
            return fail(err, errlen, "kernel is neither an ELF nor a RISC-V "
                        "Image (bad header magic)");
        uint64_t image_size = rd64(d + 16);
        if (image_size < size || image_size > pm->ram_size)
            return fail(err, errlen, "kernel Image header is corrupt "
                        "(image_size %llu, file %zu bytes)",
                        (unsigned long long)image_size, size);
        uint64_t whole = pe_file_size(d, size);
        if (whole == UINT64_MAX)
            return fail(err, errlen, "kernel Image is truncated (%zu bytes, "
                        "cut inside its PE header)", size);
        if (whole > size)
            return fail(err, errlen, "kernel Image is truncated (%zu bytes, "
                        "its PE header lists %llu)", size, (unsigned long long)whole);
        footprint = image_size;
    }
    uint8_t *dst = phys_ram_ptr_for_write(pm, load_addr, footprint);
    if (!dst)
        return fail(err, errlen, "image of %llu bytes does not fit in RAM at "
                    "0x%llx", (unsigned long long)footprint,
                    (unsigned long long)load_addr);
    memcpy(dst, d, size);
    out->entry = load_addr;
    out->start = load_addr;
    out->end = load_addr + footprint;
    return true;
}
