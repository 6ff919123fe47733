// Runs the wasm engine off the main thread, so the page stays responsive.
// Requests { id, type, ... } get { id, type: "progress", stage, fraction }
// messages, then one { id, type: "result", value } or
// { id, type: "error", code, message, fatal }. A fatal error means the
// module trapped; the page then replaces this worker.
//   read    { name, format, file }      -> { groups: [[source, samples]], added, malformed, errors }
//   analyze { samples, options }        -> { report, pca, timing, itemCounts }
//   spans   { a, b, minWords }          -> SharedSpan[]
import init, { Workspace, profile, sharedSpans, version } from "./pkg/lineage.js";
import { bySource, countWords, parseCsv, parseJsonl } from "./js/parse.js";
import { pca2, profileFeatures, vocabulary } from "./js/pca.js";

/** Texts per source that enter the PCA scatter (the first ones, in order). */
const PCA_PER_SOURCE = 150;

const ready = init().then(
  () => postMessage({ type: "ready", version: version() }),
  (err) => postMessage({ type: "error", id: null, code: "LOAD_FAILED", message: String(err), fatal: true }),
);

const handlers = { read, analyze, spans };

onmessage = async ({ data }) => {
  await ready;
  const { id, type } = data;
  try {
    const value = await handlers[type](data, (stage, fraction) => postMessage({ id, type: "progress", stage, fraction }));
    postMessage({ id, type: "result", value });
  } catch (err) {
    // An Error without a code did not come from the boundary's checks: a
    // trap, after which this module must not be reused.
    const fatal = typeof err?.code !== "string";
    postMessage({ id, type: "error", code: err?.code ?? "INTERNAL", message: String(err?.message ?? err), fatal });
  }
};

/** Text per Workspace call when a JSON Lines file is streamed in. */
const CHUNK_CHARS = 4 << 20;
/** Line errors listed per file (all are counted). */
const MAX_LISTED = 100;

/**
 * Reads a JSONL or CSV file: the engine lists the bad lines, the rest is
 * kept. A JSON Lines file is streamed: read a few megabytes of whole lines
 * at a time, each passed through a Workspace, so a large file is never one
 * string. A CSV record may span lines, so a CSV file is read whole.
 */
async function read({ name, format, file }) {
  if (format === "json") {
    const text = await file.text();
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined; // perhaps JSON Lines under a .json name
    }
    const list = Array.isArray(parsed) ? parsed : Array.isArray(parsed?.samples) ? parsed.samples : null;
    if (list) return readList(name, list);
    format = "jsonl";
  }
  const records = [];
  const errors = [];
  let malformed = 0;
  let firstError = null;
  let line0 = 0;
  const chunks = format === "csv" ? [await file.text()] : lineChunks(file, CHUNK_CHARS);
  for await (const text of chunks) {
    const ws = new Workspace();
    try {
      const result = format === "csv" ? ws.addCsv(text, { name }) : ws.addJsonl(text, { name });
      const bad = new Set(result.errors.map((e) => e.line));
      const got = format === "csv" ? parseCsv(text, bad) : parseJsonl(text, bad);
      records.push(...(line0 ? got.map((r) => ({ ...r, line: r.line + line0 })) : got));
      malformed += result.malformed;
      for (const e of result.errors) if (errors.length < MAX_LISTED) errors.push({ line: e.line + line0, message: e.message });
    } catch (err) {
      if (err?.code === "BAD_JSONL") {
        // No line of this chunk could be read: each non-blank one is listed.
        firstError ??= err;
        text.split("\n").forEach((l, i) => {
          if (!l.trim()) return;
          malformed++;
          if (errors.length < MAX_LISTED) errors.push({ line: line0 + i + 1, message: "not a JSON object with string fields source and text" });
        });
      } else if (err?.code === "EMPTY_INPUT") {
        firstError ??= err;
      } else throw err;
    } finally {
      ws.free();
    }
    line0 += countNewlines(text);
  }
  if (!records.length) throw firstError ?? Object.assign(new Error(`${name} holds no record`), { code: "EMPTY_INPUT" });
  // Word counts for the slot summary, counted here rather than on the main thread.
  for (const r of records) r.words = countWords(r.text);
  return { groups: [...bySource(records)], added: records.length, malformed, errors };
}

