// Evidence views: shared over-used words and phrases, identity-leak
// sentences, and the side-by-side view of the suspect's and a candidate's
// answers to the same prompt with the shared passages marked (UTF-16
// offsets from the engine; the DOM is built from text nodes and <mark>).
import { h, iso, num, scrollHint } from "./dom.js";
import { byRank, rankedCandidates } from "./verdict.js";

const PER_CANDIDATE = 15;

/**
 * The evidence rows of the over-use table and the shared under-use.
 * `shared_habit` items are over-used by both by construction (log-odds
 * z above 1.96 in both); the function-word signal's `word` evidence is a
 * frequent word whose standardised rate the two share, which is either a
 * word both use more often than the other sources (both z > 0: over-use)
 * or one both use less often (both z < 0): never an over-used word.
 */
export function habitRows(report) {
  const over = [];
  const under = [];
  for (const sig of report.signals) {
    for (const e of sig.evidence) {
      if (e.kind === "shared_habit") over.push({ candidate: e.candidate, item: e.item, zs: e.zSuspect, zc: e.zCandidate, signal: sig.name });
      else if (e.kind === "word" && e.zSuspect > 0 && e.zCandidate > 0) over.push({ candidate: e.candidate, item: e.word, zs: e.zSuspect, zc: e.zCandidate, signal: sig.name });
      else if (e.kind === "word" && e.zSuspect < 0 && e.zCandidate < 0) under.push({ candidate: e.candidate, item: e.word });
    }
  }
  return { over, under };
}

/**
 * Table of the words and phrases the suspect and a candidate both over-use,
 * with their occurrences in every source (`itemCounts` from the worker),
 * then the frequent words both use less often than the others. Rows lead
 * with the attributed (or top) candidate's, then follow the ranking (on a
 * phone only the first rows are in sight), strongest first within each.
 */
export function habitsView(report, itemCounts) {
  let { over: rows, under } = habitRows(report);
  const underNote = under.length
    ? h(
        "p",
        { id: "habits-under", class: "hint" },
        "Used less often by both the suspect and a candidate than by the other sources (function-word signal): ",
        [...new Map(byRank(report, under).map((u) => [u.candidate, []]))].map(([c]) => `${iso(c)}: ${under.filter((u) => u.candidate === c).map((u) => u.item).join(", ")}`).join("; "),
        ".",
      )
    : null;
  if (!rows.length) return h("div", {}, h("p", {}, "No shared over-used words or phrases were found."), underNote);
  // The strongest rows per candidate (by the suspect's z), at most PER_CANDIDATE each.
  const kept = new Map();
  let dropped = 0;
  rows = rows
    .sort((a, b) => b.zs - a.zs)
    .filter((r) => {
      const n = kept.get(r.candidate) ?? 0;
      kept.set(r.candidate, n + 1);
      if (n >= PER_CANDIDATE) dropped++;
      return n < PER_CANDIDATE;
    });
  rows = byRank(report, rows);
  const sources = report.kinship.sources;
  const suspect = report.sources.find((s) => s.role === "suspect")?.name ?? "suspect";
  const per1000 = (item, source) => {
    const n = itemCounts?.counts[item.toLowerCase()]?.[source] ?? 0;
    const words = itemCounts?.words[source] ?? 0;
    return `${n}${words ? ` (${num((1000 * n) / words, 1)})` : ""}`;
  };
  const head = ["Candidate", "Word or phrase", `z (${iso(suspect)})`, "z (candidate)", "Signal", ...sources];
  const table = scrollTable(
    "habits-table",
    [
      "Words and phrases both the suspect and a candidate over-use compared with the other sources (z = how far above the others), then their occurrences in each source (per 1000 words; case-folded word matching)",
      dropped ? `; the ${PER_CANDIDATE} strongest per candidate are shown (${dropped} more in the exported JSON).` : ".",
    ],
    head,
    rows.map((r) => h("tr", {}, [r.candidate, r.item, num(r.zs, 1), num(r.zc, 1), r.signal, ...sources.map((s) => per1000(r.item, s))].map((c) => h("td", {}, c)))),
  );
  return h("div", {}, table, underNote);
}

/** The sentences in which a text names itself as a model or names its maker, grouped by source. */
export function leaksView(report) {
  if (!report.identityLeaks.length) return h("p", {}, "No text presents itself as a particular model or names its maker.");
  const bySource = new Map();
  for (const l of report.identityLeaks) {
    if (!bySource.has(l.source)) bySource.set(l.source, []);
    bySource.get(l.source).push(l);
  }
  return h(
    "div",
    { id: "leaks-list" },
    [...bySource].map(([source, leaks], i) => {
      const claims = [...new Set(leaks.flatMap((l) => l.claims))];
      return h(
        "details",
        { open: i === 0 },
        h("summary", {}, `${iso(source)}: ${leaks.length} sentence(s); claims: ${claims.join(", ")}`),
        h(
          "ul",
          {},
          // <q> adds the quotation marks itself.
          leaks.map((l) => h("li", {}, l.promptId ? `(prompt ${iso(l.promptId)}) ` : "", h("q", {}, l.sentence), " — ", l.claims.join(", "))),
        ),
      );
    }),
  );
}

