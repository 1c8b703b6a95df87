# Sourced by suites that run bare-metal ELFs: runs_clean TEST ELF
# EMULATOR... runs the ELF with -bios none and prints "ok TEST" when the
# emulator exits 0 with nothing on stderr (a Wasm tier compile failure
# would show there), else "not ok TEST" with the exit code (the program's
# failure code) and the end of stderr.  BAREMETAL_TIMEOUT: seconds (300).
runs_clean() {
  local test=$1 elf=$2; shift 2
  local err rc
  err=$(timeout "${BAREMETAL_TIMEOUT:-300}" "$@" -bios none -kernel "$elf" 2>&1 >/dev/null </dev/null); rc=$?
  if [ $rc -eq 0 ] && [ -z "$err" ]; then echo "ok $test"
  else echo "not ok $test exit $rc: $(echo "$err" | tail -c 300)"; fi
}
