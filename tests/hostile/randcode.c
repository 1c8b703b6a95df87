/*
 * A hostile guest of another kind: random instructions.  M-mode fills a
 * sandbox with random code (whole random words, and words built from real
 * opcodes with random fields, compressed parcels among them), random
 * registers, a random privilege (S or U), random mstatus bits (FS, SUM, MXR,
 * TVM, TW, TSR) and in S-mode often a random satp whose page tables are the
 * sandbox's random bytes, and enters it with mret.  Every trap comes back to
 * M-mode (nothing is delegated): faults are stepped over, the CLINT timer
 * bounds code that loops.  PMP gives S and U the sandbox only, so the
 * random code cannot reach M-mode's state or the devices.
 *
 * The emulator must survive all of it, and the guest checks what the
 * privilege rules promise: M-mode's CSRs (mtvec, medeleg, mideleg, PMP)
 * are as M-mode set them, and a canary outside the sandbox is intact.
 * Exit code 0 (HTIF) when every block ran and every check held.
 */
#include <stdbool.h>
#include <stdint.h>

#ifndef RANDCODE_BLOCKS   /* blocks of random code to run */
#define RANDCODE_BLOCKS 2000
#endif
#ifndef RANDCODE_SEED
#define RANDCODE_SEED 0x9e3779b97f4a7c15ull
#endif

enum {
    SANDBOX_SIZE = 64 * 1024,   /* NAPOT: aligned to its size */
    CODE_SIZE = 2048,           /* rewritten for every block */
    MAX_TRAPS = 48,             /* per block, then the next block */
    TICK = 2000,                /* mtime units (10 MHz: 0.2 ms) */
    MAX_TICKS = 5,
    CLINT_MTIMECMP = 0x2004000,
    CLINT_MTIME = 0x200bff8,
};

/* The sandbox is the upper half of the arena; the lower half's last page,
 * a canary, is within reach of the random code's base+offset addressing
 * and outside what PMP grants it. */
static uint8_t arena[2 * SANDBOX_SIZE] __attribute__((aligned(2 * SANDBOX_SIZE)));
#define sandbox (arena + SANDBOX_SIZE)
#define CANARY_WORDS 512
#define canary ((volatile uint64_t *)(uintptr_t)(sandbox - 8 * CANARY_WORDS))
static uint64_t state = RANDCODE_SEED;
static uint64_t block_regs[32];
static unsigned traps, ticks;

void trap_entry(void);
void run_block(const uint64_t *regs);

