/*
 * Translation blocks and their cache.
 *
 * A TB is the translation of a straight run of guest code that starts at one
 * (virtual pc, physical pc, flags) and stays in one guest page, but for a
 * TB of one instruction whose second half starts the next page (it then
 * belongs to both pages, see tb_straddles).  It holds
 * the interpreter's bytecode and, once hot, the Wasm tier's compiled entry.
 * TB memory is never freed one by one: an invalidated TB is flagged and
 * unlinked from lookups; everything is reclaimed by a full flush when the
 * cache fills (`-accel tcg,tb-size=MB`).
 */
#ifndef WASMU_TB_H
#define WASMU_TB_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/cpu_common.h"

enum { TB_IND_TARGETS = 4 };

struct TranslationBlock {
    uint64_t pc;            /* guest virtual pc of the first instruction */
    uint64_t phys_pc;       /* guest physical pc */
    uint32_t flags;         /* CpuCommon.tb_flags at translation */
    uint16_t size;          /* bytes of guest code */
    uint16_t icount;        /* guest instructions */
    bool invalid;
    uint8_t mmu_idx_data;
    uint32_t exec_count;    /* for tiering */
    /* Chaining: successor for GOTO_TB exit 0/1 (NULL: go through the loop). */
    TranslationBlock *jmp_target[2];
    TranslationBlock *hash_next;
    TranslationBlock *page_next;   /* TBs starting in the same phys page */
    /* A straddling TB: the physical page of its bytes past the first page,
     * and its link in that page's list. */
    uint64_t phys_page2;
    TranslationBlock *page_next2;
    void *code;             /* interpreter bytecode (backend/interp) */
    uint32_t code_len;
    int32_t wasm_entry;     /* function table index of Wasm code; 0: none */
    uint8_t wasm_member;    /* this TB's member index in that region */
    /* The compiled region (table index) that last left to this TB while
     * it had no code of its own: a region built around it takes code of
     * that region in again (add_member), and it tiers up sooner
     * (tb_is_hot). */
    int32_t wasm_left_from;
    /* Where its indirect jump went lately, most recent first (the Wasm
     * tier's regions take them in). */
    TranslationBlock *ind_targets[TB_IND_TARGETS];
};

/* Whether tb's code runs past its first page (one instruction at the end
 * of a page).  Such a TB is found only while its second page maps the
 * same physical page, is never chained to and never compiled to Wasm. */
static inline bool tb_straddles(const TranslationBlock *tb)
{
    return (tb->pc & ~GUEST_PAGE_MASK) + tb->size > GUEST_PAGE_SIZE;
}

/*
 * Whether tb has run often enough for the Wasm tier: tier_up runs
 * (CpuCommon.jit_tier_up; UINT32_MAX: never), or fewer for a TB of
 * TB_LONG_ICOUNT instructions or more, counted as icount / 8 runs each.
 * Linux's boot runs an unrolled hash (8 KB of straight code in TBs of 64
 * instructions, ~7800 times each) and the like on the interpreter: about
 * a third of the instructions it interpreted.  Under Node the boot went
 * 0.52 -> 0.45 s (24% -> 37% of it in Wasm), guest workloads the same.
 * Counting every TB past 8 instructions so made repeat runs of zstd and
 * xz 7-12% slower: regions built early around lukewarm code hold TBs that
 * the later, hot regions may not take in (chain steps 11M -> 18M).
 * A TB that compiled code left to (wasm_left_from) counts each run twice:
 * it carries on a hot path (xz's first run under Node 5-8% faster, the
 * rest the same, 2 x 4 rounds; counted four times: no better).
 */
enum { TB_LONG_ICOUNT = 32 };

static inline bool tb_is_hot(const TranslationBlock *tb, uint32_t tier_up)
{
    uint64_t weight = tb->icount >= TB_LONG_ICOUNT ? tb->icount : 8;
    if (tb->wasm_left_from)
        weight *= 2;
    return tier_up != UINT32_MAX &&
           (uint64_t)tb->exec_count * weight >= (uint64_t)tier_up * 8;
}

/* Note that tb's indirect jump went to next (on the interpreter's hot
 * path: the usual case, the same target again, only reads). */
static inline void tb_note_ind_target(TranslationBlock *tb, TranslationBlock *next)
{
    if (tb->ind_targets[0] == next)
        return;
    unsigned i = 1;
    while (i < TB_IND_TARGETS - 1 && tb->ind_targets[i] != next)
        i++;
    for (; i > 0; i--)
        tb->ind_targets[i] = tb->ind_targets[i - 1];
    tb->ind_targets[0] = next;
}

/* Allocate space in the TB arena; NULL when full (caller flushes). */
void *tb_arena_alloc(TbCache *cache, size_t size);

TbCache *tb_cache_new(size_t arena_bytes);
void tb_cache_free(TbCache *cache);

/* Lookup by (pc, phys_pc, flags); NULL when absent or invalid. */
TranslationBlock *tb_cache_find(TbCache *cache, uint64_t pc, uint64_t phys_pc,
                                uint32_t flags);
/* Fast per-vaddr jump cache (cleared on TLB flush). */
TranslationBlock *tb_jmp_cache_get(TbCache *cache, uint64_t pc, uint32_t flags);
void tb_jmp_cache_clear(TbCache *cache);
/* Forget the jump-cache entries of TBs starting in vaddr's page. */
void tb_jmp_cache_clear_page(TbCache *cache, uint64_t vaddr);

/* Find or translate the TB at cpu->pc.  NULL with cpu->exc_pending set on
 * a fetch fault. */
TranslationBlock *tb_lookup_or_translate(CpuCommon *cpu);

/* Invalidate every TB whose code overlaps [paddr, paddr+len). */
void tb_invalidate_phys_range(CpuCommon *cpu, uint64_t paddr, uint64_t len);
/* Drop all translations (fence.i does not need this; tb-size overflow). */
void tb_flush_all(CpuCommon *cpu);

/* Record a compiled function so a flush can release it. */
void tb_note_wasm_entry(TbCache *cache, int32_t entry);

typedef struct TbStats {
    uint64_t translated, invalidated, flushes, arena_used, arena_size;
    /* wasm_compiled: regions (one per entry TB); wasm_members: other TBs
     * that took a region being compiled as their code */
    uint64_t wasm_compiled, wasm_members, wasm_modules, wasm_bytes, wasm_live,
             wasm_compile_ns;
} TbStats;
void tb_cache_stats(TbCache *cache, TbStats *out);

/*
 * Target hook: translate guest code at tb->pc (tb->phys_pc, tb->flags) into
 * IR, filling blk, tb->size and tb->icount.  Returns false with an exception
 * raised if the very first instruction cannot be fetched.
 */
bool target_translate(CpuCommon *cpu, TranslationBlock *tb, IrBlock *blk);

#endif
