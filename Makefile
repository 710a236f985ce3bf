# oomlens: OOM-killer forensics.  `make demo` and `make check` are the two
# commands a new user needs; see README.md.

# the sub-makes of check and demo say nothing of directories: the last
# line of `make check` is the suite's "N passed, N failed"
MAKEFLAGS += --no-print-directory

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man

PKGS = libsystemd libpcre2-8 sqlite3 libcjson zlib liblzma libzstd libarchive smartcols
PKG_CONFIG ?= pkg-config

CC ?= cc
OPT ?= -O2 -g
WARN = -Wall -Wextra $(if $(WERROR),-Werror)
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# SANITIZE=1 builds into build/san so both builds can live side by side.
ifeq ($(SANITIZE),1)
BUILD = build/san
EXTRA = $(SANFLAGS)
else
BUILD = build/plain
EXTRA =
endif

# FUZZ=1: clang with libFuzzer's coverage and ASan+UBSan, in build/fuzz,
# for the harnesses of tests/fuzz (see tests/fuzz/run.sh).
FUZZ_CC ?= clang
ifeq ($(FUZZ),1)
BUILD = build/fuzz
CC = $(FUZZ_CC)
EXTRA = -fsanitize=fuzzer-no-link,$(patsubst -fsanitize=%,%,$(SANFLAGS))
endif

