/*
 * The module around a batch of regions (WasmModuleBuilder, wasm_jit.h):
 * its types, imports (our memory and each C function called, by table
 * index), functions and exports, the branch-hint section, the code (one
 * function per region, wasm_emit.c) and the name section.
 */
#include "backend/wasm/wasm_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/tb_cache.h"

static void func_type(WasmBuf *b, const uint8_t *params, unsigned n_params,
                      int result)
{
    wbuf_byte(b, WT_FUNC);
    wbuf_u32(b, n_params);
    wbuf_bytes(b, params, n_params);
    if (result) {
        wbuf_u32(b, 1);
        wbuf_byte(b, (uint8_t)result);
    } else {
        wbuf_u32(b, 0);
    }
}

static void module_header(WasmBuf *m, const ModuleImports *im,
                          unsigned n_funcs)
{
    static const uint8_t magic[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
    static const uint8_t p_helper[] = { WT_I32, WT_I64, WT_I64, WT_I64, WT_I64 };
    static const uint8_t p_binary[] = { WT_I64, WT_I64 };
    WasmBuf s;
    wbuf_bytes(m, magic, sizeof(magic));

    wbuf_init(&s);                                   /* types */
    wbuf_u32(&s, 3);
    func_type(&s, NULL, 0, WT_I32);
    func_type(&s, p_helper, 5, WT_I64);
    func_type(&s, p_binary, 2, WT_I64);
    wbuf_section(m, 1, &s);
    wbuf_free(&s);

    /* imports: the memory, then each C function as ("h", "<table index>");
     * no table: V8 (11.x) makes each instance importing a table cost time
     * linear in the table's size, and each table write linear in the
     * number of such instances. */
    wbuf_init(&s);
    wbuf_u32(&s, 1 + im->n);
    wbuf_name(&s, "env");
    wbuf_name(&s, "memory");
    wbuf_byte(&s, 2);            /* memory, limits: min 0, no max */
    wbuf_byte(&s, 0);
    wbuf_u32(&s, 0);
    for (unsigned i = 0; i < im->n; i++) {
        char name[16];
        snprintf(name, sizeof(name), "%" PRId32, im->fn[i]);
        wbuf_name(&s, "h");
        wbuf_name(&s, name);
        wbuf_byte(&s, 0);        /* function */
        wbuf_u32(&s, im->type[i]);
    }
    wbuf_section(m, 2, &s);
    wbuf_free(&s);

    wbuf_init(&s);                                   /* the region functions */
    wbuf_u32(&s, n_funcs);
    for (unsigned f = 0; f < n_funcs; f++)
        wbuf_u32(&s, TYPE_TB);
    wbuf_section(m, 3, &s);
    wbuf_free(&s);

    wbuf_init(&s);                                   /* exported as "0", "1", ... */
    wbuf_u32(&s, n_funcs);
    for (unsigned f = 0; f < n_funcs; f++) {
        char name[16];
        snprintf(name, sizeof(name), "%u", f);
        wbuf_name(&s, name);
        wbuf_byte(&s, 0);
        wbuf_u32(&s, im->n + f);  /* after the imported functions */
    }
    wbuf_section(m, 7, &s);
    wbuf_free(&s);
}

struct WasmModuleBuilder {
    const TbCache *cache;
    ModuleImports imports;
    WasmBuf bodies;       /* code section entries so far */
    /* Branch hints per function: count, then (offset, 1, hint) each. */
    WasmBuf hints[WASM_BATCH_MAX];
    uint64_t entry_pc[WASM_BATCH_MAX];   /* each function's, for its name */
    unsigned n_funcs;
    uint32_t cpu_addr;
    bool chain;
    bool failed;
};

WasmModuleBuilder *wasm_module_new(const CpuCommon *cpu, bool chain,
                                   const TbCache *cache)
{
    WasmModuleBuilder *b = calloc(1, sizeof(*b));
    if (b) {
        b->cpu_addr = (uint32_t)(uintptr_t)cpu;
        b->chain = chain;
        b->cache = cache;
        wbuf_init(&b->bodies);
    }
    return b;
}

/* The function's hints as the branch-hint section lists them: their
 * count, then each one's offset from the start of the locals, the payload
 * size (1) and the hint. */
static bool encode_hints(const Emitter *e, WasmBuf *out)
{
    wbuf_init(out);
    wbuf_u32(out, e->n_hints);
    for (size_t at = 0; at + 5 <= e->hints.len; at += 5) {
        uint32_t offset;   /* (as hint_branch wrote it) */
        memcpy(&offset, e->hints.data + at, sizeof(offset));
        wbuf_u32(out, e->locals_len + offset);
        wbuf_u32(out, 1);
        wbuf_byte(out, e->hints.data[at + 4]);
    }
    return !out->failed && !e->hints.failed;
}

/* Custom section "metadata.code.branch_hint", before the code section. */
static void hint_section(WasmBuf *m, const WasmModuleBuilder *b)
{
    WasmBuf s;
    wbuf_init(&s);
    wbuf_name(&s, "metadata.code.branch_hint");
    wbuf_u32(&s, b->n_funcs);
    for (unsigned f = 0; f < b->n_funcs; f++) {
        wbuf_u32(&s, b->imports.n + f);
        wbuf_bytes(&s, b->hints[f].data, b->hints[f].len);
    }
    wbuf_section(m, 0, &s);
    wbuf_free(&s);
}

unsigned wasm_module_add_region(WasmModuleBuilder *b,
                                const TranslationBlock *const *tbs,
                                const IrBlock *const *blks, unsigned n)
{
    Emitter *e = calloc(1, sizeof(*e));
    if (!e)
        return UINT32_MAX;
    e->chain = b->chain;
    e->cpu_addr = b->cpu_addr;
    e->cache = b->cache;
    e->imports = &b->imports;
    e->members = tbs;
    e->member_ir = blks;
    e->n_members = n;
    scan_slots(e);
    /* A refused region leaves no trace: emit into a scratch buffer. */
    ModuleImports saved = b->imports;
    WasmBuf body;
    wbuf_init(&body);
    wbuf_init(&e->hints);
    emit_function(e, &body);
    bool ok = !e->failed && !body.failed && b->n_funcs < WASM_BATCH_MAX;
    if (ok && !encode_hints(e, &b->hints[b->n_funcs])) {
        wbuf_free(&b->hints[b->n_funcs]);
        ok = false;
    }
    wbuf_free(&e->hints);
    free(e);
    if (!ok) {
        b->imports = saved;
        wbuf_free(&body);
        return UINT32_MAX;
    }
    wbuf_bytes(&b->bodies, body.data, body.len);
    wbuf_free(&body);
    b->entry_pc[b->n_funcs] = tbs[0]->pc;
    return b->n_funcs++;
}

static void builder_free(WasmModuleBuilder *b)
{
    wbuf_free(&b->bodies);
    for (unsigned f = 0; f < b->n_funcs; f++)
        wbuf_free(&b->hints[f]);
    free(b);
}

/* The name section: each function is "tb_" and its entry pc in hex, so
 * that V8's profiles (node --perf-basic-prof, Chromium's DevTools) tell
 * the regions apart. */
static void name_section(WasmBuf *m, const WasmModuleBuilder *b)
{
    WasmBuf s, names;
    wbuf_init(&s);
    wbuf_init(&names);
    wbuf_name(&s, "name");
    wbuf_u32(&names, b->n_funcs);
    for (unsigned f = 0; f < b->n_funcs; f++) {
        char name[24];
        snprintf(name, sizeof(name), "tb_%" PRIx64, b->entry_pc[f]);
        wbuf_u32(&names, b->imports.n + f);
        wbuf_name(&names, name);
    }
    wbuf_section(&s, 1, &names);   /* subsection 1: function names */
    wbuf_section(m, 0, &s);
    wbuf_free(&names);
    wbuf_free(&s);
}

bool wasm_module_finish(WasmModuleBuilder *b, WasmBuf *module)
{
    bool ok = b->n_funcs > 0 && !b->bodies.failed;
    if (ok) {
        WasmBuf code;
        wbuf_init(&code);
        wbuf_u32(&code, b->n_funcs);
        wbuf_bytes(&code, b->bodies.data, b->bodies.len);
        module_header(module, &b->imports, b->n_funcs);
        hint_section(module, b);
        wbuf_section(module, 10, &code);
        name_section(module, b);
        ok = !code.failed && !module->failed;
        wbuf_free(&code);
    }
    builder_free(b);
    return ok;
}

bool wasm_encode_tb(const CpuCommon *cpu, const TranslationBlock *tb,
                    const IrBlock *blk, WasmBuf *module)
{
    WasmModuleBuilder *b = wasm_module_new(cpu, false, NULL);
    if (!b)
        return false;
    if (wasm_module_add_region(b, &tb, &blk, 1) == UINT32_MAX) {
        builder_free(b);
        return false;
    }
    return wasm_module_finish(b, module);
}
