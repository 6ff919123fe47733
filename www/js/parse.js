// Turning pasted text and files into samples ({ text, promptId?, prompt? }),
// in plain JS so the page can keep them (for counts, the side-by-side view
// and reloads). The engine stays the judge of what is malformed: the worker
// asks a Workspace which lines it rejects and drops those same lines here.

/** A line holding only this separates pasted samples that contain blank lines. */
export const SEPARATOR = "%%%";

/**
 * Splits a paste into sample texts: on lines holding only %%% when there is
 * one, else on blank lines. Empty pieces are dropped.
 */
export function splitPaste(text) {
  const normal = text.replace(/\r\n?/g, "\n");
  const bySeparator = /^[ \t]*%%%[ \t]*$/m.test(normal);
  const pieces = bySeparator ? normal.split(/^[ \t]*%%%[ \t]*$/m) : normal.split(/\n[ \t]*\n/);
  return pieces.map((p) => p.trim()).filter((p) => p.length > 0);
}

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’_-]*/gu;

/** Words in a text (a quick count for the slot summary, not the engine's segmentation). */
export function countWords(text) {
  let n = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) n++;
  return n;
}

const idText = (v) => (typeof v === "string" ? (v.length ? v : undefined) : typeof v === "number" ? String(v) : undefined);

/**
 * Records of a JSON Lines text, skipping the lines (1-based) in `bad` and
 * any the engine would reject. Returns [{ line, source, text, promptId?, prompt? }].
 */
export function parseJsonl(text, bad = new Set()) {
  const records = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || bad.has(i + 1)) continue;
    let rec;
    try {
      rec = JSON.parse(line);
    } catch {
      continue;
    }
    if (!rec || typeof rec.source !== "string" || typeof rec.text !== "string") continue;
    records.push(record(i + 1, rec.source, rec.text, idText(rec.prompt_id ?? rec.promptId), rec.prompt));
  }
  return records;
}

function record(line, source, text, promptId, prompt) {
  const r = { line, source, text };
  if (promptId !== undefined) r.promptId = promptId;
  if (typeof prompt === "string" && prompt.length) r.prompt = prompt;
  return r;
}

/** RFC 4180 rows with the line each row starts on: [{ line, fields }]. */
export function csvRows(text) {
  const rows = [];
  let fields = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      any = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (any || field.length) rows.push({ line: start, fields: [...fields, field] });
      fields = [];
      field = "";
      any = false;
      line++;
      start = line;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || field.length) rows.push({ line: start, fields: [...fields, field] });
  return rows;
}

/** Records of a CSV text whose header names source and text; rows starting on a line in `bad` are skipped. */
export function parseCsv(text, bad = new Set()) {
  const rows = csvRows(text.replace(/^\uFEFF/, ""));
  if (!rows.length) return [];
  const header = rows[0].fields.map((h) => h.trim().toLowerCase());
  const col = (...names) => header.findIndex((h) => names.includes(h));
  const [cs, ct, ci, cp] = [col("source"), col("text"), col("prompt_id", "promptid"), col("prompt")];
  if (cs < 0 || ct < 0) return [];
  const records = [];
  for (const { line, fields } of rows.slice(1)) {
    if (bad.has(line) || fields[ct] === undefined) continue;
    const source = fields[cs]?.trim() ? fields[cs] : undefined;
    if (!source) continue;
    records.push(record(line, source, fields[ct], ci >= 0 ? idText(fields[ci]) : undefined, cp >= 0 ? fields[cp] : undefined));
  }
  return records;
}

/** The format of a file by its name: "json" (an array of samples, or JSON Lines), "jsonl", "csv" or "txt". */
export function formatOf(name) {
  const lower = name.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  if (lower.endsWith(".csv")) return "csv";
  return "txt";
}

/** Groups records by source, keeping first-seen order: Map<source, samples[]>. */
export function bySource(records) {
  const groups = new Map();
  for (const { source, line, ...sample } of records) {
    if (!groups.has(source)) groups.set(source, []);
    groups.get(source).push(sample);
  }
  return groups;
}
