# Paform: `make run` sets up and starts the product, `make test` sets up and runs every test.
# Every target installs what it needs, idempotently, so a fresh Debian 12 machine works.

SHELL := /bin/bash
CARGO ?= cargo
UI := ui
HAS_UI := $(wildcard $(UI)/package.json)
# Root installs system packages directly (CI); anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The desktop shell's system libraries (src-tauri is a workspace member, so clippy and the
# tests build it) and, for its WebDriver and package tests, a virtual display, WebKit's driver
# and xwininfo.
DESKTOP_PACKAGES := libwebkit2gtk-4.1-dev build-essential pkg-config
DESKTOP_TEST_PACKAGES := xvfb xauth webkit2gtk-driver x11-utils
# The labels test renders the PDF with pdftoppm and decodes each label's QR code.
TEST_PACKAGES := poppler-utils
# HQ's tests and bench run a throwaway cluster of Debian's PostgreSQL (SPEC §15).
TEST_PACKAGES += postgresql

.PHONY: bench-chain bench-orders run build debug-build test test-rust test-ui test-e2e test-durability setup-durability lint setup setup-ui ui bench bench-http bench-pricing bench-sync bench-sse bench-boards bench-lighthouse clean

run: ui
	$(CARGO) run --release --bin paform -- serve

build: ui
	$(CARGO) build --release --bin paform

test: setup lint test-rust test-ui test-e2e test-durability test-desktop test-package-debug

setup: setup-desktop
	@command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
	@dpkg -s $(TEST_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(TEST_PACKAGES); }
	@rustup component list --installed 2>/dev/null | grep -q rustfmt || rustup component add rustfmt clippy || true
	@# The S3 export test runs against s3s-fs, which checks presigned-URL signatures.
	@command -v s3s-fs >/dev/null || test -x "$${CARGO_HOME:-$$HOME/.cargo}/bin/s3s-fs" || \
		$(CARGO) install s3s-fs --version 0.14.1 --locked --features binary

lint: ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Every debug artefact the tests use (test binaries, examples, `paform`, `paform-desktop`)
# comes from this ONE cargo invocation. Cargo resolves dependency features per invocation,
# from the packages and targets it selects: a later `cargo build --bin paform` or
# `cargo build -p paform-desktop` resolves differently and compiles most dependencies again
# (that was most of a 40-minute CI run). `--all-targets` selects tests, so the resolution
# matches `cargo test --workspace`, which then only compiles doc tests.
debug-build: ui
	$(CARGO) build --workspace --all-targets

test-rust: debug-build
	$(CARGO) test --workspace

ifneq ($(HAS_UI),)
setup-ui:
	@if [ ! -d $(UI)/node_modules ] || [ $(UI)/package-lock.json -nt $(UI)/node_modules/.package-lock.json ]; then \
		cd $(UI) && npm ci --no-audit --no-fund; fi

ui: setup-ui
	cd $(UI) && npm run build

test-ui: setup-ui
	cd $(UI) && npm run typecheck && npm test && npm run build

# Browser tests: Debian's chromium (never a downloaded one) against the real `paform serve`.
test-e2e: ui debug-build
	@dpkg -s chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends chromium)
	cd $(UI) && PAFORM_BIN="$${CARGO_TARGET_DIR:-$(CURDIR)/target}/debug/paform" npm run e2e
else
setup-ui ui test-ui test-e2e:
	@echo "no UI in this checkout"
endif

# Durability (SPEC §14): power cuts on a FUSE file system that drops unsynced data, and a full
# disk (a small tmpfs) recovered without a restart. Needs root for mounting; prints SKIP where
# the machine cannot mount. Python deps live in a gitignored venv.
DURABILITY_PACKAGES := fuse3 libfuse3-dev python3-venv
DURABILITY_VENV := tests/durability/.venv

setup-durability:
	@dpkg -s $(DURABILITY_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(DURABILITY_PACKAGES); }
	@test -x $(DURABILITY_VENV)/bin/python || python3 -m venv $(DURABILITY_VENV)
	@$(DURABILITY_VENV)/bin/python -c 'import mfusepy' 2>/dev/null || \
		$(DURABILITY_VENV)/bin/pip install --quiet mfusepy==3.1.1

test-durability: setup-durability debug-build
	PAFORM_BIN="$${CARGO_TARGET_DIR:-$(CURDIR)/target}/debug/paform" \
		$(DURABILITY_VENV)/bin/python tests/durability/run.py all

