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

/** The records of a panel file and its header: `{ records, panel, ... }` from the worker. */
export function readPanel(worker, file, onProgress) {
  return worker.readPanel(file, { name: file.name }, { onProgress });
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
