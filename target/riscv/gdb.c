/*
 * RISC-V as a debugger sees it: GDB's target description and register
 * numbers (system/gdbstub.c), and the monitor's info registers
 * (system/monitor.c).  GDB numbers x0-x31 0-31, pc 32, f0-f31 33-64, and
 * a CSR 65 + its number (fflags 66, frm 67, fcsr 68, mstatus 833...).  The
 * 'g' packet holds x0-x31 and pc; GDB reads the others one at a time ('p').
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exec/exec.h"
#include "target/riscv/cpu.h"

enum {
    GDB_PC = 32,
    GDB_F0 = 33,
    GDB_CSR0 = 65,
};

static const char *const x_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0",
    "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6",
    "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

/* The CSRs shown to GDB and the monitor (GDB also names them). */
static const struct { const char *name; unsigned csr; } csrs[] = {
    { "sstatus", 0x100 }, { "sie", 0x104 }, { "stvec", 0x105 },
    { "sscratch", 0x140 }, { "sepc", 0x141 }, { "scause", 0x142 },
    { "stval", 0x143 }, { "sip", 0x144 }, { "satp", 0x180 },
    { "mstatus", 0x300 }, { "misa", 0x301 }, { "medeleg", 0x302 },
    { "mideleg", 0x303 }, { "mie", 0x304 }, { "mtvec", 0x305 },
    { "mscratch", 0x340 }, { "mepc", 0x341 }, { "mcause", 0x342 },
    { "mtval", 0x343 }, { "mip", 0x344 }, { "mhartid", 0xf14 },
};

static const char *const f_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1",
    "fa0", "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3",
    "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9",
    "ft10", "ft11",
};

/* Appends to buf[*len] (cap bytes in all) while there is room. */
static void append(char *buf, size_t cap, size_t *len, const char *text)
{
    size_t n = strlen(text);
    if (*len + n < cap) {
        memcpy(buf + *len, text, n + 1);
        *len += n;
    }
}

size_t target_gdb_xml(char *buf, size_t cap)
{
    char line[128];
    size_t len = 0;
    buf[0] = '\0';
    append(buf, cap, &len,
           "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
           "<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n"
           "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (unsigned i = 0; i < 32; i++) {
        snprintf(line, sizeof(line), "<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%u\"/>\n",
                 x_names[i], i == 1 ? "code_ptr" : i == 2 ? "data_ptr" : "int", i);
        append(buf, cap, &len, line);
    }
    append(buf, cap, &len,
           "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>\n"
           "</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
    for (unsigned i = 0; i < 32; i++) {
        snprintf(line, sizeof(line), "<reg name=\"%s\" bitsize=\"64\" type=\"ieee_double\" regnum=\"%u\"/>\n",
                 f_names[i], GDB_F0 + i);
        append(buf, cap, &len, line);
    }
    append(buf, cap, &len,
           "<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"66\"/>\n"
           "<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"67\"/>\n"
           "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"68\"/>\n"
           "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n");
    for (unsigned i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++) {
        snprintf(line, sizeof(line), "<reg name=\"%s\" bitsize=\"64\" type=\"int\" regnum=\"%u\"/>\n",
                 csrs[i].name, GDB_CSR0 + csrs[i].csr);
        append(buf, cap, &len, line);
    }
    append(buf, cap, &len, "</feature>\n</target>\n");
    return len;
}

unsigned target_gdb_g_count(void)
{
    return GDB_PC + 1;
}

/* Whether csr is one shown (the FP ones too). */
static bool csr_shown(unsigned csr)
{
    for (unsigned i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++)
        if (csrs[i].csr == csr)
            return true;
    return csr >= 1 && csr <= 3;
}

static void put_le(uint8_t *buf, uint64_t value, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        buf[i] = (uint8_t)(value >> (8 * i));
}

static uint64_t get_le(const uint8_t *buf, unsigned size)
{
    uint64_t value = 0;
    for (unsigned i = 0; i < size; i++)
        value |= (uint64_t)buf[i] << (8 * i);
    return value;
}

unsigned target_gdb_read_reg(CpuCommon *c, unsigned n, uint8_t *buf)
{
    RiscvCpu *cpu = rv_cpu(c);
    if (n < 32 || (n >= GDB_F0 && n < GDB_F0 + 32)) {
        put_le(buf, c->slots[n < 32 ? RV_SLOT_X(n) : RV_SLOT_F(n - GDB_F0)], 8);
        return 8;
    }
    if (n == GDB_PC) {
        put_le(buf, c->pc, 8);
        return 8;
    }
    uint64_t value;
    unsigned csr = n - GDB_CSR0, size = csr <= 3 ? 4 : 8;
    if (n < GDB_CSR0 || !csr_shown(csr) || !riscv_csr_peek(cpu, csr, &value))
        return 0;
    put_le(buf, value, size);
    return size;
}

bool target_gdb_write_reg(CpuCommon *c, unsigned n, const uint8_t *buf)
{
    RiscvCpu *cpu = rv_cpu(c);
    if (n < 32) {
        if (n)   /* x0 stays zero */
            c->slots[RV_SLOT_X(n)] = get_le(buf, 8);
    } else if (n == GDB_PC) {
        c->pc = get_le(buf, 8) & ~(uint64_t)1;
    } else if (n >= GDB_F0 && n < GDB_F0 + 32) {
        c->slots[RV_SLOT_F(n - GDB_F0)] = get_le(buf, 8);
    } else if (n >= GDB_CSR0 && csr_shown(n - GDB_CSR0)) {
        unsigned csr = n - GDB_CSR0;
        return riscv_csr_poke(cpu, csr, get_le(buf, csr <= 3 ? 4 : 8));
    } else {
        return false;
    }
    return true;
}

size_t target_dump_state(CpuCommon *c, char *buf, size_t cap)
{
    RiscvCpu *cpu = rv_cpu(c);
    static const char priv_names[4] = { 'U', 'S', '?', 'M' };
    char line[96];
    size_t len = 0;
    buf[0] = '\0';
    snprintf(line, sizeof(line), "pc       %016" PRIx64 "  priv %c\n", c->pc,
             priv_names[cpu->priv & 3]);
    append(buf, cap, &len, line);
    for (unsigned i = 0; i < 32; i++) {
        snprintf(line, sizeof(line), "%-4s %016" PRIx64 "%s", x_names[i],
                 c->slots[RV_SLOT_X(i)], i % 4 == 3 ? "\n" : "  ");
        append(buf, cap, &len, line);
    }
    unsigned n = sizeof(csrs) / sizeof(csrs[0]);
    for (unsigned i = 0; i < n; i++) {
        uint64_t value = 0;
        riscv_csr_peek(cpu, csrs[i].csr, &value);
        snprintf(line, sizeof(line), "%-8s %016" PRIx64 "%s", csrs[i].name, value,
                 i % 3 == 2 || i == n - 1 ? "\n" : "  ");
        append(buf, cap, &len, line);
    }
    return len;
}
