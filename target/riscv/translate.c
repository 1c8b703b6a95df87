/*
 * RV64GC frontend: guest instructions of one TB -> IR.
 *
 * Guest registers are IR slots (x[n] = slot n, f[n] = slot 32 + n), so most
 * integer instructions become exactly one IR op.  Writes to x0 are dropped
 * (or land in a temp when the instruction must still happen, e.g. a load).
 */
#include <string.h>

#include "exec/softmmu.h"
#include "exec/tb.h"
#include "target/riscv/cpu.h"
#include "target/riscv/decode.h"
#include "target/riscv/helper_fp.h"
#include "target/riscv/helpers.h"

enum { MAX_INSNS_PER_TB = 64 };

typedef struct Ctx {
    IrBlock *b;
    TranslationBlock *tb;
    uint64_t pc;           /* pc of the instruction being translated */
    uint32_t insn;         /* its bits (expanded when compressed) */
    uint32_t raw;          /* its bits as fetched (for illegal tval) */
    unsigned len;          /* 2 or 4 */
    unsigned priv;
    bool fs_on;
    bool fs_dirty_done;    /* RVH_FP_DIRTY already emitted in this TB */
    uint16_t fp_fast_ok;   /* temp: 1 when fflags has NX and frm is RNE,
                              once computed in this TB (gen_fp_arith_d) */
    bool ended;            /* the TB ends after this instruction */
} Ctx;

#define X(n) RV_SLOT_X(n)
#define F(n) RV_SLOT_F(n)

/* Destination slot for rd: writes to x0 go to a scratch temp. */
static uint16_t dst(Ctx *c, unsigned rd)
{
    return rd ? X(rd) : ir_new_temp(c->b);
}

static void illegal(Ctx *c)
{
    ir_raise_tval(c->b, EXC_ILLEGAL_INSN, c->raw);
    c->ended = true;
}

static void end_tb_next(Ctx *c)
{
    ir_exit_tb(c->b, c->pc + c->len);
    c->ended = true;
}

/* ---- integer ------------------------------------------------------------- */

static void gen_jal(Ctx *c, unsigned rd, int64_t off)
{
    if (rd)
        ir_movi(c->b, X(rd), (int64_t)(c->pc + c->len));
    ir_goto_tb(c->b, 0, c->pc + off);
    c->ended = true;
}

static void gen_jalr(Ctx *c)
{
    unsigned rd = insn_rd(c->insn), rs1 = insn_rs1(c->insn);
    uint16_t target = ir_new_temp(c->b);
    if (insn_funct3(c->insn)) {
        illegal(c);
        return;
    }
    /* Compute the target before rd is written: rd may be rs1. */
    ir_binopi(c->b, IR_ADDI, target, X(rs1), imm_i(c->insn));
    ir_binopi(c->b, IR_ANDI, target, target, ~1ll);
    if (rd)
        ir_movi(c->b, X(rd), (int64_t)(c->pc + c->len));
    ir_jump_ind(c->b, target);
    c->ended = true;
}

static void gen_branch(Ctx *c)
{
    static const int8_t conds[8] = { IR_EQ, IR_NE, -1, -1, IR_LT, IR_GE,
                                     IR_LTU, IR_GEU };
    int cond = conds[insn_funct3(c->insn)];
    if (cond < 0) {
        illegal(c);
        return;
    }
    unsigned taken = ir_new_label(c->b);
    ir_brcond(c->b, (IrCond)cond, X(insn_rs1(c->insn)), X(insn_rs2(c->insn)),
              taken);
    ir_goto_tb(c->b, 1, c->pc + c->len);
    ir_label(c->b, taken);
    ir_goto_tb(c->b, 0, c->pc + imm_b(c->insn));
    c->ended = true;
}

