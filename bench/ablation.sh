#!/usr/bin/env bash
# The signal ablation of docs/ACCURACY.md: every per-prompt signal alone,
# the default combination, the default without each of its signals and with
# each other signal added, and every signal but verbatim_overlap, on the
# development data's T2 cases (`lineage eval --skip-t1 --signals ...`).
#
#   bench/ablation.sh [DATA_DIR]      # default ../shared/data/alpaca_eval_dev
#
# Cases (the same with any data that has these sources):
#   with the seven API candidates, control guanaco-33b / vicuna-13b:
#     alpaca-7b  (teacher text_davinci_003, OpenAI family)
#     vicuna-13b (teacher gpt-3.5-turbo-0301, OpenAI family)
#     guanaco-33b with vicuna-13b as control (no teacher: must abstain)
#   with the four non-OpenAI candidates (teacher left out: must abstain):
#     alpaca-7b, vicuna-13b, control guanaco-33b
# A cell shows the attributed set (or "-" with the abstention code) and the
# excess test's p-value; the last column counts the cases that come out as
# the documented lineage says.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"

data="${1:-$ROOT/../shared/data/alpaca_eval_dev}"
[ -d "$data" ] || die "no data directory: $data"
cargo build --release --quiet --bin lineage
bin="$ROOT/target/release/lineage"

oai="text_davinci_003+gpt-3.5-turbo-0301+gpt4_0314"
api="text_davinci_003,gpt-3.5-turbo-0301,gpt4_0314,claude-2,claude-instant-1.2,llama-2-70b-chat-hf,gemini-pro"
others="claude-2,claude-instant-1.2,llama-2-70b-chat-hf,gemini-pro"
with_teacher="alpaca-7b:$oai:guanaco-33b,vicuna-13b:gpt-3.5-turbo-0301+gpt4_0314+text_davinci_003:guanaco-33b,guanaco-33b:-:vicuna-13b"
teacher_absent="alpaca-7b:-:guanaco-33b,vicuna-13b:-:guanaco-33b"

all="char_ngrams words word_pairs names opening function_words structure length masked_chars verbatim_overlap"
default="char_ngrams,words,names,length"

configs=()
for s in $all; do configs+=("$s"); done
configs+=("$default")
for s in ${default//,/ }; do
    configs+=("$(echo ",$default," | sed "s/,$s,/,/; s/^,//; s/,$//")")
done
# The default plus each signal it leaves out, and every signal but
# verbatim_overlap (the default before the ablation).
for s in $all; do
    case ",$default," in *",$s,"*) ;; *) configs+=("$default,$s") ;; esac
done
nine="char_ngrams,words,word_pairs,names,opening,function_words,structure,length,masked_chars"
configs+=("$nine")

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf '%-34s | %-30s | %-30s | %-16s | %-16s | %-16s | right\n' \
    "signals" "alpaca-7b (ctl guanaco)" "vicuna-13b (ctl guanaco)" "guanaco (ctl vicuna)" \
    "alpaca, no OpenAI" "vicuna, no OpenAI"
for cfg in "${configs[@]}"; do
    label="$cfg"
    [ "$cfg" = "$default" ] && label="DEFAULT"
    [ "$cfg" = "$nine" ] && label="all but verbatim_overlap"
    case "$cfg" in "$default",*) label="default + ${cfg#"$default",}" ;; esac
    for s in ${default//,/ }; do
        [ "$cfg" = "$(echo ",$default," | sed "s/,$s,/,/; s/^,//; s/,$//")" ] && label="default without $s"
    done
    "$bin" eval "$data" --skip-t1 --json --candidates "$api" --suspects "$with_teacher" \
        --signals "$cfg" > "$tmp/a.json"
    "$bin" eval "$data" --skip-t1 --json --candidates "$others" --suspects "$teacher_absent" \
        --signals "$cfg" > "$tmp/b.json"
    python3 - "$label" "$tmp/a.json" "$tmp/b.json" <<'EOF'
import json, sys
label = sys.argv[1]
cases = json.load(open(sys.argv[2]))["t2"] + json.load(open(sys.argv[3]))["t2"]
short = {"text_davinci_003": "davinci", "gpt-3.5-turbo-0301": "gpt-3.5", "gpt4_0314": "gpt4",
         "claude-2": "claude-2", "claude-instant-1.2": "claude-inst", "llama-2-70b-chat-hf": "llama-2",
         "gemini-pro": "gemini"}
cells = []
for c in cases:
    p = "-" if c["p_value"] is None else f'{c["p_value"]:.4f}'
    if c["attributed"]:
        what = "{" + ",".join(short.get(a, a) for a in c["attributed"]) + "}"
    else:
        what = "- " + (c["abstention"] or "")
    cells.append(f"{what} p={p}")
right = sum(c["correct"] for c in cases)
print(f"{label:<34} | {cells[0]:<30} | {cells[1]:<30} | {cells[2]:<16} | {cells[3]:<16} | {cells[4]:<16} | {right}/{len(cases)}")
EOF
done
