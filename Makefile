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
CORE_DIRS := ir backend/interp backend/wasm exec target/riscv fpu hw hw/riscv system host
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

# ---- Wasm build (Debian's emscripten): the same core, host/emscripten ----
EMCC      ?= emcc
WASM_BUILD := build/wasm
WASM_SRCS := $(CORE_SRCS) $(wildcard host/emscripten/*.c)
WASM_OBJS := $(patsubst %.c,$(WASM_BUILD)/%.o,$(WASM_SRCS))
WASM_CFLAGS := -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wno-unused-parameter \
               -Wno-sign-compare -I.
# One module for Node (NODERAWFS: host files by path) and one for the web
# worker (MEMFS: files handed over by the page).  The Node one keeps function
# names so that node --cpu-prof shows where the time goes.  Linear memory
# may grow to 4 GiB (guest RAM past 2 GiB: host/ram.c); a pointer past 2 GiB
# reaches JavaScript negative, so our JavaScript takes pointers with >>> 0.
WASM_LDFLAGS := -O2 -sMODULARIZE=1 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB \
    -sINITIAL_MEMORY=402653184 -sALLOW_TABLE_GROWTH=1 -sTOTAL_STACK=1048576 \
    -sEXPORTED_FUNCTIONS=_malloc,_free,_wasmu_new,_wasmu_create,_wasmu_error,_wasmu_exit_code,_wasmu_run_slice,_wasmu_console_input,_wasmu_net_input,_wasmu_gdb_input,_wasmu_gdb_attach,_wasmu_terminal_input,_wasmu_destroy,_wasmu_stat \
    -sEXPORTED_RUNTIME_METHODS=HEAPU8,HEAPU32,FS,UTF8ToString,stringToUTF8 \
    -sINVOKE_RUN=0 -sEXIT_RUNTIME=0 --pre-js host/emscripten/front_door.js \
    --js-library host/emscripten/library_fd.js
EMCC_ENV := NODE_PATH=/usr/share/nodejs

.PHONY: wasm
wasm: $(WASM_BUILD)/wasmu.js $(WASM_BUILD)/wasmu-node.js $(WASM_BUILD)/wasmu-web.js

$(WASM_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(EMCC_ENV) $(EMCC) $(WASM_CFLAGS) -MMD -MP -c -o $@ $<

$(WASM_BUILD)/wasmu.js: $(WASM_OBJS) host/emscripten/front_door.js host/emscripten/library_fd.js
	$(EMCC_ENV) $(EMCC) $(WASM_LDFLAGS) -sENVIRONMENT=node -sNODERAWFS=1 --profiling-funcs \
	    -sEXPORT_NAME=createWasmu -o $@ $(WASM_OBJS)

$(WASM_BUILD)/wasmu-node.js: host/emscripten/wasmu-node.js host/emscripten/net_stream.js
	@mkdir -p $(dir $@)
	cp $^ $(dir $@)

$(WASM_BUILD)/wasmu-web.js: $(WASM_OBJS) host/emscripten/front_door.js host/emscripten/library_fd.js
	$(EMCC_ENV) $(EMCC) $(WASM_LDFLAGS) -sENVIRONMENT=worker,web \
	    -sEXPORT_NAME=createWasmu -o $@ $(WASM_OBJS)

-include $(WASM_OBJS:.o=.d)
