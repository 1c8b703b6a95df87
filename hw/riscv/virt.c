/*
 * The RV64 'virt' board: memory map, device tree, boot (OpenSBI fw_dynamic
 * or bare metal with HTIF), reset, and the run-slice loop.
 */
#include "hw/riscv/virt.h"
#include "system/error.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exec/softmmu.h"
#include "exec/tb.h"
#include "host/clock.h"
#include "host/ram.h"
#include "hw/fdt.h"
#include "hw/loader.h"
#if __has_include("hw/virtio_mmio.h")
#include "hw/virtio_mmio.h"
#define HAVE_VIRTIO 1
#endif

#define DEFAULT_BIOS "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
#define MiB (1ull << 20)
#define FW_DYNAMIC_MAGIC 0x4942534full
#define TIMEBASE_HZ 10000000ull
#define SLICE_INSNS 200000


PhysMem *machine_phys(Machine *m) { return &m->mem; }

CpuCommon *machine_cpu(Machine *m)
{
    return &m->cpu.common;
}

uint64_t machine_read_mtime(Machine *m)
{
    return (host_clock_ns() - m->clock_base_ns) / (1000000000ull / TIMEBASE_HZ);
}

void machine_request_shutdown(Machine *m, int exit_code)
{
    m->shutdown = true;
    m->exit_code = exit_code;
    cpu_exit_request(&m->cpu.common);
}

/* ---- device tree --------------------------------------------------------- */

enum { PHANDLE_CPU_INTC = 1, PHANDLE_PLIC = 2, PHANDLE_TEST = 3 };

static void fdt_reg(Fdt *f, uint64_t base, uint64_t size)
{
    uint32_t cells[4] = { (uint32_t)(base >> 32), (uint32_t)base,
                          (uint32_t)(size >> 32), (uint32_t)size };
    fdt_prop_cells(f, "reg", cells, 4);
}

static void fdt_node_name(char *buf, size_t len, const char *name,
                          uint64_t addr)
{
    snprintf(buf, len, "%s@%" PRIx64, name, addr);
}

static void build_cpus(Fdt *f)
{
    fdt_begin_node(f, "cpus");
    fdt_prop_u32(f, "#address-cells", 1);
    fdt_prop_u32(f, "#size-cells", 0);
    fdt_prop_u32(f, "timebase-frequency", (uint32_t)TIMEBASE_HZ);
    fdt_begin_node(f, "cpu@0");
    fdt_prop_string(f, "device_type", "cpu");
    fdt_prop_u32(f, "reg", 0);
    fdt_prop_string(f, "status", "okay");
    fdt_prop_string(f, "compatible", "riscv");
    fdt_prop_string(f, "riscv,isa", "rv64imafdc_zicsr_zifencei");
    fdt_prop_string(f, "mmu-type", "riscv,sv48");
    fdt_begin_node(f, "interrupt-controller");
    fdt_prop_u32(f, "#interrupt-cells", 1);
    fdt_prop_empty(f, "interrupt-controller");
    fdt_prop_string(f, "compatible", "riscv,cpu-intc");
    fdt_prop_u32(f, "phandle", PHANDLE_CPU_INTC);
    fdt_end_node(f);
    fdt_end_node(f);
    fdt_end_node(f);
}

