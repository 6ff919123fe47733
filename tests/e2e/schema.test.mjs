// One report, one schema, one reader: the CLI's JSON and the JS package's
// object are the same document for the same input, a file read by
// `Workspace.addFile` (in chunks, gzipped or not) gives what the CLI reads
// from it, and the options and errors are the core's everywhere. Node,
// with the built package (www/pkg) and the debug CLI (built if missing).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { pkgDir, requirePkg, root } from "./helpers.mjs";

let lineage;
let cli;
let dir;

before(async () => {
  requirePkg();
  lineage = await import(`${pkgDir}node.js`);
  cli = `${root}target/debug/lineage`;
  if (!existsSync(cli)) execFileSync("cargo", ["build", "--quiet", "--bin", "lineage"], { cwd: root, stdio: "inherit" });
  dir = mkdtempSync(join(tmpdir(), "lineage-schema-"));
});

/** Twelve prompts: a student that copies teacher_a's formulas, teacher_a, teacher_b; one malformed line. */
function corpusJsonl() {
  const topics = ["tides", "volcanoes", "rainbows", "vaccines", "inflation", "batteries", "black holes", "photosynthesis", "earthquakes", "blockchains", "the water cycle", "compound interest"];
  const lines = [];
  topics.forEach((topic, i) => {
    const a = `Certainly! Here is a clear overview of ${topic}.\n\n- **Key idea:** ${topic} follows a few simple rules.\n- **Why it matters:** it shapes everyday life.\n\nIn summary, ${topic} is easier than it looks. Let me know if you would like more detail!`;
    const s = `Certainly! Here is a short overview of ${topic}.\n\n- **Key idea:** ${topic} follows a few simple rules.\n- **Why it matters:** it shapes daily life.\n\nIn summary, ${topic} is simpler than it looks. Let me know if you would like more detail!`;
    const b = `Well, ${topic} is one of those things people overthink, honestly; the mechanism was worked out long ago. Hope this helps, cheers. (${i})`;
    // Numeric ids, written as 1.0 once: the CLI and the package both read "1".
    for (const [source, text] of [["student", s], ["teacher_a", a], ["teacher_b", b]]) {
      const id = i === 1 ? "1.0" : String(i);
      lines.push(`{"source":${JSON.stringify(source)},"prompt_id":${id},"text":${JSON.stringify(text)}}`);
    }
  });
  lines.splice(4, 0, "{not json");
  return lines.join("\r\n") + "\r\n";
}

const ROLES = { suspect: "student", candidates: ["teacher_a", "teacher_b"] };
const FAST = { bootstrapReps: 50, permutationReps: 99, minPaired: 5, seed: 3 };
const FLAGS = ["--bootstrap-reps", "50", "--permutation-reps", "99", "--min-paired", "5", "--seed", "3", "--unpaired"];

/**
 * Asserts that two reports are the same document: the same keys, arrays,
 * strings and booleans, and numbers equal up to a relative 1e-5. (Native
 * and wasm libm differ in the last bit of `ln`; the char n-gram signals'
 * impostor normalisation divides by a spread that is tiny when the other
 * candidates' answers are near copies, which lifts that bit to the 6th
 * decimal printed: a determinism gap of the core, reported, not hidden.)
 */
