/*
 * Interpreter tier unit test: hand-built IR blocks, lowered and run on a
 * CpuCommon with no machine behind it (the target hooks below are this
 * test's own: identity paging over a small RAM array, two test helpers).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/interp/interp.h"
#include "exec/softmmu.h"
#include "exec/tb_cache.h"

static int failures;

#define EXPECT_EQ(name, got, want) do {                                      \
        uint64_t g_ = (got), w_ = (want);                                    \
        if (g_ != w_) {                                                      \
            printf("not ok %s: got 0x%" PRIx64 " want 0x%" PRIx64 "\n",      \
                   name, g_, w_);                                            \
            failures++;                                                      \
        } else {                                                             \
            printf("ok %s\n", name);                                         \
        }                                                                    \
    } while (0)

/* ---- test doubles for the target hooks --------------------------------- */

static uint64_t helper_add3(void *cpu, uint64_t a, uint64_t b, uint64_t c,
                            uint64_t imm)
{
    return a + b + c + imm;
}

static uint64_t helper_fault(void *cpu, uint64_t a, uint64_t b, uint64_t c,
                             uint64_t imm)
{
    cpu_raise(cpu, 99, a);
    return 0;
}

static const IrHelperInfo test_helpers[] = {
    { "add3", helper_add3, 0 },
    { "fault", helper_fault, IR_HELPER_MAY_RAISE },
};

const IrHelperInfo *target_helper_info(unsigned id) { return &test_helpers[id]; }
unsigned target_helper_count(void) { return 2; }

bool target_tlb_fill(CpuCommon *cpu, uint64_t vaddr, int access,
                     unsigned mmu_idx, uint64_t *paddr_page, unsigned *prot)
{
    if (vaddr >= 0x80000000ull + 65536 || vaddr < 0x80000000ull) {
        cpu_raise(cpu, 13, vaddr);
        return false;
    }
    *paddr_page = vaddr & GUEST_PAGE_MASK;
    *prot = 7;
    return true;
}
uint64_t target_access_fault_cause(int access) { return 5; }
uint64_t target_misaligned_cause(int access) { return 4; }
bool target_translate(CpuCommon *cpu, TranslationBlock *tb, IrBlock *blk)
{
    return false;
}
unsigned target_disas(CpuCommon *cpu, uint64_t pc, char *buf, size_t len)
{
    return 0;
}

/* ---- harness ------------------------------------------------------------- */

typedef struct Harness {
    CpuCommon *cpu;
    PhysMem pm;
    IrBlock blk;
    TranslationBlock tb;
} Harness;

static InterpExit run_block(Harness *h)
{
    memset(&h->tb, 0, sizeof(h->tb));
    h->tb.pc = 0x80001000;
    h->tb.size = 4;
    h->tb.icount = 1;
    h->cpu->exc_pending = false;
    h->cpu->budget = 1000;
    if (!interp_lower(h->cpu->tbs, &h->tb, &h->blk)) {
        printf("not ok lower: arena full\n");
        exit(1);
    }
    return interp_exec(h->cpu, &h->tb);
}

static void test_arith(Harness *h)
{
    uint64_t *R = h->cpu->slots;
    IrBlock *b = &h->blk;
    ir_block_init(b);
    R[1] = 0x8000000000000000ull;
    R[2] = (uint64_t)-1;
    R[3] = 0;
    R[4] = 7;
    ir_binop(b, IR_DIV, 10, 1, 2);      /* MIN / -1 = MIN */
    ir_binop(b, IR_REM, 11, 1, 2);      /* MIN % -1 = 0 */
    ir_binop(b, IR_DIVU, 12, 4, 3);     /* x / 0 = all ones */
    ir_binop(b, IR_REM, 13, 4, 3);      /* x % 0 = x */
    ir_binop(b, IR_MULH, 14, 2, 2);     /* -1 * -1 high = 0 */
    ir_binop(b, IR_MULHU, 15, 2, 2);    /* high of (2^64-1)^2 */
    ir_binop(b, IR_MULHSU, 16, 2, 2);   /* -1 * (2^64-1) high = -1 */
    ir_binopi(b, IR_ADDI32, 17, 2, 0x7fffffff + 1ll); /* wraps, sign-extends */
    ir_binopi(b, IR_SHLI, 18, 4, 63);
    ir_binop(b, IR_SAR32, 19, 1, 4);    /* low 32 bits of MIN are 0 */
    ir_setcond(b, IR_LTU, 20, 3, 2);
    ir_setcondi(b, IR_LT, 21, 2, 0);
    ir_binop(b, IR_DIV32, 22, 4, 3);    /* 7 / 0 (32-bit) = -1 */
    ir_unop(b, IR_SEXT8, 23, 15);
    ir_exit_tb(b, 0x1234);
    InterpExit e = run_block(h);
    EXPECT_EQ("exit-status", e.status, EXEC_CONTINUE);
    EXPECT_EQ("exit-pc", h->cpu->pc, 0x1234);
    EXPECT_EQ("div-overflow", R[10], 0x8000000000000000ull);
    EXPECT_EQ("rem-overflow", R[11], 0);
    EXPECT_EQ("divu-zero", R[12], ~0ull);
    EXPECT_EQ("rem-zero", R[13], 7);
    EXPECT_EQ("mulh", R[14], 0);
    EXPECT_EQ("mulhu", R[15], 0xfffffffffffffffeull);
    EXPECT_EQ("mulhsu", R[16], ~0ull);
    EXPECT_EQ("addi32-wrap", R[17], 0x000000007fffffffull);
    EXPECT_EQ("shli-63", R[18], 0x8000000000000000ull);
    EXPECT_EQ("sar32", R[19], 0);
    EXPECT_EQ("setcond-ltu", R[20], 1);
    EXPECT_EQ("setcondi-lt", R[21], 1);
    EXPECT_EQ("div32-zero", R[22], ~0ull);
    EXPECT_EQ("sext8", R[23], (uint64_t)-2);
}

