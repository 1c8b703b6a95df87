/*
 * Differential test of the two tiers: random IR blocks run on the
 * interpreter and, compiled by backend/wasm, as WebAssembly under Node;
 * guest registers, memory, pc and exit status must be identical.
 * Built with emcc (tests/suites/wasm-diff.sh).  The target hooks are this
 * test's own: identity paging over 64 KiB of RAM, and two helpers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/interp/interp.h"
#include "backend/wasm/wasm_jit.h"
#include "exec/softmmu.h"
#include "exec/tb_cache.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 65536u
#define N_GLOBALS 12

static uint64_t helper_mix(void *cpu, uint64_t a, uint64_t b, uint64_t c,
                           uint64_t imm)
{
    return (a * 31 + b) ^ (c >> 3) ^ imm;
}

static uint64_t helper_maybe_raise(void *cpu, uint64_t a, uint64_t b,
                                   uint64_t c, uint64_t imm)
{
    if ((a & 7) == 0)
        cpu_raise(cpu, 42, a);
    return a + 1;
}

static const IrHelperInfo helpers[] = {
    { "mix", helper_mix, 0 },
    { "maybe_raise", helper_maybe_raise, IR_HELPER_MAY_RAISE },
};
const IrHelperInfo *target_helper_info(unsigned id) { return &helpers[id % 2]; }
unsigned target_helper_count(void) { return 2; }

bool target_tlb_fill(CpuCommon *cpu, uint64_t vaddr, int access,
                     unsigned mmu_idx, uint64_t *paddr_page, unsigned *prot)
{
    if (vaddr - RAM_BASE >= RAM_SIZE) {
        cpu_raise(cpu, 13, vaddr);
        return false;
    }
    *paddr_page = vaddr & GUEST_PAGE_MASK;
    *prot = 7;
    return true;
}
uint64_t target_access_fault_cause(int access) { return 5; }
uint64_t target_misaligned_cause(int access) { return 4; }
bool target_translate(CpuCommon *cpu, TranslationBlock *tb, IrBlock *blk) { return false; }
unsigned target_disas(CpuCommon *cpu, uint64_t pc, char *buf, size_t len) { return 0; }

/* ---- random programs ------------------------------------------------------ */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t interesting(void)
{
    static const uint64_t values[] = { 0, 1, (uint64_t)-1, 0x8000000000000000ull,
        0x7fffffffffffffffull, 0x80000000ull, 0xffffffffull, 0x7fffffffull, 63, 64, 31 };
    return rnd() % 3 ? rnd() >> (rnd() % 64) : values[rnd() % 11];
}

static uint16_t any_slot(IrBlock *b)
{
    if (b->n_temps && rnd() % 3 == 0)
        return (uint16_t)(IR_FIRST_TEMP + rnd() % b->n_temps);
    return (uint16_t)(rnd() % N_GLOBALS);   /* includes slot 0 */
}

static uint16_t dst_slot(IrBlock *b)
{
    if (rnd() % 3 == 0)
        return ir_new_temp(b);
    return (uint16_t)(1 + rnd() % (N_GLOBALS - 2));   /* slot 11 is the RAM base */
}

static const IrOpcode binops[] = { IR_ADD, IR_SUB, IR_AND, IR_OR, IR_XOR,
    IR_SHL, IR_SHR, IR_SAR, IR_MUL, IR_MULH, IR_MULHU, IR_MULHSU, IR_DIV,
    IR_DIVU, IR_REM, IR_REMU, IR_ADD32, IR_SUB32, IR_SHL32, IR_SHR32,
    IR_SAR32, IR_MUL32, IR_DIV32, IR_DIVU32, IR_REM32, IR_REMU32 };
static const IrOpcode immops[] = { IR_ADDI, IR_ANDI, IR_ORI, IR_XORI, IR_SHLI,
    IR_SHRI, IR_SARI, IR_ADDI32, IR_SHLI32, IR_SHRI32, IR_SARI32 };
static const IrOpcode unops[] = { IR_MOV, IR_SEXT8, IR_SEXT16, IR_SEXT32,
    IR_ZEXT8, IR_ZEXT16, IR_ZEXT32 };

/* Mostly aligned, for the fast path; a misaligned access leaves compiled
 * code for the interpreter (as a TLB miss does). */
static int64_t mem_offset(IrMemOp memop)
{
    uint64_t offset = rnd() % 4096;
    if (rnd() % 4)
        offset &= ~(uint64_t)((1u << (memop & IR_MO_SIZE_MASK)) - 1);
    return (int64_t)offset;
}

