// The four charts, drawn as SVG with createElementNS (user-supplied names
// enter as text nodes, bidi-isolated). Each is a <figure> with role="img",
// <title> and <desc>, and a button that saves the SVG as a file. Every
// chart is sized from its measured labels, so nothing is clipped, and a
// source has one colour in every chart (`sourceColors`).
import { download, h, iso, num, s, scrollHint, textWidth } from "./dom.js";
import { byRank, rankedCandidates } from "./verdict.js";

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

/** One colour per source, in the report's order of sources (kinship order), shared by every chart. */
export function sourceColors(names) {
  return new Map(names.map((name, i) => [name, PALETTE[i % PALETTE.length]]));
}

const widest = (labels, size = 12) => Math.max(0, ...labels.map((l) => textWidth(l, size)));

/**
 * A plot's width: what is left of `room` (the CSS pixels the chart has)
 * beside its labels, at most `most`, at least `least`. On a phone the plot
 * narrows instead of pushing the top candidate out of sight.
 */
const plotWidth = (room, labels, most = 380, least = 120) => Math.floor(Math.max(least, Math.min(most, room - labels)));
const INK = "currentColor";
const FONT = { "font-family": "system-ui, sans-serif", "font-size": 12 };

let uid = 0;

/** A <figure> holding an accessible SVG, an optional note and its "Download SVG" button. */
function figure(key, title, desc, width, height, draw, note = null) {
  const n = uid++;
  const svg = s(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: "img",
      "aria-labelledby": `chart-title-${n} chart-desc-${n}`,
      class: "chart",
      ...FONT,
    },
    s("title", { id: `chart-title-${n}` }, title),
    s("desc", { id: `chart-desc-${n}` }, desc),
  );
  draw(svg);
  const save = () => download(`lineage-${key}.svg`, "image/svg+xml", new XMLSerializer().serializeToString(svg));
  return h(
    "figure",
    { class: "chart-figure", id: `chart-${key}`, "data-chart": key },
    h("div", { class: "chart-scroll", tabindex: 0, role: "group", "aria-label": title }, svg),
    scrollHint(),
    note ? h("p", { class: "chart-note", id: `chart-note-${key}` }, note) : null,
    h("figcaption", {}, title, " ", h("button", { type: "button", class: "small", onclick: save }, `Download SVG (${key})`)),
  );
}

const text = (x, y, str, attrs = {}) => s("text", { x, y, fill: INK, ...attrs }, str);

/**
 * Per-candidate scores with intervals, one panel per signal (and the
 * combined ranking first), every panel's candidates in one order (the
 * page's ranking order, rankedCandidates), so a row is found at once.
 */
