/*
 * The Wasm tier's public side (wasm_jit.h): the queue of hot TBs, compiling
 * it as one module, at once or in V8's background threads, the JS glue that
 * instantiates a module and puts its functions in table slots, and
 * settling a compile into the TBs that still wait for it.
 */
#include "backend/wasm/wasm_internal.h"

#include <stdlib.h>

#include "exec/tb_cache.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

/* ---- installing ------------------------------------------------------------ */

#ifdef __EMSCRIPTEN__
/*
 * Module.wasmuInstantiate(module, n_funcs, entries): instantiate against our
 * own memory, with the C functions the module calls; entries[i] gets the
 * table index of exported function i.
 *
 * Table slots for compiled code come from a free list refilled by growing
 * the table 256 slots at a time: V8 updates every instance that imports
 * the table on each grow, so growing slot by slot (as addFunction does)
 * costs time quadratic in the number of live modules.
 */
EM_JS(void, js_wasm_setup, (void), {
    if (Module.wasmuInstantiate)
        return;
    Module.wasmuFreeSlots = [];
    Module.wasmuInstantiate = function (module, n_funcs, entries) {
        var helpers = {};
        WebAssembly.Module.imports(module).forEach(function (imp) {
            if (imp.module == 'h')
                helpers[imp.name] = wasmTable.get(+imp.name);
        });
        var instance = new WebAssembly.Instance(module, {
            env: { memory: wasmMemory }, h: helpers
        });
        var free = Module.wasmuFreeSlots;
        for (var f = 0; f < n_funcs; f++) {
            if (free.length == 0) {
                var base = wasmTable.grow(256);
                for (var i = 255; i >= 0; i--)
                    free.push(base + i);
            }
            var index = free.pop();
            wasmTable.set(index, instance.exports[f]);
            HEAP32[(entries >>> 2) + f] = index;
        }
    };
});

/* Compile synchronously and instantiate; 0 on failure. */
EM_JS(int, js_wasm_install, (const uint8_t *bytes, size_t len, unsigned n_funcs,
                             int32_t *entries), {
    try {
        bytes >>>= 0;   /* a pointer: above 2 GiB it arrives negative */
        var module = new WebAssembly.Module(HEAPU8.subarray(bytes, bytes + len));
        Module.wasmuInstantiate(module, n_funcs, entries);
        return 1;
    } catch (e) {
        err("wasmu: Wasm tier compile failed: " + e);
        return 0;
    }
});

/* The same off the main thread: WebAssembly.compile works in V8's
 * background threads; the module is instantiated (cheap) when the promise
 * settles, between slices, and wasm_jit_installed(batch, ok) is told. */
EM_JS(void, js_wasm_install_async, (const uint8_t *bytes, size_t len,
                                    unsigned n_funcs, int32_t *entries,
                                    void *batch), {
    bytes >>>= 0;
    WebAssembly.compile(HEAPU8.slice(bytes, bytes + len)).then(function (module) {
        var ok = 1;
        try {
            Module.wasmuInstantiate(module, n_funcs, entries);
        } catch (e) {
            err("wasmu: Wasm tier compile failed: " + e);
            ok = 0;
        }
        _wasm_jit_installed(batch, ok);
    }, function (e) {
        err("wasmu: Wasm tier compile failed: " + e);
        _wasm_jit_installed(batch, 0);
    });
});

EM_JS(void, js_wasm_release, (int32_t index), {
    wasmTable.set(index, null);
    Module.wasmuFreeSlots.push(index);
});

uint32_t page_code_gen(const TbCache *cache, const TranslationBlock *tb)
{
    const uint32_t *slot = code_gen_slot(cache, tb);
    return slot ? *slot : 0;
}

/*
 * A compiled region can be entered at any of its members (cpu->wasm_member).
 * So its members that have no code yet, or are only queued, wait for it
 * (WASM_ENTRY_PENDING) instead of each getting a region of its own: the
 * TBs of a hot loop pass the threshold together, and regions built around
 * each of them would hold the same code many times over.
 */
static void claim_members(RegionMembers *r)
{
    for (unsigned m = 1; m < r->n; m++) {
        TranslationBlock *t = r->tb[m];
        r->claimed[m] = t->wasm_entry == WASM_ENTRY_NONE ||
                        t->wasm_entry == WASM_ENTRY_QUEUED;
        if (r->claimed[m])
            t->wasm_entry = WASM_ENTRY_PENDING;
    }
}

