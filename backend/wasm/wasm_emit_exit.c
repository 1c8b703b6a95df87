/*
 * IR -> WebAssembly, leaving a member: jumps to other members of the
 * region (page guards, the dispatch loop), the exits and their chaining
 * to the next compiled TB (the chain link, the jump cache looked up in
 * Wasm), the function's shared exit blocks, and $indirect_in, where an
 * indirect jump to a member of the same function continues.
 */
#include "backend/wasm/wasm_internal.h"

#include <stddef.h>

#include "exec/tb_cache.h"

static void leave(Emitter *e, int32_t status)
{
    wasm_i32_const(e->code, status);
    wasm_op(e->code, OP_RETURN);
}

/* The code generation counter of the RAM page holding tb's first byte
 * (TbCache.code_gen), or NULL outside RAM, where code is not written. */
const uint32_t *code_gen_slot(const TbCache *cache,
                              const TranslationBlock *tb)
{
    if (!phys_is_ram(cache->pm, tb->phys_pc))
        return NULL;
    return &cache->code_gen[(tb->phys_pc - cache->pm->ram_base) >> GUEST_PAGE_BITS];
}

/*
 * br_if out of the enclosing block unless the target member's page still
 * holds what the region was compiled from: the fetch TLB entry of its
 * virtual page maps the same physical page, and no TB of that page has
 * been invalidated since (the page's code generation).  Needed when a
 * region jump leaves the jumping member's page (virtual or physical: a
 * member may come from another mapping of the same virtual page); within
 * it, the member running is proof enough (it was entered through the
 * lookup or a guard, and what makes a mapping or code change visible to
 * fetches, sfence.vma, satp writes and fence.i, leaves through exit_tb).
 * Entered at a member of another page, a jump into the entry's page is
 * guarded like any (tests/isa/entrypage.S).
 */

static void emit_page_guard(Emitter *e, const TranslationBlock *target)
{
    WasmBuf *c = e->code;
    uint64_t vpage = target->pc & GUEST_PAGE_MASK;
    uint64_t ppage = target->phys_pc & GUEST_PAGE_MASK;
    const uint32_t *code_gen = code_gen_slot(e->cache, target);   /* RAM: a member */
    uint32_t entry_off = e->cpu_addr + (uint32_t)(offsetof(CpuCommon, tlb_exec) +
        ((vpage >> GUEST_PAGE_BITS) & (TLB_EXEC_SIZE - 1)) * sizeof(ExecTlbEntry));
    /* $ent = mmu_idx_exec * (one MMU index's fetch TLB) */
    cpu_ptr(e);
    wasm_mem(c, OP_I32_LOAD8_U, 0, (uint32_t)offsetof(CpuCommon, mmu_idx_exec));
    wasm_i32_const(c, (int32_t)(TLB_EXEC_SIZE * sizeof(ExecTlbEntry)));
    wasm_op(c, OP_I32_MUL);
    wasm_local(c, OP_LOCAL_TEE, e->local_ent);
    wasm_mem(c, OP_I64_LOAD, 3, entry_off + (uint32_t)offsetof(ExecTlbEntry, tag));
    wasm_i64_const(c, (int64_t)vpage);
    wasm_op(c, OP_I64_NE);
    wasm_local(c, OP_LOCAL_GET, e->local_ent);
    wasm_mem(c, OP_I64_LOAD, 3, entry_off + (uint32_t)offsetof(ExecTlbEntry, paddr));
    wasm_i64_const(c, (int64_t)ppage);
    wasm_op(c, OP_I64_NE);
    wasm_op(c, OP_I32_OR);
    wasm_i32_const(c, (int32_t)(uintptr_t)code_gen);
    wasm_mem(c, OP_I32_LOAD, 2, 0);
    wasm_i32_const(c, (int32_t)*code_gen);
    wasm_op(c, OP_I32_NE);
    wasm_op(c, OP_I32_OR);
    hint_branch(e, OP_BR_IF, false);
    wbuf_u32(c, 0);
}

static void charge_budget(Emitter *e, const TranslationBlock *t)
{
    wasm_local(e->code, OP_LOCAL_GET, e->local_budget);
    wasm_i64_const(e->code, t->icount);
    wasm_op(e->code, OP_I64_SUB);
    wasm_local(e->code, OP_LOCAL_SET, e->local_budget);
}

