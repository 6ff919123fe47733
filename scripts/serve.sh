#!/usr/bin/env bash
# Serves www/ on http://127.0.0.1:$PORT (default 8080). Expects www/pkg/
# to have been built (scripts/build-wasm.sh). The end-to-end test starts
# this same script on a free port.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PORT="${PORT:-8080}"
[ -f "$ROOT/www/pkg/lineage.js" ] || die "www/pkg is missing: run scripts/build-wasm.sh first"
echo "Lineage: http://127.0.0.1:$PORT/"
# exec, so that whoever started this script can stop the server by its pid.
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$ROOT/www"
