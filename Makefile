# SOPM - plain GNU make. `make run` brings the platform up, `make test` runs
# every test against a real stack of its own. See README.md.

# Libraries by layer. lib/ needs jansson (sopm_jobq), and hiredis and
# MariaDB only in the members that talk to them (sopm_redis, sopm_jobq*;
# sopm_db); functions/ needs its own; the pool needs everything. A binary
# links libsopm.a, from which the linker takes only the members it uses, and
# the libraries of those members.
LIB_PKGS   := jansson
REDIS_PKGS := hiredis
DB_PKGS    := libmariadb
FN_PKGS    := jansson libcurl libpcre2-8 libcrypto zlib gmp mpfr lapack
FCGI_PKGS  := fcgi
PKGS       := $(sort $(LIB_PKGS) $(REDIS_PKGS) $(DB_PKGS) $(FN_PKGS) $(FCGI_PKGS))
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

# Each folder sees only the layers below it: lib/ sees lib/; functions/
# sees lib/ and functions/ (and the generated catalog headers); fcgi/ (and
# the tests) see all.
GEN           := $(BUILD)/gen
INC_lib       := -Ilib
INC_functions := -Ilib -Ifunctions -I$(GEN)
INC_fcgi      := -Ilib -Ifunctions -Ifcgi -I$(GEN)
INC_builder   := -Ilib -Ibuilder
INC_tests     := -Ilib -Ifunctions -Ifcgi -Ibuilder -I$(GEN)
INC_scripts   :=

# Nothing the build uses is computed while this file is parsed: on a fresh
# machine pkg-config and the -dev packages are installed by `deps`, which
# every object waits for (an order-only prerequisite below). So pkg-config
# runs on first use, when the first recipe is expanded (after `deps`), once:
# VAR = $(eval VAR := value)$(VAR).
pkg_config = $(shell pkg-config $(1))$(if $(filter 0,$(.SHELLSTATUS)),,$(error \
	pkg-config $(1) failed: missing packages? run scripts/install_deps.sh))
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkg_config,--cflags $(PKGS)))$(PKG_CFLAGS)
ALL_CFLAGS = $(CFLAGS_STD) $(SANFLAGS) $(INC_$(firstword $(subst /, ,$<))) \
	$(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SANFLAGS) -pthread $(LDFLAGS)

# Link flags per binary: what its objects and the libsopm.a members they
# use need (deferred like PKG_CFLAGS).
LIB_LIBS   = $(eval LIB_LIBS := $(call pkg_config,--libs $(LIB_PKGS)) -lm)$(LIB_LIBS)
REDIS_LIBS = $(eval REDIS_LIBS := $(call pkg_config,--libs $(REDIS_PKGS)))$(REDIS_LIBS)
DB_LIBS    = $(eval DB_LIBS := $(call pkg_config,--libs $(DB_PKGS)))$(DB_LIBS)
FN_LIBS    = $(eval FN_LIBS := $(call pkg_config,--libs $(FN_PKGS)) -lunistring -lm)$(FN_LIBS)
FCGI_LIBS  = $(call pkg_config,--libs $(FCGI_PKGS)) $(FN_LIBS) $(REDIS_LIBS) \
	$(DB_LIBS) $(LIB_LIBS)

LIB_SRC   := $(wildcard lib/*.c)
# The catalog: shared helpers in functions/, one folder per category with a
# metadata file and a handler per function; scripts/gen_catalog.py turns the
# metadata into the table (fn_table.c) and its limits (fn_limits.h). The
# folders are prerequisites too, so an added or removed file is seen.
FN_SRC    := $(wildcard functions/*.c functions/*/*.c)
FN_META   := $(wildcard functions/*/*.json)
FN_GEN    := $(GEN)/fn_table.c $(GEN)/fn_limits.h
PYTHON    ?= python3
FCGI_SRC  := $(filter-out fcgi/main.c,$(wildcard fcgi/*.c))
# sopm-builder: the daemon (builder/); its objects but main.c are also
# linked into unit tests.
BUILDER_SRC := $(filter-out builder/main.c,$(wildcard builder/*.c))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIBSOPM   := $(BUILD)/libsopm.a
FN_OBJ    := $(call obj,$(FN_SRC)) $(BUILD)/obj/gen/fn_table.o
FCGI_OBJ  := $(call obj,$(FCGI_SRC))
BUILDER_OBJ := $(call obj,$(BUILDER_SRC))
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
HELLO_BIN := $(BUILD)/bench-hello-fcgi

.SECONDARY:
.PHONY: all run stop status test test-fresh unit bench bench-catalog fuzz fmt fmt-check docs clean deps
all: $(BUILD)/sopm-fcgi $(BUILD)/sopm-builder $(HELLO_BIN)

# Every binary links objects, so `deps` also runs before any link.
$(BUILD)/obj/%.o: %.c | deps $(FN_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(FN_GEN) &: scripts/gen_catalog.py $(FN_META) $(wildcard functions/*/) | deps
	$(PYTHON) scripts/gen_catalog.py $(GEN)
	@touch $(FN_GEN)