# ISA-L's inflate (Debian libisal-dev) decodes gzip two to three times as
# fast as zlib, which stays the fallback: ISAL=0 builds without it, ISAL=1
# fails when it is missing, the default uses it when pkg-config knows
# libisal or, without a .pc file (older Debian and Ubuntu), its header is
# there.
ISAL ?= auto
ifneq ($(ISAL),0)
ifeq ($(shell $(PKG_CONFIG) --exists libisal 2>/dev/null && echo y),y)
ISAL_CFLAGS := -DHAVE_ISAL $(shell $(PKG_CONFIG) --cflags libisal)
ISAL_LIBS := $(shell $(PKG_CONFIG) --libs libisal)
else ifeq ($(shell printf '\043include <isa-l/igzip_lib.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 && echo y),y)
ISAL_CFLAGS := -DHAVE_ISAL
ISAL_LIBS := -lisal
else ifeq ($(ISAL),1)
$(error ISAL=1: ISA-L (isa-l/igzip_lib.h, libisal) not found: install libisal-dev)
endif
endif

DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(ISAL_CFLAGS)
DEP_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) $(ISAL_LIBS) -lbz2 -pthread

CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -pthread $(OPT) $(WARN) $(EXTRA) -Isrc -Iparsers \
	     -I$(BUILD) $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(EXTRA) $(LDFLAGS)
LIBS_ALL = $(DEP_LIBS) $(LIBS)

LIB_SRC = $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard parsers/*.c)
LIB_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/schema-gen.o \
	  $(BUILD)/schema-image.o
MAIN_OBJ = $(BUILD)/src/main.o
UNIT_SRC = $(wildcard tests/unit/test-*.c)
UNIT_BIN = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
SCHEMA = $(sort $(wildcard schema/*.sql))

BIN = $(BUILD)/oomlens

.PHONY: all demo check check-one deps install uninstall clean bench \
	fuzz fuzz-build fuzz-smoke valgrind

all: oomlens

oomlens: $(BIN)
ifneq ($(SANITIZE),1)
	cp $(BIN) oomlens
endif

$(BIN): $(MAIN_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

# Each object depends on the headers it includes, as the compiler lists
# them (-MMD writes a .d beside it; -MP: a header removed is no error).
$(BUILD)/%.o: %.c | deps-present
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BIN:=.d)

# The gzip decoder is built with ISA-L or without: when that changes, it
# is rebuilt (and so the binary and tests relinked).
$(BUILD)/isal.flags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(ISAL_CFLAGS) $(ISAL_LIBS)' | cmp -s - $@ || \
	  echo '$(ISAL_CFLAGS) $(ISAL_LIBS)' >$@

$(BUILD)/src/source-compress.o: $(BUILD)/isal.flags

.PHONY: FORCE
FORCE:

# The migrations are compiled in, so the binary needs no data files.
$(BUILD)/schema-gen.c: $(SCHEMA) scripts/embed-schema.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-schema.sh $(SCHEMA) > $@.tmp && mv $@.tmp $@

$(BUILD)/schema-gen.o: $(BUILD)/schema-gen.c
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# ... and what they build, made once here for a new database (see
# scripts/schema-image.c).  The tool runs on this machine: built without
# the sanitizer or fuzzer flags.
$(BUILD)/schema-image-tool: scripts/schema-image.c $(BUILD)/schema-gen.c src/schema.h
	$(CC) -std=c11 -O1 -Isrc $(DEP_CFLAGS) -o $@ $< $(BUILD)/schema-gen.c $(DEP_LIBS)

$(BUILD)/schema-image.c: $(BUILD)/schema-image-tool
	$(BUILD)/schema-image-tool > $@.tmp && mv $@.tmp $@

$(BUILD)/schema-image.o: $(BUILD)/schema-image.c
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -MMD -MP -MF $@.d -o $@ $< $(LIB_OBJ) $(LDFLAGS_ALL) $(LIBS_ALL)

# Fail early, with the fix, when a library is missing.
.PHONY: deps-present
deps-present:
	@$(PKG_CONFIG) --exists $(PKGS) || { \
	  echo "oomlens: missing libraries: run 'make deps' (or 'make demo')" >&2; \
	  sh scripts/install-deps.sh --print >&2; exit 1; }

deps:
	sh scripts/install-deps.sh

# Install what is missing, build, and run the main job on the bundled sample.
demo: deps
	$(MAKE) oomlens
	sh scripts/demo.sh ./oomlens

# All tests, twice: a -Werror build, then the same under ASan+UBSan.
check: deps
	$(MAKE) check-one WERROR=1
	$(MAKE) check-one WERROR=1 SANITIZE=1
	$(MAKE) fuzz-smoke

check-one: $(BIN) $(UNIT_BIN)
	sh tests/run.sh $(BIN) $(UNIT_BIN)

# libFuzzer harnesses (tests/fuzz): `make fuzz` fuzzes each for FUZZ_TIME
# seconds; fuzz-smoke (part of check) replays the seeds and the saved
# crashers and fuzzes each a few seconds; it says so and passes when
# clang's libFuzzer is not installed.
FUZZ_TIME ?= 60
FUZZ_SRC = $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BIN = $(patsubst tests/fuzz/%.c,$(BUILD)/%,$(FUZZ_SRC))

fuzz-build: $(FUZZ_BIN)

$(BUILD)/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h tests/unit/collect.h $(LIB_OBJ)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -Itests/unit -Itests/fuzz -o $@ $< \
		$(LIB_OBJ) $(LIBS_ALL)

fuzz: deps
	$(MAKE) fuzz-build FUZZ=1 WERROR=1
	sh tests/fuzz/run.sh fuzz build/fuzz $(FUZZ_TIME)

fuzz-smoke:
	@if sh tests/fuzz/run.sh have-fuzzer "$(FUZZ_CC)"; then \
	  $(MAKE) fuzz-build FUZZ=1 WERROR=1 && \
	  sh tests/fuzz/run.sh smoke build/fuzz; \
	else echo "fuzz-smoke: skipped: $(FUZZ_CC) cannot build libFuzzer harnesses"; fi

# The CLI tests with each run of the binary under valgrind's memcheck:
# errors and leaks fail (tests/valgrind.sh).  Not part of check: it takes
# tens of minutes.
valgrind: $(BIN)
	sh tests/valgrind.sh $(BIN)

# Speed against a baseline command on the same generated input.
bench: oomlens
	sh scripts/bench.sh ./oomlens
	sh scripts/bench-db.sh ./oomlens

# Completions where bash-completion and zsh look (zsh searches its own
# prefix's site-functions and /usr/local's; Debian's zsh searches
# vendor-completions instead of /usr's, and debian/rules sets ZSHCOMPDIR);
# the units where systemd looks for a package's (ExecStart= gets the
# installed binary).  A ZSHCOMPDIR= on make's command line wins.
install uninstall: BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
install uninstall: ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
install uninstall: UNITDIR = $(PREFIX)/lib/systemd/system

install: oomlens
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(UNITDIR)
	install -m 755 oomlens $(DESTDIR)$(BINDIR)/oomlens
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completion/oomlens.bash $(DESTDIR)$(BASHCOMPDIR)/oomlens
	install -m 644 completion/_oomlens $(DESTDIR)$(ZSHCOMPDIR)/_oomlens
	sed 's|@BINDIR@|$(BINDIR)|g' dist/oomlens-ingest.service \
		> $(DESTDIR)$(UNITDIR)/oomlens-ingest.service
	chmod 644 $(DESTDIR)$(UNITDIR)/oomlens-ingest.service
	install -m 644 dist/oomlens-ingest.timer $(DESTDIR)$(UNITDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/oomlens
	cd man && for f in *.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$f; done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/oomlens $(DESTDIR)$(ZSHCOMPDIR)/_oomlens
	rm -f $(DESTDIR)$(UNITDIR)/oomlens-ingest.service \
		$(DESTDIR)$(UNITDIR)/oomlens-ingest.timer

clean:
	rm -rf build oomlens

-include $(shell find build -name '*.d' 2>/dev/null)
