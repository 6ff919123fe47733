// Exports: the report as JSON, as Markdown and as a self-contained HTML
// file (both rendered by the engine, as the CLI renders them), and a plain
// summary for the clipboard.
import { download } from "./dom.js";
import { summaryText } from "./verdict.js";

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");

export function exportJson(report) {
  download(`lineage-report-${stamp()}.json`, "application/json", JSON.stringify(report, null, 2) + "\n");
}

/** Saves the Markdown report the engine rendered (`reportMarkdown`, the CLI's `--format md`). */
export function exportMarkdown(markdown) {
  download(`lineage-report-${stamp()}.md`, "text/markdown", markdown);
}

/**
 * Saves the HTML report the engine rendered (`reportHtml`, the CLI's
 * `--format html`): one self-contained file, no script, charts as SVG.
 */
export function exportHtml(html) {
  download(`lineage-report-${stamp()}.html`, "text/html", html);
}

/** Copies the summary; resolves true on success. */
export async function copySummary(report) {
  const text = summaryText(report);
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
