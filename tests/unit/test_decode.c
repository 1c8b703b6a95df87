/*
 * The RISC-V decoder and disassembler (target/riscv/decode.c, disas.c)
 * against GNU objdump.  tests/suites/decode.sh drives it:
 *
 *   test_decode gen32 COUNT SEED > f.bin   random 32-bit encodings: each
 *       table row with random free bits, plus random words of every major
 *       opcode (mostly illegal ones: the decoder must refuse them too)
 *   test_decode gen16 > f.bin              every 16-bit encoding
 *   test_decode corpus < listing           objdump -M no-aliases of an
 *       assembled file: one "ok decode/<mnemonic>" line per mnemonic
 *   test_decode random LABEL < listing     objdump of a gen file: one line
 *
 * Where the two legitimately disagree, see tolerated() below.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/softmmu.h"
#include "target/riscv/decode.h"

/* disas.c's target_disas fetches through the soft MMU; not exercised. */
bool mmu_fetch16(CpuCommon *cpu, uint64_t vaddr, uint16_t *insn)
{
    return false;
}

/* ---- generators ------------------------------------------------------ */

static uint64_t next_random(uint64_t *state)
{
    /* xorshift64*: reproducible from the seed, no libc rand state */
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545f4914f6cdd1dull;
}

static void put32(uint32_t w)
{
    unsigned char b[4] = { (unsigned char)w, (unsigned char)(w >> 8),
                           (unsigned char)(w >> 16), (unsigned char)(w >> 24) };
    fwrite(b, 1, 4, stdout);
}

static const uint8_t major_opcodes[] = {
    OPC_LOAD, OPC_LOAD_FP, OPC_MISC_MEM, OPC_OP_IMM, OPC_AUIPC,
    OPC_OP_IMM_32, OPC_STORE, OPC_STORE_FP, OPC_AMO, OPC_OP, OPC_LUI,
    OPC_OP_32, OPC_MADD, OPC_MSUB, OPC_NMSUB, OPC_NMADD, OPC_OP_FP,
    OPC_BRANCH, OPC_JALR, OPC_JAL, OPC_SYSTEM,
};

static void gen32(unsigned count, uint64_t seed)
{
    uint64_t state = seed | 1;
    for (unsigned i = 0; i < count; i++) {
        uint32_t w = (uint32_t)next_random(&state);
        w = (w & ~0x7fu) | major_opcodes[w % sizeof(major_opcodes)];
        /* Half the words: keep only the legal ones, i.e. table rows with
         * random operand bits, so every row gets exercised. */
        if (i & 1) {
            while (!rv_lookup(w)) {
                w = (uint32_t)next_random(&state);
                w = (w & ~0x7fu) | major_opcodes[w % sizeof(major_opcodes)];
            }
        }
        put32(w);
    }
}

static void gen16(void)
{
    for (uint32_t c = 0; c < 0x10000; c++) {
        if ((c & 3) == 3)
            continue;
        unsigned char b[2] = { (unsigned char)c, (unsigned char)(c >> 8) };
        fwrite(b, 1, 2, stdout);
    }
}

/* ---- listings -------------------------------------------------------- */

typedef struct Line {
    uint64_t pc;
    uint32_t bits;
    char want[128];    /* objdump's text, whitespace collapsed */
} Line;

static void collapse_spaces(const char *in, char *out, size_t len)
{
    size_t n = 0;
    bool space = false;
    for (; *in && n + 1 < len; in++) {
        if (isspace((unsigned char)*in)) {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < len)
            out[n++] = ' ';
        space = false;
        out[n++] = *in;
    }
    out[n] = '\0';
}

/* "  addr:\tHEX \tmnemonic\toperands" -> Line; false for other lines. */
static bool parse_line(const char *text, Line *line)
{
    char *end;
    uint64_t pc = strtoull(text, &end, 16);
    if (end == text || *end != ':')
        return false;
    const char *p = end + 1;
    while (*p == ' ' || *p == '\t')
        p++;
    uint32_t bits = (uint32_t)strtoul(p, &end, 16);
    if (end == p || (end - p != 4 && end - p != 8))
        return false;
    line->pc = pc;
    line->bits = bits;
    char *comment = strchr(end, '#');   /* objdump's "# 0x..." remarks */
    if (comment)
        *comment = '\0';
    collapse_spaces(end, line->want, sizeof(line->want));
    return true;
}