export function scoresChart(report, colors, room = Infinity) {
  const panels = [
    { name: "combined", rows: rankedCandidates(report).map((r) => ({ candidate: r.candidate, score: r.score, low: r.low, high: r.high })) },
    ...report.signals.filter((sig) => sig.scores.length).map((sig) => ({ name: sig.name, rows: byRank(report, sig.scores) })),
  ];
  const names = panels.flatMap((p) => p.rows.map((r) => iso(r.candidate)));
  // Names beside their rows; when that leaves the plot too little of a
  // narrow screen, each name goes on a line above its row instead.
  const beside = Math.ceil(Math.max(widest(names) + 24, widest(panels.map((p) => p.name), 13) - 40, 120));
  const stacked = beside + 120 + 70 > room;
  const left = stacked ? 14 : beside;
  const rowH = stacked ? 32 : 18;
  const plotW = stacked ? Math.floor(Math.max(120, Math.min(380, room - left - 70))) : plotWidth(room, left + 70);
  const width = Math.ceil(Math.max(left + plotW + 70, stacked ? 14 + widest(names) + 4 : 0));
  const heights = panels.map((p) => 34 + p.rows.length * rowH + 10);
  const height = heights.reduce((a, b) => a + b, 0) + 10;
  const desc = panels
    .map((p) => `${p.name}: ${p.rows.map((r) => `${iso(r.candidate)} ${num(r.score)} [${num(r.low)}, ${num(r.high)}]`).join("; ")}`)
    .join(". ");
  return figure("scores", "Scores per candidate and signal (higher = more alike), with intervals", desc, width, height, (svg) => {
    let y = 10;
    panels.forEach((p, k) => {
      const vals = p.rows.flatMap((r) => [r.low, r.high, r.score]).filter(Number.isFinite);
      let lo = Math.min(...vals);
      let hi = Math.max(...vals);
      if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
      const pad = (hi - lo) * 0.05;
      const x = (v) => left + ((v - lo + pad) / (hi - lo + 2 * pad)) * plotW;
      // The panel's name on its own line, the axis ends on the next.
      svg.append(text(4, y + 12, p.name, { "font-weight": "bold" }), text(left + plotW + 6, y + 24, "score", { "font-size": 10 }));
      svg.append(s("line", { x1: left, x2: left + plotW, y1: y + 28, y2: y + 28, stroke: INK, "stroke-opacity": 0.3 }));
      svg.append(text(left, y + 24, num(lo + 0, 2), { "font-size": 10 }), text(left + plotW, y + 24, num(hi, 2), { "font-size": 10, "text-anchor": "end" }));
      p.rows.forEach((r, i) => {
        const cy = y + 34 + i * rowH + (stacked ? rowH - 8 : rowH / 2);
        const color = colors.get(r.candidate) ?? INK;
        const g = s("g", {}, s("title", {}, `${p.name} · ${iso(r.candidate)}: ${num(r.score)} [${num(r.low)}, ${num(r.high)}]`));
        g.append(text(14, stacked ? cy - 10 : cy + 4, iso(r.candidate)));
        if (Number.isFinite(r.low) && Number.isFinite(r.high)) {
          g.append(s("line", { x1: x(r.low), x2: x(r.high), y1: cy, y2: cy, stroke: color, "stroke-width": 2 }));
        }
        if (Number.isFinite(r.score)) g.append(s("circle", { cx: x(r.score), cy, r: 4.5, fill: color, "data-source": r.candidate }));
        g.append(text(left + plotW + 6, cy + 4, num(r.score), { "font-size": 11 }));
        svg.append(g);
      });
      y += heights[k];
    });
  });
}

/** Colour of a similarity in [lo, hi]: pale to deep blue. */
function heat(v, lo, hi) {
  const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  const c = (a, b) => Math.round(a + (b - a) * t);
  return `rgb(${c(240, 8)},${c(244, 64)},${c(250, 160)})`;
}

/** The kinship matrix of all sources as a heatmap. */
export function heatmapChart(kinship) {
  const names = kinship.sources;
  const n = names.length;
  const cell = Math.max(26, Math.min(48, 360 / Math.max(n, 1)));
  const label = widest(names.map(iso));
  const left = Math.ceil(label + 16);
  // Column labels are turned 45°: they rise and run right by label/√2, and
  // their line box (1.2em, as Firefox measures it) rises by 1.2em/√2 more.
  const rise = Math.ceil((label + 18) * Math.SQRT1_2 + 8);
  const top = Math.max(40, rise);
  const off = kinship.similarity.flatMap((row, i) => row.filter((_, j) => j !== i));
  const lo = off.length ? Math.min(...off) : 0;
  const hi = off.length ? Math.max(...off) : 1;
  const note = `Off-diagonal range ${num(lo, 3)} (pale) to ${num(hi, 3)} (dark).`;
  const width = Math.ceil(Math.max(left + n * cell + 20, left + (n - 0.5) * cell + rise + 10, 8 + textWidth(note, 11) + 8));
  const height = top + n * cell + 40;
  const desc = names.map((a, i) => `${iso(a)}: ${names.map((b, j) => (i === j ? null : `${iso(b)} ${num(kinship.similarity[i][j], 2)}`)).filter(Boolean).join(", ")}`).join(". ");
  return figure("kinship", "Kinship heatmap: how alike each pair of sources writes (darker = more alike)", desc, width, height, (svg) => {
    names.forEach((name, i) => {
      svg.append(text(left - 6, top + i * cell + cell / 2 + 4, iso(name), { "text-anchor": "end" }));
      svg.append(text(left + i * cell + cell / 2, top - 6, iso(name), { transform: `rotate(-45 ${left + i * cell + cell / 2} ${top - 6})` }));
      names.forEach((other, j) => {
        const v = kinship.similarity[i][j];
        const fill = i === j ? "#9e9e9e" : heat(v, lo, hi);
        const t = i === j || !(hi > lo) ? 0 : (v - lo) / (hi - lo);
        svg.append(
          s(
            "g",
            {},
            s("title", {}, `${iso(name)} · ${iso(other)}: ${num(v, 3)}`),
            s("rect", { x: left + j * cell, y: top + i * cell, width: cell - 1, height: cell - 1, fill }),
            text(left + j * cell + cell / 2, top + i * cell + cell / 2 + 4, i === j ? "" : num(v, 2), {
              "text-anchor": "middle",
              "font-size": 10,
              fill: t > 0.55 ? "#fff" : "#111",
            }),
          ),
        );
      });
    });
    svg.append(text(8, top + n * cell + 24, note, { "font-size": 11 }));
  });
}

