#!/usr/bin/env bash
# Shared passages at scale: generate N synthetic outputs from the dev data
# with PAIRS planted passages (examples/synth_passages.rs), run
# `lineage passages` over them under /usr/bin/time, and score recall and
# precision against the planted truth.
#   bench/passages_scale.sh [N=1000000] [PAIRS=10000] [OUT=target/synth-N]
# With the default N and PAIRS it writes the run into docs/figures.json
# (passagesScale*).
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
/usr/bin/time -o "$OUT/time.out" -f "%e %U %S %M" \
    "$ROOT/target/release/lineage" passages "$OUT" --same-source > "$OUT/hits.out"
read -r wall user sys rss < "$OUT/time.out"
echo "lineage passages: $wall s wall, $user s user, $sys s sys, $rss KB max RSS"
"$SYNTH" score "$OUT" "$OUT/hits.out" | tee "$OUT/score.out"
if [ "$N" = 1000000 ] && [ "$PAIRS" = 10000 ]; then
    node "$ROOT/bench/figures.mjs" "passagesScaleOutputs=$N" \
        "passagesScaleInputMB=$(cat "$OUT"/shard-*.jsonl | wc -c | awk '{ printf "%.0f", $1 / 1e6 }')" \
        "passagesScaleWallSeconds=$wall" "passagesScaleRssMB=$(awk -v r="$rss" 'BEGIN { printf "%.0f", r / 1024 }')" \
        "passagesScaleRecall=$(sed -n 's/.*recall \([0-9.]*\),.*/\1/p' "$OUT/score.out")"
fi
