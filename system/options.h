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

typedef struct CliOptions {
    uint64_t ram_size;          /* -m, bytes */
    const char *kernel;         /* -kernel */
    const char *initrd;         /* -initrd */
    const char *append;         /* -append */
    const char *bios;           /* -bios path | "none" | NULL (default) */
    const char *drive_file;     /* the disk attached as virtio-blk (NULL: none):
                                   -drive if=virtio,file=..., or if=none,id=ID
                                   and -device virtio-blk-device,drive=ID */
    bool drive_readonly;
    bool drive_snapshot;        /* -snapshot, snapshot=on: writes stay in a
                                   temporary overlay, the file is unchanged */
    const char *dumpdtb;        /* -machine virt,dumpdtb=FILE */
    const char *log_file;       /* -D */
    bool nographic;
    bool no_reboot;             /* -no-reboot: guest reboot ends emulation */
    bool show_help, show_version;
    ExecOptions exec;           /* -accel tcg,..., -d ... */
    struct {                    /* what the parse checks once at the end */
        const char *drive_id;        /* -drive id= */
        bool drive_if_none;          /* -drive if=none: only -device attaches it */
        const char *device_drive;    /* -device virtio-blk-device,drive= */
        bool snapshot;               /* -snapshot */
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