/**
 * Parses a Newick string into { name, length, children }. Quoted labels
 * ('it''s') and branch lengths are read; comments in [] are skipped.
 * Throws an Error naming the position on malformed input.
 */
export function parseNewick(str) {
  let i = 0;
  const fail = (what) => {
    throw new Error(`Newick: ${what} at character ${i + 1}`);
  };
  const skip = () => {
    for (;;) {
      while (i < str.length && /\s/.test(str[i])) i++;
      if (str[i] !== "[") return;
      const end = str.indexOf("]", i);
      if (end < 0) fail("unclosed comment");
      i = end + 1;
    }
  };
  const label = () => {
    skip();
    if (str[i] === "'") {
      let out = "";
      i++;
      for (;;) {
        if (i >= str.length) fail("unclosed quote");
        if (str[i] === "'") {
          if (str[i + 1] === "'") {
            out += "'";
            i += 2;
            continue;
          }
          i++;
          return out;
        }
        out += str[i++];
      }
    }
    let out = "";
    while (i < str.length && !"():;,[]'".includes(str[i]) && !/\s/.test(str[i])) out += str[i++];
    return out;
  };
  const node = () => {
    skip();
    const n = { name: "", length: 0, children: [] };
    if (str[i] === "(") {
      i++;
      n.children.push(node());
      skip();
      while (str[i] === ",") {
        i++;
        n.children.push(node());
        skip();
      }
      if (str[i] !== ")") fail("expected ')'");
      i++;
    }
    n.name = label();
    skip();
    if (str[i] === ":") {
      i++;
      skip();
      const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(str.slice(i));
      if (!m) fail("expected a branch length");
      n.length = Number(m[0]);
      i += m[0].length;
    }
    if (!n.children.length && !n.name) fail("expected a label");
    return n;
  };
  const root = node();
  skip();
  if (str[i] !== ";") fail("expected ';'");
  i++;
  skip();
  if (i !== str.length) fail("unexpected text after ';'");
  return root;
}