static void gen_load(Ctx *c)
{
    static const int8_t memops[8] = {
        IR_MO_8 | IR_MO_SIGNED, IR_MO_16 | IR_MO_SIGNED,
        IR_MO_32 | IR_MO_SIGNED, IR_MO_64, IR_MO_8, IR_MO_16, IR_MO_32, -1 };
    int mo = memops[insn_funct3(c->insn)];
    if (mo < 0) {
        illegal(c);
        return;
    }
    ir_ld(c->b, (IrMemOp)mo, dst(c, insn_rd(c->insn)), X(insn_rs1(c->insn)),
          imm_i(c->insn));
}

static void gen_store(Ctx *c)
{
    unsigned f3 = insn_funct3(c->insn);
    if (f3 > 3) {
        illegal(c);
        return;
    }
    ir_st(c->b, (IrMemOp)f3, X(insn_rs2(c->insn)), X(insn_rs1(c->insn)),
          imm_s(c->insn));
}

static void gen_op_imm(Ctx *c, bool word)
{
    unsigned rd = insn_rd(c->insn), rs1 = insn_rs1(c->insn);
    unsigned f3 = insn_funct3(c->insn);
    int64_t imm = imm_i(c->insn);
    unsigned shamt = (c->insn >> 20) & (word ? 31 : 63);
    unsigned shift_hi = c->insn >> (word ? 25 : 26);   /* funct7 / funct6 */
    uint16_t d = dst(c, rd);

    if (word) {
        switch (f3) {
        case 0: ir_binopi(c->b, IR_ADDI32, d, X(rs1), imm); return;
        case 1: if (shift_hi == 0) { ir_binopi(c->b, IR_SHLI32, d, X(rs1), shamt); return; } break;
        case 5:
            if (shift_hi == 0) { ir_binopi(c->b, IR_SHRI32, d, X(rs1), shamt); return; }
            if (shift_hi == 0x20) { ir_binopi(c->b, IR_SARI32, d, X(rs1), shamt); return; }
            break;
        }
        illegal(c);
        return;
    }
    switch (f3) {
    case 0: ir_binopi(c->b, IR_ADDI, d, X(rs1), imm); return;
    case 2: ir_setcondi(c->b, IR_LT, d, X(rs1), imm); return;
    case 3: ir_setcondi(c->b, IR_LTU, d, X(rs1), imm); return;
    case 4: ir_binopi(c->b, IR_XORI, d, X(rs1), imm); return;
    case 6: ir_binopi(c->b, IR_ORI, d, X(rs1), imm); return;
    case 7: ir_binopi(c->b, IR_ANDI, d, X(rs1), imm); return;
    case 1: if (shift_hi == 0) { ir_binopi(c->b, IR_SHLI, d, X(rs1), shamt); return; } break;
    case 5:
        if (shift_hi == 0) { ir_binopi(c->b, IR_SHRI, d, X(rs1), shamt); return; }
        if (shift_hi == 0x10) { ir_binopi(c->b, IR_SARI, d, X(rs1), shamt); return; }
        break;
    }
    illegal(c);
}

/* OP / OP-32 opcode tables indexed by funct3, for funct7 0, 0x20 and 1. */
static const int16_t op64_base[8] = { IR_ADD, IR_SHL, -2, -3, IR_XOR, IR_SHR,
                                      IR_OR, IR_AND };
static const int16_t op64_alt[8] = { IR_SUB, -1, -1, -1, -1, IR_SAR, -1, -1 };
static const int16_t op64_mul[8] = { IR_MUL, IR_MULH, IR_MULHSU, IR_MULHU,
                                     IR_DIV, IR_DIVU, IR_REM, IR_REMU };
static const int16_t op32_base[8] = { IR_ADD32, IR_SHL32, -1, -1, -1,
                                      IR_SHR32, -1, -1 };
static const int16_t op32_alt[8] = { IR_SUB32, -1, -1, -1, -1, IR_SAR32, -1,
                                     -1 };
static const int16_t op32_mul[8] = { IR_MUL32, -1, -1, -1, IR_DIV32,
                                     IR_DIVU32, IR_REM32, IR_REMU32 };

