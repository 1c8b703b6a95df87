/*
 * GDB's remote serial protocol, target side.  A packet is "$data#cs" (cs:
 * the modulo-256 sum of data, two hex digits), acknowledged by '+' (or '-'
 * to ask for it again); a lone 0x03 byte is Ctrl-C.  One thread, one CPU:
 * the machine's hart.
 *
 * The machine stops when GDB connects and whenever it reports a stop; it
 * runs between a continue or step and that report.  Breakpoints are not
 * written into guest memory: while any is set (or a step is under way) the
 * CPU runs under cpu->debug, where the execution loop checks every
 * instruction's pc (exec/cpu_exec.c), so guest code reading itself sees
 * its own bytes.  Malformed packets get an error reply, never a crash:
 * GDB's input is untrusted like the guest's.
 */
#include "system/gdbstub.h"

#include <stdio.h>
#include <string.h>

#include "exec/exec.h"
#include "exec/tb_cache.h"

enum { GDB_SIGINT = 2, GDB_SIGTRAP = 5 };

static const char hex_digits[] = "0123456789abcdef";

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A hex number (1 to 16 digits) at *p, which moves past it. */
static bool parse_hex(const char **p, uint64_t *value)
{
    unsigned digits = 0;
    *value = 0;
    for (int d; (d = hex_value(**p)) >= 0; (*p)++) {
        if (++digits > 16)
            return false;
        *value = *value << 4 | (uint64_t)d;
    }
    return digits > 0;
}

/* n bytes from 2n hex digits at hex (and nothing more, when exact). */
static bool parse_bytes(const char *hex, uint8_t *bytes, size_t n, bool exact)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_value(hex[2 * i]), lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);
        if (lo < 0)
            return false;
        bytes[i] = (uint8_t)(hi << 4 | lo);
    }
    return !exact || hex[2 * n] == '\0';
}

static char *put_bytes(char *out, const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        *out++ = hex_digits[bytes[i] >> 4];
        *out++ = hex_digits[bytes[i] & 15];
    }
    *out = '\0';
    return out;
}

/* Send "$data#cs"; data holds none of '$', '#', '}' or '*'. */
static void send_packet(GdbStub *g, const char *data)
{
    size_t len = strlen(data);
    if (len + 4 > sizeof(g->out))
        len = 0;   /* (replies are bounded well below) */
    uint8_t sum = 0;
    g->out[0] = '$';
    for (size_t i = 0; i < len; i++) {
        g->out[1 + i] = data[i];
        sum = (uint8_t)(sum + (uint8_t)data[i]);
    }
    g->out[1 + len] = '#';
    g->out[2 + len] = hex_digits[sum >> 4];
    g->out[3 + len] = hex_digits[sum & 15];
    g->write(g->opaque, (const uint8_t *)g->out, len + 4);
}

static void stop(GdbStub *g, int signal)
{
    char reply[32];
    g->running = false;
    g->cpu->debug.stepping = false;
    snprintf(reply, sizeof(reply), "T%02xthread:01;", signal);
    send_packet(g, reply);
}

/* ---- memory: virtual addresses as the CPU's data accesses see them ------ */

/* Copy len bytes at vaddr into buf (or, writing, from buf into guest RAM),
 * a page at a time; false at a page that is neither mapped RAM nor (for
 * reading) the boot ROM.  Writes go where guest stores would, so they
 * invalidate translated code like any. */
static bool access_memory(GdbStub *g, uint64_t vaddr, uint8_t *buf, size_t len,
                          bool write)
{
    PhysMem *pm = g->cpu->tbs->pm;
    while (len > 0) {
        size_t chunk = GUEST_PAGE_SIZE - (size_t)(vaddr & ~GUEST_PAGE_MASK);
        chunk = chunk < len ? chunk : len;
        uint64_t paddr;
        if (!target_debug_translate(g->cpu, vaddr, &paddr))
            return false;
        bool ok = write ? phys_copy_to(pm, paddr, buf, chunk)
                        : phys_copy_from(pm, buf, paddr, chunk);
        if (!ok && !write && paddr - pm->rom_base < pm->rom_size &&
            chunk <= pm->rom_size - (paddr - pm->rom_base)) {
            memcpy(buf, pm->rom + (paddr - pm->rom_base), chunk);
            ok = true;
        }
        if (!ok)
            return false;
        vaddr += chunk;
        buf += chunk;
        len -= chunk;
    }
    return true;
}

/* "m addr,length" and "M addr,length:bytes" */
static void memory_packet(GdbStub *g, const char *args, bool write)
{
    uint8_t bytes[GDB_PACKET_MAX / 2];
    uint64_t addr, len;
    const char *p = args;
    if (!parse_hex(&p, &addr) || *p++ != ',' || !parse_hex(&p, &len) ||
        len > sizeof(bytes) || (write && *p++ != ':') || (!write && *p)) {
        send_packet(g, "E01");
        return;
    }
    if (write && !parse_bytes(p, bytes, (size_t)len, true)) {
        send_packet(g, "E01");
        return;
    }
    if (!access_memory(g, addr, bytes, (size_t)len, write)) {
        send_packet(g, "E14");   /* EFAULT */
        return;
    }
    if (write) {
        send_packet(g, "OK");
        return;
    }
    char reply[GDB_PACKET_MAX + 1];
    put_bytes(reply, bytes, (size_t)len);
    send_packet(g, reply);
}

