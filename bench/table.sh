#!/usr/bin/env bash
# The native figures of the speed table (docs/PERFORMANCE.md), for one
# build or for a previous build and this one side by side.
#
#   bench/table.sh [BEFORE_BIN] [DATA_DIR]
#
# Rows (each the best of ROUNDS=3 runs, wall and CPU from /usr/bin/time):
#   1. `lineage analyze` on the whole dev data: alpaca-7b against eight
#      candidates with guanaco-33b as the control (10 sources);
#   2. `lineage analyze`, alpaca-7b against four candidates (5 sources);
#   3. `lineage eval --candidates <all ten>` (T1 attribution, what
#      bench/compare times against scikit-learn) on the whole dev data.
# Peak memory is the maximum resident set; "x input" divides it by the
# bytes of JSONL read. Each run's report is checked: the before and after
# builds must reach the same verdict kind (the speed work changes no
# verdict). The wasm figures: `node bench/analysis_time.mjs`; the page:
# `node bench/page_analysis.mjs`; profile throughput: `cargo bench --bench
# core -- profile`. On the default data, this build's rows go into
# docs/figures.json (nativeTen*, nativeFive*, nativeEvalT1WallSeconds).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
BEFORE="${1:-}"
ROUNDS="${ROUNDS:-3}"
bench_on_dev_data "${2:-}"
AFTER="$ROOT/target/release/lineage"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

d() { echo "$DATA/$1.jsonl"; }
ten=(--suspect "$(d alpaca-7b)" --control "$(d guanaco-33b)")
for c in claude-2 claude-instant-1.2 gemini-pro gpt-3.5-turbo-0301 gpt4_0314 \
    llama-2-70b-chat-hf text_davinci_003 vicuna-13b; do
    ten+=(--candidate "$(d "$c")")
done
five=(--suspect "$(d alpaca-7b)")
for c in gpt-3.5-turbo-0301 claude-2 text_davinci_003 gpt4_0314; do
    five+=(--candidate "$(d "$c")")
done
ten_bytes=$(cat "$DATA"/*.jsonl | wc -c)
five_bytes=$(cat "$(d alpaca-7b)" "$(d gpt-3.5-turbo-0301)" "$(d claude-2)" \
    "$(d text_davinci_003)" "$(d gpt4_0314)" | wc -c)

# best BIN NAME ARGS...: the run with the least wall time of ROUNDS, as
# "wall cpu rss_kb"; the JSON report of the last run goes to OUT/NAME.json.
best() {
    local bin="$1" name="$2"
    shift 2
    local line best_line="" best_wall=""
    for _ in $(seq "$ROUNDS"); do
        line=$( { /usr/bin/time -f "%e %U %S %M" "$bin" "$@" > "$OUT/$name.json"; } 2>&1 | tail -1)
        read -r wall user sys rss <<< "$line"
        if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
            best_wall="$wall"
            best_line="$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') $rss"
        fi
    done
    echo "$best_line"
}

kind() {
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); v=r.get("verdict",{}); print(v.get("kind") or v.get("headline") or "?")' "$1" 2>/dev/null || echo "?"
}

# figures KEY_PREFIX BYTES "wall cpu rss_kb": this build's row as figures.
figs=()
figures() {
    read -r wall cpu rss <<< "$3"
    figs+=("$1WallSeconds=$wall")
    [ "$1" = nativeEvalT1 ] && return
    figs+=("$1CpuSeconds=$cpu" "$1RssMB=$(awk -v r="$rss" 'BEGIN { printf "%.0f", r / 1024 }')"
        "$1RssPerInput=$(awk -v r="$rss" -v b="$2" 'BEGIN { printf "%.1f", r * 1024 / b }')")
}

row() {
    local label="$1" bytes="$2" name="$3" key="$4"
    shift 4
    local a b
    a=$(best "$AFTER" "$name-after" "$@")
    figures "$key" "$bytes" "$a"
    if [ -n "$BEFORE" ]; then
        b=$(best "$BEFORE" "$name-before" "$@")
        local ka kb
        ka=$(kind "$OUT/$name-after.json")
        kb=$(kind "$OUT/$name-before.json")
        [ "$ka" = "$kb" ] || echo "WARNING: $label: verdict $kb before, $ka after" >&2
    else
        b=""
    fi
    awk -v l="$label" -v by="$bytes" -v a="$a" -v b="$b" 'BEGIN {
        split(a, x, " "); n = split(b, y, " ");
        mb = by / 1e6;
        fa = sprintf("%.2f s wall, %.2f s CPU, %.0f MB (%.0fx input)", x[1], x[2], x[3] / 1024, x[3] * 1024 / by);
        if (n == 0) { printf "| %s (%.1f MB) | %s |\n", l, mb, fa; exit }
        fb = sprintf("%.2f s wall, %.2f s CPU, %.0f MB (%.0fx input)", y[1], y[2], y[3] / 1024, y[3] * 1024 / by);
        printf "| %s (%.1f MB) | %s | %s | %.2fx wall, %.2fx CPU, %.2fx memory |\n", l, mb, fa, fb, y[1] / x[1], y[2] / x[2], y[3] / x[3];
    }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$BEFORE" ]; then
    echo "| what | now | before ($BEFORE) | before / now |"
    echo "|---|---|---|---|"
else
    echo "| what | now |"
    echo "|---|---|"
fi
row "analyze, 10 sources (suspect + 8 candidates + control)" "$ten_bytes" ten nativeTen analyze --format json "${ten[@]}"
row "analyze, alpaca-7b against 4 candidates" "$five_bytes" five nativeFive analyze --format json "${five[@]}"
all=$(cd "$DATA" && ls -- *.jsonl | sed 's/\.jsonl$//' | paste -sd, -)
row "eval T1, 10 sources" "$ten_bytes" eval nativeEvalT1 eval "$DATA" --candidates "$all" --json
if [ -z "${2:-}" ]; then node "$ROOT/bench/figures.mjs" "${figs[@]}"; fi
