// The verdict in plain words, and the same as a short plain-text summary
// (for the clipboard: no link, no user text beyond source names).
import { h, iso, num } from "./dom.js";

const signed = (x, d = 2) => (x > 0 ? "+" : "") + num(x, d);
const pText = (p) => (p < 0.001 ? num(p, 4) : num(p, 3));

const setText = (names) => (names.length === 1 ? iso(names[0]) : `one of {${names.map(iso).join(", ")}}`);
const pct = (c) => `${Math.round(c * 100)}%`;
/** " (family openai)" after a ranked candidate; nothing for a family of its own name (or none). */
const familyNote = (r) => (r.family && r.family !== r.candidate ? ` (family ${iso(r.family)})` : "");

/**
 * The ranking in the order the page shows candidates everywhere (the
 * ranking line, every block of the scores chart, the evidence tables, the
 * side-by-side view): the attributed candidates, then the rest of the
 * confidence set of the closest, then those ruled out, each group in the
 * report's ranking order (by score). Two scores that tie at two decimals
 * never put a ruled-out candidate before one that is not.
 */
export function rankedCandidates(report) {
  const v = report.verdict;
  const attributed = new Set(v.attributed ?? []);
  const group = (r) => (attributed.has(r.candidate) ? 0 : r.inSet === false ? 2 : 1);
  return v.ranking
    .map((r, i) => [r, i])
    .sort((a, b) => group(a[0]) - group(b[0]) || a[1] - b[1])
    .map(([r]) => r);
}

/** Sorts rows that name a candidate (`candidateOf(row)`) into rankedCandidates order; stable, unknown names last. */
export function byRank(report, rows, candidateOf = (r) => r.candidate) {
  const rank = new Map(rankedCandidates(report).map((r, i) => [r.candidate, i]));
  const at = (row) => rank.get(candidateOf(row)) ?? rank.size;
  return rows.map((row, i) => [row, i]).sort((a, b) => at(a[0]) - at(b[0]) || a[1] - b[1]).map(([row]) => row);
}

/**
 * An engine message with each source name in it isolated (the engine
 * writes names into its sentences), and the whole message isolated too.
 */
export function isolateNames(message, names) {
  const sorted = [...new Set(names)].filter(Boolean).sort((a, b) => b.length - a.length);
  let out = "";
  for (let i = 0; i < message.length; ) {
    const name = sorted.find((n) => message.startsWith(n, i));
    if (name) {
      out += iso(name);
      i += name.length;
    } else {
      out += message[i++];
    }
  }
  return iso(out);
}

/**
 * The headline and the detail lines of a report's verdict. The headline is
 * the engine's (`verdict.headline`: the claim and its scope, the first
 * line of every rendering, so the page, the exports, the CLI and the
 * Markdown say one thing); only a report without one (an engine before
 * vendor families) gets the page's own words.
 */
export function verdictWords(report) {
  const v = report.verdict;
  const names = report.sources.map((s) => s.name);
  const said = (message) => isolateNames(message, names);
  const suspect = iso(report.sources.find((s) => s.role === "suspect")?.name ?? "the suspect");
  const top = v.ranking[0];
  const control = v.control ? iso(v.control) : null;
  const scoreName = control ? `excess over control (${control})` : "resemblance score";
  const lines = [];
  let headline = v.headline?.trim() ? said(v.headline.trim()) : null;
  if (v.kind === "attribution") {
    headline ??= `${suspect}: the teacher is, at ${pct(v.confidence)} confidence, ${setText(v.attributed)}.`;
    lines.push(
      `${suspect} is closer than the control ${control} to the candidates' answers (excess test p = ${pText(v.pValue)}); ${scoreName} of ${iso(top.candidate)} ${signed(top.score)} [${num(top.low, 2)}, ${num(top.high, 2)}]; ${v.agreeingSignals} of ${v.rankedSignals} signals rank it first.`,
    );
    // Why the claim names a vendor, or one model of it: the specificity
    // and model tests, in the engine's words.
    if (v.reason) lines.push(`Why: ${said(v.reason)}`);
  } else if (v.kind === "resemblance") {
    headline ??= `${suspect} writes most like ${setText(v.closest)} (resemblance, no control).`;
    lines.push(`Why not a teacher: ${said(v.reason)}`);
  } else {
    headline ??= `No confident attribution for ${suspect}.`;
    lines.push(`Why: ${said(v.reason)}`);
    // The confidence set of the closest candidates (schema 2), else the top one.
    const closest = v.closest?.length ? v.closest : v.top ? [v.top] : [];
    if (closest.length === 1) lines.push(`Closest candidate, for what it is worth: ${iso(closest[0])}.`);
    else if (closest.length > 1) lines.push(`Closest candidates, for what it is worth (at ${pct(v.confidence)} confidence, one of them): ${closest.map(iso).join(", ")}.`);
  }
  if (v.power) lines.push(`More data? ${said(v.power.message)}.`);
  if (v.robustness) lines.push(`Robustness: ${said(v.robustness.message)}.`);
  if (v.ranking.length > 1) {
    lines.push(
      `Ranking (${scoreName}): ${rankedCandidates(report).map((r) => `${iso(r.candidate)}${familyNote(r)} ${signed(r.score)}${r.inSet ? "" : " (ruled out)"}`).join(" · ")}.`,
    );
  }
  lines.push(
    `Design: ${report.design.paired ? `paired, ${report.design.sharedPrompts} prompts answered by every source` : `unpaired (${report.design.units} ${report.design.unit}s)`}.`,
  );
  return { headline, lines };
}

