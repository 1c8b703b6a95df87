# wasmu — native build (gcc) and Wasm build (emcc).
# `make` builds the native emulator; `make test` runs every test suite.
CC      ?= gcc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Wno-unused-parameter \
           -Wno-sign-compare -I.
LDLIBS  += -lm

BUILD   := build/native
# The core is every C file of these folders; host/ adds the front door.
CORE_DIRS := ir backend/interp exec target/riscv fpu hw hw/riscv system host
CORE_SRCS := $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.c))
HOST_SRCS := $(wildcard host/posix/*.c)
OBJS := $(patsubst %.c,$(BUILD)/%.o,$(CORE_SRCS) $(HOST_SRCS))
DEPS := $(OBJS:.o=.d)

EMU := $(BUILD)/wasmu-system-riscv64

.PHONY: all test clean guest run
all: $(EMU)

$(EMU): $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(DEPS)

test: all
	bash tests/run.sh

clean:
	rm -rf build
