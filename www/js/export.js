// Exports: the report as JSON, as Markdown (rendered by the engine), as a
// self-contained HTML file (built as a DOM document and serialised, so
// every user string is escaped by the serialiser), and a plain summary for
// the clipboard.
import { download } from "./dom.js";
import { CAVEAT, summaryText, verdictWords } from "./verdict.js";

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");

export function exportJson(report) {
  download(`lineage-report-${stamp()}.json`, "application/json", JSON.stringify(report, null, 2) + "\n");
}

const f = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

/** Saves the Markdown report the engine rendered (`reportMarkdown`, the CLI's `--format md`). */
export function exportMarkdown(markdown) {
  download(`lineage-report-${stamp()}.md`, "text/markdown", markdown);
}

const HTML_STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}
figure{margin:1.5rem 0;overflow-x:auto}svg{max-width:100%;height:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
.caveat{border-left:4px solid #c80;padding-left:.6rem}pre{white-space:pre-wrap}`;

/**
 * A standalone HTML file: the verdict, the charts (SVG copies), the
 * tables and the full JSON report, no script. `charts` are the page's
 * <svg> elements.
 */
export function htmlDocument(report, charts) {
  const doc = document.implementation.createHTMLDocument("Lineage report");
  const el = (tag, text) => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const meta = doc.createElement("meta");
  meta.setAttribute("charset", "utf-8");
  const csp = doc.createElement("meta");
  csp.setAttribute("http-equiv", "Content-Security-Policy");
  csp.setAttribute("content", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  doc.head.prepend(meta, csp);
  const { headline, lines } = verdictWords(report);
  const body = doc.body;
  // The headline first, as in every rendering; then what the file is.
  doc.title = `Lineage report: ${headline}`;
  body.append(el("h1", headline), el("p", `Lineage report (Lineage ${report.lineageVersion}, seed ${report.seed})`));
  for (const l of lines) body.append(el("p", l));
  const caveat = el("p", CAVEAT);
  caveat.className = "caveat";
  body.append(caveat);
  const table = el("table");
  const head = el("tr");
  for (const c of ["source", "role", "family", "samples", "median words"]) head.append(el("th", c));
  table.append(head);
  for (const s of report.sources) {
    const tr = el("tr");
    for (const c of [s.name, s.role, s.family ?? "", String(s.samples), f(s.medianWords, 0)]) tr.append(el("td", c));
    table.append(tr);
  }
  body.append(el("h2", "Sources"), table, el("h2", "Charts"));
  for (const svg of charts) {
    const fig = el("figure");
    fig.append(doc.importNode(svg, true));
    body.append(fig);
  }
  if (report.identityLeaks.length) {
    body.append(el("h2", "Identity leaks"));
    const ul = el("ul");
    for (const l of report.identityLeaks) ul.append(el("li", `${l.source}: “${l.sentence}”`));
    body.append(ul);
  }
  if (report.identityProbes?.length) {
    body.append(el("h2", "What each source says it is (identity probes)"));
    const ul = el("ul");
    for (const p of report.identityProbes) {
      // User text (names, the example) in <bdi>: right-to-left text cannot reorder the counts around it.
      const li = el("li");
      li.append(el("bdi", p.source), `: ${p.answers} identity answer(s); `);
      if (!p.names.length) li.append("names no model or vendor");
      p.names.forEach((n, i) => li.append(i ? ", " : "", el("bdi", n.entity), ` (${n.answers} of ${p.answers})`));
      if (p.names.length) {
        const q = el("q");
        q.append(el("bdi", p.names[0].example));
        li.append(el("br"), q);
      }
      ul.append(li);
    }
    body.append(ul);
  }
  body.append(el("h2", "Full report (JSON)"), el("pre", JSON.stringify(report, null, 2)));
  // The style sheet is a constant, added to the serialised text: a <style>
  // element built in this page would fall under the page's own CSP.
  const serialised = new XMLSerializer().serializeToString(doc.documentElement);
  return "<!doctype html>\n" + serialised.replace("</head>", `<style>${HTML_STYLE}</style></head>`) + "\n";
}

export function exportHtml(report, charts) {
  download(`lineage-report-${stamp()}.html`, "text/html", htmlDocument(report, charts));
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
