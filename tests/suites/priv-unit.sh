#!/usr/bin/env bash
# Privileged architecture in isolation: page walker (Sv39/Sv48, A/D,
# permissions), PMP, trap delegation, interrupts, CSR access rules.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p build/tests
cc -std=c11 -D_DEFAULT_SOURCE -O1 -g -Wall -Wextra -Wno-unused-parameter \
   -fsanitize=address,undefined -I. \
   -o build/tests/test_mmu tests/unit/test_mmu.c target/riscv/cpu.c \
   target/riscv/csr.c target/riscv/mmu.c target/riscv/priv_helpers.c \
   exec/softmmu.c exec/memory.c host/ram.c
build/tests/test_mmu
