// Size limits and hostile strings through the JS package in Node (the same
// module the page's worker loads): a 50 MB JSONL input is read and then
// refused with TOO_LARGE by the analysis limits instead of exhausting the
// tab's memory; a 5 MB text without a space is refused per text; a lone
// surrogate from JS is analysed. Limits: docs/CLI.md, "Input files and limits".
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { pkgDir, requirePkg } from "./helpers.mjs";

let pkg;

before(async () => {
  requirePkg();
  pkg = await import(`${pkgDir}node.js`);
});

function jsonl(records) {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

test("a 50 MB JSONL input is read, then refused with TOO_LARGE, and the workspace stays usable", () => {
  const text = "All work and no play makes a model a dull writer, and so on. ".repeat(100);
  const lines = [];
  let bytes = 0;
  for (let i = 0; bytes < 50_000_000; i++) {
    const line = JSON.stringify({ source: `s${i % 10}`, prompt_id: `p${Math.floor(i / 10)}`, text });
    lines.push(line);
    bytes += line.length + 1;
  }
  const big = lines.join("\n");
  const ws = new pkg.Workspace();
  ws.addJsonl(big, { name: "big.jsonl" });
  assert.equal(ws.size, lines.length, "every record was read");
  const candidates = Array.from({ length: 9 }, (_, i) => `s${i + 1}`);
  assert.throws(
    () => ws.analyze({ suspect: "s0", candidates }),
    (err) => err.code === "TOO_LARGE" && /limit of one analysis/.test(err.message),
  );
  // The module did not trap: it still answers.
  assert.equal(typeof pkg.profile("still alive").words, "number");
  ws.free();
});

test("texts past the per-text limit are refused; lone surrogates are analysed", () => {
  const answers = (source, extra) =>
    Array.from({ length: 12 }, (_, i) => ({
      source,
      promptId: `p${i}`,
      text: `${source} answers prompt ${i} in its own words, with a few more words to count ${extra}.`,
    }));
  const base = [...answers("a", "alpha"), ...answers("b", "beta"), ...answers("c", "gamma")];
  const options = { suspect: "a", candidates: ["b", "c"], bootstrapReps: 20, permutationReps: 19, minPaired: 5 };
  // (name, extra sample for the suspect, expected error code or null)
  const cases = [
    ["5 MB without a space", "x".repeat(5 << 20), "TOO_LARGE"],
    ["lone high surrogate", "broken \ud83d emoji cut in half", null],
    ["lone low surrogate and reversed pair", "\udc4d\ud83d then words", null],
  ];
  for (const [name, text, code] of cases) {
    const samples = [...base, { source: "a", promptId: "extra", text }];
    if (code) {
      assert.throws(() => pkg.analyze(samples, options), (err) => err.code === code && /per text/.test(err.message), name);
    } else {
      const report = pkg.analyze(samples, options);
      assert.equal(report.sources[0].samples, 13, name);
    }
  }
});
