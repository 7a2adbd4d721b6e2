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
FN_PKGS    := jansson libcurl libpcre2-8 libcrypto zlib gmp mpfr
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
# sees lib/ and functions/; fcgi/ (and the tests) see all.
INC_lib       := -Ilib
INC_functions := -Ilib -Ifunctions
INC_fcgi      := -Ilib -Ifunctions -Ifcgi
INC_tests     := -Ilib -Ifunctions -Ifcgi
INC_scripts   :=
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ALL_CFLAGS  = $(CFLAGS_STD) $(SANFLAGS) $(INC_$(firstword $(subst /, ,$<))) \
	$(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SANFLAGS) -pthread $(LDFLAGS)

# Link flags per binary: what its objects and the libsopm.a members they
# use need.
pkglibs    = $(shell pkg-config --libs $(1) 2>/dev/null)
LIB_LIBS   := $(call pkglibs,$(LIB_PKGS)) -lm
REDIS_LIBS := $(call pkglibs,$(REDIS_PKGS))
DB_LIBS    := $(call pkglibs,$(DB_PKGS))
FN_LIBS    := $(call pkglibs,$(FN_PKGS)) -lunistring -lm
FCGI_LIBS  := $(call pkglibs,$(FCGI_PKGS)) $(FN_LIBS) $(REDIS_LIBS) \
	$(DB_LIBS) $(LIB_LIBS)

LIB_SRC   := $(wildcard lib/*.c)
FN_SRC    := $(wildcard functions/*.c)
FCGI_SRC  := $(filter-out fcgi/main.c,$(wildcard fcgi/*.c))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIBSOPM   := $(BUILD)/libsopm.a
FN_OBJ    := $(call obj,$(FN_SRC))
FCGI_OBJ  := $(call obj,$(FCGI_SRC))
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
HELLO_BIN := $(BUILD)/bench-hello-fcgi

.SECONDARY:
.PHONY: all run stop status test unit bench fmt fmt-check clean deps
all: $(BUILD)/sopm-fcgi $(HELLO_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The shared library: one static archive of lib/.
$(LIBSOPM): $(call obj,$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/sopm-fcgi: $(call obj,fcgi/main.c) $(FCGI_OBJ) $(FN_OBJ) $(LIBSOPM)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FCGI_LIBS)

$(HELLO_BIN): $(call obj,scripts/bench/hello_fcgi.c)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lfcgi

$(BUILD)/tests/test_fcgi_%: $(call obj,tests/unit/test_fcgi_%.c) $(FCGI_OBJ) $(FN_OBJ) $(LIBSOPM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FCGI_LIBS) -lcmocka

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

fmt:
	clang-format -i $$(git ls-files '*.c' '*.h')

fmt-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-tsan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
