/*
 * virtio-9p: a host directory shared with the guest over 9P2000.L, as
 * QEMU's -virtfs local,security_model=none (files belong to whoever runs
 * the emulator; ownership changes the host refuses are ignored).
 *
 * The guest names files only relative to the share.  Nothing it sends may
 * lead out of it: a name with '/' is refused, ".." stops at the share's
 * root, a walk never passes through a symlink (the guest's kernel resolves
 * links itself, with Treadlink), opens use O_NOFOLLOW, and attribute
 * changes leave symlinks alone.  Requests are served one at a time while
 * the guest waits, so it cannot change the tree between a check and the
 * use.  Malformed messages get Rlerror; a chain too short for any reply
 * is a malformed chain (the device needs a reset).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "hw/virtio_mmio.h"

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_9P_MOUNT_TAG (1ull << 0)

enum {
    P9_MAX_MSIZE = 512 * 1024,
    P9_MIN_MSIZE = 4096,
    P9_MAX_FIDS = 4096,          /* fid numbers below this (Linux counts from 0) */
    P9_MAX_OPEN = 256,           /* host files open at once */
    P9_PATH_MAX = 4096,          /* a path inside the share */
    P9_NAME_MAX = 255,
    P9_HOST_PATH = 8192,
    P9_DIR_MAX_ENTRIES = 1 << 20,
    P9_HEADER = 7,               /* size[4] type[1] tag[2] */
};

/* Message types (T; the reply is T + 1). */
enum {
    P9_TLERROR = 6, P9_TSTATFS = 8, P9_TLOPEN = 12, P9_TLCREATE = 14,
    P9_TSYMLINK = 16, P9_TMKNOD = 18, P9_TRENAME = 20, P9_TREADLINK = 22,
    P9_TGETATTR = 24, P9_TSETATTR = 26, P9_TXATTRWALK = 30,
    P9_TXATTRCREATE = 32, P9_TREADDIR = 40, P9_TFSYNC = 50, P9_TLOCK = 52,
    P9_TGETLOCK = 54, P9_TLINK = 70, P9_TMKDIR = 72, P9_TRENAMEAT = 74,
    P9_TUNLINKAT = 76, P9_TVERSION = 100, P9_TAUTH = 102, P9_TATTACH = 104,
    P9_TFLUSH = 108, P9_TWALK = 110, P9_TREAD = 116, P9_TWRITE = 118,
    P9_TCLUNK = 120, P9_TREMOVE = 122,
};

/* Tsetattr's valid bits. */
enum {
    SETATTR_MODE = 1, SETATTR_UID = 2, SETATTR_GID = 4, SETATTR_SIZE = 8,
    SETATTR_ATIME = 0x10, SETATTR_MTIME = 0x20, SETATTR_ATIME_SET = 0x80,
    SETATTR_MTIME_SET = 0x100,
};

typedef struct P9Fid {
    char *path;           /* relative to the share, "" its root; NULL: unused */
    int fd;               /* an opened file, else -1 */
    bool opened_dir;      /* Tlopen of a directory: Treaddir lists it */
    char *names;          /* that listing, read at offset 0: NUL-separated */
    uint32_t n_names, names_len;
} P9Fid;

typedef struct Virtio9p {
    char root[P9_HOST_PATH / 2];
    char tag[32];
    bool readonly;
    uint32_t msize;
    unsigned n_open;
    P9Fid fids[P9_MAX_FIDS];
    uint8_t req[P9_MAX_MSIZE], resp[P9_MAX_MSIZE];
    VirtioDeviceOps ops;
} Virtio9p;

/* ---- message codec ----------------------------------------------------------- */

/* A message being read or written; bad once anything ran past its end. */
typedef struct P9Msg { uint8_t *buf; uint32_t len, pos; bool bad; } P9Msg;

static uint64_t get_n(P9Msg *m, unsigned n)
{
    uint64_t v = 0;
    if (m->bad || m->len - m->pos < n) {
        m->bad = true;
        return 0;
    }
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)m->buf[m->pos + i] << (8 * i);
    m->pos += n;
    return v;
}
static uint32_t get32(P9Msg *m) { return (uint32_t)get_n(m, 4); }

/* A string into out (NUL-terminated); bad if it holds a NUL or is cap
 * bytes or longer. */
static void get_str(P9Msg *m, char *out, size_t cap)
{
    unsigned len = (unsigned)get_n(m, 2);
    out[0] = '\0';
    if (m->bad || m->len - m->pos < len || len >= cap ||
        memchr(m->buf + m->pos, 0, len)) {
        m->bad = true;
        return;
    }
    memcpy(out, m->buf + m->pos, len);
    out[len] = '\0';
    m->pos += len;
}

static void put_n(P9Msg *m, uint64_t v, unsigned n)
{
    if (m->bad || m->len - m->pos < n) {
        m->bad = true;
        return;
    }
    for (unsigned i = 0; i < n; i++)
        m->buf[m->pos + i] = (uint8_t)(v >> (8 * i));
    m->pos += n;
}

static void put_str(P9Msg *m, const char *s)
{
    size_t len = strlen(s);
    put_n(m, len, 2);
    if (m->bad || len > 0xffff || m->len - m->pos < len) {
        m->bad = true;
        return;
    }
    memcpy(m->buf + m->pos, s, len);
    m->pos += (uint32_t)len;
}

