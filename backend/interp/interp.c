/*
 * Interpreter tier.  See interp.h.
 *
 * Bytecode: one 24-byte BcInsn per IR op (CALL takes two), operands already
 * resolved: slot numbers, immediates, label targets as bytecode indexes, the
 * memop folded into the handler choice.  The handler field is the address
 * of the handler label (direct threading), so dispatch is one indirect jump.
 */
#include "backend/interp/interp.h"

#include <string.h>

#include "exec/softmmu.h"
#include "ir/ir_arith.h"

#if defined(__GNUC__) || defined(__clang__)
#define USE_COMPUTED_GOTO 1
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define USE_COMPUTED_GOTO 0
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

typedef struct BcInsn {
    const void *handler;   /* label address (or opcode number, switch mode) */
    uint16_t d, a, b, c;   /* slots; c = pc_off for faulting ops; d = target */
    int64_t imm;
} BcInsn;

/* Bytecode opcodes: IR ops specialised by condition and memop. */
#define BC_OPCODES(X)                                                      \
    X(MOV) X(MOVI)                                                         \
    X(ADD) X(SUB) X(AND) X(OR) X(XOR) X(SHL) X(SHR) X(SAR)                 \
    X(ADDI) X(ANDI) X(ORI) X(XORI) X(SHLI) X(SHRI) X(SARI)                 \
    X(MUL) X(MULH) X(MULHU) X(MULHSU) X(DIV) X(DIVU) X(REM) X(REMU)        \
    X(ADD32) X(SUB32) X(SHL32) X(SHR32) X(SAR32)                           \
    X(ADDI32) X(SHLI32) X(SHRI32) X(SARI32)                                \
    X(MUL32) X(DIV32) X(DIVU32) X(REM32) X(REMU32)                         \
    X(SEXT8) X(SEXT16) X(SEXT32) X(ZEXT8) X(ZEXT16) X(ZEXT32)              \
    X(SETEQ) X(SETNE) X(SETLT) X(SETGE) X(SETLTU) X(SETGEU)                \
    X(SETEQI) X(SETNEI) X(SETLTI) X(SETGEI) X(SETLTUI) X(SETGEUI)          \
    X(SELECT)                                                              \
    X(FADD64) X(FSUB64) X(FMUL64) X(FDIV64) X(LDCPU32)                     \
    X(LDS8) X(LDU8) X(LDS16) X(LDU16) X(LDS32) X(LDU32) X(LD64)            \
    X(ST8) X(ST16) X(ST32) X(ST64)                                         \
    X(BR)                                                                  \
    X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU)                            \
    X(BEQI) X(BNEI) X(BLTI) X(BGEI) X(BLTUI) X(BGEUI)                      \
    X(CALL) X(GOTO_TB) X(EXIT_TB) X(JUMP_IND) X(EXIT_IND) X(RAISE)

enum BcOpcode {
#define BC_ENUM(name) BC_##name,
    BC_OPCODES(BC_ENUM)
#undef BC_ENUM
    BC_COUNT
};

/* Second word of a CALL: the helper and its flags. */
typedef struct BcCallInfo {
    IrHelperFn fn;
    uint16_t c;          /* third argument slot */
    uint16_t pc_off;
    uint16_t flags;
    uint16_t pad;
    int64_t imm;
} BcCallInfo;
_Static_assert(sizeof(BcCallInfo) == sizeof(BcInsn), "CALL takes 2 slots");

/* ---- the dispatch loop ----------------------------------------------------- */

/* The interpreter chains to a TB that has no Wasm code, unless it is due
 * for the Wasm tier (wasm_entry 0 and hot): the loop queues it.  Under a
 * debugger it chains to none: the loop checks every instruction's pc. */
static inline bool may_chain_to(const CpuCommon *cpu, const TranslationBlock *next)
{
    return (next->wasm_entry < 0 ||
            (next->wasm_entry == 0 && !tb_is_hot(next, cpu->jit_tier_up))) &&
           !cpu->debug.active;
}

