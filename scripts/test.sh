#!/usr/bin/env bash
# Sets up what is missing, then runs every test: native `cargo test`, browser unit tests
# (wasm-bindgen-test in headless Chromium), the release build, and the end-to-end tests
# (Playwright against the release build served on 127.0.0.1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/tools.sh test

say "native tests (cargo test)"
cargo test --lib --bins --tests

say "browser unit tests (wasm-bindgen-test in headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test browser

say "release build (trunk build --release)"
trunk build --release

say "end-to-end tests (Playwright + headless Chromium on the release build)"
node --test --test-concurrency=1 e2e/