static void gen_op(Ctx *c, bool word)
{
    unsigned f3 = insn_funct3(c->insn), f7 = insn_funct7(c->insn);
    const int16_t *table = NULL;
    if (f7 == 0) table = word ? op32_base : op64_base;
    else if (f7 == 0x20) table = word ? op32_alt : op64_alt;
    else if (f7 == 1) table = word ? op32_mul : op64_mul;
    int opc = table ? table[f3] : -1;
    uint16_t d = dst(c, insn_rd(c->insn));
    uint16_t a = X(insn_rs1(c->insn)), s = X(insn_rs2(c->insn));
    if (opc == -2) ir_setcond(c->b, IR_LT, d, a, s);
    else if (opc == -3) ir_setcond(c->b, IR_LTU, d, a, s);
    else if (opc >= 0) ir_binop(c->b, (IrOpcode)opc, d, a, s);
    else illegal(c);
}

/* ---- atomics -------------------------------------------------------------- */

static void gen_amo(Ctx *c)
{
    unsigned f3 = insn_funct3(c->insn), f5 = c->insn >> 27;
    unsigned rd = insn_rd(c->insn), rs1 = insn_rs1(c->insn);
    unsigned rs2 = insn_rs2(c->insn);
    if (f3 != 2 && f3 != 3) {
        illegal(c);
        return;
    }
    IrMemOp size = f3 == 2 ? (IR_MO_32 | IR_MO_SIGNED) : IR_MO_64;
    uint16_t d = dst(c, rd);
    switch (f5) {
    case 2:   /* lr */
        if (rs2) { illegal(c); return; }
        ir_call(c->b, RVH_LR, d, X(rs1), 0, 0, size);
        return;
    case 3:   /* sc */
        ir_call(c->b, RVH_SC, d, X(rs1), X(rs2), 0, size);
        return;
    case 0: case 1: case 4: case 8: case 12: case 16: case 20: case 24:
    case 28:
        ir_call(c->b, RVH_AMO, d, X(rs1), X(rs2), 0, f5 | (unsigned)size << 8);
        return;
    default:
        illegal(c);
    }
}

/* ---- system --------------------------------------------------------------- */

static void gen_csr(Ctx *c)
{
    unsigned f3 = insn_funct3(c->insn), rd = insn_rd(c->insn);
    unsigned rs1 = insn_rs1(c->insn), csr = c->insn >> 20;
    unsigned op = f3 & 3;   /* 1 rw, 2 rs, 3 rc */
    bool uimm = f3 & 4;
    /* csrrs/csrrc with x0 (or uimm 0) only read; csrrw always writes. */
    bool writes = op == RVH_CSR_RW || rs1 != 0;
    uint16_t src = 0;
    if (uimm) {
        src = ir_new_temp(c->b);
        ir_movi(c->b, src, rs1);
    } else {
        src = X(rs1);
    }
    uint64_t imm = csr | op << 12 | (writes ? RVH_CSR_WRITE : 0) |
                   (op == RVH_CSR_RW && rd == 0 ? RVH_CSR_NO_READ : 0);
    ir_call(c->b, RVH_CSR, dst(c, rd), src, 0, 0, (int64_t)imm);
    /* A CSR write can change privilege-dependent translation state. */
    if (writes)
        end_tb_next(c);
}

