/*
 * Choosing a compiled region's members: the hot TB and, breadth first, the
 * TBs its members jump to (add_region), each re-translated to IR, laid out
 * in reverse post-order.  Only in the Wasm build.
 */
#include "backend/wasm/wasm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "exec/tb_cache.h"

#ifdef __EMSCRIPTEN__
/* Re-translate a TB's guest code into blk (deterministic: the bytes are
 * unchanged, or the TB would have been invalidated). */
static bool retranslate(CpuCommon *cpu, const TranslationBlock *tb,
                        IrBlock *blk)
{
    bool saved_exc = cpu->exc_pending;   /* (the translator may clear it) */
    TranslationBlock copy = *tb;
    ir_block_init(blk);
    /* from the TB's own physical page, whatever the mapping is now */
    cpu->fetch_pinned = true;
    cpu->fetch_pin_vpage = tb->pc & GUEST_PAGE_MASK;
    cpu->fetch_pin_ppage = tb->phys_pc & GUEST_PAGE_MASK;
    bool ok = target_translate(cpu, &copy, blk) && copy.size == tb->size &&
              copy.icount == tb->icount;
    cpu->fetch_pinned = false;
    cpu->exc_pending = saved_exc;
    if (ok)
        ir_optimize(blk);
    return ok;
}

/*
 * Region members run with the entry's flags and have run a few hundred
 * times.  In the entry's page they share its mapping; in another page the
 * jumps into their page are guarded (emit_page_guard).
 */
static bool region_member_ok(const TbCache *cache,
                             const TranslationBlock *entry,
                             const TranslationBlock *t)
{
    if (!t || t->invalid || t->flags != entry->flags || tb_straddles(t) ||
        !phys_is_ram(cache->pm, t->phys_pc) ||
        t->exec_count < WASM_MEMBER_MIN_EXEC)
        return false;
    if (!((t->pc ^ entry->pc) & GUEST_PAGE_MASK))
        return !((t->phys_pc ^ entry->phys_pc) & GUEST_PAGE_MASK);
    return true;
}

static bool is_member(TranslationBlock *const *members, unsigned n,
                      const TranslationBlock *t)
{
    for (unsigned k = 0; k < n; k++)
        if (members[k] == t)
            return true;
    return false;
}

/* Where a GOTO_TB exit of t leads, if that is translated: the chain link
 * within the page, the jump cache (current mappings only) across pages. */
static TranslationBlock *goto_successor(TbCache *cache, TranslationBlock *t,
                                        const IrOp *op)
{
    uint64_t pc = (uint64_t)op->imm;
    if (!((pc ^ t->pc) & GUEST_PAGE_MASK))
        return t->jmp_target[op->cond & 1];
    return tb_jmp_cache_get(cache, pc, t->flags);
}

/* Depth-first from member i over jumps between members; post-order. */
static void member_postorder(TranslationBlock **members, IrBlock **blks,
                             unsigned n, unsigned i, bool *seen,
                             unsigned *order, unsigned *n_order)
{
    seen[i] = true;
    for (unsigned k = 0; k < blks[i]->n_ops; k++) {
        const IrOp *op = &blks[i]->ops[k];
        if (op->opc != IR_GOTO_TB)
            continue;
        for (unsigned j = 0; j < n; j++)
            if (!seen[j] && members[j]->pc == (uint64_t)op->imm)
                member_postorder(members, blks, n, j, seen, order, n_order);
    }
    order[(*n_order)++] = i;
}

/* Lay the members out in reverse post-order from the entry: every jump
 * between members that is not a loop's back edge then goes forward, a
 * plain branch (emit_region_jump). */
static void order_members(TranslationBlock **members, IrBlock **blks,
                          unsigned n)
{
    bool seen[WASM_REGION_MAX] = { false };
    unsigned order[WASM_REGION_MAX], n_order = 0;
    TranslationBlock *m_copy[WASM_REGION_MAX];
    IrBlock *b_copy[WASM_REGION_MAX];
    member_postorder(members, blks, n, 0, seen, order, &n_order);
    unsigned placed = 0;
    while (n_order > 0) {
        unsigned i = order[--n_order];
        m_copy[placed] = members[i];
        b_copy[placed++] = blks[i];
    }
    for (unsigned i = 0; i < n; i++)   /* (all are reached: successors) */
        if (!seen[i]) {
            m_copy[placed] = members[i];
            b_copy[placed++] = blks[i];
        }
    memcpy(members, m_copy, n * sizeof(members[0]));
    memcpy(blks, b_copy, n * sizeof(blks[0]));
}

/* Whether a region of the n members in blks may take one more of
 * new_ops IR ops: up to WASM_REGION_FULL members always, up to
 * WASM_REGION_GROWN while all of them hold at most WASM_REGION_OPS, and
 * past that a hot one (see add_member) up to WASM_REGION_MAX members and
 * WASM_REGION_HOT_OPS. */
