/* QEMU-compatible option parsing (the subset a RISC-V virt user needs). */
#include "system/options.h"
#include "hw/riscv/virt.h"
#include "system/error.h"

/* -1 with the message in err: the option parsers' error convention. */
#define cli_fail(...) (fail(__VA_ARGS__), -1)

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* "256", "256M", "1G", "512k": bytes; QEMU's default unit is MiB. */
static bool parse_size(const char *text, uint64_t default_unit, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 0);
    if (errno || end == text || text[0] == '-')
        return false;
    uint64_t unit = default_unit;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': unit = 1ull << 10; end++; break;
    case 'm': case 'M': unit = 1ull << 20; end++; break;
    case 'g': case 'G': unit = 1ull << 30; end++; break;
    default: return false;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || value > UINT64_MAX / unit)
        return false;
    *out = value * unit;
    return true;
}

/* Iterate "key=value,key2=value2" lists in place.  The first element may
 * be a bare word (e.g. "tcg" or "virt"), returned with *value NULL. */
static char *next_kv(char **cursor, char **value)
{
    char *item = *cursor;
    if (!item || !*item)
        return NULL;
    char *comma = strchr(item, ',');
    if (comma) {
        *comma = '\0';
        *cursor = comma + 1;
    } else {
        *cursor = NULL;
    }
    char *eq = strchr(item, '=');
    *value = eq ? eq + 1 : NULL;
    if (eq)
        *eq = '\0';
    return item;
}