static void gen_system(Ctx *c)
{
    unsigned f3 = insn_funct3(c->insn);
    if (f3 != 0 && f3 != 4) {
        gen_csr(c);
        return;
    }
    if (f3 == 4 || insn_rd(c->insn)) {
        illegal(c);
        return;
    }
    uint32_t funct12 = c->insn >> 20;
    uint16_t t;
    if (c->insn >> 25 == 0x09) {          /* sfence.vma */
        ir_call(c->b, RVH_SFENCE_VMA, 0, X(insn_rs1(c->insn)),
                X(insn_rs2(c->insn)), 0,
                (insn_rs1(c->insn) == 0) | (insn_rs2(c->insn) == 0) << 1);
        end_tb_next(c);
        return;
    }
    if (insn_rs1(c->insn)) {
        illegal(c);
        return;
    }
    switch (funct12) {
    case 0x000:   /* ecall */
        ir_raise(c->b, c->priv == PRV_U ? EXC_ECALL_U
                     : c->priv == PRV_S ? EXC_ECALL_S : EXC_ECALL_M);
        c->ended = true;
        return;
    case 0x001:   /* ebreak: tval = pc, as QEMU does */
        ir_raise_tval(c->b, EXC_BREAKPOINT, (int64_t)c->pc);
        c->ended = true;
        return;
    case 0x102:   /* sret */
    case 0x302:   /* mret */
        t = ir_new_temp(c->b);
        ir_call(c->b, funct12 == 0x302 ? RVH_MRET : RVH_SRET, t, 0, 0, 0, 0);
        ir_emit(c->b, IR_EXIT_IND)->a = t;
        c->ended = true;
        return;
    case 0x105:   /* wfi */
        ir_call(c->b, RVH_WFI, 0, 0, 0, 0, 0);
        end_tb_next(c);
        return;
    default:
        illegal(c);
    }
}

static void gen_misc_mem(Ctx *c)
{
    switch (insn_funct3(c->insn)) {
    case 0:   /* fence: one hart, memory is always coherent */
        return;
    case 1:   /* fence.i: stores to code pages already invalidated TBs */
        end_tb_next(c);
        return;
    default:
        illegal(c);
    }
}

/* ---- floating point ------------------------------------------------------- */

/* Before the first f-register write of the TB: mstatus.FS = Dirty (the
 * helper only when it is not yet: FS is in mstatus's low word). */
static void fp_mark_dirty(Ctx *c)
{
    if (c->fs_dirty_done)
        return;
    unsigned dirty = ir_new_label(c->b);
    uint16_t t = ir_new_temp(c->b);
    ir_ldcpu32(c->b, t, offsetof(RiscvCpu, mstatus));
    ir_binopi(c->b, IR_ANDI, t, t, (int64_t)MSTATUS_FS);
    ir_brcondi(c->b, IR_EQ, t, (int64_t)MSTATUS_FS, dirty);
    ir_expect(c->b, IR_EXPECT_TAKEN);
    ir_call(c->b, RVH_FP_DIRTY, 0, 0, 0, 0, 0);
    ir_label(c->b, dirty);
    c->fs_dirty_done = true;
}

static bool fp_check(Ctx *c)
{
    if (!c->fs_on) {
        illegal(c);
        return false;
    }
    return true;
}

/* Static rounding mode: 5 and 6 are reserved; 7 (dynamic) is checked by
 * the helper against frm at run time. */
static bool rm_ok(Ctx *c)
{
    unsigned rm = insn_funct3(c->insn);
    if (rm == 5 || rm == 6) {
        illegal(c);
        return false;
    }
    return true;
}

static void gen_fp_load(Ctx *c)
{
    unsigned f3 = insn_funct3(c->insn), rd = insn_rd(c->insn);
    if (!fp_check(c))
        return;
    if (f3 != 2 && f3 != 3) {
        illegal(c);
        return;
    }
    fp_mark_dirty(c);
    if (f3 == 3) {
        ir_ld(c->b, IR_MO_64, F(rd), X(insn_rs1(c->insn)), imm_i(c->insn));
    } else {
        /* Load into a temp first: a fault must leave f[rd] untouched. */
        uint16_t t = ir_new_temp(c->b);
        ir_ld(c->b, IR_MO_32, t, X(insn_rs1(c->insn)), imm_i(c->insn));
        ir_binopi(c->b, IR_ORI, F(rd), t, (int64_t)0xffffffff00000000ull);
    }
}