/** The family tree (average-linkage dendrogram) from the report's Newick string. */
export function dendrogramChart(newick, colors, room = Infinity) {
  const root = parseNewick(newick);
  const leaves = [];
  let maxDepth = 0;
  const walk = (n, depth) => {
    n.depth = depth + n.length;
    maxDepth = Math.max(maxDepth, n.depth);
    if (!n.children.length) {
      n.row = leaves.length;
      leaves.push(n.name);
    } else {
      n.children.forEach((c) => walk(c, n.depth));
      n.row = (n.children[0].row + n.children[n.children.length - 1].row) / 2;
    }
  };
  walk(root, -root.length);
  const rowH = 26;
  const left = 20;
  const plotW = plotWidth(room, left + 20 + widest(leaves.map(iso)) + 12, 360);
  const width = Math.ceil(left + plotW + 20 + widest(leaves.map(iso)) + 12);
  const height = leaves.length * rowH + 50;
  const x = (d) => left + (maxDepth > 0 ? d / maxDepth : 0) * plotW;
  const y = (row) => 20 + row * rowH;
  const groups = [];
  const describe = (n) => (n.children.length ? `(${n.children.map(describe).join(", ")})` : iso(n.name));
  groups.push(describe(root));
  return figure("tree", "Family tree: sources joined by how alike they write (shorter joins = closer)", `Grouping: ${groups[0]}`, width, height, (svg) => {
    const draw = (n) => {
      if (!n.children.length) {
        svg.append(s("circle", { cx: x(n.depth) + 10, cy: y(n.row), r: 4.5, fill: colors?.get(n.name) ?? INK, "data-source": n.name }));
        svg.append(text(x(n.depth) + 20, y(n.row) + 4, iso(n.name)));
        return;
      }
      const rows = n.children.map((c) => c.row);
      svg.append(s("line", { x1: x(n.depth), x2: x(n.depth), y1: y(Math.min(...rows)), y2: y(Math.max(...rows)), stroke: INK, "stroke-width": 1.5 }));
      for (const c of n.children) {
        svg.append(s("line", { x1: x(n.depth), x2: x(c.depth), y1: y(c.row), y2: y(c.row), stroke: INK, "stroke-width": 1.5 }));
        draw(c);
      }
    };
    draw(root);
    svg.append(s("line", { x1: left, x2: left + plotW, y1: height - 18, y2: height - 18, stroke: INK, "stroke-opacity": 0.4 }));
    svg.append(text(left, height - 4, "0", { "font-size": 10 }), text(left + plotW, height - 4, `distance ${num(maxDepth, 3)}`, { "font-size": 10, "text-anchor": "end" }));
  });
}

/** How the per-prompt chart names its baseline: (note text, left-hand side, right-hand side). */
const BASELINES = {
  control: (control) => [`the suspect's answer's similarity to the candidate's answer minus the control ${control}'s`, "← the control is closer", "the suspect is closer →"],
  others: () => ["the suspect's answer's similarity to the candidate's answer minus its mean similarity to the other candidates' answers", "← the others are closer", "this candidate is closer →"],
  none: () => ["the suspect's answer's similarity to the candidate's answer (no control and no other candidate to compare with)", "less alike", "more alike"],
};

/**
 * What the engine's verdict rests on, with the report's own counts
 * (`ranked`: report.verdict.rankedSignals; `tested`: the names of
 * report.parameters.signals), so the note says what the verdict says.
 */
function engineNote({ ranked, tested } = {}) {
  const n = (k) => `${k} signal${k === 1 ? "" : "s"}`;
  const parts = [];
  if (Number.isInteger(ranked) && ranked > 0) parts.push(`ranks the candidates with ${n(ranked)} (the scores above)`);
  if (tested?.length) parts.push(`tests the top one prompt by prompt over every shared prompt, with the ${n(tested.length)} of its tested score (${tested.join(", ")})`);
  return parts.length ? `The engine's verdict ${parts.join(" and ")}.` : "The engine's verdict rests on its own signals (the scores above).";
}

/**
 * Prompt by prompt (profiles.js promptComparison): one row per candidate,
 * a dot per prompt, the zero line, the mean as a bar, and how many prompts
 * fall on the suspect's side. `cmp.control` names the control, if any;
 * `engine` holds the report's counts of signals for the note.
 */