static void random_op(IrBlock *b)
{
    uint16_t base = N_GLOBALS - 1;
    switch (rnd() % 12) {
    case 0: case 1: case 2:
        ir_binop(b, binops[rnd() % 26], dst_slot(b), any_slot(b), any_slot(b));
        break;
    case 3:
        ir_binopi(b, immops[rnd() % 11], dst_slot(b), any_slot(b),
                  (int64_t)interesting());
        break;
    case 4: ir_unop(b, unops[rnd() % 7], dst_slot(b), any_slot(b)); break;
    case 5:
        if (rnd() % 2) ir_setcond(b, (IrCond)(rnd() % 6), dst_slot(b), any_slot(b), any_slot(b));
        else ir_setcondi(b, (IrCond)(rnd() % 6), dst_slot(b), any_slot(b), (int64_t)interesting());
        break;
    case 6: ir_select(b, dst_slot(b), any_slot(b), any_slot(b), any_slot(b)); break;
    case 7: {
        IrMemOp memop = (IrMemOp)(rnd() % 8);
        ir_ld(b, memop, dst_slot(b), base, mem_offset(memop));
        break;
    }
    case 8: {
        IrMemOp memop = (IrMemOp)(rnd() % 4);
        ir_st(b, memop, any_slot(b), base, mem_offset(memop));
        break;
    }
    case 9:
        ir_farith64(b, (IrFpOp)(rnd() % IR_FP_OP_COUNT), dst_slot(b),
                    any_slot(b), any_slot(b));
        break;
    case 10: ir_ldcpu32(b, dst_slot(b), offsetof(CpuCommon, tb_flags)); break;
    default:
        if (rnd() % 4 == 0)
            ir_call(b, 1, dst_slot(b), any_slot(b), 0, 0, 0);
        else
            ir_call(b, 0, dst_slot(b), any_slot(b), any_slot(b), any_slot(b),
                    (int64_t)rnd());
        break;
    }
}

static void random_block(IrBlock *b)
{
    ir_block_init(b);
    unsigned n = 5 + rnd() % 40;
    /* Each op is a guest instruction of its own (2 bytes): ops before a
     * load or store in its instruction run again when compiled code
     * leaves there for the interpreter, which frontends allow only for
     * ops that may be redone. */
    uint16_t insn = 0;
    for (unsigned i = 0; i < n; i++) {
        b->cur_pc_off = (uint16_t)(2 * insn++);
        if (rnd() % 8 == 0) {   /* a forward branch over a few ops */
            unsigned label = ir_new_label(b);
            if (rnd() % 2) ir_brcond(b, (IrCond)(rnd() % 6), any_slot(b), any_slot(b), label);
            else ir_brcondi(b, (IrCond)(rnd() % 6), any_slot(b), (int64_t)interesting(), label);
            for (unsigned k = rnd() % 4; k > 0; k--) {
                b->cur_pc_off = (uint16_t)(2 * insn++);
                random_op(b);
            }
            ir_label(b, label);
        } else {
            random_op(b);
        }
    }
    switch (rnd() % 4) {
    case 0: ir_goto_tb(b, rnd() % 2, RAM_BASE + 0x100); break;
    case 1: ir_jump_ind(b, any_slot(b)); break;
    case 2: ir_raise_tval(b, 2, 0x1234); break;
    default: ir_exit_tb(b, RAM_BASE + 0x200); break;
    }
}

/* ---- the two runs ----------------------------------------------------------- */

typedef struct State {
    uint64_t globals[N_GLOBALS];
    uint64_t pc;
    bool exc;
    uint64_t cause, tval;
    int status;
    uint8_t ram[RAM_SIZE];
} State;

static void capture(CpuCommon *cpu, PhysMem *pm, int status, State *s)
{
    memcpy(s->globals, cpu->slots, sizeof(s->globals));
    s->pc = cpu->pc;
    s->exc = cpu->exc_pending;
    s->cause = cpu->exc_pending ? cpu->exc_cause : 0;
    s->tval = cpu->exc_pending ? cpu->exc_tval : 0;
    s->status = status;
    memcpy(s->ram, pm->ram, RAM_SIZE);
}

/* flush_tlb: start with an empty TLB, else keep the entries the
 * interpreter's run filled, so that compiled code's loads and stores take
 * their fast path (a miss leaves compiled code: main compares such exits
 * with the interpreter's run up to them). */
static void prepare(CpuCommon *cpu, PhysMem *pm, const uint64_t *init,
                    const uint8_t *ram, bool flush_tlb)
{
    memset(cpu->slots, 0, sizeof(cpu->slots));
    memcpy(cpu->slots, init, N_GLOBALS * 8);
    cpu->slots[0] = 0;
    cpu->slots[N_GLOBALS - 1] = RAM_BASE + 0x1000;
    cpu->exc_pending = false;
    cpu->interp_once = false;
    cpu->budget = 1000;
    cpu->pc = 0;
    cpu->tb_flags = 0x5a5a1234;   /* read by LDCPU32 */
    memcpy(pm->ram, ram, RAM_SIZE);
    if (flush_tlb)
        tlb_flush(cpu);
}

