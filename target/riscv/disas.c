/*
 * -d in_asm: RV64GC disassembly with the standard mnemonics (no aliases:
 * "addi a0,zero,1", not "li a0,1"; compressed forms keep their c. name), in
 * GNU objdump's operand syntax so tests can compare the two directly.
 * The decoding itself is the shared table of decode.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exec/exec.h"
#include "exec/softmmu.h"
#include "target/riscv/decode.h"

static const char *const xreg_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const freg_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
    "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

static const char *const rm_names[8] = {
    "rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn",
};

typedef struct CsrName {
    uint16_t number;
    const char *name;
} CsrName;

/* CSRs with a fixed name; numbered families are handled in csr_name(). */
static const CsrName csr_names[] = {
    { 0x001, "fflags" }, { 0x002, "frm" }, { 0x003, "fcsr" },
    { 0xc00, "cycle" }, { 0xc01, "time" }, { 0xc02, "instret" },
    { 0x100, "sstatus" }, { 0x104, "sie" }, { 0x105, "stvec" },
    { 0x106, "scounteren" }, { 0x10a, "senvcfg" }, { 0x140, "sscratch" },
    { 0x141, "sepc" }, { 0x142, "scause" }, { 0x143, "stval" },
    { 0x144, "sip" }, { 0x180, "satp" },
    { 0xf11, "mvendorid" }, { 0xf12, "marchid" }, { 0xf13, "mimpid" },
    { 0xf14, "mhartid" }, { 0xf15, "mconfigptr" },
    { 0x300, "mstatus" }, { 0x301, "misa" }, { 0x302, "medeleg" },
    { 0x303, "mideleg" }, { 0x304, "mie" }, { 0x305, "mtvec" },
    { 0x306, "mcounteren" }, { 0x30a, "menvcfg" }, { 0x320, "mcountinhibit" },
    { 0x340, "mscratch" }, { 0x341, "mepc" }, { 0x342, "mcause" },
    { 0x343, "mtval" }, { 0x344, "mip" }, { 0x34a, "mtinst" },
    { 0x34b, "mtval2" }, { 0xb00, "mcycle" }, { 0xb02, "minstret" },
    { 0x7a0, "tselect" }, { 0x7a1, "tdata1" }, { 0x7a2, "tdata2" },
    { 0x7a3, "tdata3" }, { 0x7b0, "dcsr" }, { 0x7b1, "dpc" },
    { 0x7b2, "dscratch0" }, { 0x7b3, "dscratch1" },
};

/* Name of a CSR into buf (hex number when it has none). */
static void csr_name(unsigned csr, char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof(csr_names) / sizeof(csr_names[0]); i++) {
        if (csr_names[i].number == csr) {
            snprintf(buf, len, "%s", csr_names[i].name);
            return;
        }
    }
    if (csr >= 0x3a0 && csr <= 0x3af && !(csr & 1))   /* RV64: even only */
        snprintf(buf, len, "pmpcfg%u", csr - 0x3a0);
    else if (csr >= 0x3b0 && csr <= 0x3ef)
        snprintf(buf, len, "pmpaddr%u", csr - 0x3b0);
    else if (csr >= 0xc03 && csr <= 0xc1f)
        snprintf(buf, len, "hpmcounter%u", csr - 0xc00);
    else if (csr >= 0xb03 && csr <= 0xb1f)
        snprintf(buf, len, "mhpmcounter%u", csr - 0xb00);
    else if (csr >= 0x323 && csr <= 0x33f)
        snprintf(buf, len, "mhpmevent%u", csr - 0x320);
    else
        snprintf(buf, len, "0x%x", csr);
}

/* Fence sets: i o r w, bits 3..0; an empty set prints "unknown". */
static void fence_set(unsigned set, char *buf)
{
    char *p = buf;
    static const char letters[4] = { 'i', 'o', 'r', 'w' };
    for (unsigned i = 0; i < 4; i++)
        if (set & (8u >> i))
            *p++ = letters[i];
    if (p == buf)
        strcpy(buf, "unknown");
    else
        *p = '\0';
}

/* Text of one operand letter (see decode.h) of instruction insn at pc;
 * false when the operand is omitted (a dynamic rounding mode). */
