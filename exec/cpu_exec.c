/*
 * The execution loop of one CPU: interrupts and exceptions between TBs,
 * TB lookup, chaining of direct jumps, and the choice of tier.
 */
#include "exec/exec.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backend/interp/interp.h"
#include "backend/wasm/wasm_jit.h"
#include "host/clock.h"
#include "exec/softmmu.h"
#include "exec/tb_cache.h"

int tb_cache_attach_memory(CpuCommon *cpu, PhysMem *pm);

void exec_options_default(ExecOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->tb_arena_bytes = 64u << 20;
    o->jit = true;
    /* Measured under Node: lower thresholds compile more of the boot code
     * than it pays back (5000: 1.2 s to the prompt, 20000: 0.8 s), and
     * first runs of guest workloads slow down too, though less of them is
     * interpreted (zstd in Linux: 0.72 s at 20000, 0.80 at 10000, 0.90 at
     * 5000, 0.99 at 2500); 30000 and 40000 were no faster.  Since regions
     * take in fewer copies of compiled code (may_copy in the Wasm tier),
     * 10000 and 15000 trade: zstd's and xz's first runs 4-12% faster,
     * Lua's 5-8% slower, the boot the same (5 rounds). */
    o->jit_threshold = 20000;
    o->jit_async = true;
}

int cpu_exec_init(CpuCommon *cpu, const ExecOptions *opts, PhysMem *pm)
{
    cpu->tbs = tb_cache_new(opts->tb_arena_bytes);
    if (!cpu->tbs)
        return -1;
    cpu->tbs->opts = *opts;
    cpu->jit_tier_up = opts->jit ? opts->jit_threshold : UINT32_MAX;
    cpu->reservation = (uint64_t)-1;
    tlb_flush(cpu);
    return tb_cache_attach_memory(cpu, pm);
}

void cpu_exec_free(CpuCommon *cpu)
{
    tb_cache_free(cpu->tbs);
    cpu->tbs = NULL;
}

void cpu_exit_request(CpuCommon *cpu)
{
    cpu->exit_request = true;
    cpu_drop_budget(cpu);
}

void cpu_debug_set_active(CpuCommon *cpu, bool active)
{
    if (cpu->debug.active == active)
        return;
    tb_flush_all(cpu);   /* TBs of one instruction from now on, or no more */
    cpu->debug.active = active;
}

/* Under a debugger: whether the loop stops before pc, a breakpoint (not
 * the one it resumes at: that instruction runs once first). */
static bool at_breakpoint(CpuCommon *cpu)
{
    CpuDebug *d = &cpu->debug;
    bool resuming = d->skip_once && d->skip_pc == cpu->pc;
    d->skip_once = false;
    if (resuming)
        return false;
    for (unsigned i = 0; i < d->n_breakpoints; i++)
        if (d->breakpoints[i] == cpu->pc)
            return true;
    return false;
}

/* Direct jumps are chained only inside one guest page: the target's
 * translation stays valid exactly as long as the source's (not so for a
 * straddling TB, whose second page may be remapped). */
static void try_chain(TranslationBlock *from, int slot, TranslationBlock *to)
{
    if (!from || slot < 0 || from->invalid || tb_straddles(to))
        return;
    if ((from->pc ^ to->pc) & GUEST_PAGE_MASK)
        return;
    from->jmp_target[slot] = to;
}

static void trace_exec(CpuCommon *cpu, const TranslationBlock *tb)
{
    fprintf(stderr, "Trace: %016" PRIx64 " [%x] icount=%u\n", tb->pc,
            tb->flags, tb->icount);
}

/* The successor recorded by a GOTO_TB exit, when it is still usable. */
static TranslationBlock *chained_successor(TranslationBlock *from, int slot)
{
    if (!from || slot < 0)
        return NULL;
    TranslationBlock *next = from->jmp_target[slot];
    return next && !next->invalid ? next : NULL;
}

static void compile_queued(CpuCommon *cpu)
{
    if (!cpu->tbs->n_jit_queue)
        return;
    uint64_t start = host_clock_ns();
    wasm_jit_compile_queued(cpu);
    cpu->tbs->stats.wasm_compile_ns += host_clock_ns() - start;
}

