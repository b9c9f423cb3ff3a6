# Baton: the two commands README promises, and the steps they are made of.
#   make demo   installs what is missing, builds, and serves the demo host app
#   make test   installs what is missing and runs every test
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# Trunk must find binaryen's wasm-opt from npm (see README, "Why binaryen from npm").
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080

.PHONY: demo test setup build size test-native test-browser test-e2e bench eval

demo: setup build
	node tests/e2e/serve.mjs dist $(PORT)

test: setup test-native test-browser build size test-e2e

setup:
	.ci/setup

build:
	trunk build --release

size:
	node widget/size-report.mjs dist

test-native:
	cargo test

# wasm-bindgen-test in headless Chromium (webdriver.json holds the browser flags).
test-browser:
	CHROMEDRIVER="$$(command -v chromedriver)" WASM_BINDGEN_TEST_TIMEOUT=180 \
	WASM_BINDGEN_TEST_DRIVER_TIMEOUT=120 cargo test --target wasm32-unknown-unknown --test web

test-e2e:
	node --test --test-concurrency=1 tests/e2e/

# The benchmark: bytes, host impact, open latency, capture overhead, search and handoff, beside
# a page without a widget and Sentry's feedback widget; one table of medians. Exits non-zero
# when a budget (README, "Benchmark") is exceeded. Not part of `make test`.
bench: setup build
	node tests/bench/bench.mjs dist

# Answer quality on ../shared/eval (Baton's engine), then the same protocol for MiniSearch,
# Lunr, FlexSearch and Fuse.js (takes a few minutes: Fuse.js is slow on 3,000 queries).
EVAL_SETS ?= ../shared/eval/clinc150-val ../shared/eval/banking77
eval: setup
	cargo run --release --example eval -- $(EVAL_SETS)
	node tests/bench/answers-compare.mjs $(EVAL_SETS)