static void gen_fp_store(Ctx *c)
{
    unsigned f3 = insn_funct3(c->insn);
    if (!fp_check(c))
        return;
    if (f3 != 2 && f3 != 3) {
        illegal(c);
        return;
    }
    ir_st(c->b, f3 == 3 ? IR_MO_64 : IR_MO_32, F(insn_rs2(c->insn)),
          X(insn_rs1(c->insn)), imm_s(c->insn));
}

static void gen_fp_fma(Ctx *c)
{
    unsigned fmt = (c->insn >> 25) & 3;
    if (!fp_check(c) || !rm_ok(c))
        return;
    if (fmt > 1) {
        illegal(c);
        return;
    }
    unsigned kind = (insn_opcode(c->insn) - OPC_MADD) >> 2;  /* 0..3 */
    fp_mark_dirty(c);
    ir_call(c->b, RVH_FP_FMA, F(insn_rd(c->insn)), F(insn_rs1(c->insn)),
            F(insn_rs2(c->insn)), F(insn_rs3(c->insn)),
            fp_imm(kind, fmt, insn_funct3(c->insn)));
}

/* fmv.x.w / fmv.x.d / fclass (funct7 0x70/0x71) */
static void gen_fp_to_x(Ctx *c, unsigned fmt)
{
    unsigned f3 = insn_funct3(c->insn), rd = insn_rd(c->insn);
    uint16_t s = F(insn_rs1(c->insn));
    if (insn_rs2(c->insn)) {
        illegal(c);
        return;
    }
    if (f3 == 0) {
        if (rd)
            ir_unop(c->b, fmt ? IR_MOV : IR_SEXT32, X(rd), s);
    } else if (f3 == 1) {
        ir_call(c->b, RVH_FP_OP, dst(c, rd), s, 0, 0,
                fp_imm(FPOP_CLASS, fmt, 0));
    } else {
        illegal(c);
    }
}

static void gen_x_to_fp(Ctx *c, unsigned fmt)
{
    unsigned rd = insn_rd(c->insn);
    if (insn_rs2(c->insn) || insn_funct3(c->insn)) {
        illegal(c);
        return;
    }
    fp_mark_dirty(c);
    if (fmt) {
        ir_mov(c->b, F(rd), X(insn_rs1(c->insn)));
    } else {   /* NaN-box the low 32 bits */
        ir_unop(c->b, IR_ZEXT32, F(rd), X(insn_rs1(c->insn)));
        ir_binopi(c->b, IR_ORI, F(rd), F(rd), (int64_t)0xffffffff00000000ull);
    }
}

/*
 * A temp holding 1 when fflags has NX and frm is RNE, else 0: computed once
 * per TB, at its first FP fast path, which precedes all others (a TB is
 * straight-line code; the other branches rejoin).  It stays true for the
 * TB: NX is only ever set by FP instructions, and the CSR writes that could
 * clear it or change frm end the TB.  (Static RNE would need NX alone; the
 * compilers' default is the dynamic mode.)
 */
_Static_assert(FFLAG_NX == 1, "fp_fast_ok: NX is bit 0");

static uint16_t fp_fast_ok(Ctx *c)
{
    uint16_t ok = ir_new_temp(c->b), rne = ir_new_temp(c->b);
    ir_ldcpu32(c->b, ok, offsetof(RiscvCpu, fflags));
    ir_binopi(c->b, IR_ANDI, ok, ok, FFLAG_NX);   /* NX is bit 0: 0 or 1 */
    ir_ldcpu32(c->b, rne, offsetof(RiscvCpu, frm));
    ir_setcondi(c->b, IR_EQ, rne, rne, RM_RNE);
    ir_binop(c->b, IR_AND, ok, ok, rne);
    return ok;
}

/*
 * fadd/fsub/fmul/fdiv.d in round-to-nearest (static, or dynamic with frm
 * RNE) on the host FPU, as helper_fp.c's fast path does: once fflags holds
 * NX and the result is a normal number, no other flag can arise and the
 * host's result is the answer.  Otherwise, the helper (exact software
 * path).  In the Wasm tier this is a few f64 instructions, no call.  The
 * result goes to rd as computed and the normal test only branches, so a
 * chain of dependent FP instructions waits for the f64 ops alone (a select
 * of the result or 0 put 5 integer ops on that path: bare-metal fpmix
 * under Node took 0.98 s, now 0.76 s).
 */
