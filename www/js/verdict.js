// The verdict in plain words, and the same as a short plain-text summary
// (for the clipboard: no link, no user text beyond source names).
import { h, num } from "./dom.js";

const signed = (x, d = 2) => (x > 0 ? "+" : "") + num(x, d);
const pText = (p) => (p < 0.001 ? num(p, 4) : num(p, 3));

const setText = (names) => (names.length === 1 ? names[0] : `one of {${names.join(", ")}}`);
const pct = (c) => `${Math.round(c * 100)}%`;

/** The headline and the detail lines of a report's verdict. */
export function verdictWords(report) {
  const v = report.verdict;
  const suspect = report.sources.find((s) => s.role === "suspect")?.name ?? "the suspect";
  const top = v.ranking[0];
  const scoreName = v.control ? `excess over control (${v.control})` : "resemblance score";
  const lines = [];
  let headline;
  if (v.kind === "attribution") {
    headline = `${suspect}: the teacher is, at ${pct(v.confidence)} confidence, ${setText(v.attributed)}.`;
    lines.push(
      `${suspect} is closer than the control ${v.control} to the candidates' answers (excess test p = ${pText(v.pValue)}); ${scoreName} of ${top.candidate} ${signed(top.score)} [${num(top.low, 2)}, ${num(top.high, 2)}]; ${v.agreeingSignals} of ${v.rankedSignals} signals rank it first.`,
    );
  } else if (v.kind === "resemblance") {
    headline = `${suspect} writes most like ${setText(v.closest)} (resemblance, no control).`;
    lines.push(`Why not a teacher: ${v.reason}`);
  } else {
    headline = `No confident attribution for ${suspect}.`;
    lines.push(`Why: ${v.reason}`);
    if (v.top) lines.push(`Closest candidate, for what it is worth: ${v.top}.`);
  }
  if (v.power) lines.push(`More data? ${v.power.message}.`);
  if (v.robustness) lines.push(`Robustness: ${v.robustness.message}.`);
  if (v.ranking.length > 1) {
    lines.push(
      `Ranking (${scoreName}): ${v.ranking.map((r) => `${r.candidate} ${signed(r.score)}${r.inSet ? "" : " (ruled out)"}`).join(" · ")}.`,
    );
  }
  lines.push(
    `Design: ${report.design.paired ? `paired, ${report.design.sharedPrompts} prompts answered by every source` : `unpaired (${report.design.units} ${report.design.unit}s)`}.`,
  );
  return { headline, lines };
}

export const CAVEAT =
  "Resemblance is evidence, not proof: models trained on similar data, or prompted alike, can write alike without one being distilled from the other.";

/** The verdict card's content. */
export function verdictCard(report) {
  const { headline, lines } = verdictWords(report);
  const v = report.verdict;
  return [
    h("h2", { id: "verdict-headline", class: v.kind === "attribution" ? "attributed" : "abstained" }, headline),
    ...lines.map((l) => h("p", {}, l)),
    report.warnings.length
      ? h("details", {}, h("summary", {}, `${report.warnings.length} warning(s) from the analysis`), h("ul", {}, report.warnings.map((w) => h("li", {}, w.message))))
      : null,
    h("p", { class: "caveat" }, CAVEAT),
  ];
}

/** A short plain-text summary, no links. */
export function summaryText(report) {
  const { headline, lines } = verdictWords(report);
  return [`Lineage ${report.lineageVersion} — ${headline}`, ...lines, CAVEAT, `Seed ${report.seed}; ${report.sources.map((s) => `${s.name} (${s.role}, ${s.samples})`).join(", ")}.`].join("\n");
}
