/*
 * The execution loop of one CPU: interrupts and exceptions between TBs,
 * TB lookup, chaining of direct jumps, and the choice of tier.
 */
#include "exec/exec.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backend/interp/interp.h"
#include "exec/softmmu.h"
#include "exec/tb_cache.h"

int tb_cache_attach_memory(CpuCommon *cpu, PhysMem *pm);

void exec_options_default(ExecOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->tb_arena_bytes = 64u << 20;
    o->jit = true;
    o->jit_threshold = 1000;
}

int cpu_exec_init(CpuCommon *cpu, const ExecOptions *opts, PhysMem *pm)
{
    cpu->tbs = tb_cache_new(opts->tb_arena_bytes);
    if (!cpu->tbs)
        return -1;
    cpu->tbs->opts = *opts;
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
    cpu->budget = 0;
}

/* Direct jumps are chained only inside one guest page: the target's
 * translation stays valid exactly as long as the source's. */
static void try_chain(TranslationBlock *from, int slot, TranslationBlock *to)
{
    if (!from || slot < 0 || from->invalid)
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

CpuExecResult cpu_exec(CpuCommon *cpu, int64_t budget)
{
    TbCache *cache = cpu->tbs;
    TranslationBlock *last_tb = NULL;
    int last_slot = -1;
    uint64_t generation = cache->generation;

    cpu->budget = budget;
    cpu->exit_request = false;
    for (;;) {
        if (cpu->exit_request)
            return CPU_EXEC_EXIT;
        if (target_cpu_exec_interrupt(cpu))
            last_tb = NULL;
        if (target_cpu_is_halted(cpu))
            return CPU_EXEC_HALTED;
        if (cpu->budget <= 0)
            return CPU_EXEC_BUDGET;

        TranslationBlock *tb = tb_lookup_or_translate(cpu);
        if (!tb) {
            target_cpu_do_exception(cpu);
            last_tb = NULL;
            continue;
        }
        if (generation == cache->generation)
            try_chain(last_tb, last_slot, tb);
        generation = cache->generation;
        if (cache->opts.trace_exec)
            trace_exec(cpu, tb);

        int64_t start_budget = cpu->budget;
        cpu->budget -= tb->icount;
        tb->exec_count++;
        InterpExit exit = interp_exec(cpu, tb);
        cpu->insns_executed += (uint64_t)(start_budget - cpu->budget);
        if (exit.status == EXEC_EXCEPTION) {
            target_cpu_do_exception(cpu);
            last_tb = NULL;
        } else {
            last_tb = exit.last_tb;
            last_slot = exit.exit_slot;
        }
    }
}

void cpu_print_stats(CpuCommon *cpu, FILE *out)
{
    TbStats st;
    tb_cache_stats(cpu->tbs, &st);
    fprintf(out,
            "jit-stats: insns=%" PRIu64 " in_wasm=%" PRIu64
            " tbs_translated=%" PRIu64 " tbs_invalidated=%" PRIu64
            " flushes=%" PRIu64 " arena=%" PRIu64 "/%" PRIu64 "\n",
            cpu->insns_executed, cpu->insns_in_wasm, st.translated,
            st.invalidated, st.flushes, st.arena_used, st.arena_size);
}
