/*
 * The TB cache: find or translate the TB for the current pc, keep per-page
 * lists for invalidation when guest code is written, flush when full.
 */
#include "exec/tb_cache.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backend/interp/interp.h"
#include "backend/wasm/wasm_jit.h"
#include "exec/softmmu.h"

#define ARENA_ALIGN 16

TbCache *tb_cache_new(size_t arena_bytes)
{
    TbCache *cache = calloc(1, sizeof(*cache));
    if (!cache)
        return NULL;
    cache->arena = malloc(arena_bytes);
    if (!cache->arena) {
        free(cache);
        return NULL;
    }
    cache->arena_size = arena_bytes;
    cache->stats.arena_size = arena_bytes;
    return cache;
}

static void release_wasm(TbCache *cache)
{
    for (size_t i = 0; i < cache->n_wasm_entries; i++)
        wasm_jit_release(cache->wasm_entries[i]);
    cache->n_wasm_entries = 0;
    cache->stats.wasm_live = 0;
}

void tb_note_wasm_entry(TbCache *cache, int32_t entry)
{
    if (cache->n_wasm_entries == cache->cap_wasm_entries) {
        size_t cap = cache->cap_wasm_entries ? cache->cap_wasm_entries * 2 : 256;
        int32_t *grown = realloc(cache->wasm_entries, cap * sizeof(*grown));
        if (!grown)
            return;
        cache->wasm_entries = grown;
        cache->cap_wasm_entries = cap;
    }
    cache->wasm_entries[cache->n_wasm_entries++] = entry;
    cache->stats.wasm_live = cache->n_wasm_entries;
}

void tb_cache_free(TbCache *cache)
{
    if (!cache)
        return;
    release_wasm(cache);
    wasm_jit_forget_pending(cache);
    free(cache->wasm_entries);
    free(cache->page_tbs);
    free(cache->code_gen);
    free(cache->arena);
    free(cache);
}

