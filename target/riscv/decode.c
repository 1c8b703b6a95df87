/*
 * The RV64GC instruction table, built from the encoding tables of the
 * unprivileged spec (RV32/64 I, M, A, F, D, Zicsr, Zifencei, C) and the
 * privileged spec's system instructions.  See decode.h for the row format.
 *
 * Masks are spelled with the instruction formats' fixed fields so that a
 * row reads like the spec's table line: opcode, funct3, funct7, ...
 */
#include "target/riscv/decode.h"

#include <stdbool.h>

#define F3(f) ((uint32_t)(f) << 12)
#define F7(f) ((uint32_t)(f) << 25)
#define RS2(r) ((uint32_t)(r) << 20)

enum {
    M_OPC = 0x7f, M_F3 = 0x7000, M_F7 = 0xfe000000u, M_F6 = 0xfc000000u,
    M_F5 = 0xf8000000u, M_RS2 = 0x01f00000, M_RS1 = 0xf8000, M_RD = 0xf80,
    M_FMT = 0x06000000,
};

/* Row builders, one per encoding shape. */
#define U(name, op, args)  { name, M_OPC, op, args, 0 }
#define I(name, op, f3, args)  { name, M_OPC | M_F3, F3(f3) | (op), args, 0 }
#define R(name, op, f3, f7, args) \
    { name, M_OPC | M_F3 | M_F7, F7(f7) | F3(f3) | (op), args, 0 }
#define SH6(name, f3, f6) \
    { name, M_OPC | M_F3 | M_F6, (uint32_t)(f6) << 26 | F3(f3) | OPC_OP_IMM, \
      "d,s,>", 0 }
#define EXACT(name, bits, args) { name, 0xffffffffu, bits, args, 0 }
/* OP-FP: with a rounding mode (funct3 free), or funct3 fixed. */
#define FP_RM(name, f7, args) \
    { name, M_OPC | M_F7, F7(f7) | OPC_OP_FP, args, 0 }
#define FP_F3(name, f7, f3, args) \
    { name, M_OPC | M_F3 | M_F7, F7(f7) | F3(f3) | OPC_OP_FP, args, 0 }
/* OP-FP with the rs2 field selecting the operation. */
#define FP_RS2_RM(name, f7, rs2, args) \
    { name, M_OPC | M_F7 | M_RS2, F7(f7) | RS2(rs2) | OPC_OP_FP, args, 0 }
#define FP_RS2_F3(name, f7, rs2, f3, args) \
    { name, M_OPC | M_F3 | M_F7 | M_RS2, \
      F7(f7) | RS2(rs2) | F3(f3) | OPC_OP_FP, args, 0 }
#define FMA(name, op, fmt) \
    { name, M_OPC | M_FMT, (uint32_t)(fmt) << 25 | (op), "D,S,T,R,m", 0 }
#define AMO(name, f5, f3) \
    { name, M_OPC | M_F3 | M_F5, (uint32_t)(f5) << 27 | F3(f3) | OPC_AMO, \
      "d,t,0", RV_INSN_AQRL }
#define LR(name, f3) \
    { name, M_OPC | M_F3 | M_F5 | M_RS2, 2u << 27 | F3(f3) | OPC_AMO, \
      "d,0", RV_INSN_AQRL }

/* Single and double variants of an OP-FP row: funct7 differs in bit 0. */
#define FP_RM_SD(base, f7, args) \
    FP_RM(base ".s", f7, args), FP_RM(base ".d", (f7) | 1, args)
#define FP_F3_SD(base, f7, f3, args) \
    FP_F3(base ".s", f7, f3, args), FP_F3(base ".d", (f7) | 1, f3, args)