static InterpExit make_exit(ExecStatus status, TranslationBlock *tb, int slot)
{
    InterpExit e = { status, tb, slot };
    return e;
}

/*
 * Runs bytecode; when called with cpu == NULL it only returns the handler
 * table through *table (so lowering can store handler addresses).
 */
static InterpExit interp_run(CpuCommon *cpu, TranslationBlock *tb,
                             const void *const **table)
{
#if USE_COMPUTED_GOTO
    static const void *const handlers[BC_COUNT] = {
#define BC_LABEL(name) &&L_##name,
        BC_OPCODES(BC_LABEL)
#undef BC_LABEL
    };
#define CASE(name) L_##name:
#define NEXT() do { ip++; goto *ip->handler; } while (0)
#define JUMP_TO(index) do { ip = code + (index); goto *ip->handler; } while (0)
#define DISPATCH_FIRST() goto *ip->handler
#else
    static const void *const handlers[BC_COUNT] = {
#define BC_NUM(name) (const void *)(uintptr_t)BC_##name,
        BC_OPCODES(BC_NUM)
#undef BC_NUM
    };
#define CASE(name) case BC_##name:
#define NEXT() do { ip++; goto dispatch; } while (0)
#define JUMP_TO(index) do { ip = code + (index); goto dispatch; } while (0)
#define DISPATCH_FIRST() goto dispatch
#endif
    if (!cpu) {
        *table = handlers;
        return make_exit(EXEC_CONTINUE, NULL, -1);
    }

    uint64_t *const R = cpu->slots;
    const BcInsn *code = tb->code;
    const BcInsn *ip = code;
    TlbEntry *tlb = cpu->tlb[tb->mmu_idx_data];
    uint64_t va;
    TlbEntry *ent;

#define A R[ip->a]
#define B R[ip->b]
#define D R[ip->d]
#define IMM ip->imm
#define TLB_ENTRY(vaddr) (&tlb[((vaddr) >> GUEST_PAGE_BITS) & (TLB_SIZE - 1)])
#define FAULT_EXIT(pc_off) do {                                             \
        cpu->pc = tb->pc + (pc_off);                                        \
        return make_exit(EXEC_EXCEPTION, tb, -1);                           \
    } while (0)
    /* Load: fast path when the tag matches (mapped, aligned, plain RAM). */
#define LOAD(name, T, size_log2, memop)                                     \
    CASE(name) {                                                            \
        va = A + (uint64_t)IMM;                                             \
        ent = TLB_ENTRY(va);                                                \
        if (LIKELY(ent->tag_read == tlb_cmp_addr(va, size_log2))) {         \
            D = (uint64_t)(T)*(const T *)(uintptr_t)(va + ent->addend);     \
        } else {                                                            \
            uint64_t v = mmu_load_slow(cpu, va, memop, tb->mmu_idx_data);   \
            if (UNLIKELY(cpu->exc_pending)) FAULT_EXIT(ip->c);              \
            D = v;                                                          \
        }                                                                   \
        NEXT();                                                             \
    }
#define STORE(name, T, size_log2, memop)                                    \
    CASE(name) {                                                            \
        va = A + (uint64_t)IMM;                                             \
        ent = TLB_ENTRY(va);                                                \
        if (LIKELY(ent->tag_write == tlb_cmp_addr(va, size_log2))) {        \
            *(T *)(uintptr_t)(va + ent->addend) = (T)B;                     \
        } else {                                                            \
            mmu_store_slow(cpu, va, B, memop, tb->mmu_idx_data);            \
            if (UNLIKELY(cpu->exc_pending)) FAULT_EXIT(ip->c);              \
        }                                                                   \
        NEXT();                                                             \
    }
#define BRANCH(name, expr) CASE(name) { if (expr) JUMP_TO(ip->d); NEXT(); }
/* Enter the next TB of a chain if the slice budget allows it. */
#define ENTER_TB(next) do {                                                 \
        tb = (next);                                                        \
        cpu->budget -= tb->icount;                                          \
        tb->exec_count++;                                                   \
        code = tb->code;                                                    \
        ip = code;                                                          \
        DISPATCH_FIRST();                                                   \
    } while (0)

    DISPATCH_FIRST();
