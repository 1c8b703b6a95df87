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

# A shared directory for the 9P tests: $1/share holds hello.txt, a fifo
# ("pipe": opening it would block) and links out of it to $1/outside
# ("escape" to the folder, "outfile" to its secret.txt).  outside_untouched ROOT: whether that folder is as it was.
make_share_with_escapes() {
  local root=$1
  mkdir "$root/share" "$root/outside"
  printf 'hello from the host\n' > "$root/share/hello.txt"
  printf 'secret\n' > "$root/outside/secret.txt"
  chmod 600 "$root/outside/secret.txt"
  ln -s "$root/outside" "$root/share/escape"
  ln -s "$root/outside/secret.txt" "$root/share/outfile"
  mkfifo "$root/share/pipe"
}
outside_untouched() {
  local root=$1
  [ "$(ls -A "$root/outside")" = secret.txt ] && [ "$(cat "$root/outside/secret.txt")" = secret ] &&
    [ "$(stat -c %a "$root/outside/secret.txt")" = 600 ] && [ "$(ls -A "$root")" = "outside
share" ]
}
