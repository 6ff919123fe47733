// Exports: the report as JSON, as Markdown, as a self-contained HTML file
// (built as a DOM document and serialised, so every user string is
// escaped by the serialiser), and a plain summary for the clipboard.
import { download } from "./dom.js";
import { CAVEAT, summaryText, verdictWords } from "./verdict.js";

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");

export function exportJson(report) {
  download(`lineage-report-${stamp()}.json`, "application/json", JSON.stringify(report, null, 2) + "\n");
}

/** Markdown inline text: characters that could start markup are escaped. */
const md = (s) => String(s).replace(/([\\`*_{}[\]()#+!|<>~-])/g, "\\$1").replace(/\n/g, " ");
const f = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

export function markdown(report) {
  const { headline, lines } = verdictWords(report);
  const out = ["# Lineage report", "", `## ${md(headline)}`, "", ...lines.map(md), "", `> ${CAVEAT}`, ""];
  out.push("## Sources", "", "| source | role | samples | median words |", "|---|---|---|---|");
  for (const s of report.sources) out.push(`| ${md(s.name)} | ${s.role} | ${s.samples} | ${f(s.medianWords, 0)} |`);
  if (report.verdict.tests.length) {
    out.push("", "## Tests", "");
    for (const t of report.verdict.tests) out.push(`- ${md(t.hypothesis)} (${md(t.method)}): p = ${f(t.pValue, 4)} over ${t.units} units`);
  }
  out.push("", "## Signals", "");
  for (const sig of report.signals) {
    out.push(`### ${md(sig.name)}${sig.inCombined ? "" : " (not in the combined score)"}`, "", md(sig.description), "");
    for (const sc of sig.scores) out.push(`- ${md(sc.candidate)}: ${f(sc.score, 4)} [${f(sc.low, 4)}, ${f(sc.high, 4)}]`);
    if (sig.note) out.push("", `_${md(sig.note)}_`);
    out.push("");
  }
  out.push("## Kinship", "", "Tree (Newick): `" + report.kinship.newick.replace(/`/g, "'") + "`", "");
  if (report.identityLeaks.length) {
    out.push("## Identity leaks", "");
    for (const l of report.identityLeaks) out.push(`- ${md(l.source)}: “${md(l.sentence)}” (${l.claims.map(md).join(", ")})`);
    out.push("");
  }
  if (report.warnings.length) {
    out.push("## Warnings", "");
    for (const w of report.warnings) out.push(`- ${md(w.message)}`);
    out.push("");
  }
  out.push(`Lineage ${report.lineageVersion}, report schema ${report.schemaVersion}, seed ${report.seed}.`, "");
  return out.join("\n");
}

export function exportMarkdown(report) {
  download(`lineage-report-${stamp()}.md`, "text/markdown", markdown(report));
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
  body.append(el("h1", "Lineage report"), el("h2", headline));
  for (const l of lines) body.append(el("p", l));
  const caveat = el("p", CAVEAT);
  caveat.className = "caveat";
  body.append(caveat);
  const table = el("table");
  const head = el("tr");
  for (const c of ["source", "role", "samples", "median words"]) head.append(el("th", c));
  table.append(head);
  for (const s of report.sources) {
    const tr = el("tr");
    for (const c of [s.name, s.role, String(s.samples), f(s.medianWords, 0)]) tr.append(el("td", c));
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
