/*
 * IR -> WebAssembly.  See wasm_jit.h for the contract.
 *
 * Layout of a generated function: no parameter (a module belongs to one
 * machine: the CPU state is at a constant address, cpu_ptr); every slot
 * the region touches gets a local, i64 or f64 (scan_slots; guest registers
 * are loaded once at entry and stored as they are written, put_local and
 * plan_dead_stores); scratch locals, the budget and the dispatch state
 * follow.
 * Labels are only targets of forward branches (as the RISC-V frontend emits
 * them), so each becomes the end of a Wasm block opened at function entry.
 */
#include "backend/wasm/wasm_jit.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/softmmu.h"
#include "exec/tb_cache.h"
#include "ir/ir_arith.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

enum { TYPE_TB = 0, TYPE_HELPER = 1, TYPE_BINARY = 2 };
enum { NO_LOCAL = 0xffff, WASM_MAX_IMPORTS = 64 };

/* Runtime calls for ops whose RISC-V semantics Wasm lacks (division traps
 * in Wasm; no 128-bit product).  Called through the table. */
static uint64_t rt_mulh(uint64_t a, uint64_t b) { return mulh64((int64_t)a, (int64_t)b); }
static uint64_t rt_mulhu(uint64_t a, uint64_t b) { return mulhu64(a, b); }
static uint64_t rt_mulhsu(uint64_t a, uint64_t b) { return mulhsu64((int64_t)a, b); }
static uint64_t rt_div(uint64_t a, uint64_t b) { return div64((int64_t)a, (int64_t)b); }
static uint64_t rt_divu(uint64_t a, uint64_t b) { return divu64(a, b); }
static uint64_t rt_rem(uint64_t a, uint64_t b) { return rem64((int64_t)a, (int64_t)b); }
static uint64_t rt_remu(uint64_t a, uint64_t b) { return remu64(a, b); }
static uint64_t rt_div32(uint64_t a, uint64_t b) { return div32((int32_t)a, (int32_t)b); }
static uint64_t rt_divu32(uint64_t a, uint64_t b) { return divu32((uint32_t)a, (uint32_t)b); }
static uint64_t rt_rem32(uint64_t a, uint64_t b) { return rem32((int32_t)a, (int32_t)b); }
static uint64_t rt_remu32(uint64_t a, uint64_t b) { return remu32((uint32_t)a, (uint32_t)b); }

typedef uint64_t (*RtBinary)(uint64_t, uint64_t);

static RtBinary runtime_binary(unsigned opc)
{
    switch (opc) {
    case IR_MULH: return rt_mulh;
    case IR_MULHU: return rt_mulhu;
    case IR_MULHSU: return rt_mulhsu;
    case IR_DIV: return rt_div;
    case IR_DIVU: return rt_divu;
    case IR_REM: return rt_rem;
    case IR_REMU: return rt_remu;
    case IR_DIV32: return rt_div32;
    case IR_DIVU32: return rt_divu32;
    case IR_REM32: return rt_rem32;
    case IR_REMU32: return rt_remu32;
    default: return NULL;
    }
}

/* A C function pointer is its table index under Emscripten: modules import
 * the function by that index.  Natively the value is meaningless but the
 * encoder still runs (tests). */
static int32_t table_index(const void *fn)
{
    return (int32_t)(uintptr_t)fn;
}

/* The C functions a module imports, by table index: function index i of
 * the module is fn[i]; the region functions come after them. */
typedef struct ModuleImports {
    int32_t fn[WASM_MAX_IMPORTS];
    uint8_t type[WASM_MAX_IMPORTS];
    unsigned n;
} ModuleImports;

typedef struct Emitter Emitter;
static void emit_call_fn(Emitter *e, const void *fn, uint8_t type);
static void store_budget(Emitter *e);
static void load_budget(Emitter *e);

struct Emitter {
    WasmBuf *code;
    const TranslationBlock *tb;     /* the member being emitted */
    const IrBlock *blk;
    const TranslationBlock *const *members;   /* member 0 is the entry */
    const IrBlock *const *member_ir;
    unsigned n_members, member;
    uint16_t local_of[IR_SLOT_COUNT];
    /* Slots an FARITH64 reads or writes have f64 locals (the others i64):
     * a chain of FP instructions then stays in FP registers, where i64
     * locals put two moves between register files on its path, as the
     * fast path's merge with its helper call makes a phi of each result
     * (bare-metal fpmix under Node: 0.81 -> 0.56 s). */
    bool is_f64[IR_SLOT_COUNT];
    unsigned n_f64_locals;
    unsigned n_slot_locals;
    /* The page of a member's last load (r) and store (w) that another one
     * may reuse: its address (-1: none) and the low half of its addend
     * (i32 locals, tlb_fast_path; $add: the one of a page not kept), and
     * per op of the member its TLB_REUSE / TLB_KEEP bits (plan_tlb_reuse). */
    uint32_t local_rtag, local_radd, local_wtag, local_wadd, local_add;
    uint8_t tlb_reuse[IR_MAX_OPS];
    /* Per op of the member: its write of a guest register is not stored
     * (plan_dead_stores); cur_op is the op being emitted. */
    bool store_dead[IR_MAX_OPS];
    const IrOp *cur_op;
    uint32_t local_va, local_t, local_exit_pc, local_budget, local_ent,
             local_cur, local_next, local_fn, local_exit_link, local_exit_tb,
             local_exit_code, local_self;
    bool chain;     /* exits may chain to other compiled TBs */
    uint32_t cpu_addr;      /* the CpuCommon the code runs on */
    const TbCache *cache;   /* for page guards (regions spanning pages) */
    ModuleImports *imports;         /* shared by the module's functions */
    int label_order[IR_MAX_LABELS];   /* label id -> position, -1 unused */
    unsigned labels_reached, n_labels;
    unsigned self_loop;   /* 1: the member's code is in its own loop */
    /* Branch hints (hint_branch): per if/br_if hinted, its code offset
     * (4 bytes, host order) and whether its condition is likely true. */
    WasmBuf hints;
    unsigned n_hints;
    uint32_t locals_len;   /* hint offsets count from the locals */
    bool failed;
};

/*
 * An if or br_if whose condition is almost always `likely` (the TLB hit,
 * no exception pending, budget left, page unchanged, the frontend's
 * IrExpect: the FP fast path's conditions), for the module's
 * branch-hint section: V8 then lays the other side out of line and, as
 * deferred code, keeps the spills around its helper call there instead of
 * on the hot path (--experimental-wasm-branch-hinting under Node 20).
 */
static void hint_branch(Emitter *e, uint8_t opcode, bool likely)
{
    uint32_t offset = (uint32_t)e->code->len;
    wbuf_bytes(&e->hints, (const uint8_t *)&offset, sizeof(offset));
    wbuf_byte(&e->hints, likely);
    e->n_hints++;
    wasm_op(e->code, opcode);
}

/* ---- calls to C ---------------------------------------------------------- */

/* call fn: a direct call of an imported function (the module imports each
 * C function it uses once, by its table index). */
