#!/usr/bin/env bash
# Linux in a browser tab: headless Chromium (Debian's) driven by
# playwright-core opens the page from a local server, waits for the shell
# prompt, types uname -a, pastes a long line, resizes, saves a screenshot,
# boots again with the guest disk attached by ?drive=, writes to it, saves
# it with Save disk and boots the download with Open disk, runs a hostile
# random-code guest, and a 3 GiB machine (Linux, and bare metal walking its RAM),
# shares files with the guest, and puts it on a network with a native machine.
set -u
cd "$(dirname "$0")/../.."
command -v chromium >/dev/null || { echo "not ok browser/chromium-installed"; exit 0; }
(cd web && npm ci --no-audit --no-fund >/tmp/wasmu-npm.log 2>&1) || { echo "not ok browser/npm-ci $(tail -2 /tmp/wasmu-npm.log)"; exit 0; }
bash web/build.sh >/tmp/wasmu-web-build.log 2>&1 || { echo "not ok browser/web-build $(tail -2 /tmp/wasmu-web-build.log)"; exit 0; }
mkdir -p build
hostile=$(bash tests/hostile/build.sh | tail -n 1) || { echo "not ok browser/hostile-build"; exit 0; }
bash tests/bigmem/build.sh >/dev/null || { echo "not ok browser/ramwalk-build"; exit 0; }   # into the same folder
timeout 600 node web/test/browser-test.js build/browser.png "$(bash guest/build.sh | tail -n 1)" "$hostile"
