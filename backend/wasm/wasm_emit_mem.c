/*
 * IR -> WebAssembly, loads and stores: the TLB fast path inline (a miss
 * leaves through the function's $slow exit for the interpreter, no helper
 * call), and a member's last page kept for the next access through the
 * same base register (plan_tlb_reuse).
 */
#include "backend/wasm/wasm_internal.h"

#include <stddef.h>
#include <string.h>

#include "exec/softmmu.h"

/* ---- memory -------------------------------------------------------------- */

/* The address of the TLB of the member's MMU index. */
static uint32_t tlb_offset(const Emitter *e)
{
    return e->cpu_addr + (uint32_t)(offsetof(CpuCommon, tlb) +
                      (size_t)e->tb->mmu_idx_data * TLB_SIZE * sizeof(TlbEntry));
}

/* The TLB missed (or the page is MMIO, watched for code, or the access
 * misaligned): leave at this instruction, which the interpreter then runs
 * (cpu->interp_once).  No call here: a helper call in every load and store
 * made V8 spill the live guest registers around each one, and compiling
 * those spills was most of TurboFan's time. */
static void leave_for_slow_path(Emitter *e, const IrOp *op, unsigned nesting)
{
    set_exit_pc(e, e->tb->pc + op->pc_off);
    br_exit(e, nesting, EXIT_SLOW);
}

/* $va = a + imm */
static void set_va(Emitter *e, const IrOp *op)
{
    push_slot(e, op->a);
    wasm_i64_const(e->code, op->imm);
    wasm_op(e->code, OP_I64_ADD);
    wasm_local(e->code, OP_LOCAL_SET, e->local_va);
}

/* Pushes $va & (the page bits and the alignment bits of op's size): equal
 * to a TLB tag when the access hits that page (tlb_cmp_addr). */
static void va_compare_bits(Emitter *e, const IrOp *op)
{
    unsigned size_log2 = op->memop & IR_MO_SIZE_MASK;
    wasm_local(e->code, OP_LOCAL_GET, e->local_va);
    wasm_i64_const(e->code, (int64_t)tlb_cmp_addr(~0ull, size_log2));
    wasm_op(e->code, OP_I64_AND);
}

/*
 * TLB lookups reused between the accesses of a member: a load (store)
 * whose base register has not changed since the member's last load
 * (store), with no label or helper call between, most likely hits the
 * same page (a stack frame, a structure).  The first keeps its page in
 * locals, the second compares its address with that page before looking
 * the TLB up (Lua in Linux under Node, repeat runs: 0.92 -> 0.84 s,
 * medians of 8; xz and zstd the same or a little faster).  Keeping the
 * last page of every access instead, for any access to try, sped
 * bare-metal dispatch.c up (0.90 -> 0.75 s) but made Lua and xz slower:
 * their accesses alternate between pages.
 */
enum { TLB_REUSE = 1,   /* compare with the page in the locals first */
       TLB_KEEP = 2 };  /* leave the page in the locals for a later one */

void plan_tlb_reuse(Emitter *e)
{
    const IrBlock *blk = e->blk;
    int last[2] = { -1, -1 };   /* the member's last load, last store */
    memset(e->tlb_reuse, 0, blk->n_ops);
    for (unsigned i = 0; i < blk->n_ops; i++) {
        const IrOp *op = &blk->ops[i];
        if (op->opc == IR_LD || op->opc == IR_ST) {
            int kind = op->opc == IR_ST;
            if (last[kind] >= 0 && blk->ops[last[kind]].a == op->a) {
                e->tlb_reuse[last[kind]] |= TLB_KEEP;
                e->tlb_reuse[i] |= TLB_REUSE | TLB_KEEP;
            }
            last[kind] = (int)i;
        } else if (op->opc == IR_LABEL || op->opc == IR_CALL) {
            last[0] = last[1] = -1;
        }
        if (ir_op_writes_dst(op))   /* a new base: another page */
            for (int kind = 0; kind < 2; kind++)
                if (last[kind] >= 0 && blk->ops[last[kind]].a == op->dst)
                    last[kind] = -1;
    }
}

/*
 * The TLB fast path of a load or store at $va: looks its page up in the
 * TLB ($ent = its entry) and leaves for the slow path on a miss; returns
 * the local holding the low half of the page's addend then (add with
 * TLB_KEEP, else $add; host_address needs no more).
 * With TLB_REUSE the page in locals tag/add is taken when $va is in it;
 * with TLB_KEEP a page looked up goes there.  A hit with the access's alignment bits in the compare
 * means the page's tag has them clear, so a later access hits the kept
 * page only when it is aligned too.  Each function starts, and each helper
 * call ends, with no page kept (forget_tlb_pages): a helper may change the
 * TLB; nothing else in a function does.
 */
