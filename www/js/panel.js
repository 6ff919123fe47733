// Reference panels (docs/PANEL.md) in the page. Loading: the worker reads
// the .lineage.jsonl.gz with the engine's own panel reader
// (Workspace.addPanel through lineage/worker's readPanel), and the page
// gives each panel source a slot with the role the header suggests and
// the family it records (the panel maker's word, which the user can change
// in the slot's field).
// Saving: the engine writes the panel's text (panelText: the header
// record, then the records, as `lineage panel build` writes them), and the
// browser's CompressionStream gzips it; no library of our own.
import { download } from "./dom.js";

/** The records of a panel file (a File or Blob called `name`) and its header: `{ records, panel, ... }` from the worker. */
export function readPanel(worker, file, name, onProgress) {
  return worker.readPanel(file, { name }, { onProgress });
}

/** The start of a panel's first line: the header's schema field (the engine writes it first). */
const HEADER = /^\uFEFF?\s*\{\s*"lineage_panel"\s*:/;

/**
 * Whether a file is a reference panel, known by its content (its first
 * line is a panel header, docs/PANEL.md) rather than its name, so that a
 * panel given to "Add files" or dropped on a slot is read as "Load a
 * panel…" reads it: "gzip" (a panel as written), "plain" (one unpacked),
 * or null (anything else, including a file that cannot be read: the
 * record reader then says what is wrong with it). Reads only the first
 * kilobytes.
 */
export async function panelKind(file) {
  let reader = null;
  try {
    const magic = new Uint8Array(await file.slice(0, 2).arrayBuffer());
    const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
    const stream = gzip ? file.stream().pipeThrough(new DecompressionStream("gzip")) : file.stream();
    reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (text.length < 4096 && !text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const line = text.split("\n")[0];
    let header = HEADER.test(line);
    if (!header && text.includes("\n")) {
      try {
        const first = JSON.parse(line);
        header = first !== null && typeof first === "object" && !Array.isArray(first) && "lineage_panel" in first;
      } catch {
        // Not JSON: not a panel.
      }
    }
    return header ? (gzip ? "gzip" : "plain") : null;
  } catch {
    return null;
  } finally {
    reader?.cancel().catch(() => {});
  }
}

/** Which role each panel source gets: the header's suggestion. */
export function panelRoles(header) {
  return new Map(header.sources.map((s) => [s.source, s.role]));
}

/** The family each panel source's header entry records (sources without one are left out). */
export function panelFamilies(header) {
  return new Map(header.sources.filter((s) => s.family).map((s) => [s.source, s.family]));
}

/** RFC 3339 to the second, as the CLI writes `created`. */
export const nowRfc3339 = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/** The file name of a panel called `name`. */
export const panelFileName = (name) => `${name.replace(/[^\p{L}\p{N}._-]+/gu, "-") || "panel"}.lineage.jsonl.gz`;

/**
 * Saves `samples` (candidates' and the control's) as a panel called
 * `name`; `roles` maps a source to "control" (the others are candidates),
 * `families` a source to the family typed in its slot (kept in the
 * header). Resolves with the file name.
 */
export async function savePanel(worker, samples, name, roles, families = {}) {
  const text = await worker.call("panelText", [samples, { name, created: nowRfc3339(), roles, families }]);
  const gz = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  const blob = await new Response(gz).blob();
  const file = panelFileName(name);
  download(file, "application/gzip", blob);
  return file;
}