#if !USE_COMPUTED_GOTO
dispatch:
    switch ((enum BcOpcode)(uintptr_t)ip->handler) {
#endif
    CASE(MOV)    D = A; NEXT();
    CASE(MOVI)   D = (uint64_t)IMM; NEXT();
    CASE(ADD)    D = A + B; NEXT();
    CASE(SUB)    D = A - B; NEXT();
    CASE(AND)    D = A & B; NEXT();
    CASE(OR)     D = A | B; NEXT();
    CASE(XOR)    D = A ^ B; NEXT();
    CASE(SHL)    D = A << (B & 63); NEXT();
    CASE(SHR)    D = A >> (B & 63); NEXT();
    CASE(SAR)    D = (uint64_t)((int64_t)A >> (B & 63)); NEXT();
    CASE(ADDI)   D = A + (uint64_t)IMM; NEXT();
    CASE(ANDI)   D = A & (uint64_t)IMM; NEXT();
    CASE(ORI)    D = A | (uint64_t)IMM; NEXT();
    CASE(XORI)   D = A ^ (uint64_t)IMM; NEXT();
    CASE(SHLI)   D = A << (IMM & 63); NEXT();
    CASE(SHRI)   D = A >> (IMM & 63); NEXT();
    CASE(SARI)   D = (uint64_t)((int64_t)A >> (IMM & 63)); NEXT();
    CASE(MUL)    D = A * B; NEXT();
    CASE(MULH)   D = mulh64((int64_t)A, (int64_t)B); NEXT();
    CASE(MULHU)  D = mulhu64(A, B); NEXT();
    CASE(MULHSU) D = mulhsu64((int64_t)A, B); NEXT();
    CASE(DIV)    D = div64((int64_t)A, (int64_t)B); NEXT();
    CASE(DIVU)   D = divu64(A, B); NEXT();
    CASE(REM)    D = rem64((int64_t)A, (int64_t)B); NEXT();
    CASE(REMU)   D = remu64(A, B); NEXT();
    CASE(ADD32)  D = sx32((uint32_t)A + (uint32_t)B); NEXT();
    CASE(SUB32)  D = sx32((uint32_t)A - (uint32_t)B); NEXT();
    CASE(SHL32)  D = sx32((uint32_t)A << (B & 31)); NEXT();
    CASE(SHR32)  D = sx32((uint32_t)A >> (B & 31)); NEXT();
    CASE(SAR32)  D = sx32((uint32_t)((int32_t)A >> (B & 31))); NEXT();
    CASE(ADDI32) D = sx32((uint32_t)A + (uint32_t)IMM); NEXT();
    CASE(SHLI32) D = sx32((uint32_t)A << (IMM & 31)); NEXT();
    CASE(SHRI32) D = sx32((uint32_t)A >> (IMM & 31)); NEXT();
    CASE(SARI32) D = sx32((uint32_t)((int32_t)A >> (IMM & 31))); NEXT();
    CASE(MUL32)  D = sx32((uint32_t)A * (uint32_t)B); NEXT();
    CASE(DIV32)  D = div32((int32_t)A, (int32_t)B); NEXT();
    CASE(DIVU32) D = divu32((uint32_t)A, (uint32_t)B); NEXT();
    CASE(REM32)  D = rem32((int32_t)A, (int32_t)B); NEXT();
    CASE(REMU32) D = remu32((uint32_t)A, (uint32_t)B); NEXT();
    CASE(SEXT8)  D = (uint64_t)(int64_t)(int8_t)A; NEXT();
    CASE(SEXT16) D = (uint64_t)(int64_t)(int16_t)A; NEXT();
    CASE(SEXT32) D = sx32((uint32_t)A); NEXT();
    CASE(ZEXT8)  D = (uint8_t)A; NEXT();
    CASE(ZEXT16) D = (uint16_t)A; NEXT();
    CASE(ZEXT32) D = (uint32_t)A; NEXT();
    CASE(SETEQ)  D = A == B; NEXT();
    CASE(SETNE)  D = A != B; NEXT();
    CASE(SETLT)  D = (int64_t)A < (int64_t)B; NEXT();
    CASE(SETGE)  D = (int64_t)A >= (int64_t)B; NEXT();
    CASE(SETLTU) D = A < B; NEXT();
    CASE(SETGEU) D = A >= B; NEXT();
    CASE(SETEQI)  D = A == (uint64_t)IMM; NEXT();
    CASE(SETNEI)  D = A != (uint64_t)IMM; NEXT();
    CASE(SETLTI)  D = (int64_t)A < IMM; NEXT();
    CASE(SETGEI)  D = (int64_t)A >= IMM; NEXT();
    CASE(SETLTUI) D = A < (uint64_t)IMM; NEXT();
    CASE(SETGEUI) D = A >= (uint64_t)IMM; NEXT();
    CASE(SELECT) D = A ? B : R[ip->c]; NEXT();
    CASE(FADD64) D = farith64(IR_FADD, A, B); NEXT();
    CASE(FSUB64) D = farith64(IR_FSUB, A, B); NEXT();
    CASE(FMUL64) D = farith64(IR_FMUL, A, B); NEXT();
    CASE(FDIV64) D = farith64(IR_FDIV, A, B); NEXT();
    CASE(LDCPU32) {
        uint32_t word;
        memcpy(&word, (const uint8_t *)cpu + IMM, sizeof(word));
        D = word;
        NEXT();
    }
    LOAD(LDS8, int8_t, 0, IR_MO_8 | IR_MO_SIGNED)
    LOAD(LDU8, uint8_t, 0, IR_MO_8)
    LOAD(LDS16, int16_t, 1, IR_MO_16 | IR_MO_SIGNED)
    LOAD(LDU16, uint16_t, 1, IR_MO_16)
    LOAD(LDS32, int32_t, 2, IR_MO_32 | IR_MO_SIGNED)
    LOAD(LDU32, uint32_t, 2, IR_MO_32)
    LOAD(LD64, uint64_t, 3, IR_MO_64)
    STORE(ST8, uint8_t, 0, IR_MO_8)
    STORE(ST16, uint16_t, 1, IR_MO_16)
    STORE(ST32, uint32_t, 2, IR_MO_32)
    STORE(ST64, uint64_t, 3, IR_MO_64)
    CASE(BR) JUMP_TO(ip->d);
    BRANCH(BEQ, A == B)
    BRANCH(BNE, A != B)
    BRANCH(BLT, (int64_t)A < (int64_t)B)
    BRANCH(BGE, (int64_t)A >= (int64_t)B)
    BRANCH(BLTU, A < B)
    BRANCH(BGEU, A >= B)
    BRANCH(BEQI, A == (uint64_t)IMM)
    BRANCH(BNEI, A != (uint64_t)IMM)
    BRANCH(BLTI, (int64_t)A < IMM)
    BRANCH(BGEI, (int64_t)A >= IMM)
    BRANCH(BLTUI, A < (uint64_t)IMM)
    BRANCH(BGEUI, A >= (uint64_t)IMM)
    CASE(CALL) {
        const BcCallInfo *info = (const BcCallInfo *)(ip + 1);
        uint64_t result = info->fn(cpu, A, B, R[info->c], (uint64_t)info->imm);
        if (UNLIKELY(cpu->exc_pending)) FAULT_EXIT(info->pc_off);
        if (!(info->flags & IR_HELPER_NO_RESULT)) D = result;
        ip++;
        NEXT();
    }
    CASE(GOTO_TB) {
        TranslationBlock *next = tb->jmp_target[ip->a];
        cpu->pc = (uint64_t)IMM;
        if (next && !next->invalid && cpu->budget > 0 && may_chain_to(cpu, next))
            ENTER_TB(next);
        return make_exit(EXEC_CONTINUE, tb, ip->a);
    }
    CASE(JUMP_IND) {
        uint64_t target = A;
        TranslationBlock *next;
        cpu->pc = target;
        if (cpu->budget > 0 &&
            (next = tb_jmp_cache_get(cpu->tbs, target, cpu->tb_flags)) &&
            may_chain_to(cpu, next)) {
            tb_note_ind_target(tb, next);
            ENTER_TB(next);
        }
        return make_exit(EXEC_CONTINUE, tb, -1);
    }
    CASE(EXIT_TB)
        cpu->pc = (uint64_t)IMM;
        return make_exit(EXEC_CONTINUE, NULL, -1);
    CASE(EXIT_IND)
        cpu->pc = A;
        return make_exit(EXEC_CONTINUE, NULL, -1);
    CASE(RAISE)
        cpu_raise(cpu, (uint64_t)IMM, R[ip->b] /* tval pre-loaded */);
        FAULT_EXIT(ip->c);
#if !USE_COMPUTED_GOTO
    default:
        break;
    }