static void build_soc(Fdt *f, Machine *m)
{
    char name[64];
    fdt_begin_node(f, "soc");
    fdt_prop_u32(f, "#address-cells", 2);
    fdt_prop_u32(f, "#size-cells", 2);
    fdt_prop_string(f, "compatible", "simple-bus");
    fdt_prop_empty(f, "ranges");

    fdt_node_name(name, sizeof(name), "clint", VIRT_CLINT_BASE);
    fdt_begin_node(f, name);
    static const char *const clint_compat[] = { "sifive,clint0", "riscv,clint0" };
    fdt_prop_strings(f, "compatible", clint_compat, 2);
    fdt_reg(f, VIRT_CLINT_BASE, VIRT_CLINT_SIZE);
    uint32_t clint_irqs[4] = { PHANDLE_CPU_INTC, IRQ_M_SOFT, PHANDLE_CPU_INTC,
                               IRQ_M_TIMER };
    fdt_prop_cells(f, "interrupts-extended", clint_irqs, 4);
    fdt_end_node(f);

    fdt_node_name(name, sizeof(name), "plic", VIRT_PLIC_BASE);
    fdt_begin_node(f, name);
    static const char *const plic_compat[] = { "sifive,plic-1.0.0", "riscv,plic0" };
    fdt_prop_strings(f, "compatible", plic_compat, 2);
    fdt_reg(f, VIRT_PLIC_BASE, VIRT_PLIC_SIZE);
    fdt_prop_u32(f, "#address-cells", 0);
    fdt_prop_u32(f, "#interrupt-cells", 1);
    fdt_prop_empty(f, "interrupt-controller");
    uint32_t plic_irqs[4] = { PHANDLE_CPU_INTC, IRQ_M_EXT, PHANDLE_CPU_INTC,
                              IRQ_S_EXT };
    fdt_prop_cells(f, "interrupts-extended", plic_irqs, 4);
    fdt_prop_u32(f, "riscv,ndev", PLIC_SOURCES - 1);
    fdt_prop_u32(f, "phandle", PHANDLE_PLIC);
    fdt_end_node(f);

    fdt_node_name(name, sizeof(name), "serial", VIRT_UART0_BASE);
    fdt_begin_node(f, name);
    fdt_prop_string(f, "compatible", "ns16550a");
    fdt_reg(f, VIRT_UART0_BASE, VIRT_UART0_SIZE);
    fdt_prop_u32(f, "clock-frequency", 3686400);
    fdt_prop_u32(f, "interrupt-parent", PHANDLE_PLIC);
    fdt_prop_u32(f, "interrupts", VIRT_UART0_IRQ);
    fdt_end_node(f);

    fdt_node_name(name, sizeof(name), "rtc", VIRT_RTC_BASE);
    fdt_begin_node(f, name);
    fdt_prop_string(f, "compatible", "google,goldfish-rtc");
    fdt_reg(f, VIRT_RTC_BASE, VIRT_RTC_SIZE);
    fdt_prop_u32(f, "interrupt-parent", PHANDLE_PLIC);
    fdt_prop_u32(f, "interrupts", VIRT_RTC_IRQ);
    fdt_end_node(f);

    fdt_node_name(name, sizeof(name), "test", VIRT_TEST_BASE);
    fdt_begin_node(f, name);
    static const char *const test_compat[] = { "sifive,test1", "sifive,test0",
                                               "syscon" };
    fdt_prop_strings(f, "compatible", test_compat, 3);
    fdt_reg(f, VIRT_TEST_BASE, VIRT_TEST_SIZE);
    fdt_prop_u32(f, "phandle", PHANDLE_TEST);
    fdt_end_node(f);

    for (unsigned i = 0; i < VIRT_VIRTIO_COUNT; i++) {
        if (!m->virtio[i])
            continue;
        uint64_t base = VIRT_VIRTIO_BASE + i * VIRT_VIRTIO_SIZE;
        fdt_node_name(name, sizeof(name), "virtio_mmio", base);
        fdt_begin_node(f, name);
        fdt_prop_string(f, "compatible", "virtio,mmio");
        fdt_reg(f, base, VIRT_VIRTIO_SIZE);
        fdt_prop_u32(f, "interrupt-parent", PHANDLE_PLIC);
        fdt_prop_u32(f, "interrupts", VIRT_VIRTIO_IRQ + i);
        fdt_end_node(f);
    }
    fdt_end_node(f);
}