/** User text set apart for the bidirectional algorithm, as an element. */
const bdi = (text) => h("bdi", {}, text);

/**
 * What each source says it is when asked (its answers to the probe set's
 * identity probes: "Who are you?", "Which company trained you?", …): the
 * model and vendor names its answers claim, how many answers claim each,
 * and the first sentence that does.
 */
export function identityProbesView(report) {
  const probes = report.identityProbes ?? [];
  if (!probes.length) {
    return h(
      "p",
      { id: "identity-probes-none" },
      "No source answered an identity probe (“Who are you?”, “Which company trained you?”, … from the probe set in probes/, by prompt id or by prompt text), so there is nothing to show here.",
    );
  }
  const claim = (n, total) => h("li", {}, bdi(n.entity), ` (${n.kind === "vendor" ? "the maker" : `a model by ${n.vendor}`}): ${n.answers} of ${total}`);
  return scrollTable(
    "identity-probes-table",
    ["The model and vendor names in each source's answers to identity probes (“Who are you?”, “Which company trained you?”, …), and the first sentence naming the name it claims most"],
    ["Source", "Identity answers", "Names it claims", "Example"],
    probes.map((p) => {
      const first = p.names[0];
      return h(
        "tr",
        {},
        h("th", { scope: "row" }, bdi(p.source)),
        h("td", {}, String(p.answers)),
        h(
          "td",
          {},
          p.names.length ? h("ul", { class: "claims" }, p.names.map((n) => claim(n, p.answers))) : null,
          p.unnamed ? h("p", {}, p.unnamed === p.answers ? "names no model or vendor" : `${p.unnamed} of ${p.answers} name none`) : null,
        ),
        h("td", {}, ...(first ? [first.promptId ? "(prompt " : null, first.promptId ? bdi(first.promptId) : null, first.promptId ? ") " : null, h("q", {}, bdi(first.example))] : ["—"])),
      );
    }),
  );
}

/**
 * A table in a focusable region that scrolls sideways, its caption a
 * paragraph above the region (a <caption> would be as wide as the table
 * and scroll out of sight on a narrow screen); the caption names both.
 */
function scrollTable(id, caption, head, rows) {
  const captionId = `${id}-caption`;
  return h(
    "div",
    { class: "table-block" },
    h("p", { id: captionId, class: "caption" }, ...caption),
    h(
      "div",
      { class: "table-scroll", tabindex: 0, role: "region", "aria-labelledby": captionId },
      h("table", { id, "aria-labelledby": captionId }, h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))), h("tbody", {}, rows)),
    ),
    scrollHint(),
  );
}