#endif
    return make_exit(EXEC_CONTINUE, NULL, -1);
#undef CASE
#undef NEXT
#undef JUMP_TO
#undef DISPATCH_FIRST
#undef A
#undef B
#undef D
#undef IMM
}

InterpExit interp_exec(CpuCommon *cpu, TranslationBlock *tb)
{
    return interp_run(cpu, tb, NULL);
}

/* ---- lowering IR to bytecode --------------------------------------------- */

static int cond_offset(unsigned cond) { return cond < IR_COND_COUNT ? cond : 0; }

static enum BcOpcode memop_load(unsigned memop)
{
    static const enum BcOpcode unsigned_ops[4] = { BC_LDU8, BC_LDU16,
                                                   BC_LDU32, BC_LD64 };
    static const enum BcOpcode signed_ops[4] = { BC_LDS8, BC_LDS16, BC_LDS32,
                                                 BC_LD64 };
    unsigned size = memop & IR_MO_SIZE_MASK;
    return (memop & IR_MO_SIGNED) ? signed_ops[size] : unsigned_ops[size];
}

/* Opcodes that map one to one (IR name == bytecode name). */
static int direct_opcode(unsigned opc)
{
    switch (opc) {
#define SAME(name) case IR_##name: return BC_##name;
    SAME(MOV) SAME(MOVI) SAME(ADD) SAME(SUB) SAME(AND) SAME(OR) SAME(XOR)
    SAME(SHL) SAME(SHR) SAME(SAR) SAME(ADDI) SAME(ANDI) SAME(ORI) SAME(XORI)
    SAME(SHLI) SAME(SHRI) SAME(SARI) SAME(MUL) SAME(MULH) SAME(MULHU)
    SAME(MULHSU) SAME(DIV) SAME(DIVU) SAME(REM) SAME(REMU) SAME(ADD32)
    SAME(SUB32) SAME(SHL32) SAME(SHR32) SAME(SAR32) SAME(ADDI32) SAME(SHLI32)
    SAME(SHRI32) SAME(SARI32) SAME(MUL32) SAME(DIV32) SAME(DIVU32)
    SAME(REM32) SAME(REMU32) SAME(SEXT8) SAME(SEXT16) SAME(SEXT32)
    SAME(ZEXT8) SAME(ZEXT16) SAME(ZEXT32) SAME(SELECT) SAME(BR)
    case IR_SKIP: return BC_BR;   /* the interpreter takes it */
    SAME(GOTO_TB) SAME(EXIT_TB) SAME(JUMP_IND) SAME(EXIT_IND)
#undef SAME
    default:
        return -1;
    }
}