static void put_qid(P9Msg *m, const struct stat *st)
{
    uint8_t type = S_ISDIR(st->st_mode) ? 0x80 : S_ISLNK(st->st_mode) ? 0x02 : 0;
    put_n(m, type, 1);
    put_n(m, (uint32_t)((uint64_t)st->st_mtime ^ (uint64_t)st->st_size << 8), 4);
    put_n(m, (uint64_t)st->st_ino, 8);
}

/* The guest's errno for a host one (the Wasm build numbers them its own way). */
static uint32_t linux_errno(int e)
{
    static const struct { int host; uint32_t linux; } map[] = {
        { EPERM, 1 }, { ENOENT, 2 }, { EIO, 5 }, { ENXIO, 6 }, { E2BIG, 7 },
        { EBADF, 9 }, { EAGAIN, 11 }, { ENOMEM, 12 }, { EACCES, 13 },
        { EFAULT, 14 }, { EBUSY, 16 }, { EEXIST, 17 }, { EXDEV, 18 },
        { ENODEV, 19 }, { ENOTDIR, 20 }, { EISDIR, 21 }, { EINVAL, 22 },
        { ENFILE, 23 }, { EMFILE, 24 }, { ETXTBSY, 26 }, { EFBIG, 27 },
        { ENOSPC, 28 }, { ESPIPE, 29 }, { EROFS, 30 }, { EMLINK, 31 },
        { ERANGE, 34 }, { ENAMETOOLONG, 36 }, { ENOSYS, 38 },
        { ENOTEMPTY, 39 }, { ELOOP, 40 }, { ENODATA, 61 }, { EPROTO, 71 },
        { EOVERFLOW, 75 }, { EMSGSIZE, 90 }, { EOPNOTSUPP, 95 },
        { EDQUOT, 122 },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].host == e)
            return map[i].linux;
    return 5;   /* EIO */
}

/* ---- paths and fids ------------------------------------------------------------ */

/* A name the guest may create or look up: one component, not . or .. */
static bool name_ok(const char *name)
{
    return name[0] && !strchr(name, '/') && strcmp(name, ".") &&
           strcmp(name, "..");
}

/*
 * The host path of rel (relative to the share) into out, after checking
 * that every component before the last is a directory, not a symlink.
 * The last is not looked at: what is done to it does not follow it.
 * 0 or an errno.
 */
static int host_path(const Virtio9p *fs, const char *rel, char *out)
{
    size_t n = (size_t)snprintf(out, P9_HOST_PATH, "%s", fs->root);
    const char *p = rel;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (n + 1 + len >= P9_HOST_PATH)
            return ENAMETOOLONG;
        out[n++] = '/';
        memcpy(out + n, p, len);
        n += len;
        out[n] = '\0';
        if (!slash)
            break;
        struct stat st;
        if (lstat(out, &st) < 0)
            return errno;
        if (!S_ISDIR(st.st_mode))
            return ENOTDIR;
        p = slash + 1;
    }
    return 0;
}

/* lstat of the file rel names (stat for the share's root), its host path
 * into host (P9_HOST_PATH bytes); 0 or an errno. */
static int stat_rel(const Virtio9p *fs, const char *rel, char *host,
                    struct stat *st)
{
    int e = host_path(fs, rel, host);
    if (e)
        return e;
    return (rel[0] ? lstat(host, st) : stat(host, st)) < 0 ? errno : 0;
}

/* host + "/" + name into host (P9_HOST_PATH bytes); 0 or ENAMETOOLONG. */
static int append_name(char *host, const char *name)
{
    size_t n = strlen(host);
    if (n + 1 + strlen(name) >= P9_HOST_PATH)
        return ENAMETOOLONG;
    snprintf(host + n, P9_HOST_PATH - n, "/%s", name);
    return 0;
}

/* The host path of name in the directory dir (relative); 0 or an errno. */
static int host_child(const Virtio9p *fs, const char *dir, const char *name,
                      char *out)
{
    if (!name_ok(name))
        return EINVAL;
    struct stat st;
    int e = stat_rel(fs, dir, out, &st);
    if (e)
        return e;
    return S_ISDIR(st.st_mode) ? append_name(out, name) : ENOTDIR;
}

/* "dir/name" (or "name" in the root) into a new string; NULL when too long. */
static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + 1 + strlen(name);
    if (len >= P9_PATH_MAX)
        return NULL;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    size_t dir_len = strlen(dir), at = dir_len;
    memcpy(s, dir, dir_len);
    if (dir_len)
        s[at++] = '/';
    memcpy(s + at, name, strlen(name) + 1);
    return s;
}

static P9Fid *fid_get(Virtio9p *fs, uint32_t fid)
{
    return fid < P9_MAX_FIDS && fs->fids[fid].path ? &fs->fids[fid] : NULL;
}

static void fid_close(Virtio9p *fs, P9Fid *f)
{
    if (f->fd >= 0) {
        close(f->fd);
        fs->n_open--;
    }
    f->fd = -1;
    f->opened_dir = false;
    free(f->names);
    f->names = NULL;
    f->n_names = f->names_len = 0;
}

static void fid_free(Virtio9p *fs, P9Fid *f)
{
    fid_close(fs, f);
    free(f->path);
    f->path = NULL;
}

/* Make fid (not in use) name path, which it takes over. */
static int fid_new(Virtio9p *fs, uint32_t fid, char *path)
{
    if (!path)
        return ENAMETOOLONG;
    if (fid >= P9_MAX_FIDS || fs->fids[fid].path) {
        free(path);
        return fid >= P9_MAX_FIDS ? EMFILE : EINVAL;
    }
    fs->fids[fid] = (P9Fid){ .path = path, .fd = -1 };
    return 0;
}

