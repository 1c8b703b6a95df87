/*
 * A small WebAssembly binary writer: a growable byte buffer, LEB128, and the
 * opcodes the Wasm tier emits.  Plain C: it runs natively too (tests).
 */
#ifndef WASMU_WASM_ENCODER_H
#define WASMU_WASM_ENCODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct WasmBuf {
    uint8_t *data;
    size_t len, cap;
    bool failed;          /* allocation failed: the module is discarded */
} WasmBuf;

void wbuf_init(WasmBuf *b);
void wbuf_free(WasmBuf *b);
void wbuf_byte(WasmBuf *b, uint8_t v);
void wbuf_bytes(WasmBuf *b, const void *data, size_t len);
void wbuf_u32(WasmBuf *b, uint32_t v);      /* unsigned LEB128 */
void wbuf_s32(WasmBuf *b, int32_t v);       /* signed LEB128 */
void wbuf_s64(WasmBuf *b, int64_t v);
void wbuf_name(WasmBuf *b, const char *s);
/* Append a section: id, then the LEB length of `body`, then body. */
void wbuf_section(WasmBuf *b, uint8_t id, const WasmBuf *body);

/* Value types and opcodes used by the backend. */
enum {
    WT_I32 = 0x7f, WT_I64 = 0x7e, WT_F64 = 0x7c, WT_FUNCREF = 0x70, WT_FUNC = 0x60,
    WT_VOID = 0x40,
};
enum {
    OP_UNREACHABLE = 0x00, OP_BLOCK = 0x02, OP_IF = 0x04, OP_ELSE = 0x05, OP_END = 0x0b,
    OP_BR = 0x0c, OP_BR_IF = 0x0d, OP_RETURN = 0x0f, OP_CALL = 0x10,
    OP_SELECT = 0x1b, OP_LOCAL_GET = 0x20, OP_LOCAL_SET = 0x21,
    OP_LOCAL_TEE = 0x22,
    OP_I32_LOAD = 0x28, OP_I64_LOAD = 0x29, OP_F64_LOAD = 0x2b,
    OP_I32_LOAD8_U = 0x2d,
    OP_I64_LOAD8_S = 0x30, OP_I64_LOAD8_U = 0x31, OP_I64_LOAD16_S = 0x32,
    OP_I64_LOAD16_U = 0x33, OP_I64_LOAD32_S = 0x34, OP_I64_LOAD32_U = 0x35,
    OP_I32_STORE = 0x36, OP_I64_STORE = 0x37, OP_F64_STORE = 0x39,
    OP_I32_STORE8 = 0x3a,
    OP_I64_STORE8 = 0x3c, OP_I64_STORE16 = 0x3d, OP_I64_STORE32 = 0x3e,
    OP_I32_CONST = 0x41, OP_I64_CONST = 0x42,
    OP_I32_EQZ = 0x45, OP_I32_EQ = 0x46, OP_I32_NE = 0x47, OP_I32_LT_S = 0x48,
    OP_I64_EQZ = 0x50, OP_I64_EQ = 0x51, OP_I64_NE = 0x52, OP_I64_LT_S = 0x53,
    OP_I64_LT_U = 0x54, OP_I64_LE_S = 0x57, OP_I64_GE_S = 0x59,
    OP_I64_GE_U = 0x5a,
    OP_I32_ADD = 0x6a, OP_I32_SUB = 0x6b, OP_I32_MUL = 0x6c,
    OP_I32_AND = 0x71, OP_I32_OR = 0x72, OP_I32_XOR = 0x73, OP_I32_SHL = 0x74,
    OP_I32_SHR_S = 0x75, OP_I32_SHR_U = 0x76,
    OP_I64_ADD = 0x7c, OP_I64_SUB = 0x7d, OP_I64_MUL = 0x7e,
    OP_I64_AND = 0x83, OP_I64_OR = 0x84, OP_I64_XOR = 0x85, OP_I64_SHL = 0x86,
    OP_I64_SHR_S = 0x87, OP_I64_SHR_U = 0x88,
    OP_F64_ADD = 0xa0, OP_F64_SUB = 0xa1, OP_F64_MUL = 0xa2, OP_F64_DIV = 0xa3,
    OP_I32_WRAP_I64 = 0xa7, OP_I64_EXTEND_I32_S = 0xac,
    OP_I64_EXTEND_I32_U = 0xad,
    OP_I64_EXTEND8_S = 0xc2, OP_I64_EXTEND16_S = 0xc3,
    OP_I64_EXTEND32_S = 0xc4,
    OP_I64_REINTERPRET_F64 = 0xbd, OP_F64_REINTERPRET_I64 = 0xbf,
};

/* Instruction helpers. */
void wasm_op(WasmBuf *b, uint8_t opcode);
void wasm_local(WasmBuf *b, uint8_t opcode, uint32_t index);
void wasm_i32_const(WasmBuf *b, int32_t v);
void wasm_i64_const(WasmBuf *b, int64_t v);
void wasm_mem(WasmBuf *b, uint8_t opcode, uint32_t align_log2,
              uint32_t offset);

#endif