static void run_interp(CpuCommon *cpu, PhysMem *pm, TranslationBlock *tb, State *s)
{
    InterpExit ie = interp_exec(cpu, tb);
    int status = ie.status == EXEC_EXCEPTION ? 1 : ie.exit_slot >= 0 ? 2 + ie.exit_slot : 0;
    capture(cpu, pm, status, s);
}

/* ---- the module's branch-hint section ---------------------------------- */

static uint32_t leb(const uint8_t *m, size_t *at)
{
    uint32_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        uint8_t byte = m[(*at)++];
        v |= (uint32_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            break;
    }
    return v;
}

/*
 * Every hint of the module's "metadata.code.branch_hint" section must name
 * an if or br_if of its function's body (offsets count from the body's
 * locals), in increasing order, with a payload of one byte 0 or 1: else V8
 * drops the section, or hints the wrong branches.  Returns the hints
 * checked, or -1.
 */
static long check_branch_hints(const uint8_t *m, size_t len)
{
    enum { MAX = 1 << 14 };
    static uint32_t hint_func[MAX], hint_off[MAX];
    static size_t body_at[64];
    long n_hints = 0;
    unsigned func_imports = 0, n_bodies = 0;
    size_t at = 8;
    while (at < len) {
        uint8_t id = m[at++];
        uint32_t size = leb(m, &at);
        size_t end = at + size, p = at;
        if (id == 2) {                       /* imports: count the functions */
            for (uint32_t n = leb(m, &p); n > 0; n--) {
                p += leb(m, &p); p += leb(m, &p);   /* module, field */
                uint8_t kind = m[p++];
                if (kind == 0) { leb(m, &p); func_imports++; }
                else if (kind == 2) { uint8_t flags = m[p++]; leb(m, &p); if (flags & 1) leb(m, &p); }
                else return -1;
            }
        } else if (id == 10) {               /* code: where each body starts */
            for (uint32_t n = leb(m, &p); n > 0 && n_bodies < 64; n--) {
                uint32_t body = leb(m, &p);
                body_at[n_bodies++] = p;
                p += body;
            }
        } else if (id == 0) {
            uint32_t name_len = leb(m, &p);
            bool hints = name_len == 25 && !memcmp(m + p, "metadata.code.branch_hint", 25);
            p += name_len;
            for (uint32_t f = hints ? leb(m, &p) : 0; f > 0; f--) {
                uint32_t func = leb(m, &p), prev = 0;
                for (uint32_t h = leb(m, &p); h > 0; h--) {
                    uint32_t off = leb(m, &p), payload = leb(m, &p);
                    uint8_t value = m[p++];
                    if (payload != 1 || value > 1 || n_hints == MAX ||
                        (prev && off <= prev))
                        return -1;
                    prev = off;
                    hint_func[n_hints] = func;
                    hint_off[n_hints++] = off;
                }
            }
        }
        at = end;
    }
    for (long i = 0; i < n_hints; i++) {
        uint32_t k = hint_func[i] - func_imports;
        if (hint_func[i] < func_imports || k >= n_bodies)
            return -1;
        uint8_t opcode = m[body_at[k] + hint_off[i]];
        if (opcode != 0x04 && opcode != 0x0d)   /* if, br_if */
            return -1;
    }
    return n_hints;
}

/* The ops of the instructions before pc_off, then an exit to pc_off: what
 * the interpreter runs up to where compiled code left for it. */
static void prefix_block(const IrBlock *blk, uint16_t pc_off, IrBlock *pre)
{
    bool placed[IR_MAX_OPS] = { false };
    ir_block_init(pre);
    for (unsigned i = 0; i < blk->n_ops && blk->ops[i].pc_off < pc_off; i++) {
        pre->ops[pre->n_ops++] = blk->ops[i];
        if (blk->ops[i].opc == IR_LABEL)
            placed[blk->ops[i].imm] = true;
    }
    pre->n_temps = blk->n_temps;
    pre->n_labels = blk->n_labels;
    pre->cur_pc_off = pc_off;
    /* a branch over the cut was not taken (compiled code got there) */
    for (unsigned l = 0; l < blk->n_labels; l++)
        if (!placed[l])
            ir_label(pre, l);
    ir_exit_tb(pre, RAM_BASE + pc_off);
}

/* Compiled code left at the instruction at pc_off for the interpreter:
 * it must be a load or store. */