/* Hot TBs go to the Wasm tier once they pass the threshold: queued, and
 * compiled as one module when the queue fills or the slice ends; with
 * jit-async=off at once, so that jit-threshold=0 runs every TB compiled
 * from its first execution on (the ISA tests' Wasm runs).  While many
 * compiles are in flight, a hot TB stays on the interpreter and is queued
 * on a later run, so that V8 is not handed thousands of modules at once. */
static bool maybe_compile(CpuCommon *cpu, TranslationBlock *tb)
{
    TbCache *cache = cpu->tbs;
    if (!cache->opts.jit || cpu->debug.active || tb->wasm_entry != WASM_ENTRY_NONE ||
        !tb_is_hot(tb, cpu->jit_tier_up))
        return false;
    unsigned in_flight = cache->n_wasm_pending + cache->n_jit_queue;
    if (cache->n_wasm_entries + in_flight >= WASM_MAX_LIVE) {
        tb_flush_all(cpu);    /* bound the live modules; tb is gone */
        return true;
    }
    if (in_flight >= WASM_MAX_IN_FLIGHT)
        return false;
    if (wasm_jit_enqueue(cpu, tb) || !cache->opts.jit_async)
        compile_queued(cpu);
    return false;
}

/* How the last TB was left, for the next one. */
typedef struct LastExit {
    TranslationBlock *tb;   /* left by its GOTO_TB exit `slot` (chain from it) */
    int slot;               /* -1: left otherwise (an indirect jump) */
    int32_t region;         /* the compiled region that returned (table index) */
} LastExit;

/* Not left by a jump (interrupt, exception) or freed by a flush: nothing
 * to chain from, no edge to note. */
static void forget_exit(LastExit *last)
{
    last->tb = NULL;
    last->region = 0;
}

/* Run tb on its tier; fills *last for the next TB. */
static ExecStatus run_tb(CpuCommon *cpu, TranslationBlock *tb, LastExit *last)
{
    last->region = 0;
    if (tb->wasm_entry > 0 && !cpu->interp_once) {
        /* Compiled code charges what it runs beyond tb to the budget. */
        int64_t budget_before = cpu->budget, dropped_before = cpu->budget_dropped;
        cpu->wasm_chain = tb->wasm_entry;
        cpu->wasm_member = tb->wasm_member;
        int32_t r = ((WasmTbFn)(uintptr_t)tb->wasm_entry)();
        cpu->wasm_calls++;
        while (r == WASM_EXIT_CHAIN) {
            cpu->wasm_chained++;
            r = ((WasmTbFn)(uintptr_t)cpu->wasm_chain)();
        }
        cpu->insns_in_wasm += tb->icount + (uint64_t)(budget_before - cpu->budget -
                                                      (cpu->budget_dropped - dropped_before));
        cpu->wasm_slow_exits += cpu->interp_once;
        last->region = cpu->wasm_chain;   /* the last function called */
        bool by_goto_tb = r == WASM_EXIT_GOTO_TB || r == WASM_EXIT_GOTO_TB + 1;
        last->tb = by_goto_tb ? cpu->wasm_exit_tb : NULL;
        last->slot = by_goto_tb ? r - WASM_EXIT_GOTO_TB : -1;
        return r == WASM_EXIT_EXCEPTION ? EXEC_EXCEPTION : EXEC_CONTINUE;
    }
    cpu->interp_once = false;
    InterpExit exit = interp_exec(cpu, tb);
    last->tb = exit.last_tb;
    last->slot = exit.exit_slot;
    return exit.status;
}

/* A fetch that faults runs nothing, yet its trap costs the slice an
 * instruction (not counted as run): else a guest whose trap vector faults
 * too looped in here for ever, and the machine never saw its devices,
 * timers, console or debugger again (a hostile campaign's guest did). */
static void charge_fetch_fault(CpuCommon *cpu)
{
    cpu->budget--;
    cpu->budget_dropped++;
}

