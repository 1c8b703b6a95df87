#!/usr/bin/env bash
# Builds the default guest: Linux 6.1 Image (Debian's linux-source-6.1 with
# guest/linux.config over tinyconfig), a static busybox initramfs and an
# ext2 disk.  Cached in ${WASMU_CACHE:-~/.cache/wasmu}/guest-<hash of this
# recipe>, with bench.ext2 (zstd and xz from Debian sources, for bench/);
# prints that directory as the last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hash=$( (cat "$here/build.sh" "$here/init" "$here/inittab" "$here/profile" "$here/busybox.sed" \
              "$here/bench/bench.lua"; \
         bash "$here/build-kernel.sh" | tail -n 1) | sha256sum | cut -c1-16)
cache=${WASMU_CACHE:-$HOME/.cache/wasmu}
out=$cache/guest-$hash
if [ -f "$out/done" ]; then echo "$out"; exit 0; fi
mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
log=$work/build.log
# A failed build keeps its log, not its sources (tens of MB each time).
trap 'cp "$log" "$cache/guest-build.log"; rm -rf "$work"; echo "guest build failed; log: $cache/guest-build.log" >&2' ERR
CROSS=riscv64-linux-gnu-
jobs=$(nproc)

kernel=$(bash "$here/build-kernel.sh" | tail -n 1)

# apt-get source of a package (extra apt-get options first): the version
# apt picks, else each other version the source indexes list, newest first.
# A mirror may list a security update whose files it does not serve (404):
# the same upstream release from the main suite builds the same programs.
fetch_source() {
  local pkg=${*: -1} version
  (cd "$work" && apt-get source -q "$@" >>"$log" 2>&1) && return 0
  for version in $(apt-cache showsrc "$pkg" | sed -n 's/^Version: //p' | sort -Vru); do
    echo "guest: retrying the source of $pkg at version $version" >>"$log"
    (cd "$work" && apt-get source -q "${@:1:$#-1}" "$pkg=$version" >>"$log" 2>&1) && return 0
  done
  echo "guest: no version of the source package $pkg could be fetched" >&2
  return 1
}

echo "guest: building busybox" >&2
fetch_source busybox
bsrc=$(ls -d "$work"/busybox-*/ | head -n 1)
make -C "$bsrc" ARCH=riscv CROSS_COMPILE=$CROSS defconfig >>"$log" 2>&1
sed -i -f "$here/busybox.sed" "$bsrc/.config"
{ yes "" || true; } | make -C "$bsrc" ARCH=riscv CROSS_COMPILE=$CROSS oldconfig >>"$log" 2>&1
make -C "$bsrc" ARCH=riscv CROSS_COMPILE=$CROSS -j"$jobs" busybox >>"$log" 2>&1

echo "guest: building lua (Debian's lua5.4 source) for the guest benchmark" >&2
fetch_source --download-only lua5.4
mkdir -p "$work/lua"
tar -C "$work/lua" -xzf "$(ls "$work"/lua5.4_*.orig.tar.gz | head -n 1)"
luasrc=$(ls -d "$work"/lua/lua-*/src | head -n 1)
${CROSS}gcc -O2 -static -DLUA_USE_POSIX -o "$work/lua.bin" \
  $(ls "$luasrc"/*.c | grep -v '/luac\.c$') -lm >>"$log" 2>&1

echo "guest: building zstd and xz (Debian sources) for the guest benchmarks" >&2
fetch_source libzstd
fetch_source xz-utils
zsrc=$(ls -d "$work"/libzstd-*/ | head -n 1)
make -C "$zsrc/programs" -j"$jobs" zstd CC=${CROSS}gcc MOREFLAGS=-O2 LDFLAGS=-static \
  HAVE_ZLIB=0 HAVE_LZMA=0 HAVE_LZ4=0 HAVE_THREAD=0 >>"$log" 2>&1
xsrc=$(ls -d "$work"/xz-utils-*/ | head -n 1)
(cd "$xsrc" && ./configure --host=riscv64-linux-gnu --disable-shared --disable-nls \
   --disable-threads --disable-xzdec --disable-lzmadec --disable-lzmainfo \
   --disable-lzma-links --disable-scripts --disable-doc CFLAGS=-O2 >>"$log" 2>&1)
# libtool drops a plain -static; -all-static links the xz binary statically
make -C "$xsrc" -j"$jobs" LDFLAGS=-all-static >>"$log" 2>&1

echo "guest: packing initramfs and disk" >&2
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,mnt,root,etc}
cp "$bsrc/busybox" "$root/bin/busybox"
while read -r link; do
  [ -n "$link" ] || continue
  mkdir -p "$root/$(dirname "$link")"
  ln -sf /bin/busybox "$root/$link"
done < <(make -s -C "$bsrc" ARCH=riscv busybox.links >>"$log" 2>&1; cat "$bsrc/busybox.links")
mkdir -p "$root/etc/init.d"
install -m 755 "$here/init" "$root/etc/init.d/rcS"
install -m 755 "$work/lua.bin" "$root/usr/bin/lua"
install -m 644 "$here/bench/bench.lua" "$root/root/bench.lua"
install -m 644 "$here/inittab" "$root/etc/inittab"
install -m 644 "$here/profile" "$root/etc/profile"
ln -sf /bin/busybox "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
echo wasmu > "$root/etc/hostname"
# Uncompressed: the kernel inflating a gzip'd one was a third of the
# instructions of a boot (~50M of ~146M), in every front door; a web server
# can still compress it on the wire.
(cd "$root" && find . | cpio -o -H newc 2>>"$log") > "$work/initramfs.cpio"

disk_root=$work/disk
mkdir -p "$disk_root"
echo "hello from the wasmu disk" > "$disk_root/hello.txt"
truncate -s 16M "$work/disk.ext2"
mkfs.ext2 -q -F -d "$disk_root" "$work/disk.ext2" >>"$log" 2>&1

# The benchmark programs live on their own disk, so that they do not make
# the initramfs (unpacked at every boot, in the browser too) bigger.
bench_root=$work/bench
mkdir -p "$bench_root"
install -m 755 "$zsrc/programs/zstd" "$bench_root/zstd"
install -m 755 "$xsrc/src/xz/xz" "$bench_root/xz"
truncate -s 8M "$work/bench.ext2"
mkfs.ext2 -q -F -d "$bench_root" "$work/bench.ext2" >>"$log" 2>&1

mkdir -p "$out"
cp "$kernel/Image" "$work/initramfs.cpio" "$work/disk.ext2" "$work/bench.ext2" "$out/"
cp "$kernel/.config" "$out/linux.config"
touch "$out/done"
rm -rf "$work"
echo "$out"
