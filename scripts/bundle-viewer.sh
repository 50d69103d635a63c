#!/usr/bin/env bash
# The viewer's built files, carried by article-viewer-cli (crates/site/viewer/, embedded with
# include_bytes!): every file at the top of a fresh `trunk build --release` output (the page
# frame, the app's wasm and JS, its stylesheet and icon, the start-up script, the archive
# worker, the embed module). Folders there (static/samples, static/embed-example) are not the
# viewer and stay out.
#
#   scripts/bundle-viewer.sh [DIST]          copies DIST's files into crates/site/viewer/
#   scripts/bundle-viewer.sh --check [DIST]  fails unless crates/site/viewer/ is exactly DIST's
#
# DIST is dist/ unless given. It must be trunk's output as trunk left it: `build --dist` writes
# pages into it (and keeps the frame as viewer.html), which is refused here.
# scripts/test.sh runs --check right after its own trunk build, so a stale copy fails the tests:
# after a change to the app, its components or style.css, run
#   trunk build --release && scripts/bundle-viewer.sh
# and commit crates/site/viewer/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
check=
if [ "${1:-}" = --check ]; then check=1; shift; fi
dist=${1:-dist}
dest=crates/site/viewer

if [ ! -f "$dist/index.html" ]; then
  echo "bundle-viewer: $dist/index.html not found; run trunk build --release first" >&2; exit 1
fi
if [ -e "$dist/viewer.html" ] || grep -q 'data-prerendered' "$dist/index.html"; then
  echo "bundle-viewer: $dist has pages published into it (article-viewer-cli build --dist);" \
       "run trunk build --release again and bundle its fresh output" >&2; exit 1
fi

# The top-level files of DIST, and of the carried copy, one name a line, sorted.
list() { find "$1" -mindepth 1 -maxdepth 1 -type f ! -name '.*' -printf '%f\n' | LC_ALL=C sort; }

# Whether two builds of a file are the same. Every file is compared byte for byte but two:
# trunk minifies the archive worker's JS glue with minify-js, which writes the declarations of
# a scope in a different order on every run (it keeps them in a HashMap), so that file is
# compared as its sorted declarations and statements; its loader names it with a hash of its
# bytes (`?v=…`), compared without that hash. Everything else trunk and scripts/post-build.mjs
# write (the wasm included) is the same bytes from two builds, even from two clones at
# different paths (docs/guide/install.md, "The carried viewer").
same() {
  case "$(basename "$1")" in
    archive-worker.js)
      norm() { tr ';,{}' '\n\n\n\n' < "$1" | sed -E 's/^(let|var|const) //' | LC_ALL=C sort; }
      cmp -s <(norm "$1") <(norm "$2") ;;
    archive-worker_loader.js)
      norm() { sed -E 's/\?v=[0-9a-f]+/?v=/g' "$1"; }
      cmp -s <(norm "$1") <(norm "$2") ;;
    *) cmp -s "$1" "$2" ;;
  esac
}

if [ -n "$check" ]; then
  stale=
  if ! diff <(list "$dist") <(list "$dest") >/dev/null 2>&1; then
    echo "bundle-viewer: the files differ from $dist's:" >&2
    diff <(list "$dist") <(list "$dest") | sed -n 's/^</  only in the build: /p; s/^>/  only in the copy:  /p' >&2 || true
    stale=1
  fi
  while read -r name; do
    if [ -f "$dest/$name" ] && ! same "$dist/$name" "$dest/$name"; then
      echo "  $name: differs from the build" >&2; stale=1
    fi
  done < <(list "$dist")
  if [ -n "$stale" ]; then
    echo "bundle-viewer: $dest/ is not what the source builds today; run" \
         "scripts/bundle-viewer.sh (after trunk build --release) and commit $dest/" >&2
    exit 1
  fi
  echo "bundle-viewer: $dest/ is exactly the viewer $dist holds ($(list "$dest" | wc -l) files)"
  exit 0
fi

mkdir -p "$dest"
# Only the copy's own folder is cleared, and only of files this script put there.
list "$dest" | while read -r name; do [ -f "$dist/$name" ] || rm -f -- "$dest/$name"; done
list "$dist" | while read -r name; do cp -- "$dist/$name" "$dest/$name"; done
echo "bundle-viewer: copied $(list "$dest" | wc -l) files into $dest/ ($(du -sk "$dest" | cut -f1) KB)"
