// The verdict in plain words, and the same as a short plain-text summary
// (for the clipboard: no link, no user text beyond source names).
import { h, num } from "./dom.js";

const signed = (x, d = 2) => (x > 0 ? "+" : "") + num(x, d);
const pText = (p) => (p < 0.001 ? num(p, 4) : num(p, 3));

/** The headline and the detail lines of a report's verdict. */
export function verdictWords(report) {
  const v = report.verdict;
  const suspect = report.sources.find((s) => s.role === "suspect")?.name ?? "the suspect";
  const top = v.ranking[0];
  const scoreName = v.control ? `excess over control (${v.control})` : "combined score";
  const lines = [];
  let headline;
  if (v.abstained || !v.attributed) {
    headline = `No confident attribution for ${suspect}.`;
    lines.push(`Why: ${v.reason}.`);
    if (v.top) lines.push(`Closest candidate, for what it is worth: ${v.top}.`);
  } else {
    headline = `${suspect} resembles ${v.attributed} most.`;
    lines.push(
      `${v.agreeingSignals} of ${v.rankedSignals} signals agree; p = ${pText(v.pValue)}; ${scoreName} ${signed(top.score)} [${num(top.low, 2)}, ${num(top.high, 2)}].`,
    );
  }
  if (v.ranking.length > 1) {
    lines.push(`Ranking (${scoreName}): ${v.ranking.map((r) => `${r.candidate} ${signed(r.score)}`).join(" · ")}.`);
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
    h("h2", { id: "verdict-headline", class: v.abstained ? "abstained" : "attributed" }, headline),
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