static uint64_t rnd(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

#define CSRR(name) ({ uint64_t v_; __asm__ volatile("csrr %0, " #name : "=r"(v_)); v_; })
#define CSRW(name, v) __asm__ volatile("csrw " #name ", %0" :: "r"((uint64_t)(v)))

static uint64_t mtime(void) { return *(volatile uint64_t *)CLINT_MTIME; }
static void arm_timer(void) { *(volatile uint64_t *)CLINT_MTIMECMP = mtime() + TICK; }

/* An instruction from a real major opcode with random fields. */
static uint32_t plausible_insn(void)
{
    static const uint8_t opcodes[] = {
        0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37,
        0x3b, 0x43, 0x47, 0x4b, 0x4f, 0x53, 0x63, 0x67, 0x6f, 0x73,
    };
    uint32_t r = (uint32_t)rnd();
    uint32_t op = opcodes[rnd() % sizeof(opcodes)];
    if (op == 0x73 && rnd() % 2) {   /* SYSTEM: CSR numbers worth hitting */
        static const uint16_t csrs[] = {
            0x001, 0x002, 0x003, 0x100, 0x104, 0x105, 0x106, 0x140, 0x141,
            0x142, 0x143, 0x144, 0x180, 0x300, 0x301, 0x302, 0x303, 0x304,
            0x305, 0x340, 0x341, 0x342, 0x343, 0x344, 0x3a0, 0x3b0, 0xb00,
            0xb02, 0xc00, 0xc01, 0xc02, 0xf14, 0x7a0, 0x5a8,
        };
        r = (r & 0x000fffff) | (uint32_t)csrs[rnd() % (sizeof(csrs) / 2)] << 20;
    }
    return (r & ~0x7fu) | op;
}

static void fill_code(void)
{
    uint8_t *p = sandbox;
    for (unsigned off = 0; off < CODE_SIZE; off += 4) {
        uint32_t w;
        switch (rnd() % 8) {
        case 0: w = (uint32_t)rnd(); break;                       /* anything */
        case 1: w = (uint32_t)rnd() & ~3u; break;                /* two C parcels */
        case 2: {                                                 /* system */
            static const uint32_t special[] = {
                0x10500073, 0x00000073, 0x00100073, 0x10200073, 0x30200073,
                0x12000073, 0x0000100f, 0x00009002, 0x0ff0000f,
            };
            w = special[rnd() % (sizeof(special) / 4)];
            break;
        }
        default: w = plausible_insn(); break;
        }
        p[off] = (uint8_t)w;
        p[off + 1] = (uint8_t)(w >> 8);
        p[off + 2] = (uint8_t)(w >> 16);
        p[off + 3] = (uint8_t)(w >> 24);
    }
    __asm__ volatile("fence.i");
}

/* An address in the sandbox or the canary page below it. */
static uint64_t sandbox_addr(void)
{
    return (uint64_t)(uintptr_t)sandbox - 4096 + (rnd() % (SANDBOX_SIZE + 4096));
}

/* An Sv39 root table in the sandbox's data whose entry for VA 0x80000000
 * is a 1 GiB leaf onto the same physical range, executable, with random
 * R, W, U, G, A and D bits: the random code then runs translated and its loads
 * and stores meet page faults, A/D updates, SUM and MXR.  Returns its PPN. */
static uint64_t sv39_identity_root(void)
{
    uint64_t *root = (uint64_t *)(uintptr_t)(sandbox + SANDBOX_SIZE - 4096);
    for (unsigned i = 0; i < 512; i++)
        root[i] = rnd() % 4 ? 0 : rnd();
    uint64_t flags = 1 | 8 | (rnd() & 0xf6);   /* V X, random R W U G A D */
    root[2] = (0x80000000ull >> 12) << 10 | flags;
    return (uint64_t)(uintptr_t)root >> 12;
}

static void setup_block(void)
{
    fill_code();
    for (unsigned i = 1; i < 32; i++)
        block_regs[i] = rnd() % 2 ? sandbox_addr() & ~(rnd() % 8) : rnd();
    bool s_mode = rnd() % 2;
    uint64_t ms = CSRR(mstatus);
    ms &= ~((3ull << 11) | (3ull << 13) | (1ull << 18) | (1ull << 19) |
            (1ull << 20) | (1ull << 21) | (1ull << 22) | (1ull << 5) | (1ull << 1));
    ms |= (uint64_t)(s_mode ? 1 : 0) << 11;          /* MPP */
    ms |= (rnd() % 4) << 13;                         /* FS */
    ms |= (rnd() & 0x1full) << 18;                   /* SUM MXR TVM TW TSR */
    ms |= (rnd() & 1) << 5 | (rnd() & 1) << 1;       /* SPIE SIE */
    CSRW(mstatus, ms);
    uint64_t satp = 0;
    if (rnd() % 3 == 0) {
        satp = 8ull << 60 | sv39_identity_root();
    } else if (rnd() % 2) {   /* Sv39, Sv48, Sv57 or any mode; the root often in the sandbox */
        static const uint64_t modes[] = { 8, 9, 10, 0 };
        uint64_t mode = modes[rnd() % 4], ppn = (rnd() % 2 ? sandbox_addr() : rnd()) >> 12;
        satp = (mode ? mode : rnd() & 15) << 60 | (rnd() & 0xffff) << 44 |
               (ppn & ((1ull << 44) - 1));
    }
    CSRW(satp, satp);
    __asm__ volatile("sfence.vma");
    CSRW(mepc, (uint64_t)(uintptr_t)sandbox + (rnd() % CODE_SIZE & ~1ull));
    traps = 0;
    ticks = 0;
}

/* The trap stub's C half: 0 resumes the random code, 1 ends the block. */
uint64_t trap_c(void)
{
    uint64_t cause = CSRR(mcause);
    if ((int64_t)cause < 0) {                 /* an interrupt: the timer */
        arm_timer();
        return ++ticks >= MAX_TICKS;
    }
    if (++traps >= MAX_TRAPS)
        return 1;
    uint64_t epc = CSRR(mepc), base = (uint64_t)(uintptr_t)sandbox;
    if (epc - base >= CODE_SIZE - 4)          /* left the code: back to it */
        epc = base + (rnd() % CODE_SIZE & ~1ull);
    else
        epc += (*(uint16_t *)(uintptr_t)epc & 3) == 3 ? 4 : 2;
    CSRW(mepc, epc);
    return 0;
}

static int check_machine_state(void)
{
    if (CSRR(mtvec) != (uint64_t)(uintptr_t)trap_entry) return 2;
    if (CSRR(medeleg) != 0 || CSRR(mideleg) != 0) return 3;
    if (CSRR(pmpcfg0) != 0x1f) return 4;
    for (unsigned i = 0; i < CANARY_WORDS; i++)
        if (canary[i] != 0x5a5a5a5a00000000ull + i) return 5;
    return 0;
}

int main(void)
{
    for (unsigned i = 0; i < CANARY_WORDS; i++)
        canary[i] = 0x5a5a5a5a00000000ull + i;
    for (unsigned i = 0; i < SANDBOX_SIZE / 8; i++)
        ((uint64_t *)sandbox)[i] = rnd();
    CSRW(mtvec, (uint64_t)(uintptr_t)trap_entry);
    CSRW(medeleg, 0);
    CSRW(mideleg, 0);
    /* PMP 0: the sandbox, RWX for S and U (NAPOT); nothing else for them */
    CSRW(pmpaddr0, ((uint64_t)(uintptr_t)sandbox >> 2) | (SANDBOX_SIZE / 8 - 1));
    CSRW(pmpcfg0, 0x1f);
    CSRW(mie, 1u << 7);                       /* MTIE (M-mode runs with MIE=0) */
    for (unsigned b = 0; b < RANDCODE_BLOCKS; b++) {
        setup_block();
        arm_timer();
        run_block(block_regs);
        *(volatile uint64_t *)CLINT_MTIMECMP = ~0ull;
        int bad = check_machine_state();
        if (bad)
            return bad;
    }
    return 0;
}

/* run_block: save M-mode's callee-saved registers, load the block's x1..x31
 * (a0 last) and mret into it.  trap_entry: swap to the trap stack, save
 * x1 and x3..x31 (the guest's sp stays in mscratch), call trap_c; resume
 * (restore, mret) or return from run_block. */
__asm__(
"    .pushsection .text\n"
"    .globl run_block\n"
"run_block:\n"
"    la t0, mctx\n"
"    sd ra, 0(t0)\n  sd sp, 8(t0)\n  sd s0, 16(t0)\n  sd s1, 24(t0)\n"
"    sd s2, 32(t0)\n sd s3, 40(t0)\n sd s4, 48(t0)\n sd s5, 56(t0)\n"
"    sd s6, 64(t0)\n sd s7, 72(t0)\n sd s8, 80(t0)\n sd s9, 88(t0)\n"
"    sd s10, 96(t0)\n sd s11, 104(t0)\n sd gp, 112(t0)\n sd tp, 120(t0)\n"
"    la t1, trap_stack_top\n"
"    csrw mscratch, t1\n"
"    ld x1, 8(a0)\n  ld x2, 16(a0)\n ld x3, 24(a0)\n ld x4, 32(a0)\n"
"    ld x5, 40(a0)\n ld x6, 48(a0)\n ld x7, 56(a0)\n ld x8, 64(a0)\n"
"    ld x9, 72(a0)\n ld x11, 88(a0)\n ld x12, 96(a0)\n ld x13, 104(a0)\n"
"    ld x14, 112(a0)\n ld x15, 120(a0)\n ld x16, 128(a0)\n ld x17, 136(a0)\n"
"    ld x18, 144(a0)\n ld x19, 152(a0)\n ld x20, 160(a0)\n ld x21, 168(a0)\n"
"    ld x22, 176(a0)\n ld x23, 184(a0)\n ld x24, 192(a0)\n ld x25, 200(a0)\n"
"    ld x26, 208(a0)\n ld x27, 216(a0)\n ld x28, 224(a0)\n ld x29, 232(a0)\n"
"    ld x30, 240(a0)\n ld x31, 248(a0)\n ld x10, 80(a0)\n"
"    mret\n"
"\n"
"    .align 4\n"
"    .globl trap_entry\n"
"trap_entry:\n"
"    csrrw sp, mscratch, sp\n"
"    addi sp, sp, -256\n"
"    sd x1, 8(sp)\n  sd x3, 24(sp)\n sd x4, 32(sp)\n sd x5, 40(sp)\n"
"    sd x6, 48(sp)\n sd x7, 56(sp)\n sd x8, 64(sp)\n sd x9, 72(sp)\n"
"    sd x10, 80(sp)\n sd x11, 88(sp)\n sd x12, 96(sp)\n sd x13, 104(sp)\n"
"    sd x14, 112(sp)\n sd x15, 120(sp)\n sd x16, 128(sp)\n sd x17, 136(sp)\n"
"    sd x18, 144(sp)\n sd x19, 152(sp)\n sd x20, 160(sp)\n sd x21, 168(sp)\n"
"    sd x22, 176(sp)\n sd x23, 184(sp)\n sd x24, 192(sp)\n sd x25, 200(sp)\n"
"    sd x26, 208(sp)\n sd x27, 216(sp)\n sd x28, 224(sp)\n sd x29, 232(sp)\n"
"    sd x30, 240(sp)\n sd x31, 248(sp)\n"
"    call trap_c\n"
"    bnez a0, 1f\n"
"    ld x1, 8(sp)\n  ld x3, 24(sp)\n ld x4, 32(sp)\n ld x5, 40(sp)\n"
"    ld x6, 48(sp)\n ld x7, 56(sp)\n ld x8, 64(sp)\n ld x9, 72(sp)\n"
"    ld x10, 80(sp)\n ld x11, 88(sp)\n ld x12, 96(sp)\n ld x13, 104(sp)\n"
"    ld x14, 112(sp)\n ld x15, 120(sp)\n ld x16, 128(sp)\n ld x17, 136(sp)\n"
"    ld x18, 144(sp)\n ld x19, 152(sp)\n ld x20, 160(sp)\n ld x21, 168(sp)\n"
"    ld x22, 176(sp)\n ld x23, 184(sp)\n ld x24, 192(sp)\n ld x25, 200(sp)\n"
"    ld x26, 208(sp)\n ld x27, 216(sp)\n ld x28, 224(sp)\n ld x29, 232(sp)\n"
"    ld x30, 240(sp)\n ld x31, 248(sp)\n"
"    addi sp, sp, 256\n"
"    csrrw sp, mscratch, sp\n"
"    mret\n"
"1:  la t0, mctx\n"
"    ld ra, 0(t0)\n  ld sp, 8(t0)\n  ld s0, 16(t0)\n  ld s1, 24(t0)\n"
"    ld s2, 32(t0)\n ld s3, 40(t0)\n ld s4, 48(t0)\n ld s5, 56(t0)\n"
"    ld s6, 64(t0)\n ld s7, 72(t0)\n ld s8, 80(t0)\n ld s9, 88(t0)\n"
"    ld s10, 96(t0)\n ld s11, 104(t0)\n ld gp, 112(t0)\n ld tp, 120(t0)\n"
"    ret\n"
"\n"
"    .popsection\n"
"    .pushsection .bss\n"
"    .align 4\n"
"mctx: .skip 128\n"
"    .align 4\n"
"trap_stack: .skip 8192\n"
"trap_stack_top:\n"
"    .popsection\n"
);
