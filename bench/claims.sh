#!/usr/bin/env bash
# The teacher claims on the development data (README, "Accuracy"): every
# OpenAI student with its control against the nine candidates of both
# folders, each run again with every OpenAI model left out (a correct
# verdict then names no teacher), on all 400 prompts, on 10 random halves
# and on 10 random 100-prompt subsets. About 15 minutes on 2 cores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
bench_on_dev_data "${1:-}"
MORE="$(dirname "$DATA")/alpaca_eval_dev_more"
[ -d "$MORE" ] || { echo "no $MORE: nothing to measure"; exit 0; }
NINE=text_davinci_003,gpt-3.5-turbo-0301,gpt4_0314,gpt4_0613,claude-2,claude-2.1,claude-instant-1.2,llama-2-70b-chat-hf,gemini-pro
CASES=alpaca-7b:text_davinci_003:guanaco-33b,vicuna-13b:gpt-3.5-turbo-0301:guanaco-33b,nous-hermes-13b:gpt4_0314:guanaco-13b,airoboros-33b:gpt4_0314:guanaco-33b,OpenHermes-2.5-Mistral-7B:gpt4_0314:Mistral-7B-Instruct-v0.2,guanaco-33b:-:vicuna-13b
run() { target/release/lineage eval "$DATA" "$MORE" --candidates "$NINE" --suspects "$CASES" --skip-t1 --drop-family --format summary "$@"; }
echo "== all prompts"; run
echo "== 10 random halves"; run --resample 10 | sed -n '/^  mode/,$p'
echo "== 10 random 100-prompt subsets"; run --resample 10 --subset 100 | sed -n '/^  mode/,$p'
