/*
 * The Wasm tier: a hot TB's IR becomes one WebAssembly function
 *   (func (result i32))
 * in a module, which imports the emulator's memory and the C functions it
 * calls, keeps the TB's guest registers in Wasm locals and inlines the TLB
 * fast path.  A module belongs to the CPU it was compiled for: it
 * addresses that CpuCommon at a constant address.
 *
 * Contract with the execution loop (exec/cpu_exec.c): the loop charges the
 * TB's instructions to the budget, then calls the function; it returns
 *   WASM_EXIT_CONTINUE (0)  cpu->pc set, no chaining information
 *   WASM_EXIT_EXCEPTION (1) cpu->exc_* set, cpu->pc precise
 *   WASM_EXIT_GOTO_TB + n   left through GOTO_TB exit slot n (0/1) of the
 *                           TB in cpu->wasm_exit_tb
 *   WASM_EXIT_CHAIN (4)     the successor is compiled and already charged
 *                           to the budget: call cpu->wasm_chain next
 * with every guest register written back to the slot file.
 */
#ifndef WASMU_WASM_JIT_H
#define WASMU_WASM_JIT_H

#include "backend/wasm/wasm_encoder.h"
#include "exec/tb.h"

enum { WASM_EXIT_CONTINUE = 0, WASM_EXIT_EXCEPTION = 1, WASM_EXIT_GOTO_TB = 2,
       WASM_EXIT_CHAIN = 4 };

typedef int32_t (*WasmTbFn)(void);

enum {
    /* TBs compiled into one function.  V8's optimizing compile of a
     * region grows faster than its size, and new regions run slowly until
     * it is done: 16 against 24 made first runs in Linux 10-20% faster in
     * Chromium and under Node, repeats equal or faster (zstd, xz, Lua,
     * 3 rounds each); bare-metal sort, a loop of 21 TBs, 13% slower (12.8M
     * calls from region to region, ~10 ns each).  Measured again with 64
     * (breadth first, or hottest successor first): a quarter of the chain
     * steps, and under Node repeats of Lua ~20% and zstd ~10% faster, but
     * in Chromium zstd ~40% slower (repeats too: V8 still compiling) and
     * first runs slower in both.  Recompiling only the TBs chained into
     * 50k or 500k times with 64 members: Lua ~10% faster, xz and zstd
     * slower.  (Minimum of 6-15 runs each, the builds taking turns.)
     * What V8 compiles is IR ops, not TBs: four regions in five stopped
     * at 16 TBs with only ~110-140 ops (Lua's are short TBs), while some
     * hold 500.  So past WASM_REGION_FULL members a region grows on, to
     * WASM_REGION_GROWN, while its members hold at most WASM_REGION_OPS IR
     * ops in all: Lua in Linux ~7-10% faster under Node and in Chromium,
     * first runs and repeats, zstd and xz the same, bare-metal sort 1350
     * -> 1600 MIPS; with 48 members or 384 ops xz got ~10% slower.
     * Lua's hot loop still spread over three regions of 32 short members
     * (~200-235 ops each), which the cap refused one another: 30M of the
     * 39M chain steps over a boot and two runs went between them.  So a
     * member run at least an eighth as often as the entry may join past
     * WASM_REGION_GROWN members, up to WASM_REGION_MAX and
     * WASM_REGION_HOT_OPS: chain steps 39M -> 5M, under Node Lua first
     * runs ~12% and repeats ~17% faster, in Chromium ~9% and ~14%; xz,
     * zstd, boot, bare metal the same (zstd's first run in Chromium ~5%
     * slower); 768 ops made Lua's first run slower again. */
    WASM_REGION_FULL = 16,
    WASM_REGION_GROWN = 32,
    WASM_REGION_OPS = 256,
    WASM_REGION_MAX = 64,
    WASM_REGION_HOT_OPS = 512,
    WASM_MEMBER_MIN_EXEC = 256,   /* runs for a TB to join a region (cold
                                     code only slows compiling) */
};

/* tb->wasm_entry: > 0 the table index of its compiled region, else: */
enum { WASM_ENTRY_NONE = 0, WASM_ENTRY_FAILED = -1, WASM_ENTRY_QUEUED = -2,
       WASM_ENTRY_PENDING = -3 /* compiling in the background */ };

/*
 * A module under construction: one function per region of TBs of one guest
 * or a few pages (tbs[0] is the entry; GOTO_TBs between members become
 * branches of a dispatch loop, guarded where they change page: cache gives
 * the pages' code generations).  chain: exits chain to compiled successors
 * (WASM_EXIT_CHAIN).  add_region returns the function's export index
 * ("0", "1", ...), or UINT32_MAX if the IR uses something the tier does
 * not compile or the module holds WASM_BATCH_MAX functions already (the
 * module is unchanged then).  finish frees the builder.
 */
typedef struct WasmModuleBuilder WasmModuleBuilder;
WasmModuleBuilder *wasm_module_new(const CpuCommon *cpu, bool chain,
                                   const TbCache *cache);
unsigned wasm_module_add_region(WasmModuleBuilder *b,
                                const TranslationBlock *const *tbs,
                                const IrBlock *const *blks, unsigned n);
bool wasm_module_finish(WasmModuleBuilder *b, WasmBuf *module);
/* Encode a module for tb alone, run on cpu, without chaining. */
bool wasm_encode_tb(const CpuCommon *cpu, const TranslationBlock *tb,
                    const IrBlock *blk, WasmBuf *module);

/* Queue a hot TB for the Wasm tier; true when the queue is full (the
 * caller then compiles it). */
bool wasm_jit_enqueue(CpuCommon *cpu, TranslationBlock *tb);
/* Compile the queue as one module; sets each TB's wasm_entry to its
 * function's table index (at once, or when the background compile
 * settles: WASM_ENTRY_PENDING meanwhile), or WASM_ENTRY_FAILED (native
 * builds, refused IR). */
void wasm_jit_compile_queued(CpuCommon *cpu);
/* The cache is going away: background compiles still running must not
 * touch it when they settle. */
void wasm_jit_forget_pending(TbCache *cache);
/* Compile a module's bytes synchronously and instantiate it against our
 * memory and the C functions it imports; returns its function's table
 * index, 0 on failure or where there is no Wasm host. */
int32_t wasm_jit_install(const uint8_t *bytes, size_t len);
/* Release the table slots of compiled TBs (on TB cache flush). */
void wasm_jit_release(int32_t entry);

#endif