static void gen_fp_arith_d(Ctx *c, int op, uint16_t d, uint16_t a, uint16_t s,
                           unsigned rm)
{
    unsigned slow = ir_new_label(c->b), done = ir_new_label(c->b);
    ir_skip(c->b, slow);   /* the interpreter: the helper's own fast path */
    if (!c->fp_fast_ok)
        c->fp_fast_ok = fp_fast_ok(c);
    ir_brcondi(c->b, IR_EQ, c->fp_fast_ok, 0, slow);
    ir_expect(c->b, IR_EXPECT_NOT_TAKEN);
    uint16_t t = ir_new_temp(c->b);   /* a temp of its own: an f64 in Wasm */
    ir_farith64(c->b, fp_farith_op(op), t, a, s);
    uint16_t exp = ir_new_temp(c->b);   /* normal: exponent field - 1 < 0x7fe */
    ir_binopi(c->b, IR_SHRI, exp, t, 52);
    ir_binopi(c->b, IR_ANDI, exp, exp, 0x7ff);
    ir_binopi(c->b, IR_ADDI, exp, exp, -1);
    ir_brcondi(c->b, IR_GEU, exp, 0x7fe, slow);
    ir_expect(c->b, IR_EXPECT_NOT_TAKEN);
    ir_mov(c->b, d, t);
    ir_br(c->b, done);
    ir_label(c->b, slow);
    ir_call(c->b, RVH_FP_OP, d, a, s, 0, fp_imm((unsigned)op, 1, rm));
    ir_label(c->b, done);
}

static void gen_op_fp(Ctx *c)
{
    unsigned f7 = insn_funct7(c->insn), fmt = f7 & 3;
    unsigned rd = insn_rd(c->insn), rs1 = insn_rs1(c->insn);
    unsigned rs2 = insn_rs2(c->insn), rm = insn_funct3(c->insn);
    if (!fp_check(c))
        return;
    if (fmt > 1) {
        illegal(c);
        return;
    }
    switch (f7 >> 2) {
    case 0x1c: gen_fp_to_x(c, fmt); return;             /* fmv.x / fclass */
    case 0x1e: gen_x_to_fp(c, fmt); return;             /* fmv.w.x / d.x */
    default: break;
    }
    int op = fp_decode_op(f7 >> 2, rs2, rm, fmt);
    if (op < 0 || (fp_op_uses_rm(op) && !rm_ok(c))) {
        if (op < 0)
            illegal(c);
        return;
    }
    bool int_result = fp_op_writes_x(op);
    uint16_t d = int_result ? dst(c, rd) : F(rd);
    uint16_t a = fp_op_reads_x(op) ? X(rs1) : F(rs1);
    if (!int_result)
        fp_mark_dirty(c);
    if (fmt == 1 && op >= FPOP_ADD && op <= FPOP_DIV &&
        (rm == RM_RNE || rm == RM_DYN))
        gen_fp_arith_d(c, op, d, a, F(rs2), rm);
    else
        ir_call(c->b, RVH_FP_OP, d, a, F(rs2), 0, fp_imm((unsigned)op, fmt, rm));
}

/* ---- dispatch ---------------------------------------------------------------- */

/* Integer computations without side effects: with rd = x0 they are nops
 * or hints (nop itself is addi x0,x0,0), and emit nothing. */
static bool is_pure_alu(uint32_t insn)
{
    switch (insn_opcode(insn)) {
    case OPC_OP_IMM: case OPC_OP_IMM_32: case OPC_OP: case OPC_OP_32:
    case OPC_LUI: case OPC_AUIPC:
        return true;
    default:
        return false;
    }
}

