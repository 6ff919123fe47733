// The page's pure modules in Node (no browser): the Newick parser behind
// the family tree, paste splitting, file kinds, and the PCA behind the
// scatter. Tables of cases. (Files are read by the engine, not the page.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseNewick } from "../../www/js/charts.js";
import { bySource, formatOf, splitPaste } from "../../www/js/parse.js";
import { pca2 } from "../../www/js/pca.js";

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
  const cases = [["a.jsonl", "records"], ["A.NDJSON", "records"], ["x.json", "records"], ["y.csv", "records"], ["y.csv.gz", "records"], ["notes.txt", "txt"], ["noext", "txt"], ["notes.txt.gz", "txt"]];
  for (const [name, format] of cases) assert.equal(formatOf(name), format, name);
});

test("pca2 finds the direction of most variance, deterministically", () => {
  // Points along the line y = 2x (plus a constant column): PC1 explains all the variance.
  const m = [-2, -1, 0, 1, 2].map((x) => [x, 2 * x, 5]);
  const a = pca2(m);
  const b = pca2(m);
  assert.deepEqual(a, b);
  assert.ok(a.explained[0] > 0.999, `explained ${a.explained}`);
  assert.ok(a.explained[1] < 1e-6);
  // Projections keep the order and spacing of the points along the line.
  const xs = a.points.map((p) => p[0]);
  for (let i = 1; i < xs.length; i++) assert.ok(Math.abs(xs[i] - xs[i - 1] - (xs[1] - xs[0])) < 1e-9);
  assert.ok(a.points.every((p) => Math.abs(p[1]) < 1e-6));
  // Too few texts: no components, all points at the origin.
  assert.deepEqual(pca2([[1, 2], [3, 4]]), { points: [[0, 0], [0, 0]], explained: [0, 0] });
});