static bool parse_onoff(const char *v, bool *out)
{
    if (!v || !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes"))
        *out = true;
    else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no"))
        *out = false;
    else
        return false;
    return true;
}

static int parse_accel(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *cursor = arg, *value, *key;
    bool first = true;
    while ((key = next_kv(&cursor, &value))) {
        if (first && !value) {
            first = false;
            if (strcmp(key, "tcg"))
                return cli_fail(err, errlen, "-accel: only 'tcg' is available, "
                                         "not '%s'", key);
            continue;
        }
        first = false;
        uint64_t n;
        if (!strcmp(key, "tb-size") && value && parse_size(value, 1ull << 20, &n)
            && n >= (1u << 20) && n <= (1ull << 31)) {
            o->exec.tb_arena_bytes = (size_t)n;
        } else if (!strcmp(key, "jit") && parse_onoff(value, &o->exec.jit)) {
        } else if (!strcmp(key, "jit-async") &&
                   parse_onoff(value, &o->exec.jit_async)) {
        } else if (!strcmp(key, "jit-threshold") && value &&
                   parse_size(value, 1, &n) && n <= 1000000000) {
            o->exec.jit_threshold = (unsigned)n;
        } else if (!strcmp(key, "thread") && value &&
                   !strcmp(value, "single")) {
        } else {
            return cli_fail(err, errlen, "-accel: bad property '%s%s%s' (known: "
                        "tb-size=MB from 1 to 2048, jit=on|off, "
                        "jit-threshold=N up to 10^9, jit-async=on|off)", key,
                        value ? "=" : "", value ? value : "");
        }
    }
    return 0;
}

static int parse_trace(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *cursor = arg, *value, *key;
    while ((key = next_kv(&cursor, &value))) {
        if (!strcmp(key, "in_asm")) o->exec.trace_in_asm = true;
        else if (!strcmp(key, "op")) o->exec.trace_op = true;
        else if (!strcmp(key, "exec")) o->exec.trace_exec = true;
        else if (!strcmp(key, "int")) o->exec.trace_int = true;
        else if (!strcmp(key, "jit-stats")) o->exec.jit_stats = true;
        else
            return cli_fail(err, errlen, "-d: unknown log item '%s' (known: "
                        "in_asm, op, exec, int, jit-stats)", key);
    }
    return 0;
}

static int parse_machine(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *cursor = arg, *value, *key;
    bool first = true;
    while ((key = next_kv(&cursor, &value))) {
        if (first && !value) {
            if (strcmp(key, "virt"))
                return cli_fail(err, errlen, "-machine: unsupported machine '%s' "
                                         "(only 'virt')", key);
        } else if (!strcmp(key, "dumpdtb") && value) {
            o->dumpdtb = value;
        } else if (!strcmp(key, "type") && value && !strcmp(value, "virt")) {
        } else if ((!strcmp(key, "accel") && value && !strcmp(value, "tcg")) ||
                   (!strcmp(key, "acpi") && value && !strcmp(value, "off"))) {
            /* (what this board is anyway: QEMU's scripts say it) */
        } else {
            return cli_fail(err, errlen, "-machine: bad property '%s'", key);
        }
        first = false;
    }
    return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* QEMU's date forms: 2006-06-17T16:01:21 or 2006-06-17 (UTC), from 1970
 * to 2199 (the RTC counts nanoseconds in 64 bits). */
static bool parse_rtc_date(const char *text, int64_t *seconds)
{
    int y, mo, d, h = 0, mi = 0, s = 0, used = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3)
        return false;
    if (text[used] == 'T') {
        int more = 0;
        if (sscanf(text + used, "T%2d:%2d:%2d%n", &h, &mi, &s, &more) != 3)
            return false;
        used += more;
    }
    if (text[used] || y < 1970 || y > 2199 || mo < 1 || mo > 12 || d < 1 ||
        h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0)
        return false;
    int64_t day = days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t next_month = mo == 12 ? days_from_civil(y + 1, 1, 1)
                                  : days_from_civil(y, (unsigned)mo + 1, 1);
    if (day >= next_month)   /* 2021-02-30 */
        return false;
    *seconds = day * 86400 + h * 3600 + mi * 60 + s;
    return true;
}

static int parse_rtc(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *cursor = arg, *value, *key;
    while ((key = next_kv(&cursor, &value))) {
        if (!strcmp(key, "base") && value) {
            if (!strcmp(value, "utc"))
                o->rtc.kind = RTC_BASE_UTC;
            else if (!strcmp(value, "localtime"))
                o->rtc.kind = RTC_BASE_LOCALTIME;
            else if (parse_rtc_date(value, &o->rtc.date_s))
                o->rtc.kind = RTC_BASE_DATE;
            else
                return cli_fail(err, errlen, "-rtc: base=%s is not utc, localtime "
                                "or a date like 2006-06-17T16:01:21", value);
        } else if (!strcmp(key, "clock") && value) {
            if (strcmp(value, "host"))
                return cli_fail(err, errlen, "-rtc: only clock=host is supported");
        } else if (!strcmp(key, "driftfix") && value && !strcmp(value, "none")) {
        } else {
            return cli_fail(err, errlen, "-rtc: bad property '%s' (known: "
                            "base=utc|localtime|DATE, clock=host)", key);
        }
    }
    return 0;
}

static int parse_drive(CliOptions *o, char *arg, char *err, size_t errlen)
{
    if (o->n_drives == CLI_MAX_DRIVES)
        return cli_fail(err, errlen, "-drive: at most %d disks", CLI_MAX_DRIVES);
    CliDrive *d = &o->drives[o->n_drives];
    char *cursor = arg, *value, *key;
    while ((key = next_kv(&cursor, &value))) {
        bool on;
        if (!value)
            return cli_fail(err, errlen, "-drive: expected key=value, got '%s'",
                        key);
        if (!strcmp(key, "file")) {
            d->file = value;
        } else if (!strcmp(key, "if")) {
            if (strcmp(value, "virtio") && strcmp(value, "none"))
                return cli_fail(err, errlen, "-drive: only if=virtio and if=none "
                                "(with -device virtio-blk-device) are supported");
            d->if_none = !strcmp(value, "none");
            d->if_given = true;
        } else if (!strcmp(key, "format")) {
            if (strcmp(value, "raw"))
                return cli_fail(err, errlen, "-drive: only format=raw is supported");
        } else if (!strcmp(key, "readonly") && parse_onoff(value, &on)) {
            d->readonly = on;
        } else if (!strcmp(key, "snapshot") && parse_onoff(value, &on)) {
            d->snapshot = on;
        } else if (!strcmp(key, "id")) {
            d->id = value;
        } else if ((!strcmp(key, "media") && !strcmp(value, "disk")) ||
                   !strcmp(key, "cache")) {
        } else {
            return cli_fail(err, errlen, "-drive: bad property '%s=%s'", key,
                        value);
        }
    }
    if (!d->file)
        return cli_fail(err, errlen, "-drive: file= is required");
    if (d->if_none && !d->id)
        return cli_fail(err, errlen, "-drive: if=none needs an id= for -device");
    for (unsigned i = 0; i < o->n_drives && d->id; i++)
        if (o->drives[i].id && !strcmp(o->drives[i].id, d->id))
            return cli_fail(err, errlen, "-drive: duplicate id=%s", d->id);
    d->attach_order = d->if_none ? -1 : o->parse.next_order++;
    o->n_drives++;
    return 0;
}

/* A mount tag as the guest's mount(8) takes it: 1-31 bytes, no space. */
static bool tag_ok(const char *tag)
{
    size_t len = strlen(tag);
    if (len == 0 || len > 31)
        return false;
    for (const char *p = tag; *p; p++)
        if (*p <= ' ' || *p > '~')
            return false;
    return true;
}

/*
 * -virtfs local,path=DIR,mount_tag=TAG[,security_model=none|passthrough]
 * [,readonly=on][,id=ID] and -fsdev local,id=ID,path=DIR[,...] (which a
 * -device virtio-9p-device,fsdev=ID,mount_tag=TAG attaches): a directory
 * of the host shared with the guest.  Files are the host user's
 * (security_model=none; passthrough is taken as the same).
 */
static int parse_share(CliOptions *o, const char *opt, char *arg, char *err,
                       size_t errlen)
{
    bool fsdev = !strcmp(opt, "fsdev");
    char *cursor = arg, *value, *key = next_kv(&cursor, &value);
    if (!key || value || strcmp(key, "local"))
        return cli_fail(err, errlen, "-%s: only the 'local' driver is available "
                        "(-%s local,path=DIR,%s)", opt, opt,
                        fsdev ? "id=ID" : "mount_tag=TAG");
    if (o->n_shares == CLI_MAX_DRIVES)
        return cli_fail(err, errlen, "-%s: at most %d shared directories", opt,
                        CLI_MAX_DRIVES);
    CliShare *sh = &o->shares[o->n_shares];
    *sh = (CliShare){ 0 };
    while ((key = next_kv(&cursor, &value))) {
        bool on;
        if (!value)
            return cli_fail(err, errlen, "-%s: expected key=value, got '%s'",
                            opt, key);
        if (!strcmp(key, "path")) {
            sh->path = value;
        } else if (!fsdev && !strcmp(key, "mount_tag")) {
            sh->tag = value;
        } else if (!strcmp(key, "readonly") && parse_onoff(value, &on)) {
            sh->readonly = on;
        } else if (!strcmp(key, "id")) {
            if (fsdev)
                sh->fsdev_id = value;
        } else if (!strcmp(key, "security_model")) {
            if (strcmp(value, "none") && strcmp(value, "passthrough"))
                return cli_fail(err, errlen, "-%s: only security_model=none "
                                "or passthrough is available", opt);
        } else if (strcmp(key, "writeout") || strcmp(value, "immediate")) {
            return cli_fail(err, errlen, "-%s: bad property '%s=%s'", opt, key,
                            value);
        }
    }
    if (!sh->path)
        return cli_fail(err, errlen, "-%s: path= is required", opt);
    if (fsdev && !sh->fsdev_id)
        return cli_fail(err, errlen, "-fsdev: id= is required");
    for (unsigned i = 0; i < o->n_shares && fsdev; i++)
        if (o->shares[i].fsdev_id && !strcmp(o->shares[i].fsdev_id, sh->fsdev_id))
            return cli_fail(err, errlen, "-fsdev: duplicate id=%s", sh->fsdev_id);
    if (!fsdev && !sh->tag)
        return cli_fail(err, errlen, "-virtfs: mount_tag= is required");
    if (sh->tag && !tag_ok(sh->tag))
        return cli_fail(err, errlen, "-%s: mount_tag must be 1-31 characters "
                        "without spaces", opt);
    o->n_shares++;
    return 0;
}

/* -device virtio-9p-device,fsdev=ID,mount_tag=TAG */
static int parse_9p_device(CliOptions *o, char *cursor, char *err, size_t errlen)
{
    char *value, *key;
    const char *fsdev = NULL, *tag = NULL;
    while ((key = next_kv(&cursor, &value))) {
        if (!strcmp(key, "fsdev") && value)
            fsdev = value;
        else if (!strcmp(key, "mount_tag") && value)
            tag = value;
        else if (strcmp(key, "id") || !value)
            return cli_fail(err, errlen, "-device: bad property '%s'", key);
    }
    if (!fsdev || !tag)
        return cli_fail(err, errlen, "-device virtio-9p-device: fsdev= and "
                        "mount_tag= are required");
    if (!tag_ok(tag))
        return cli_fail(err, errlen, "-device virtio-9p-device: mount_tag must "
                        "be 1-31 characters without spaces");
    if (o->parse.n_9p_devices == CLI_MAX_DRIVES)
        return cli_fail(err, errlen, "-device: at most %d shared directories",
                        CLI_MAX_DRIVES);
    o->parse.device_fsdev[o->parse.n_9p_devices] = fsdev;
    o->parse.device_tag[o->parse.n_9p_devices++] = tag;
    return 0;
}

/* -netdev socket,id=ID,listen=[HOST]:PORT|connect=HOST:PORT: Ethernet
 * frames over TCP, as QEMU's socket netdev (the front door makes the
 * connection).  There is no user-mode network stack. */
static int parse_netdev(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *cursor = arg, *value, *key = next_kv(&cursor, &value);
    if (!key || value || strcmp(key, "socket"))
        return cli_fail(err, errlen, "-netdev %s: not available (only socket,"
                        "id=ID,listen=[HOST]:PORT or connect=HOST:PORT)",
                        key ? key : "");
    if (o->netdev.id)
        return cli_fail(err, errlen, "-netdev: only one network is available");
    while ((key = next_kv(&cursor, &value))) {
        if (!value)
            return cli_fail(err, errlen, "-netdev: expected key=value, got '%s'", key);
        if (!strcmp(key, "id"))
            o->netdev.id = value;
        else if (!strcmp(key, "listen"))
            o->netdev.listen = value;
        else if (!strcmp(key, "connect"))
            o->netdev.connect = value;
        else
            return cli_fail(err, errlen, "-netdev: bad property '%s=%s'", key, value);
    }
    if (!o->netdev.id)
        return cli_fail(err, errlen, "-netdev: id= is required");
    if (!o->netdev.listen == !o->netdev.connect)
        return cli_fail(err, errlen, "-netdev socket: give listen= or connect=");
    return 0;
}

/* "52:54:00:12:34:56" into mac; a multicast address is refused. */
static bool parse_mac(const char *text, uint8_t mac[6])
{
    unsigned b[6];
    char end;
    if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &end) != 6 || (b[0] & 1))
        return false;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)b[i];
    return true;
}