static unsigned bc_length(const IrOp *op)
{
    switch (op->opc) {
    case IR_NOP: case IR_LABEL: return 0;
    case IR_CALL: return 2;
    case IR_RAISE: return 2;   /* MOVI of tval into a scratch temp + RAISE */
    default: return 1;
    }
}

/* Lower one IR op at *out; returns the number of BcInsn written. */
static unsigned lower_op(const IrOp *op, BcInsn *out, const void *const *h,
                         const uint32_t *label_pos)
{
    BcInsn *bc = out;
    int direct = direct_opcode(op->opc);
    memset(bc, 0, sizeof(*bc));
    bc->d = op->dst;
    bc->a = op->a;
    bc->b = op->b;
    bc->c = op->c;
    bc->imm = op->imm;
    if (direct >= 0) {
        bc->handler = h[direct];
        if (op->opc == IR_BR || op->opc == IR_SKIP)
            bc->d = (uint16_t)label_pos[op->imm];
        if (op->opc == IR_GOTO_TB)
            bc->a = op->cond & 1;
        return 1;
    }
    switch (op->opc) {
    case IR_SETCOND:
        bc->handler = h[BC_SETEQ + cond_offset(op->cond)];
        return 1;
    case IR_SETCONDI:
        bc->handler = h[BC_SETEQI + cond_offset(op->cond)];
        return 1;
    case IR_FARITH64:
        bc->handler = h[BC_FADD64 + (op->cond < IR_FP_OP_COUNT ? op->cond : 0)];
        return 1;
    case IR_LDCPU32:
        bc->handler = h[BC_LDCPU32];
        return 1;
    case IR_LD:
        bc->handler = h[memop_load(op->memop)];
        bc->c = op->pc_off;
        return 1;
    case IR_ST:
        bc->handler = h[BC_ST8 + (op->memop & IR_MO_SIZE_MASK)];
        bc->c = op->pc_off;
        return 1;
    case IR_BRCOND:
        bc->handler = h[BC_BEQ + cond_offset(op->cond)];
        bc->d = (uint16_t)label_pos[op->imm];
        return 1;
    case IR_BRCONDI:
        bc->handler = h[BC_BEQI + cond_offset(op->cond)];
        bc->d = (uint16_t)label_pos[op->imm];
        bc->imm = op->imm2;
        return 1;
    case IR_CALL: {
        const IrHelperInfo *info = target_helper_info(op->helper);
        BcCallInfo *call = (BcCallInfo *)(out + 1);
        bc->handler = h[BC_CALL];
        memset(call, 0, sizeof(*call));
        call->fn = info->fn;
        call->c = op->c;
        call->pc_off = op->pc_off;
        call->flags = (uint16_t)info->flags;
        call->imm = op->imm;
        return 2;
    }
    case IR_RAISE: {
        /* tval goes through the last temp slot so RAISE stays 1 word. */
        uint16_t scratch = IR_SLOT_COUNT - 1;
        bc->handler = h[BC_MOVI];
        bc->d = scratch;
        bc->imm = op->imm2;
        bc[1] = (BcInsn){ .handler = h[BC_RAISE], .b = scratch,
                          .c = op->pc_off, .imm = op->imm };
        return 2;
    }
    default:
        return 0;
    }
}

bool interp_lower(TbCache *cache, TranslationBlock *tb, const IrBlock *blk)
{
    const void *const *handlers;
    uint32_t label_pos[IR_MAX_LABELS] = { 0 };
    unsigned len = 0;

    interp_run(NULL, NULL, &handlers);
    for (unsigned i = 0; i < blk->n_ops; i++) {
        const IrOp *op = &blk->ops[i];
        if (op->opc == IR_LABEL && op->imm >= 0 && op->imm < IR_MAX_LABELS)
            label_pos[op->imm] = len;
        len += bc_length(op);
    }
    /* A TB always ends with an exit op; guard against a frontend bug by
     * appending an EXIT_TB to the TB's own pc+size. */
    len += 1;

    BcInsn *code = tb_arena_alloc(cache, len * sizeof(BcInsn));
    if (!code)
        return false;
    unsigned pos = 0;
    for (unsigned i = 0; i < blk->n_ops; i++)
        pos += lower_op(&blk->ops[i], code + pos, handlers, label_pos);
    code[pos] = (BcInsn){ .handler = handlers[BC_EXIT_TB],
                          .imm = (int64_t)(tb->pc + tb->size) };
    tb->code = code;
    tb->code_len = pos + 1;
    return true;
}
