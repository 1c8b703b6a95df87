/*
 * wasmu IR: the small typed intermediate representation that guest frontends
 * (target/<arch>) emit for one translation block (TB) and that the backends
 * (backend/interp, backend/wasm) execute or compile.
 *
 * Model
 * -----
 * Every value lives in a *slot*: a 64-bit cell of the CPU's slot file
 * (CpuCommon.slots).  The frontend decides which slots are guest globals
 * (for RISC-V: x0..x31 are slots 0..31, f0..f31 are slots 32..63) and which
 * are temporaries (slots from IR_FIRST_TEMP upward, private to one TB).
 * Because guest registers are slots, a simple guest instruction such as
 * `add x1, x2, x3` is exactly one IR op, which keeps the interpreter fast
 * and lets the Wasm backend cache globals in Wasm locals.
 *
 * Types: "_64" ops work on all 64 bits; "_32" ops read the low 32 bits of
 * their sources and write the 32-bit result *sign-extended* to 64 bits
 * (RISC-V's W convention, and a natural i32 -> i64.extend_i32_s in Wasm).
 *
 * Operands: dst, a, b, c are slot numbers; imm is a signed 64-bit constant.
 * The "I" forms take imm in place of b.
 *
 * Ops that can fault (guest loads/stores, helpers flagged IR_HELPER_MAY_RAISE,
 * IR_RAISE) carry pc_off: the offset of the guest instruction from the TB's
 * start pc, so that every backend can report a precise guest pc without
 * unwinding.  Slot 0 is the constant zero for every backend: frontends never
 * write it.
 */
#ifndef WASMU_IR_H
#define WASMU_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Slot file layout: globals first, then TB-private temporaries. */
enum {
    IR_FIRST_TEMP = 64,
    IR_MAX_TEMPS = 192,
    IR_SLOT_COUNT = IR_FIRST_TEMP + IR_MAX_TEMPS,
    IR_MAX_OPS = 2048,     /* ops in one TB's IR */
    IR_MAX_LABELS = 64,
};

/* Comparison conditions for setcond / brcond / select. */
typedef enum IrCond {
    IR_EQ, IR_NE, IR_LT, IR_GE, IR_LTU, IR_GEU,
    IR_COND_COUNT
} IrCond;

/* Guest memory access: size in the low 2 bits (log2 bytes), sign flag. */
typedef enum IrMemOp {
    IR_MO_8 = 0, IR_MO_16 = 1, IR_MO_32 = 2, IR_MO_64 = 3,
    IR_MO_SIZE_MASK = 3,
    IR_MO_SIGNED = 4,
} IrMemOp;

/*
 * The opcode table.  X(name, operands) where operands documents the form:
 *   d=dst  a,b,c=source slots  i=imm  L=label (imm holds the label id)
 * Semantics are spelled out here and in backend/interp/interp.c.
 */
