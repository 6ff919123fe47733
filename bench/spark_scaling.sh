#!/usr/bin/env bash
# Scaling of the Spark passage job in local mode: 1 and 2 cores (local[1],
# local[2]) on 1x and 4x N generated outputs (examples/synth_passages.rs,
# from the dev data's sentences, in 8 shards), beside `lineage passages` on the same
# files; each Spark run's hits are checked equal to the CLI's. Prints a
# Markdown table (docs/CLUSTER.md); with the default N it writes the
# table's figures into docs/figures.json (spark1x*, spark4x*).
#   bench/spark_scaling.sh [N=20000]
# Run scripts/setup.sh first; needs ../shared/data/alpaca_eval_dev.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-20000}"
DEV="${LINEAGE_DEV_DATA:-$ROOT/../shared/data/alpaca_eval_dev}"
cd "$ROOT"
[ -d "$DEV" ] || { echo "needs the dev data at $DEV" >&2; exit 1; }
scripts/build-python.sh >/dev/null
cargo build --release --quiet --bin lineage --example synth_passages
export PYSPARK_PYTHON="$ROOT/target/py-venv/bin/python"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
work="$ROOT/target/spark-scaling"
mkdir -p "$work"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo
echo "| data | outputs | MB | lineage passages wall s (CPU s) | Spark local[1] wall s (job s) | Spark local[2] wall s (job s) | local[1] / local[2] wall (job) | hits, equal to the CLI's |"
echo "|---|---|---|---|---|---|---|---|"
figs=()
for scale in 1 4; do
    n=$((N * scale))
    dir="$ROOT/target/synth-$n"
    if [ ! -f "$dir/truth.ndjson" ]; then
        target/release/examples/synth_passages generate "$dir" "$n" "$((n / 100))" "$DEV" >/dev/null
    fi
    # Spark reads each shard in one task: the generator's one shard is
    # split into 8, as a real corpus comes in many.
    if [ ! -d "$dir/split" ]; then
        mkdir -p "$dir/split"
        cat "$dir"/shard-*.jsonl > "$dir/split/all.tmp"
        split -n l/8 -d --additional-suffix=.jsonl "$dir/split/all.tmp" "$dir/split/part-"
        rm "$dir/split/all.tmp"
    fi
    dir="$dir/split"
    mb="$(du -m --apparent-size "$dir"/*.jsonl | awk '{s+=$1} END {print s}')"
    /usr/bin/time -f "%e %U %S" -o "$work/cli.time" \
        target/release/lineage passages "$dir" --same-source >"$work/cli-$n.jsonl" 2>/dev/null
    read -r cli_wall cli_user cli_sys < "$work/cli.time"
    walls=()
    jobs=()
    same="yes"
    for cores in 1 2; do
        out="$work/spark-$n-$cores"
        rm -rf "$out"
        /usr/bin/time -f "%e %U %S" -o "$out.time" \
            target/py-venv/bin/spark-submit --master "local[$cores]" --conf spark.ui.showConsoleProgress=false \
            python/jobs/lineage_job.py passages "$dir" --out "$out" --same-source >"$out.log" 2>&1
        # (Its user and system times miss the Python workers, which the
        # JVM does not wait for: only the wall time is shown.)
        read -r wall _ < "$out.time"
        walls+=("$wall")
        # The job's own time, without starting and stopping Spark.
        jobs+=("$(sed -n 's/^passages: .*, all \([0-9.]*\) s$/\1/p' "$out.log")")
        cmp -s <(sort "$work/cli-$n.jsonl") <(cat "$out"/part-* | sort) || same="NO"
    done
    printf '| %dx | %d | %d | %.1f (%.1f) | %.1f (%.1f) | %.1f (%.1f) | %.2f (%.2f) | %d, %s |\n' "$scale" "$n" "$mb" \
        "$cli_wall" "$(awk -v u="$cli_user" -v s="$cli_sys" 'BEGIN { print u + s }')" \
        "${walls[0]}" "${jobs[0]}" "${walls[1]}" "${jobs[1]}" \
        "$(awk -v a="${walls[0]}" -v b="${walls[1]}" 'BEGIN { print a / b }')" \
        "$(awk -v a="${jobs[0]}" -v b="${jobs[1]}" 'BEGIN { print a / b }')" \
        "$(wc -l < "$work/cli-$n.jsonl")" "$same"
    if [ "$N" = 20000 ] && [ "$same" = yes ]; then
        figs+=("spark${scale}xOutputs=$n" "spark${scale}xInputMB=$mb" "spark${scale}xCliSeconds=$cli_wall"
            "spark${scale}xLocal1Seconds=${walls[0]}" "spark${scale}xLocal1JobSeconds=${jobs[0]}"
            "spark${scale}xLocal2Seconds=${walls[1]}" "spark${scale}xLocal2JobSeconds=${jobs[1]}")
    fi
done
if [ "${#figs[@]}" -gt 0 ]; then node "$ROOT/bench/figures.mjs" "${figs[@]}"; fi
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
