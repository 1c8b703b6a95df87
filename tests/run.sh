#!/usr/bin/env bash
# Runs every test suite in tests/suites/ (or the ones named as arguments).
# A suite is an executable script printing one line per test:
#   "ok <name>" or "not ok <name> <reason>"  (other lines are passed through).
# Ends with the line "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
passed=0; failed=0; failures=()
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=($(ls tests/suites/*.sh | sort))
for s in "${suites[@]}"; do
  [ -f "$s" ] || s="tests/suites/$s.sh"
  name=$(basename "$s" .sh)
  echo "== suite $name"
  out=$(mktemp)
  bash "$s" 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  p=$(grep -c '^ok ' "$out"); f=$(grep -c '^not ok ' "$out")
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1; echo "not ok $name: suite exited with status $status"
  fi
  [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && { f=1; echo "not ok $name: suite ran no test"; }
  while read -r line; do failures+=("$name: $line"); done < <(grep '^not ok ' "$out")
  [ "$status" -ne 0 ] && [ "$(grep -c '^not ok ' "$out")" -eq 0 ] && failures+=("$name: exited $status")
  passed=$((passed + p)); failed=$((failed + f))
  rm -f "$out"
done
if [ ${#failures[@]} -gt 0 ]; then
  echo "failures:"; printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
