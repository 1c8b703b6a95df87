// Emscripten 3.1.6's file reads and writes, mended (emcc --js-library
// replaces its own with these):
// - its pread and pwrite take the file offset from the low 32 bits alone,
//   as a signed number, so on a disk image past 2 GiB they failed, and past
//   4 GiB they went to offset modulo 4 GiB (a guest write at 4 GiB + 512
//   landed on sector 1, over the file system's superblock);
// - its readv and writev read buffer pointers as signed numbers, and with
//   linear memory past 2 GiB a buffer up there arrives negative;
// - its preadv gave every buffer the same offset;
// - its utimensat hands Node's utimesSync milliseconds where it takes
//   seconds (under Node a time the guest set in a shared folder, -virtfs,
//   came out near the year 49000);
// - it has no linkat (every hard link failed with EMLINK): under Node it
//   is now Node's linkSync.
mergeInto(LibraryManager.library, {
  // linkat(2) on host paths (NODERAWFS; the 9P server passes whole paths it
  // has checked).  MEMFS, in the page, has no hard links: EPERM.
  __syscall_linkat__deps: ['$SYSCALLS', '$ERRNO_CODES'],
  __syscall_linkat: function (olddirfd, oldpath, newdirfd, newpath, flags) {
    if (!ENVIRONMENT_IS_NODE)
      return -{{{ cDefine('EPERM') }}};
    try {
      require('fs').linkSync(SYSCALLS.getStr(oldpath), SYSCALLS.getStr(newpath));
      return 0;
    } catch (e) {
      return -(ERRNO_CODES[e.code] || {{{ cDefine('EIO') }}});
    }
  },

  // Bytes moved through `count` iovecs at `iov`, at `offset` (undefined:
  // the stream's position).
  $wasmuTransfer__deps: ['$FS'],
  $wasmuTransfer: function (stream, iov, count, offset, write) {
    var done = 0;
    for (var i = 0; i < count; i++) {
      var ptr = HEAPU32[(iov >>> 2) + 2 * i], len = HEAPU32[(iov >>> 2) + 2 * i + 1];
      var n = write ? FS.write(stream, HEAP8, ptr, len, offset)
                    : FS.read(stream, HEAP8, ptr, len, offset);
      done += n;
      if (offset !== undefined) offset += n;
      if (n < len) break;
    }
    return done;
  },

  // The WASI calls: 0 or an errno; the byte count to *pnum.
  $wasmuFdCall__deps: ['$SYSCALLS', '$FS', '$wasmuTransfer'],
  $wasmuFdCall: function (fd, iov, count, offset, write, pnum) {
    try {
      var stream = SYSCALLS.getStreamFromFD(fd);
      HEAPU32[pnum >>> 2] = wasmuTransfer(stream, iov, count, offset, write);
      return 0;
    } catch (e) {
      if (typeof FS == 'undefined' || !(e instanceof FS.ErrnoError)) throw e;
      return e.errno;
    }
  },

  fd_read__deps: ['$wasmuFdCall'],
  fd_read__sig: 'iiiii',
  fd_read: function (fd, iov, count, pnum) {
    return wasmuFdCall(fd, iov, count, undefined, false, pnum);
  },

  fd_write__deps: ['$wasmuFdCall'],
  fd_write__sig: 'iiiii',
  fd_write: function (fd, iov, count, pnum) {
    return wasmuFdCall(fd, iov, count, undefined, true, pnum);
  },

  // The 64-bit offset arrives as two 32-bit halves.
  fd_pread__deps: ['$wasmuFdCall'],
  fd_pread: function (fd, iov, count, offset_low, offset_high, pnum) {
    return wasmuFdCall(fd, iov, count, offset_high * 4294967296 + (offset_low >>> 0), false, pnum);
  },

  fd_pwrite__deps: ['$wasmuFdCall'],
  fd_pwrite: function (fd, iov, count, offset_low, offset_high, pnum) {
    return wasmuFdCall(fd, iov, count, offset_high * 4294967296 + (offset_low >>> 0), true, pnum);
  },

  // times: two struct timespec (no UTIME_NOW or UTIME_OMIT: the callers
  // give both times); flags are not looked at.  No path: futimens, on the
  // open file itself (Node: by its descriptor; a path may name something
  // else by now).
  __syscall_utimensat__deps: ['$SYSCALLS', '$FS', '$ERRNO_CODES'],
  __syscall_utimensat: function (dirfd, path, times, flags) {
    try {
      var ms = [];
      for (var i = 0; i < 2; i++) {
        var at = times + i * {{{ C_STRUCTS.timespec.__size__ }}};
        ms.push(HEAP32[(at + {{{ C_STRUCTS.timespec.tv_sec }}}) >> 2] * 1000 +
                HEAP32[(at + {{{ C_STRUCTS.timespec.tv_nsec }}}) >> 2] / 1e6);
      }
      if (!path) {
        var stream = SYSCALLS.getStreamFromFD(dirfd);
#if NODERAWFS
        if (!stream.stream_ops) {
          fs.futimesSync(stream.nfd, ms[0] / 1000, ms[1] / 1000);
          return 0;
        }
#endif
        FS.utime(stream.path, ms[0], ms[1]);   // (an in-memory file)
        return 0;
      }
      path = SYSCALLS.calculateAt(dirfd, SYSCALLS.getStr(path), true);
#if NODERAWFS
      FS.utime(path, ms[0] / 1000, ms[1] / 1000);   // fs.utimesSync: seconds
#else
      FS.utime(path, ms[0], ms[1]);                 // MEMFS: milliseconds
#endif
      return 0;
    } catch (e) {
      if (e && e.code in ERRNO_CODES) return -ERRNO_CODES[e.code];   // Node's
      if (typeof FS == 'undefined' || !(e instanceof FS.ErrnoError)) throw e;
      return -e.errno;
    }
  },
});
