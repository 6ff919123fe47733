#!/usr/bin/env bash
# The run command: set up what the page needs (not the test tools), build
# the release wasm, serve
# the page on http://127.0.0.1:${PORT:-8080}/.
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
"$dir/setup.sh" --page
"$dir/build-wasm.sh"
exec "$dir/serve.sh"
