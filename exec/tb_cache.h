/* TbCache internals shared by the exec layer (not by backends or targets). */
#ifndef WASMU_TB_CACHE_H
#define WASMU_TB_CACHE_H

#include "exec/exec.h"
#include "exec/memory.h"
#include "exec/tb.h"

enum {
    WASM_MAX_LIVE = 4000,      /* browsers limit live modules: flush past it */
    WASM_MAX_IN_FLIGHT = 1024, /* TBs queued or compiling in the background */
    WASM_BATCH_MAX = 16,       /* regions compiled into one module */
    TB_HASH_BITS = 15,
    TB_HASH_SIZE = 1 << TB_HASH_BITS,
    TB_JMP_BUCKET_BITS = 7,    /* jump cache: 128 page buckets ... */
    TB_JMP_SLOT_BITS = 6,      /* ... of 64 slots */
    TB_JMP_CACHE_SIZE = 1 << (TB_JMP_BUCKET_BITS + TB_JMP_SLOT_BITS),
};

typedef struct WasmBatch WasmBatch;

struct TbCache {
    uint8_t *arena;
    size_t arena_size, arena_used;
    /* Bumped by every full flush: TB pointers from before are stale. */
    uint64_t generation;
    TranslationBlock *hash[TB_HASH_SIZE];
    TranslationBlock *jmp_cache[TB_JMP_CACHE_SIZE];
    /* Per RAM page: first TB starting in that page (list via page_next). */
    TranslationBlock **page_tbs;
    /* Per RAM page: bumped whenever TBs of the page are invalidated, so a
     * Wasm region holding code of the page can tell it is stale. */
    uint32_t *code_gen;
    uint64_t n_pages;
    PhysMem *pm;
    ExecOptions opts;
    TbStats stats;
    IrBlock scratch;           /* IR of the TB being translated */
    /* Hot TBs waiting for the Wasm tier (wasm_entry WASM_ENTRY_QUEUED). */
    TranslationBlock *jit_queue[WASM_BATCH_MAX];
    unsigned n_jit_queue;
    /* Modules compiling in the background, and the regions they hold. */
    WasmBatch *wasm_pending;
    unsigned n_wasm_pending;
    /* Table indexes of the live Wasm functions, released by a flush. */
    int32_t *wasm_entries;
    size_t n_wasm_entries, cap_wasm_entries;
};

#endif