static void gen_insn(Ctx *c)
{
    uint32_t i = c->insn;
    unsigned rd = insn_rd(i);
    if (rd == 0 && is_pure_alu(i))
        return;
    switch (insn_opcode(i)) {
    case OPC_LUI: if (rd) ir_movi(c->b, X(rd), imm_u(i)); return;
    case OPC_AUIPC: if (rd) ir_movi(c->b, X(rd), (int64_t)(c->pc + imm_u(i))); return;
    case OPC_JAL: gen_jal(c, rd, imm_j(i)); return;
    case OPC_JALR: gen_jalr(c); return;
    case OPC_BRANCH: gen_branch(c); return;
    case OPC_LOAD: gen_load(c); return;
    case OPC_STORE: gen_store(c); return;
    case OPC_OP_IMM: gen_op_imm(c, false); return;
    case OPC_OP_IMM_32: gen_op_imm(c, true); return;
    case OPC_OP: gen_op(c, false); return;
    case OPC_OP_32: gen_op(c, true); return;
    case OPC_MISC_MEM: gen_misc_mem(c); return;
    case OPC_SYSTEM: gen_system(c); return;
    case OPC_AMO: gen_amo(c); return;
    case OPC_LOAD_FP: gen_fp_load(c); return;
    case OPC_STORE_FP: gen_fp_store(c); return;
    case OPC_MADD: case OPC_MSUB: case OPC_NMSUB: case OPC_NMADD:
        gen_fp_fma(c); return;
    case OPC_OP_FP: gen_op_fp(c); return;
    default: illegal(c); return;
    }
}

/* Fetch the instruction at c->pc; false if the fetch faulted. */
static bool fetch(CpuCommon *cpu, Ctx *c)
{
    uint16_t lo, hi;
    if (!mmu_fetch16(cpu, c->pc, &lo))
        return false;
    if ((lo & 3) != 3) {
        c->len = 2;
        c->raw = lo;
        c->insn = rvc_expand(lo);
        return true;
    }
    if (!mmu_fetch16(cpu, c->pc + 2, &hi))
        return false;
    c->len = 4;
    c->raw = c->insn = lo | (uint32_t)hi << 16;
    return true;
}

bool target_translate(CpuCommon *cpu, TranslationBlock *tb, IrBlock *blk)
{
    Ctx c;
    memset(&c, 0, sizeof(c));
    c.b = blk;
    c.tb = tb;
    c.pc = tb->pc;
    c.priv = tb->flags & RV_TBF_PRIV_MASK;
    c.fs_on = tb->flags & RV_TBF_FS_ON;

    unsigned count = 0;
    uint64_t page = tb->pc & GUEST_PAGE_MASK;
    while (!c.ended) {
        blk->cur_pc_off = (uint16_t)(c.pc - tb->pc);
        bool faulted = !fetch(cpu, &c);
        if (faulted) {
            if (count == 0)
                return false;   /* the exception is raised at this pc */
            /* Leave the faulting fetch to the TB that starts there. */
            cpu->exc_pending = false;
            ir_exit_tb(blk, c.pc);
            break;
        }
        /* Legality comes from the shared table (decode.c), the same one
         * the disassembler prints from; gen_insn() only picks the IR. */
        if (c.insn == 0 || !rv_lookup(c.insn))
            illegal(&c);
        else
            gen_insn(&c);
        c.pc += c.len;
        count++;
        if (c.ended)
            break;
        bool page_end = (c.pc & GUEST_PAGE_MASK) != page ||
                        (c.pc & ~GUEST_PAGE_MASK) > GUEST_PAGE_SIZE - 4;
        if (count >= (cpu->debug.active ? 1u : MAX_INSNS_PER_TB) || page_end ||
            !ir_has_room(blk, 16, 8)) {
            ir_goto_tb(blk, 0, c.pc);
            break;
        }
    }
    tb->size = (uint16_t)(c.pc - tb->pc);
    tb->icount = (uint16_t)count;
    return true;
}
