/*
 * IR -> WebAssembly: one region's IR becomes one Wasm function (loads and
 * stores in wasm_emit_mem.c, jumps and exits in wasm_emit_exit.c; the
 * module around it in wasm_module.c).  See wasm_jit.h for the contract.
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
#include "backend/wasm/wasm_internal.h"

#include <stddef.h>
#include <string.h>

#include "ir/ir_arith.h"

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

static void emit_call_fn(Emitter *e, const void *fn, uint8_t type);
static void load_budget(Emitter *e);

/*
 * An if or br_if whose condition is almost always `likely` (the TLB hit,
 * no exception pending, budget left, page unchanged, the frontend's
 * IrExpect: the FP fast path's conditions), for the module's
 * branch-hint section: V8 then lays the other side out of line and, as
 * deferred code, keeps the spills around its helper call there instead of
 * on the hot path (--experimental-wasm-branch-hinting under Node 20).
 */
void hint_branch(Emitter *e, uint8_t opcode, bool likely)
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
int member_at(const Emitter *e, uint64_t pc)
{
    for (unsigned m = 0; m < e->n_members; m++)
        if (e->members[m]->pc == pc)
            return (int)m;
    return -1;
}

/* Locals for the slots the region uses. */
void scan_slots(Emitter *e)
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
void cpu_ptr(Emitter *e)
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
void push_slot(Emitter *e, uint16_t slot)
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
void pop_slot(Emitter *e, uint16_t slot)
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
    push_slot(e, slot);
    wasm_op(e->code, OP_F64_REINTERPRET_I64);
}

/* Pop an f64 into slot, as its bits. */
static void set_f64(Emitter *e, uint16_t slot)
{
    if (!e->is_f64[slot]) {
        wasm_op(e->code, OP_I64_REINTERPRET_F64);
        pop_slot(e, slot);
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

void store_budget(Emitter *e)
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

/* Branch depth from inside `nesting` blocks of the current member's code
 * (beyond its label blocks and its own loop, if any) to the end of the
 * block that member `target` (> the current one) follows; target
 * n_members is the $exit block, inside $indirect_in just inside the
 * dispatch loop. */
uint32_t depth_to_member(const Emitter *e, unsigned nesting,
                         unsigned target)
{
    return nesting + (e->n_labels - e->labels_reached) + e->self_loop +
           (target - e->member - 1);
}

/* ... and to the dispatch loop; the shared exception exit's block is one
 * further out. */
uint32_t depth_to_loop(const Emitter *e, unsigned nesting)
{
    return depth_to_member(e, nesting, e->n_members) + 2;
}

/* br to a shared exit from inside `nesting` blocks (as for depth_to_loop) */
void br_exit(Emitter *e, unsigned nesting, SharedExit which)
{
    wasm_op(e->code, OP_BR);
    wbuf_u32(e->code, depth_to_loop(e, nesting) + (uint32_t)which);
}

void set_exit_pc(Emitter *e, uint64_t pc)
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
        push_slot(e, op->b);
}

/* 32-bit shifts: operate on the low word, sign-extend the result. */
static void emit_shift32(Emitter *e, const IrOp *op, uint8_t i32_opc)
{
    push_slot(e, op->a);
    wasm_op(e->code, OP_I32_WRAP_I64);
    push_b(e, op);
    wasm_op(e->code, OP_I32_WRAP_I64);
    wasm_op(e->code, i32_opc);
    wasm_op(e->code, OP_I64_EXTEND_I32_S);
    pop_slot(e, op->dst);
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
    push_slot(e, op->a);
    push_slot(e, op->b);
    emit_call_fn(e, (const void *)fn, TYPE_BINARY);
    pop_slot(e, op->dst);
}

static void emit_call(Emitter *e, const IrOp *op)
{
    const IrHelperInfo *info = target_helper_info(op->helper);
    cpu_ptr(e);
    push_slot(e, op->a);
    push_slot(e, op->b);
    push_slot(e, op->c);
    wasm_i64_const(e->code, op->imm);
    emit_call_fn(e, (const void *)info->fn, TYPE_HELPER);
    wasm_local(e->code, OP_LOCAL_SET, e->local_t);
    forget_tlb_pages(e);
    if (info->flags & IR_HELPER_MAY_RAISE)
        check_exception(e, op->pc_off);
    if (!(info->flags & IR_HELPER_NO_RESULT)) {
        wasm_local(e->code, OP_LOCAL_GET, e->local_t);
        pop_slot(e, op->dst);
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
            push_slot(e, op->a);
            pop_slot(e, op->dst);
        }
        return;
    case IR_MOVI: wasm_i64_const(c, op->imm); pop_slot(e, op->dst); return;
    case IR_SHL32: case IR_SHLI32:
        push_slot(e, op->a);
        push_b(e, op);
        wasm_i64_const(c, 31);
        wasm_op(c, OP_I64_AND);
        wasm_op(c, OP_I64_SHL);
        wasm_op(c, OP_I64_EXTEND32_S);
        pop_slot(e, op->dst);
        return;
    case IR_SHR32: case IR_SHRI32: emit_shift32(e, op, OP_I32_SHR_U); return;
    case IR_SAR32: case IR_SARI32: emit_shift32(e, op, OP_I32_SHR_S); return;
    case IR_SEXT8: push_slot(e, op->a); wasm_op(c, OP_I64_EXTEND8_S); pop_slot(e, op->dst); return;
    case IR_SEXT16: push_slot(e, op->a); wasm_op(c, OP_I64_EXTEND16_S); pop_slot(e, op->dst); return;
    case IR_SEXT32: push_slot(e, op->a); wasm_op(c, OP_I64_EXTEND32_S); pop_slot(e, op->dst); return;
    case IR_ZEXT8: case IR_ZEXT16:
        push_slot(e, op->a);
        wasm_i64_const(c, op->opc == IR_ZEXT8 ? 0xff : 0xffff);
        wasm_op(c, OP_I64_AND);
        pop_slot(e, op->dst);
        return;
    case IR_ZEXT32:
        push_slot(e, op->a);
        wasm_op(c, OP_I32_WRAP_I64);
        wasm_op(c, OP_I64_EXTEND_I32_U);
        pop_slot(e, op->dst);
        return;
    case IR_SETCOND: case IR_SETCONDI:
        push_slot(e, op->a);
        if (op->opc == IR_SETCONDI) wasm_i64_const(c, op->imm); else push_slot(e, op->b);
        wasm_op(c, compare_opcode(op->cond));
        wasm_op(c, OP_I64_EXTEND_I32_U);
        pop_slot(e, op->dst);
        return;
    case IR_SELECT:
        push_slot(e, op->b);
        push_slot(e, op->c);
        push_slot(e, op->a);
        wasm_op(c, OP_I64_EQZ);
        wasm_op(c, OP_I32_EQZ);
        wasm_op(c, OP_SELECT);
        pop_slot(e, op->dst);
        return;
    case IR_FARITH64: emit_farith64(e, op); return;
    case IR_LDCPU32:
        cpu_ptr(e);
        wasm_mem(c, OP_I64_LOAD32_U, 2, (uint32_t)op->imm);
        pop_slot(e, op->dst);
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
        push_slot(e, op->a);
        if (op->opc == IR_BRCONDI) wasm_i64_const(c, op->imm2); else push_slot(e, op->b);
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
        push_slot(e, op->a);
        push_b(e, op);
        wasm_op(c, wop);
        if (word)
            wasm_op(c, OP_I64_EXTEND32_S);
        pop_slot(e, op->dst);
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
void emit_function(Emitter *e, WasmBuf *body)
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