static void build_power_nodes(Fdt *f)
{
    fdt_begin_node(f, "poweroff");
    fdt_prop_string(f, "compatible", "syscon-poweroff");
    fdt_prop_u32(f, "regmap", PHANDLE_TEST);
    fdt_prop_u32(f, "offset", 0);
    fdt_prop_u32(f, "value", 0x5555);
    fdt_end_node(f);
    fdt_begin_node(f, "reboot");
    fdt_prop_string(f, "compatible", "syscon-reboot");
    fdt_prop_u32(f, "regmap", PHANDLE_TEST);
    fdt_prop_u32(f, "offset", 0);
    fdt_prop_u32(f, "value", 0x7777);
    fdt_end_node(f);
}

static size_t build_fdt(Machine *m, uint64_t initrd_start, uint64_t initrd_end,
                        uint8_t *out, size_t cap)
{
    Fdt *f = malloc(sizeof(*f));
    if (!f)
        return 0;
    fdt_init(f);
    fdt_begin_node(f, "");
    fdt_prop_u32(f, "#address-cells", 2);
    fdt_prop_u32(f, "#size-cells", 2);
    fdt_prop_string(f, "compatible", "riscv-virtio");
    fdt_prop_string(f, "model", "riscv-virtio,qemu");

    fdt_begin_node(f, "chosen");
    if (m->opts.append)
        fdt_prop_string(f, "bootargs", m->opts.append);
    fdt_prop_string(f, "stdout-path", "/soc/serial@10000000");
    if (initrd_end > initrd_start) {
        fdt_prop_u64(f, "linux,initrd-start", initrd_start);
        fdt_prop_u64(f, "linux,initrd-end", initrd_end);
    }
    fdt_end_node(f);

    char name[64];
    fdt_node_name(name, sizeof(name), "memory", VIRT_DRAM_BASE);
    fdt_begin_node(f, name);
    fdt_prop_string(f, "device_type", "memory");
    fdt_reg(f, VIRT_DRAM_BASE, m->mem.ram_size);
    fdt_end_node(f);

    build_cpus(f);
    build_soc(f, m);
    build_power_nodes(f);
    fdt_end_node(f);
    size_t size = fdt_finish(f, out, cap);
    free(f);
    return size;
}

/* ---- boot ---------------------------------------------------------------- */

static bool load_kernel(Machine *m, uint64_t addr, LoadedImage *img,
                        char *err, size_t errlen)
{
    size_t size;
    uint8_t *data = load_file(m->opts.kernel, m->mem.ram_size, &size, err,
                              errlen);
    if (!data)
        return false;
    bool ok = is_elf(data, size)
        ? load_elf(&m->mem, data, size, img, err, errlen)
        : load_raw(&m->mem, data, size, addr, true, img, err, errlen);
    free(data);
    if (!ok) {
        char detail[256];
        snprintf(detail, sizeof(detail), "%s", err);
        fail(err, errlen, "kernel '%s': %s", m->opts.kernel, detail);
    }
    return ok;
}

static bool load_firmware(Machine *m, LoadedImage *fw, char *err, size_t errlen)
{
    const char *path = m->opts.bios ? m->opts.bios : DEFAULT_BIOS;
    size_t size;
    uint8_t *data = load_file(path, m->mem.ram_size / 2, &size, err, errlen);
    if (!data) {
        char detail[256];
        snprintf(detail, sizeof(detail), "%s", err);
        return fail(err, errlen, "firmware: %s%s", detail,
                    m->opts.bios ? "" : " (install Debian's opensbi, or use "
                                        "-bios none)");
    }
    if (size == 0) {   /* the hart would run zeros: trap after trap */
        free(data);
        return fail(err, errlen, "firmware '%s' is empty", path);
    }
    bool ok = is_elf(data, size)
        ? load_elf(&m->mem, data, size, fw, err, errlen)
        : load_raw(&m->mem, data, size, VIRT_DRAM_BASE, false, fw, err, errlen);
    free(data);
    return ok;
}

