/*
 * The Wasm tier's private declarations, shared by its files: the imports a
 * module collects, the Emitter (one region's function being emitted), the
 * function's shared exits, a region's members, and the functions called
 * from another file of the tier.  wasm_jit.h is its public interface.
 *
 *   wasm_emit.c       one region's IR -> one Wasm function: slots and
 *                     locals, arithmetic, calls to C, emit_member,
 *                     emit_function
 *   wasm_emit_mem.c   loads and stores: the inline TLB fast path
 *   wasm_emit_exit.c  jumps between members, exits, chaining, the jump
 *                     cache lookup, the shared exits
 *   wasm_module.c     the module around a batch of regions
 *   wasm_region.c     choosing and ordering a region's members
 *   wasm_jit.c        the queue, compiling and installing modules
 */
#ifndef WASMU_WASM_INTERNAL_H
#define WASMU_WASM_INTERNAL_H

#include "backend/wasm/wasm_jit.h"

enum { TYPE_TB = 0, TYPE_HELPER = 1, TYPE_BINARY = 2 };
enum { NO_LOCAL = 0xffff, WASM_MAX_IMPORTS = 64 };

/* The C functions a module imports, by table index: function index i of
 * the module is fn[i]; the region functions come after them. */
typedef struct ModuleImports {
    int32_t fn[WASM_MAX_IMPORTS];
    uint8_t type[WASM_MAX_IMPORTS];
    unsigned n;
} ModuleImports;

typedef struct Emitter Emitter;

struct Emitter {
    WasmBuf *code;
    const TranslationBlock *tb;     /* the member being emitted */
    const IrBlock *blk;
    const TranslationBlock *const *members;   /* member 0 is the entry */
    const IrBlock *const *member_ir;
    unsigned n_members, member;
    uint16_t local_of[IR_SLOT_COUNT];
    /* Slots an FARITH64 reads or writes have f64 locals (the others i64):
     * a chain of FP instructions then stays in FP registers, where i64
     * locals put two moves between register files on its path, as the
     * fast path's merge with its helper call makes a phi of each result
     * (bare-metal fpmix under Node: 0.81 -> 0.56 s). */
    bool is_f64[IR_SLOT_COUNT];
    unsigned n_f64_locals;
    unsigned n_slot_locals;
    /* The page of a member's last load (r) and store (w) that another one
     * may reuse: its address (-1: none) and the low half of its addend
     * (i32 locals, tlb_fast_path; $add: the one of a page not kept), and
     * per op of the member its TLB_REUSE / TLB_KEEP bits (plan_tlb_reuse). */
    uint32_t local_rtag, local_radd, local_wtag, local_wadd, local_add;
    uint8_t tlb_reuse[IR_MAX_OPS];
    /* Per op of the member: its write of a guest register is not stored
     * (plan_dead_stores); cur_op is the op being emitted. */
    bool store_dead[IR_MAX_OPS];
    const IrOp *cur_op;
    uint32_t local_va, local_t, local_exit_pc, local_budget, local_ent,
             local_cur, local_next, local_fn, local_exit_link, local_exit_tb,
             local_exit_code, local_self;
    bool chain;     /* exits may chain to other compiled TBs */
    uint32_t cpu_addr;      /* the CpuCommon the code runs on */
    const TbCache *cache;   /* for page guards (regions spanning pages) */
    ModuleImports *imports;         /* shared by the module's functions */
    int label_order[IR_MAX_LABELS];   /* label id -> position, -1 unused */
    unsigned labels_reached, n_labels;
    unsigned self_loop;   /* 1: the member's code is in its own loop */
    /* Branch hints (hint_branch): per if/br_if hinted, its code offset
     * (4 bytes, host order) and whether its condition is likely true. */
    WasmBuf hints;
    unsigned n_hints;
    uint32_t locals_len;   /* hint offsets count from the locals */
    bool failed;
};

/* The function's shared exits, blocks around the dispatch loop: a branch
 * to one sets its locals ($exit_pc, ...) and the exit code, once per
 * function, stores the budget and the pc. */
typedef enum SharedExit {
    EXIT_EXCEPTION = 1,   /* cpu->pc = $exit_pc, status EXCEPTION */
    EXIT_PLAIN = 2,       /* cpu->pc = $exit_pc, status CONTINUE */
    EXIT_INDIRECT = 3,    /* cpu->pc = $va, chain through the jump cache */
    EXIT_GOTO = 4,        /* cpu->pc = $exit_pc, chain via $exit_link or the
                             jump cache, status $exit_code of $exit_tb */
    EXIT_SLOW = 5,        /* cpu->pc = $exit_pc, cpu->interp_once, status
                             CONTINUE: a load or store for the interpreter */
} SharedExit;

/* A region's members in layout order (tb[0] the entry), each with its
 * page's code generation when the region was built, and whether the
 * region claimed it (claim_members). */
typedef struct RegionMembers {
    TranslationBlock *tb[WASM_REGION_MAX];
    uint32_t code_gen[WASM_REGION_MAX];
    bool claimed[WASM_REGION_MAX];
    unsigned n;
} RegionMembers;

/* wasm_emit.c */
void hint_branch(Emitter *e, uint8_t opcode, bool likely);
int member_at(const Emitter *e, uint64_t pc);
void scan_slots(Emitter *e);
void cpu_ptr(Emitter *e);
void push_slot(Emitter *e, uint16_t slot);
void pop_slot(Emitter *e, uint16_t slot);
void store_budget(Emitter *e);
uint32_t depth_to_member(const Emitter *e, unsigned nesting, unsigned target);
uint32_t depth_to_loop(const Emitter *e, unsigned nesting);
void br_exit(Emitter *e, unsigned nesting, SharedExit which);
void set_exit_pc(Emitter *e, uint64_t pc);
void emit_function(Emitter *e, WasmBuf *body);

/* wasm_emit_mem.c */
void plan_tlb_reuse(Emitter *e);
void forget_tlb_pages(Emitter *e);
void emit_load(Emitter *e, const IrOp *op);
void emit_store(Emitter *e, const IrOp *op);

/* wasm_emit_exit.c */
const uint32_t *code_gen_slot(const TbCache *cache,
                              const TranslationBlock *tb);
void emit_exit(Emitter *e, const IrOp *op);
void emit_shared_exits(Emitter *e);
void emit_indirect_in(Emitter *e);

#ifdef __EMSCRIPTEN__
/* wasm_region.c */
unsigned add_region(CpuCommon *cpu, WasmModuleBuilder *b,
                    TranslationBlock *tb, RegionMembers *out);

/* wasm_jit.c */
uint32_t page_code_gen(const TbCache *cache, const TranslationBlock *tb);
#endif

#endif