static void emit_call_fn(Emitter *e, const void *fn, uint8_t type)
{
    ModuleImports *im = e->imports;
    int32_t index = table_index(fn);
    unsigned i = 0;
    while (i < im->n && im->fn[i] != index)
        i++;
    if (i == im->n) {
        if (im->n == WASM_MAX_IMPORTS) {
            e->failed = true;
            return;
        }
        im->fn[i] = index;
        im->type[i] = type;
        im->n++;
    }
    /* The budget lives in a local; C code other than the pure runtime
     * arithmetic may stop the slice by zeroing it (cpu_exit_request). */
    bool pure = type == TYPE_BINARY;
    if (!pure)
        store_budget(e);
    wasm_op(e->code, OP_CALL);
    wbuf_u32(e->code, i);
    if (!pure)
        load_budget(e);
}

/* ---- slots ----------------------------------------------------------------- */

static void use_slot(Emitter *e, uint16_t slot)
{
    if (slot != 0 && slot < IR_SLOT_COUNT && e->local_of[slot] == NO_LOCAL &&
        !e->is_f64[slot])
        e->local_of[slot] = (uint16_t)e->n_slot_locals++;
}

static void mark_f64(Emitter *e, uint16_t slot)
{
    if (slot != 0 && slot < IR_SLOT_COUNT)
        e->is_f64[slot] = true;
}

/* Which slots are f64 (is_f64); their locals come after all others. */
static void scan_f64_slots(Emitter *e)
{
    memset(e->is_f64, 0, sizeof(e->is_f64));
    for (unsigned m = 0; m < e->n_members; m++)
        for (unsigned i = 0; i < e->member_ir[m]->n_ops; i++) {
            const IrOp *op = &e->member_ir[m]->ops[i];
            if (op->opc == IR_FARITH64) {
                mark_f64(e, op->a);
                mark_f64(e, op->b);
                mark_f64(e, op->dst);
            }
        }
}

/* The member of the region starting at pc, or -1. */
static int member_at(const Emitter *e, uint64_t pc)
{
    for (unsigned m = 0; m < e->n_members; m++)
        if (e->members[m]->pc == pc)
            return (int)m;
    return -1;
}

/* Locals for the slots the region uses. */
static void scan_slots(Emitter *e)
{
    memset(e->local_of, 0xff, sizeof(e->local_of));
    scan_f64_slots(e);
    for (unsigned m = 0; m < e->n_members; m++)
    for (unsigned i = 0; i < e->member_ir[m]->n_ops; i++) {
        const IrOp *op = &e->member_ir[m]->ops[i];
        use_slot(e, op->a);
        use_slot(e, op->b);
        use_slot(e, op->c);
        if (ir_op_writes_dst(op))
            use_slot(e, op->dst);
    }
    e->local_va = e->n_slot_locals;
    e->local_t = e->local_va + 1;
    e->local_exit_pc = e->local_t + 1;
    e->local_budget = e->local_exit_pc + 1;
    e->local_rtag = e->local_budget + 1;
    e->local_wtag = e->local_rtag + 1;
    e->local_ent = e->local_wtag + 1;
    e->local_cur = e->local_ent + 1;
    e->local_next = e->local_cur + 1;
    e->local_fn = e->local_next + 1;
    e->local_exit_link = e->local_fn + 1;
    e->local_exit_tb = e->local_exit_link + 1;
    e->local_exit_code = e->local_exit_tb + 1;
    e->local_self = e->local_exit_code + 1;
    e->local_radd = e->local_self + 1;
    e->local_wadd = e->local_radd + 1;
    e->local_add = e->local_wadd + 1;
    e->n_f64_locals = 0;
    for (unsigned slot = 1; slot < IR_SLOT_COUNT; slot++)
        if (e->is_f64[slot])
            e->local_of[slot] = (uint16_t)(e->local_add + 1 + e->n_f64_locals++);
}

/*
 * Pushes the CPU state's address, for an access at an offset into it.  A
 * constant (a 32-bit address: the code only runs in the Wasm build), not
 * a parameter: V8 folds a constant address into the access, which leaves
 * it one register more for guest values, and a TLB lookup adds no base
 * (tlb_fast_path).  Under Node: bare-metal memcopy ~6% faster, dispatch
 * ~4%, sort ~3%; Lua in Linux, repeat runs, 0.82 -> 0.76 s.
 */
static void cpu_ptr(Emitter *e)
{
    wasm_i32_const(e->code, (int32_t)e->cpu_addr);
}

/* Store the guest register in slot to the CPU state (same bits either
 * type). */
static void store_slot(Emitter *e, uint16_t slot)
{
    cpu_ptr(e);
    wasm_local(e->code, OP_LOCAL_GET, e->local_of[slot]);
    wasm_mem(e->code, e->is_f64[slot] ? OP_F64_STORE : OP_I64_STORE, 3,
             (uint32_t)(offsetof(CpuCommon, slots) + 8 * slot));
}

/* Push slot's value as i64 (the IR's type for every slot). */
static void get(Emitter *e, uint16_t slot)
{
    if (slot == 0) {
        wasm_i64_const(e->code, 0);
        return;
    }
    wasm_local(e->code, OP_LOCAL_GET, e->local_of[slot]);
    if (e->is_f64[slot])
        wasm_op(e->code, OP_I64_REINTERPRET_F64);
}

/* Pop a value of the slot's local type into it.  A guest register is
 * stored too, as it is written, so that no exit stores any and no local is
 * live at an exit: stores at the exits instead, for registers written on a
 * loop of the region, made V8's register allocation (most of TurboFan's
 * time) ~10% longer, and the guest ran no faster (Lua, xz, zstd in Linux,
 * bare-metal loops). */
static void put_local(Emitter *e, uint16_t slot)
{
    wasm_local(e->code, OP_LOCAL_SET, e->local_of[slot]);
    const IrOp *op = e->cur_op;
    bool dead = op && op->dst == slot && e->store_dead[op - e->blk->ops];
    if (slot < IR_FIRST_TEMP && !dead)
        store_slot(e, slot);
}

_Static_assert(IR_FIRST_TEMP <= 64, "a bit per guest register slot");

/*
 * A write of a guest register need not be stored when the member writes
 * the register again before anything could read the slot file: a load or
 * store (whose slow path runs its instruction again on the interpreter,
 * from the slot file), a helper call, a branch, a label or an exit.  Only
 * ops computing a value from locals lie between the two writes then.
 */
static void plan_dead_stores(Emitter *e)
{
    const IrBlock *blk = e->blk;
    uint64_t written_again = 0;   /* bit per guest register slot */
    for (unsigned i = blk->n_ops; i-- > 0;) {
        const IrOp *op = &blk->ops[i];
        bool writes = ir_op_writes_dst(op) && op->dst < IR_FIRST_TEMP;
        e->store_dead[i] = writes && (written_again >> op->dst & 1);
        if (writes)
            written_again |= 1ull << op->dst;
        if (!ir_op_writes_dst(op) || op->opc == IR_LD || op->opc == IR_CALL)
            written_again = 0;   /* it may look (before its own write) */
    }
}

/* Pop an i64 into slot. */
static void set(Emitter *e, uint16_t slot)
{
    if (slot == 0) {
        wasm_op(e->code, 0x1a);   /* drop: x0 stays zero */
        return;
    }
    if (e->is_f64[slot])
        wasm_op(e->code, OP_F64_REINTERPRET_I64);
    put_local(e, slot);
}