/** Text with the given UTF-16 ranges wrapped in <mark>, as DOM nodes. */
export function marked(text, ranges) {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const nodes = [];
  let at = 0;
  for (const [s, e] of merged) {
    const start = Math.max(s, at);
    if (start > at) nodes.push(document.createTextNode(text.slice(at, start)));
    if (e > start) nodes.push(h("mark", {}, text.slice(start, e)));
    at = Math.max(at, e);
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

/**
 * The side-by-side view. `texts` maps source -> Map(promptId -> {text, prompt}).
 * `spans(a, b)` resolves with the engine's shared spans of two texts.
 */
export function sideBySide(container, report, texts, spans) {
  const suspect = report.sources.find((s) => s.role === "suspect")?.name;
  const candidates = rankedCandidates(report).map((r) => r.candidate);
  const mine = texts.get(suspect) ?? new Map();
  const spanWords = new Map();
  for (const sig of report.signals) {
    for (const e of sig.evidence) if (e.kind === "shared_span") spanWords.set(`${e.candidate}\u0000${e.promptId}`, Math.max(spanWords.get(`${e.candidate}\u0000${e.promptId}`) ?? 0, e.words));
  }
  const state = { candidate: candidates[0], index: 0, prompts: [] };
  const candSelect = h(
    "select",
    { id: "sbs-candidate", onchange: (e) => ((state.candidate = e.target.value), (state.index = 0), refresh()) },
    candidates.map((c) => h("option", { value: c }, c)),
  );
  const promptSelect = h("select", { id: "sbs-prompt", onchange: (e) => ((state.index = Number(e.target.value)), show()) });
  const prev = h("button", { type: "button", id: "sbs-prev", onclick: () => step(-1) }, "← Previous prompt");
  const next = h("button", { type: "button", id: "sbs-next", onclick: () => step(1) }, "Next prompt →");
  const where = h("p", { id: "sbs-where", "aria-live": "polite" });
  const promptText = h("p", { class: "sbs-prompt-text" });
  const left = h("div", { class: "sbs-text", id: "sbs-suspect", tabindex: 0 });
  const right = h("div", { class: "sbs-text", id: "sbs-candidate-text", tabindex: 0 });
  const leftHead = h("h4", {});
  const rightHead = h("h4", {});
  container.replaceChildren(
    h(
      "div",
      { class: "sbs-controls" },
      h("label", { for: "sbs-candidate" }, "Candidate"),
      candSelect,
      h("label", { for: "sbs-prompt" }, "Prompt"),
      promptSelect,
      prev,
      next,
    ),
    where,
    promptText,
    h("div", { class: "sbs-columns" }, h("div", {}, leftHead, left), h("div", {}, rightHead, right)),
  );

  // Shared words per (candidate, prompt), as marked in this view: the
  // report lists only the longest passages, so every other prompt is
  // counted in the background, one engine call at a time.
  const counted = new Map();
  const label = (p) => {
    const n = counted.get(`${state.candidate}\u0000${p}`);
    return n === undefined ? `${p} (counting shared words…)` : n ? `${p} (${n} shared words)` : `${p} (no shared passage)`;
  };
  let labelling = 0;
  async function labelAll() {
    const mineNow = ++labelling;
    const candidate = state.candidate;
    for (const [i, p] of state.prompts.entries()) {
      const k = `${candidate}\u0000${p}`;
      if (!counted.has(k)) {
        try {
          const found = await spans(mine.get(p).text, texts.get(candidate).get(p).text);
          counted.set(k, found.reduce((t, s) => t + s.words, 0));
        } catch {
          return; // the worker was stopped (a new analysis); the labels stay as they are
        }
      }
      if (mineNow !== labelling || !promptSelect.isConnected) return;
      promptSelect.options[i].textContent = label(p);
    }
    promptSelect.dataset.labelled = "true";
  }

  function refresh() {
    const theirs = texts.get(state.candidate) ?? new Map();
    const shared = [...mine.keys()].filter((p) => theirs.has(p));
    const key = (p) => spanWords.get(`${state.candidate}\u0000${p}`) ?? 0;
    // Prompts with the longest shared passages (from the report) first.
    state.prompts = shared.map((p, i) => [p, i]).sort((a, b) => key(b[0]) - key(a[0]) || a[1] - b[1]).map(([p]) => p);
    delete promptSelect.dataset.labelled;
    promptSelect.replaceChildren(...state.prompts.map((p, i) => h("option", { value: String(i) }, label(p))));
    show().then(labelAll);
  }

  function step(d) {
    if (!state.prompts.length) return;
    state.index = (state.index + d + state.prompts.length) % state.prompts.length;
    show();
  }

  let generation = 0;
  async function show() {
    const n = state.prompts.length;
    prev.disabled = next.disabled = n < 2;
    if (!n) {
      where.textContent = `${iso(suspect)} and ${iso(state.candidate)} answered no prompt in common, so there is nothing to set side by side (give samples prompt ids).`;
      promptText.textContent = "";
      left.replaceChildren();
      right.replaceChildren();
      leftHead.textContent = rightHead.textContent = "";
      return;
    }
    const p = state.prompts[state.index];
    promptSelect.value = String(state.index);
    const a = mine.get(p);
    const b = texts.get(state.candidate).get(p);
    where.textContent = `Prompt ${state.index + 1} of ${n} (id ${p}).`;
    promptText.textContent = a.prompt ?? b.prompt ? `Prompt: ${a.prompt ?? b.prompt}` : "";
    leftHead.textContent = suspect;
    rightHead.textContent = state.candidate;
    left.replaceChildren(...marked(a.text, []));
    right.replaceChildren(...marked(b.text, []));
    const mine_ = ++generation;
    let found;
    try {
      found = await spans(a.text, b.text);
    } catch (err) {
      where.textContent += ` Shared passages could not be computed: ${err.message}`;
      return;
    }
    if (mine_ !== generation) return;
    left.replaceChildren(...marked(a.text, found.map((s) => [s.a.startUtf16, s.a.endUtf16])));
    right.replaceChildren(...marked(b.text, found.map((s) => [s.b.startUtf16, s.b.endUtf16])));
    const words = found.reduce((t, s) => t + s.words, 0);
    counted.set(`${state.candidate}\u0000${p}`, words);
    where.textContent = `Prompt ${state.index + 1} of ${n} (id ${p}): ${found.length} shared passage(s), ${words} words, marked.`;
  }

  refresh();
}