static bool load_initrd(Machine *m, uint64_t below, uint64_t above,
                        uint64_t *start, uint64_t *end, char *err,
                        size_t errlen)
{
    size_t size;
    uint8_t *data = load_file(m->opts.initrd, m->mem.ram_size, &size, err,
                              errlen);
    if (!data) {
        char detail[256];
        snprintf(detail, sizeof(detail), "%s", err);
        return fail(err, errlen, "initrd: %s%s", detail,
                    strstr(detail, "too large") ? " (does not fit in RAM; use "
                                                  "a larger -m)" : "");
    }
    uint64_t addr = (below - size) & GUEST_PAGE_MASK;
    bool fits = size < below - above && addr >= above;
    if (fits)
        memcpy(phys_ram_ptr_for_write(&m->mem, addr, size), data, size);
    free(data);
    if (!fits)
        return fail(err, errlen, "initrd '%s' (%zu bytes) does not fit in RAM "
                    "(%llu MiB) next to the kernel; use a larger -m",
                    m->opts.initrd, size,
                    (unsigned long long)(m->mem.ram_size / MiB));
    *start = addr;
    *end = addr + size;
    return true;
}

/* The fw_dynamic handover block OpenSBI reads (a2 at entry), in the ROM. */
static bool install_fw_dynamic_info(Machine *m, uint64_t next_addr)
{
    uint64_t info[6] = { FW_DYNAMIC_MAGIC, 2, next_addr, PRV_S, 0, 0 };
    return phys_add_rom(&m->mem, VIRT_MROM_BASE, info, sizeof(info));
}

static bool write_dumpdtb(Machine *m, const uint8_t *blob, size_t size,
                          char *err, size_t errlen)
{
    FILE *f = fopen(m->opts.dumpdtb, "wb");
    if (!f || fwrite(blob, 1, size, f) != size) {
        if (f)
            fclose(f);
        return fail(err, errlen, "cannot write '%s'", m->opts.dumpdtb);
    }
    fclose(f);
    return true;
}

/* Load everything into RAM and set the hart's entry state. */
static bool boot(Machine *m, char *err, size_t errlen)
{
    uint64_t ram_end = VIRT_DRAM_BASE + m->mem.ram_size;
    bool bare_metal = m->opts.bios && !strcmp(m->opts.bios, "none");
    LoadedImage fw = { 0 }, kernel = { 0 };
    uint64_t kernel_addr = VIRT_DRAM_BASE;

    if (!bare_metal) {
        if (!load_firmware(m, &fw, err, errlen))
            return false;
        kernel_addr = (fw.end + 2 * MiB - 1) & ~(2 * MiB - 1);
    }
    if (m->opts.kernel && !load_kernel(m, kernel_addr, &kernel, err, errlen))
        return false;
    m->tohost_paddr = kernel.tohost;
    m->fromhost_paddr = kernel.fromhost;

    uint8_t *blob = malloc(64 * 1024);
    if (!blob)
        return fail(err, errlen, "out of memory");
    uint64_t fdt_addr = (ram_end - 64 * 1024) & ~(2 * MiB - 1);
    uint64_t initrd_start = 0, initrd_end = 0;
    uint64_t used_end = kernel.end > fw.end ? kernel.end : fw.end;
    if (m->opts.initrd &&
        !load_initrd(m, fdt_addr, used_end, &initrd_start, &initrd_end, err,
                     errlen)) {
        free(blob);
        return false;
    }
    size_t fdt_size = build_fdt(m, initrd_start, initrd_end, blob, 64 * 1024);
    if (!fdt_size) {   /* only the command line's length is unbounded */
        free(blob);
        return fail(err, errlen, "the device tree does not fit in its 64 KiB: "
                    "-append is %zu bytes (Linux reads at most 1024)",
                    m->opts.append ? strlen(m->opts.append) : (size_t)0);
    }
    bool ok = fdt_addr >= used_end;
    if (ok)
        memcpy(phys_ram_ptr_for_write(&m->mem, fdt_addr, fdt_size), blob,
               fdt_size);
    if (ok && m->opts.dumpdtb)
        ok = write_dumpdtb(m, blob, fdt_size, err, errlen);
    free(blob);
    if (!ok)
        return *err ? false : fail(err, errlen, "RAM too small for the device tree");

    uint64_t entry = bare_metal ? kernel.entry : fw.entry;
    if (!bare_metal && !m->mem.rom && !install_fw_dynamic_info(m, kernel.entry
                                                                  ? kernel.entry
                                                                  : kernel_addr))
        return fail(err, errlen, "cannot map the boot ROM");
    riscv_cpu_reset(&m->cpu, entry);
    m->cpu.common.slots[10] = m->cpu.mhartid;        /* a0 */
    m->cpu.common.slots[11] = fdt_addr;              /* a1 */
    m->cpu.common.slots[12] = VIRT_MROM_BASE;        /* a2: fw_dynamic info */
    return true;
}