/* ---- registers ------------------------------------------------------------ */

static void read_registers(GdbStub *g)
{
    char reply[GDB_PACKET_MAX + 1], *out = reply;
    uint8_t value[16];
    *out = '\0';
    for (unsigned n = 0; n < target_gdb_g_count(); n++)
        out = put_bytes(out, value, target_gdb_read_reg(g->cpu, n, value));
    send_packet(g, reply);
}

static void write_registers(GdbStub *g, const char *hex)
{
    uint8_t value[16];
    for (unsigned n = 0; n < target_gdb_g_count(); n++) {
        unsigned size = target_gdb_read_reg(g->cpu, n, value);
        if (!parse_bytes(hex, value, size, false)) {
            send_packet(g, "E01");
            return;
        }
        target_gdb_write_reg(g->cpu, n, value);
        hex += 2 * size;
    }
    send_packet(g, "OK");
}

/* "p n" and "P n=value" */
static void register_packet(GdbStub *g, const char *args, bool write)
{
    uint8_t value[16];
    uint64_t n;
    const char *p = args;
    unsigned size = 0;
    if (parse_hex(&p, &n) && n < 0x10000)
        size = target_gdb_read_reg(g->cpu, (unsigned)n, value);   /* (0: none) */
    bool well_formed = write ? *p == '=' && parse_bytes(p + 1, value, size, true)
                             : *p == '\0';
    if (!size || !well_formed) {
        send_packet(g, "E01");
        return;
    }
    if (write) {
        target_gdb_write_reg(g->cpu, (unsigned)n, value);
        send_packet(g, "OK");
        return;
    }
    char reply[40];
    put_bytes(reply, value, size);
    send_packet(g, reply);
}

/* ---- running -------------------------------------------------------------- */

/* "c [addr]" and "s [addr]": run from addr (or where it stopped) until a
 * breakpoint, the step's end or Ctrl-C. */
static void resume(GdbStub *g, const char *args, bool step)
{
    CpuDebug *d = &g->cpu->debug;
    uint64_t addr;
    const char *p = args;
    if (*p && parse_hex(&p, &addr))
        g->cpu->pc = addr;
    d->stepping = step;
    cpu_debug_set_active(g->cpu, step || d->n_breakpoints > 0);
    d->skip_once = true;   /* a breakpoint where it stopped: run it first */
    d->skip_pc = g->cpu->pc;
    g->running = true;
}

/* "Z0,addr,kind" / "z0,addr,kind" (and Z1, hardware, the same here);
 * watchpoints are left to GDB (an empty reply: it single-steps). */
static void breakpoint_packet(GdbStub *g, const char *args, bool insert)
{
    CpuDebug *d = &g->cpu->debug;
    uint64_t addr;
    const char *p = args + 1;
    if ((args[0] != '0' && args[0] != '1') || *p++ != ',' || !parse_hex(&p, &addr)) {
        send_packet(g, args[0] >= '2' && args[0] <= '4' ? "" : "E01");
        return;
    }
    unsigned i = 0;
    while (i < d->n_breakpoints && d->breakpoints[i] != addr)
        i++;
    if (insert && i == d->n_breakpoints) {
        if (d->n_breakpoints == CPU_MAX_BREAKPOINTS) {
            send_packet(g, "E28");   /* ENOSPC */
            return;
        }
        d->breakpoints[d->n_breakpoints++] = addr;
    } else if (!insert && i < d->n_breakpoints) {
        d->breakpoints[i] = d->breakpoints[--d->n_breakpoints];
    }
    send_packet(g, "OK");
}

/* "qXfer:features:read:target.xml:offset,length" */
static void read_features(GdbStub *g, const char *args)
{
    static const char annex[] = "target.xml:";
    uint64_t offset, length;
    const char *p = args + strlen(annex);
    if (strncmp(args, annex, strlen(annex)) != 0 || !parse_hex(&p, &offset) ||
        *p++ != ',' || !parse_hex(&p, &length)) {
        send_packet(g, "E00");
        return;
    }
    char reply[GDB_PACKET_MAX + 2];
    size_t left = offset < g->xml_len ? g->xml_len - (size_t)offset : 0;
    size_t n = length < left ? (size_t)length : left;
    n = n < GDB_PACKET_MAX ? n : GDB_PACKET_MAX;
    reply[0] = n < left ? 'm' : 'l';
    memcpy(reply + 1, g->xml + (n ? offset : 0), n);
    reply[1 + n] = '\0';
    send_packet(g, reply);
}