/* -device virtio-net-device,netdev=ID[,mac=MAC] */
static int parse_net_device(CliOptions *o, char *cursor, char *err, size_t errlen)
{
    char *value, *key;
    if (o->nic)
        return cli_fail(err, errlen, "-device virtio-net-device: only one "
                        "network card is available");
    while ((key = next_kv(&cursor, &value))) {
        if (!strcmp(key, "netdev") && value)
            o->parse.nic_netdev = value;
        else if (!strcmp(key, "mac") && value && parse_mac(value, o->mac))
            continue;
        else if (strcmp(key, "id") || !value)
            return cli_fail(err, errlen, "-device virtio-net-device: bad "
                            "property '%s'%s", key, strcmp(key, "mac") ? ""
                            : " (a unicast address like 52:54:00:12:34:56)");
    }
    if (!o->parse.nic_netdev)
        return cli_fail(err, errlen, "-device virtio-net-device: netdev= is required");
    o->nic = true;
    return 0;
}

/* -device: the virt machine's virtio-mmio devices.  The entropy source is
 * always there; a disk is a -drive if=none named by drive=. */
static int parse_device(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *cursor = arg, *value, *key = next_kv(&cursor, &value);
    if (!key || value)
        return cli_fail(err, errlen, "-device: expected a device name first");
    if (!strcmp(key, "virtio-9p-device"))
        return parse_9p_device(o, cursor, err, errlen);
    if (!strcmp(key, "virtio-net-device"))
        return parse_net_device(o, cursor, err, errlen);
    bool blk = !strcmp(key, "virtio-blk-device");
    if (!blk && strcmp(key, "virtio-rng-device"))
        return cli_fail(err, errlen, "-device: '%s' is not available (only "
                        "virtio-blk-device,drive=ID, virtio-9p-device,fsdev=ID,"
                        "mount_tag=TAG, virtio-net-device,netdev=ID and "
                        "virtio-rng-device)", key);
    const char *drive = NULL;
    while ((key = next_kv(&cursor, &value))) {
        if (blk && !strcmp(key, "drive") && value)
            drive = value;
        else if (!blk && !strcmp(key, "rng") && value)
            o->parse.rng_backend = value;   /* checked against -object ids */
        else if (strcmp(key, "id") || !value)
            return cli_fail(err, errlen, "-device: bad property '%s'", key);
    }
    if (!blk)
        return 0;
    if (!drive)
        return cli_fail(err, errlen, "-device virtio-blk-device: drive= is required");
    if (o->parse.n_devices == CLI_MAX_DRIVES)
        return cli_fail(err, errlen, "-device: at most %d disks", CLI_MAX_DRIVES);
    o->parse.device_drive[o->parse.n_devices] = drive;
    o->parse.device_order[o->parse.n_devices++] = o->parse.next_order++;
    return 0;
}

