/*
 * The Wasm tier: a hot TB's IR becomes one WebAssembly function
 *   (func (param $cpu i32) (result i32))
 * in its own module, which imports the emulator's memory and function
 * table, keeps the TB's guest registers in Wasm locals, inlines the TLB fast
 * path and calls helpers through the table.
 *
 * Contract with the execution loop (exec/cpu_exec.c): the loop charges the
 * TB's instructions to the budget, then calls the function; it returns
 *   WASM_EXIT_CONTINUE (0)  cpu->pc set, no chaining information
 *   WASM_EXIT_EXCEPTION (1) cpu->exc_* set, cpu->pc precise
 *   WASM_EXIT_GOTO_TB + n   left through GOTO_TB exit slot n (0/1)
 * with every guest register written back to the slot file.
 */
#ifndef WASMU_WASM_JIT_H
#define WASMU_WASM_JIT_H

#include "backend/wasm/wasm_encoder.h"
#include "exec/tb.h"

enum { WASM_EXIT_CONTINUE = 0, WASM_EXIT_EXCEPTION = 1, WASM_EXIT_GOTO_TB = 2 };

typedef int32_t (*WasmTbFn)(CpuCommon *cpu);

enum { WASM_REGION_MAX = 24 };   /* TBs compiled into one function */

/* Encode one function for a region of TBs of one guest page: tbs[0] is the
 * entry; GOTO_TBs between members become branches of a dispatch loop.
 * False if the IR uses something the tier does not compile. */
bool wasm_encode_region(const TranslationBlock *const *tbs,
                        const IrBlock *const *blks, unsigned n,
                        WasmBuf *module);
/* Encode a module for tb alone. */
bool wasm_encode_tb(const TranslationBlock *tb, const IrBlock *blk,
                    WasmBuf *module);

/* Compile tb (re-translating its guest code) and install it: sets
 * tb->wasm_entry to the function's table index, or -1 if it cannot be
 * compiled here (native builds, or a refused IR). */
void wasm_jit_compile(CpuCommon *cpu, TranslationBlock *tb);
/* Instantiate a module's bytes against our memory and table; returns the
 * function's table index, 0 on failure or where there is no Wasm host. */
int32_t wasm_jit_install(const uint8_t *bytes, size_t len);
/* Release the table slots of compiled TBs (on TB cache flush). */
void wasm_jit_release(int32_t entry);

#endif
