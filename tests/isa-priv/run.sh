#!/usr/bin/env bash
# Runs every privileged test ELF on an emulator: run.sh LABEL EMULATOR-ARGV...
# (tests/isa/run.sh with this folder's build script)
ISA_BUILD=tests/isa-priv/build.sh exec bash "$(dirname "$0")/../isa/run.sh" "$@"