/* ---- devices ------------------------------------------------------------- */

#ifdef HAVE_VIRTIO
/* virtio slot 1: an entropy source; the disks in slots 0, 2, 3, ... (the
 * guest's vda, vdb, ...: it probes the device tree's nodes in order), then
 * the shared directories. */
static unsigned drive_slot(unsigned drive) { return drive == 0 ? 0 : drive + 1; }

static bool virt_create_virtio(Machine *m, char *err, size_t errlen)
{
    if (m->opts.n_drives + m->opts.n_shares + m->opts.net > VIRT_MAX_DRIVES)
        return fail(err, errlen, "at most %d disks, shared directories and "
                    "network cards in all", VIRT_MAX_DRIVES);
    static const char *const names[VIRT_VIRTIO_COUNT] = {
        "virtio0", "virtio1", "virtio2", "virtio3", "virtio4", "virtio5",
        "virtio6", "virtio7" };
    for (unsigned i = 0; i < m->opts.n_drives; i++) {
        const MachineDrive *d = &m->opts.drives[i];
        unsigned slot = drive_slot(i);
        m->virtio[slot] = virtio_blk_create(&m->mem, plic_irq_line(&m->plic,
                                            VIRT_VIRTIO_IRQ + slot), d->file,
                                            d->readonly, d->snapshot, err, errlen);
        if (!m->virtio[slot])
            return false;
    }
    for (unsigned i = 0; i < m->opts.n_shares; i++) {
        const MachineShare *sh = &m->opts.shares[i];
        unsigned slot = drive_slot(m->opts.n_drives + i);
        m->virtio[slot] = virtio_9p_create(&m->mem, plic_irq_line(&m->plic,
                                           VIRT_VIRTIO_IRQ + slot), sh->path,
                                           sh->tag, sh->readonly, err, errlen);
        if (!m->virtio[slot])
            return false;
    }
    if (m->opts.net) {
        unsigned slot = drive_slot(m->opts.n_drives + m->opts.n_shares);
        m->virtio[slot] = m->net = virtio_net_create(&m->mem,
            plic_irq_line(&m->plic, VIRT_VIRTIO_IRQ + slot), m->opts.mac,
            &m->opts.net_backend);
        if (!m->net)
            return fail(err, errlen, "out of memory");
    }
    m->virtio[1] = virtio_rng_create(&m->mem, plic_irq_line(&m->plic,
                                     VIRT_VIRTIO_IRQ + 1));
    /* every slot is there, as on QEMU's virt: an empty one answers with
     * device ID 0 instead of faulting */
    for (unsigned i = 0; i < VIRT_VIRTIO_COUNT; i++) {
        MmioRegion r = { names[i], VIRT_VIRTIO_BASE + i * VIRT_VIRTIO_SIZE,
                         VIRT_VIRTIO_SIZE, m->virtio[i],
                         m->virtio[i] ? virtio_mmio_read : virtio_mmio_read_empty,
                         m->virtio[i] ? virtio_mmio_write : NULL };
        if (!phys_add_mmio(&m->mem, &r))
            return fail(err, errlen, "cannot map virtio devices");
    }
    return true;
}
#endif

static bool add_region(Machine *m, const char *name, uint64_t base,
                       uint64_t size, void *opaque, MmioReadFn rd,
                       MmioWriteFn wr)
{
    MmioRegion r = { name, base, size, opaque, rd, wr };
    return phys_add_mmio(&m->mem, &r);
}