static CpuExecResult exec_loop(CpuCommon *cpu, int64_t budget)
{
    TbCache *cache = cpu->tbs;
    LastExit last = { NULL, -1, 0 };
    uint64_t generation = cache->generation;

    cpu->budget = budget;
    cpu->exit_request = false;
    for (;;) {
        if (cpu->exit_request)
            return CPU_EXEC_EXIT;
        if (!cpu->debug.stepping && target_cpu_exec_interrupt(cpu))
            forget_exit(&last);
        if (target_cpu_is_halted(cpu))
            return CPU_EXEC_HALTED;
        if (cpu->budget <= 0)
            return CPU_EXEC_BUDGET;
        if (cpu->debug.active && at_breakpoint(cpu))
            return CPU_EXEC_DEBUG;
        if (generation != cache->generation)
            forget_exit(&last);   /* a flush freed them */

        TranslationBlock *tb = chained_successor(last.tb, last.slot);
        if (!tb) {
            tb = tb_lookup_or_translate(cpu);
            if (!tb) {   /* the fetch faulted: the trap costs an instruction */
                target_cpu_do_exception(cpu);
                forget_exit(&last);
                charge_fetch_fault(cpu);
                continue;
            }
            if (generation == cache->generation) {
                try_chain(last.tb, last.slot, tb);
                if (last.tb && last.slot < 0)   /* left by an indirect jump */
                    tb_note_ind_target(last.tb, tb);
            } else {
                forget_exit(&last);   /* translating tb flushed the cache */
            }
        }
        generation = cache->generation;
        if (cache->opts.trace_exec)
            trace_exec(cpu, tb);
        if (maybe_compile(cpu, tb)) {
            forget_exit(&last);   /* flushed */
            continue;
        }

        int64_t start_budget = cpu->budget, dropped_before = cpu->budget_dropped;
        cpu->budget -= tb->icount;
        tb->exec_count++;
        if (last.region && tb->wasm_entry <= 0)
            tb->wasm_left_from = last.region;
        ExecStatus status = run_tb(cpu, tb, &last);
        cpu->insns_executed += (uint64_t)(start_budget - cpu->budget -
                                          (cpu->budget_dropped - dropped_before));
        if (status == EXEC_EXCEPTION) {
            target_cpu_do_exception(cpu);
            forget_exit(&last);
        }
    }
}

CpuExecResult cpu_exec(CpuCommon *cpu, int64_t budget)
{
    CpuExecResult result = exec_loop(cpu, budget);
    compile_queued(cpu);
    return result;
}

void cpu_print_stats(CpuCommon *cpu, FILE *out)
{
    TbStats st;
    tb_cache_stats(cpu->tbs, &st);
    double share = cpu->insns_executed
        ? 100.0 * (double)cpu->insns_in_wasm / (double)cpu->insns_executed : 0;
    fprintf(out,
            "jit-stats: insns=%" PRIu64 " in_wasm=%" PRIu64 " (%.1f%%)"
            " tbs_translated=%" PRIu64 " tbs_invalidated=%" PRIu64
            " flushes=%" PRIu64 " arena=%" PRIu64 "/%" PRIu64
            " wasm_compiled=%" PRIu64 " wasm_members=%" PRIu64
            " wasm_modules=%" PRIu64
            " wasm_live=%" PRIu64
            " wasm_bytes=%" PRIu64 " wasm_compile_ms=%.1f"
            " wasm_calls=%" PRIu64 " wasm_chained=%" PRIu64
            " wasm_slow_exits=%" PRIu64
            " tlb_fills=%" PRIu64 " tlb_flushes=%" PRIu64
            " tlb_page_flushes=%" PRIu64 "\n",
            cpu->insns_executed, cpu->insns_in_wasm, share, st.translated,
            st.invalidated, st.flushes, st.arena_used, st.arena_size,
            st.wasm_compiled, st.wasm_members, st.wasm_modules, st.wasm_live,
            st.wasm_bytes,
            (double)st.wasm_compile_ns / 1e6, cpu->wasm_calls,
            cpu->wasm_chained, cpu->wasm_slow_exits, cpu->tlb_fills,
            cpu->tlb_flushes, cpu->tlb_page_flushes);
}
