#!/usr/bin/env bash
# Builds the test-only wasm package into target/pkg-panic-test/: a debug
# build with the `panic-test` feature, which exports triggerPanicForTest()
# so tests/e2e/panic.test.mjs can check that a panic becomes an Error with
# code "PANIC" and that the module stays usable. The release package
# (scripts/build-wasm.sh) never has this export.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
out="$target_dir/pkg-panic-test"

say "cargo build -p lineage-wasm --lib --target wasm32-unknown-unknown --features panic-test"
cargo build -p lineage-wasm --lib --target wasm32-unknown-unknown --features panic-test
say "wasm-bindgen --target web --out-dir $out"
rm -rf "$out"
wasm-bindgen --target web --experimental-reset-state-function --out-name lineage --out-dir "$out" \
    "$target_dir/wasm32-unknown-unknown/debug/lineage_wasm.wasm"
# The same entries as the release package, so the test goes through index.js,
# plus the test-only exports (wrapped like every other call), which the
# release index.js must not name.
install_template "$out"
cat "$ROOT/pkg-template/test-only/index-exports.js" >> "$out/index.js"