#define IR_OPCODES(X)                                                      \
    X(NOP,      "")                                                        \
    X(MOV,      "d a")        /* d = a */                                  \
    X(MOVI,     "d i")        /* d = imm */                                \
    /* 64-bit arithmetic and logic */                                      \
    X(ADD,      "d a b")  X(SUB, "d a b")  X(AND, "d a b")                 \
    X(OR,       "d a b")  X(XOR, "d a b")                                  \
    X(SHL,      "d a b")  X(SHR, "d a b")  X(SAR, "d a b") /* b & 63 */    \
    X(ADDI,     "d a i")  X(ANDI, "d a i") X(ORI, "d a i")                 \
    X(XORI,     "d a i")                                                   \
    X(SHLI,     "d a i")  X(SHRI, "d a i") X(SARI, "d a i") /* 0..63 */    \
    X(MUL,      "d a b")                                                   \
    X(MULH,     "d a b")  /* high 64 of signed*signed 128-bit product */   \
    X(MULHU,    "d a b")  /* high 64 of unsigned*unsigned */               \
    X(MULHSU,   "d a b")  /* high 64 of signed a * unsigned b */           \
    X(DIV,      "d a b")  /* RISC-V: x/0 = -1, MIN/-1 = MIN */             \
    X(DIVU,     "d a b")  /* x/0 = all ones */                             \
    X(REM,      "d a b")  /* x%0 = x, MIN%-1 = 0 */                        \
    X(REMU,     "d a b")  /* x%0 = x */                                    \
    /* 32-bit forms: low 32 bits in, sign-extended result out */          \
    X(ADD32,    "d a b")  X(SUB32, "d a b")                                \
    X(SHL32,    "d a b")  X(SHR32, "d a b")  X(SAR32, "d a b") /* b&31 */ \
    X(ADDI32,   "d a i")                                                   \
    X(SHLI32,   "d a i")  X(SHRI32, "d a i") X(SARI32, "d a i")            \
    X(MUL32,    "d a b")  X(DIV32, "d a b")  X(DIVU32, "d a b")            \
    X(REM32,    "d a b")  X(REMU32, "d a b")                               \
    /* extensions */                                                       \
    X(SEXT8,    "d a")  X(SEXT16, "d a")  X(SEXT32, "d a")                 \
    X(ZEXT8,    "d a")  X(ZEXT16, "d a")  X(ZEXT32, "d a")                 \
    /* comparisons: d = (a cond b) ? 1 : 0 ; cond in op.cond */            \
    X(SETCOND,  "d a b")  X(SETCONDI, "d a i")                             \
    X(SELECT,   "d a b c") /* d = a != 0 ? b : c */                        \
    /* binary64 on bit patterns (op.cond: IrFpOp), rounded to nearest even, \
     * no flags: d = the result's bits, whatever they are */               \
    X(FARITH64, "d a b")                                                   \
    /* d = the 32-bit word at byte offset imm of the CPU state, zero-      \
     * extended (frontends read their own state this way) */              \
    X(LDCPU32,  "d i")                                                     \
    /* guest memory through the soft MMU; memop in op.memop */             \
    X(LD,       "d a i")  /* d = mem[a + imm] */                           \
    X(ST,       "a b i")  /* mem[a + imm] = b */                           \
    /* control flow inside the TB */                                       \
    X(LABEL,    "L")                                                       \
    X(BR,       "L")                                                       \
    /* the interpreter jumps to L, compiling backends fall through: the ops \
     * up to L are an inline fast path of the same effect as what follows \
     * L (one helper call serves the interpreter better than a few ops) */ \
    X(SKIP,     "L")                                                       \
    X(BRCOND,   "a b L")   /* if (a cond b) goto L */                      \
    X(BRCONDI,  "a L")     /* if (a cond c-as-imm) goto L: imm2 holds it */ \
    /* helpers: d = fn(cpu, a, b, c, imm); helper id in op.helper */       \
    X(CALL,     "d a b c i")                                               \
    /* leaving the TB */                                                   \
    X(GOTO_TB,  "i")       /* pc = imm; chain through exit slot op.cond */ \
    X(EXIT_TB,  "i")       /* pc = imm; return to the loop, no chaining */ \
    X(JUMP_IND, "a")       /* pc = a; look the TB up and continue */       \
    X(EXIT_IND, "a")       /* pc = a; return to the loop */                \
    X(RAISE,    "i")       /* raise exception imm (tval imm2) at pc_off */

typedef enum IrOpcode {
#define IR_ENUM(name, form) IR_##name,
    IR_OPCODES(IR_ENUM)
#undef IR_ENUM
    IR_OPCODE_COUNT
} IrOpcode;

/* FARITH64's operation. */
typedef enum IrFpOp { IR_FADD, IR_FSUB, IR_FMUL, IR_FDIV, IR_FP_OP_COUNT } IrFpOp;

typedef struct IrOp {
    uint8_t opc;      /* IrOpcode */
    uint8_t cond;     /* IrCond (SETCOND*, BRCOND*), exit slot 0/1 (GOTO_TB),
                         IrFpOp (FARITH64) */
    uint8_t memop;    /* IrMemOp for LD/ST */
    uint8_t expect;   /* BRCOND*: IrExpect, how likely the branch is taken */
    uint16_t dst, a, b, c;
    uint16_t helper;  /* CALL: index into the helper table */
    uint16_t pc_off;  /* faulting ops: guest insn offset from tb pc */
    int64_t imm;
    int64_t imm2;     /* BRCONDI's comparison constant */
} IrOp;

/* ---- helpers ---------------------------------------------------------- */

/*
 * Every helper has one C signature so that backends can call any of them
 * the same way (one Wasm call_indirect type).  cpu is the CpuCommon*.
 */
typedef uint64_t (*IrHelperFn)(void *cpu, uint64_t a, uint64_t b, uint64_t c,
                               uint64_t imm);

enum IrHelperFlags {
    IR_HELPER_MAY_RAISE = 1,  /* may set cpu->exception: backends check it */
    IR_HELPER_READS_GLOBALS = 2,  /* reads guest globals from the slot file */
    IR_HELPER_WRITES_GLOBALS = 4, /* writes guest globals into the slot file */
    IR_HELPER_NO_RESULT = 8,  /* dst is unused */
};