$(BUILD)/obj/gen/fn_table.o: $(GEN)/fn_table.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STD) $(SANFLAGS) $(INC_functions) $(PKG_CFLAGS) $(CFLAGS) -c $< -o $@

# The shared library: one static archive of lib/.
$(LIBSOPM): $(call obj,$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/sopm-fcgi: $(call obj,fcgi/main.c) $(FCGI_OBJ) $(FN_OBJ) $(LIBSOPM)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FCGI_LIBS)

$(BUILD)/sopm-builder: $(call obj,builder/main.c) $(BUILDER_OBJ) $(LIBSOPM)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(REDIS_LIBS) $(DB_LIBS) -lunistring $(LIB_LIBS)

$(HELLO_BIN): $(call obj,scripts/bench/hello_fcgi.c)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lfcgi

$(BUILD)/tests/test_fcgi_%: $(call obj,tests/unit/test_fcgi_%.c) $(FCGI_OBJ) $(FN_OBJ) $(LIBSOPM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FCGI_LIBS) -lcmocka

$(BUILD)/tests/test_builder: $(call obj,tests/unit/test_builder.c) $(BUILDER_OBJ) $(LIBSOPM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(REDIS_LIBS) $(DB_LIBS) -lunistring $(LIB_LIBS) -lcmocka

# The job queue against a redis-server of its own (hiredis).
$(BUILD)/tests/test_jobq: $(call obj,tests/unit/test_jobq.c) $(LIBSOPM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(REDIS_LIBS) $(LIB_LIBS) -lcmocka

# The other unit tests link no fcgi/ object, so no libfcgi, hiredis or
# MariaDB unless a libsopm.a member they use needs it.
$(BUILD)/tests/%: $(call obj,tests/unit/%.c) $(FN_OBJ) $(LIBSOPM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FN_LIBS) $(LIB_LIBS) -lcmocka

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

# In-process microbenchmark of every catalog function on its example
# (tests/tools/bench_catalog.c); BENCH_CATALOG_ARGS="-s p99 -t 0.5" etc.
BENCH_CATALOG_BIN := $(BUILD)/bench-catalog
$(BENCH_CATALOG_BIN): $(call obj,tests/tools/bench_catalog.c) $(FN_OBJ) $(LIBSOPM)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FN_LIBS) $(LIB_LIBS)

bench-catalog: deps $(BENCH_CATALOG_BIN)
	@$(BENCH_CATALOG_BIN) $(BENCH_CATALOG_ARGS)

# Fuzzing: the catalog harness (tests/fuzz/fuzz_catalog.c, libFuzzer with
# ASan and UBSan) built by clang in build-fuzz/ by a make of its own (so the
# rules above build its objects, with -fsanitize=fuzzer-no-link), then
# scripts/fuzz.sh replays the kept findings and fuzzes every function for
# FUZZ_SECONDS in all. See docs/design.md, "Fuzzing".
FUZZ_BUILD    := build-fuzz
FUZZ_CC       := clang
FUZZ_SECONDS  ?= 300
FUZZ_SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_SRC      := tests/fuzz/fuzz_catalog.c tests/fuzz/fuzz_offline.c \
	fcgi/fcgi_http.c

fuzz: deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
		SANFLAGS='$(FUZZ_SANFLAGS)' $(FUZZ_BUILD)/fuzz_catalog
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_BUILD)

$(BUILD)/fuzz_catalog: $(call obj,$(FUZZ_SRC)) $(FN_OBJ) $(LIBSOPM)
	$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(FCGI_LIBS) -ldl


# The README's commands in a new minimal Debian 12 root (see the script).
test-fresh:
	@scripts/fresh_machine.sh

# docs/catalog.md from the metadata; make test checks it is current.
docs: deps
	$(PYTHON) scripts/gen_catalog_docs.py

fmt: deps
	clang-format -i $$(git ls-files '*.c' '*.h')

fmt-check: deps
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-tsan $(FUZZ_BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