/** A JSON array of sample objects (or { samples: [...] }): each is checked by the engine. */
function readList(name, list) {
  const ws = new Workspace();
  const records = [];
  const errors = [];
  let malformed = 0;
  try {
    list.forEach((item, i) => {
      const sample = item && typeof item === "object" && !Array.isArray(item) ? { ...item } : item;
      if (sample && typeof sample === "object" && "prompt_id" in sample) {
        sample.promptId ??= sample.prompt_id;
        delete sample.prompt_id;
      }
      try {
        ws.add(sample);
        records.push({ line: i + 1, source: sample.source, text: sample.text, ...(sample.promptId !== undefined && { promptId: String(sample.promptId) }), ...(typeof sample.prompt === "string" && { prompt: sample.prompt }) });
      } catch (err) {
        if (typeof err?.code !== "string") throw err;
        malformed++;
        if (errors.length < MAX_LISTED) errors.push({ line: i + 1, label: `record ${i + 1}`, message: err.message });
      }
    });
  } finally {
    ws.free();
  }
  if (!records.length) throw Object.assign(new Error(`${name}: no record could be read (${malformed} malformed)`), { code: "BAD_JSONL" });
  for (const r of records) r.words = countWords(r.text);
  return { groups: [...bySource(records)], added: records.length, malformed, errors };
}

function countNewlines(text) {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** The text of a file in pieces of about `size` characters, each ending at a line end (but the last). */
async function* lineChunks(file, size) {
  const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
    if (rest.length >= size) {
      const cut = rest.lastIndexOf("\n");
      if (cut >= 0) {
        yield rest.slice(0, cut + 1);
        rest = rest.slice(cut + 1);
      }
    }
  }
  if (rest.length) yield rest;
}

/** The samples go into a Workspace one by one; then the analysis and the PCA of the texts. */
function analyze({ samples, options }, progress) {
  const ws = new Workspace();
  try {
    const t0 = performance.now();
    for (const s of samples) ws.add(s);
    const report = ws.analyze(options, (stage, fraction) => progress(stage, 0.9 * fraction));
    const t1 = performance.now();
    progress("text profiles for the scatter", 0.9);
    const pca = scatter(samples, progress);
    const itemCounts = countItems(samples, report);
    // Seconds spent in the worker, shown by bench/page_analysis.mjs.
    const timing = { analysis: (t1 - t0) / 1000, pca: (performance.now() - t1) / 1000 };
    return { report, pca, timing, itemCounts };
  } finally {
    ws.free();
  }
}

function scatter(samples, progress) {
  const taken = new Map();
  const chosen = [];
  for (const s of samples) {
    const n = taken.get(s.source) ?? 0;
    if (n < PCA_PER_SOURCE) {
      taken.set(s.source, n + 1);
      chosen.push(s);
    }
  }
  const maps = chosen.map((s, i) => {
    if (i % 100 === 0) progress("text profiles for the scatter", 0.9 + (0.1 * i) / chosen.length);
    return profileFeatures(profile(s.text, { maxCharNgram: 0, topK: 60 }));
  });
  const vocab = vocabulary(maps);
  const { points, explained } = pca2(maps.map((f) => vocab.map((k) => f.get(k) ?? 0)));
  progress("done", 1);
  return {
    explained,
    perSource: PCA_PER_SOURCE,
    points: points.map(([x, y], i) => ({ x, y, source: chosen[i].source, promptId: chosen[i].promptId ?? null })),
  };
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/**
 * Occurrences of each word or word pair the report lists as evidence, in
 * every source: { words: { source: total words }, counts: { item: { source: n } } }.
 * Case-folded word matching in JS: close to, not exactly, the engine's
 * segmentation (which the report's own counts use).
 */
function countItems(samples, report) {
  const items = new Set();
  for (const sig of report.signals) {
    for (const e of sig.evidence) {
      if (e.kind === "word") items.add(e.word.toLowerCase());
      else if (e.kind === "shared_habit") items.add(e.item.toLowerCase());
    }
  }
  const counts = {};
  const words = {};
  const lengths = new Set([...items].map((i) => i.split(" ").length));
  for (const item of items) counts[item] = {};
  for (const { source, text } of samples) {
    const tokens = text.toLowerCase().match(TOKEN) ?? [];
    words[source] = (words[source] ?? 0) + tokens.length;
    if (!items.size) continue;
    for (let i = 0; i < tokens.length; i++) {
      for (const n of lengths) {
        if (i + n > tokens.length) continue;
        const gram = n === 1 ? tokens[i] : tokens.slice(i, i + n).join(" ");
        if (items.has(gram)) counts[gram][source] = (counts[gram][source] ?? 0) + 1;
      }
    }
  }
  return { words, counts };
}

function spans({ a, b, minWords }) {
  return sharedSpans(a, b, { minWords });
}
