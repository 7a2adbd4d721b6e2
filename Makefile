# SOPM - plain GNU make. `make run` brings the platform up, `make test` runs
# every test against a real stack of its own. See README.md.

PKGS      := fcgi jansson hiredis libmariadb libcurl libpcre2-8 libcrypto zlib gmp mpfr
CC        ?= cc
CFLAGS_STD := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wformat=2 \
	-Wvla -fno-common -pthread -MMD -MP
ifeq ($(CI),true)
WERROR    ?= 1
endif
WERROR    ?= 1
ifeq ($(WERROR),1)
CFLAGS_STD += -Werror
endif

ifeq ($(SANITIZE),1)
BUILD     ?= build-asan
SANFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else ifeq ($(SANITIZE),thread)
BUILD     ?= build-tsan
SANFLAGS  := -fsanitize=thread -fno-omit-frame-pointer
else
BUILD     ?= build
SANFLAGS  :=
endif

INCLUDES  := -Ilib -Ifunctions -Ifcgi
# Nothing the build uses is computed while this file is parsed: on a fresh
# machine the packages (pkg-config included) are installed by `deps`, which
# runs before any object is compiled (order-only prerequisite below). So the
# pkg-config results are deferred: computed once, on first use, when the
# first recipe is expanded (after `deps`). Keep ALL_CFLAGS recursive (=).
pkg_config = $(shell pkg-config $(1) $(PKGS))$(if $(filter 0,$(.SHELLSTATUS)),,$(error \
	pkg-config $(1) failed: missing packages? run scripts/install_deps.sh))
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkg_config,--cflags))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(call pkg_config,--libs) -lunistring -lm)$(PKG_LIBS)
ALL_CFLAGS = $(CFLAGS_STD) $(SANFLAGS) $(INCLUDES) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SANFLAGS) -pthread $(LDFLAGS)

LIB_SRC   := $(wildcard lib/*.c)
FN_SRC    := $(wildcard functions/*.c)
FCGI_SRC  := $(filter-out fcgi/main.c,$(wildcard fcgi/*.c))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
CORE_OBJ  := $(call obj,$(LIB_SRC) $(FN_SRC))
FCGI_OBJ  := $(call obj,$(FCGI_SRC))
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
HELLO_BIN := $(BUILD)/bench-hello-fcgi

.SECONDARY:
.PHONY: all run stop status test unit bench fmt fmt-check clean deps test-fresh
all: $(BUILD)/sopm-fcgi $(HELLO_BIN)

# Every binary links objects, so `deps` also runs before any link.
$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/sopm-fcgi: $(call obj,fcgi/main.c) $(FCGI_OBJ) $(CORE_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(HELLO_BIN): $(call obj,scripts/bench/hello_fcgi.c)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lfcgi

$(BUILD)/tests/test_fcgi_%: $(call obj,tests/unit/test_fcgi_%.c) $(FCGI_OBJ) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka

$(BUILD)/tests/%: $(call obj,tests/unit/%.c) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka

# Unit tests (cmocka), one binary per area. Run under SANITIZE=1 by make test.
unit: $(UNIT_BIN)
	@rc=0; for t in $(UNIT_BIN); do echo "== $$t"; $$t || rc=1; done; exit $$rc

deps:
	@scripts/install_deps.sh

run: deps all
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

status:
	@scripts/stack.sh status

test: deps
	@scripts/test.sh

bench: deps all
	@scripts/benchmark.sh

# The README's commands in a new minimal Debian 12 root (see the script).
test-fresh:
	@scripts/fresh_machine.sh

fmt: deps
	clang-format -i $$(git ls-files '*.c' '*.h')

fmt-check: deps
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-tsan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
