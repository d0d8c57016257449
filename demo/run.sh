#!/usr/bin/env bash
# The one demo command: installs what is missing, builds the wasm release and
# serves the demo on 127.0.0.1 (port from PORT, default 8080). Ctrl-C stops it.
# Extra arguments go to the server (e.g. --catalog DIR).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../tests/lib/setup.sh"
cd "$REPO"
reelrank_setup
reelrank_build wasm-release
PORT="${PORT:-8080}"
echo "reelrank demo: open http://127.0.0.1:${PORT}/  (Ctrl-C stops)"
exec node demo/server.mjs --port "$PORT" "$@"
