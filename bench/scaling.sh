#!/usr/bin/env bash
# Time and peak memory of one analysis (alpaca-7b against four candidates)
# at 1x, 4x and 16x the dev data: every record is replicated with a
# prompt-id suffix ("-r1", "-r2", ...), so the replicas are new prompts.
# Prints a Markdown table (docs/PERFORMANCE.md). On the default data and
# factors it writes the 1x and 16x rows into docs/figures.json (scaling*).
#   bench/scaling.sh [DATA_DIR] [FACTORS="1 4 16"]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
FACTORS="${2:-1 4 16}"
bench_on_dev_data "${1:-}"
SOURCES="alpaca-7b gpt-3.5-turbo-0301 claude-2 text_davinci_003 gpt4_0314"
figs=()
echo "| scale | input MB | wall s | CPU s (user+sys) | max RSS MB | RSS / input |"
echo "|---|---|---|---|---|---|"
for f in $FACTORS; do
    dir="$ROOT/target/scale-$f"
    mkdir -p "$dir"
    for s in $SOURCES; do
        python3 - "$DATA/$s.jsonl" "$dir/$s.jsonl" "$f" <<'PY'
import json, sys
src, dst, f = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, encoding="utf-8") as i, open(dst, "w", encoding="utf-8") as o:
    rows = [json.loads(l) for l in i if l.strip()]
    for r in range(f):
        for row in rows:
            row = dict(row)
            if r:
                row["prompt_id"] = f"{row['prompt_id']}-r{r}"
            o.write(json.dumps(row, ensure_ascii=False) + "\n")
PY
    done
    bytes=$(cat "$dir"/*.jsonl | wc -c)
    t=$( { /usr/bin/time -f "%e %U %S %M" target/release/lineage analyze \
        --suspect "$dir/alpaca-7b.jsonl" --candidate "$dir/gpt-3.5-turbo-0301.jsonl" \
        --candidate "$dir/claude-2.jsonl" --candidate "$dir/text_davinci_003.jsonl" \
        --candidate "$dir/gpt4_0314.jsonl" --size-limit-mib 256 > "$dir/report.json"; } 2>&1 | tail -1)
    read -r wall user sys rss <<< "$t"
    awk -v f="$f" -v b="$bytes" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
        printf "| %dx | %.1f | %.1f | %.1f | %.0f | %.0fx |\n", f, b/1e6, w, u+s, r/1024, r*1024/b }'
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    case "$f" in
        1) figs+=("scaling1xCpuSeconds=$cpu") ;;
        16) figs+=("scaling16xCpuSeconds=$cpu"
                "scaling16xInputMB=$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }')"
                "scaling16xRssMB=$(awk -v r="$rss" 'BEGIN { printf "%.0f", r / 1024 }')"
                "scaling16xRssPerInput=$(awk -v r="$rss" -v b="$bytes" 'BEGIN { printf "%.1f", r * 1024 / b }')") ;;
    esac
done
if [ -z "${1:-}" ] && [ -z "${2:-}" ]; then node "$ROOT/bench/figures.mjs" "${figs[@]}"; fi
