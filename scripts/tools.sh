#!/usr/bin/env bash
# Installs what building article-viewer needs and skips what is there. Sourced by serve.sh and
# test.sh; `tools.sh test` also installs the browser and the test tools.
# Version traps (docs/design/toolchain.md): trunk 0.21.14 (0.22 needs a newer rustc); wasm-bindgen-cli must equal the
# wasm-bindgen in Cargo.lock and is installed without --locked; Debian's binaryen is too old for
# rustc 1.95 output, so wasm-opt comes from npm's binaryen 132.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  say "installing trunk 0.21.14 (about 15 minutes on a fresh machine)"
  cargo install trunk --version 0.21.14 --locked
fi

bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen" ]; then
  say "Cargo.lock names no wasm-bindgen version"; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen" ]; then
  say "installing wasm-bindgen-cli $bindgen (the version in Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$bindgen"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/terser ] || [ ! -d node_modules/playwright-core ] || [ package.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen's wasm-opt, terser, test tools)"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = test ]; then
  if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  fi
fi
