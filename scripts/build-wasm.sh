#!/usr/bin/env bash
# Builds the release wasm package into pkg/ (wasm-bindgen --target web,
# then wasm-opt -Oz --converge), adds the hand-written package files of pkg-template/
# (package.json with the crate's version, the entries index.js, node.js and
# worker.js, README, LICENSE) and copies it all to www/pkg/ where the page
# imports it.
# Prints the .wasm size, raw and gzip, before and after wasm-opt.
# Skips wasm-bindgen and wasm-opt when cargo's output has not changed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"

# The wasm-release profile (Cargo.toml) is the release profile optimised
# for size.
say "cargo build -p lineage-wasm --profile wasm-release --lib --target wasm32-unknown-unknown"
cargo build -p lineage-wasm --profile wasm-release --lib --target wasm32-unknown-unknown
raw="$target_dir/wasm32-unknown-unknown/wasm-release/lineage_wasm.wasm"

# Rust's wasm32 target emits these post-MVP features by default (and SIMD,
# which .cargo/config.toml turns on); wasm-opt must be told it may keep them.
# --converge repeats -Oz until it gains nothing: 2.6 KB gzip less (about
# 0.4%), for 30 s more of a build that is skipped when cargo's output has
# not changed.
opt_flags=(-Oz --converge --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
    --enable-mutable-globals --enable-reference-types --enable-multivalue)
stamp="$target_dir/lineage-pkg.stamp"
key="$(sha256sum "$raw" | cut -d' ' -f1) $(wasm-bindgen --version) reset-state ${opt_flags[*]}"

size_line() {
    printf '%-16s %9d bytes raw, %8d bytes gzip -9\n' "$1" "$(wc -c < "$2")" "$(gzip -9 -c "$2" | wc -c)"
}

if [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$key" ] && [ -f pkg/lineage_bg.wasm ]; then
    say "pkg/ is up to date"
    tail -n +2 "$stamp"
else
    say "wasm-bindgen --target web --out-dir pkg"
    rm -rf pkg
    # The reset-state function lets the package entry (index.js) replace
    # the instance after a trap that never reached the panic hook.
    wasm-bindgen --target web --experimental-reset-state-function --out-name lineage --out-dir pkg "$raw"
    before="$(size_line "before wasm-opt:" pkg/lineage_bg.wasm)"
    say "wasm-opt ${opt_flags[*]}"
    node_modules/.bin/wasm-opt "${opt_flags[@]}" pkg/lineage_bg.wasm -o pkg/lineage_bg.opt.wasm
    mv pkg/lineage_bg.opt.wasm pkg/lineage_bg.wasm
    after="$(size_line "after wasm-opt:" pkg/lineage_bg.wasm)"
    printf '%s\n%s\n%s\n' "$key" "$before" "$after" > "$stamp"
    printf '%s\n%s\n' "$before" "$after"
fi

install_template pkg

rm -rf www/pkg
cp -r pkg www/pkg