static bool operand(char kind, uint32_t insn, uint64_t pc, char *buf,
                    size_t len)
{
    switch (kind) {
    case 'd': snprintf(buf, len, "%s", xreg_names[insn_rd(insn)]); break;
    case 's': snprintf(buf, len, "%s", xreg_names[insn_rs1(insn)]); break;
    case 't': snprintf(buf, len, "%s", xreg_names[insn_rs2(insn)]); break;
    case 'D': snprintf(buf, len, "%s", freg_names[insn_rd(insn)]); break;
    case 'S': snprintf(buf, len, "%s", freg_names[insn_rs1(insn)]); break;
    case 'T': snprintf(buf, len, "%s", freg_names[insn_rs2(insn)]); break;
    case 'R': snprintf(buf, len, "%s", freg_names[insn_rs3(insn)]); break;
    case '2': snprintf(buf, len, "sp"); break;
    case 'j': snprintf(buf, len, "%" PRId64, imm_i(insn)); break;
    case 'o':
        snprintf(buf, len, "%" PRId64 "(%s)", imm_i(insn),
                 xreg_names[insn_rs1(insn)]);
        break;
    case 'q':
        snprintf(buf, len, "%" PRId64 "(%s)", imm_s(insn),
                 xreg_names[insn_rs1(insn)]);
        break;
    case '0': snprintf(buf, len, "(%s)", xreg_names[insn_rs1(insn)]); break;
    case '>': snprintf(buf, len, "0x%x", (insn >> 20) & 63); break;
    case '<': snprintf(buf, len, "0x%x", (insn >> 20) & 31); break;
    case 'u': snprintf(buf, len, "0x%x", insn >> 12); break;
    case 'a': snprintf(buf, len, "0x%" PRIx64, pc + (uint64_t)imm_j(insn)); break;
    case 'p': snprintf(buf, len, "0x%" PRIx64, pc + (uint64_t)imm_b(insn)); break;
    case 'E': csr_name(insn >> 20, buf, len); break;
    case 'Z': snprintf(buf, len, "%u", insn_rs1(insn)); break;
    case 'P': fence_set((insn >> 24) & 15, buf); break;
    case 'Q': fence_set((insn >> 20) & 15, buf); break;
    case 'm':
        if (insn_funct3(insn) == 7)
            return false;
        snprintf(buf, len, "%s", rm_names[insn_funct3(insn)]);
        break;
    default: snprintf(buf, len, "?"); break;
    }
    return true;
}

static const char *aqrl_suffix(uint32_t insn)
{
    static const char *const suffix[4] = { "", ".rl", ".aq", ".aqrl" };
    return suffix[(insn >> 25) & 3];
}

/* "name operands" of a table row applied to the (expanded) insn. */
static void format_insn(const RvInsnInfo *info, uint32_t insn, uint64_t pc,
                        char *buf, size_t len)
{
    char operands[96] = "";
    size_t used = 0;
    for (const char *a = info->args; *a; a++) {
        char text[40];
        if (*a == ',' || !operand(*a, insn, pc, text, sizeof(text)))
            continue;
        used += (size_t)snprintf(operands + used, sizeof(operands) - used,
                                 "%s%s", used ? "," : "", text);
        if (used >= sizeof(operands))
            break;
    }
    const char *suffix = info->flags & RV_INSN_AQRL ? aqrl_suffix(insn) : "";
    char name[24];
    snprintf(name, sizeof(name), "%s%s", info->name, suffix);
    if (operands[0])
        snprintf(buf, len, "%-10s %s", name, operands);
    else
        snprintf(buf, len, "%s", name);
}

unsigned rv_disas_insn(uint32_t bits, uint64_t pc, char *buf, size_t len)
{
    if ((bits & 3) != 3) {
        uint16_t c = (uint16_t)bits;
        const RvInsnInfo *info = rvc_lookup(c);
        if (info)
            format_insn(info, rvc_expand(c), pc, buf, len);
        else
            snprintf(buf, len, "illegal 0x%04x", c);
        return 2;
    }
    const RvInsnInfo *info = rv_lookup(bits);
    if (info)
        format_insn(info, bits, pc, buf, len);
    else
        snprintf(buf, len, "illegal 0x%08x", bits);
    return 4;
}

/* Fetch 16 bits for the disassembler: a fault is not the guest's, so the
 * exception state is put back as it was. */
static bool peek16(CpuCommon *cpu, uint64_t pc, uint16_t *half)
{
    bool pending = cpu->exc_pending;
    uint64_t cause = cpu->exc_cause, tval = cpu->exc_tval;
    bool ok = mmu_fetch16(cpu, pc, half);
    cpu->exc_pending = pending;
    cpu->exc_cause = cause;
    cpu->exc_tval = tval;
    return ok;
}

unsigned target_disas(CpuCommon *cpu, uint64_t pc, char *buf, size_t len)
{
    uint16_t lo, hi;
    char text[80];
    if (!peek16(cpu, pc, &lo)) {
        snprintf(buf, len, "??");
        return 2;
    }
    if ((lo & 3) != 3) {
        rv_disas_insn(lo, pc, text, sizeof(text));
        snprintf(buf, len, "%04x      %s", lo, text);
        return 2;
    }
    if (!peek16(cpu, pc + 2, &hi)) {
        snprintf(buf, len, "%04x????  ??", lo);
        return 4;
    }
    uint32_t insn = lo | (uint32_t)hi << 16;
    rv_disas_insn(insn, pc, text, sizeof(text));
    snprintf(buf, len, "%08x  %s", insn, text);
    return 4;
}