/*
 * A jump to a TB of the same region stays in Wasm.  Forward (to a member
 * laid out later, see order_members) it is a plain branch: the target's
 * code starts where its block ends, which encloses this member's code.
 * Backward it goes through the dispatch loop while the slice's budget
 * lasts, so that guest loops still stop for interrupts.
 */
static void emit_region_jump(Emitter *e, unsigned target, bool if_va_is_target)
{
    const TranslationBlock *t = e->members[target];
    wasm_op(e->code, OP_BLOCK);
    wbuf_byte(e->code, WT_VOID);
    if (if_va_is_target) {   /* an indirect jump's known target */
        wasm_local(e->code, OP_LOCAL_GET, e->local_va);
        wasm_i64_const(e->code, (int64_t)t->pc);
        wasm_op(e->code, OP_I64_NE);
        wasm_op(e->code, OP_BR_IF);
        wbuf_u32(e->code, 0);
    }
    if (((t->pc ^ e->tb->pc) | (t->phys_pc ^ e->tb->phys_pc)) & GUEST_PAGE_MASK)
        emit_page_guard(e, t);
    if (target > e->member) {
        charge_budget(e, t);
        wasm_op(e->code, OP_BR);   /* from inside the block, to $m(target)'s end */
        wbuf_u32(e->code, depth_to_member(e, 1, target));
        wasm_op(e->code, OP_END);
        return;
    }
    bool to_self = target == e->member && e->self_loop;
    wasm_local(e->code, OP_LOCAL_GET, e->local_budget);
    wasm_i64_const(e->code, 0);
    wasm_op(e->code, OP_I64_LE_S);
    hint_branch(e, OP_BR_IF, false);
    wbuf_u32(e->code, 0);
    charge_budget(e, t);
    if (to_self) {   /* the member's own loop, just outside its label blocks */
        wasm_op(e->code, OP_BR);
        wbuf_u32(e->code, 1 + (e->n_labels - e->labels_reached));
    } else {
        wasm_i32_const(e->code, (int32_t)target);
        wasm_local(e->code, OP_LOCAL_SET, e->local_cur);
        wasm_op(e->code, OP_BR);
        wbuf_u32(e->code, depth_to_loop(e, 1));   /* from inside the block */
    }
    wasm_op(e->code, OP_END);
}

/* ---- leaving the function: chaining to the next compiled TB ------------- */

/* block ... : leaves the block (depth 0) unless $next is a valid TB. */
static void open_block_for_next(Emitter *e)
{
    WasmBuf *c = e->code;
    wasm_op(c, OP_BLOCK);
    wbuf_byte(c, WT_VOID);
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_op(c, OP_I32_EQZ);
    wasm_op(c, OP_BR_IF);
    wbuf_u32(c, 0);
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_mem(c, OP_I32_LOAD8_U, 0, (uint32_t)offsetof(TranslationBlock, invalid));
    hint_branch(e, OP_BR_IF, false);
    wbuf_u32(c, 0);
}

/* Leaves the block (depth 0) when the slice's budget is spent; else pushes
 * the budget less $next's instructions (what entering it charges). */
static void budget_after_next(Emitter *e)
{
    WasmBuf *c = e->code;
    wasm_local(c, OP_LOCAL_GET, e->local_budget);
    wasm_i64_const(c, 0);
    wasm_op(c, OP_I64_LE_S);
    hint_branch(e, OP_BR_IF, false);
    wbuf_u32(c, 0);
    wasm_local(c, OP_LOCAL_GET, e->local_budget);
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_mem(c, OP_I64_LOAD16_U, 1, (uint32_t)offsetof(TranslationBlock, icount));
    wasm_op(c, OP_I64_SUB);
}

/*
 * Chain to the TB in $next when it is compiled, still valid, and the
 * slice's budget lasts: charge it, leave its function's table index in
 * cpu->wasm_chain and return WASM_EXIT_CHAIN, on which the execution loop
 * calls it at once (a trampoline: no lookup, no interrupt check, as the
 * interpreter chains within itself).  Falls through otherwise.  The guest
 * registers are already stored; the callee loads its own.
 */
