#!/usr/bin/env bash
# The wasm module's size against the 600 KB gzip budget: builds the release
# package (scripts/build-wasm.sh) and records the sizes after wasm-opt in
# docs/figures.json (wasmGzipBytes, wasmRawBytes). The docs quote them;
# tests/core/docs_figures.rs fails until a changed figure is quoted anew.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"
scripts/build-wasm.sh >/dev/null
raw="$(wc -c < pkg/lineage_bg.wasm)"
gz="$(gzip -9 -c pkg/lineage_bg.wasm | wc -c)"
printf 'wasm: %d bytes raw, %d bytes gzip -9 (budget 600000)\n' "$raw" "$gz"
node bench/figures.mjs "wasmGzipBytes=$gz" "wasmRawBytes=$raw"