static bool create_devices(Machine *m, char *err, size_t errlen)
{
    clint_init(&m->clint, &m->cpu, m);
    plic_init(&m->plic, &m->cpu);
    uart_init(&m->uart, m->opts.console, plic_irq_line(&m->plic, VIRT_UART0_IRQ));
    m->syscon.machine = m;
    goldfish_rtc_init(&m->rtc, plic_irq_line(&m->plic, VIRT_RTC_IRQ), m->opts.rtc);
    bool ok = add_region(m, "clint", VIRT_CLINT_BASE, VIRT_CLINT_SIZE,
                         &m->clint, clint_read, clint_write) &&
              add_region(m, "plic", VIRT_PLIC_BASE, VIRT_PLIC_SIZE, &m->plic,
                         plic_read, plic_write) &&
              add_region(m, "uart0", VIRT_UART0_BASE, VIRT_UART0_SIZE,
                         &m->uart, uart_read, uart_write) &&
              add_region(m, "test", VIRT_TEST_BASE, VIRT_TEST_SIZE,
                         &m->syscon, syscon_read, syscon_write) &&
              add_region(m, "rtc", VIRT_RTC_BASE, VIRT_RTC_SIZE,
                         &m->rtc, goldfish_rtc_read, goldfish_rtc_write);
    if (!ok)
        return fail(err, errlen, "cannot map devices");
#ifdef HAVE_VIRTIO
    if (!virt_create_virtio(m, err, errlen))
        return false;
#else
    if (m->opts.n_drives || m->opts.n_shares || m->opts.net)
        return fail(err, errlen, "-drive, -virtfs, -netdev: this build has no "
                    "virtio support");
#endif
    return true;
}

/* An allocation failed; where memory has a fixed bound (the Wasm build),
 * the message gives it, as that is the usual reason. */
static void fail_alloc(char *err, size_t errlen, const char *what)
{
    unsigned long long limit_mib = host_memory_limit() / MiB;
    if (limit_mib)
        fail(err, errlen, "cannot allocate %s (this build holds %llu MiB in "
             "all, guest RAM and the emulator's own)", what, limit_mib);
    else
        fail(err, errlen, "cannot allocate %s", what);
}

Machine *machine_create(const MachineOptions *o, char *err, size_t errlen)
{
    err[0] = '\0';
    if (o->ram_size < 16 * MiB || o->ram_size > 16384 * MiB ||
        (o->ram_size & (GUEST_PAGE_SIZE - 1))) {
        fail(err, errlen, "-m: RAM size must be between 16 MiB and 16 GiB");
        return NULL;
    }
    if (!o->kernel && o->bios && !strcmp(o->bios, "none")) {
        fail(err, errlen, "-bios none needs -kernel");
        return NULL;
    }
    Machine *m = calloc(1, sizeof(*m));
    if (!m || phys_init(&m->mem, VIRT_DRAM_BASE, o->ram_size) < 0) {
        char what[64];
        snprintf(what, sizeof(what), "%llu MiB of guest RAM",
                 (unsigned long long)(o->ram_size / MiB));
        fail_alloc(err, errlen, what);
        free(m);
        return NULL;
    }
    m->opts = *o;
    m->slice_insns = SLICE_INSNS;
    m->clock_base_ns = host_clock_ns();
    riscv_cpu_init(&m->cpu, m, 0);
    if (cpu_exec_init(&m->cpu.common, &o->exec, &m->mem) < 0) {
        fail_alloc(err, errlen, "the translation cache");
        machine_destroy(m);
        return NULL;
    }
    if (!create_devices(m, err, errlen) || !boot(m, err, errlen)) {
        machine_destroy(m);
        return NULL;
    }
    if (o->dumpdtb)
        m->shutdown = true;
    return m;
}

