// The page's pure modules in Node (no browser): the Newick parser behind
// the family tree, paste splitting, file kinds, and the per-prompt comparison behind the
// prompt-by-prompt chart. Tables of cases. (Files are read by the engine, not the page.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseNewick } from "../../www/js/charts.js";
import { inputExtensions } from "../../pkg/node.js";
import { acceptedFiles, bySource, formatOf, setRecordExtensions, splitPaste } from "../../www/js/parse.js";
import { promptComparison, standardise } from "../../www/js/profiles.js";
import { slotFamilies } from "../../www/js/slots.js";
import { summaryText, verdictWords } from "../../www/js/verdict.js";

/** A tree as nested arrays of leaf names, with lengths: "name:len" or [children, len]. */
const shape = (n) => (n.children.length ? [n.children.map(shape), n.length] : `${n.name}:${n.length}`);

test("parseNewick reads what the engine writes, quoted names included", () => {
  const cases = [
    ["(a:0.1,b:0.2);", [["a:0.1", "b:0.2"], 0]],
    ["((a:1,b:1):0.5,c:1.5);", [[[["a:1", "b:1"], 0.5], "c:1.5"], 0]],
    ["('it''s here':0.25,'x,y':0.25);", [["it's here:0.25", "x,y:0.25"], 0]],
    ["(a:1e-3,b:.5)[a comment];", [["a:0.001", "b:0.5"], 0]],
    ["( a : 1 , b : 2 ) ;", [["a:1", "b:2"], 0]],
    ["(gpt4_0314:1,b:1);", [["gpt4_0314:1", "b:1"], 0]],
  ];
  for (const [input, expected] of cases) assert.deepEqual(shape(parseNewick(input)), expected, input);
});

test("parseNewick refuses malformed input with the position", () => {
  const cases = [
    ["(a:1,b:1)", /expected ';'/],
    ["(a:1,b:1;", /expected '\)'/],
    ["(a:x,b:1);", /branch length/],
    ["('a:1,b:1);", /unclosed quote/],
    ["(,b:1);", /expected a label/],
    ["(a,b);x", /unexpected text/],
  ];
  for (const [input, message] of cases) assert.throws(() => parseNewick(input), message, input);
});

test("splitPaste: blank lines separate samples unless a %%% line is present", () => {
  const cases = [
    ["one", ["one"]],
    ["one\n\ntwo\n \nthree", ["one", "two", "three"]],
    ["one\r\n\r\ntwo", ["one", "two"]],
    ["para 1\n\npara 2\n%%%\nsecond", ["para 1\n\npara 2", "second"]],
    ["  \n\n", []],
    ["a\n%%%\n%%%\nb", ["a", "b"]],
  ];
  for (const [input, expected] of cases) assert.deepEqual(splitPaste(input), expected, JSON.stringify(input));
});

test("bySource groups records in first-seen order", () => {
  const records = [{ source: "b", text: "1" }, { source: "a", text: "2" }, { source: "b", text: "3", promptId: "p" }];
  assert.deepEqual([...bySource(records)], [["b", [{ text: "1" }, { text: "3", promptId: "p" }]], ["a", [{ text: "2" }]]]);
});

test("formatOf: record files go to the engine, anything else is pasted text", () => {
  // The page takes the engine's list of formats once it has started.
  setRecordExtensions(inputExtensions());
  assert.match(acceptedFiles(), /^\.txt,\.jsonl,.*\.csv,\.gz,/);
  const cases = [["a.jsonl", "records"], ["A.NDJSON", "records"], ["x.json", "records"], ["y.csv", "records"], ["y.csv.gz", "records"], ["notes.txt", "txt"], ["noext", "txt"], ["notes.txt.gz", "txt"]];
  for (const [name, format] of cases) assert.equal(formatOf(name), format, name);
});

