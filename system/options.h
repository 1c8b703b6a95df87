/*
 * Command-line options, QEMU style, shared by every front door (native CLI,
 * Node, browser Module['arguments']).
 */
#ifndef WASMU_OPTIONS_H
#define WASMU_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/exec.h"
#include "hw/goldfish_rtc.h"

/* A -drive: a raw image the guest sees as a virtio-blk disk if it is
 * attached, by if=virtio or by a -device virtio-blk-device,drive=ID of an
 * if=none drive; the guest's vda, vdb, ... follow the order of the options
 * that attached them. */
enum { CLI_MAX_DRIVES = 7 };
typedef struct CliDrive {
    const char *file;
    bool readonly;
    bool snapshot;              /* snapshot=on or -snapshot: writes stay in a
                                   temporary overlay, the file is unchanged */
    const char *id;
    bool if_none;
    bool if_given;              /* if= was said; without it (QEMU's riscv
                                   docs' form) a -device may claim the drive */
    int attach_order;           /* -1: not attached */
} CliDrive;

/* A shared directory: -virtfs, or -fsdev with -device virtio-9p-device. */
typedef struct CliShare {
    const char *path;
    const char *tag;            /* mount_tag= */
    bool readonly;
    const char *fsdev_id;       /* -fsdev id= (NULL for -virtfs) */
} CliShare;

typedef struct CliOptions {
    uint64_t ram_size;          /* -m, bytes */
    const char *kernel;         /* -kernel */
    const char *initrd;         /* -initrd */
    const char *append;         /* -append */
    const char *bios;           /* -bios path | "none" | NULL (default) */
    CliDrive drives[CLI_MAX_DRIVES];   /* every -drive, in order */
    unsigned n_drives;
    CliShare shares[CLI_MAX_DRIVES];   /* every -virtfs and -fsdev */
    unsigned n_shares;
    struct {                    /* -netdev socket,id=,listen=|connect= */
        const char *id, *listen, *connect;
    } netdev;
    bool nic;                   /* -device virtio-net-device,netdev=ID */
    uint8_t mac[6];             /* its mac= (default QEMU's 52:54:00:12:34:56) */
    const char *gdb;            /* -gdb tcp:[HOST]:PORT, -s: its [HOST]:PORT */
    bool gdb_wait;              /* -S: the CPU waits for the debugger */
    const char *dumpdtb;        /* -machine virt,dumpdtb=FILE */
    const char *log_file;       /* -D */
    bool nographic;
    bool no_reboot;             /* -no-reboot: guest reboot ends emulation */
    RtcBase rtc;                /* -rtc base= */
    bool show_help, show_version;
    ExecOptions exec;           /* -accel tcg,..., -d ... */
    struct {                    /* what the parse settles once at the end */
        const char *device_drive[CLI_MAX_DRIVES];   /* -device ...,drive=ID */
        int device_order[CLI_MAX_DRIVES];
        unsigned n_devices;
        int next_order;              /* of the options that attach disks */
        bool snapshot;               /* -snapshot */
        const char *rng_object;      /* -object rng-random,id= */
        const char *rng_backend;     /* -device virtio-rng-device,rng= */
        const char *device_fsdev[CLI_MAX_DRIVES];   /* -device virtio-9p-device */
        const char *device_tag[CLI_MAX_DRIVES];
        unsigned n_9p_devices;
        const char *nic_netdev;      /* -device virtio-net-device,netdev= */
        const char *chardev_stdio;   /* -chardev stdio,id= */
    } parse;
} CliOptions;

/* Parse argv (argv[0] is the program name).  Returns 0, or -1 with a
 * one-line message in err. */
int cli_parse(CliOptions *o, int argc, char **argv, char *err, size_t errlen);
void cli_print_help(const char *prog);
/* The machine the options describe (its console is the front door's). */
typedef struct MachineOptions MachineOptions;
void cli_machine_options(const CliOptions *o, MachineOptions *mo);
/* The -version line, the same for every front door. */
void cli_print_version(const char *prog);

#endif