static void emit_chain_exit(Emitter *e)
{
    WasmBuf *c = e->code;
    open_block_for_next(e);
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_mem(c, OP_I32_LOAD, 2, (uint32_t)offsetof(TranslationBlock, wasm_entry));
    wasm_local(c, OP_LOCAL_TEE, e->local_fn);
    wasm_i32_const(c, 1);
    wasm_op(c, OP_I32_LT_S);
    wasm_op(c, OP_BR_IF);
    wbuf_u32(c, 0);
    /* charge the callee's instructions, as the loop would */
    cpu_ptr(e);
    budget_after_next(e);
    wasm_mem(c, OP_I64_STORE, 3, (uint32_t)offsetof(CpuCommon, budget));
    cpu_ptr(e);
    wasm_local(c, OP_LOCAL_GET, e->local_fn);
    wasm_mem(c, OP_I32_STORE, 2, (uint32_t)offsetof(CpuCommon, wasm_chain));
    cpu_ptr(e);
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_mem(c, OP_I32_LOAD8_U, 0, (uint32_t)offsetof(TranslationBlock, wasm_member));
    wasm_mem(c, OP_I32_STORE, 2, (uint32_t)offsetof(CpuCommon, wasm_member));
    leave(e, WASM_EXIT_CHAIN);
    wasm_op(c, OP_END);
}

/* Pushes whether the TB in $next (not 0) starts at $va with the current
 * flags. */
static void next_matches(Emitter *e)
{
    WasmBuf *c = e->code;
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_mem(c, OP_I64_LOAD, 3, (uint32_t)offsetof(TranslationBlock, pc));
    wasm_local(c, OP_LOCAL_GET, e->local_va);
    wasm_op(c, OP_I64_EQ);
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_mem(c, OP_I32_LOAD, 2, (uint32_t)offsetof(TranslationBlock, flags));
    cpu_ptr(e);
    wasm_mem(c, OP_I32_LOAD, 2, (uint32_t)offsetof(CpuCommon, tb_flags));
    wasm_op(c, OP_I32_EQ);
    wasm_op(c, OP_I32_AND);
}

/* $next = the TB in way `way` of the jump cache's set at byte offset $ent
 * when it matches (next_matches), else 0. */
static void jmp_cache_way(Emitter *e, unsigned way)
{
    WasmBuf *c = e->code;
    wasm_local(c, OP_LOCAL_GET, e->local_ent);
    /* the cache outlives the module, so its address is a constant (one
     * dependent load less than cpu->tbs) */
    wasm_mem(c, OP_I32_LOAD, 2, (uint32_t)(uintptr_t)&e->cache->jmp_cache[way]);
    wasm_local(c, OP_LOCAL_TEE, e->local_next);
    wasm_op(c, OP_IF);
    wbuf_byte(c, WT_VOID);
    next_matches(e);
    wasm_op(c, OP_I32_EQZ);
    wasm_op(c, OP_IF);
    wbuf_byte(c, WT_VOID);
    wasm_i32_const(c, 0);
    wasm_local(c, OP_LOCAL_SET, e->local_next);
    wasm_op(c, OP_END);
    wasm_op(c, OP_END);
}

/*
 * $next = the jump cache's TB for the pc in $va when it starts there with
 * the current flags, else 0.  The index mirrors jmp_hash() in exec/tb.c:
 * bucket from the page number, slot from the offset in the page, and the
 * two ways of the slot's set (tb_jmp_cache_get).
 */
static void emit_jmp_cache_lookup(Emitter *e)
{
    WasmBuf *c = e->code;
    /* page = va >> PAGE_BITS; bucket = (page ^ page >> B) & (2^B - 1) */
    wasm_local(c, OP_LOCAL_GET, e->local_va);
    wasm_i64_const(c, GUEST_PAGE_BITS);
    wasm_op(c, OP_I64_SHR_U);
    wasm_local(c, OP_LOCAL_TEE, e->local_t);
    wasm_local(c, OP_LOCAL_GET, e->local_t);
    wasm_i64_const(c, TB_JMP_BUCKET_BITS);
    wasm_op(c, OP_I64_SHR_U);
    wasm_op(c, OP_I64_XOR);
    wasm_op(c, OP_I32_WRAP_I64);
    wasm_i32_const(c, (1 << TB_JMP_BUCKET_BITS) - 1);
    wasm_op(c, OP_I32_AND);
    wasm_i32_const(c, TB_JMP_SLOT_BITS);
    wasm_op(c, OP_I32_SHL);
    /* set = ((va >> 1) ^ (va >> 7)) & (2^S - 2) */
    wasm_local(c, OP_LOCAL_GET, e->local_va);
    wasm_i64_const(c, 1);
    wasm_op(c, OP_I64_SHR_U);
    wasm_local(c, OP_LOCAL_GET, e->local_va);
    wasm_i64_const(c, 7);
    wasm_op(c, OP_I64_SHR_U);
    wasm_op(c, OP_I64_XOR);
    wasm_op(c, OP_I32_WRAP_I64);
    wasm_i32_const(c, (1 << TB_JMP_SLOT_BITS) - 2);
    wasm_op(c, OP_I32_AND);
    wasm_op(c, OP_I32_OR);
    wasm_i32_const(c, (int32_t)sizeof(TranslationBlock *));
    wasm_op(c, OP_I32_MUL);
    wasm_local(c, OP_LOCAL_SET, e->local_ent);
    jmp_cache_way(e, 0);
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_op(c, OP_I32_EQZ);
    wasm_op(c, OP_IF);
    wbuf_byte(c, WT_VOID);
    jmp_cache_way(e, 1);
    wasm_op(c, OP_END);
}

