#!/usr/bin/env bash
# The Spark jobs (python/lineage/spark.py, spark_cli.py) in local mode beside the
# single-machine CLI, on the same inputs:
#   1. generated outputs with planted passages (examples/synth_passages.rs
#      from the dev data's sentences; python/tests/corpora.py when the dev
#      data is absent): hits, times, equality with `lineage passages`,
#      recall of the planted passages;
#   2. the dev data (../shared/data/alpaca_eval_dev, read in place;
#      skipped with a message when absent): passages as above, then the
#      profiles job (alpaca-7b against the API models, guanaco-33b as
#      control) and its report against `lineage analyze` on the samples
#      the job chose.
#
#   scripts/scale-out-demo.sh [N=20000]     # N generated outputs
#   MASTER=local[1] scripts/scale-out-demo.sh
# Everything it writes is under target/scale-out-demo/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

N="${1:-20000}"
MASTER="${MASTER:-local[2]}"
DEV="${LINEAGE_DEV_DATA:-$ROOT/../shared/data/alpaca_eval_dev}"
work="$ROOT/target/scale-out-demo"
venv="$ROOT/target/py-venv"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-python.sh"
say "cargo build --release --bin lineage --example synth_passages"
cargo build --release --quiet --bin lineage --example synth_passages
export PYSPARK_PYTHON="$venv/bin/python"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
mkdir -p "$work"

# seconds COMMAND...: runs it, prints its wall time in seconds to fd 3.
# (spark-submit copies the Python driver's stderr to its own stdout, so
# the jobs' summary lines are in the .err logs with Spark's.)
seconds() {
    local t0 t1
    t0="$(date +%s.%N)"
    "$@"
    t1="$(date +%s.%N)"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }' >&3
}

# spark_job LOG ARGS...: lineage_job.py ARGS under spark-submit, its log
# (Spark's and the job's summary) in LOG; prints the wall time.
spark_job() {
    local log="$1"
    shift
    seconds "$venv/bin/spark-submit" --master "$MASTER" \
        --conf spark.ui.showConsoleProgress=false \
        "$ROOT/python/jobs/lineage_job.py" "$@" 3>&1 >"$log" 2>&1 || {
        tail -20 "$log" >&2
        die "the Spark job failed (log: $log)"
    }
}

# passages NAME DIR [ARGS...]: the CLI and the Spark job on DIR, compared.
passages() {
    local name="$1" dir="$2"
    shift 2
    local cli="$work/$name.cli.jsonl" out="$work/$name.spark"
    rm -rf "$out"
    say "$name: lineage passages $*"
    local t_cli t_spark
    t_cli="$(seconds "$ROOT/target/release/lineage" passages "$dir" "$@" \
        3>&1 >"$cli" 2>"$work/$name.cli.err")"
    grep '^passages:' "$work/$name.cli.err" || true
    say "$name: spark-submit --master $MASTER python/jobs/lineage_job.py passages $*"
    t_spark="$(spark_job "$work/$name.spark.err" passages "$dir" --out "$out" "$@")"
    grep '^passages:' "$work/$name.spark.err" || true
    local n_cli n_spark same
    n_cli="$(wc -l < "$cli")"
    n_spark="$(cat "$out"/part-* | wc -l)"
    if cmp -s <(sort "$cli") <(cat "$out"/part-* | sort); then
        same="identical line for line after sorting"
    else
        same="DIFFERENT: $(comm -3 <(sort "$cli") <(cat "$out"/part-* | sort) | wc -l) lines differ"
    fi
    printf '%s: CLI %s hits in %s s; Spark (%s) %s hits in %s s (%.1fx the CLI); %s\n' \
        "$name" "$n_cli" "$t_cli" "$MASTER" "$n_spark" "$t_spark" \
        "$(awk -v a="$t_spark" -v b="$t_cli" 'BEGIN { print (b > 0 ? a / b : 0) }')" "$same" \
        | tee -a "$work/summary.txt"
}

: > "$work/summary.txt"
if [ -d "$DEV" ]; then
    synth="$ROOT/target/synth-$N"
    if [ ! -f "$synth/truth.ndjson" ]; then
        say "generating $N outputs with $((N / 100)) planted passages (examples/synth_passages.rs)"
        "$ROOT/target/release/examples/synth_passages" generate "$synth" "$N" "$((N / 100))" "$DEV"
    fi
    passages "generated-$N" "$synth" --same-source
    "$ROOT/target/release/examples/synth_passages" score "$synth" "$work/generated-$N.cli.jsonl" | tee -a "$work/summary.txt"
else
    synth="$work/corpora-$N"
    if [ ! -d "$synth" ]; then
        say "no dev data at $DEV: generating $N outputs with python/tests/corpora.py instead"
        "$venv/bin/python" python/tests/corpora.py "$synth" "$(( (N + 999) / 1000 ))" 1000
    fi
    passages "generated-$N" "$synth" --same-source
fi

if [ ! -d "$DEV" ]; then
    echo "dev data not found at $DEV: skipping the dev-data runs" | tee -a "$work/summary.txt"
else
    passages "dev-data" "$DEV" --min-words 8
    roles=(--suspect alpaca-7b --candidate text_davinci_003 --candidate gpt-3.5-turbo-0301
        --candidate gpt4_0314 --candidate claude-2 --control guanaco-33b)
    rm -rf "$work/profiles"
    say "dev-data: spark-submit --master $MASTER python/jobs/lineage_job.py profiles ${roles[*]}"
    t_spark="$(spark_job "$work/profiles.err" profiles "$DEV" --out "$work/profiles" "${roles[@]}")"
    grep '^profiles:' "$work/profiles.err" || true
    t_cli="$(seconds "$ROOT/target/release/lineage" analyze "$work/profiles/samples.jsonl" "${roles[@]}" \
        --format json 3>&1 >"$work/profiles/cli-report.json" 2>/dev/null)"
    same="$("$venv/bin/python" - "$work/profiles/report.json" "$work/profiles/cli-report.json" <<'PY'
import json, sys
mine, theirs = (json.load(open(p)) for p in sys.argv[1:])
mine.pop("inputs"); theirs.pop("inputs")
v = mine["verdict"]
print(f"verdict {v['kind']} {v['top']}; " + ("the report equals lineage analyze's on samples.jsonl"
      if mine == theirs else "the report DIFFERS from lineage analyze's on samples.jsonl"))
PY
)"
    printf 'dev-data profiles: %s sources profiled and the analysis in %s s (lineage analyze on the chosen samples: %s s); %s\n' \
        "$(wc -l < "$work/profiles/profiles.jsonl")" "$t_spark" "$t_cli" "$same" | tee -a "$work/summary.txt"
fi
say "summary (target/scale-out-demo/summary.txt)"
cat "$work/summary.txt"
