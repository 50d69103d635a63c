#!/usr/bin/env bash
# Sets up what is missing, then runs every test: formatting and lints, native `cargo test`
# (every crate of the workspace), browser unit tests (wasm-bindgen-test in headless Chromium), the
# release build, the sample site published into it, and the end-to-end tests (Playwright
# against that site served on 127.0.0.1, and opened from disk).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/tools.sh test

say "format and lints (cargo fmt --check; cargo clippy, warnings as errors)"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

say "native tests (cargo test: every crate of the workspace)"
cargo test --workspace --lib --bins --tests

say "browser unit tests (wasm-bindgen-test in headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown -p article-viewer-ui --test browser

say "release build (trunk build --release)"
trunk build --release

say "the viewer the CLI carries (crates/site/viewer/) is exactly what trunk just built"
scripts/bundle-viewer.sh --check dist

say "the sample site (article-viewer-cli build: prerendered pages, sitemap, feeds)"
cargo build --release -p article-viewer-cli
target/release/article-viewer-cli build --content static/samples --dist dist --site https://news.example/

say "end-to-end tests (Playwright + headless Chromium on the release build)"
node --test --test-concurrency=1 e2e/
