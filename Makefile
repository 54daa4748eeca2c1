# Paform: `make run` sets up and starts the product, `make test` sets up and runs every test.
# Every target installs what it needs, idempotently, so a fresh Debian 12 machine works.

SHELL := /bin/bash
CARGO ?= cargo
UI := ui
HAS_UI := $(wildcard $(UI)/package.json)

.PHONY: bench-orders run build test test-rust test-ui lint setup setup-ui ui bench bench-http bench-pricing bench-sync clean

run: ui
	$(CARGO) run --release --bin paform -- serve

build: ui
	$(CARGO) build --release --bin paform

test: setup lint test-rust test-ui

setup:
	@command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q rustfmt || rustup component add rustfmt clippy || true
	@# The S3 export test runs against s3s-fs, which checks presigned-URL signatures.
	@command -v s3s-fs >/dev/null || test -x "$${CARGO_HOME:-$$HOME/.cargo}/bin/s3s-fs" || \
		$(CARGO) install s3s-fs --version 0.14.1 --locked --features binary

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace

ifneq ($(HAS_UI),)
setup-ui:
	@if [ ! -d $(UI)/node_modules ] || [ $(UI)/package-lock.json -nt $(UI)/node_modules/.package-lock.json ]; then \
		cd $(UI) && npm ci --no-audit --no-fund; fi

ui: setup-ui
	cd $(UI) && npm run build

test-ui: setup-ui
	cd $(UI) && npm run typecheck && npm test && npm run build
else
setup-ui ui test-ui:
	@echo "no UI in this checkout"
endif

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

clean:
	$(CARGO) clean
	rm -rf $(UI)/out $(UI)/.next
