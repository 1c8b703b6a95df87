/*
 * The architecture-neutral part of a guest CPU: what the execution tiers
 * (interpreter, Wasm) and the soft MMU touch on every instruction.
 * A target's CPU struct (e.g. RiscvCpu) embeds CpuCommon as its first member.
 *
 * Layout matters: generated Wasm code addresses these fields by offset
 * (offsetof at build time), so the struct is plain data at a fixed address
 * for the machine's lifetime.
 */
#ifndef WASMU_CPU_COMMON_H
#define WASMU_CPU_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"

#define GUEST_PAGE_BITS 12
#define GUEST_PAGE_SIZE (1u << GUEST_PAGE_BITS)
#define GUEST_PAGE_MASK (~(uint64_t)(GUEST_PAGE_SIZE - 1))

/*
 * Soft-MMU TLB: direct mapped, one table per MMU index.
 * An entry maps a guest virtual page to host memory: host = vaddr + addend.
 * A tag holds the page address of the mapping for that access kind; the
 * fast path compares (vaddr & (PAGE_MASK | (size-1))) with the tag, so a
 * misaligned access or a tag with one of the TLB_FLAG bits set (which live
 * between the alignment bits and the page bits) falls to the slow path.
 *
 * Conflicts: in about one zstd run in four inside Linux, a page of the
 * binary's data and one of an mmap'd buffer (placed at random by ASLR)
 * share an index and evict each other on every access: 2-3.7M refills
 * per run instead of ~0.1M, ~15% slower.  Measured against it and
 * reverted: folding higher address bits into the index (two more ops on
 * every access: Linux workloads 5-8% slower), and two ways with the
 * second probed out of line (compiled code 10% larger, first runs ~5-10%
 * slower, repeats no faster).
 *
 * Size: 16384 entries (512 KiB per MMU index, 64 MiB of reach).  xz -3 in
 * Linux works on ~30 MiB: with 4096 entries it refilled the TLB ~0.9M
 * times per run, with 16384 ~0.1M (what is left are refills after
 * context-switch flushes; 65536 entries take none of those away), and ran
 * ~15% faster under Node (first run 1.35 -> 1.19 s, repeat 1.18 -> 1.00,
 * best of 4); zstd gained a little, Lua and the boot neither gained nor
 * lost.
 */
enum {
    TLB_BITS = 14,
    TLB_SIZE = 1 << TLB_BITS,
    TLB_ENTRY_SHIFT = 5,        /* sizeof(TlbEntry) == 32: index by shift */
    MMU_IDX_COUNT = 4,          /* target-defined meaning; RISC-V: U,S,M,S+SUM */
};
#define TLB_INVALID_TAG ((uint64_t)-1)
#define TLB_FLAG_MMIO     ((uint64_t)1 << 8)  /* device: go through mmio */
#define TLB_FLAG_NOTDIRTY ((uint64_t)1 << 9)  /* page holds translated code */

typedef struct TlbEntry {
    uint64_t tag_read;
    uint64_t tag_write;
    int64_t addend;       /* host address - guest vaddr (RAM pages) */
    uint64_t paddr;       /* guest physical page address */
} TlbEntry;
_Static_assert(sizeof(TlbEntry) == 1u << TLB_ENTRY_SHIFT, "TlbEntry size");

/*
 * Instruction fetches have a TLB of their own (as hardware has an ITLB):
 * filled only by fetches, so that the data accesses of a loop that hit the
 * same index of the data TLB do not evict its code page.  Compiled code
 * checks it when a region jumps into another page (emit_page_guard), and a
 * jump-cache hit never refills it: evicted by data, a guard failed on every
 * pass (zstd in Linux, second run: 9.5M region exits, 8.9M since).
 */
enum { TLB_EXEC_BITS = 8, TLB_EXEC_SIZE = 1 << TLB_EXEC_BITS };
typedef struct ExecTlbEntry {
    uint64_t tag;         /* page address, or TLB_INVALID_TAG */
    uint64_t paddr;
    int64_t addend;
} ExecTlbEntry;

/*
 * The data TLB indexes filled since each TLB's last flush, so that a flush
 * resets those entries instead of the whole 512 KiB (and a code page's
 * write protection visits only them).  Linux without ASIDs flushes on every
 * context switch, after ~120 fills on average (zstd in Linux): four memsets
 * of the then 128 KiB each time were ~2% of a first run.  Past TLB_FILL_LOG
 * fills the log is abandoned and the whole TLB is reset (an eighth of the
 * entries: a program with a big working set, like xz, fills that many
 * between context switches only now and then).
 */
enum { TLB_FILL_LOG = 2048 };
typedef struct TlbFillLog {
    bool complete;        /* false (e.g. zeroed): any entry may be valid */
    uint16_t count;
    uint16_t index[TLB_FILL_LOG];
} TlbFillLog;

enum MmuAccess { MMU_READ = 0, MMU_WRITE = 1, MMU_EXEC = 2 };

