/*
 * The execution loop: runs guest code of one CPU for a slice, choosing per
 * TB between the interpreter and the Wasm tier, taking exceptions and
 * interrupts between TBs.
 */
#ifndef WASMU_EXEC_H
#define WASMU_EXEC_H

#include "exec/cpu_common.h"
#include "exec/memory.h"

typedef enum CpuExecResult {
    CPU_EXEC_BUDGET = 0,   /* the slice's instruction budget ran out */
    CPU_EXEC_HALTED = 1,   /* the hart waits for an interrupt (WFI) */
    CPU_EXEC_EXIT = 2,     /* cpu->exit_request was set (machine event) */
    CPU_EXEC_DEBUG = 3,    /* stopped before a breakpoint (cpu->debug) */
} CpuExecResult;

/* Run until the budget (instructions) is spent, the CPU halts or an exit is
 * requested. */
CpuExecResult cpu_exec(CpuCommon *cpu, int64_t budget);

/* Ask a running cpu_exec to return at the next TB boundary. */
void cpu_exit_request(CpuCommon *cpu);

/* Turn debugging (cpu->debug) on or off, flushing the TBs on a change. */
void cpu_debug_set_active(CpuCommon *cpu, bool active);

/* Execution options (from -accel tcg,... and -d). */
typedef struct ExecOptions {
    size_t tb_arena_bytes;     /* -accel tcg,tb-size=MB */
    bool jit;                  /* -accel tcg,jit=on|off */
    unsigned jit_threshold;    /* -accel tcg,jit-threshold=N */
    bool jit_async;            /* -accel tcg,jit-async=on|off: compile
                                  modules off the main thread */
    bool trace_in_asm;         /* -d in_asm */
    bool trace_op;             /* -d op */
    bool trace_exec;           /* -d exec */
    bool trace_int;            /* -d int */
    bool jit_stats;            /* -d jit-stats */
} ExecOptions;

void exec_options_default(ExecOptions *o);
/* Create the cpu's TB cache and attach guest memory (for self-modifying
 * code tracking); call once after the target cpu init.  0 on success. */
int cpu_exec_init(CpuCommon *cpu, const ExecOptions *opts, PhysMem *pm);
void cpu_exec_free(CpuCommon *cpu);
void cpu_print_stats(CpuCommon *cpu, FILE *out);

/* ---- target hooks (target/<arch>/exec_hooks.c) ------------------------ */
/* Take a pending enabled interrupt if any: true when one was taken. */
bool target_cpu_exec_interrupt(CpuCommon *cpu);
/* Deliver cpu->exc_* as a guest trap (clears exc_pending). */
void target_cpu_do_exception(CpuCommon *cpu);
/* True when the hart is stalled (WFI) and has no pending interrupt. */
bool target_cpu_is_halted(CpuCommon *cpu);
/* Disassemble one instruction for -d in_asm; returns its length. */
unsigned target_disas(CpuCommon *cpu, uint64_t pc, char *buf, size_t len);

/* ---- debugger hooks (target/<arch>/gdb.c) ------------------------------ */
/* GDB's target description (target.xml) into buf; its length. */
size_t target_gdb_xml(char *buf, size_t cap);
/* Registers in GDB's 'g' packet (GDB numbers 0 .. n-1). */
unsigned target_gdb_g_count(void);
/* The CPU's state as text (registers, privilege, the main CSRs) into buf,
 * for the monitor's info registers; its length. */
size_t target_dump_state(CpuCommon *cpu, char *buf, size_t cap);
/* GDB's register n into buf (little endian): its size in bytes, 0 when
 * there is no such register. */
unsigned target_gdb_read_reg(CpuCommon *cpu, unsigned n, uint8_t *buf);
/* Write GDB's register n from buf (its size, little endian); false when
 * there is no such register. */
bool target_gdb_write_reg(CpuCommon *cpu, unsigned n, const uint8_t *buf);
/* The physical address of vaddr as the CPU's data accesses would see it
 * now, with no side effect (no TLB fill, no A/D update, no exception). */
bool target_debug_translate(CpuCommon *cpu, uint64_t vaddr, uint64_t *paddr);

#endif