static bool leaves_at_memory_op(const IrBlock *blk, uint16_t pc_off)
{
    for (unsigned i = 0; i < blk->n_ops; i++)
        if (blk->ops[i].pc_off == pc_off &&
            (blk->ops[i].opc == IR_LD || blk->ops[i].opc == IR_ST))
            return true;
    return false;
}

int main(int argc, char **argv)
{
    unsigned programs = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x1234567;
    CpuCommon *cpu = calloc(1, sizeof(*cpu));
    static PhysMem pm;
    static IrBlock blk, pre;
    static State a, b;
    static uint8_t ram0[RAM_SIZE];
    pm.ram_base = RAM_BASE;
    pm.ram_size = RAM_SIZE;
    pm.ram = aligned_alloc(4096, RAM_SIZE);
    pm.code_pages = calloc(RAM_SIZE / 4096, 1);
    cpu->tbs = tb_cache_new(8u << 20);
    cpu->tbs->pm = &pm;
    unsigned failures = 0, compiled = 0, bad_hints = 0, left_early = 0;
    unsigned long hints_checked = 0;
    for (unsigned p = 0; p < programs; p++) {
        uint64_t init[N_GLOBALS];
        for (unsigned i = 0; i < N_GLOBALS; i++) init[i] = interesting();
        for (unsigned i = 0; i < RAM_SIZE; i++) ram0[i] = (uint8_t)rnd();
        random_block(&blk);
        TranslationBlock tb = { .pc = RAM_BASE, .size = 128, .icount = 1 };
        cpu->tbs->arena_used = 0;
        if (!interp_lower(cpu->tbs, &tb, &blk)) { printf("not ok wasm-diff/lower\n"); return 1; }
        prepare(cpu, &pm, init, ram0, true);
        run_interp(cpu, &pm, &tb, &a);

        WasmBuf module;
        wbuf_init(&module);
        bool encoded = wasm_encode_tb(cpu, &tb, &blk, &module);
        long hints = encoded ? check_branch_hints(module.data, module.len) : 0;
        if (hints < 0)
            bad_hints++;
        else
            hints_checked += (unsigned long)hints;
        int32_t fn = encoded ? wasm_jit_install(module.data, module.len) : 0;
        wbuf_free(&module);
        if (!fn) { failures++; printf("# program %u: not compiled\n", p); continue; }
        compiled++;
        /* one program in four from an empty TLB: every page misses */
        prepare(cpu, &pm, init, ram0, p % 4 == 0);
        int wstatus = ((WasmTbFn)(uintptr_t)fn)();
        capture(cpu, &pm, wstatus, &b);
        wasm_jit_release(fn);
        if (cpu->interp_once) {
            /* left for the interpreter: compare with the interpreter's
             * state there */
            uint16_t pc_off = (uint16_t)(cpu->pc - RAM_BASE);
            left_early++;
            if (wstatus != 0 || cpu->pc < RAM_BASE || !leaves_at_memory_op(&blk, pc_off)) {
                failures++;
                printf("# program %u: left at pc %" PRIx64 ", status %d, not at a load or store\n",
                       p, cpu->pc, wstatus);
                continue;
            }
            prefix_block(&blk, pc_off, &pre);
            TranslationBlock ptb = { .pc = RAM_BASE, .size = 128, .icount = 1 };
            if (!interp_lower(cpu->tbs, &ptb, &pre)) { printf("not ok wasm-diff/lower\n"); return 1; }
            prepare(cpu, &pm, init, ram0, true);
            run_interp(cpu, &pm, &ptb, &a);
        }
        if (memcmp(&a, &b, sizeof(a))) {
            failures++;
            printf("# program %u differs: status %d/%d pc %" PRIx64 "/%" PRIx64 "\n",
                   p, a.status, b.status, a.pc, b.pc);
            for (unsigned i = 0; i < N_GLOBALS; i++)
                if (a.globals[i] != b.globals[i])
                    printf("#   r%u interp %" PRIx64 " wasm %" PRIx64 "\n", i, a.globals[i], b.globals[i]);
            if (memcmp(a.ram, b.ram, RAM_SIZE)) printf("#   RAM differs\n");
            ir_print_block(stdout, &blk, RAM_BASE);
            if (failures > 3) break;
        }
    }
    if (bad_hints || !hints_checked)
        printf("not ok wasm-diff/branch-hints %u modules with a bad hint section, "
               "%lu hints checked\n", bad_hints, hints_checked);
    else
        printf("ok wasm-diff/branch-hints %lu hints, each at an if or br_if\n",
               hints_checked);
    if (failures)
        printf("not ok wasm-diff/random-ir %u of %u programs differ\n", failures, programs);
    else
        printf("ok wasm-diff/random-ir %u programs identical on both tiers (%u compiled, "
               "%u left compiled code at a load or store for the interpreter)\n",
               programs, compiled, left_early);
    return 0;
}
