// What the page itself reads: pasted text split into samples, and which
// kind of file a name is. Files are read by the engine (Workspace.addFile
// in the worker), never here.

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

/** The extensions the engine reads as records (its inputExtensions()), once it has started. */
let recordExtensions = [];

/** Takes the engine's list of record extensions ("jsonl", "csv", ...). */
export function setRecordExtensions(extensions) {
  recordExtensions = extensions;
}

/**
 * The kind of a file by its name: "txt" (pasted-text files, split like a
 * paste) or "records" (the engine's formats, any of them gzipped: the
 * engine reads those).
 */
export function formatOf(name) {
  const lower = name.toLowerCase().replace(/\.gz$/, "");
  const dot = lower.lastIndexOf(".");
  return dot >= 0 && recordExtensions.includes(lower.slice(dot + 1)) ? "records" : "txt";
}

/** The file pickers' `accept`: text files and the engine's formats, plain or gzipped. */
export function acceptedFiles() {
  return [".txt", ...recordExtensions.map((e) => `.${e}`), ".gz", "text/plain", "text/csv", "application/json"].join(",");
}

/** Groups records by source, keeping first-seen order: Map<source, samples[]>. */
export function bySource(records) {
  const groups = new Map();
  for (const { source, ...sample } of records) {
    if (!groups.has(source)) groups.set(source, []);
    groups.get(source).push(sample);
  }
  return groups;
}