static void clunk_all(Virtio9p *fs)
{
    for (unsigned i = 0; i < P9_MAX_FIDS; i++)
        if (fs->fids[i].path)
            fid_free(fs, &fs->fids[i]);
}

/* After a rename of old to new: fids at or below old follow it. */
static void fids_renamed(Virtio9p *fs, const char *old, const char *new)
{
    size_t old_len = strlen(old);
    for (unsigned i = 0; i < P9_MAX_FIDS; i++) {
        char *p = fs->fids[i].path;
        if (!p || strncmp(p, old, old_len) || (p[old_len] && p[old_len] != '/'))
            continue;
        char *moved = p[old_len] ? join(new, p + old_len + 1) : strdup(new);
        if (moved) {
            free(p);
            fs->fids[i].path = moved;
        }
    }
}

/* After a request's fields are read: EINVAL if they ran past its end,
 * EBADF if the fid it names is not in use, else 0. */
static int args_ok(const P9Msg *in, const P9Fid *f)
{
    return in->bad ? EINVAL : !f ? EBADF : 0;
}

/* ---- requests ------------------------------------------------------------------ */

static int p9_version(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    uint32_t msize = get32(in);
    char version[32];
    get_str(in, version, sizeof(version));
    if (in->bad)
        return EINVAL;
    clunk_all(fs);
    fs->msize = msize < P9_MIN_MSIZE ? P9_MIN_MSIZE
              : msize > P9_MAX_MSIZE ? P9_MAX_MSIZE : msize;
    put_n(out, fs->msize, 4);
    put_str(out, strncmp(version, "9P2000.L", 8) ? "unknown" : "9P2000.L");
    return 0;
}

static int p9_attach(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    uint32_t fid = get32(in);
    char uname[P9_NAME_MAX + 1], aname[P9_PATH_MAX];
    get32(in);   /* afid: no authentication */
    get_str(in, uname, sizeof(uname));
    get_str(in, aname, sizeof(aname));
    if (in->bad)
        return EINVAL;
    char host[P9_HOST_PATH];
    struct stat st;
    int e = stat_rel(fs, "", host, &st);
    if (!e)
        e = fid_new(fs, fid, strdup(""));
    if (!e)
        put_qid(out, &st);
    return e;
}

/* One walk step by name from path (relative), whose lstat is in *st:
 * the new path, its lstat in *st, or NULL with *err set. */
static char *walk_step(Virtio9p *fs, const char *path, const char *name,
                       struct stat *st, int *err)
{
    if (!S_ISDIR(st->st_mode)) {
        *err = ENOTDIR;
        return NULL;
    }
    char *next, host[P9_HOST_PATH];
    if (!strcmp(name, "..")) {
        const char *slash = strrchr(path, '/');
        next = strndup(path, slash ? (size_t)(slash - path) : 0);
    } else if (!strcmp(name, ".")) {
        next = strdup(path);
    } else {
        next = name_ok(name) ? join(path, name) : NULL;
        if (!next) {
            *err = name_ok(name) ? ENAMETOOLONG : EINVAL;
            return NULL;
        }
    }
    if (next && (*err = stat_rel(fs, next, host, st)) != 0) {
        free(next);
        return NULL;
    }
    if (!next)
        *err = ENOMEM;
    return next;
}

static int p9_walk(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    uint32_t fid = get32(in), newfid = get32(in);
    unsigned nwname = (unsigned)get_n(in, 2);
    P9Fid *f = fid_get(fs, fid);
    if (in->bad || nwname > 16)
        return EINVAL;
    if (!f)
        return EBADF;
    if (newfid != fid && fid_get(fs, newfid))
        return EINVAL;
    char *path = strdup(f->path), host[P9_HOST_PATH];
    struct stat st;   /* of path, once a step needs it */
    uint32_t count_at = out->pos;
    unsigned done = 0;
    int err = !path ? ENOMEM : nwname ? stat_rel(fs, path, host, &st) : 0;
    put_n(out, 0, 2);
    for (; done < nwname && !err; done++) {
        char name[P9_NAME_MAX + 1];
        get_str(in, name, sizeof(name));
        if (in->bad) {
            err = EINVAL;
            break;
        }
        char *next = walk_step(fs, path, name, &st, &err);
        if (!next)
            break;
        free(path);
        path = next;
        put_qid(out, &st);
    }
    P9Msg count = { out->buf, out->len, count_at, false };
    put_n(&count, done, 2);
    if (done < nwname) {   /* stopped short: only the qids so far, if any */
        free(path);
        return done == 0 ? err : 0;
    }
    if (newfid == fid) {
        free(f->path);
        f->path = path;
        return 0;
    }
    return fid_new(fs, newfid, path);
}

/* The host's open flags for the guest's (Linux) ones: the access mode and
 * O_TRUNC; O_APPEND is left out, as every write names its offset. */
static int open_flags(uint32_t linux_flags)
{
    static const int access[4] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
    return access[linux_flags & 3] | (linux_flags & 01000 ? O_TRUNC : 0) |
           O_NOFOLLOW;
}

static bool writes(uint32_t linux_flags)
{
    return (linux_flags & 3) != 0 || (linux_flags & 01000);
}

/*
 * Open host (a regular file, or with O_CREAT a new one) for f; known: its
 * lstat if the caller has it.  Nothing else is opened: the host's fifos
 * and devices in a share could block the emulator (a fifo waits for its
 * other end) or act on opening.  The check comes first, as Node's file
 * calls take no O_NONBLOCK; natively the open is non-blocking as well, in
 * case the name changed meanwhile.
 */