/* Push slot's bits as f64. */
static void get_f64(Emitter *e, uint16_t slot)
{
    if (e->is_f64[slot]) {
        wasm_local(e->code, OP_LOCAL_GET, e->local_of[slot]);
        return;
    }
    get(e, slot);
    wasm_op(e->code, OP_F64_REINTERPRET_I64);
}

/* Pop an f64 into slot, as its bits. */
static void set_f64(Emitter *e, uint16_t slot)
{
    if (!e->is_f64[slot]) {
        wasm_op(e->code, OP_I64_REINTERPRET_F64);
        set(e, slot);
        return;
    }
    put_local(e, slot);
}

static void load_globals(Emitter *e)
{
    for (unsigned slot = 1; slot < IR_FIRST_TEMP; slot++) {
        if (e->local_of[slot] == NO_LOCAL)
            continue;
        cpu_ptr(e);
        wasm_mem(e->code, e->is_f64[slot] ? OP_F64_LOAD : OP_I64_LOAD, 3,
                 (uint32_t)(offsetof(CpuCommon, slots) + 8 * slot));
        wasm_local(e->code, OP_LOCAL_SET, e->local_of[slot]);
    }
}

static void store_budget(Emitter *e)
{
    cpu_ptr(e);
    wasm_local(e->code, OP_LOCAL_GET, e->local_budget);
    wasm_mem(e->code, OP_I64_STORE, 3, (uint32_t)offsetof(CpuCommon, budget));
}

static void load_budget(Emitter *e)
{
    cpu_ptr(e);
    wasm_mem(e->code, OP_I64_LOAD, 3, (uint32_t)offsetof(CpuCommon, budget));
    wasm_local(e->code, OP_LOCAL_SET, e->local_budget);
}

static void leave(Emitter *e, int32_t status)
{
    wasm_i32_const(e->code, status);
    wasm_op(e->code, OP_RETURN);
}

/* Branch depth from inside `nesting` blocks of the current member's code
 * (beyond its label blocks and its own loop, if any) to the end of the
 * block that member `target` (> the current one) follows; target
 * n_members is the $exit block, inside $indirect_in just inside the
 * dispatch loop. */
static uint32_t depth_to_member(const Emitter *e, unsigned nesting,
                                unsigned target)
{
    return nesting + (e->n_labels - e->labels_reached) + e->self_loop +
           (target - e->member - 1);
}

/* ... and to the dispatch loop; the shared exception exit's block is one
 * further out. */
static uint32_t depth_to_loop(const Emitter *e, unsigned nesting)
{
    return depth_to_member(e, nesting, e->n_members) + 2;
}

/* The function's shared exits, blocks around the dispatch loop: a branch
 * to one sets its locals ($exit_pc, ...) and the exit code, once per
 * function, stores the budget and the pc. */
typedef enum SharedExit {
    EXIT_EXCEPTION = 1,   /* cpu->pc = $exit_pc, status EXCEPTION */
    EXIT_PLAIN = 2,       /* cpu->pc = $exit_pc, status CONTINUE */
    EXIT_INDIRECT = 3,    /* cpu->pc = $va, chain through the jump cache */
    EXIT_GOTO = 4,        /* cpu->pc = $exit_pc, chain via $exit_link or the
                             jump cache, status $exit_code of $exit_tb */
    EXIT_SLOW = 5,        /* cpu->pc = $exit_pc, cpu->interp_once, status
                             CONTINUE: a load or store for the interpreter */
} SharedExit;

/* br to a shared exit from inside `nesting` blocks (as for depth_to_loop) */
static void br_exit(Emitter *e, unsigned nesting, SharedExit which)
{
    wasm_op(e->code, OP_BR);
    wbuf_u32(e->code, depth_to_loop(e, nesting) + (uint32_t)which);
}

static void set_exit_pc(Emitter *e, uint64_t pc)
{
    wasm_i64_const(e->code, (int64_t)pc);
    wasm_local(e->code, OP_LOCAL_SET, e->local_exit_pc);
}

/* if (cpu->exc_pending) { $exit_pc = insn pc; br $exception } (after a
 * helper call, in the member's own block nesting) */
static void check_exception(Emitter *e, uint16_t pc_off)
{
    cpu_ptr(e);
    wasm_mem(e->code, OP_I32_LOAD8_U, 0,
             (uint32_t)offsetof(CpuCommon, exc_pending));
    hint_branch(e, OP_IF, false);
    wbuf_byte(e->code, WT_VOID);
    set_exit_pc(e, e->tb->pc + pc_off);
    br_exit(e, 1, EXIT_EXCEPTION);
    wasm_op(e->code, OP_END);
}

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
    get(e, op->a);
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

static void plan_tlb_reuse(Emitter *e)
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

static void forget_tlb_pages(Emitter *e)
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

static void emit_load(Emitter *e, const IrOp *op)
{
    set_va(e, op);
    host_address(e, tlb_fast_path(e, op, offsetof(TlbEntry, tag_read),
                                  e->local_rtag, e->local_radd));
    wasm_mem(e->code, load_opcode(op->memop), op->memop & IR_MO_SIZE_MASK, 0);
    set(e, op->dst);
}

static void emit_store(Emitter *e, const IrOp *op)
{
    static const uint8_t store_ops[4] = { OP_I64_STORE8, OP_I64_STORE16,
                                          OP_I64_STORE32, OP_I64_STORE };
    unsigned size_log2 = op->memop & IR_MO_SIZE_MASK;
    set_va(e, op);
    host_address(e, tlb_fast_path(e, op, offsetof(TlbEntry, tag_write),
                                  e->local_wtag, e->local_wadd));
    get(e, op->b);
    wasm_mem(e->code, store_ops[size_log2], size_log2, 0);
}

/* ---- arithmetic ----------------------------------------------------------- */

static bool binary_opcode(unsigned opc, uint8_t *wasm_opc)
{
    switch (opc) {
    case IR_ADD: case IR_ADDI: case IR_ADD32: case IR_ADDI32:
        *wasm_opc = OP_I64_ADD; return true;
    case IR_SUB: case IR_SUB32: *wasm_opc = OP_I64_SUB; return true;
    case IR_AND: case IR_ANDI: *wasm_opc = OP_I64_AND; return true;
    case IR_OR: case IR_ORI: *wasm_opc = OP_I64_OR; return true;
    case IR_XOR: case IR_XORI: *wasm_opc = OP_I64_XOR; return true;
    case IR_SHL: case IR_SHLI: *wasm_opc = OP_I64_SHL; return true;
    case IR_SHR: case IR_SHRI: *wasm_opc = OP_I64_SHR_U; return true;
    case IR_SAR: case IR_SARI: *wasm_opc = OP_I64_SHR_S; return true;
    case IR_MUL: case IR_MUL32: *wasm_opc = OP_I64_MUL; return true;
    default: return false;
    }
}

static bool is_imm_form(unsigned opc)
{
    switch (opc) {
    case IR_ADDI: case IR_ANDI: case IR_ORI: case IR_XORI: case IR_SHLI:
    case IR_SHRI: case IR_SARI: case IR_ADDI32: case IR_SHLI32:
    case IR_SHRI32: case IR_SARI32:
        return true;
    default:
        return false;
    }
}