static void emit_goto_tb(Emitter *e, const IrOp *op)
{
    uint64_t target_pc = (uint64_t)op->imm;
    int target = member_at(e, target_pc);
    if (target >= 0)
        emit_region_jump(e, (unsigned)target, false);
    /* same page: the chain link the loop (or interpreter) made; else 0,
     * the jump cache */
    bool same_page = !((target_pc ^ e->tb->pc) & GUEST_PAGE_MASK);
    wasm_i32_const(e->code, same_page ?
                   (int32_t)(uintptr_t)&e->tb->jmp_target[op->cond & 1] : 0);
    wasm_local(e->code, OP_LOCAL_SET, e->local_exit_link);
    wasm_i32_const(e->code, (int32_t)(uintptr_t)e->tb);
    wasm_local(e->code, OP_LOCAL_SET, e->local_exit_tb);
    wasm_i32_const(e->code, WASM_EXIT_GOTO_TB + (op->cond & 1));
    wasm_local(e->code, OP_LOCAL_SET, e->local_exit_code);
    set_exit_pc(e, target_pc);
    br_exit(e, 0, EXIT_GOTO);
}

/* An indirect jump to one of the last targets it took (ind_targets, as
 * the region was built) that are members of the region branches there like
 * a direct jump, before the jump-cache lookup of emit_indirect_in: a
 * compare instead of a hash and three dependent loads (bare-metal
 * dispatch.c under Node: 1.78 -> 1.00 s; Lua, xz, zstd in Linux: same or
 * a little faster). */
static void emit_known_targets(Emitter *e)
{
    for (unsigned k = 0; k < TB_IND_TARGETS; k++) {
        const TranslationBlock *t = e->tb->ind_targets[k];
        int target = t ? member_at(e, t->pc) : -1;
        if (target >= 0)
            emit_region_jump(e, (unsigned)target, true);
    }
}

void emit_exit(Emitter *e, const IrOp *op)
{
    switch (op->opc) {
    case IR_GOTO_TB:
        emit_goto_tb(e, op);
        break;
    case IR_EXIT_TB:
        set_exit_pc(e, (uint64_t)op->imm);
        br_exit(e, 0, EXIT_PLAIN);
        break;
    case IR_JUMP_IND:
        push_slot(e, op->a);
        wasm_local(e->code, OP_LOCAL_SET, e->local_va);
        if (e->chain) {   /* to $indirect_in: a member of this region? */
            emit_known_targets(e);
            wasm_op(e->code, OP_BR);
            wbuf_u32(e->code, depth_to_member(e, 0, e->n_members) + 1);
        } else {
            br_exit(e, 0, EXIT_INDIRECT);
        }
        break;
    case IR_EXIT_IND:
        push_slot(e, op->a);
        wasm_local(e->code, OP_LOCAL_SET, e->local_exit_pc);
        br_exit(e, 0, EXIT_PLAIN);
        break;
    default:   /* IR_RAISE */
        cpu_ptr(e);
        wasm_i32_const(e->code, 1);
        wasm_mem(e->code, OP_I32_STORE8, 0,
                 (uint32_t)offsetof(CpuCommon, exc_pending));
        cpu_ptr(e);
        wasm_i64_const(e->code, op->imm);
        wasm_mem(e->code, OP_I64_STORE, 3, (uint32_t)offsetof(CpuCommon, exc_cause));
        cpu_ptr(e);
        wasm_i64_const(e->code, op->imm2);
        wasm_mem(e->code, OP_I64_STORE, 3, (uint32_t)offsetof(CpuCommon, exc_tval));
        set_exit_pc(e, e->tb->pc + op->pc_off);
        br_exit(e, 0, EXIT_EXCEPTION);
        break;
    }
}

