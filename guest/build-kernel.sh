#!/usr/bin/env bash
# Builds the guest Linux Image from Debian's linux-source-6.1: tinyconfig +
# guest/linux.config.  Cached in ${WASMU_CACHE:-~/.cache/wasmu}/kernel-<hash
# of this recipe>; prints that directory as the last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hash=$(cat "$here/build-kernel.sh" "$here/linux.config" "$here/required.txt" \
           | sha256sum | cut -c1-16)
cache=${WASMU_CACHE:-$HOME/.cache/wasmu}
out=$cache/kernel-$hash
if [ -f "$out/Image" ]; then echo "$out"; exit 0; fi
mkdir -p "$cache"
work=$(mktemp -d "$cache/kbuild.XXXXXX")
log=$work/build.log
# A failed build keeps its log, not its sources (tens of MB each time).
trap 'cp "$log" "$cache/kernel-build.log"; rm -rf "$work"; echo "kernel build failed; log: $cache/kernel-build.log" >&2' ERR
CROSS=riscv64-linux-gnu-

echo "guest: building Linux (a few minutes; log in $log)" >&2
tar -C "$work" -xf /usr/src/linux-source-6.1.tar.xz
ksrc=$work/linux-source-6.1
make -C "$ksrc" ARCH=riscv CROSS_COMPILE=$CROSS tinyconfig >>"$log" 2>&1
(cd "$ksrc" && ARCH=riscv scripts/kconfig/merge_config.sh -m .config "$here/linux.config") >>"$log" 2>&1
make -C "$ksrc" ARCH=riscv CROSS_COMPILE=$CROSS olddefconfig >>"$log" 2>&1
while read -r opt; do
  grep -qx "$opt" "$ksrc/.config" || { echo "guest: kernel config lost $opt" >&2; exit 1; }
done < "$here/required.txt"
make -C "$ksrc" ARCH=riscv CROSS_COMPILE=$CROSS -j"$(nproc)" Image >>"$log" 2>&1
mkdir -p "$work/out"
cp "$ksrc/arch/riscv/boot/Image" "$ksrc/.config" "$work/out/"
mv "$work/out" "$out"
rm -rf "$work"
echo "$out"
