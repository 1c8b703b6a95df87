/* Flattened device tree writer: structure block + strings block. */
#include "hw/fdt.h"

#include <string.h>

enum { FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_END = 9 };
#define FDT_MAGIC 0xd00dfeedu

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

void fdt_init(Fdt *f)
{
    memset(f, 0, sizeof(*f));
}

static void emit(Fdt *f, const void *data, size_t len)
{
    size_t padded = (len + 3) & ~(size_t)3;
    if (f->struct_len + padded > FDT_MAX_STRUCT) {
        f->overflow = true;
        return;
    }
    memcpy(f->structure + f->struct_len, data, len);
    memset(f->structure + f->struct_len + len, 0, padded - len);
    f->struct_len += padded;
}

static void emit_u32(Fdt *f, uint32_t v)
{
    uint8_t b[4];
    put_be32(b, v);
    emit(f, b, 4);
}

/* Offset of name in the strings block, adding it once. */
static uint32_t string_offset(Fdt *f, const char *name)
{
    size_t len = strlen(name) + 1;
    for (size_t off = 0; off < f->strings_len; off += strlen(f->strings + off) + 1)
        if (!strcmp(f->strings + off, name))
            return (uint32_t)off;
    if (f->strings_len + len > FDT_MAX_STRINGS) {
        f->overflow = true;
        return 0;
    }
    memcpy(f->strings + f->strings_len, name, len);
    f->strings_len += len;
    return (uint32_t)(f->strings_len - len);
}

void fdt_begin_node(Fdt *f, const char *name)
{
    emit_u32(f, FDT_BEGIN_NODE);
    emit(f, name, strlen(name) + 1);
    f->depth++;
}

void fdt_end_node(Fdt *f)
{
    emit_u32(f, FDT_END_NODE);
    f->depth--;
}

void fdt_prop(Fdt *f, const char *name, const void *data, size_t len)
{
    emit_u32(f, FDT_PROP);
    emit_u32(f, (uint32_t)len);
    emit_u32(f, string_offset(f, name));
    if (len)
        emit(f, data, len);
}

void fdt_prop_u32(Fdt *f, const char *name, uint32_t v)
{
    fdt_prop_cells(f, name, &v, 1);
}

void fdt_prop_u64(Fdt *f, const char *name, uint64_t v)
{
    uint32_t cells[2] = { (uint32_t)(v >> 32), (uint32_t)v };
    fdt_prop_cells(f, name, cells, 2);
}

void fdt_prop_cells(Fdt *f, const char *name, const uint32_t *cells, size_t n)
{
    uint8_t buf[256];
    if (n * 4 > sizeof(buf)) {
        f->overflow = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        put_be32(buf + 4 * i, cells[i]);
    fdt_prop(f, name, buf, n * 4);
}

void fdt_prop_string(Fdt *f, const char *name, const char *s)
{
    fdt_prop(f, name, s, strlen(s) + 1);
}

void fdt_prop_strings(Fdt *f, const char *name, const char *const *list,
                      size_t n)
{
    char buf[256];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(list[i]) + 1;
        if (len + l > sizeof(buf)) {
            f->overflow = true;
            return;
        }
        memcpy(buf + len, list[i], l);
        len += l;
    }
    fdt_prop(f, name, buf, len);
}

void fdt_prop_empty(Fdt *f, const char *name)
{
    fdt_prop(f, name, NULL, 0);
}

size_t fdt_finish(Fdt *f, uint8_t *out, size_t cap)
{
    emit_u32(f, FDT_END);
    const size_t header = 40, rsvmap = 16;
    size_t off_struct = header + rsvmap;
    size_t off_strings = off_struct + f->struct_len;
    size_t total = off_strings + f->strings_len;
    if (f->overflow || f->depth != 0 || total > cap)
        return 0;
    memset(out, 0, total);
    put_be32(out + 0, FDT_MAGIC);
    put_be32(out + 4, (uint32_t)total);
    put_be32(out + 8, (uint32_t)off_struct);
    put_be32(out + 12, (uint32_t)off_strings);
    put_be32(out + 16, (uint32_t)header);      /* memory reservation map */
    put_be32(out + 20, 17);                    /* version */
    put_be32(out + 24, 16);                    /* last compatible version */
    put_be32(out + 28, 0);                     /* boot cpu */
    put_be32(out + 32, (uint32_t)f->strings_len);
    put_be32(out + 36, (uint32_t)f->struct_len);
    memcpy(out + off_struct, f->structure, f->struct_len);
    memcpy(out + off_strings, f->strings, f->strings_len);
    return total;
}
