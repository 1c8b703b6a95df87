/*
 * RISC-V instruction fields and the RVC expander, shared by the translator
 * and the disassembler so that there is one decoder.
 */
#ifndef WASMU_RISCV_DECODE_H
#define WASMU_RISCV_DECODE_H

#include <stddef.h>
#include <stdint.h>

static inline unsigned insn_opcode(uint32_t i) { return i & 0x7f; }
static inline unsigned insn_rd(uint32_t i) { return (i >> 7) & 31; }
static inline unsigned insn_funct3(uint32_t i) { return (i >> 12) & 7; }
static inline unsigned insn_rs1(uint32_t i) { return (i >> 15) & 31; }
static inline unsigned insn_rs2(uint32_t i) { return (i >> 20) & 31; }
static inline unsigned insn_rs3(uint32_t i) { return i >> 27; }
static inline unsigned insn_funct7(uint32_t i) { return i >> 25; }

/* Immediates: assembled as unsigned bit fields, then sign-extended from
 * their top bit (mixing int32 and uint32 operands would zero-extend). */
static inline int64_t sext_bits(uint32_t v, unsigned width)
{
    return (int64_t)((int32_t)(v << (32 - width)) >> (32 - width));
}
static inline int64_t imm_i(uint32_t i) { return (int32_t)i >> 20; }
static inline int64_t imm_s(uint32_t i)
{
    return sext_bits((i >> 25) << 5 | ((i >> 7) & 31), 12);
}
static inline int64_t imm_b(uint32_t i)
{
    return sext_bits((i >> 31) << 12 | ((i >> 7) & 1) << 11 |
                     ((i >> 25) & 0x3f) << 5 | ((i >> 8) & 0xf) << 1, 13);
}
static inline int64_t imm_u(uint32_t i) { return (int32_t)(i & 0xfffff000u); }
static inline int64_t imm_j(uint32_t i)
{
    return sext_bits((i >> 31) << 20 | (i & 0xff000) | ((i >> 20) & 1) << 11 |
                     ((i >> 21) & 0x3ff) << 1, 21);
}

/* Major opcodes. */
enum {
    OPC_LOAD = 0x03, OPC_LOAD_FP = 0x07, OPC_MISC_MEM = 0x0f,
    OPC_OP_IMM = 0x13, OPC_AUIPC = 0x17, OPC_OP_IMM_32 = 0x1b,
    OPC_STORE = 0x23, OPC_STORE_FP = 0x27, OPC_AMO = 0x2f, OPC_OP = 0x33,
    OPC_LUI = 0x37, OPC_OP_32 = 0x3b, OPC_MADD = 0x43, OPC_MSUB = 0x47,
    OPC_NMSUB = 0x4b, OPC_NMADD = 0x4f, OPC_OP_FP = 0x53, OPC_BRANCH = 0x63,
    OPC_JALR = 0x67, OPC_JAL = 0x6f, OPC_SYSTEM = 0x73,
};

/* Expand a 16-bit RVC instruction to its 32-bit equivalent; 0 if the
 * encoding is illegal or reserved. */
uint32_t rvc_expand(uint16_t c);

/*
 * The instruction table (decode.c): one row per RV64GC instruction, matched
 * as (insn & mask) == match.  The translator asks it whether an encoding is
 * legal; the disassembler prints the row's name and operands, so the two can
 * never disagree about what an encoding is.
 *
 * args lists the operands, comma separated, one letter each:
 *   d s t   x[rd] x[rs1] x[rs2]        D S T R  f[rd] f[rs1] f[rs2] f[rs3]
 *   j       I-immediate (decimal)      o q      I / S offset(x[rs1])
 *   >  <    shamt (6 / 5 bits, hex)    u        U-immediate field (hex)
 *   a  p    jal / branch target        E Z      CSR / 5-bit uimm (rs1)
 *   m       rounding mode, omitted when dynamic
 *   P Q     fence predecessor / successor sets
 *   0       (x[rs1]) of an AMO         2        "sp"
 * Compressed rows print the fields of the expanded instruction.
 */
typedef struct RvInsnInfo {
    const char *name;
    uint32_t mask, match;
    const char *args;
    unsigned flags;
} RvInsnInfo;

enum {
    RV_INSN_AQRL = 1,   /* AMO: print .aq/.rl/.aqrl from bits 26:25 */
};

/* The row matching a 32-bit instruction; NULL if it is not RV64GC. */
const RvInsnInfo *rv_lookup(uint32_t insn);
/* The row naming a legal 16-bit instruction; NULL if reserved/illegal. */
const RvInsnInfo *rvc_lookup(uint16_t c);

/* Disassemble one instruction (16-bit when (bits & 3) != 3) at pc into buf
 * as "mnemonic operands"; illegal encodings print "illegal 0x..".
 * Returns the instruction's length in bytes. */
unsigned rv_disas_insn(uint32_t bits, uint64_t pc, char *buf, size_t len);

#endif