/* The region's compile settled (entry: its table index, 0 if it failed):
 * the claimed members take it as their code, or go back to the
 * interpreter.  One whose page changed since was reset by the write (and
 * may wait for another compile now): it is left alone, as the region may
 * hold its old code. */
static void settle_members(TbCache *cache, const RegionMembers *r,
                           int32_t entry)
{
    for (unsigned m = 1; m < r->n; m++) {
        TranslationBlock *t = r->tb[m];
        if (!r->claimed[m] || t->invalid || t->wasm_entry != WASM_ENTRY_PENDING ||
            page_code_gen(cache, t) != r->code_gen[m])
            continue;
        t->wasm_entry = entry > 0 ? entry : WASM_ENTRY_NONE;
        t->wasm_member = (uint8_t)m;
        cache->stats.wasm_members += entry > 0;
    }
}

/* Whether a settled compile may still be installed for its entry tb: the
 * TB waits for this very compile.  A page write since the region was built
 * resets the TB (tb_invalidate_phys_range), which may then be queued again
 * and wait for a newer compile: the page's generation tells them apart. */
static bool entry_waits(const TbCache *cache, const TranslationBlock *tb,
                        const RegionMembers *r)
{
    return tb->wasm_entry == WASM_ENTRY_PENDING && !tb->invalid &&
           page_code_gen(cache, tb) == r->code_gen[0];
}

/*
 * A module's compile settled (ok: entries[i] is region i's function), the
 * cache not flushed since: the entries still waiting get their code (or
 * WASM_ENTRY_FAILED), and so do the members their regions claimed.  Used
 * by both the synchronous and the background compile.
 */
static void settle_batch(TbCache *cache, TranslationBlock *const *tbs,
                         const RegionMembers *regions, const int32_t *entries,
                         unsigned n, size_t bytes, bool ok)
{
    for (unsigned i = 0; i < n; i++) {
        bool waits = entry_waits(cache, tbs[i], &regions[i]);
        if (ok)
            tb_note_wasm_entry(cache, entries[i]);   /* released by a flush */
        if (waits) {
            tbs[i]->wasm_entry = ok ? entries[i] : WASM_ENTRY_FAILED;
            tbs[i]->wasm_member = 0;
        }
        settle_members(cache, &regions[i], ok ? entries[i] : 0);
    }
    if (ok) {
        cache->stats.wasm_compiled += n;
        cache->stats.wasm_modules++;
        cache->stats.wasm_bytes += bytes;
    }
}
#endif

bool wasm_jit_enqueue(CpuCommon *cpu, TranslationBlock *tb)
{
    TbCache *cache = cpu->tbs;
    tb->wasm_entry = WASM_ENTRY_QUEUED;
    cache->jit_queue[cache->n_jit_queue++] = tb;
    return cache->n_jit_queue == WASM_BATCH_MAX;
}

#ifdef __EMSCRIPTEN__
/* A module compiling in V8's background threads (js_wasm_install_async). */
struct WasmBatch {
    TbCache *cache;            /* NULL once the cache is freed */
    uint64_t generation;       /* cache->generation when it was encoded */
    unsigned n;
    size_t bytes;
    TranslationBlock *tbs[WASM_BATCH_MAX];
    /* Each entry's region; the code generation of the entry's page when it
     * was built (regions[i].code_gen[0]) tells whether the copy is stale. */
    RegionMembers regions[WASM_BATCH_MAX];
    int32_t entries[WASM_BATCH_MAX];
    WasmBatch *next;           /* cache->wasm_pending */
};

static bool start_async(TbCache *cache, TranslationBlock **tbs, unsigned n,
                        const RegionMembers *regions, const WasmBuf *module)
{
    WasmBatch *b = calloc(1, sizeof(*b));
    if (!b)
        return false;
    b->cache = cache;
    b->generation = cache->generation;
    b->n = n;
    b->bytes = module->len;
    for (unsigned i = 0; i < n; i++) {
        b->tbs[i] = tbs[i];
        b->regions[i] = regions[i];
        tbs[i]->wasm_entry = WASM_ENTRY_PENDING;
    }
    b->next = cache->wasm_pending;
    cache->wasm_pending = b;
    cache->n_wasm_pending += n;
    js_wasm_install_async(module->data, module->len, n, b->entries, b);
    return true;
}

