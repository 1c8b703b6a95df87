/*
 * RV64C: every compressed instruction is expanded to the 32-bit instruction
 * it stands for, so the translator and disassembler decode one format.
 */
#include "target/riscv/decode.h"

static uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static int32_t sext(uint32_t v, unsigned width)
{
    return (int32_t)(v << (32 - width)) >> (32 - width);
}

static uint32_t enc_i(unsigned op, unsigned rd, unsigned f3, unsigned rs1,
                      int32_t imm)
{
    return ((uint32_t)imm << 20) | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t enc_s(unsigned op, unsigned f3, unsigned rs1, unsigned rs2,
                      int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return bits(u, 11, 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
           bits(u, 4, 0) << 7 | op;
}

static uint32_t enc_r(unsigned op, unsigned rd, unsigned f3, unsigned rs1,
                      unsigned rs2, unsigned f7)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t enc_b(unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return bits(u, 12, 12) << 31 | bits(u, 10, 5) << 25 | rs2 << 20 |
           rs1 << 15 | f3 << 12 | bits(u, 4, 1) << 8 | bits(u, 11, 11) << 7 |
           OPC_BRANCH;
}

static uint32_t enc_j(unsigned rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return bits(u, 20, 20) << 31 | bits(u, 10, 1) << 21 |
           bits(u, 11, 11) << 20 | bits(u, 19, 12) << 12 | rd << 7 | OPC_JAL;
}

/* Register fields of the 3-bit "popular register" forms: x8..x15. */
static unsigned rp(uint32_t c, unsigned lo) { return 8 + bits(c, lo + 2, lo); }

static int32_t ci_imm(uint32_t c)   /* imm[5] = c[12], imm[4:0] = c[6:2] */
{
    return sext(bits(c, 12, 12) << 5 | bits(c, 6, 2), 6);
}

static uint32_t expand_q0(uint32_t c)
{
    unsigned rd = rp(c, 2), rs1 = rp(c, 7);
    uint32_t uimm_d = bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6;
    uint32_t uimm_w = bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 |
                      bits(c, 5, 5) << 6;
    switch (bits(c, 15, 13)) {
    case 0: {   /* c.addi4spn */
        uint32_t nzuimm = bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 |
                          bits(c, 6, 6) << 2 | bits(c, 5, 5) << 3;
        return nzuimm ? enc_i(OPC_OP_IMM, rd, 0, 2, (int32_t)nzuimm) : 0;
    }
    case 1: return enc_i(OPC_LOAD_FP, rd, 3, rs1, (int32_t)uimm_d);  /* c.fld */
    case 2: return enc_i(OPC_LOAD, rd, 2, rs1, (int32_t)uimm_w);     /* c.lw */
    case 3: return enc_i(OPC_LOAD, rd, 3, rs1, (int32_t)uimm_d);     /* c.ld */
    case 5: return enc_s(OPC_STORE_FP, 3, rs1, rd, (int32_t)uimm_d); /* c.fsd */
    case 6: return enc_s(OPC_STORE, 2, rs1, rd, (int32_t)uimm_w);    /* c.sw */
    case 7: return enc_s(OPC_STORE, 3, rs1, rd, (int32_t)uimm_d);    /* c.sd */
    default: return 0;
    }
}

static uint32_t expand_q1_alu(uint32_t c)
{
    unsigned rd = rp(c, 7), rs2 = rp(c, 2);
    uint32_t shamt = bits(c, 12, 12) << 5 | bits(c, 6, 2);
    switch (bits(c, 11, 10)) {
    case 0: return enc_i(OPC_OP_IMM, rd, 5, rd, (int32_t)shamt);        /* srli */
    case 1: return enc_i(OPC_OP_IMM, rd, 5, rd, (int32_t)(shamt | 0x400)); /* srai */
    case 2: return enc_i(OPC_OP_IMM, rd, 7, rd, ci_imm(c));              /* andi */
    default: break;
    }
    static const unsigned f3[4] = { 0, 4, 6, 7 };   /* sub xor or and */
    unsigned sel = bits(c, 6, 5);
    if (!bits(c, 12, 12))
        return enc_r(OPC_OP, rd, f3[sel], rd, rs2, sel == 0 ? 0x20 : 0);
    if (sel == 0) return enc_r(OPC_OP_32, rd, 0, rd, rs2, 0x20);   /* subw */
    if (sel == 1) return enc_r(OPC_OP_32, rd, 0, rd, rs2, 0);      /* addw */
    return 0;
}

static uint32_t expand_q1(uint32_t c)
{
    unsigned rd = bits(c, 11, 7);
    switch (bits(c, 15, 13)) {
    case 0: return enc_i(OPC_OP_IMM, rd, 0, rd, ci_imm(c));        /* c.addi */
    case 1: return rd ? enc_i(OPC_OP_IMM_32, rd, 0, rd, ci_imm(c)) : 0;
    case 2: return enc_i(OPC_OP_IMM, rd, 0, 0, ci_imm(c));         /* c.li */
    case 3:
        if (rd == 2) {   /* c.addi16sp */
            int32_t imm = sext(bits(c, 12, 12) << 9 | bits(c, 6, 6) << 4 |
                               bits(c, 5, 5) << 6 | bits(c, 4, 3) << 7 |
                               bits(c, 2, 2) << 5, 10);
            return imm ? enc_i(OPC_OP_IMM, 2, 0, 2, imm) : 0;
        } else {         /* c.lui */
            int32_t imm = ci_imm(c);
            return imm ? ((uint32_t)imm << 12) | rd << 7 | OPC_LUI : 0;
        }
    case 4: return expand_q1_alu(c);
    case 5: {   /* c.j */
        int32_t off = sext(bits(c, 12, 12) << 11 | bits(c, 11, 11) << 4 |
                           bits(c, 10, 9) << 8 | bits(c, 8, 8) << 10 |
                           bits(c, 7, 7) << 6 | bits(c, 6, 6) << 7 |
                           bits(c, 5, 3) << 1 | bits(c, 2, 2) << 5, 12);
        return enc_j(0, off);
    }
    default: {  /* c.beqz / c.bnez */
        int32_t off = sext(bits(c, 12, 12) << 8 | bits(c, 11, 10) << 3 |
                           bits(c, 6, 5) << 6 | bits(c, 4, 3) << 1 |
                           bits(c, 2, 2) << 5, 9);
        return enc_b(bits(c, 13, 13), rp(c, 7), 0, off);
    }
    }
}

static uint32_t expand_q2(uint32_t c)
{
    unsigned rd = bits(c, 11, 7), rs2 = bits(c, 6, 2);
    uint32_t sp_d = bits(c, 12, 12) << 5 | bits(c, 6, 5) << 3 |
                    bits(c, 4, 2) << 6;
    uint32_t sp_w = bits(c, 12, 12) << 5 | bits(c, 6, 4) << 2 |
                    bits(c, 3, 2) << 6;
    uint32_t ss_d = bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6;
    uint32_t ss_w = bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6;
    switch (bits(c, 15, 13)) {
    case 0: return enc_i(OPC_OP_IMM, rd, 1, rd,
                         (int32_t)(bits(c, 12, 12) << 5 | rs2));  /* c.slli */
    case 1: return enc_i(OPC_LOAD_FP, rd, 3, 2, (int32_t)sp_d);   /* c.fldsp */
    case 2: return rd ? enc_i(OPC_LOAD, rd, 2, 2, (int32_t)sp_w) : 0;
    case 3: return rd ? enc_i(OPC_LOAD, rd, 3, 2, (int32_t)sp_d) : 0;
    case 4:
        if (!bits(c, 12, 12)) {
            if (rs2 == 0)   /* c.jr */
                return rd ? enc_i(OPC_JALR, 0, 0, rd, 0) : 0;
            return enc_r(OPC_OP, rd, 0, 0, rs2, 0);              /* c.mv */
        }
        if (rs2 == 0)   /* c.ebreak / c.jalr */
            return rd ? enc_i(OPC_JALR, 1, 0, rd, 0) : 0x00100073;
        return enc_r(OPC_OP, rd, 0, rd, rs2, 0);                 /* c.add */
    case 5: return enc_s(OPC_STORE_FP, 3, 2, rs2, (int32_t)ss_d); /* c.fsdsp */
    case 6: return enc_s(OPC_STORE, 2, 2, rs2, (int32_t)ss_w);    /* c.swsp */
    default: return enc_s(OPC_STORE, 3, 2, rs2, (int32_t)ss_d);   /* c.sdsp */
    }
}

uint32_t rvc_expand(uint16_t c)
{
    switch (c & 3) {
    case 0: return expand_q0(c);
    case 1: return expand_q1(c);
    case 2: return expand_q2(c);
    default: return 0;
    }
}