static void test_memory_and_branches(Harness *h)
{
    uint64_t *R = h->cpu->slots;
    IrBlock *b = &h->blk;
    ir_block_init(b);
    R[5] = 0x80000100;
    R[6] = 0xdeadbeefcafef00dull;
    unsigned skip = ir_new_label(b);
    ir_st(b, IR_MO_64, 6, 5, 8);
    ir_ld(b, IR_MO_32 | IR_MO_SIGNED, 7, 5, 8);   /* 0xcafef00d sign-ext */
    ir_ld(b, IR_MO_16, 8, 5, 9);                   /* misaligned: slow path */
    ir_brcondi(b, IR_NE, 7, 0, skip);
    ir_movi(b, 9, 111);                            /* skipped */
    ir_label(b, skip);
    ir_call(b, 0, 10, 5, 6, 7, 1);
    ir_goto_tb(b, 1, 0x80002000);
    R[9] = 0;
    InterpExit e = run_block(h);
    EXPECT_EQ("goto-tb-status", e.status, EXEC_CONTINUE);
    EXPECT_EQ("goto-tb-slot", (uint64_t)e.exit_slot, 1);
    EXPECT_EQ("ld-s32", R[7], 0xffffffffcafef00dull);
    EXPECT_EQ("ld-u16-misaligned", R[8], 0xfef0);
    EXPECT_EQ("brcondi-taken", R[9], 0);
    EXPECT_EQ("call", R[10], R[5] + R[6] + R[7] + 1);
}

static void test_faults(Harness *h)
{
    uint64_t *R = h->cpu->slots;
    IrBlock *b = &h->blk;
    ir_block_init(b);
    R[5] = 0x10;   /* unmapped in the test double */
    ir_movi(b, 9, 1);
    b->cur_pc_off = 6;
    ir_ld(b, IR_MO_64, 7, 5, 0);
    ir_movi(b, 9, 2);
    ir_exit_tb(b, 0);
    InterpExit e = run_block(h);
    EXPECT_EQ("load-fault-status", e.status, EXEC_EXCEPTION);
    EXPECT_EQ("load-fault-pc", h->cpu->pc, 0x80001006);
    EXPECT_EQ("load-fault-cause", h->cpu->exc_cause, 13);
    EXPECT_EQ("load-fault-stops", R[9], 1);

    ir_block_init(b);
    b->cur_pc_off = 2;
    ir_call(b, 1, 10, 5, 0, 0, 0);
    ir_exit_tb(b, 0);
    e = run_block(h);
    EXPECT_EQ("helper-raise-status", e.status, EXEC_EXCEPTION);
    EXPECT_EQ("helper-raise-tval", h->cpu->exc_tval, 0x10);
    EXPECT_EQ("helper-raise-pc", h->cpu->pc, 0x80001002);

    ir_block_init(b);
    b->cur_pc_off = 4;
    ir_raise_tval(b, 2, 0xabc);
    e = run_block(h);
    EXPECT_EQ("raise-cause", h->cpu->exc_cause, 2);
    EXPECT_EQ("raise-tval", h->cpu->exc_tval, 0xabc);
    EXPECT_EQ("raise-pc", h->cpu->pc, 0x80001004);
}

int main(void)
{
    static Harness h;
    h.cpu = calloc(1, sizeof(CpuCommon));
    h.pm.ram_base = 0x80000000;
    h.pm.ram_size = 65536;
    h.pm.ram = aligned_alloc(4096, 65536);
    h.pm.code_pages = calloc(16, 1);
    memset(h.pm.ram, 0, 65536);
    h.cpu->tbs = tb_cache_new(1 << 20);
    h.cpu->tbs->pm = &h.pm;
    tlb_flush(h.cpu);
    test_arith(&h);
    test_memory_and_branches(&h);
    test_faults(&h);
    return failures ? 1 : 0;
}