typedef struct IrHelperInfo {
    const char *name;
    IrHelperFn fn;
    unsigned flags;
} IrHelperInfo;

/* The helper table is a constant array owned by the target (one guest
 * architecture per binary, as with qemu-system-<arch>): ids are indices. */
const IrHelperInfo *target_helper_info(unsigned id);
unsigned target_helper_count(void);

/* ---- building a TB's IR --------------------------------------------- */

typedef struct IrBlock {
    IrOp ops[IR_MAX_OPS];
    unsigned n_ops;
    unsigned n_temps;      /* temps allocated: slots IR_FIRST_TEMP.. */
    unsigned n_labels;
    uint16_t cur_pc_off;   /* pc_off stamped on faulting ops */
    bool overflow;         /* ran out of ops/temps: frontend ends the TB */
    IrOp overflow_sink;    /* where ops go once the block is full */
} IrBlock;

void ir_block_init(IrBlock *blk);
uint16_t ir_new_temp(IrBlock *blk);
unsigned ir_new_label(IrBlock *blk);
/* Space left for at least n more ops and t more temps? */
bool ir_has_room(const IrBlock *blk, unsigned n, unsigned t);
IrOp *ir_emit(IrBlock *blk, IrOpcode opc);

/* Convenience emitters used by frontends. */
void ir_mov(IrBlock *b, uint16_t d, uint16_t a);
void ir_movi(IrBlock *b, uint16_t d, int64_t imm);
void ir_binop(IrBlock *b, IrOpcode opc, uint16_t d, uint16_t a, uint16_t s);
void ir_binopi(IrBlock *b, IrOpcode opc, uint16_t d, uint16_t a, int64_t imm);
void ir_unop(IrBlock *b, IrOpcode opc, uint16_t d, uint16_t a);
void ir_setcond(IrBlock *b, IrCond c, uint16_t d, uint16_t a, uint16_t s);
void ir_setcondi(IrBlock *b, IrCond c, uint16_t d, uint16_t a, int64_t imm);
void ir_select(IrBlock *b, uint16_t d, uint16_t cond, uint16_t t, uint16_t f);
void ir_farith64(IrBlock *b, IrFpOp fop, uint16_t d, uint16_t a, uint16_t s);
void ir_ldcpu32(IrBlock *b, uint16_t d, size_t offset);
/* Guest loads and stores.  Compiled code may leave at one for the
 * interpreter (a TLB miss), which then runs the whole guest instruction
 * again from its start: the ops of an instruction before its LD/ST must be
 * ones that can be redone (no read of what they wrote). */
void ir_ld(IrBlock *b, IrMemOp mo, uint16_t d, uint16_t base, int64_t off);
void ir_st(IrBlock *b, IrMemOp mo, uint16_t val, uint16_t base, int64_t off);
void ir_label(IrBlock *b, unsigned label);
void ir_br(IrBlock *b, unsigned label);
void ir_skip(IrBlock *b, unsigned label);
/* How likely a conditional branch is taken, when the frontend knows (the
 * Wasm tier passes it on to the engine as a branch hint). */
typedef enum IrExpect { IR_EXPECT_NONE, IR_EXPECT_TAKEN, IR_EXPECT_NOT_TAKEN } IrExpect;

void ir_brcond(IrBlock *b, IrCond c, uint16_t a, uint16_t s, unsigned label);
void ir_brcondi(IrBlock *b, IrCond c, uint16_t a, int64_t imm, unsigned label);
/* Mark the BRCOND* just emitted as (almost) always or never taken. */
void ir_expect(IrBlock *b, IrExpect expect);
void ir_call(IrBlock *b, uint16_t helper, uint16_t d, uint16_t a, uint16_t s,
             uint16_t c, int64_t imm);
void ir_goto_tb(IrBlock *b, unsigned exit_slot, uint64_t pc);
void ir_exit_tb(IrBlock *b, uint64_t pc);
void ir_jump_ind(IrBlock *b, uint16_t a);
void ir_raise(IrBlock *b, int64_t cause);          /* tval = 0 */
void ir_raise_tval(IrBlock *b, int64_t cause, int64_t tval);

/* True if the op writes op->dst (a CALL only when its helper returns). */
bool ir_op_writes_dst(const IrOp *op);
/* True for ops after which control never falls through. */
bool ir_op_ends_flow(const IrOp *op);

/* ---- printing and optimisation --------------------------------------- */

const char *ir_opcode_name(unsigned opc);
void ir_print_op(FILE *out, const IrOp *op);
void ir_print_block(FILE *out, const IrBlock *blk, uint64_t tb_pc);
void ir_optimize(IrBlock *blk);

#endif