# Benchmarks print their figures; they are not part of `make test`.
bench: bench-pricing bench-http bench-boards bench-orders bench-sync

bench-pricing:
	$(CARGO) run --release -p paform-core --example pricing_bench

bench-http:
	$(CARGO) run --release --example http_bench -- 10 32

bench-boards:
	$(CARGO) run --release --example board_quote_bench -- 10

# Lighthouse's mobile profile on the configurator and the phone page (needs `make ui`).
bench-lighthouse:
	$(CARGO) build --release --bin paform
	bash ui/scripts/lighthouse.sh

bench-orders:
	$(CARGO) run --release --example orders_bench -- 100000 32

bench-sync:
	$(CARGO) run --release --example sync_bench -- 20000 32

# HQ applies a 5,000-entry backlog from one site (throwaway PostgreSQL, as the tests).
bench-chain: setup
	$(CARGO) run --release --example chain_bench -- 5000 500 10 1000 100000

bench-sse:
	$(CARGO) run --release --example sse_bench -- 10 50 500

# The desktop app (src-tauri): `make desktop` builds the UI and the release app, then starts it.
.PHONY: setup-desktop setup-desktop-test desktop desktop-build test-desktop
setup-desktop:
	@dpkg -s $(DESKTOP_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(DESKTOP_PACKAGES); }

setup-desktop-test: setup-desktop
	@dpkg -s $(DESKTOP_TEST_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(DESKTOP_TEST_PACKAGES); }
	@test -x "$${CARGO_HOME:-$$HOME/.cargo}/bin/tauri-driver" || $(CARGO) install tauri-driver --locked

desktop-build: setup-desktop ui
	$(CARGO) build --release -p paform-desktop

desktop: desktop-build
	./target/release/paform-desktop

# WebDriver end-to-end test of the app under a virtual display. It drives the debug build
# of `debug-build`, which `make test` has already made, instead of paying for a release build.
test-desktop: setup-desktop-test debug-build
	PAFORM_DESKTOP_BINARY="$${CARGO_TARGET_DIR:-$(CURDIR)/target}/debug/paform-desktop" \
		xvfb-run -a -s '-screen 0 1280x800x24' node tests/desktop/run.mjs

# The Debian package (SPEC §13): the Tauri CLI's deb bundler (an npm dev dependency of the
# UI) packs `paform-desktop` with its desktop entry, icons and WebKit runtime dependencies,
# plus `paform` (an inline file list; the rest is in `src-tauri/bundle.conf.json`). The CLI finds the root
# `tauri.conf.json` through the symlink `src-tauri/tauri.conf.json`; paths in the bundle
# config are relative to `src-tauri/`. `make package` builds the release into
# target/release/bundle/deb/; `make package PROFILE=debug` packs the debug artefacts
# `make test` already has into target/debug/bundle/deb/ (no release build).
PROFILE ?= release
TARGET_DIR = $${CARGO_TARGET_DIR:-$(CURDIR)/target}
.PHONY: package package-debug release-build test-package test-package-debug

# $(1): the profile's folder under target/, $(2): the CLI's flag for it.
define bundle_deb
	rm -rf "$(TARGET_DIR)/$(1)/bundle/deb"
	TAURI_APP_PATH=src-tauri $(UI)/node_modules/.bin/tauri bundle --ci --bundles deb $(2) \
		--config src-tauri/bundle.conf.json \
		--config '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/paform":"'"$(TARGET_DIR)/$(1)/paform"'"}}}}}'
	@ls -l "$(TARGET_DIR)/$(1)"/bundle/deb/*.deb
endef

release-build: setup-desktop ui
	$(CARGO) build --release -p paform -p paform-desktop

ifeq ($(PROFILE),debug)
package: package-debug
else
package: setup-ui release-build
	$(call bundle_deb,release,)
endif

package-debug: setup-ui debug-build
	$(call bundle_deb,debug,--debug)

# Installs the package with dpkg (root), starts both programs from /usr/bin, removes it.
# `make test` runs it on the debug package (about 1.5 min: packing 600 MB of debug binaries
# and installing them), so it costs no release build.
test-package: setup-desktop-test package
	$(SUDO) tests/package/run.sh "$(TARGET_DIR)/$(if $(filter debug,$(PROFILE)),debug,release)"/bundle/deb/*.deb

test-package-debug: setup-desktop-test package-debug
	$(SUDO) tests/package/run.sh "$(TARGET_DIR)/debug"/bundle/deb/*.deb

clean:
	$(CARGO) clean
	rm -rf $(UI)/out $(UI)/.next
