/* A small flattened-device-tree writer (DTB format version 17). */
#ifndef WASMU_FDT_H
#define WASMU_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { FDT_MAX_STRUCT = 16384, FDT_MAX_STRINGS = 4096 };

typedef struct Fdt {
    uint8_t structure[FDT_MAX_STRUCT];
    size_t struct_len;
    char strings[FDT_MAX_STRINGS];
    size_t strings_len;
    int depth;
    bool overflow;
} Fdt;

void fdt_init(Fdt *f);
void fdt_begin_node(Fdt *f, const char *name);
void fdt_end_node(Fdt *f);
void fdt_prop(Fdt *f, const char *name, const void *data, size_t len);
void fdt_prop_u32(Fdt *f, const char *name, uint32_t v);
void fdt_prop_u64(Fdt *f, const char *name, uint64_t v);
void fdt_prop_cells(Fdt *f, const char *name, const uint32_t *cells, size_t n);
void fdt_prop_string(Fdt *f, const char *name, const char *s);
/* Several NUL-separated strings, e.g. compatible lists. */
void fdt_prop_strings(Fdt *f, const char *name, const char *const *list,
                      size_t n);
void fdt_prop_empty(Fdt *f, const char *name);
/* Serialise into out (cap bytes); returns the blob size or 0 on error. */
size_t fdt_finish(Fdt *f, uint8_t *out, size_t cap);

#endif
