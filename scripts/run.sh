#!/usr/bin/env bash
# The run command: set up what is missing, build the release wasm, serve
# the page on http://127.0.0.1:${PORT:-8080}/.
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
"$dir/setup.sh"
"$dir/build-wasm.sh"
exec "$dir/serve.sh"