/* -object rng-random|rng-builtin,id=ID[,filename=...]: an entropy source
 * for -device virtio-rng-device,rng=ID (ours reads the host's). */
static int parse_object(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *cursor = arg, *value, *key = next_kv(&cursor, &value);
    if (!key || value || (strcmp(key, "rng-random") && strcmp(key, "rng-builtin")))
        return cli_fail(err, errlen, "-object: only rng-random and rng-builtin "
                        "are available");
    while ((key = next_kv(&cursor, &value))) {
        if (!strcmp(key, "id") && value)
            o->parse.rng_object = value;
        else if (strcmp(key, "filename") || !value)
            return cli_fail(err, errlen, "-object: bad property '%s'", key);
    }
    if (!o->parse.rng_object)
        return cli_fail(err, errlen, "-object: id= is required");
    return 0;
}

static CliDrive *drive_by_id(CliOptions *o, const char *id)
{
    for (unsigned i = 0; i < o->n_drives; i++)
        if (o->drives[i].id && !strcmp(o->drives[i].id, id))
            return &o->drives[i];
    return NULL;
}

/* The -device virtio-9p-device options attach the -fsdev they name, a
 * virtio-net-device the -netdev; the disks, shared directories and card
 * attached must fit the board's slots. */
static int settle_attachments(CliOptions *o, char *err, size_t errlen)
{
    for (unsigned i = 0; i < o->parse.n_9p_devices; i++) {
        const char *id = o->parse.device_fsdev[i];
        CliShare *sh = NULL;
        for (unsigned k = 0; k < o->n_shares && !sh; k++)
            if (o->shares[k].fsdev_id && !strcmp(o->shares[k].fsdev_id, id))
                sh = &o->shares[k];
        if (!sh)
            return cli_fail(err, errlen, "-device virtio-9p-device: no -fsdev "
                            "with id=%s", id);
        if (sh->tag)
            return cli_fail(err, errlen, "-device virtio-9p-device: fsdev '%s' "
                            "is already attached", id);
        sh->tag = o->parse.device_tag[i];
    }
    const char *nic = o->parse.nic_netdev;
    if (nic && (!o->netdev.id || strcmp(nic, o->netdev.id)))
        return cli_fail(err, errlen, "-device virtio-net-device: no -netdev "
                        "with id=%s", nic);
    unsigned attached = o->nic;
    for (unsigned i = 0; i < o->n_drives; i++)
        attached += o->drives[i].attach_order >= 0;
    for (unsigned i = 0; i < o->n_shares; i++)
        attached += o->shares[i].tag != NULL;
    if (attached > CLI_MAX_DRIVES)
        return cli_fail(err, errlen, "at most %d disks, shared directories and "
                        "network cards in all (the board has %d virtio slots "
                        "besides the entropy source's)", CLI_MAX_DRIVES,
                        CLI_MAX_DRIVES);
    return 0;
}