void *tb_arena_alloc(TbCache *cache, size_t size)
{
    size_t start = (cache->arena_used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (start + size > cache->arena_size)
        return NULL;
    cache->arena_used = start + size;
    return cache->arena + start;
}

static unsigned tb_hash(uint64_t pc, uint64_t phys_pc, uint32_t flags)
{
    uint64_t h = (pc >> 1) * 0x9e3779b97f4a7c15ull ^ (phys_pc >> 1) ^
                 ((uint64_t)flags << 40);
    h ^= h >> 29;
    return (unsigned)(h & (TB_HASH_SIZE - 1));
}

/*
 * The jump cache is split by guest page: the high bits pick a bucket from
 * the page number, the low bits a slot from the offset in the page, so
 * that flushing one page's mapping clears one small bucket.
 */
static unsigned jmp_bucket(uint64_t pc)
{
    uint64_t page = pc >> GUEST_PAGE_BITS;
    return (unsigned)((page ^ (page >> TB_JMP_BUCKET_BITS)) &
                      ((1u << TB_JMP_BUCKET_BITS) - 1));
}

static unsigned jmp_hash(uint64_t pc)
{
    unsigned slot = (unsigned)(((pc >> 1) ^ (pc >> 7)) & ((1u << TB_JMP_SLOT_BITS) - 1));
    return (jmp_bucket(pc) << TB_JMP_SLOT_BITS) | slot;
}

TranslationBlock *tb_cache_find(TbCache *cache, uint64_t pc, uint64_t phys_pc,
                                uint32_t flags)
{
    TranslationBlock *tb = cache->hash[tb_hash(pc, phys_pc, flags)];
    for (; tb; tb = tb->hash_next)
        if (tb->pc == pc && tb->phys_pc == phys_pc && tb->flags == flags)
            return tb;
    return NULL;
}

/* The two ways of pc's set (slots 2k and 2k+1 of its bucket). */
static TranslationBlock **jmp_set(TbCache *cache, uint64_t pc)
{
    return &cache->jmp_cache[jmp_hash(pc) & ~1u];
}

/*
 * Two ways per set, the one filled last first: with one, the two hottest
 * opcode handlers of Lua's interpreter shared a slot and evicted each other
 * ~3.7M times per run of the Lua benchmark, each time through a return to
 * the loop and a hash lookup.
 */
TranslationBlock *tb_jmp_cache_get(TbCache *cache, uint64_t pc, uint32_t flags)
{
    TranslationBlock **set = jmp_set(cache, pc);
    for (unsigned way = 0; way < 2; way++) {
        TranslationBlock *tb = set[way];
        if (tb && tb->pc == pc && tb->flags == flags)
            return tb;
    }
    return NULL;
}

static void jmp_cache_put(TbCache *cache, TranslationBlock *tb)
{
    TranslationBlock **set = jmp_set(cache, tb->pc);
    if (set[0] != tb)
        set[1] = set[0];
    set[0] = tb;
}

static void jmp_cache_drop(TbCache *cache, const TranslationBlock *tb)
{
    TranslationBlock **set = jmp_set(cache, tb->pc);
    for (unsigned way = 0; way < 2; way++)
        if (set[way] == tb)
            set[way] = NULL;
}

void tb_jmp_cache_clear(TbCache *cache)
{
    memset(cache->jmp_cache, 0, sizeof(cache->jmp_cache));
}

void tb_jmp_cache_clear_page(TbCache *cache, uint64_t vaddr)
{
    memset(&cache->jmp_cache[jmp_bucket(vaddr) << TB_JMP_SLOT_BITS], 0,
           sizeof(cache->jmp_cache[0]) << TB_JMP_SLOT_BITS);
}

void tb_cache_stats(TbCache *cache, TbStats *out)
{
    *out = cache->stats;
    out->arena_used = cache->arena_used;
}

/* ---- code pages ---------------------------------------------------------- */

static bool ram_page_index(TbCache *cache, uint64_t paddr, uint64_t *index)
{
    PhysMem *pm = cache->pm;
    if (!pm || !phys_is_ram(pm, paddr))
        return false;
    *index = (paddr - pm->ram_base) >> GUEST_PAGE_BITS;
    return *index < cache->n_pages;
}

static void link_to_page_list(CpuCommon *cpu, TranslationBlock *tb,
                              uint64_t page_paddr, TranslationBlock **next)
{
    TbCache *cache = cpu->tbs;
    uint64_t index;
    if (!ram_page_index(cache, page_paddr, &index))
        return;
    *next = cache->page_tbs[index];
    cache->page_tbs[index] = tb;
    if (!cache->pm->code_pages[index]) {
        cache->pm->code_pages[index] = 1;
        tlb_set_code_page(cpu, page_paddr & GUEST_PAGE_MASK, true);
    }
}

/* A TB is in the list of its first page and, if it straddles into another
 * physical page, in that page's list too (through page_next2). */
static void link_tb_to_page(CpuCommon *cpu, TranslationBlock *tb)
{
    link_to_page_list(cpu, tb, tb->phys_pc, &tb->page_next);
    if (tb_straddles(tb) &&
        ((tb->phys_page2 ^ tb->phys_pc) & GUEST_PAGE_MASK))
        link_to_page_list(cpu, tb, tb->phys_page2, &tb->page_next2);
}

/* tb's link in the list of RAM page `index`. */
static TranslationBlock **page_link(TbCache *cache, TranslationBlock *tb,
                                    uint64_t index)
{
    uint64_t first;
    bool in_first = ram_page_index(cache, tb->phys_pc, &first) && first == index;
    return in_first ? &tb->page_next : &tb->page_next2;
}

static bool ranges_overlap(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
    return a < b + b_len && b < a + a_len;
}

/* Whether tb's guest code (both parts, for a straddling TB) overlaps
 * [paddr, paddr+len). */
static bool tb_overlaps(const TranslationBlock *tb, uint64_t paddr, uint64_t len)
{
    uint64_t in_first = GUEST_PAGE_SIZE - (tb->phys_pc & ~GUEST_PAGE_MASK);
    if (in_first >= tb->size)
        return ranges_overlap(tb->phys_pc, tb->size, paddr, len);
    return ranges_overlap(tb->phys_pc, in_first, paddr, len) ||
           ranges_overlap(tb->phys_page2, tb->size - in_first, paddr, len);
}

static void unlink_from_hash(TbCache *cache, TranslationBlock *tb)
{
    TranslationBlock **link = &cache->hash[tb_hash(tb->pc, tb->phys_pc,
                                                   tb->flags)];
    for (; *link; link = &(*link)->hash_next)
        if (*link == tb) {
            *link = tb->hash_next;
            return;
        }
}

static void invalidate_tb(TbCache *cache, TranslationBlock *tb)
{
    tb->invalid = true;
    unlink_from_hash(cache, tb);
    jmp_cache_drop(cache, tb);
    cache->stats.invalidated++;
}

/* Code write hook of PhysMem: a store or DMA hit a page holding TBs. */
void tb_invalidate_phys_range(CpuCommon *cpu, uint64_t paddr, uint64_t len)
{
    TbCache *cache = cpu->tbs;
    uint64_t first, last;
    if (len == 0 || !ram_page_index(cache, paddr, &first))
        return;
    if (!ram_page_index(cache, paddr + len - 1, &last))
        last = cache->n_pages - 1;
    for (uint64_t index = first; index <= last; index++) {
        TranslationBlock **link = &cache->page_tbs[index];
        bool any = false;
        while (*link) {
            TranslationBlock *tb = *link;
            TranslationBlock **next = page_link(cache, tb, index);
            if (tb->invalid) {
                *link = *next;   /* invalidated through its other page */
            } else if (tb_overlaps(tb, paddr, len)) {
                invalidate_tb(cache, tb);
                *link = *next;
                any = true;
            } else {
                link = next;
            }
        }
        /* Wasm regions of this page may contain the dropped code: the
         * survivors go back to the interpreter until they are hot again;
         * regions elsewhere holding code of this page see the generation
         * change before they jump into it. */
        if (any)
            cache->code_gen[index]++;
        for (TranslationBlock *tb = cache->page_tbs[index]; tb && any;
             tb = *page_link(cache, tb, index))
            if (tb->wasm_entry > 0 || tb->wasm_entry == WASM_ENTRY_QUEUED ||
                tb->wasm_entry == WASM_ENTRY_PENDING) {
                tb->wasm_entry = WASM_ENTRY_NONE;
                tb->exec_count = 0;
            }
        if (!cache->page_tbs[index] && cache->pm->code_pages[index]) {
            cache->pm->code_pages[index] = 0;
            tlb_set_code_page(cpu, cache->pm->ram_base +
                                   (index << GUEST_PAGE_BITS), false);
        }
    }
}

static void code_write_hook(void *opaque, uint64_t paddr, uint64_t len)
{
    tb_invalidate_phys_range(opaque, paddr, len);
}

void tb_flush_all(CpuCommon *cpu)
{
    TbCache *cache = cpu->tbs;
    release_wasm(cache);
    /* Background compiles still running hold TBs that are gone: their
     * modules are released when they settle, and they no longer count as
     * live (else the next hot TB would flush again, and so on, with no
     * guest instruction run in between). */
    wasm_jit_forget_pending(cache);
    cache->n_jit_queue = 0;    /* queued TBs are gone too */
    cache->arena_used = 0;
    cache->generation++;
    cache->stats.flushes++;
    memset(cache->hash, 0, sizeof(cache->hash));
    tb_jmp_cache_clear(cache);
    if (cache->page_tbs) {
        memset(cache->page_tbs, 0, cache->n_pages * sizeof(*cache->page_tbs));
        memset(cache->pm->code_pages, 0, cache->n_pages);
    }
    /* Drops the NOTDIRTY marks along with everything else. */
    tlb_flush(cpu);
}

int tb_cache_attach_memory(CpuCommon *cpu, PhysMem *pm)
{
    TbCache *cache = cpu->tbs;
    cache->pm = pm;
    cache->n_pages = pm->ram_size >> GUEST_PAGE_BITS;
    cache->page_tbs = calloc(cache->n_pages ? cache->n_pages : 1,
                             sizeof(*cache->page_tbs));
    cache->code_gen = calloc(cache->n_pages ? cache->n_pages : 1,
                             sizeof(*cache->code_gen));
    if (!cache->page_tbs || !cache->code_gen)
        return -1;
    pm->code_write_hook = code_write_hook;
    pm->code_write_opaque = cpu;
    return 0;
}

/* ---- translation ------------------------------------------------------------ */

static void trace_translation(CpuCommon *cpu, TranslationBlock *tb)
{
    TbCache *cache = cpu->tbs;
    if (cache->opts.trace_in_asm) {
        fprintf(stderr, "IN: pc=%016" PRIx64 " flags=%x\n", tb->pc, tb->flags);
        for (uint64_t pc = tb->pc; pc < tb->pc + tb->size;) {
            char text[96];
            unsigned len = target_disas(cpu, pc, text, sizeof(text));
            fprintf(stderr, "0x%016" PRIx64 ":  %s\n", pc, text);
            pc += len ? len : 2;
        }
        fputc('\n', stderr);
    }
    if (cache->opts.trace_op) {
        fprintf(stderr, "OP: pc=%016" PRIx64 "\n", tb->pc);
        ir_print_block(stderr, &cache->scratch, tb->pc);
        fputc('\n', stderr);
    }
}

/* Translate into a fresh TB; NULL on fetch fault or full arena. */
static TranslationBlock *translate_new(CpuCommon *cpu, uint64_t pc,
                                       uint64_t phys_pc, bool *arena_full)
{
    TbCache *cache = cpu->tbs;
    size_t mark = cache->arena_used;
    TranslationBlock *tb = tb_arena_alloc(cache, sizeof(*tb));
    *arena_full = false;
    if (!tb) {
        *arena_full = true;
        return NULL;
    }
    memset(tb, 0, sizeof(*tb));
    tb->pc = pc;
    tb->phys_pc = phys_pc;
    tb->flags = cpu->tb_flags;
    tb->mmu_idx_data = cpu->mmu_idx_data;
    ir_block_init(&cache->scratch);
    if (!target_translate(cpu, tb, &cache->scratch)) {
        cache->arena_used = mark;
        return NULL;
    }
    if (tb_straddles(tb)) {
        /* the fetch just translated it: this cannot fault */
        if (!mmu_translate(cpu, (pc & GUEST_PAGE_MASK) + GUEST_PAGE_SIZE,
                           MMU_EXEC, cpu->mmu_idx_exec, &tb->phys_page2)) {
            cache->arena_used = mark;
            return NULL;
        }
        tb->wasm_entry = WASM_ENTRY_FAILED;   /* see tb_straddles */
    }
    ir_optimize(&cache->scratch);
    if (!interp_lower(cache, tb, &cache->scratch)) {
        cache->arena_used = mark;
        *arena_full = true;
        return NULL;
    }
    trace_translation(cpu, tb);
    cache->stats.translated++;
    return tb;
}

static void insert_tb(CpuCommon *cpu, TranslationBlock *tb)
{
    TbCache *cache = cpu->tbs;
    unsigned h = tb_hash(tb->pc, tb->phys_pc, tb->flags);
    tb->hash_next = cache->hash[h];
    cache->hash[h] = tb;
    link_tb_to_page(cpu, tb);
}

/* Whether a straddling TB's second page still maps the physical page it
 * was translated from.  A fault here is left to the fetch that re-translates
 * the instruction, which raises it with the right pc. */
static bool second_page_current(CpuCommon *cpu, const TranslationBlock *tb)
{
    uint64_t page2;
    if (!mmu_translate(cpu, (tb->pc & GUEST_PAGE_MASK) + GUEST_PAGE_SIZE,
                       MMU_EXEC, cpu->mmu_idx_exec, &page2)) {
        cpu->exc_pending = false;
        return false;
    }
    return !((page2 ^ tb->phys_page2) & GUEST_PAGE_MASK);
}

TranslationBlock *tb_lookup_or_translate(CpuCommon *cpu)
{
    TbCache *cache = cpu->tbs;
    uint64_t pc = cpu->pc;
    uint32_t flags = cpu->tb_flags;
    TranslationBlock *tb = tb_jmp_cache_get(cache, pc, flags);
    if (tb)
        return tb;

    uint64_t phys_pc;
    if (!mmu_translate(cpu, pc, MMU_EXEC, cpu->mmu_idx_exec, &phys_pc))
        return NULL;
    tb = tb_cache_find(cache, pc, phys_pc, flags);
    if (tb && tb_straddles(tb) && !second_page_current(cpu, tb)) {
        invalidate_tb(cache, tb);
        tb = NULL;
    }
    if (!tb) {
        bool arena_full;
        tb = translate_new(cpu, pc, phys_pc, &arena_full);
        if (!tb && arena_full) {
            tb_flush_all(cpu);
            tb = translate_new(cpu, pc, phys_pc, &arena_full);
        }
        if (!tb)
            return NULL;
        insert_tb(cpu, tb);
    }
    jmp_cache_put(cache, tb);
    return tb;
}