static int open_fd(Virtio9p *fs, P9Fid *f, const char *host,
                   const struct stat *known, int flags, unsigned mode)
{
    struct stat st;
    if (known)
        st = *known;
    if ((known || lstat(host, &st) == 0) && !S_ISREG(st.st_mode))
        return S_ISLNK(st.st_mode) ? ELOOP : S_ISDIR(st.st_mode) ? EISDIR : ENXIO;
    if (fs->n_open >= P9_MAX_OPEN)
        return EMFILE;
    int fd = open(host, flags | O_NONBLOCK, mode);
    if (fd < 0)
        return errno;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ENXIO;
    }
    f->fd = fd;
    fs->n_open++;
    return 0;
}

static int p9_lopen(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    uint32_t flags = get32(in);
    if (in->bad)
        return EINVAL;
    if (!f || f->fd >= 0 || f->opened_dir)
        return EBADF;
    char host[P9_HOST_PATH];
    struct stat st;
    int e = stat_rel(fs, f->path, host, &st);
    if (e)
        return e;
    if (fs->readonly && writes(flags))
        return EROFS;
    if (S_ISDIR(st.st_mode)) {
        if (writes(flags))
            return EISDIR;
        f->opened_dir = true;
    } else if ((e = open_fd(fs, f, host, &st, open_flags(flags), 0)) != 0) {
        return e;
    }
    put_qid(out, &st);
    put_n(out, 0, 4);   /* iounit: the client's msize decides */
    return 0;
}

static int p9_lcreate(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    char name[P9_NAME_MAX + 1], host[P9_HOST_PATH];
    get_str(in, name, sizeof(name));
    uint32_t flags = get32(in), mode = get32(in);
    get32(in);   /* gid */
    if (in->bad)
        return EINVAL;
    if (!f || f->fd >= 0 || f->opened_dir)
        return EBADF;
    if (fs->readonly)
        return EROFS;
    int e = host_child(fs, f->path, name, host);
    char *path = e ? NULL : join(f->path, name);
    if (!e && !path)
        e = ENAMETOOLONG;
    if (!e)
        e = open_fd(fs, f, host, NULL, open_flags(flags) | O_CREAT |
                    (flags & 0200 ? O_EXCL : 0), mode & 07777);
    if (e) {
        free(path);
        return e;
    }
    free(f->path);
    f->path = path;
    struct stat st;
    if (fchmod(f->fd, mode & 07777) < 0 || fstat(f->fd, &st) < 0)
        return errno;   /* (the mode the guest asked for, not the host's umask) */
    put_qid(out, &st);
    put_n(out, 0, 4);
    return 0;
}

static int p9_read(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    uint64_t offset = get_n(in, 8);
    uint32_t count = get32(in);
    if (in->bad || offset > INT64_MAX)
        return EINVAL;
    if (!f || (f->fd < 0 && !f->opened_dir))
        return EBADF;
    if (f->opened_dir)
        return EISDIR;
    if (out->len - out->pos < 4)
        return EMSGSIZE;
    uint32_t room = out->len - out->pos - 4;
    if (count > room)
        count = room;
    ssize_t n = pread(f->fd, out->buf + out->pos + 4, count, (off_t)offset);
    if (n < 0)
        return errno;
    put_n(out, (uint64_t)n, 4);
    out->pos += (uint32_t)n;
    return 0;
}

static int p9_write(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    uint64_t offset = get_n(in, 8);
    uint32_t count = get32(in);
    if (in->bad || offset > INT64_MAX || count > in->len - in->pos)
        return EINVAL;
    if (!f || f->fd < 0)
        return EBADF;
    ssize_t n = pwrite(f->fd, in->buf + in->pos, count, (off_t)offset);
    if (n < 0)
        return errno;
    put_n(out, (uint64_t)n, 4);
    return 0;
}

static int p9_clunk(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    int e = args_ok(in, f);
    if (e)
        return e;
    fid_free(fs, f);
    return 0;
}

static void put_stat(P9Msg *out, const struct stat *st)
{
    put_n(out, 0x7ff, 8);   /* valid: the basic fields */
    put_qid(out, st);
    put_n(out, st->st_mode, 4);
    put_n(out, st->st_uid, 4);
    put_n(out, st->st_gid, 4);
    put_n(out, st->st_nlink, 8);
    put_n(out, st->st_rdev, 8);
    put_n(out, (uint64_t)st->st_size, 8);
    put_n(out, st->st_blksize, 8);
    put_n(out, (uint64_t)st->st_blocks, 8);
    put_n(out, (uint64_t)st->st_atim.tv_sec, 8);
    put_n(out, (uint64_t)st->st_atim.tv_nsec, 8);
    put_n(out, (uint64_t)st->st_mtim.tv_sec, 8);
    put_n(out, (uint64_t)st->st_mtim.tv_nsec, 8);
    put_n(out, (uint64_t)st->st_ctim.tv_sec, 8);
    put_n(out, (uint64_t)st->st_ctim.tv_nsec, 8);
    for (unsigned i = 0; i < 4; i++)   /* btime, gen, data_version */
        put_n(out, 0, 8);
}

/* The file fid names: fstat of its open file (it may be unlinked), else
 * lstat of its path, whose host path goes to host (P9_HOST_PATH bytes). */
static int stat_fid(Virtio9p *fs, const P9Fid *f, char *host, struct stat *st)
{
    if (f->fd >= 0)
        return fstat(f->fd, st) < 0 ? errno : 0;
    return stat_rel(fs, f->path, host, st);
}