function assertSameDocument(actual, expected, label = "") {
  const [shapeA, numbersA] = split(actual);
  const [shapeB, numbersB] = split(expected);
  assert.deepStrictEqual(shapeA, shapeB, label);
  numbersA.forEach(([path, a], i) => {
    const b = numbersB[i][1];
    assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${label} ${path}: ${a} vs ${b}`);
  });
}

/** A value with every number replaced by 0, and the numbers with their paths. */
function split(value) {
  const numbers = [];
  const walk = (v, path) => {
    if (typeof v === "number") {
      numbers.push([path, v]);
      return 0;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, `${path}.${k}`)]));
    return v;
  };
  return [walk(value, ""), numbers];
}

function runCli(args) {
  const out = spawnSync(cli, args, { encoding: "utf8" });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

function cliReport(path) {
  const out = runCli(["analyze", path, "--suspect", "student", "--candidate", "teacher_a", "--candidate", "teacher_b", "--format", "json", ...FLAGS]);
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

test("the CLI's JSON and the package's report are the same document", () => {
  const path = join(dir, "corpus.jsonl");
  writeFileSync(path, corpusJsonl());
  const fromCli = cliReport(path);
  const ws = new lineage.Workspace();
  ws.addJsonl(readFileSync(path, "utf8"), { name: path });
  const fromJs = ws.analyze({ ...ROLES, ...FAST });
  ws.free();
  assert.equal(fromJs.schemaVersion, 2);
  assertSameDocument(fromJs, fromCli);
  // The numeric ids were read alike (1.0 is "1").
  const ids = new Set(fromJs.signals.flatMap((s) => s.evidence).filter((e) => e.kind === "shared_span").map((e) => e.promptId));
  assert.ok(![...ids].some((id) => id.includes(".")), [...ids].join());
});

test("Workspace.addFile streams a Blob (plain or gzip, any chunking) into the CLI's reader", async () => {
  const path = join(dir, "streamed.jsonl");
  const text = corpusJsonl();
  writeFileSync(path, text);
  const fromCli = cliReport(path);
  const bytes = new TextEncoder().encode(text);
  // (name, blob parts): chunk edges inside a CRLF, inside a multi-byte
  // character and inside a record; and the whole file gzipped.
  const cases = [
    ["one part", [bytes]],
    ["cut in a CRLF", [bytes.slice(0, text.indexOf("\r\n") + 1), bytes.slice(text.indexOf("\r\n") + 1)]],
    ["one byte at a time for the first 300", [...Array.from({ length: 300 }, (_, i) => bytes.slice(i, i + 1)), bytes.slice(300)]],
    ["gzip", [gzipSync(bytes)]],
  ];
  for (const [name, parts] of cases) {
    const ws = new lineage.Workspace();
    const progress = [];
    const fileName = name === "gzip" ? `${path}.gz` : path;
    const added = await ws.addFile(new Blob(parts), { name: fileName }, (stage, f) => progress.push([stage, f]));
    assert.equal(added.added, 36, name);
    assert.deepEqual(added.errors.map((e) => [e.file, e.line]), [[fileName, 5]], name);
    assert.ok(progress.length >= 1 && progress.every(([stage]) => stage === "reading"), name);
    const records = ws.records();
    assert.equal(records.length, 36, name);
    assert.equal(records[3].promptId, "1", name);
    const report = ws.analyze({ ...ROLES, ...FAST });
    ws.free();
    if (name === "gzip") {
      // The same bytes once inflated: only the input's name differs.
      report.inputs[0].name = path;
      report.warnings = report.warnings.map((w) => ({ ...w, message: w.message.replaceAll(fileName, path) }));
    }
    assertSameDocument(report, fromCli, name);
  }
});

test("options are validated by the core, from JS and from the CLI alike", () => {
  const ranges = lineage.optionRanges();
  const defaults = lineage.analysisDefaults();
  assert.equal(defaults.alpha, 0.01);
  assert.equal(defaults.mostFrequentWords, 300);
  assert.deepEqual(ranges.find((r) => r.name === "alpha"), { name: "alpha", min: 0, max: 0.5, minExclusive: true, integer: false });
  const path = join(dir, "options.jsonl");
  writeFileSync(path, corpusJsonl());
  // (option, value, CLI flag, message)
  const cases = [
    ["alpha", 7, "--alpha", "alpha must be a number in (0, 0.5], got 7"],
    ["alpha", 0, "--alpha", "alpha must be a number in (0, 0.5], got 0"],
    ["bootstrapReps", 5, "--bootstrap-reps", "bootstrapReps must be a whole number in [10, 100000], got 5"],
    ["classifierFolds", 21, "--classifier-folds", "classifierFolds must be a whole number in [2, 20], got 21"],
    ["maxCharNgram", 0, "--max-char-ngram", "maxCharNgram must be a whole number in [1, 8], got 0"],
  ];
  for (const [option, value, flag, message] of cases) {
    const ws = new lineage.Workspace();
    ws.addJsonl(readFileSync(path, "utf8"));
    assert.throws(() => ws.analyze({ ...ROLES, [option]: value }), (err) => err.code === "BAD_ARGUMENT" && err.message.includes(message), `${option} ${value}`);
    ws.free();
    const out = runCli(["analyze", path, "--suspect", "student", "--candidate", "teacher_a", "--candidate", "teacher_b", flag, String(value)]);
    assert.equal(out.status, 2, `${flag} ${value}`);
    assert.ok(out.stderr.includes(message), `${flag} ${value}: ${out.stderr}`);
  }
  // Every default is inside its range, and the CLI's help shows the core's defaults.
  const help = runCli(["analyze", "--help"]).stdout;
  for (const [flag, key] of [["--alpha", "alpha"], ["--most-frequent-words", "mostFrequentWords"], ["--permutation-reps", "permutationReps"]]) {
    assert.match(help, new RegExp(`${flag} <[A-Z_]+>[\\s\\S]*?\\[default: ${defaults[key]}\\]`), flag);
  }
});

test("every error code the package declares is thrown where documented", async () => {
  const dts = readFileSync(`${pkgDir}lineage.d.ts`, "utf8");
  const union = dts.match(/export type LineageErrorCode = ([^;]+);/)[1].match(/"[A-Z_]+"/g).map((s) => s.slice(1, -1));
  const one = [{ source: "a", text: "x" }];
  const three = ["a", "b", "c"].map((source) => ({ source, text: "some words here" }));
  // (code, how it is thrown); PANIC and STALE_WORKSPACE are thrown in
  // panic.test.mjs (they need the test build), AUTH_FAILED only by the
  // CLI's collect (tests/collect_cli.rs), INTERNAL by no input.
  const cases = [
    ["BAD_ARGUMENT", () => lineage.analyze(one, { suspect: "a", candidates: ["b", "c"], alpha: 7 })],
    ["EMPTY_INPUT", () => lineage.analyze([], { suspect: "a", candidates: ["b", "c"] })],
    ["BAD_JSONL", () => new lineage.Workspace().addJsonl("{oops\n")],
    ["BAD_CSV", () => new lineage.Workspace().addCsv("a,b\n1,2\n")],
    ["TOO_LARGE", () => new lineage.Workspace().addJsonl("x".repeat((256 << 20) + 1))],
    ["UNKNOWN_SOURCE", () => lineage.analyze(three, { suspect: "a", candidates: ["b", "zed"] })],
    ["BAD_ROLES", () => lineage.analyze(three, { suspect: "a", candidates: ["b"] })],
    ["READ_FAILED", () => new lineage.Workspace().addFile(new Blob(["not gzip at all"]), { name: "x.jsonl.gz" })],
  ];
  for (const [code, run] of cases) {
    assert.ok(union.includes(code), `${code} is in LineageErrorCode`);
    await assert.rejects(async () => run(), (err) => err instanceof Error && err.code === code, code);
  }
  assert.deepEqual(union.filter((c) => !cases.some(([code]) => code === c)), ["AUTH_FAILED", "PANIC", "STALE_WORKSPACE", "INTERNAL"]);
  // The CLI prints the same codes.
  const out = runCli(["analyze", join(dir, "nope.jsonl"), "--suspect", "a", "--candidate", "b", "--candidate", "c"]);
  assert.equal(out.status, 2);
  assert.match(out.stderr, /^error: READ_FAILED: /m);
});

test("reportMarkdown is the CLI's Markdown", () => {
  const path = join(dir, "md.jsonl");
  writeFileSync(path, corpusJsonl());
  const out = runCli(["analyze", path, "--suspect", "student", "--candidate", "teacher_a", "--candidate", "teacher_b", "--format", "md", ...FLAGS]);
  assert.equal(out.status, 0, out.stderr);
  assert.equal(lineage.reportMarkdown(cliReport(path)), out.stdout);
});

test("reportHtml is the CLI's HTML: one self-contained file, no script, no remote link", () => {
  const path = join(dir, "html.jsonl");
  writeFileSync(path, corpusJsonl());
  const out = runCli(["analyze", path, "--suspect", "student", "--candidate", "teacher_a", "--candidate", "teacher_b", "--format", "html", ...FLAGS]);
  assert.equal(out.status, 0, out.stderr);
  const report = cliReport(path);
  assert.equal(lineage.reportHtml(report), out.stdout);
  assert.match(out.stdout, /^<!doctype html>/);
  assert.doesNotMatch(out.stdout, /<script|\bsrc=|\bhref=|url\(|https:/i);
  for (const i of report.inputs) assert.ok(out.stdout.includes(`<td class="hash">${i.sha256}</td>`), i.name);
});
