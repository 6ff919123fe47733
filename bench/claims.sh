#!/usr/bin/env bash
# The teacher claims on the development data (docs/ACCURACY.md): every
# OpenAI student with its control against the nine candidates of both
# folders, each run again with every OpenAI model left out (a correct
# verdict then names no teacher), on all 400 prompts, on 10 random halves
# and on 10 random 100-prompt subsets. About 15 minutes on 2 cores.
# On the default data it writes the run counts into docs/figures.json
# (claims{All,Halves,Subsets}{Present*,Absent*}).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
bench_on_dev_data "${1:-}"
MORE="$(dirname "$DATA")/alpaca_eval_dev_more"
[ -d "$MORE" ] || { echo "no $MORE: nothing to measure"; exit 0; }
NINE=text_davinci_003,gpt-3.5-turbo-0301,gpt4_0314,gpt4_0613,claude-2,claude-2.1,claude-instant-1.2,llama-2-70b-chat-hf,gemini-pro
CASES=alpaca-7b:text_davinci_003:guanaco-33b,vicuna-13b:gpt-3.5-turbo-0301:guanaco-33b,nous-hermes-13b:gpt4_0314:guanaco-13b,airoboros-33b:gpt4_0314:guanaco-33b,OpenHermes-2.5-Mistral-7B:gpt4_0314:Mistral-7B-Instruct-v0.2,guanaco-33b:-:vicuna-13b
run() { target/release/lineage eval "$DATA" "$MORE" --candidates "$NINE" --suspects "$CASES" --skip-t1 --drop-family --format summary "$@"; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "== all prompts"; run | tee "$out/all"
echo "== 10 random halves"; run --resample 10 | tee "$out/halves" | sed -n '/^  mode/,$p'
echo "== 10 random 100-prompt subsets"; run --resample 10 --subset 100 | tee "$out/subsets" | sed -n '/^  mode/,$p'

# The figures, from the summary's mode lines ("  MODE (WHO)  runs in-family
# mixed wrong abstained correct wrong-model").
[ -z "${1:-}" ] || exit 0
counts() {
    awk -v p="$2" 'index($0, p) == 3 { n = NF; print $(n-6), $(n-5), $(n-4), $(n-3), $(n-2), $n }' "$1"
}
figs=()
put() { # NAME FILE MODE
    local runs fam mixed wrong abst model
    read -r runs fam mixed wrong abst model <<< "$(counts "$2" "$3 (teacher present)")"
    [ -n "$model" ] || die "no '$3 (teacher present)' line in the summary"
    figs+=("claims$1PresentInFamily=$fam" "claims$1PresentMixed=$mixed" "claims$1PresentWrong=$wrong" "claims$1PresentAbstained=$abst" "claims$1PresentWrongModel=$model")
    read -r runs fam mixed wrong abst model <<< "$(counts "$2" "${3/all prompts/teacher family left out} (no teacher")"
    [ -n "$abst" ] || die "no teacher-absent line for '$3' in the summary"
    figs+=("claims$1AbsentWrong=$((runs - abst))" "claims$1AbsentAbstained=$abst")
}
put All "$out/all" "all prompts"
put Halves "$out/halves" "all prompts, resampled"
put Subsets "$out/subsets" "all prompts, resampled"
node "$ROOT/bench/figures.mjs" "${figs[@]}"