void machine_destroy(Machine *m)
{
    if (!m)
        return;
#ifdef HAVE_VIRTIO
    for (unsigned i = 0; i < VIRT_VIRTIO_COUNT; i++)
        if (m->virtio[i])
            virtio_mmio_destroy(m->virtio[i]);
#endif
    cpu_exec_free(&m->cpu.common);
    phys_free(&m->mem);
    free(m);
}

void machine_request_reset(Machine *m)
{
    if (m->opts.no_reboot) {
        machine_request_shutdown(m, 0);
        return;
    }
    /* Reload images into RAM on the next slice (not inside an MMIO write). */
    m->reset_pending = true;
    cpu_exit_request(&m->cpu.common);
}

static void do_reset(Machine *m)
{
    char err[256] = "";
    m->reset_pending = false;
    phys_clear_ram(&m->mem);
    tb_flush_all(&m->cpu.common);
    clint_init(&m->clint, &m->cpu, m);
    plic_init(&m->plic, &m->cpu);
    goldfish_rtc_reset(&m->rtc);
#ifdef HAVE_VIRTIO
    for (unsigned i = 0; i < VIRT_VIRTIO_COUNT; i++)
        if (m->virtio[i])
            virtio_mmio_reset(m->virtio[i]);
#endif
    if (!boot(m, err, sizeof(err))) {
        fprintf(stderr, "wasmu: reset failed: %s\n", err);
        machine_request_shutdown(m, 1);
    }
}

void machine_console_input(Machine *m, const uint8_t *buf, size_t len)
{
    uart_receive(&m->uart, buf, len);
}

void machine_net_input(Machine *m, const uint8_t *frame, size_t len)
{
#ifdef HAVE_VIRTIO
    if (m->net)
        virtio_net_receive(m->net, frame, len);
#endif
}

/* HTIF: tohost = 1 passes, (n << 1) | 1 fails with n, device 1 prints. */
static void poll_htif(Machine *m)
{
    uint64_t value;
    if (!m->tohost_paddr || !phys_read(&m->mem, m->tohost_paddr, 8, &value) ||
        !value)
        return;
    unsigned device = (unsigned)(value >> 56), cmd = (unsigned)(value >> 48) & 0xff;
    phys_write(&m->mem, m->tohost_paddr, 8, 0);
    if (device == 0 && cmd == 0 && (value & 1)) {
        machine_request_shutdown(m, (int)((value >> 1) & 0x7fffffff));
    } else if (device == 1 && cmd == 1) {
        uint8_t ch = (uint8_t)value;
        if (m->opts.console.write)
            m->opts.console.write(m->opts.console.opaque, &ch, 1);
        if (m->fromhost_paddr)
            phys_write(&m->mem, m->fromhost_paddr, 8, (1ull << 56) | (1ull << 48));
    }
}

MachineRunResult machine_run_slice(Machine *m)
{
    MachineRunResult r = { MACHINE_RUNNING, 0, 0 };
    if (m->reset_pending)
        do_reset(m);
    if (!m->shutdown) {
        clint_update_timer(&m->clint);
        /* a debugger's step: one instruction */
        CpuExecResult status = cpu_exec(&m->cpu.common,
                                        m->cpu.common.debug.stepping ? 1 : m->slice_insns);
        poll_htif(m);
        goldfish_rtc_update(&m->rtc);
        if (status == CPU_EXEC_HALTED && !m->shutdown && !m->reset_pending) {
            uint64_t ticks = clint_ticks_until_timer(&m->clint);
            uint64_t ns = ticks * (1000000000ull / TIMEBASE_HZ);
            r.state = MACHINE_IDLE;
            r.idle_ns = ns < 10000000ull ? ns : 10000000ull;
        }
        if (status == CPU_EXEC_DEBUG)
            r.state = MACHINE_DEBUG;
    }
    if (m->shutdown) {
        r.state = MACHINE_SHUTDOWN;
        r.exit_code = m->exit_code;
    }
    return r;
}

void machine_print_stats(Machine *m, FILE *out)
{
    cpu_print_stats(&m->cpu.common, out);
}
