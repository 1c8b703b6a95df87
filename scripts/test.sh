#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every test suite.
# Ends with the line "N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >/tmp/wasmu-install-deps.log 2>&1 || {
  cat /tmp/wasmu-install-deps.log; echo "install-deps failed"; exit 1; }
make -j"$(nproc)" all wasm >/tmp/wasmu-build.log 2>&1 || {
  tail -50 /tmp/wasmu-build.log; echo "build failed"; exit 1; }
exec bash tests/run.sh "$@"
