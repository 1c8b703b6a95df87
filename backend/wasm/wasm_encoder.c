/* WebAssembly binary writer.  See wasm_encoder.h. */
#include "backend/wasm/wasm_encoder.h"

#include <stdlib.h>
#include <string.h>

void wbuf_init(WasmBuf *b)
{
    memset(b, 0, sizeof(*b));
}

void wbuf_free(WasmBuf *b)
{
    free(b->data);
    wbuf_init(b);
}

static bool reserve(WasmBuf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + extra)
        cap *= 2;
    uint8_t *grown = realloc(b->data, cap);
    if (!grown) {
        b->failed = true;
        return false;
    }
    b->data = grown;
    b->cap = cap;
    return true;
}

void wbuf_byte(WasmBuf *b, uint8_t v)
{
    if (reserve(b, 1))
        b->data[b->len++] = v;
}

void wbuf_bytes(WasmBuf *b, const void *data, size_t len)
{
    if (len && reserve(b, len)) {
        memcpy(b->data + b->len, data, len);
        b->len += len;
    }
}

void wbuf_u32(WasmBuf *b, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        wbuf_byte(b, byte | (v ? 0x80 : 0));
    } while (v);
}

void wbuf_s64(WasmBuf *b, int64_t v)
{
    for (;;) {
        uint8_t byte = v & 0x7f;
        v >>= 7;   /* arithmetic shift keeps the sign */
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        wbuf_byte(b, byte | (done ? 0 : 0x80));
        if (done)
            return;
    }
}

void wbuf_s32(WasmBuf *b, int32_t v)
{
    wbuf_s64(b, v);
}

void wbuf_name(WasmBuf *b, const char *s)
{
    size_t len = strlen(s);
    wbuf_u32(b, (uint32_t)len);
    wbuf_bytes(b, s, len);
}

void wbuf_section(WasmBuf *b, uint8_t id, const WasmBuf *body)
{
    wbuf_byte(b, id);
    wbuf_u32(b, (uint32_t)body->len);
    wbuf_bytes(b, body->data, body->len);
    if (body->failed)
        b->failed = true;
}

void wasm_op(WasmBuf *b, uint8_t opcode)
{
    wbuf_byte(b, opcode);
}

void wasm_local(WasmBuf *b, uint8_t opcode, uint32_t index)
{
    wbuf_byte(b, opcode);
    wbuf_u32(b, index);
}

void wasm_i32_const(WasmBuf *b, int32_t v)
{
    wbuf_byte(b, OP_I32_CONST);
    wbuf_s32(b, v);
}

void wasm_i64_const(WasmBuf *b, int64_t v)
{
    wbuf_byte(b, OP_I64_CONST);
    wbuf_s64(b, v);
}

void wasm_mem(WasmBuf *b, uint8_t opcode, uint32_t align_log2, uint32_t offset)
{
    wbuf_byte(b, opcode);
    wbuf_u32(b, align_log2);
    wbuf_u32(b, offset);
}