static void mnemonic_of(const char *text, char *out, size_t len)
{
    size_t n = strcspn(text, " ");
    if (n >= len)
        n = len - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

/* objdump's text for an encoding it does not decode (or, for unimp, the
 * encoding the spec reserves as the canonical illegal instruction). */
static bool objdump_illegal(const char *want)
{
    return !strcmp(want, "c.unimp") || !strcmp(want, "unimp") ||
           !strncmp(want, ".2byte", 6) || !strncmp(want, ".4byte", 6) ||
           !strncmp(want, ".short", 6) || !strncmp(want, ".word", 5);
}

/* text without its second operand (the CSR of a csr* instruction). */
static void drop_second_operand(const char *text, char *out, size_t len)
{
    const char *first_comma = strchr(text, ',');
    const char *second_comma = first_comma ? strchr(first_comma + 1, ',') : NULL;
    if (!second_comma)
        snprintf(out, len, "%s", text);
    else
        snprintf(out, len, "%.*s%s", (int)(first_comma - text), text,
                 second_comma);
}

/*
 * Disagreements that are not decoder bugs:
 * - objdump refuses encodings whose reserved fields the spec says to
 *   ignore (fence/fence.i with nonzero rd/rs1/fm bits) and the exact
 *   conversions fcvt.d.s/.d.w/.d.wu with a rounding mode other than rne;
 *   the spec gives them a valid rm field, so the emulator accepts them.
 * - objdump decodes c.addi16sp with a zero immediate, which the spec
 *   reserves (the emulator raises illegal instruction for it).
 * - objdump names more CSRs (hypervisor, debug, vendor...) than the
 *   disassembler, which prints those as numbers.
 */
static bool tolerated(const char *got, const char *want)
{
    static const char *const accepted[] = {
        "fence ", "fence.i", "fcvt.d.s ", "fcvt.d.w ", "fcvt.d.wu ",
    };
    if (objdump_illegal(want)) {
        for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
            if (!strncmp(got, accepted[i], strlen(accepted[i])))
                return true;
        return false;
    }
    if (!strncmp(got, "illegal", 7))
        return !strcmp(want, "c.addi16sp sp,0");
    const char *csr = strchr(got, ',');
    if (!strncmp(got, "csrr", 4) && csr && !strncmp(csr + 1, "0x", 2)) {
        char a[128], b[128];
        drop_second_operand(got, a, sizeof(a));
        drop_second_operand(want, b, sizeof(b));
        return !strcmp(a, b);
    }
    return false;
}

/* Compare one line; true if the disassembly matches objdump's. */
static bool check_line(const Line *line, char *got, size_t len)
{
    char raw[128];
    rv_disas_insn(line->bits, line->pc, raw, sizeof(raw));
    collapse_spaces(raw, got, len);
    if (!strncmp(got, "illegal", 7) && objdump_illegal(line->want))
        return true;
    return !strcmp(got, line->want);
}

/* The corpus: all lines must match; one result per mnemonic. */
static int run_corpus(void)
{
    enum { MAX_NAMES = 512 };
    static char names[MAX_NAMES][32];
    static bool failed[MAX_NAMES];
    static char reason[MAX_NAMES][300];
    unsigned n_names = 0, n_lines = 0;
    char text[512];
    Line line;
    while (fgets(text, sizeof(text), stdin)) {
        if (!parse_line(text, &line))
            continue;
        n_lines++;
        char name[32], got[128];
        mnemonic_of(line.want, name, sizeof(name));
        unsigned k = 0;
        while (k < n_names && strcmp(names[k], name))
            k++;
        if (k == n_names) {
            if (n_names == MAX_NAMES)
                continue;
            snprintf(names[n_names++], sizeof(names[0]), "%s", name);
        }
        if (!check_line(&line, got, sizeof(got)) && !failed[k]) {
            failed[k] = true;
            snprintf(reason[k], sizeof(reason[k]), "%08x: got '%s' want '%s'",
                     line.bits, got, line.want);
        }
    }
    for (unsigned k = 0; k < n_names; k++) {
        if (failed[k])
            printf("not ok decode/%s %s\n", names[k], reason[k]);
        else
            printf("ok decode/%s\n", names[k]);
    }
    if (n_lines < 200)
        printf("not ok decode/corpus only %u instructions in the listing\n",
               n_lines);
    return 0;
}

/* Random encodings: one result; tolerated disagreements are counted. */
static int run_random(const char *label)
{
    char text[512], got[128], first[400] = "";
    unsigned lines = 0, legal = 0, bad = 0, tolerated_count = 0;
    bool verbose = getenv("TEST_DECODE_VERBOSE") != NULL;
    Line line;
    while (fgets(text, sizeof(text), stdin)) {
        if (!parse_line(text, &line))
            continue;
        lines++;
        if (check_line(&line, got, sizeof(got))) {
            legal += !objdump_illegal(line.want);
            continue;
        }
        bool ok = tolerated(got, line.want);
        if (verbose)
            fprintf(stderr, "%s %08x: got '%s' want '%s'\n",
                    ok ? "tolerated" : "mismatch", line.bits, got, line.want);
        if (ok) {
            tolerated_count++;
            continue;
        }
        if (bad++ == 0)
            snprintf(first, sizeof(first), "%08x: got '%s' want '%s'",
                     line.bits, got, line.want);
    }
    printf("# %s: %u encodings, %u legal, %u tolerated differences\n", label,
           lines, legal, tolerated_count);
    if (lines == 0)
        printf("not ok decode/%s empty listing\n", label);
    else if (bad)
        printf("not ok decode/%s %u mismatches, first %s\n", label, bad, first);
    else
        printf("ok decode/%s\n", label);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "gen32")) {
        gen32((unsigned)strtoul(argv[2], NULL, 0),
              strtoull(argv[3], NULL, 0));
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "gen16")) {
        gen16();
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "corpus"))
        return run_corpus();
    if (argc == 3 && !strcmp(argv[1], "random"))
        return run_random(argv[2]);
    fprintf(stderr, "usage: test_decode gen32 N SEED | gen16 | corpus | "
                    "random LABEL\n");
    return 2;
}
