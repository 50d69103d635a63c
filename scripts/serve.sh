#!/usr/bin/env bash
# Sets up what is missing, then serves the viewer with the bundled sample content:
# http://127.0.0.1:8080/ (extra arguments go to `trunk serve`, e.g. --port 9000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/tools.sh
exec trunk serve "$@"