static int p9_getattr(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    get_n(in, 8);   /* request mask: we always give the basic fields */
    int e = args_ok(in, f);
    if (e)
        return e;
    char host[P9_HOST_PATH];
    struct stat st;
    e = stat_fid(fs, f, host, &st);
    if (!e)
        put_stat(out, &st);
    return e;
}

/* New access and modification times for Tsetattr (kept, now, or given). */
static void setattr_times(uint32_t valid, const struct stat *st,
                          const struct timespec given[2], struct timespec ts[2])
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    ts[0] = st->st_atim;
    ts[1] = st->st_mtim;
    if (valid & SETATTR_ATIME)
        ts[0] = valid & SETATTR_ATIME_SET ? given[0] : now;
    if (valid & SETATTR_MTIME)
        ts[1] = valid & SETATTR_MTIME_SET ? given[1] : now;
}

/* Tsetattr on an open file: through its descriptor, as the path may name
 * something else by now (the guest may have put a symlink there). */
static int setattr_fd(int fd, uint32_t valid, uint32_t mode, uint32_t uid,
                      uint32_t gid, uint64_t size, const struct stat *st,
                      const struct timespec given[2])
{
    if ((valid & SETATTR_MODE) && fchmod(fd, mode & 07777) < 0)
        return errno;
    if (valid & (SETATTR_UID | SETATTR_GID))   /* security_model=none */
        (void)!fchown(fd, valid & SETATTR_UID ? uid : (uid_t)-1,
                      valid & SETATTR_GID ? gid : (gid_t)-1);
    if ((valid & SETATTR_SIZE) && ftruncate(fd, (off_t)size) < 0)
        return errno;
    if (valid & (SETATTR_ATIME | SETATTR_MTIME)) {
        struct timespec ts[2];
        setattr_times(valid, st, given, ts);
        if (futimens(fd, ts) < 0)
            return errno;
    }
    return 0;
}

static int p9_setattr(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    uint32_t valid = get32(in), mode = get32(in), uid = get32(in),
             gid = get32(in);
    uint64_t size = get_n(in, 8);
    struct timespec given[2];
    for (unsigned i = 0; i < 2; i++) {
        given[i].tv_sec = (time_t)get_n(in, 8);
        given[i].tv_nsec = (long)(get_n(in, 8) % 1000000000u);
    }
    if (in->bad || size > INT64_MAX)
        return EINVAL;
    if (!f)
        return EBADF;
    if (fs->readonly)
        return EROFS;
    char host[P9_HOST_PATH];
    struct stat st;
    int e = stat_fid(fs, f, host, &st);
    if (e)
        return e;
    if (f->fd >= 0)
        return setattr_fd(f->fd, valid, mode, uid, gid, size, &st, given);
    if (S_ISLNK(st.st_mode))
        return 0;   /* (a link's own attributes do not matter on Linux) */
    if ((valid & SETATTR_MODE) && chmod(host, mode & 07777) < 0)
        return errno;
    if (valid & (SETATTR_UID | SETATTR_GID))   /* security_model=none */
        (void)!chown(host, valid & SETATTR_UID ? uid : (uid_t)-1,
                     valid & SETATTR_GID ? gid : (gid_t)-1);
    if ((valid & SETATTR_SIZE) &&
        (!S_ISREG(st.st_mode) || truncate(host, (off_t)size) < 0))
        return S_ISREG(st.st_mode) ? errno : EINVAL;
    if (valid & (SETATTR_ATIME | SETATTR_MTIME)) {
        struct timespec ts[2];
        setattr_times(valid, &st, given, ts);
        if (utimensat(AT_FDCWD, host, ts, 0) < 0)
            return errno;
    }
    return 0;
}

/* Read the directory dir (host path) into f's listing. */
static int read_listing(P9Fid *f, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno;
    size_t cap = 4096, len = 0;
    uint32_t n = 0;
    char *names = malloc(cap);
    struct dirent *de;
    while (names && n < P9_DIR_MAX_ENTRIES && (de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name) + 1;
        if (len + l > cap) {
            char *grown = realloc(names, cap * 2);
            if (!grown) {
                free(names);
                names = NULL;
                break;
            }
            names = grown;
            cap *= 2;
        }
        memcpy(names + len, de->d_name, l);
        len += l;
        n++;
    }
    closedir(d);
    if (!names)
        return ENOMEM;
    free(f->names);
    f->names = names;
    f->n_names = n;
    f->names_len = (uint32_t)len;
    return 0;
}

static uint8_t dirent_type(mode_t mode)
{
    return S_ISDIR(mode) ? 4 : S_ISREG(mode) ? 8 : S_ISLNK(mode) ? 10
         : S_ISFIFO(mode) ? 1 : S_ISCHR(mode) ? 2 : S_ISBLK(mode) ? 6
         : S_ISSOCK(mode) ? 12 : 0;
}