/* -chardev stdio,id=ID[,mux=on|off][,signal=on|off]: the terminal, which
 * -serial chardev:ID and -mon chardev=ID may name (QEMU's spelled-out
 * -nographic). */
static int parse_chardev(CliOptions *o, char *arg, char *err, size_t errlen)
{
    char *cursor = arg, *value, *key;
    const char *id = NULL;
    bool first = true, on;
    while ((key = next_kv(&cursor, &value))) {
        if (first && !value && strcmp(key, "stdio"))
            return cli_fail(err, errlen, "-chardev: only the stdio backend is supported");
        else if (!strcmp(key, "id") && value)
            id = value;
        else if (!first && (!value || !((!strcmp(key, "mux") || !strcmp(key, "signal")) &&
                                        parse_onoff(value, &on))))
            return cli_fail(err, errlen, "-chardev: bad property '%s'", key);
        first = false;
    }
    if (!id)
        return cli_fail(err, errlen, "-chardev: id= is required");
    o->parse.chardev_stdio = id;
    o->nographic = true;   /* the terminal is the guest's: raw, with Ctrl-A escapes */
    return 0;
}

/* Whether arg is prefix followed by the id of the -chardev stdio (and
 * maybe ",more"). */
static bool names_chardev_stdio(const CliOptions *o, const char *arg,
                                const char *prefix)
{
    const char *id = o->parse.chardev_stdio;
    size_t n = strlen(prefix);
    if (!id || strncmp(arg, prefix, n))
        return false;
    arg += n;
    return strncmp(arg, id, strlen(id)) == 0 &&
           (arg[strlen(id)] == '\0' || arg[strlen(id)] == ',');
}