export function promptsChart(cmp, colors, room = Infinity, engine = {}) {
  const rowH = 40;
  const names = cmp.rows.map((r) => iso(r.candidate));
  const left = Math.ceil(widest(names) + 24);
  const share = (r) => `${r.closer} of ${cmp.prompts} prompts (${Math.round((100 * r.closer) / Math.max(cmp.prompts, 1))}%)`;
  // The share and mean beside each row; on a narrow screen the share alone (the rest is in the description).
  const full = cmp.rows.map((r) => `${share(r)}, mean ${num(r.mean, 3)}`);
  const compact = cmp.rows.map((r) => `${Math.round((100 * r.closer) / Math.max(cmp.prompts, 1))}%`);
  const rightTexts = room - left - 28 - widest(full) >= 240 ? full : compact;
  const plotW = plotWidth(room, left + 28 + widest(rightTexts));
  const width = Math.ceil(left + plotW + 16 + widest(rightTexts) + 12);
  const top = 24;
  const [what, lessSide, moreSide] = BASELINES[cmp.baseline](iso(cmp.control ?? ""));
  // The two side labels share a line when they fit under the plot, else the right one goes below.
  const stacked = textWidth(lessSide, 11) + textWidth(moreSide, 11) + 16 > plotW;
  const height = top + cmp.rows.length * rowH + (stacked ? 54 : 40);
  const all = cmp.rows.flatMap((r) => r.values.map((v) => v.value));
  const reach = Math.max(1e-9, ...all.map(Math.abs)) * 1.08;
  const [lo, hi] = cmp.baseline === "none" ? [Math.min(0, ...all) - 0.05, Math.max(...all, 0) + 0.05] : [-reach, reach];
  const px = (v) => left + ((v - lo) / (hi - lo)) * plotW;
  const desc = `${cmp.prompts} prompts answered by every source; for each, ${what} (cosine of per-text style profiles). ${cmp.rows
    .map((r) => `${iso(r.candidate)}: above zero on ${share(r)}, mean ${num(r.mean, 3)}`)
    .join("; ")}.`;
  const note = `Each dot is one prompt: ${what}, measured on simple per-text style profiles (frequent-word rates, punctuation, layout, lengths) computed in this page. Dots right of the line are prompts on which ${cmp.baseline === "control" ? "the suspect writes more like the candidate than the control does" : "the suspect writes more like this candidate"}; the bar is their mean. ${engineNote(engine)} This chart shows how consistent the resemblance is from prompt to prompt.`;
  return figure(
    "prompts",
    `Prompt by prompt: ${cmp.baseline === "control" ? "is the suspect closer to each candidate than the control is?" : "which candidate's answer is the suspect's closest?"}`,
    desc,
    width,
    height,
    (svg) => {
      const zero = px(0);
      if (cmp.baseline !== "none") svg.append(s("line", { x1: zero, x2: zero, y1: top - 6, y2: top + cmp.rows.length * rowH, stroke: INK, "stroke-dasharray": "3 3", "stroke-opacity": 0.6 }));
      cmp.rows.forEach((r, i) => {
        const y = top + i * rowH + rowH / 2;
        svg.append(text(left - 10, y + 4, iso(r.candidate), { "text-anchor": "end", class: "name" }));
        svg.append(s("line", { x1: left, x2: left + plotW, y1: y, y2: y, stroke: INK, "stroke-opacity": 0.12 }));
        r.values.forEach((v, j) => {
          // A fixed vertical spread (golden-ratio sequence): dots at the same value stay apart, and every run draws the same picture.
          const dy = ((j * 0.618034) % 1) * 24 - 12;
          svg.append(s("circle", { cx: px(v.value), cy: y + dy, r: 2.6, fill: colors.get(r.candidate) ?? INK, "fill-opacity": 0.55, "data-source": r.candidate }, s("title", {}, `${iso(r.candidate)} · ${v.promptId}: ${num(v.value, 3)}`)));
        });
        svg.append(s("rect", { x: px(r.mean) - 1.5, y: y - 15, width: 3, height: 30, fill: INK, class: "mean" }));
        svg.append(text(left + plotW + 16, y + 4, rightTexts[i], { class: "share" }));
      });
      const axisY = top + cmp.rows.length * rowH + 18;
      const numbersY = axisY + (stacked ? 28 : 14);
      svg.append(text(left, axisY, lessSide, { "font-size": 11 }));
      svg.append(text(left + plotW, axisY + (stacked ? 14 : 0), moreSide, { "font-size": 11, "text-anchor": "end" }));
      svg.append(text(left, numbersY, num(lo, 2), { "font-size": 10 }), text(left + plotW, numbersY, num(hi, 2), { "font-size": 10, "text-anchor": "end" }));
    },
    note,
  );
}