static const RvInsnInfo rv_insns[] = {
    /* RV64I */
    U("lui", OPC_LUI, "d,u"),
    U("auipc", OPC_AUIPC, "d,u"),
    U("jal", OPC_JAL, "d,a"),
    I("jalr", OPC_JALR, 0, "d,o"),
    I("beq", OPC_BRANCH, 0, "s,t,p"),
    I("bne", OPC_BRANCH, 1, "s,t,p"),
    I("blt", OPC_BRANCH, 4, "s,t,p"),
    I("bge", OPC_BRANCH, 5, "s,t,p"),
    I("bltu", OPC_BRANCH, 6, "s,t,p"),
    I("bgeu", OPC_BRANCH, 7, "s,t,p"),
    I("lb", OPC_LOAD, 0, "d,o"),
    I("lh", OPC_LOAD, 1, "d,o"),
    I("lw", OPC_LOAD, 2, "d,o"),
    I("ld", OPC_LOAD, 3, "d,o"),
    I("lbu", OPC_LOAD, 4, "d,o"),
    I("lhu", OPC_LOAD, 5, "d,o"),
    I("lwu", OPC_LOAD, 6, "d,o"),
    I("sb", OPC_STORE, 0, "t,q"),
    I("sh", OPC_STORE, 1, "t,q"),
    I("sw", OPC_STORE, 2, "t,q"),
    I("sd", OPC_STORE, 3, "t,q"),
    I("addi", OPC_OP_IMM, 0, "d,s,j"),
    I("slti", OPC_OP_IMM, 2, "d,s,j"),
    I("sltiu", OPC_OP_IMM, 3, "d,s,j"),
    I("xori", OPC_OP_IMM, 4, "d,s,j"),
    I("ori", OPC_OP_IMM, 6, "d,s,j"),
    I("andi", OPC_OP_IMM, 7, "d,s,j"),
    SH6("slli", 1, 0x00),
    SH6("srli", 5, 0x00),
    SH6("srai", 5, 0x10),
    R("add", OPC_OP, 0, 0x00, "d,s,t"),
    R("sub", OPC_OP, 0, 0x20, "d,s,t"),
    R("sll", OPC_OP, 1, 0x00, "d,s,t"),
    R("slt", OPC_OP, 2, 0x00, "d,s,t"),
    R("sltu", OPC_OP, 3, 0x00, "d,s,t"),
    R("xor", OPC_OP, 4, 0x00, "d,s,t"),
    R("srl", OPC_OP, 5, 0x00, "d,s,t"),
    R("sra", OPC_OP, 5, 0x20, "d,s,t"),
    R("or", OPC_OP, 6, 0x00, "d,s,t"),
    R("and", OPC_OP, 7, 0x00, "d,s,t"),
    I("addiw", OPC_OP_IMM_32, 0, "d,s,j"),
    R("slliw", OPC_OP_IMM_32, 1, 0x00, "d,s,<"),
    R("srliw", OPC_OP_IMM_32, 5, 0x00, "d,s,<"),
    R("sraiw", OPC_OP_IMM_32, 5, 0x20, "d,s,<"),
    R("addw", OPC_OP_32, 0, 0x00, "d,s,t"),
    R("subw", OPC_OP_32, 0, 0x20, "d,s,t"),
    R("sllw", OPC_OP_32, 1, 0x00, "d,s,t"),
    R("srlw", OPC_OP_32, 5, 0x00, "d,s,t"),
    R("sraw", OPC_OP_32, 5, 0x20, "d,s,t"),
    /* fences: the reserved fm/rs1/rd fields are ignored, as the spec asks */
    EXACT("fence.tso", 0x8330000f, ""),
    I("fence", OPC_MISC_MEM, 0, "P,Q"),
    I("fence.i", OPC_MISC_MEM, 1, ""),
    /* system */
    EXACT("ecall", 0x00000073, ""),
    EXACT("ebreak", 0x00100073, ""),
    EXACT("sret", 0x10200073, ""),
    EXACT("mret", 0x30200073, ""),
    EXACT("wfi", 0x10500073, ""),
    { "sfence.vma", M_OPC | M_F3 | M_F7 | M_RD, F7(0x09) | OPC_SYSTEM,
      "s,t", 0 },
    I("csrrw", OPC_SYSTEM, 1, "d,E,s"),
    I("csrrs", OPC_SYSTEM, 2, "d,E,s"),
    I("csrrc", OPC_SYSTEM, 3, "d,E,s"),
    I("csrrwi", OPC_SYSTEM, 5, "d,E,Z"),
    I("csrrsi", OPC_SYSTEM, 6, "d,E,Z"),
    I("csrrci", OPC_SYSTEM, 7, "d,E,Z"),
    /* M */
    R("mul", OPC_OP, 0, 0x01, "d,s,t"),
    R("mulh", OPC_OP, 1, 0x01, "d,s,t"),
    R("mulhsu", OPC_OP, 2, 0x01, "d,s,t"),
    R("mulhu", OPC_OP, 3, 0x01, "d,s,t"),
    R("div", OPC_OP, 4, 0x01, "d,s,t"),
    R("divu", OPC_OP, 5, 0x01, "d,s,t"),
    R("rem", OPC_OP, 6, 0x01, "d,s,t"),
    R("remu", OPC_OP, 7, 0x01, "d,s,t"),
    R("mulw", OPC_OP_32, 0, 0x01, "d,s,t"),
    R("divw", OPC_OP_32, 4, 0x01, "d,s,t"),
    R("divuw", OPC_OP_32, 5, 0x01, "d,s,t"),
    R("remw", OPC_OP_32, 6, 0x01, "d,s,t"),
    R("remuw", OPC_OP_32, 7, 0x01, "d,s,t"),
    /* A */
    LR("lr.w", 2), AMO("sc.w", 0x03, 2),
    AMO("amoswap.w", 0x01, 2), AMO("amoadd.w", 0x00, 2),
    AMO("amoxor.w", 0x04, 2), AMO("amoand.w", 0x0c, 2),
    AMO("amoor.w", 0x08, 2), AMO("amomin.w", 0x10, 2),
    AMO("amomax.w", 0x14, 2), AMO("amominu.w", 0x18, 2),
    AMO("amomaxu.w", 0x1c, 2),
    LR("lr.d", 3), AMO("sc.d", 0x03, 3),
    AMO("amoswap.d", 0x01, 3), AMO("amoadd.d", 0x00, 3),
    AMO("amoxor.d", 0x04, 3), AMO("amoand.d", 0x0c, 3),
    AMO("amoor.d", 0x08, 3), AMO("amomin.d", 0x10, 3),
    AMO("amomax.d", 0x14, 3), AMO("amominu.d", 0x18, 3),
    AMO("amomaxu.d", 0x1c, 3),
    /* F and D */
    I("flw", OPC_LOAD_FP, 2, "D,o"),
    I("fld", OPC_LOAD_FP, 3, "D,o"),
    I("fsw", OPC_STORE_FP, 2, "T,q"),
    I("fsd", OPC_STORE_FP, 3, "T,q"),
    FMA("fmadd.s", OPC_MADD, 0), FMA("fmadd.d", OPC_MADD, 1),
    FMA("fmsub.s", OPC_MSUB, 0), FMA("fmsub.d", OPC_MSUB, 1),
    FMA("fnmsub.s", OPC_NMSUB, 0), FMA("fnmsub.d", OPC_NMSUB, 1),
    FMA("fnmadd.s", OPC_NMADD, 0), FMA("fnmadd.d", OPC_NMADD, 1),
    FP_RM_SD("fadd", 0x00, "D,S,T,m"),
    FP_RM_SD("fsub", 0x04, "D,S,T,m"),
    FP_RM_SD("fmul", 0x08, "D,S,T,m"),
    FP_RM_SD("fdiv", 0x0c, "D,S,T,m"),
    FP_RS2_RM("fsqrt.s", 0x2c, 0, "D,S,m"),
    FP_RS2_RM("fsqrt.d", 0x2d, 0, "D,S,m"),
    FP_F3_SD("fsgnj", 0x10, 0, "D,S,T"),
    FP_F3_SD("fsgnjn", 0x10, 1, "D,S,T"),
    FP_F3_SD("fsgnjx", 0x10, 2, "D,S,T"),
    FP_F3_SD("fmin", 0x14, 0, "D,S,T"),
    FP_F3_SD("fmax", 0x14, 1, "D,S,T"),
    FP_F3_SD("feq", 0x50, 2, "d,S,T"),
    FP_F3_SD("flt", 0x50, 1, "d,S,T"),
    FP_F3_SD("fle", 0x50, 0, "d,S,T"),
    FP_RS2_F3("fclass.s", 0x70, 0, 1, "d,S"),
    FP_RS2_F3("fclass.d", 0x71, 0, 1, "d,S"),
    FP_RS2_F3("fmv.x.w", 0x70, 0, 0, "d,S"),
    FP_RS2_F3("fmv.x.d", 0x71, 0, 0, "d,S"),
    FP_RS2_F3("fmv.w.x", 0x78, 0, 0, "D,s"),
    FP_RS2_F3("fmv.d.x", 0x79, 0, 0, "D,s"),
    FP_RS2_RM("fcvt.w.s", 0x60, 0, "d,S,m"),
    FP_RS2_RM("fcvt.wu.s", 0x60, 1, "d,S,m"),
    FP_RS2_RM("fcvt.l.s", 0x60, 2, "d,S,m"),
    FP_RS2_RM("fcvt.lu.s", 0x60, 3, "d,S,m"),
    FP_RS2_RM("fcvt.s.w", 0x68, 0, "D,s,m"),
    FP_RS2_RM("fcvt.s.wu", 0x68, 1, "D,s,m"),
    FP_RS2_RM("fcvt.s.l", 0x68, 2, "D,s,m"),
    FP_RS2_RM("fcvt.s.lu", 0x68, 3, "D,s,m"),
    FP_RS2_RM("fcvt.w.d", 0x61, 0, "d,S,m"),
    FP_RS2_RM("fcvt.wu.d", 0x61, 1, "d,S,m"),
    FP_RS2_RM("fcvt.l.d", 0x61, 2, "d,S,m"),
    FP_RS2_RM("fcvt.lu.d", 0x61, 3, "d,S,m"),
    /* exact conversions: rm is encoded but cannot change the result */
    FP_RS2_RM("fcvt.d.w", 0x69, 0, "D,s"),
    FP_RS2_RM("fcvt.d.wu", 0x69, 1, "D,s"),
    FP_RS2_RM("fcvt.d.l", 0x69, 2, "D,s,m"),
    FP_RS2_RM("fcvt.d.lu", 0x69, 3, "D,s,m"),
    FP_RS2_RM("fcvt.s.d", 0x20, 1, "D,S,m"),
    FP_RS2_RM("fcvt.d.s", 0x21, 0, "D,S"),
};

