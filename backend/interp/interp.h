/*
 * The interpreter tier: IR lowered to a compact, pre-decoded bytecode and run
 * by a direct-threaded dispatch loop (computed goto where the compiler has
 * it, a switch otherwise).  Every TB runs here first; natively it is the
 * only tier.
 */
#ifndef WASMU_INTERP_H
#define WASMU_INTERP_H

#include "exec/tb.h"

/* Lower blk into bytecode in the TB arena; sets tb->code / tb->code_len.
 * Returns false when the arena is full (caller flushes and retries). */
bool interp_lower(TbCache *cache, TranslationBlock *tb, const IrBlock *blk);

/* How a run of chained TBs ended. */
typedef struct InterpExit {
    ExecStatus status;
    TranslationBlock *last_tb;  /* TB that left (for chaining its exit) */
    int exit_slot;              /* GOTO_TB slot 0/1, or -1 */
} InterpExit;

/* Run tb (already charged against cpu->budget) and whatever it chains to.
 * cpu->pc holds the next guest pc on return. */
InterpExit interp_exec(CpuCommon *cpu, TranslationBlock *tb);

#endif