/* Why a run of guest code stopped. */
typedef enum ExecStatus {
    EXEC_CONTINUE = 0,     /* budget ran out or lookup miss: back to loop */
    EXEC_EXCEPTION = 1,    /* cpu->exc_pending is set, cpu->pc precise */
    EXEC_EXIT_REQUEST = 2, /* the machine asked to stop (poweroff, WFI, irq) */
} ExecStatus;

typedef struct TranslationBlock TranslationBlock;
typedef struct TbCache TbCache;
typedef struct Machine Machine;

/*
 * Under a debugger (system/gdbstub.c).  While active, TBs hold one
 * instruction and are never chained, so that every instruction starts at
 * the execution loop, which stops before a breakpoint (CPU_EXEC_DEBUG).
 * Switching it on or off flushes the TBs (cpu_debug_set_active).
 */
enum { CPU_MAX_BREAKPOINTS = 64 };
typedef struct CpuDebug {
    bool active;
    bool stepping;        /* one instruction, no interrupt taken first */
    bool skip_once;       /* resuming at a breakpoint: run it once */
    uint64_t skip_pc;
    unsigned n_breakpoints;
    uint64_t breakpoints[CPU_MAX_BREAKPOINTS];
} CpuDebug;

typedef struct CpuCommon {
    /* Slot file: guest globals then temporaries (see ir/ir.h). */
    uint64_t slots[IR_SLOT_COUNT];
    uint64_t pc;

    /* Exception raised by a helper or the soft MMU, taken by the loop. */
    bool exc_pending;
    /* Set by compiled code that left at a load or store its TLB fast path
     * could not do (cpu->pc is that instruction): the loop runs the next
     * TB on the interpreter, which does the slow path. */
    bool interp_once;
    uint64_t exc_cause;
    uint64_t exc_tval;

    /* Guest instructions the current slice may still run; TB entry
     * subtracts the TB's size and leaves to the loop when it is negative. */
    int64_t budget;
    /* Budget cpu_drop_budget took away (not run): kept out of the
     * instruction counts. */
    int64_t budget_dropped;
    /* Set asynchronously (device interrupt, poweroff) to stop at the next
     * TB boundary: the budget is zeroed too (cpu_exit_request). */
    volatile bool exit_request;

    /* While the Wasm tier re-translates a TB, instruction fetches read
     * the physical page the TB was translated from (fetch_pin_ppage for the
     * virtual page fetch_pin_vpage) instead of going through the current
     * mapping, which may by then be another process's or privilege's. */
    bool fetch_pinned;
    uint64_t fetch_pin_vpage, fetch_pin_ppage;

    /* Runs after which a TB goes to the Wasm tier (UINT32_MAX: never;
     * fewer for a long TB, see tb_is_hot): the interpreter leaves its
     * chain for such a TB, so that the loop queues it. */
    uint32_t jit_tier_up;

    /* Per-TB execution context, computed by the target: selects the TB
     * variant and the MMU index for data accesses. */
    uint32_t tb_flags;
    uint8_t mmu_idx_data;
    uint8_t mmu_idx_exec;

    /* Statistics */
    uint64_t insns_executed;     /* approximate: whole TBs */
    uint64_t insns_in_wasm;
    uint64_t wasm_calls;         /* compiled TBs entered from the loop */
    uint64_t wasm_chained;       /* ... and from compiled code (chaining) */
    uint64_t wasm_slow_exits;    /* left for the interpreter at a load/store */
    uint64_t tlb_fills;          /* soft-MMU refills (page walks) */
    uint64_t tlb_flushes;        /* whole-TLB flushes */
    uint64_t tlb_page_flushes;

    /* The TB whose GOTO_TB exit compiled code left through (it may have
     * branched or chained there from the TB the loop entered). */
    TranslationBlock *wasm_exit_tb;
    /* Table index of the compiled TB to call next (WASM_EXIT_CHAIN), and
     * of the one called: a region reads it on entry, to know jumps to its
     * own members. */
    int32_t wasm_chain;
    /* The member of the called region to start at (TranslationBlock.
     * wasm_member of the TB entered), read by the region on entry. */
    int32_t wasm_member;

    CpuDebug debug;

    /* LR/SC reservation (physical address, -1 none). */
    uint64_t reservation;

    Machine *machine;
    TbCache *tbs;

    TlbEntry tlb[MMU_IDX_COUNT][TLB_SIZE];
    ExecTlbEntry tlb_exec[MMU_IDX_COUNT][TLB_EXEC_SIZE];
    TlbFillLog tlb_filled[MMU_IDX_COUNT];
} CpuCommon;

static inline void cpu_raise(CpuCommon *cpu, uint64_t cause, uint64_t tval)
{
    cpu->exc_pending = true;
    cpu->exc_cause = cause;
    cpu->exc_tval = tval;
}

/* End the slice after the current TB: the budget left is not run, so it
 * goes to budget_dropped, out of the instruction counts (insns_executed,
 * the guest's minstret). */
static inline void cpu_drop_budget(CpuCommon *cpu)
{
    if (cpu->budget > 0)
        cpu->budget_dropped += cpu->budget;
    cpu->budget = 0;
}

#endif