/* Once every option is read (a -device may come before its -drive or
 * -object): the rng= backend must exist, and the -device options attach
 * the if=none drives they name. */
static int settle_devices(CliOptions *o, char *err, size_t errlen)
{
    const char *rng = o->parse.rng_backend;
    if (rng && (!o->parse.rng_object || strcmp(rng, o->parse.rng_object)))
        return cli_fail(err, errlen, "-device virtio-rng-device: no -object "
                        "with id=%s", rng);
    for (unsigned i = 0; i < o->parse.n_devices; i++) {
        const char *id = o->parse.device_drive[i];
        CliDrive *d = drive_by_id(o, id);
        if (!d)
            return cli_fail(err, errlen, "-device virtio-blk-device: no -drive "
                            "with id=%s", id);
        if (d->attach_order >= 0 && (d->if_given || d->if_none))
            return cli_fail(err, errlen, "-device virtio-blk-device: drive '%s' "
                            "is already attached%s", id, d->if_none ? "" :
                            " by if=virtio (give it if=none)");
        d->attach_order = o->parse.device_order[i];
        d->if_none = true;   /* (a drive with no if= is the device's now) */
    }
    for (unsigned i = 0; i < o->n_drives; i++)
        o->drives[i].snapshot |= o->parse.snapshot;
    return settle_attachments(o, err, errlen);
}

/* Options taking one argument, handled by a small parser each. */
static int parse_with_arg(CliOptions *o, const char *name, char *arg,
                          char *err, size_t errlen)
{
    if (!strcmp(name, "m")) {
        uint64_t size;
        char *eq = strncmp(arg, "size=", 5) == 0 ? arg + 5 : arg;
        if (!parse_size(eq, 1ull << 20, &size))
            return cli_fail(err, errlen, "-m: cannot parse memory size '%s'", arg);
        o->ram_size = size;
    } else if (!strcmp(name, "kernel")) o->kernel = arg;
    else if (!strcmp(name, "initrd")) o->initrd = arg;
    else if (!strcmp(name, "append")) o->append = arg;
    else if (!strcmp(name, "bios"))   /* QEMU's "default": the bundled one */
        o->bios = strcmp(arg, "default") ? arg : NULL;
    else if (!strcmp(name, "D")) o->log_file = arg;
    else if (!strcmp(name, "drive")) return parse_drive(o, arg, err, errlen);
    else if (!strcmp(name, "device")) return parse_device(o, arg, err, errlen);
    else if (!strcmp(name, "object")) return parse_object(o, arg, err, errlen);
    else if (!strcmp(name, "rtc")) return parse_rtc(o, arg, err, errlen);
    else if (!strcmp(name, "virtfs") || !strcmp(name, "fsdev"))
        return parse_share(o, name, arg, err, errlen);
    else if (!strcmp(name, "netdev")) return parse_netdev(o, arg, err, errlen);
    else if (!strcmp(name, "name")) {
        /* the guest's name, for window titles: none here */
    } else if (!strcmp(name, "global")) {
        /* the virtio-mmio transports are modern already */
        if (strcmp(arg, "virtio-mmio.force-legacy=false"))
            return cli_fail(err, errlen, "-global: only virtio-mmio.force-legacy=false "
                            "(the transports are virtio 1.x)");
    }
    else if (!strcmp(name, "gdb")) {
        if (!strncmp(arg, "tcp:", 4) && strchr(arg + 4, ':'))
            o->gdb = arg + 4;
        else if (!strcmp(arg, "none"))
            o->gdb = NULL;
        else
            return cli_fail(err, errlen, "-gdb: expected tcp:[HOST]:PORT, e.g. tcp::1234");
    }
    else if (!strcmp(name, "nic")) {
        if (strcmp(arg, "none"))
            return cli_fail(err, errlen, "-nic: only 'none' (a card: -netdev "
                            "socket,id=ID,... -device virtio-net-device,netdev=ID)");
    }
    else if (!strcmp(name, "cpu")) {
        if (strcmp(arg, "rv64") && strcmp(arg, "max"))
            return cli_fail(err, errlen, "-cpu: only rv64 (RV64GC) is available");
    }
    else if (!strcmp(name, "accel")) return parse_accel(o, arg, err, errlen);
    else if (!strcmp(name, "d")) return parse_trace(o, arg, err, errlen);
    else if (!strcmp(name, "M") || !strcmp(name, "machine"))
        return parse_machine(o, arg, err, errlen);
    else if (!strcmp(name, "smp")) {
        if (strcmp(arg, "1") && strcmp(arg, "cpus=1"))
            return cli_fail(err, errlen, "-smp: only one hart is supported");
    } else if (!strcmp(name, "chardev")) {
        return parse_chardev(o, arg, err, errlen);
    } else if (!strcmp(name, "serial") || !strcmp(name, "mon")) {
        /* stdio, or the -chardev stdio named (-serial chardev:ID, -mon
         * chardev=ID[,...]): the terminal, with Ctrl-A c for the monitor
         * either way */
        bool serial = !strcmp(name, "serial");
        const char *prefix = serial ? "chardev:" : "chardev=";
        bool stdio = serial && (!strcmp(arg, "stdio") || !strcmp(arg, "mon:stdio"));
        if (!stdio && !names_chardev_stdio(o, arg, prefix))
            return cli_fail(err, errlen, "-%s: only stdio, or a -chardev stdio,id=ID "
                            "given before it, is supported", name);
    } else if (!strcmp(name, "display") || !strcmp(name, "monitor")) {
        if (strcmp(arg, "none"))
            return cli_fail(err, errlen, "-%s: only 'none' is supported", name);
    } else {
        return 1;   /* not an option with an argument */
    }
    return 0;
}

