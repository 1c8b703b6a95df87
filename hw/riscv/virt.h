/*
 * The RV64 'virt' board: memory map and devices at QEMU virt's addresses,
 * boot through OpenSBI (fw_dynamic) or bare metal, and the run loop API the
 * front doors drive.
 */
#ifndef WASMU_VIRT_H
#define WASMU_VIRT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exec/exec.h"
#include "exec/memory.h"
#include "hw/char.h"
#include "hw/clint.h"
#include "hw/goldfish_rtc.h"
#include "hw/net.h"
#include "hw/plic.h"
#include "hw/syscon.h"
#include "hw/uart_ns16550a.h"
#include "target/riscv/cpu.h"

typedef struct VirtioMmio VirtioMmio;

enum {
    VIRT_MROM_BASE = 0x1000, VIRT_MROM_SIZE = 0xf000,
    VIRT_TEST_BASE = 0x100000, VIRT_TEST_SIZE = 0x1000,
    VIRT_RTC_BASE = 0x101000, VIRT_RTC_SIZE = 0x1000,
    VIRT_CLINT_BASE = 0x2000000, VIRT_CLINT_SIZE = 0x10000,
    VIRT_PLIC_BASE = 0xc000000, VIRT_PLIC_SIZE = 0x600000,
    VIRT_UART0_BASE = 0x10000000, VIRT_UART0_SIZE = 0x100,
    VIRT_VIRTIO_BASE = 0x10001000, VIRT_VIRTIO_SIZE = 0x1000,
    VIRT_VIRTIO_COUNT = 8,
    VIRT_MAX_DRIVES = VIRT_VIRTIO_COUNT - 1,   /* one slot is the RNG's */
    VIRT_UART0_IRQ = 10, VIRT_RTC_IRQ = 11, VIRT_VIRTIO_IRQ = 1,
};
#define VIRT_DRAM_BASE 0x80000000ull

/* A disk: a raw image file as a virtio-blk device. */
typedef struct MachineDrive {
    const char *file;
    bool readonly;
    bool snapshot;             /* guest writes go to a temporary overlay */
} MachineDrive;

/* A host directory shared with the guest (virtio-9p, -virtfs). */
typedef struct MachineShare {
    const char *path;
    const char *tag;           /* mount -t 9p TAG /mnt */
    bool readonly;
} MachineShare;

typedef struct MachineOptions {
    uint64_t ram_size;
    const char *kernel, *initrd, *append;
    const char *bios;          /* path, "none", or NULL for OpenSBI */
    MachineDrive drives[VIRT_MAX_DRIVES];   /* vda, vdb, ... */
    unsigned n_drives;
    MachineShare shares[VIRT_MAX_DRIVES];   /* with the disks: at most
                                               VIRT_MAX_DRIVES in all */
    unsigned n_shares;
    bool net;                  /* a network card (virtio-net) on net_backend */
    uint8_t mac[6];
    NetBackend net_backend;
    const char *dumpdtb;       /* write the device tree here and exit */
    bool no_reboot;
    RtcBase rtc;               /* -rtc base= */
    ExecOptions exec;
    CharBackend console;
} MachineOptions;

typedef enum MachineState {
    MACHINE_RUNNING, MACHINE_IDLE, MACHINE_SHUTDOWN,
    MACHINE_DEBUG              /* stopped before a breakpoint (a debugger's) */
} MachineState;

typedef struct MachineRunResult {
    MachineState state;
    uint64_t idle_ns;          /* MACHINE_IDLE: the host may sleep this long */
    int exit_code;             /* MACHINE_SHUTDOWN */
} MachineRunResult;

struct Machine {
    RiscvCpu cpu;
    PhysMem mem;
    Clint clint;
    Plic plic;
    Uart16550 uart;
    Syscon syscon;
    GoldfishRtc rtc;
    VirtioMmio *virtio[VIRT_VIRTIO_COUNT];
    VirtioMmio *net;           /* the network card among them, or NULL */
    MachineOptions opts;
    uint64_t tohost_paddr;     /* HTIF: 0 when the kernel has no tohost */
    uint64_t fromhost_paddr;
    uint64_t clock_base_ns;    /* host time at mtime 0 */
    int64_t slice_insns;       /* instructions per run slice */
    bool shutdown;
    bool reset_pending;        /* syscon reset: reload at the next slice */
    int exit_code;
};

Machine *machine_create(const MachineOptions *o, char *err, size_t errlen);
void machine_destroy(Machine *m);
MachineRunResult machine_run_slice(Machine *m);
void machine_console_input(Machine *m, const uint8_t *buf, size_t len);
/* An Ethernet frame from the network backend for the guest's card. */
void machine_net_input(Machine *m, const uint8_t *frame, size_t len);
void machine_print_stats(Machine *m, FILE *out);
PhysMem *machine_phys(Machine *m);
/* The hart (for a debugger). */
CpuCommon *machine_cpu(Machine *m);
uint64_t machine_read_mtime(Machine *m);
/* Shutdown requested by a device (syscon) or HTIF. */
void machine_request_shutdown(Machine *m, int exit_code);
void machine_request_reset(Machine *m);

#endif
