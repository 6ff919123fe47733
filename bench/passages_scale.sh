#!/usr/bin/env bash
# Shared passages at scale: generate N synthetic outputs from the dev data
# with PAIRS planted passages (examples/synth_passages.rs), run
# `lineage passages` over them under /usr/bin/time, and score recall and
# precision against the planted truth.
#   bench/passages_scale.sh [N=1000000] [PAIRS=10000] [OUT=target/synth-N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-1000000}"
PAIRS="${2:-10000}"
OUT="${3:-$ROOT/target/synth-$N}"
cd "$ROOT"
cargo build --release --quiet --bin lineage --example synth_passages
SYNTH="$ROOT/target/release/examples/synth_passages"
if [ ! -f "$OUT/truth.ndjson" ]; then
    /usr/bin/time -f "generate: %e s wall, %M KB max RSS" "$SYNTH" generate "$OUT" "$N" "$PAIRS"
fi
du -sh "$OUT"
/usr/bin/time -f "lineage passages: %e s wall, %U s user, %S s sys, %M KB max RSS" \
    "$ROOT/target/release/lineage" passages "$OUT" --same-source > "$OUT/hits.out"
"$SYNTH" score "$OUT" "$OUT/hits.out"