/* Close a shared exit's block; its code starts by storing the budget and
 * cpu->pc = the i64 local pc_local. */
static void begin_shared_exit(Emitter *e, uint32_t pc_local)
{
    wasm_op(e->code, OP_END);
    store_budget(e);   /* (guest registers are stored as written) */
    cpu_ptr(e);
    wasm_local(e->code, OP_LOCAL_GET, pc_local);
    wasm_mem(e->code, OP_I64_STORE, 3, (uint32_t)offsetof(CpuCommon, pc));
}

/* The code after each shared exit's block (see SharedExit); every one
 * returns. */
void emit_shared_exits(Emitter *e)
{
    WasmBuf *c = e->code;
    begin_shared_exit(e, e->local_exit_pc);    /* $exception */
    leave(e, WASM_EXIT_EXCEPTION);

    begin_shared_exit(e, e->local_exit_pc);    /* $plain */
    leave(e, WASM_EXIT_CONTINUE);

    begin_shared_exit(e, e->local_va);         /* $indirect ($next looked up) */
    if (e->chain)
        emit_chain_exit(e);
    leave(e, WASM_EXIT_CONTINUE);

    begin_shared_exit(e, e->local_exit_pc);    /* $goto */
    if (e->chain) {
        /* $next = $exit_link ? *$exit_link : jump cache[$exit_pc] */
        wasm_local(c, OP_LOCAL_GET, e->local_exit_link);
        wasm_op(c, OP_IF);
        wbuf_byte(c, WT_VOID);
        wasm_local(c, OP_LOCAL_GET, e->local_exit_link);
        wasm_mem(c, OP_I32_LOAD, 2, 0);
        wasm_local(c, OP_LOCAL_SET, e->local_next);
        wasm_op(c, OP_ELSE);
        wasm_local(c, OP_LOCAL_GET, e->local_exit_pc);
        wasm_local(c, OP_LOCAL_SET, e->local_va);
        emit_jmp_cache_lookup(e);
        wasm_op(c, OP_END);
        emit_chain_exit(e);
    }
    cpu_ptr(e);
    wasm_local(c, OP_LOCAL_GET, e->local_exit_tb);
    wasm_mem(c, OP_I32_STORE, 2, (uint32_t)offsetof(CpuCommon, wasm_exit_tb));
    wasm_local(c, OP_LOCAL_GET, e->local_exit_code);
    wasm_op(c, OP_RETURN);

    begin_shared_exit(e, e->local_exit_pc);    /* $slow */
    cpu_ptr(e);
    wasm_i32_const(c, 1);
    wasm_mem(c, OP_I32_STORE8, 0, (uint32_t)offsetof(CpuCommon, interp_once));
    leave(e, WASM_EXIT_CONTINUE);
}

/*
 * An indirect jump lands here, inside the dispatch loop, with its target in
 * $va: when the jump cache's TB for it is compiled into this very function
 * (its wasm_entry is $self) the jump continues at that member, guest
 * registers still in locals; otherwise on to the $indirect exit, which
 * chains to the TB in $next.  (Entered with $next looked up at depth 0 of
 * the loop.)
 */
void emit_indirect_in(Emitter *e)
{
    WasmBuf *c = e->code;
    emit_jmp_cache_lookup(e);
    open_block_for_next(e);
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_mem(c, OP_I32_LOAD, 2, (uint32_t)offsetof(TranslationBlock, wasm_entry));
    wasm_local(c, OP_LOCAL_GET, e->local_self);
    wasm_op(c, OP_I32_NE);
    wasm_local(c, OP_LOCAL_GET, e->local_self);
    wasm_op(c, OP_I32_EQZ);
    wasm_op(c, OP_I32_OR);
    wasm_op(c, OP_BR_IF);
    wbuf_u32(c, 0);
    budget_after_next(e);
    wasm_local(c, OP_LOCAL_SET, e->local_budget);
    wasm_local(c, OP_LOCAL_GET, e->local_next);
    wasm_mem(c, OP_I32_LOAD8_U, 0, (uint32_t)offsetof(TranslationBlock, wasm_member));
    wasm_local(c, OP_LOCAL_SET, e->local_cur);
    wasm_op(c, OP_BR);        /* the dispatch loop, from inside the block */
    wbuf_u32(c, 1);
    wasm_op(c, OP_END);
    wasm_op(c, OP_BR);        /* loop, $exception, $plain, $indirect */
    wbuf_u32(c, 3);
}