static void push_b(Emitter *e, const IrOp *op)
{
    if (is_imm_form(op->opc))
        wasm_i64_const(e->code, op->imm);
    else
        get(e, op->b);
}

/* 32-bit shifts: operate on the low word, sign-extend the result. */
static void emit_shift32(Emitter *e, const IrOp *op, uint8_t i32_opc)
{
    get(e, op->a);
    wasm_op(e->code, OP_I32_WRAP_I64);
    push_b(e, op);
    wasm_op(e->code, OP_I32_WRAP_I64);
    wasm_op(e->code, i32_opc);
    wasm_op(e->code, OP_I64_EXTEND_I32_S);
    set(e, op->dst);
}

/* d = a op b in f64 (Wasm rounds to nearest even), its bits. */
static void emit_farith64(Emitter *e, const IrOp *op)
{
    static const uint8_t f64_op[IR_FP_OP_COUNT] = { OP_F64_ADD, OP_F64_SUB,
                                                    OP_F64_MUL, OP_F64_DIV };
    get_f64(e, op->a);
    get_f64(e, op->b);
    wasm_op(e->code, f64_op[op->cond < IR_FP_OP_COUNT ? op->cond : 0]);
    set_f64(e, op->dst);
}

static uint8_t compare_opcode(unsigned cond)
{
    static const uint8_t ops[IR_COND_COUNT] = { OP_I64_EQ, OP_I64_NE,
        OP_I64_LT_S, OP_I64_GE_S, OP_I64_LT_U, OP_I64_GE_U };
    return ops[cond < IR_COND_COUNT ? cond : 0];
}

static void emit_runtime_binary(Emitter *e, const IrOp *op, RtBinary fn)
{
    get(e, op->a);
    get(e, op->b);
    emit_call_fn(e, (const void *)fn, TYPE_BINARY);
    set(e, op->dst);
}

static void emit_call(Emitter *e, const IrOp *op)
{
    const IrHelperInfo *info = target_helper_info(op->helper);
    cpu_ptr(e);
    get(e, op->a);
    get(e, op->b);
    get(e, op->c);
    wasm_i64_const(e->code, op->imm);
    emit_call_fn(e, (const void *)info->fn, TYPE_HELPER);
    wasm_local(e->code, OP_LOCAL_SET, e->local_t);
    forget_tlb_pages(e);
    if (info->flags & IR_HELPER_MAY_RAISE)
        check_exception(e, op->pc_off);
    if (!(info->flags & IR_HELPER_NO_RESULT)) {
        wasm_local(e->code, OP_LOCAL_GET, e->local_t);
        set(e, op->dst);
    }
}

/* Branch depth to a label: labels are the ends of nested blocks. */
static bool branch_depth(Emitter *e, int64_t label, uint32_t *depth)
{
    if (label < 0 || label >= IR_MAX_LABELS || e->label_order[label] < 0 ||
        (unsigned)e->label_order[label] < e->labels_reached) {
        e->failed = true;   /* backward branch: not compiled */
        return false;
    }
    *depth = (uint32_t)e->label_order[label] - e->labels_reached;
    return true;
}


/* The code generation counter of the RAM page holding tb's first byte
 * (TbCache.code_gen), or NULL outside RAM, where code is not written. */
