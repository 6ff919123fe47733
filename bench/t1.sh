#!/usr/bin/env bash
# T1 of the evaluation protocol on the development data (docs/ACCURACY.md):
# closed-set attribution of single held-out outputs and of batches of 10
# among the seven API candidates of alpaca_eval_dev, by `lineage eval`.
# Prints the summary; on the default data it writes the accuracies into
# docs/figures.json (t1*). Seconds.
#   bench/t1.sh [DATA_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
bench_on_dev_data "${1:-}"
API=text_davinci_003,gpt-3.5-turbo-0301,gpt4_0314,claude-2,claude-instant-1.2,llama-2-70b-chat-hf,gemini-pro
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
target/release/lineage eval "$DATA" --candidates "$API" --json > "$out"
node - "$out" "${1:-}" <<'JS'
const { readFileSync } = require("node:fs");
const [file, custom] = process.argv.slice(2);
const t1 = JSON.parse(readFileSync(file, "utf8")).t1;
console.log(`T1 (${t1.method}): single output ${t1.single_accuracy.toFixed(3)} over ${t1.n_single}, batch of 10 ${t1.batch10_accuracy.toFixed(3)} over ${t1.n_batches}`);
const key = { "text_davinci_003": "Davinci003", "gpt-3.5-turbo-0301": "Gpt35", "gpt4_0314": "Gpt4", "claude-2": "Claude2",
  "claude-instant-1.2": "ClaudeInstant", "llama-2-70b-chat-hf": "Llama2", "gemini-pro": "GeminiPro" };
const figures = { t1SingleAccuracy: t1.single_accuracy, t1BatchAccuracy: t1.batch10_accuracy,
  t1HeldOutOutputs: t1.n_single, t1Batches: t1.n_batches };
t1.candidates.forEach((c, i) => {
  console.log(`  ${c.padEnd(28)} ${t1.per_candidate[i].toFixed(3)}`);
  figures[`t1Accuracy${key[c]}`] = t1.per_candidate[i];
});
if (!custom) {
  import(`${process.env.ROOT}/bench/figures.mjs`).then(({ setFigures }) => setFigures(figures));
}
JS