/*
 * A background compile settled (called from JS between slices, never while
 * guest code runs).  Its TBs get their code if the cache was not flushed
 * meanwhile and they were not invalidated or reset (SMC) since.
 */
EMSCRIPTEN_KEEPALIVE
void wasm_jit_installed(WasmBatch *b, int ok)
{
    TbCache *cache = b->cache;
    bool current = cache && cache->generation == b->generation;
    if (cache) {
        WasmBatch **link = &cache->wasm_pending;
        while (*link != b)
            link = &(*link)->next;
        *link = b->next;
        cache->n_wasm_pending -= b->n;
    }
    if (current)
        settle_batch(cache, b->tbs, b->regions, b->entries, b->n, b->bytes, ok);
    else
        for (unsigned i = 0; i < b->n && ok; i++)
            js_wasm_release(b->entries[i]);   /* its TBs are gone */
    free(b);
}
#endif

void wasm_jit_forget_pending(TbCache *cache)
{
#ifdef __EMSCRIPTEN__
    for (WasmBatch *b = cache->wasm_pending; b; b = b->next)
        b->cache = NULL;
    cache->wasm_pending = NULL;
    cache->n_wasm_pending = 0;
#else
    (void)cache;
#endif
}

/*
 * Compile the queued TBs' regions into one module: V8 spends time on every
 * module it compiles beyond its code, so one module per batch rather than
 * per region.  A TB invalidated or reset (SMC) while it waited is dropped.
 * With -accel tcg,jit-async=on (the default) V8 compiles it in the
 * background and the TBs keep running on the interpreter meanwhile.
 */
void wasm_jit_compile_queued(CpuCommon *cpu)
{
    TbCache *cache = cpu->tbs;
    unsigned n_queued = cache->n_jit_queue;
    cache->n_jit_queue = 0;
    if (!n_queued)
        return;
#ifdef __EMSCRIPTEN__
    TranslationBlock *compiled[WASM_BATCH_MAX];
    RegionMembers regions[WASM_BATCH_MAX];
    unsigned n = 0;
    WasmModuleBuilder *b = wasm_module_new(cpu, true, cache);
    for (unsigned q = 0; q < n_queued; q++) {
        TranslationBlock *tb = cache->jit_queue[q];
        if (tb->wasm_entry != WASM_ENTRY_QUEUED)
            continue;
        tb->wasm_entry = WASM_ENTRY_FAILED;
        if (tb->invalid || !b || add_region(cpu, b, tb, &regions[n]) == UINT32_MAX)
            continue;
        claim_members(&regions[n]);
        compiled[n++] = tb;
    }
    if (!b)
        return;
    WasmBuf module;
    wbuf_init(&module);
    int32_t entries[WASM_BATCH_MAX];
    js_wasm_setup();
    bool finished = wasm_module_finish(b, &module);   /* (frees b) */
    if (!finished || !cache->opts.jit_async ||
        !start_async(cache, compiled, n, regions, &module)) {
        /* now, or never (nothing to compile, refused, out of memory) */
        for (unsigned i = 0; i < n; i++)
            compiled[i]->wasm_entry = WASM_ENTRY_PENDING;
        bool ok = finished && !cache->opts.jit_async &&
                  js_wasm_install(module.data, module.len, n, entries);
        settle_batch(cache, compiled, regions, entries, n, module.len, ok);
    }
    wbuf_free(&module);
#else
    for (unsigned q = 0; q < n_queued; q++)
        cache->jit_queue[q]->wasm_entry = WASM_ENTRY_FAILED;
#endif
}

int32_t wasm_jit_install(const uint8_t *bytes, size_t len)
{
#ifdef __EMSCRIPTEN__
    int32_t entry;
    js_wasm_setup();
    return js_wasm_install(bytes, len, 1, &entry) ? entry : 0;
#else
    (void)bytes;
    (void)len;
    return 0;
#endif
}

void wasm_jit_release(int32_t entry)
{
#ifdef __EMSCRIPTEN__
    if (entry > 0)
        js_wasm_release(entry);
#else
    (void)entry;
#endif
}
