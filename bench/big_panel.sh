#!/usr/bin/env bash
# Wall time, CPU time and peak memory of one native analysis against the
# number of sources N (issue 27), with the ratio to the 10-source run.
#
#   bench/big_panel.sh [NS="10 19 28 37"] [BIN...]
#
# Every BIN (default target/release/lineage, built here) runs every N in
# one go, so two builds compare under the same load: give the old binary
# and the new one and read the ratios side by side.
#
# How the panels are built, from ../shared/data (18 models x 400 prompts):
# - N = 10: the alpaca_eval_dev folder as it is (vicuna-13b the suspect,
#   guanaco-33b the control, the eight others candidates): the issue's
#   10-source run.
# - 10 < N <= 18: plus the models of alpaca_eval_dev_more, in name order.
# - N > 18: plus *rotated copies* of the 18 models, in name order: copy r
#   of model m answers prompt i (in prompt-id order) with m's own answer to
#   prompt i + r * 200 / k (mod the prompts m answered), k copies a model.
#   A copy is real text of that model, paired by id with every other
#   source, and never the same text as any other source on one prompt (no
#   near copies per prompt); it is only "off topic". Its records name the
#   source "m~r" so it reads as a source of its own family (not m's).
# The suspect, control and roles stay the same: every added source is a
# candidate. Input size is the bytes of the JSONL files read.
#
# Run with the defaults (every N, this build), it writes the 10-source and
# the largest run into docs/figures.json (bigPanel*).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
NS="${1:-10 19 28 37}"
shift || true
DEV="$ROOT/../shared/data/alpaca_eval_dev"
MORE="$ROOT/../shared/data/alpaca_eval_dev_more"
[ -d "$DEV" ] && [ -d "$MORE" ] || { echo "no dev data at $DEV and $MORE: nothing to measure"; exit 0; }
cd "$ROOT"
write_figures=""
if [ $# -eq 0 ]; then
    cargo build --release --quiet --bin lineage
    set -- target/release/lineage
    [ -n "${1:-}" ] && [ "$NS" = "10 19 28 37" ] && write_figures=1
fi
OUT="$ROOT/target/big-panel"
rm -rf "$OUT"/[0-9]*; mkdir -p "$OUT/reports"

# One folder per N holding its sources' JSONL files.
python3 - "$DEV" "$MORE" "$OUT" $NS <<'PY'
import json, os, sys
dev, more, out, ns = sys.argv[1], sys.argv[2], sys.argv[3], [int(n) for n in sys.argv[4:]]
def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]
base = {n[:-6]: load(os.path.join(dev, n)) for n in sorted(os.listdir(dev)) if n.endswith(".jsonl")}
extra = {n[:-6]: load(os.path.join(more, n)) for n in sorted(os.listdir(more)) if n.endswith(".jsonl")}
models = {**base, **extra}
order = list(base) + list(extra)
def rotated(name, rows, r, k):
    rows = sorted(rows, key=lambda row: row["prompt_id"])
    shift = (r * 200 // k) % len(rows) or 1
    new = []
    for i, row in enumerate(rows):
        donor = rows[(i + shift) % len(rows)]
        new.append({**row, "source": f"{name}~{r}", "text": donor["text"]})
    return new
for n in ns:
    d = os.path.join(out, str(n)); os.makedirs(d)
    sources = {m: models[m] for m in order[:n]}
    k = -(-(n - len(order)) // len(order)) if n > len(order) else 0
    extra_needed = n - len(sources)
    for r in range(1, k + 1):
        for m in order:
            if extra_needed <= 0:
                break
            sources[f"{m}~{r}"] = rotated(m, models[m], r, k + 1)
            extra_needed -= 1
    for name, rows in sources.items():
        with open(os.path.join(d, name + ".jsonl"), "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps({**row, "source": name}, ensure_ascii=False) + "\n")
PY

SUSPECT=vicuna-13b
CONTROL=guanaco-33b
echo "| binary | sources | input MB | wall s | CPU s | peak MB | peak / input | wall / wall(10) | CPU / CPU(10) | N/10 |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for bin in "$@"; do
    base_wall=""; base_cpu=""
    for n in $NS; do
        d="$OUT/$n"
        args=(analyze --suspect "$SUSPECT" --control "$CONTROL" --format json)
        for f in "$d"/*.jsonl; do
            s=$(basename "$f" .jsonl)
            [ "$s" = "$SUSPECT" ] || [ "$s" = "$CONTROL" ] || args+=(--candidate "$s")
        done
        # No --size-limit-mib: natively the limits follow the machine's
        # free memory (the tab's limits would refuse the larger panels).
        args+=("$d")
        bytes=$(cat "$d"/*.jsonl | wc -c)
        t=$( { /usr/bin/time -f "%e %U %S %M" "$bin" "${args[@]}" > "$OUT/reports/$n-$(basename "$bin").json"; } 2>&1 | tail -1)
        read -r wall user sys rss <<< "$t"
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
        [ -n "$base_wall" ] || { base_wall=$wall; base_cpu=$cpu; }
        row=$(awk -v bin="$(basename "$bin")" -v n="$n" -v b="$bytes" -v w="$wall" -v c="$cpu" -v r="$rss" \
            -v bw="$base_wall" -v bc="$base_cpu" 'BEGIN {
            printf "| %s | %d | %.1f | %.2f | %.2f | %.0f | %.0fx | %.2f | %.2f | %.1f |\n",
                bin, n, b/1e6, w, c, r/1024, r*1024/b, w/bw, c/bc, n/10 }')
        echo "$row"
        # For figures.json: this row's fields (sources, MB, wall, CPU, peak
        # MB, peak per input, CPU ratio), the first and the last N.
        IFS='|' read -r _ _ n_ mb_ wall_ cpu_ rss_ per_ _ cratio_ _ <<< "${row//[ x]/}"
        last=("$n_" "$mb_" "$wall_" "$cpu_" "$rss_" "$per_" "$cratio_")
        [ -n "${first+x}" ] || first=("${last[@]}")
    done
done
if [ -n "$write_figures" ]; then
    node "$ROOT/bench/figures.mjs" \
        "bigPanelTenWallSeconds=${first[2]}" "bigPanelTenCpuSeconds=${first[3]}" \
        "bigPanelTenRssPerInput=${first[5]}" \
        "bigPanelLargestSources=${last[0]}" "bigPanelLargestInputMB=${last[1]}" \
        "bigPanelLargestWallSeconds=${last[2]}" "bigPanelLargestCpuSeconds=${last[3]}" \
        "bigPanelLargestRssMB=${last[4]}" "bigPanelLargestRssPerInput=${last[5]}" \
        "bigPanelLargestCpuRatio=${last[6]}"
fi