/**
 * What a reader can do about an abstention, by its code: the report says
 * why the analysis abstained; this says what to change in the inputs.
 */
export function nextSteps(report) {
  const v = report.verdict;
  if (v.kind === "attribution") return [];
  const code = v.abstention?.code;
  const more = v.power && v.power.unitsNeeded === null ? null : "Collect answers to more prompts from every source (see “More data?” above for how many).";
  const steps = {
    no_control: [
      "Add a control: the suspect's base model, or a sibling fine-tune of it trained on human-written data, answering the same prompts. With a control the analysis can test for a teacher instead of only resemblance.",
    ],
    no_excess: [
      "The teacher may be none of these candidates: add other candidates whose outputs the suspect might have been trained on.",
      "Check the control: it should share the suspect's base model. A control from another family makes every candidate look no closer than it.",
      more,
    ],
    set_too_large: [more, "Leave out candidates that write almost alike (see the kinship heatmap): the analysis cannot tell them apart."],
    candidates_inseparable: [
      "Use candidates from different families, or longer answers: these candidates write too much alike to be told apart.",
      more,
    ],
    not_specific: [
      "Add the plausible teachers: the suspect resembles the closest candidate no more than models of other vendors do, which is what a student of a teacher missing from the candidates looks like.",
      "Give each candidate its vendor in its Family field, so that one vendor's models are judged together.",
      more,
    ],
    families_mixed: ["Add more candidates of each vendor in question, or answers to more prompts: the evidence points to more than one vendor.", more],
    signals_disagree: [more, "Look at the scores chart: most signals rank another vendor first, so the combined score rests on a minority of them."],
  };
  return (steps[code] ?? [more]).filter(Boolean);
}

export const CAVEAT =
  "Resemblance is evidence, not proof: models trained on similar data, or prompted alike, can write alike without one being distilled from the other.";

/** The verdict card's content. */
export function verdictCard(report) {
  const { headline, lines } = verdictWords(report);
  const v = report.verdict;
  const steps = nextSteps(report);
  return [
    h("h2", { id: "verdict-headline", class: v.kind === "attribution" ? "attributed" : "abstained" }, headline),
    ...lines.map((l) => h("p", {}, l)),
    steps.length ? h("div", { id: "next-steps" }, h("p", {}, h("strong", {}, "What to try next")), h("ul", {}, steps.map((t) => h("li", {}, t)))) : null,
    report.warnings.length
      ? h("details", {}, h("summary", {}, `${report.warnings.length} warning(s) from the analysis`), h("ul", {}, report.warnings.map((w) => h("li", {}, isolateNames(w.message, report.sources.map((s) => s.name))))))
      : null,
    h("p", { class: "caveat" }, CAVEAT),
  ];
}

/** A short plain-text summary, no links; the headline is its first line. */
export function summaryText(report) {
  const { headline, lines } = verdictWords(report);
  const source = (s) => `${iso(s.name)} (${s.role}${s.family && s.family !== s.name ? `, family ${iso(s.family)}` : ""}, ${s.samples})`;
  return [headline, ...lines, CAVEAT, `Lineage ${report.lineageVersion}, seed ${report.seed}; ${report.sources.map(source).join(", ")}.`].join("\n");
}