static const char *const options_with_arg[] = {
    "m", "kernel", "initrd", "append", "bios", "D", "drive", "device", "object",
    "cpu", "accel", "d", "rtc", "virtfs", "fsdev", "netdev", "nic", "gdb",
    "name", "global",
    "M", "machine", "smp", "serial", "display", "monitor", "chardev", "mon", NULL
};

static bool takes_arg(const char *name)
{
    for (const char *const *p = options_with_arg; *p; p++)
        if (!strcmp(*p, name))
            return true;
    return false;
}

int cli_parse(CliOptions *o, int argc, char **argv, char *err, size_t errlen)
{
    memset(o, 0, sizeof(*o));
    o->ram_size = 128ull << 20;
    memcpy(o->mac, (const uint8_t[]){ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, 6);
    exec_options_default(&o->exec);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0')
            return cli_fail(err, errlen, "unexpected argument '%s' (options start "
                                     "with '-'; try -help)", arg);
        const char *name = arg + 1 + (arg[1] == '-');   /* -x or --x */
        if (!strcmp(name, "h") || !strcmp(name, "help")) o->show_help = true;
        else if (!strcmp(name, "version")) o->show_version = true;
        else if (!strcmp(name, "nographic")) o->nographic = true;
        else if (!strcmp(name, "no-reboot")) o->no_reboot = true;
        else if (!strcmp(name, "snapshot")) o->parse.snapshot = true;
        else if (!strcmp(name, "s")) o->gdb = ":1234";
        else if (!strcmp(name, "nodefaults")) {
            /* no default devices to leave out: the board's are its own */
        }
        else if (!strcmp(name, "S")) o->gdb_wait = true;
        else if (takes_arg(name)) {
            if (i + 1 >= argc)
                return cli_fail(err, errlen, "option '-%s' needs an argument",
                            name);
            if (parse_with_arg(o, name, argv[++i], err, errlen))
                return -1;
        } else {
            return cli_fail(err, errlen, "unknown option '%s' (try -help)", arg);
        }
    }
    if (!o->show_help && !o->show_version && !o->kernel && !o->bios)
        return cli_fail(err, errlen, "no -kernel given (try -help)");
    if (o->gdb_wait && !o->gdb)
        return cli_fail(err, errlen, "-S waits for a debugger: give -s or -gdb tcp::PORT too");
    return settle_devices(o, err, errlen);
}

_Static_assert((int)CLI_MAX_DRIVES == (int)VIRT_MAX_DRIVES, "one disk per virtio slot");

