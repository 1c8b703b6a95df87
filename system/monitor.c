/*
 * A few of QEMU's monitor commands, typed at "(qemu) " after Ctrl-A c.
 * Registers come from the target (target_dump_state), memory from guest
 * RAM by physical address (xp) or through the CPU's current mapping (x).
 */
#include "system/monitor.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"

/* printf to the terminal, which is raw: "\n" goes out as "\r\n". */
static void say(Monitor *mon, const char *fmt, ...)
{
    char text[8192], out[16384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    size_t n = 0;
    for (const char *p = text; *p && n + 2 < sizeof(out); p++) {
        if (*p == '\n')
            out[n++] = '\r';
        out[n++] = *p;
    }
    mon->write(mon->opaque, (const uint8_t *)out, n);
}

static void info_registers(Monitor *mon)
{
    char text[4096];
    target_dump_state(machine_cpu(mon->machine), text, sizeof(text));
    say(mon, "%s", text);
}

static void info_jit(Monitor *mon)
{
    char text[1024] = "";
    FILE *f = fmemopen(text, sizeof(text) - 1, "w");
    if (!f) {
        say(mon, "out of memory\n");
        return;
    }
    machine_print_stats(mon->machine, f);
    fclose(f);
    say(mon, "%s", text);
}

/* Guest RAM at addr, physical or (virtual) as the CPU's data accesses
 * see it now; false where that is not RAM. */
static bool read_guest(Monitor *mon, uint64_t addr, bool virtual, uint8_t *buf,
                       size_t len)
{
    uint64_t paddr = addr;
    if (virtual && !target_debug_translate(machine_cpu(mon->machine), addr, &paddr))
        return false;
    return phys_copy_from(machine_phys(mon->machine), buf, paddr, len);
}

/* "xp /FMT ADDR" and "x /FMT ADDR": FMT is [count][x][b|h|w|g] (words of
 * 4 bytes unless said); guest RAM at physical (xp) or virtual (x) ADDR, in
 * hex. */
static void examine(Monitor *mon, const char *args, bool virtual)
{
    unsigned long count = 1, size = 4;
    while (*args == ' ')
        args++;
    if (*args == '/') {
        char *end;
        count = strtoul(args + 1, &end, 10);
        if (end == args + 1)
            count = 1;
        for (args = end; *args && *args != ' '; args++) {
            const char *sizes = "bhwg", *at = strchr(sizes, *args);
            if (at)
                size = 1ul << (at - sizes);
            else if (*args != 'x') {
                say(mon, "%s: only the x format is known\n", virtual ? "x" : "xp");
                return;
            }
        }
    }
    char *end;
    uint64_t addr = strtoull(args, &end, 0);
    if (end == args || count == 0 || count > 1024) {
        say(mon, "usage: %s /[COUNT][x][b|h|w|g] ADDRESS (COUNT up to 1024)\n",
            virtual ? "x" : "xp");
        return;
    }
    for (unsigned long i = 0; i < count; i++) {
        uint8_t bytes[8];
        uint64_t at = addr + i * size, value = 0;
        if (!read_guest(mon, at, virtual, bytes, size)) {
            say(mon, "%sCannot access memory at 0x%" PRIx64 " (%s)\n", i ? "\n" : "", at,
                virtual ? "not mapped to RAM" : "not RAM");
            return;
        }
        for (unsigned long b = 0; b < size; b++)
            value |= (uint64_t)bytes[b] << (8 * b);
        if (i % (16 / size) == 0)
            say(mon, "%s%016" PRIx64 ":", i ? "\n" : "", at);
        say(mon, " 0x%0*" PRIx64, (int)(2 * size), value);
    }
    say(mon, "\n");
}

/* "gdbserver [tcp:[HOST]:PORT]": the GDB stub, as -gdb would have started
 * it (QEMU's default device: tcp::1234). */
static void start_gdbserver(Monitor *mon, const char *device)
{
    char why[256] = "";
    if (!*device)
        device = "tcp::1234";
    if (!mon->gdbserver)
        snprintf(why, sizeof(why), "no debugger in this front door");
    else if (strncmp(device, "tcp:", 4) || !strchr(device + 4, ':'))
        snprintf(why, sizeof(why), "expected tcp:[HOST]:PORT, e.g. tcp::1234");
    if (*why || mon->gdbserver(mon->gdbserver_opaque, device + 4, why, sizeof(why)))
        say(mon, "gdbserver: %s\n", why);
    else
        say(mon, "Waiting for gdb connection on device '%s'\n", device);
}

static void help(Monitor *mon)
{
    say(mon, "cont|c                 resume the guest\n"
             "gdbserver [tcp::PORT]  wait for GDB there (default tcp::1234)\n"
             "help|?                 this list\n"
             "info jit               the -d jit-stats counters\n"
             "info registers         the CPU's registers\n"
             "info status            running or paused\n"
             "quit|q                 end the emulator\n"
             "stop                   pause the guest\n"
             "system_reset           reset the machine\n"
             "x /FMT ADDR            virtual memory, as the CPU sees it now\n"
             "xp /FMT ADDR           physical memory (FMT: [count][x][b|h|w|g])\n");
}

static void run_line(Monitor *mon, char *line)
{
    char *cmd = strtok(line, " "), *arg = strtok(NULL, "");
    const char *rest = arg ? arg : "";
    if (!cmd)
        return;
    if (!strcmp(cmd, "help") || !strcmp(cmd, "?"))
        help(mon);
    else if (!strcmp(cmd, "info") && !strcmp(rest, "registers"))
        info_registers(mon);
    else if (!strcmp(cmd, "info") && !strcmp(rest, "status"))
        say(mon, "VM status: %s\n", mon->paused ? "paused" : "running");
    else if (!strcmp(cmd, "info") && !strcmp(rest, "jit"))
        info_jit(mon);
    else if (!strcmp(cmd, "xp") || !strcmp(cmd, "x"))
        examine(mon, rest, !strcmp(cmd, "x"));
    else if (!strcmp(cmd, "stop"))
        mon->paused = true;
    else if (!strcmp(cmd, "cont") || !strcmp(cmd, "c"))
        mon->paused = false;
    else if (!strcmp(cmd, "gdbserver"))
        start_gdbserver(mon, rest);
    else if (!strcmp(cmd, "system_reset"))
        machine_request_reset(mon->machine);
    else if (!strcmp(cmd, "quit") || !strcmp(cmd, "q"))
        mon->quit = "the monitor's quit";
    else
        say(mon, "unknown command: '%s%s%s' (help lists them)\n", cmd, arg ? " " : "", rest);
}

void monitor_init(Monitor *mon, Machine *m, MonitorWriteFn write, void *opaque)
{
    memset(mon, 0, sizeof(*mon));
    mon->machine = m;
    mon->write = write;
    mon->opaque = opaque;
}

/* A byte typed at the prompt: echoed, edited, a line run at its end. */
static void prompt_input(Monitor *mon, uint8_t ch)
{
    if (ch == '\r' || ch == '\n') {
        say(mon, "\n");
        mon->line[mon->len] = '\0';
        mon->len = 0;
        run_line(mon, mon->line);
        if (!mon->quit)
            say(mon, "(qemu) ");
    } else if ((ch == 0x7f || ch == 0x08) && mon->len > 0) {
        mon->len--;
        say(mon, "\b \b");
    } else if (ch >= 0x20 && ch < 0x7f && mon->len + 1 < sizeof(mon->line)) {
        mon->line[mon->len++] = (char)ch;
        mon->write(mon->opaque, &ch, 1);
    }
}

/* The byte after Ctrl-A; whether it is a byte typed (Ctrl-A Ctrl-A). */
static bool escape_input(Monitor *mon, uint8_t ch)
{
    switch (ch | 0x20) {   /* (either case) */
    case 'x':
        mon->quit = "Ctrl-A x";
        return false;
    case 'h':
        say(mon, "\nC-a h    print this help\n"
                 "C-a x    exit emulator\n"
                 "C-a c    switch between console and monitor\n"
                 "C-a C-a  sends C-a\n");
        return false;
    case 'c':
        mon->on = !mon->on;
        mon->len = 0;
        if (mon->on)
            say(mon, "\nwasmu monitor - type 'help' for more information\n(qemu) ");
        return false;
    default:
        return ch == 1;
    }
}

size_t monitor_terminal_input(Monitor *mon, uint8_t *buf, size_t len)
{
    size_t guest = 0;
    for (size_t i = 0; i < len && !mon->quit; i++) {
        uint8_t ch = buf[i];
        if (mon->escape) {
            mon->escape = false;
            if (!escape_input(mon, ch))
                continue;
        } else if (ch == 1) {
            mon->escape = true;
            continue;
        }
        if (mon->on)
            prompt_input(mon, ch);
        else
            buf[guest++] = ch;
    }
    return guest;
}