static int p9_readdir(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    uint64_t offset = get_n(in, 8);
    uint32_t count = get32(in);
    if (in->bad)
        return EINVAL;
    if (!f || !f->opened_dir)
        return EBADF;
    char dir[P9_HOST_PATH];
    struct stat dir_st;
    int e = stat_rel(fs, f->path, dir, &dir_st);
    if (!e && !S_ISDIR(dir_st.st_mode))
        e = ENOTDIR;   /* (replaced since it was opened: a link, maybe) */
    if (!e && (offset == 0 || !f->names))
        e = read_listing(f, dir);
    if (e)
        return e;
    uint32_t count_at = out->pos;
    put_n(out, 0, 4);
    uint32_t end = out->len - out->pos < count ? out->len : out->pos + count;
    P9Msg entries = { out->buf, end, out->pos, false };
    const char *name = f->names;
    for (uint64_t i = 0; i < f->n_names; i++, name += strlen(name) + 1) {
        if (i < offset)
            continue;
        /* (the host's names have no '/'; the qid of . and .. hardly
         * matters: the directory's own) */
        char host[P9_HOST_PATH];
        struct stat st = dir_st;
        if (strcmp(name, ".") && strcmp(name, "..") &&
            (snprintf(host, sizeof(host), "%s/%s", dir, name) >= (int)sizeof(host) ||
             lstat(host, &st) < 0))
            continue;   /* gone since the listing was read */
        uint32_t before = entries.pos;
        put_qid(&entries, &st);
        put_n(&entries, i + 1, 8);
        put_n(&entries, dirent_type(st.st_mode), 1);
        put_str(&entries, name);
        if (entries.bad) {
            entries.pos = before;
            break;
        }
    }
    P9Msg count_field = { out->buf, out->len, count_at, false };
    put_n(&count_field, entries.pos - out->pos, 4);
    out->pos = entries.pos;
    return 0;
}

/* Creating name in the directory fid dfid: its host path and the new
 * fid-relative path; 0 or an errno. */
static int new_child(Virtio9p *fs, uint32_t dfid, const char *name,
                     char *host, char **path)
{
    P9Fid *d = fid_get(fs, dfid);
    if (!d)
        return EBADF;
    if (fs->readonly)
        return EROFS;
    int e = host_child(fs, d->path, name, host);
    if (e)
        return e;
    *path = join(d->path, name);
    return *path ? 0 : ENAMETOOLONG;
}

/* The reply to a request that made host (its path in the share: path, no
 * longer needed): its qid. */
static int reply_qid(const char *host, char *path, P9Msg *out)
{
    struct stat st;
    free(path);
    if (lstat(host, &st) < 0)
        return errno;
    put_qid(out, &st);
    return 0;
}

static int p9_mkdir(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    uint32_t dfid = get32(in);
    char name[P9_NAME_MAX + 1], host[P9_HOST_PATH], *path;
    get_str(in, name, sizeof(name));
    uint32_t mode = get32(in);
    get32(in);   /* gid */
    if (in->bad)
        return EINVAL;
    int e = new_child(fs, dfid, name, host, &path);
    if (e)
        return e;
    if (mkdir(host, mode & 07777) < 0 || chmod(host, mode & 07777) < 0) {
        free(path);
        return errno;
    }
    return reply_qid(host, path, out);
}

static int p9_symlink(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    uint32_t dfid = get32(in);
    char name[P9_NAME_MAX + 1], target[P9_PATH_MAX], host[P9_HOST_PATH], *path;
    get_str(in, name, sizeof(name));
    get_str(in, target, sizeof(target));
    get32(in);   /* gid */
    if (in->bad)
        return EINVAL;
    int e = new_child(fs, dfid, name, host, &path);
    if (e)
        return e;
    if (symlink(target, host) < 0) {   /* (only ever read back, never followed) */
        free(path);
        return errno;
    }
    return reply_qid(host, path, out);
}

static int p9_link(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    uint32_t dfid = get32(in);
    P9Fid *f = fid_get(fs, get32(in));
    char name[P9_NAME_MAX + 1], host[P9_HOST_PATH], old[P9_HOST_PATH], *path;
    get_str(in, name, sizeof(name));
    int e = args_ok(in, f);
    if (e)
        return e;
    e = new_child(fs, dfid, name, host, &path);
    if (e)
        return e;
    free(path);
    struct stat st;
    e = stat_rel(fs, f->path, old, &st);
    if (!e && S_ISDIR(st.st_mode))
        e = EPERM;
    /* linkat, not link: Emscripten's link() is a stub that fails, its
     * linkat goes to host/emscripten/library_fd.js */
    if (!e && linkat(AT_FDCWD, old, AT_FDCWD, host, 0) < 0)
        e = errno;
    return e;
}

static int p9_readlink(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    int e = args_ok(in, f);
    if (e)
        return e;
    char host[P9_HOST_PATH], target[P9_PATH_MAX];
    e = host_path(fs, f->path, host);
    if (e)
        return e;
    ssize_t n = readlink(host, target, sizeof(target) - 1);
    if (n < 0)
        return errno;
    target[n] = '\0';
    put_str(out, target);
    return 0;
}

/* Rename name in the directory old_dir to new_name in new_dir (paths
 * relative to the share); the fids at or below it follow. */
static int rename_paths(Virtio9p *fs, const char *old_dir, const char *name,
                        const char *new_dir, const char *new_name)
{
    char old_host[P9_HOST_PATH], new_host[P9_HOST_PATH];
    int e = host_child(fs, old_dir, name, old_host);
    if (!e)
        e = host_child(fs, new_dir, new_name, new_host);
    char *old_path = e ? NULL : join(old_dir, name);
    char *new_path = e ? NULL : join(new_dir, new_name);
    if (!e && (!old_path || !new_path))
        e = ENAMETOOLONG;
    if (!e && rename(old_host, new_host) < 0)
        e = errno;
    if (!e)
        fids_renamed(fs, old_path, new_path);
    free(old_path);
    free(new_path);
    return e;
}