static uint32_t tlb_fast_path(Emitter *e, const IrOp *op, size_t tag_field,
                              uint32_t tag, uint32_t add)
{
    WasmBuf *c = e->code;
    unsigned reuse = e->tlb_reuse[op - e->blk->ops];
    if (!(reuse & TLB_KEEP))
        add = e->local_add;
    if (reuse & TLB_REUSE) {   /* block: left when the kept page matches */
        wasm_op(c, OP_BLOCK);
        wbuf_byte(c, WT_VOID);
        va_compare_bits(e, op);
        wasm_local(c, OP_LOCAL_GET, tag);
        wasm_op(c, OP_I64_EQ);
        hint_branch(e, OP_BR_IF, true);
        wbuf_u32(c, 0);
    }
    /* The entry's offset, ((va >> page bits) & (TLB_SIZE - 1)) << entry
     * shift, in one shift and one mask: each op on this path delays the
     * access (two more made Linux workloads 5-8% slower). */
    wasm_local(c, OP_LOCAL_GET, e->local_va);
    wasm_i64_const(c, GUEST_PAGE_BITS - TLB_ENTRY_SHIFT);
    wasm_op(c, OP_I64_SHR_U);
    wasm_op(c, OP_I32_WRAP_I64);
    wasm_i32_const(c, (TLB_SIZE - 1) << TLB_ENTRY_SHIFT);
    wasm_op(c, OP_I32_AND);
    wasm_local(c, OP_LOCAL_TEE, e->local_ent);
    wasm_mem(c, OP_I64_LOAD, 3, tlb_offset(e) + (uint32_t)tag_field);
    if (reuse & TLB_KEEP)   /* the tag stays only on a hit: a miss leaves */
        wasm_local(c, OP_LOCAL_TEE, tag);
    va_compare_bits(e, op);
    wasm_op(c, OP_I64_NE);
    hint_branch(e, OP_IF, false);
    wbuf_byte(c, WT_VOID);
    leave_for_slow_path(e, op, (reuse & TLB_REUSE) ? 2 : 1);
    wasm_op(c, OP_END);
    wasm_local(c, OP_LOCAL_GET, e->local_ent);   /* the addend's low half */
    wasm_mem(c, OP_I32_LOAD, 2,
             tlb_offset(e) + (uint32_t)offsetof(TlbEntry, addend));
    wasm_local(c, OP_LOCAL_SET, add);
    if (reuse & TLB_REUSE)
        wasm_op(c, OP_END);
    return add;
}

void forget_tlb_pages(Emitter *e)
{
    wasm_i64_const(e->code, -1);
    wasm_local(e->code, OP_LOCAL_SET, e->local_rtag);
    wasm_i64_const(e->code, -1);
    wasm_local(e->code, OP_LOCAL_SET, e->local_wtag);
}

/* Push the host address, i32.wrap($va + addend), as an i32 sum of the
 * low halves: V8 makes it one 32-bit add, where the i64 sum took an add
 * and a zero extension. */
static void host_address(Emitter *e, uint32_t add)
{
    wasm_local(e->code, OP_LOCAL_GET, e->local_va);
    wasm_op(e->code, OP_I32_WRAP_I64);
    wasm_local(e->code, OP_LOCAL_GET, add);
    wasm_op(e->code, OP_I32_ADD);
}

static uint8_t load_opcode(unsigned memop)
{
    static const uint8_t unsigned_ops[4] = { OP_I64_LOAD8_U, OP_I64_LOAD16_U,
                                             OP_I64_LOAD32_U, OP_I64_LOAD };
    static const uint8_t signed_ops[4] = { OP_I64_LOAD8_S, OP_I64_LOAD16_S,
                                           OP_I64_LOAD32_S, OP_I64_LOAD };
    unsigned size = memop & IR_MO_SIZE_MASK;
    return (memop & IR_MO_SIGNED) ? signed_ops[size] : unsigned_ops[size];
}

void emit_load(Emitter *e, const IrOp *op)
{
    set_va(e, op);
    host_address(e, tlb_fast_path(e, op, offsetof(TlbEntry, tag_read),
                                  e->local_rtag, e->local_radd));
    wasm_mem(e->code, load_opcode(op->memop), op->memop & IR_MO_SIZE_MASK, 0);
    pop_slot(e, op->dst);
}

void emit_store(Emitter *e, const IrOp *op)
{
    static const uint8_t store_ops[4] = { OP_I64_STORE8, OP_I64_STORE16,
                                          OP_I64_STORE32, OP_I64_STORE };
    unsigned size_log2 = op->memop & IR_MO_SIZE_MASK;
    set_va(e, op);
    host_address(e, tlb_fast_path(e, op, offsetof(TlbEntry, tag_write),
                                  e->local_wtag, e->local_wadd));
    push_slot(e, op->b);
    wasm_mem(e->code, store_ops[size_log2], size_log2, 0);
}
