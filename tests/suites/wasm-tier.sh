#!/usr/bin/env bash
# The Wasm tier under Node, differential against the host-computed
# checksums: every bare-metal program with every TB compiled at once
# (jit-threshold=0), with the default threshold, and interpreter-only.
# A program passes only if its checksum matches, and the jit runs must
# really execute in Wasm (jit-stats share > 90%).
set -u
cd "$(dirname "$0")/../.."
make -s wasm >/tmp/wasmu-wasm-build.log 2>&1 || { echo "not ok wasm-tier/build $(tail -3 /tmp/wasmu-wasm-build.log)"; exit 0; }
dir=$(bash bench/baremetal/build.sh | tail -n 1)
node=(node --no-experimental-fetch build/wasm/wasmu-node.js)
for elf in "$dir"/*.elf; do
  name=$(basename "$elf" .elf)
  for mode in "jit-threshold=0" "jit=on" "jit=off"; do
    out=$(timeout 300 "${node[@]}" -bios none -kernel "$elf" -accel tcg,$mode -d jit-stats 2>&1); rc=$?
    share=$(echo "$out" | sed -n 's/.*in_wasm=[0-9]* (\([0-9.]*\)%).*/\1/p' | tail -n 1)
    if [ $rc -ne 0 ]; then
      echo "not ok wasm-tier/$name/$mode exit $rc: $(echo "$out" | tail -n 2)"
    elif [ "$mode" = "jit-threshold=0" ] && ! awk -v s="$share" 'BEGIN{exit !(s > 90)}'; then
      echo "not ok wasm-tier/$name/$mode only $share% of instructions ran in Wasm"
    elif [ "$mode" = "jit=off" ] && [ "$share" != "0.0" ]; then
      echo "not ok wasm-tier/$name/$mode $share% ran in Wasm with jit=off"
    else
      echo "ok wasm-tier/$name/$mode ($share% in wasm)"
    fi
  done
done
# Compiled regions are named after their entry pc (the module's name
# section), so that a profile tells them apart: V8's perf map lists them.
pid=$(sh -c 'echo $$; exec "$@" -bios none -kernel "$0" >/dev/null 2>&1' \
      "$dir/sort.elf" node --no-experimental-fetch --perf-basic-prof build/wasm/wasmu-node.js | head -n 1)
named=$(grep -c ' JS:tb_8000[0-9a-f]*-' "/tmp/perf-$pid.map" 2>/dev/null)
rm -f "/tmp/perf-$pid.map"
if [ "${named:-0}" -gt 0 ]; then
  echo "ok wasm-tier/region-names ($named compiled regions named in V8's perf map)"
else
  echo "not ok wasm-tier/region-names no tb_<pc> function in V8's perf map"
fi