static const uint32_t *code_gen_slot(const TbCache *cache,
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

static void emit_exit(Emitter *e, const IrOp *op)
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
        get(e, op->a);
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
        get(e, op->a);
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

static void emit_op(Emitter *e, const IrOp *op)
{
    WasmBuf *c = e->code;
    uint8_t wop;
    uint32_t depth;
    RtBinary rt = runtime_binary(op->opc);
    if (rt) {
        emit_runtime_binary(e, op, rt);
        return;
    }
    switch (op->opc) {
    case IR_NOP: return;
    case IR_MOV:   /* an f64 source moves as f64 (no trip through i64) */
        if (e->is_f64[op->a]) {
            get_f64(e, op->a);
            set_f64(e, op->dst);
        } else {
            get(e, op->a);
            set(e, op->dst);
        }
        return;
    case IR_MOVI: wasm_i64_const(c, op->imm); set(e, op->dst); return;
    case IR_SHL32: case IR_SHLI32:
        get(e, op->a);
        push_b(e, op);
        wasm_i64_const(c, 31);
        wasm_op(c, OP_I64_AND);
        wasm_op(c, OP_I64_SHL);
        wasm_op(c, OP_I64_EXTEND32_S);
        set(e, op->dst);
        return;
    case IR_SHR32: case IR_SHRI32: emit_shift32(e, op, OP_I32_SHR_U); return;
    case IR_SAR32: case IR_SARI32: emit_shift32(e, op, OP_I32_SHR_S); return;
    case IR_SEXT8: get(e, op->a); wasm_op(c, OP_I64_EXTEND8_S); set(e, op->dst); return;
    case IR_SEXT16: get(e, op->a); wasm_op(c, OP_I64_EXTEND16_S); set(e, op->dst); return;
    case IR_SEXT32: get(e, op->a); wasm_op(c, OP_I64_EXTEND32_S); set(e, op->dst); return;
    case IR_ZEXT8: case IR_ZEXT16:
        get(e, op->a);
        wasm_i64_const(c, op->opc == IR_ZEXT8 ? 0xff : 0xffff);
        wasm_op(c, OP_I64_AND);
        set(e, op->dst);
        return;
    case IR_ZEXT32:
        get(e, op->a);
        wasm_op(c, OP_I32_WRAP_I64);
        wasm_op(c, OP_I64_EXTEND_I32_U);
        set(e, op->dst);
        return;
    case IR_SETCOND: case IR_SETCONDI:
        get(e, op->a);
        if (op->opc == IR_SETCONDI) wasm_i64_const(c, op->imm); else get(e, op->b);
        wasm_op(c, compare_opcode(op->cond));
        wasm_op(c, OP_I64_EXTEND_I32_U);
        set(e, op->dst);
        return;
    case IR_SELECT:
        get(e, op->b);
        get(e, op->c);
        get(e, op->a);
        wasm_op(c, OP_I64_EQZ);
        wasm_op(c, OP_I32_EQZ);
        wasm_op(c, OP_SELECT);
        set(e, op->dst);
        return;
    case IR_FARITH64: emit_farith64(e, op); return;
    case IR_LDCPU32:
        cpu_ptr(e);
        wasm_mem(c, OP_I64_LOAD32_U, 2, (uint32_t)op->imm);
        set(e, op->dst);
        return;
    case IR_LD: emit_load(e, op); return;
    case IR_ST: emit_store(e, op); return;
    case IR_CALL: emit_call(e, op); return;
    case IR_LABEL:
        wasm_op(c, OP_END);
        e->labels_reached++;
        return;
    case IR_SKIP:   /* for the interpreter only: run the inline fast path */
        return;
    case IR_BR:
        if (branch_depth(e, op->imm, &depth)) {
            wasm_op(c, OP_BR);
            wbuf_u32(c, depth);
        }
        return;
    case IR_BRCOND: case IR_BRCONDI:
        get(e, op->a);
        if (op->opc == IR_BRCONDI) wasm_i64_const(c, op->imm2); else get(e, op->b);
        wasm_op(c, compare_opcode(op->cond));
        if (branch_depth(e, op->imm, &depth)) {
            if (op->expect == IR_EXPECT_NONE)
                wasm_op(c, OP_BR_IF);
            else
                hint_branch(e, OP_BR_IF, op->expect == IR_EXPECT_TAKEN);
            wbuf_u32(c, depth);
        }
        return;
    case IR_GOTO_TB: case IR_EXIT_TB: case IR_JUMP_IND: case IR_EXIT_IND:
    case IR_RAISE:
        emit_exit(e, op);
        return;
    default:
        break;
    }
    if (binary_opcode(op->opc, &wop)) {
        bool word = op->opc == IR_ADD32 || op->opc == IR_SUB32 ||
                    op->opc == IR_ADDI32 || op->opc == IR_MUL32;
        get(e, op->a);
        push_b(e, op);
        wasm_op(c, wop);
        if (word)
            wasm_op(c, OP_I64_EXTEND32_S);
        set(e, op->dst);
        return;
    }
    e->failed = true;
}

/* Blocks for labels, opened innermost-first in order of appearance. */
static void open_label_blocks(Emitter *e)
{
    unsigned n = 0;
    for (unsigned i = 0; i < IR_MAX_LABELS; i++)
        e->label_order[i] = -1;
    for (unsigned i = 0; i < e->blk->n_ops; i++) {
        const IrOp *op = &e->blk->ops[i];
        if (op->opc == IR_LABEL && op->imm >= 0 && op->imm < IR_MAX_LABELS)
            e->label_order[op->imm] = (int)n++;
    }
    e->n_labels = n;
    for (unsigned i = 0; i < n; i++) {
        wasm_op(e->code, OP_BLOCK);
        wbuf_byte(e->code, WT_VOID);
    }
}

static bool jumps_to_itself(const TranslationBlock *tb, const IrBlock *blk)
{
    for (unsigned i = 0; i < blk->n_ops; i++)
        if (blk->ops[i].opc == IR_GOTO_TB && (uint64_t)blk->ops[i].imm == tb->pc)
            return true;
    return false;
}

/* One member's code: its label blocks, its ops, and a fall-through exit.
 * A member that jumps to itself (a one-TB guest loop) gets a Wasm loop of
 * its own, so that the back edge skips the dispatch loop's br_table. */
static void emit_member(Emitter *e, unsigned m)
{
    e->member = m;
    e->tb = e->members[m];
    e->blk = e->member_ir[m];
    e->labels_reached = 0;
    plan_tlb_reuse(e);
    plan_dead_stores(e);
    e->self_loop = jumps_to_itself(e->tb, e->blk) && member_at(e, e->tb->pc) == (int)m;
    if (e->self_loop) {
        wasm_op(e->code, 0x03);   /* loop */
        wbuf_byte(e->code, WT_VOID);
    }
    open_label_blocks(e);
    for (unsigned i = 0; i < e->blk->n_ops && !e->failed; i++) {
        e->cur_op = &e->blk->ops[i];
        emit_op(e, e->cur_op);
    }
    e->cur_op = NULL;
    set_exit_pc(e, e->tb->pc + e->tb->size);
    br_exit(e, 0, EXIT_PLAIN);
    if (e->self_loop)
        wasm_op(e->code, OP_END);
    e->self_loop = 0;
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
static void emit_shared_exits(Emitter *e)
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
static void emit_indirect_in(Emitter *e)
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

/*
 * block $goto block $indirect block $plain block $exception
 *   loop $dispatch
 *     block $indirect_in
 *       block $exit
 *         block $m(n-1) ... block $m0
 *           br_table $m0 .. $m(n-1) $exit   (on $cur: first cpu->wasm_member,
 *                                            the member the caller enters)
 *         end  member 0 ... end  member n-1
 *       end
 *     end   emit_indirect_in
 *   end
 * end ... end   each followed by its exit code (emit_shared_exits)
 */
static void emit_function(Emitter *e, WasmBuf *body)
{
    WasmBuf code;
    wbuf_init(&code);
    e->code = &code;
    load_globals(e);
    load_budget(e);
    forget_tlb_pages(e);
    cpu_ptr(e);
    wasm_mem(&code, OP_I32_LOAD, 2, (uint32_t)offsetof(CpuCommon, wasm_member));
    wasm_local(&code, OP_LOCAL_SET, e->local_cur);
    cpu_ptr(e);
    wasm_mem(&code, OP_I32_LOAD, 2, (uint32_t)offsetof(CpuCommon, wasm_chain));
    wasm_local(&code, OP_LOCAL_SET, e->local_self);
    for (unsigned x = 0; x < 5; x++) {   /* $slow, $goto, $indirect, $plain, $exception */
        wasm_op(&code, OP_BLOCK);
        wbuf_byte(&code, WT_VOID);
    }
    wasm_op(&code, 0x03);   /* loop */
    wbuf_byte(&code, WT_VOID);
    wasm_op(&code, OP_BLOCK);   /* $indirect_in */
    wbuf_byte(&code, WT_VOID);
    for (unsigned m = 0; m <= e->n_members; m++) {
        wasm_op(&code, OP_BLOCK);
        wbuf_byte(&code, WT_VOID);
    }
    wasm_local(&code, OP_LOCAL_GET, e->local_cur);
    wasm_op(&code, 0x0e);   /* br_table */
    wbuf_u32(&code, e->n_members);
    for (unsigned m = 0; m < e->n_members; m++)
        wbuf_u32(&code, m);
    wbuf_u32(&code, e->n_members);
    for (unsigned m = 0; m < e->n_members && !e->failed; m++) {
        wasm_op(&code, OP_END);
        emit_member(e, m);
    }
    wasm_op(&code, OP_END);   /* $exit ($cur out of range: never taken) */
    set_exit_pc(e, e->members[0]->pc);
    wasm_op(&code, OP_BR);    /* $indirect_in, loop, $exception, $plain */
    wbuf_u32(&code, 3);
    wasm_op(&code, OP_END);   /* $indirect_in */
    if (e->chain)
        emit_indirect_in(e);
    wasm_op(&code, OP_END);   /* loop (never falls through) */
    wasm_op(&code, OP_UNREACHABLE);
    emit_shared_exits(e);
    wasm_op(&code, OP_END);

    WasmBuf locals;
    wbuf_init(&locals);
    wbuf_u32(&locals, e->n_f64_locals ? 3 : 2);  /* local groups */
    wbuf_u32(&locals, e->n_slot_locals + 6);     /* slots, $va, $t, $exit_pc, $budget,
                                                    $rtag, $wtag */
    wbuf_byte(&locals, WT_I64);
    wbuf_u32(&locals, 11);  /* $ent, $cur, $next, $fn, $exit_link, $exit_tb,
                               $exit_code, $self, $radd, $wadd, $add */
    wbuf_byte(&locals, WT_I32);
    if (e->n_f64_locals) {   /* the f64 slots (scan_slots) */
        wbuf_u32(&locals, e->n_f64_locals);
        wbuf_byte(&locals, WT_F64);
    }
    wbuf_u32(body, (uint32_t)(locals.len + code.len));
    wbuf_bytes(body, locals.data, locals.len);
    wbuf_bytes(body, code.data, code.len);
    e->locals_len = (uint32_t)locals.len;
    if (code.failed || locals.failed)
        e->failed = true;
    wbuf_free(&locals);
    wbuf_free(&code);
}

static void func_type(WasmBuf *b, const uint8_t *params, unsigned n_params,
                      int result)
{
    wbuf_byte(b, WT_FUNC);
    wbuf_u32(b, n_params);
    wbuf_bytes(b, params, n_params);
    if (result) {
        wbuf_u32(b, 1);
        wbuf_byte(b, (uint8_t)result);
    } else {
        wbuf_u32(b, 0);
    }
}

static void module_header(WasmBuf *m, const ModuleImports *im,
                          unsigned n_funcs)
{
    static const uint8_t magic[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
    static const uint8_t p_helper[] = { WT_I32, WT_I64, WT_I64, WT_I64, WT_I64 };
    static const uint8_t p_binary[] = { WT_I64, WT_I64 };
    WasmBuf s;
    wbuf_bytes(m, magic, sizeof(magic));

    wbuf_init(&s);                                   /* types */
    wbuf_u32(&s, 3);
    func_type(&s, NULL, 0, WT_I32);
    func_type(&s, p_helper, 5, WT_I64);
    func_type(&s, p_binary, 2, WT_I64);
    wbuf_section(m, 1, &s);
    wbuf_free(&s);

    /* imports: the memory, then each C function as ("h", "<table index>");
     * no table: V8 (11.x) makes each instance importing a table cost time
     * linear in the table's size, and each table write linear in the
     * number of such instances. */
    wbuf_init(&s);
    wbuf_u32(&s, 1 + im->n);
    wbuf_name(&s, "env");
    wbuf_name(&s, "memory");
    wbuf_byte(&s, 2);            /* memory, limits: min 0, no max */
    wbuf_byte(&s, 0);
    wbuf_u32(&s, 0);
    for (unsigned i = 0; i < im->n; i++) {
        char name[16];
        snprintf(name, sizeof(name), "%" PRId32, im->fn[i]);
        wbuf_name(&s, "h");
        wbuf_name(&s, name);
        wbuf_byte(&s, 0);        /* function */
        wbuf_u32(&s, im->type[i]);
    }
    wbuf_section(m, 2, &s);
    wbuf_free(&s);

    wbuf_init(&s);                                   /* the region functions */
    wbuf_u32(&s, n_funcs);
    for (unsigned f = 0; f < n_funcs; f++)
        wbuf_u32(&s, TYPE_TB);
    wbuf_section(m, 3, &s);
    wbuf_free(&s);

    wbuf_init(&s);                                   /* exported as "0", "1", ... */
    wbuf_u32(&s, n_funcs);
    for (unsigned f = 0; f < n_funcs; f++) {
        char name[16];
        snprintf(name, sizeof(name), "%u", f);
        wbuf_name(&s, name);
        wbuf_byte(&s, 0);
        wbuf_u32(&s, im->n + f);  /* after the imported functions */
    }
    wbuf_section(m, 7, &s);
    wbuf_free(&s);
}

struct WasmModuleBuilder {
    const TbCache *cache;
    ModuleImports imports;
    WasmBuf bodies;       /* code section entries so far */
    /* Branch hints per function: count, then (offset, 1, hint) each. */
    WasmBuf hints[WASM_BATCH_MAX];
    uint64_t entry_pc[WASM_BATCH_MAX];   /* each function's, for its name */
    unsigned n_funcs;
    uint32_t cpu_addr;
    bool chain;
    bool failed;
};

WasmModuleBuilder *wasm_module_new(const CpuCommon *cpu, bool chain,
                                   const TbCache *cache)
{
    WasmModuleBuilder *b = calloc(1, sizeof(*b));
    if (b) {
        b->cpu_addr = (uint32_t)(uintptr_t)cpu;
        b->chain = chain;
        b->cache = cache;
        wbuf_init(&b->bodies);
    }
    return b;
}

/* The function's hints as the branch-hint section lists them: their
 * count, then each one's offset from the start of the locals, the payload
 * size (1) and the hint. */
static bool encode_hints(const Emitter *e, WasmBuf *out)
{
    wbuf_init(out);
    wbuf_u32(out, e->n_hints);
    for (size_t at = 0; at + 5 <= e->hints.len; at += 5) {
        uint32_t offset;   /* (as hint_branch wrote it) */
        memcpy(&offset, e->hints.data + at, sizeof(offset));
        wbuf_u32(out, e->locals_len + offset);
        wbuf_u32(out, 1);
        wbuf_byte(out, e->hints.data[at + 4]);
    }
    return !out->failed && !e->hints.failed;
}

/* Custom section "metadata.code.branch_hint", before the code section. */
static void hint_section(WasmBuf *m, const WasmModuleBuilder *b)
{
    WasmBuf s;
    wbuf_init(&s);
    wbuf_name(&s, "metadata.code.branch_hint");
    wbuf_u32(&s, b->n_funcs);
    for (unsigned f = 0; f < b->n_funcs; f++) {
        wbuf_u32(&s, b->imports.n + f);
        wbuf_bytes(&s, b->hints[f].data, b->hints[f].len);
    }
    wbuf_section(m, 0, &s);
    wbuf_free(&s);
}

unsigned wasm_module_add_region(WasmModuleBuilder *b,
                                const TranslationBlock *const *tbs,
                                const IrBlock *const *blks, unsigned n)
{
    Emitter *e = calloc(1, sizeof(*e));
    if (!e)
        return UINT32_MAX;
    e->chain = b->chain;
    e->cpu_addr = b->cpu_addr;
    e->cache = b->cache;
    e->imports = &b->imports;
    e->members = tbs;
    e->member_ir = blks;
    e->n_members = n;
    scan_slots(e);
    /* A refused region leaves no trace: emit into a scratch buffer. */
    ModuleImports saved = b->imports;
    WasmBuf body;
    wbuf_init(&body);
    wbuf_init(&e->hints);
    emit_function(e, &body);
    bool ok = !e->failed && !body.failed && b->n_funcs < WASM_BATCH_MAX;
    if (ok && !encode_hints(e, &b->hints[b->n_funcs])) {
        wbuf_free(&b->hints[b->n_funcs]);
        ok = false;
    }
    wbuf_free(&e->hints);
    free(e);
    if (!ok) {
        b->imports = saved;
        wbuf_free(&body);
        return UINT32_MAX;
    }
    wbuf_bytes(&b->bodies, body.data, body.len);
    wbuf_free(&body);
    b->entry_pc[b->n_funcs] = tbs[0]->pc;
    return b->n_funcs++;
}

static void builder_free(WasmModuleBuilder *b)
{
    wbuf_free(&b->bodies);
    for (unsigned f = 0; f < b->n_funcs; f++)
        wbuf_free(&b->hints[f]);
    free(b);
}

/* The name section: each function is "tb_" and its entry pc in hex, so
 * that V8's profiles (node --perf-basic-prof, Chromium's DevTools) tell
 * the regions apart. */
static void name_section(WasmBuf *m, const WasmModuleBuilder *b)
{
    WasmBuf s, names;
    wbuf_init(&s);
    wbuf_init(&names);
    wbuf_name(&s, "name");
    wbuf_u32(&names, b->n_funcs);
    for (unsigned f = 0; f < b->n_funcs; f++) {
        char name[24];
        snprintf(name, sizeof(name), "tb_%" PRIx64, b->entry_pc[f]);
        wbuf_u32(&names, b->imports.n + f);
        wbuf_name(&names, name);
    }
    wbuf_section(&s, 1, &names);   /* subsection 1: function names */
    wbuf_section(m, 0, &s);
    wbuf_free(&names);
    wbuf_free(&s);
}

bool wasm_module_finish(WasmModuleBuilder *b, WasmBuf *module)
{
    bool ok = b->n_funcs > 0 && !b->bodies.failed;
    if (ok) {
        WasmBuf code;
        wbuf_init(&code);
        wbuf_u32(&code, b->n_funcs);
        wbuf_bytes(&code, b->bodies.data, b->bodies.len);
        module_header(module, &b->imports, b->n_funcs);
        hint_section(module, b);
        wbuf_section(module, 10, &code);
        name_section(module, b);
        ok = !code.failed && !module->failed;
        wbuf_free(&code);
    }
    builder_free(b);
    return ok;
}

bool wasm_encode_tb(const CpuCommon *cpu, const TranslationBlock *tb,
                    const IrBlock *blk, WasmBuf *module)
{
    WasmModuleBuilder *b = wasm_module_new(cpu, false, NULL);
    if (!b)
        return false;
    if (wasm_module_add_region(b, &tb, &blk, 1) == UINT32_MAX) {
        builder_free(b);
        return false;
    }
    return wasm_module_finish(b, module);
}

/* ---- installing ------------------------------------------------------------ */

#ifdef __EMSCRIPTEN__
/*
 * Module.wasmuInstantiate(module, n_funcs, entries): instantiate against our
 * own memory, with the C functions the module calls; entries[i] gets the
 * table index of exported function i.
 *
 * Table slots for compiled code come from a free list refilled by growing
 * the table 256 slots at a time: V8 updates every instance that imports
 * the table on each grow, so growing slot by slot (as addFunction does)
 * costs time quadratic in the number of live modules.
 */
EM_JS(void, js_wasm_setup, (void), {
    if (Module.wasmuInstantiate)
        return;
    Module.wasmuFreeSlots = [];
    Module.wasmuInstantiate = function (module, n_funcs, entries) {
        var helpers = {};
        WebAssembly.Module.imports(module).forEach(function (imp) {
            if (imp.module == 'h')
                helpers[imp.name] = wasmTable.get(+imp.name);
        });
        var instance = new WebAssembly.Instance(module, {
            env: { memory: wasmMemory }, h: helpers
        });
        var free = Module.wasmuFreeSlots;
        for (var f = 0; f < n_funcs; f++) {
            if (free.length == 0) {
                var base = wasmTable.grow(256);
                for (var i = 255; i >= 0; i--)
                    free.push(base + i);
            }
            var index = free.pop();
            wasmTable.set(index, instance.exports[f]);
            HEAP32[(entries >> 2) + f] = index;
        }
    };
});

/* Compile synchronously and instantiate; 0 on failure. */
EM_JS(int, js_wasm_install, (const uint8_t *bytes, size_t len, unsigned n_funcs,
                             int32_t *entries), {
    try {
        var module = new WebAssembly.Module(HEAPU8.subarray(bytes, bytes + len));
        Module.wasmuInstantiate(module, n_funcs, entries);
        return 1;
    } catch (e) {
        err("wasmu: Wasm tier compile failed: " + e);
        return 0;
    }
});

/* The same off the main thread: WebAssembly.compile works in V8's
 * background threads; the module is instantiated (cheap) when the promise
 * settles, between slices, and wasm_jit_installed(batch, ok) is told. */
EM_JS(void, js_wasm_install_async, (const uint8_t *bytes, size_t len,
                                    unsigned n_funcs, int32_t *entries,
                                    void *batch), {
    WebAssembly.compile(HEAPU8.slice(bytes, bytes + len)).then(function (module) {
        var ok = 1;
        try {
            Module.wasmuInstantiate(module, n_funcs, entries);
        } catch (e) {
            err("wasmu: Wasm tier compile failed: " + e);
            ok = 0;
        }
        _wasm_jit_installed(batch, ok);
    }, function (e) {
        err("wasmu: Wasm tier compile failed: " + e);
        _wasm_jit_installed(batch, 0);
    });
});

EM_JS(void, js_wasm_release, (int32_t index), {
    wasmTable.set(index, null);
    Module.wasmuFreeSlots.push(index);
});

static uint32_t page_code_gen(const TbCache *cache, const TranslationBlock *tb)
{
    const uint32_t *slot = code_gen_slot(cache, tb);
    return slot ? *slot : 0;
}

/* A region's members in layout order (tb[0] the entry), each with its
 * page's code generation when the region was built, and whether the
 * region claimed it (claim_members). */
typedef struct RegionMembers {
    TranslationBlock *tb[WASM_REGION_MAX];
    uint32_t code_gen[WASM_REGION_MAX];
    bool claimed[WASM_REGION_MAX];
    unsigned n;
} RegionMembers;

/*
 * A compiled region can be entered at any of its members (cpu->wasm_member).
 * So its members that have no code yet, or are only queued, wait for it
 * (WASM_ENTRY_PENDING) instead of each getting a region of its own: the
 * TBs of a hot loop pass the threshold together, and regions built around
 * each of them would hold the same code many times over.
 */
static void claim_members(RegionMembers *r)
{
    for (unsigned m = 1; m < r->n; m++) {
        TranslationBlock *t = r->tb[m];
        r->claimed[m] = t->wasm_entry == WASM_ENTRY_NONE ||
                        t->wasm_entry == WASM_ENTRY_QUEUED;
        if (r->claimed[m])
            t->wasm_entry = WASM_ENTRY_PENDING;
    }
}

/* The region's compile settled (entry: its table index, 0 if it failed):
 * the claimed members take it as their code, or go back to the
 * interpreter.  One whose page changed since was reset by the write (and
 * may wait for another compile now): it is left alone, as the region may
 * hold its old code. */
static void settle_members(TbCache *cache, const RegionMembers *r,
                           int32_t entry)
{
    for (unsigned m = 1; m < r->n; m++) {
        TranslationBlock *t = r->tb[m];
        if (!r->claimed[m] || t->invalid || t->wasm_entry != WASM_ENTRY_PENDING ||
            page_code_gen(cache, t) != r->code_gen[m])
            continue;
        t->wasm_entry = entry > 0 ? entry : WASM_ENTRY_NONE;
        t->wasm_member = (uint8_t)m;
        cache->stats.wasm_members += entry > 0;
    }
}

/* Whether a settled compile may still be installed for its entry tb: the
 * TB waits for this very compile.  A page write since the region was built
 * resets the TB (tb_invalidate_phys_range), which may then be queued again
 * and wait for a newer compile: the page's generation tells them apart. */
static bool entry_waits(const TbCache *cache, const TranslationBlock *tb,
                        const RegionMembers *r)
{
    return tb->wasm_entry == WASM_ENTRY_PENDING && !tb->invalid &&
           page_code_gen(cache, tb) == r->code_gen[0];
}

/*
 * A module's compile settled (ok: entries[i] is region i's function), the
 * cache not flushed since: the entries still waiting get their code (or
 * WASM_ENTRY_FAILED), and so do the members their regions claimed.  Used
 * by both the synchronous and the background compile.
 */
static void settle_batch(TbCache *cache, TranslationBlock *const *tbs,
                         const RegionMembers *regions, const int32_t *entries,
                         unsigned n, size_t bytes, bool ok)
{
    for (unsigned i = 0; i < n; i++) {
        bool waits = entry_waits(cache, tbs[i], &regions[i]);
        if (ok)
            tb_note_wasm_entry(cache, entries[i]);   /* released by a flush */
        if (waits) {
            tbs[i]->wasm_entry = ok ? entries[i] : WASM_ENTRY_FAILED;
            tbs[i]->wasm_member = 0;
        }
        settle_members(cache, &regions[i], ok ? entries[i] : 0);
    }
    if (ok) {
        cache->stats.wasm_compiled += n;
        cache->stats.wasm_modules++;
        cache->stats.wasm_bytes += bytes;
    }
}

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
static unsigned add_region(CpuCommon *cpu, WasmModuleBuilder *b,
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

bool wasm_jit_enqueue(CpuCommon *cpu, TranslationBlock *tb)
{
    TbCache *cache = cpu->tbs;
    tb->wasm_entry = WASM_ENTRY_QUEUED;
    cache->jit_queue[cache->n_jit_queue++] = tb;
    return cache->n_jit_queue == WASM_BATCH_MAX;
}

#ifdef __EMSCRIPTEN__
/* A module compiling in V8's background threads (js_wasm_install_async). */
struct WasmBatch {
    TbCache *cache;            /* NULL once the cache is freed */
    uint64_t generation;       /* cache->generation when it was encoded */
    unsigned n;
    size_t bytes;
    TranslationBlock *tbs[WASM_BATCH_MAX];
    /* Each entry's region; the code generation of the entry's page when it
     * was built (regions[i].code_gen[0]) tells whether the copy is stale. */
    RegionMembers regions[WASM_BATCH_MAX];
    int32_t entries[WASM_BATCH_MAX];
    WasmBatch *next;           /* cache->wasm_pending */
};

static bool start_async(TbCache *cache, TranslationBlock **tbs, unsigned n,
                        const RegionMembers *regions, const WasmBuf *module)
{
    WasmBatch *b = calloc(1, sizeof(*b));
    if (!b)
        return false;
    b->cache = cache;
    b->generation = cache->generation;
    b->n = n;
    b->bytes = module->len;
    for (unsigned i = 0; i < n; i++) {
        b->tbs[i] = tbs[i];
        b->regions[i] = regions[i];
        tbs[i]->wasm_entry = WASM_ENTRY_PENDING;
    }
    b->next = cache->wasm_pending;
    cache->wasm_pending = b;
    cache->n_wasm_pending += n;
    js_wasm_install_async(module->data, module->len, n, b->entries, b);
    return true;
}

/*
 * A background compile settled (called from JS between slices, never while
 * guest code runs).  Its TBs get their code if the cache was not flushed
 * meanwhile and they were not invalidated or reset (SMC) since.
 */
EMSCRIPTEN_KEEPALIVE
void wasm_jit_installed(WasmBatch *b, int ok)
{
    TbCache *cache = b->cache;
    bool current = cache && cache->generation == b->generation;
    if (cache) {
        WasmBatch **link = &cache->wasm_pending;
        while (*link != b)
            link = &(*link)->next;
        *link = b->next;
        cache->n_wasm_pending -= b->n;
    }
    if (current)
        settle_batch(cache, b->tbs, b->regions, b->entries, b->n, b->bytes, ok);
    else
        for (unsigned i = 0; i < b->n && ok; i++)
            js_wasm_release(b->entries[i]);   /* its TBs are gone */
    free(b);
}
#endif

void wasm_jit_forget_pending(TbCache *cache)
{
#ifdef __EMSCRIPTEN__
    for (WasmBatch *b = cache->wasm_pending; b; b = b->next)
        b->cache = NULL;
    cache->wasm_pending = NULL;
    cache->n_wasm_pending = 0;
#else
    (void)cache;
#endif
}

/*
 * Compile the queued TBs' regions into one module: V8 spends time on every
 * module it compiles beyond its code, so one module per batch rather than
 * per region.  A TB invalidated or reset (SMC) while it waited is dropped.
 * With -accel tcg,jit-async=on (the default) V8 compiles it in the
 * background and the TBs keep running on the interpreter meanwhile.
 */
void wasm_jit_compile_queued(CpuCommon *cpu)
{
    TbCache *cache = cpu->tbs;
    unsigned n_queued = cache->n_jit_queue;
    cache->n_jit_queue = 0;
    if (!n_queued)
        return;
#ifdef __EMSCRIPTEN__
    TranslationBlock *compiled[WASM_BATCH_MAX];
    RegionMembers regions[WASM_BATCH_MAX];
    unsigned n = 0;
    WasmModuleBuilder *b = wasm_module_new(cpu, true, cache);
    for (unsigned q = 0; q < n_queued; q++) {
        TranslationBlock *tb = cache->jit_queue[q];
        if (tb->wasm_entry != WASM_ENTRY_QUEUED)
            continue;
        tb->wasm_entry = WASM_ENTRY_FAILED;
        if (tb->invalid || !b || add_region(cpu, b, tb, &regions[n]) == UINT32_MAX)
            continue;
        claim_members(&regions[n]);
        compiled[n++] = tb;
    }
    if (!b)
        return;
    WasmBuf module;
    wbuf_init(&module);
    int32_t entries[WASM_BATCH_MAX];
    js_wasm_setup();
    bool finished = wasm_module_finish(b, &module);   /* (frees b) */
    if (!finished || !cache->opts.jit_async ||
        !start_async(cache, compiled, n, regions, &module)) {
        /* now, or never (nothing to compile, refused, out of memory) */
        for (unsigned i = 0; i < n; i++)
            compiled[i]->wasm_entry = WASM_ENTRY_PENDING;
        bool ok = finished && !cache->opts.jit_async &&
                  js_wasm_install(module.data, module.len, n, entries);
        settle_batch(cache, compiled, regions, entries, n, module.len, ok);
    }
    wbuf_free(&module);
#else
    for (unsigned q = 0; q < n_queued; q++)
        cache->jit_queue[q]->wasm_entry = WASM_ENTRY_FAILED;
#endif
}

int32_t wasm_jit_install(const uint8_t *bytes, size_t len)
{
#ifdef __EMSCRIPTEN__
    int32_t entry;
    js_wasm_setup();
    return js_wasm_install(bytes, len, 1, &entry) ? entry : 0;
#else
    (void)bytes;
    (void)len;
    return 0;
#endif
}

void wasm_jit_release(int32_t entry)
{
#ifdef __EMSCRIPTEN__
    if (entry > 0)
        js_wasm_release(entry);
#else
    (void)entry;
#endif
}
