// Reference panels (docs/PANEL.md) in the page. Loading: the worker reads
// the .lineage.jsonl.gz with the engine's own panel reader
// (Workspace.addPanel through lineage/worker's readPanel), and the page
// gives each panel source a slot with the role the header suggests.
// Saving: the engine writes the panel's text (panelText: the header
// record, then the records, as `lineage panel build` writes them), and the
// browser's CompressionStream gzips it; no library of our own.
import { download } from "./dom.js";

/** The records of a panel file and its header: `{ records, panel, ... }` from the worker. */
export function readPanel(worker, file, onProgress) {
  return worker.readPanel(file, { name: file.name }, { onProgress });
}

/** Which role each panel source gets: the header's suggestion. */
export function panelRoles(header) {
  return new Map(header.sources.map((s) => [s.source, s.role]));
}

/** RFC 3339 to the second, as the CLI writes `created`. */
export const nowRfc3339 = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/** The file name of a panel called `name`. */
export const panelFileName = (name) => `${name.replace(/[^\p{L}\p{N}._-]+/gu, "-") || "panel"}.lineage.jsonl.gz`;

/**
 * Saves `samples` (candidates' and the control's) as a panel called
 * `name`; `roles` maps a source to "control" (the others are candidates).
 * Resolves with the file name.
 */
export async function savePanel(worker, samples, name, roles) {
  const text = await worker.call("panelText", [samples, { name, created: nowRfc3339(), roles }]);
  const gz = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  const blob = await new Response(gz).blob();
  const file = panelFileName(name);
  download(file, "application/gzip", blob);
  return file;
}