static bool region_has_room(IrBlock *const *blks, unsigned n,
                            unsigned new_ops, bool hot)
{
    if (n < WASM_REGION_FULL)
        return true;
    unsigned ops = new_ops;
    for (unsigned k = 0; k < n; k++)
        ops += blks[k]->n_ops;
    if (n < WASM_REGION_GROWN && ops <= WASM_REGION_OPS)
        return true;
    return hot && ops <= WASM_REGION_HOT_OPS;
}

/*
 * Whether a TB compiled in another region (table index fn) may join too.
 * Only when that region left to one of the members (wasm_left_from): then
 * it lies on a cycle with them, as an interpreter's dispatch with its
 * handlers.  Else a jump to it chains out.  Regions used to take in code
 * already compiled elsewhere whenever it qualified: over a boot and two
 * runs of zstd, xz or Lua, 57-66% of the members V8 compiled were copies,
 * and its compile time comes out of this 2-core host's CPU.  Now V8
 * compiles ~43% less Wasm there, and under Node first runs of zstd and xz
 * are 4-8% faster, repeats the same or faster, though chain steps went up
 * (Lua +30%, xz +36%, zstd 2x).  Refusing every copy made bare-metal
 * dispatch.c 23% slower: three times the chain steps.
 */
static bool may_copy(TranslationBlock *const *members, unsigned n, int32_t fn)
{
    for (unsigned k = 0; k < n; k++)
        if (members[k]->wasm_left_from == fn)
            return true;
    return false;
}

/* Take next into the region (entry tb) if it qualifies, translates and
 * fits; the new member count. */
static unsigned add_member(CpuCommon *cpu, TranslationBlock *tb,
                           TranslationBlock **members, IrBlock **blks,
                           unsigned n, TranslationBlock *next)
{
    if (n >= WASM_REGION_MAX || !region_member_ok(cpu->tbs, tb, next) ||
        is_member(members, n, next) ||
        (next->wasm_entry > 0 && !may_copy(members, n, next->wasm_entry)))
        return n;
    /* run at least an eighth as often as the entry (1/4 and 1/16: the
     * same within noise) */
    bool hot = (uint64_t)next->exec_count * 8 >= tb->exec_count;
    if (!region_has_room(blks, n, 0, hot))
        return n;   /* no room at any size: not worth translating */
    IrBlock *blk = malloc(sizeof(*blk));
    if (!blk || !retranslate(cpu, next, blk) ||
        !region_has_room(blks, n, blk->n_ops, hot)) {
        free(blk);
        return n;
    }
    members[n] = next;
    blks[n] = blk;
    return n + 1;
}

/*
 * Add tb's region to the module; its function index, or UINT32_MAX.  The
 * region: tb first, then the TBs its members' direct jumps lead to and the
 * last TB_IND_TARGETS targets of their indirect jumps, breadth first, each
 * re-translated to IR, then laid out in reverse post-order (order_members).
 * An indirect jump whose target is a member of the same function stays in
 * it (emit_indirect_in): bare-metal dispatch.c 2.9 -> 1.8 s, Lua and xz in
 * Linux ~5% faster, zstd ~3% slower.  (Measured slower when exits stored
 * every register the region writes, before write-through, and also tried:
 * a page's other warm TBs as members with a br_table on the page offset.)
 */
unsigned add_region(CpuCommon *cpu, WasmModuleBuilder *b,
                    TranslationBlock *tb, RegionMembers *out)
{
    TbCache *cache = cpu->tbs;
    TranslationBlock *members[WASM_REGION_MAX];
    IrBlock *blks[WASM_REGION_MAX];
    unsigned n = 0, index = UINT32_MAX;
    blks[0] = malloc(sizeof(IrBlock));
    if (!blks[0] || !retranslate(cpu, tb, blks[0])) {
        free(blks[0]);
        return UINT32_MAX;   /* the entry itself must translate */
    }
    members[n++] = tb;
    for (unsigned i = 0; i < n; i++)
        for (unsigned k = 0; k < blks[i]->n_ops; k++) {
            const IrOp *op = &blks[i]->ops[k];
            if (op->opc == IR_GOTO_TB)
                n = add_member(cpu, tb, members, blks, n,
                               goto_successor(cache, members[i], op));
            for (unsigned t = 0; t < TB_IND_TARGETS && op->opc == IR_JUMP_IND; t++)
                n = add_member(cpu, tb, members, blks, n, members[i]->ind_targets[t]);
        }
    order_members(members, blks, n);
    index = wasm_module_add_region(b, (const TranslationBlock *const *)members,
                                   (const IrBlock *const *)blks, n);
    out->n = n;
    for (unsigned i = 0; i < n; i++) {
        out->tb[i] = members[i];
        out->code_gen[i] = page_code_gen(cache, members[i]);
        free(blks[i]);
    }
    return index;
}
#endif