static int p9_renameat(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *old_dir = fid_get(fs, get32(in));
    char name[P9_NAME_MAX + 1], new_name[P9_NAME_MAX + 1];
    get_str(in, name, sizeof(name));
    P9Fid *new_dir = fid_get(fs, get32(in));
    get_str(in, new_name, sizeof(new_name));
    if (in->bad)
        return EINVAL;
    if (!old_dir || !new_dir)
        return EBADF;
    return rename_paths(fs, old_dir->path, name, new_dir->path, new_name);
}

/* Trename: the file fid names moves to new_name in the directory dfid. */
static int p9_rename(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    P9Fid *new_dir = fid_get(fs, get32(in));
    char new_name[P9_NAME_MAX + 1], dir[P9_PATH_MAX];
    get_str(in, new_name, sizeof(new_name));
    if (in->bad)
        return EINVAL;
    if (!f || !new_dir)
        return EBADF;
    if (!f->path[0])
        return EBUSY;   /* the share's root */
    const char *slash = strrchr(f->path, '/');
    size_t dir_len = slash ? (size_t)(slash - f->path) : 0;
    memcpy(dir, f->path, dir_len);
    dir[dir_len] = '\0';
    char *new_dir_path = strdup(new_dir->path);   /* (f's may change) */
    if (!new_dir_path)
        return ENOMEM;
    int e = rename_paths(fs, dir, slash ? slash + 1 : f->path, new_dir_path,
                         new_name);
    free(new_dir_path);
    return e;
}

static int remove_host(const char *host, bool dir)
{
    return (dir ? rmdir(host) : unlink(host)) < 0 ? errno : 0;
}

static int p9_unlinkat(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    uint32_t dfid = get32(in);
    char name[P9_NAME_MAX + 1], host[P9_HOST_PATH], *path;
    get_str(in, name, sizeof(name));
    uint32_t flags = get32(in);
    if (in->bad)
        return EINVAL;
    int e = new_child(fs, dfid, name, host, &path);
    if (e)
        return e;
    free(path);
    return remove_host(host, flags & 0x200);   /* AT_REMOVEDIR */
}

static int p9_remove(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    uint32_t fid = get32(in);
    P9Fid *f = fid_get(fs, fid);
    int e = args_ok(in, f);
    if (e)
        return e;
    char host[P9_HOST_PATH];
    struct stat st;
    e = fs->readonly ? EROFS : !f->path[0] ? EBUSY
          : stat_rel(fs, f->path, host, &st);
    if (!e)
        e = remove_host(host, S_ISDIR(st.st_mode));
    fid_free(fs, f);   /* clunked, whatever happened */
    return e;
}

static int p9_statfs(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    get32(in);
    if (in->bad)
        return EINVAL;
    struct statvfs sv;
    if (statvfs(fs->root, &sv) < 0)
        return errno;
    put_n(out, 0x01021997, 4);   /* V9FS_MAGIC */
    put_n(out, sv.f_bsize, 4);
    put_n(out, sv.f_blocks, 8);
    put_n(out, sv.f_bfree, 8);
    put_n(out, sv.f_bavail, 8);
    put_n(out, sv.f_files, 8);
    put_n(out, sv.f_ffree, 8);
    put_n(out, sv.f_fsid, 8);
    put_n(out, sv.f_namemax, 4);
    return 0;
}

static int p9_fsync(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    P9Fid *f = fid_get(fs, get32(in));
    int e = args_ok(in, f);
    if (e)
        return e;
    return f->fd >= 0 && fsync(f->fd) < 0 ? errno : 0;
}

/* Locks: every lock is granted (one guest, and it keeps its own). */
static int p9_lock(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    put_n(out, 0, 1);   /* P9_LOCK_SUCCESS */
    return 0;
}

static int p9_getlock(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    char client[P9_NAME_MAX + 1];
    get32(in);
    get_n(in, 1);
    uint64_t start = get_n(in, 8), length = get_n(in, 8);
    uint32_t proc_id = get32(in);
    get_str(in, client, sizeof(client));
    if (in->bad)
        return EINVAL;
    put_n(out, 2, 1);   /* F_UNLCK: nothing in the way */
    put_n(out, start, 8);
    put_n(out, length, 8);
    put_n(out, proc_id, 4);
    put_str(out, client);
    return 0;
}

static int p9_flush(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    return 0;   /* every request is answered before the next is read */
}

static int p9_unsupported(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    return EOPNOTSUPP;   /* extended attributes, authentication */
}

static int p9_mknod(Virtio9p *fs, P9Msg *in, P9Msg *out)
{
    return EPERM;   /* device nodes and fifos would need the host's root */
}

typedef int (*P9Handler)(Virtio9p *fs, P9Msg *in, P9Msg *out);

static P9Handler handler_for(uint8_t type)
{
    switch (type) {
    case P9_TVERSION: return p9_version;
    case P9_TATTACH: return p9_attach;
    case P9_TWALK: return p9_walk;
    case P9_TLOPEN: return p9_lopen;
    case P9_TLCREATE: return p9_lcreate;
    case P9_TREAD: return p9_read;
    case P9_TWRITE: return p9_write;
    case P9_TCLUNK: return p9_clunk;
    case P9_TREMOVE: return p9_remove;
    case P9_TGETATTR: return p9_getattr;
    case P9_TSETATTR: return p9_setattr;
    case P9_TREADDIR: return p9_readdir;
    case P9_TMKDIR: return p9_mkdir;
    case P9_TSYMLINK: return p9_symlink;
    case P9_TLINK: return p9_link;
    case P9_TREADLINK: return p9_readlink;
    case P9_TRENAME: return p9_rename;
    case P9_TRENAMEAT: return p9_renameat;
    case P9_TUNLINKAT: return p9_unlinkat;
    case P9_TSTATFS: return p9_statfs;
    case P9_TFSYNC: return p9_fsync;
    case P9_TLOCK: return p9_lock;
    case P9_TGETLOCK: return p9_getlock;
    case P9_TFLUSH: return p9_flush;
    case P9_TMKNOD: return p9_mknod;
    default: return p9_unsupported;
    }
}