static void query_packet(GdbStub *g, const char *q)
{
    static const char xfer[] = "qXfer:features:read:";
    if (strncmp(q, "qSupported", 10) == 0)
        send_packet(g, "PacketSize=1000;qXfer:features:read+");
    else if (strncmp(q, xfer, strlen(xfer)) == 0)
        read_features(g, q + strlen(xfer));
    else if (strcmp(q, "qAttached") == 0)
        send_packet(g, "1");
    else if (strcmp(q, "qC") == 0)
        send_packet(g, "QC01");
    else if (strcmp(q, "qfThreadInfo") == 0)
        send_packet(g, "m01");
    else if (strcmp(q, "qsThreadInfo") == 0)
        send_packet(g, "l");
    else
        send_packet(g, "");
}

static void handle_packet(GdbStub *g, const char *pkt)
{
    switch (pkt[0]) {
    case '?': stop(g, GDB_SIGTRAP); break;
    case 'g': read_registers(g); break;
    case 'G': write_registers(g, pkt + 1); break;
    case 'p': register_packet(g, pkt + 1, false); break;
    case 'P': register_packet(g, pkt + 1, true); break;
    case 'm': memory_packet(g, pkt + 1, false); break;
    case 'M': memory_packet(g, pkt + 1, true); break;
    case 'c': resume(g, pkt + 1, false); break;
    case 's': resume(g, pkt + 1, true); break;
    case 'Z': breakpoint_packet(g, pkt + 1, true); break;
    case 'z': breakpoint_packet(g, pkt + 1, false); break;
    case 'H': case 'T': send_packet(g, "OK"); break;
    case 'q': query_packet(g, pkt); break;
    case 'D':
        send_packet(g, "OK");
        gdbstub_detach(g);
        break;
    case 'k':
        g->kill = true;
        break;
    default:
        if (strcmp(pkt, "vKill;1") == 0) {
            send_packet(g, "OK");
            g->kill = true;
        } else {
            send_packet(g, "");   /* not supported */
        }
        break;
    }
}

/* ---- the byte stream ------------------------------------------------------ */

static void packet_end(GdbStub *g)
{
    if (g->csum != g->csum_sent) {
        g->write(g->opaque, (const uint8_t *)"-", 1);
        return;
    }
    g->write(g->opaque, (const uint8_t *)"+", 1);
    g->in[g->in_len] = '\0';
    if (g->in_overflow)
        send_packet(g, "E01");
    else
        handle_packet(g, g->in);
}

void gdbstub_input(GdbStub *g, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len && !g->kill; i++) {
        char c = (char)data[i];
        int digit = hex_value(c);
        switch (g->state) {
        case GDB_IDLE:
            if (c == '$') {
                g->state = GDB_DATA;
                g->in_len = 0;
                g->in_overflow = false;
                g->csum = 0;
            } else if (c == 0x03 && g->running) {
                stop(g, GDB_SIGINT);
            }
            break;   /* ('+' and '-' acknowledge our replies) */
        case GDB_DATA:
            if (c == '#') {
                g->state = GDB_CSUM1;
                break;
            }
            g->csum = (uint8_t)(g->csum + (uint8_t)c);
            if (g->in_len < GDB_PACKET_MAX)
                g->in[g->in_len++] = c;
            else
                g->in_overflow = true;
            break;
        case GDB_CSUM1:
            g->csum_sent = (uint8_t)((digit < 0 ? 0 : digit) << 4);
            g->state = digit < 0 ? GDB_IDLE : GDB_CSUM2;
            break;
        case GDB_CSUM2:
            g->state = GDB_IDLE;
            if (digit < 0)
                break;
            g->csum_sent |= (uint8_t)digit;
            packet_end(g);
            break;
        }
    }
}

void gdbstub_init(GdbStub *g, CpuCommon *cpu, bool running, GdbWriteFn write,
                  void *opaque)
{
    memset(g, 0, sizeof(*g));
    g->cpu = cpu;
    g->running = running;
    g->write = write;
    g->opaque = opaque;
    g->xml_len = target_gdb_xml(g->xml, sizeof(g->xml));
}

void gdbstub_attach(GdbStub *g)
{
    g->running = false;
    g->state = GDB_IDLE;
}

void gdbstub_detach(GdbStub *g)
{
    g->cpu->debug.n_breakpoints = 0;
    g->cpu->debug.stepping = false;
    cpu_debug_set_active(g->cpu, false);
    g->running = true;
}

void gdbstub_slice_done(GdbStub *g, bool stopped_at_breakpoint)
{
    if (g->running && (stopped_at_breakpoint || g->cpu->debug.stepping))
        stop(g, GDB_SIGTRAP);
}

void gdbstub_exited(GdbStub *g, int code)
{
    char reply[8];
    snprintf(reply, sizeof(reply), "W%02x", code & 0xff);
    send_packet(g, reply);
}