test("promptComparison: per prompt, the suspect against the control (or the other candidates), deterministic", () => {
  // Feature maps per (source, prompt). On every prompt the suspect copies A's
  // answer, the control writes like nobody, B like the control: A is above
  // zero on every prompt, B below on every prompt.
  const prompts = ["p1", "p2", "p3", "p4"];
  const base = (i) => new Map([["w:the", 10 + i], ["w:and", 5 - i], ["p:,", 3 * i], ["l:word", 4 + (i % 2)]]);
  const shifted = (i, d) => new Map([...base(i)].map(([k, v]) => [k, v + d * (k.length + i)]));
  const features = new Map([
    ["S", new Map(prompts.map((p, i) => [p, shifted(i, 2)]))],
    ["A", new Map(prompts.map((p, i) => [p, shifted(i, 2)]))],
    ["K", new Map(prompts.map((p, i) => [p, shifted(i, -3)]))],
    ["B", new Map(prompts.map((p, i) => [p, shifted(i, -3)]))],
  ]);
  const withControl = promptComparison(features, { suspect: "S", control: "K", candidates: ["A", "B"] });
  assert.deepEqual(withControl, promptComparison(features, { suspect: "S", control: "K", candidates: ["A", "B"] }));
  assert.equal(withControl.prompts, 4);
  assert.equal(withControl.baseline, "control");
  const [a, b] = withControl.rows;
  assert.deepEqual([a.candidate, a.closer, b.candidate, b.closer], ["A", 4, "B", 0]);
  assert.deepEqual(a.values.map((v) => v.promptId), prompts);
  assert.ok(a.mean > 0 && b.mean < 0, `means ${a.mean} ${b.mean}`);
  assert.ok(a.values.every((v) => Number.isFinite(v.value)));
  // Without a control the baseline is the other candidates; with one candidate there is none.
  const others = promptComparison(features, { suspect: "S", candidates: ["A", "B"] });
  assert.equal(others.baseline, "others");
  assert.deepEqual(others.rows.map((r) => r.closer), [4, 0]);
  const alone = promptComparison(features, { suspect: "S", candidates: ["B"] });
  assert.equal(alone.baseline, "none");
  assert.ok(alone.rows[0].values.every((v) => v.value >= -1 - 1e-9 && v.value <= 1 + 1e-9), "a cosine");
});

test("standardise: every column to mean 0 and sd 1, a constant column to 0", () => {
  const z = standardise([[1, 5], [2, 5], [3, 5]]);
  assert.deepEqual(z.map((r) => [...r]), [[-1, 0], [0, 0], [1, 0]]);
});

/** A report with only what the verdict's words read; `verdict` overrides. */
const tinyReport = (verdict) => ({
  lineageVersion: "0.1.0",
  seed: 1,
  sources: [
    { name: "s", role: "suspect", family: null, samples: 10 },
    { name: "gpt-4", role: "candidate", family: "openai", samples: 10 },
    { name: "b", role: "candidate", family: "b", samples: 10 },
    { name: "c", role: "control", family: null, samples: 10 },
  ],
  design: { paired: true, sharedPrompts: 10, units: 10, unit: "prompt" },
  verdict: {
    kind: "attribution", confidence: 0.99, attributed: ["gpt-4"], closest: ["gpt-4"], control: "c", pValue: 0.001,
    agreeingSignals: 3, rankedSignals: 4, power: null, robustness: null, reason: "",
    ranking: [
      { candidate: "gpt-4", family: "openai", score: 0.5, low: 0.4, high: 0.6, inSet: true },
      { candidate: "b", family: "b", score: 0.1, low: 0, high: 0.2, inSet: false },
    ],
    ...verdict,
  },
});

test("verdictWords: the report's headline when it has one, the page's words otherwise; families in the ranking", () => {
  const strip = (t) => t.replace(/[\u2068\u2069]/g, "");
  // (the report's headline, the headline shown)
  const cases = [
    ["s: teacher an OpenAI model (99% confidence), of the 2 candidates given", "s: teacher an OpenAI model (99% confidence), of the 2 candidates given"],
    ["  s: padded  ", "s: padded"],
    ["", "s: the teacher is, at 99% confidence, gpt-4."],
    [undefined, "s: the teacher is, at 99% confidence, gpt-4."],
  ];
  for (const [headline, shown] of cases) {
    const report = tinyReport({ headline });
    const words = verdictWords(report);
    assert.equal(strip(words.headline), shown, String(headline));
    // The clipboard summary starts with the same line.
    assert.equal(strip(summaryText(report).split("\n")[0]), shown);
    // A family other than the candidate's own name is named in the ranking; a family of one is not repeated.
    const ranking = strip(words.lines.find((l) => l.startsWith("Ranking")));
    assert.match(ranking, /gpt-4 \(family openai\) \+0\.50/);
    assert.match(ranking, /· b \+0\.10 \(ruled out\)/);
  }
});

test("slotFamilies: what is typed, trimmed, by source name; empty or missing fields are left out", () => {
  const slot = (name, family) => ({ id: `id-${name}`, name, family });
  // (slots, the options' families)
  const cases = [
    [[slot("a", " OpenAI "), slot("b", ""), slot("c", undefined), slot(" d ", "x")], { a: "OpenAI", d: "x" }],
    // An unnamed slot is named by its place, as its box is (issue 26), never by its id.
    [[slot("", "v")], { "source 1 (unnamed)": "v" }],
    [[], {}],
  ];
  for (const [slots, want] of cases) assert.deepEqual(slotFamilies(slots), want);
});
