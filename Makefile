# Paform: `make run` sets up and starts the product, `make test` sets up and runs every test.
# Every target installs what it needs, idempotently, so a fresh Debian 12 machine works.

SHELL := /bin/bash
CARGO ?= cargo
UI := ui
HAS_UI := $(wildcard $(UI)/package.json)
# Root installs system packages directly (CI); anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The desktop shell's system libraries (src-tauri is a workspace member, so clippy and the
# tests build it) and, for its WebDriver test, a virtual display and WebKit's driver.
DESKTOP_PACKAGES := libwebkit2gtk-4.1-dev build-essential pkg-config
DESKTOP_TEST_PACKAGES := xvfb xauth webkit2gtk-driver

.PHONY: bench-orders run build test test-rust test-ui test-e2e test-durability setup-durability lint setup setup-ui ui bench bench-http bench-pricing bench-sync bench-sse clean

run: ui
	$(CARGO) run --release --bin paform -- serve

build: ui
	$(CARGO) build --release --bin paform

test: setup lint test-rust test-ui test-e2e test-durability test-desktop

setup: setup-desktop
	@command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q rustfmt || rustup component add rustfmt clippy || true
	@# The S3 export test runs against s3s-fs, which checks presigned-URL signatures.
	@command -v s3s-fs >/dev/null || test -x "$${CARGO_HOME:-$$HOME/.cargo}/bin/s3s-fs" || \
		$(CARGO) install s3s-fs --version 0.14.1 --locked --features binary

lint: ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust: ui
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
test-e2e: ui
	@dpkg -s chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends chromium)
	$(CARGO) build --bin paform
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

test-durability: setup-durability
	$(CARGO) build --bin paform
	PAFORM_BIN="$${CARGO_TARGET_DIR:-$(CURDIR)/target}/debug/paform" \
		$(DURABILITY_VENV)/bin/python tests/durability/run.py all

# Benchmarks print their figures; they are not part of `make test`.
bench: bench-pricing bench-http bench-orders bench-sync

bench-pricing:
	$(CARGO) run --release -p paform-core --example pricing_bench

bench-http:
	$(CARGO) run --release --example http_bench -- 10 32

bench-orders:
	$(CARGO) run --release --example orders_bench -- 100000 32

bench-sync:
	$(CARGO) run --release --example sync_bench -- 20000 32

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

# WebDriver end-to-end test of the app under a virtual display. It drives the debug build,
# which `make test` has mostly compiled already, instead of paying for a release build.
test-desktop: setup-desktop-test ui
	$(CARGO) build -p paform-desktop
	PAFORM_DESKTOP_BINARY="$${CARGO_TARGET_DIR:-$(CURDIR)/target}/debug/paform-desktop" \
		xvfb-run -a -s '-screen 0 1280x800x24' node tests/desktop/run.mjs

clean:
	$(CARGO) clean
	rm -rf $(UI)/out $(UI)/.next