static bool mutates(uint8_t type)
{
    return type == P9_TLCREATE || type == P9_TWRITE || type == P9_TREMOVE ||
           type == P9_TSETATTR || type == P9_TMKDIR || type == P9_TSYMLINK ||
           type == P9_TLINK || type == P9_TRENAME || type == P9_TRENAMEAT ||
           type == P9_TUNLINKAT || type == P9_TMKNOD;
}

/* ---- the virtio device ------------------------------------------------------- */

/* Serve one request: the reply's length in fs->resp. */
static uint32_t p9_serve(Virtio9p *fs, uint32_t req_len, uint32_t reply_room)
{
    P9Msg in = { fs->req, req_len, P9_HEADER, false };
    uint8_t type = fs->req[4];
    uint16_t tag = (uint16_t)(fs->req[5] | fs->req[6] << 8);
    uint32_t msize = fs->msize ? fs->msize : P9_MAX_MSIZE;
    uint32_t room = reply_room < msize ? reply_room : msize;
    P9Msg out = { fs->resp, room, P9_HEADER, false };
    int e = fs->readonly && mutates(type) ? EROFS
          : type == P9_TVERSION || fs->msize ? handler_for(type)(fs, &in, &out)
          : EPROTO;   /* nothing before Tversion */
    if (!e && out.bad)
        e = EMSGSIZE;
    if (e) {
        out = (P9Msg){ fs->resp, room, P9_HEADER, false };
        put_n(&out, linux_errno(e), 4);
        type = P9_TLERROR;
    }
    P9Msg header = { fs->resp, P9_HEADER, 0, false };
    put_n(&header, out.pos, 4);
    put_n(&header, type + 1, 1);
    put_n(&header, tag, 2);
    return out.pos;
}

static long p9_handle(VirtioMmio *v, void *dev, unsigned queue, VirtqChain *c)
{
    Virtio9p *fs = dev;
    uint8_t size_field[4];
    if (c->readable_len < P9_HEADER || c->writable_len < P9_HEADER + 4 ||
        !virtq_read(v, c, 0, size_field, 4))
        return -1;
    uint32_t size = (uint32_t)size_field[0] | size_field[1] << 8 |
                    size_field[2] << 16 | (uint32_t)size_field[3] << 24;
    if (size < P9_HEADER)
        return -1;
    uint32_t limit = fs->msize ? fs->msize : P9_MAX_MSIZE;
    uint32_t len = size < limit ? size : limit;
    if (len > c->readable_len)
        len = (uint32_t)c->readable_len;
    if (!virtq_read(v, c, 0, fs->req, len))
        return -1;
    uint32_t room = c->writable_len < P9_MAX_MSIZE ? (uint32_t)c->writable_len
                                                   : P9_MAX_MSIZE;
    uint32_t reply_len = p9_serve(fs, size == len ? len : P9_HEADER, room);
    if (!virtq_write(v, c, 0, fs->resp, reply_len))
        return -1;
    return reply_len;
}

static uint64_t p9_config_read(void *dev, uint64_t offset, unsigned size)
{
    Virtio9p *fs = dev;
    uint8_t config[2 + sizeof(fs->tag)] = { 0 };
    size_t tag_len = strlen(fs->tag);
    config[0] = (uint8_t)tag_len;
    memcpy(config + 2, fs->tag, tag_len);
    uint64_t v = 0;
    if (offset < sizeof(config) && size <= sizeof(config) - offset)
        memcpy(&v, config + offset, size);
    return v;
}

static void p9_reset(void *dev)
{
    Virtio9p *fs = dev;
    clunk_all(fs);
    fs->msize = 0;
}

static void p9_destroy(void *dev)
{
    p9_reset(dev);
    free(dev);
}

VirtioMmio *virtio_9p_create(PhysMem *pm, IrqLine irq, const char *path,
                             const char *tag, bool readonly, char *err,
                             size_t errlen)
{
    struct stat st;
    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "-virtfs: '%s' is not a directory", path);
        return NULL;
    }
    Virtio9p *fs = calloc(1, sizeof(*fs));
    if (!fs) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (len >= sizeof(fs->root) || strlen(tag) >= sizeof(fs->tag)) {
        snprintf(err, errlen, "-virtfs: path or mount_tag too long");
        free(fs);
        return NULL;
    }
    memcpy(fs->root, path, len);
    snprintf(fs->tag, sizeof(fs->tag), "%s", tag);
    fs->readonly = readonly;
    fs->ops = (VirtioDeviceOps){
        .device_id = 9,
        .features = VIRTIO_F_VERSION_1 | VIRTIO_9P_MOUNT_TAG,
        .num_queues = 1,
        .config_read = p9_config_read,
        .handle = p9_handle,
        .reset = p9_reset,
        .destroy = p9_destroy,
    };
    VirtioMmio *v = virtio_mmio_new(pm, irq, &fs->ops, fs);
    if (!v) {
        free(fs);
        snprintf(err, errlen, "out of memory");
    }
    return v;
}