/* Compressed: quadrant (bits 1:0) and funct3 (15:13), plus the fields
 * that distinguish rows sharing them.  Specific rows come first. */
#define C(name, mask, match, args) { name, mask, match, args, 0 }

static const RvInsnInfo rvc_insns[] = {
    C("c.addi4spn", 0xe003, 0x0000, "d,2,j"),
    C("c.fld", 0xe003, 0x2000, "D,o"),
    C("c.lw", 0xe003, 0x4000, "d,o"),
    C("c.ld", 0xe003, 0x6000, "d,o"),
    C("c.fsd", 0xe003, 0xa000, "T,q"),
    C("c.sw", 0xe003, 0xc000, "t,q"),
    C("c.sd", 0xe003, 0xe000, "t,q"),
    C("c.addi", 0xe003, 0x0001, "d,j"),
    C("c.addiw", 0xe003, 0x2001, "d,j"),
    C("c.li", 0xe003, 0x4001, "d,j"),
    C("c.addi16sp", 0xef83, 0x6101, "2,j"),
    C("c.lui", 0xe003, 0x6001, "d,u"),
    C("c.srli64", 0xfc7f, 0x8001, "d"),
    C("c.srai64", 0xfc7f, 0x8401, "d"),
    C("c.srli", 0xec03, 0x8001, "d,>"),
    C("c.srai", 0xec03, 0x8401, "d,>"),
    C("c.andi", 0xec03, 0x8801, "d,j"),
    C("c.sub", 0xfc63, 0x8c01, "d,t"),
    C("c.xor", 0xfc63, 0x8c21, "d,t"),
    C("c.or", 0xfc63, 0x8c41, "d,t"),
    C("c.and", 0xfc63, 0x8c61, "d,t"),
    C("c.subw", 0xfc63, 0x9c01, "d,t"),
    C("c.addw", 0xfc63, 0x9c21, "d,t"),
    C("c.j", 0xe003, 0xa001, "a"),
    C("c.beqz", 0xe003, 0xc001, "s,p"),
    C("c.bnez", 0xe003, 0xe001, "s,p"),
    C("c.slli64", 0xf07f, 0x0002, "d"),
    C("c.slli", 0xe003, 0x0002, "d,>"),
    C("c.fldsp", 0xe003, 0x2002, "D,o"),
    C("c.lwsp", 0xe003, 0x4002, "d,o"),
    C("c.ldsp", 0xe003, 0x6002, "d,o"),
    C("c.jr", 0xf07f, 0x8002, "s"),
    C("c.mv", 0xf003, 0x8002, "d,t"),
    C("c.ebreak", 0xffff, 0x9002, ""),
    C("c.jalr", 0xf07f, 0x9002, "s"),
    C("c.add", 0xf003, 0x9002, "d,t"),
    C("c.fsdsp", 0xe003, 0xa002, "T,q"),
    C("c.swsp", 0xe003, 0xc002, "t,q"),
    C("c.sdsp", 0xe003, 0xe002, "t,q"),
};

static const RvInsnInfo *find(const RvInsnInfo *rows, size_t n, uint32_t bits)
{
    for (size_t i = 0; i < n; i++)
        if ((bits & rows[i].mask) == rows[i].match)
            return &rows[i];
    return NULL;
}

const RvInsnInfo *rv_lookup(uint32_t insn)
{
    return find(rv_insns, sizeof(rv_insns) / sizeof(rv_insns[0]), insn);
}

const RvInsnInfo *rvc_lookup(uint16_t c)
{
    /* Reserved encodings are the ones the expander refuses. */
    if (!rvc_expand(c))
        return NULL;
    return find(rvc_insns, sizeof(rvc_insns) / sizeof(rvc_insns[0]), c);
}