/* The attached disks in the order of the options that attached them. */
void cli_machine_options(const CliOptions *o, MachineOptions *mo)
{
    memset(mo, 0, sizeof(*mo));
    mo->ram_size = o->ram_size;
    mo->kernel = o->kernel;
    mo->initrd = o->initrd;
    mo->append = o->append;
    mo->bios = o->bios;
    for (int order = 0; order < o->parse.next_order; order++)
        for (unsigned i = 0; i < o->n_drives; i++)
            if (o->drives[i].attach_order == order)
                mo->drives[mo->n_drives++] = (MachineDrive){
                    o->drives[i].file, o->drives[i].readonly,
                    o->drives[i].snapshot };
    for (unsigned i = 0; i < o->n_shares; i++)   /* (an -fsdev unattached: none) */
        if (o->shares[i].tag)
            mo->shares[mo->n_shares++] = (MachineShare){
                o->shares[i].path, o->shares[i].tag, o->shares[i].readonly };
    mo->net = o->nic;
    memcpy(mo->mac, o->mac, 6);
    mo->dumpdtb = o->dumpdtb;
    mo->no_reboot = o->no_reboot;
    mo->rtc = o->rtc;
    mo->exec = o->exec;
}

#define WASMU_VERSION "0.1"

void cli_print_version(const char *prog)
{
    printf("%s version %s\n", prog, WASMU_VERSION);
}

void cli_print_help(const char *prog)
{
    printf("usage: %s [options]\n"
           "RV64GC 'virt' machine emulator (QEMU-compatible options)\n\n"
           "  -M virt[,dumpdtb=FILE]   machine (only virt)\n"
           "  -m SIZE                  RAM size, e.g. 256 or 256M or 1G (default 128M)\n"
           "  -kernel FILE             Linux Image or ELF (bare-metal ELF with -bios none)\n"
           "  -initrd FILE             initial ramdisk\n"
           "  -append CMDLINE          kernel command line\n"
           "  -bios FILE|none|default  firmware (default: OpenSBI fw_dynamic.bin)\n"
           "  -drive if=virtio,format=raw,file=FILE[,readonly=on][,snapshot=on]\n"
           "  -drive [if=none,]id=ID,format=raw,file=FILE[,...]\n"
           "  -device virtio-blk-device,drive=ID   attach that disk (up to 7 disks)\n"
           "  -virtfs local,path=DIR,mount_tag=TAG[,security_model=none][,readonly=on]\n"
           "                           share a host directory (the default guest mounts it at /mnt/TAG)\n"
           "  -fsdev local,id=ID,path=DIR[,...], -device virtio-9p-device,fsdev=ID,mount_tag=TAG\n"
           "  -netdev socket,id=ID,listen=[HOST]:PORT|connect=HOST:PORT\n"
           "  -device virtio-net-device,netdev=ID[,mac=52:54:00:12:34:56]\n"
           "                           a network card; Ethernet over TCP as QEMU's socket netdev\n"
           "  -device virtio-rng-device[,rng=ID], -object rng-random,id=ID\n"
           "                           (the entropy source is always there)\n"
           "  -cpu rv64, -smp 1, -serial stdio, -display none, -monitor none\n"
           "  -chardev stdio,id=ID[,mux=on] with -serial chardev:ID, -mon chardev=ID\n"
           "  -nodefaults, -name N, -global virtio-mmio.force-legacy=false (no-ops)\n"
           "  -snapshot                writes to disks stay in a temporary overlay\n"
           "  -gdb tcp:[HOST]:PORT, -s (tcp::1234)\n"
           "                           wait for GDB's remote protocol there (not in the page)\n"
           "  -S                       the CPU starts only when GDB says continue\n"
           "  -rtc base=utc|localtime|2006-06-17T16:01:21[,clock=host]\n"
           "                           where the guest's wall clock starts (default utc)\n"
           "  -nographic               serial console on stdin/stdout (Ctrl-A x quits,\n"
           "                           Ctrl-A c: QEMU's monitor, Ctrl-A h: the escapes)\n"
           "  -no-reboot               exit instead of rebooting\n"
           "  -accel tcg[,tb-size=MB][,jit=on|off][,jit-threshold=N]\n"
           "            [,jit-async=on|off]\n"
           "  -d in_asm,op,exec,int,jit-stats   debug logs (to stderr or -D FILE)\n"
           "  -D FILE                  log file\n"
           "  -version, -help\n", prog);
}
