// The four charts, drawn as SVG with createElementNS (user-supplied names
// enter as text nodes). Each is a <figure> with role="img", <title> and
// <desc>, and a button that saves the SVG as a file.
import { download, h, num, s } from "./dom.js";

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
const INK = "currentColor";
const FONT = { "font-family": "system-ui, sans-serif", "font-size": 12 };

let uid = 0;

/** A <figure> holding an accessible SVG and its "Download SVG" button. */
function figure(key, title, desc, width, height, draw) {
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
    h("div", { class: "chart-scroll" }, svg),
    h("figcaption", {}, title, " ", h("button", { type: "button", class: "small", onclick: save }, `Download SVG (${key})`)),
  );
}

const text = (x, y, str, attrs = {}) => s("text", { x, y, fill: INK, ...attrs }, str);

/** Per-candidate scores with intervals, one panel per signal (and the combined ranking first). */
export function scoresChart(report) {
  const candidates = report.verdict.ranking.map((r) => r.candidate);
  const panels = [
    { name: "combined", rows: report.verdict.ranking.map((r) => ({ candidate: r.candidate, score: r.score, low: r.low, high: r.high })) },
    ...report.signals.filter((sig) => sig.scores.length).map((sig) => ({ name: sig.name, rows: sig.scores })),
  ];
  const rowH = 18;
  const left = 170;
  const plotW = 380;
  const width = left + plotW + 90;
  const heights = panels.map((p) => 26 + p.rows.length * rowH + 10);
  const height = heights.reduce((a, b) => a + b, 0) + 10;
  const desc = panels
    .map((p) => `${p.name}: ${p.rows.map((r) => `${r.candidate} ${num(r.score)} [${num(r.low)}, ${num(r.high)}]`).join("; ")}`)
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
      svg.append(text(4, y + 14, p.name, { "font-weight": "bold" }), text(left + plotW + 6, y + 14, "score", { "font-size": 10 }));
      svg.append(s("line", { x1: left, x2: left + plotW, y1: y + 20, y2: y + 20, stroke: INK, "stroke-opacity": 0.3 }));
      svg.append(text(left, y + 14, num(lo + 0, 2), { "font-size": 10 }), text(left + plotW, y + 14, num(hi, 2), { "font-size": 10, "text-anchor": "end" }));
      p.rows.forEach((r, i) => {
        const cy = y + 26 + i * rowH + rowH / 2;
        const color = PALETTE[candidates.indexOf(r.candidate) % PALETTE.length] ?? INK;
        const g = s("g", {}, s("title", {}, `${p.name} · ${r.candidate}: ${num(r.score)} [${num(r.low)}, ${num(r.high)}]`));
        g.append(text(14, cy + 4, r.candidate));
        if (Number.isFinite(r.low) && Number.isFinite(r.high)) {
          g.append(s("line", { x1: x(r.low), x2: x(r.high), y1: cy, y2: cy, stroke: color, "stroke-width": 2 }));
        }
        if (Number.isFinite(r.score)) g.append(s("circle", { cx: x(r.score), cy, r: 4.5, fill: color }));
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
  const left = 150;
  const top = 120;
  const width = left + n * cell + 20;
  const height = top + n * cell + 40;
  const off = kinship.similarity.flatMap((row, i) => row.filter((_, j) => j !== i));
  const lo = off.length ? Math.min(...off) : 0;
  const hi = off.length ? Math.max(...off) : 1;
  const desc = names.map((a, i) => `${a}: ${names.map((b, j) => (i === j ? null : `${b} ${num(kinship.similarity[i][j], 2)}`)).filter(Boolean).join(", ")}`).join(". ");
  return figure("kinship", "Kinship heatmap: how alike each pair of sources writes (darker = more alike)", desc, width, height, (svg) => {
    names.forEach((name, i) => {
      svg.append(text(left - 6, top + i * cell + cell / 2 + 4, name, { "text-anchor": "end" }));
      svg.append(text(left + i * cell + cell / 2, top - 6, name, { transform: `rotate(-45 ${left + i * cell + cell / 2} ${top - 6})` }));
      names.forEach((other, j) => {
        const v = kinship.similarity[i][j];
        const fill = i === j ? "#9e9e9e" : heat(v, lo, hi);
        const t = i === j || !(hi > lo) ? 0 : (v - lo) / (hi - lo);
        svg.append(
          s(
            "g",
            {},
            s("title", {}, `${name} · ${other}: ${num(v, 3)}`),
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
    svg.append(text(left, top + n * cell + 24, `Off-diagonal range ${num(lo, 3)} (pale) to ${num(hi, 3)} (dark).`, { "font-size": 11 }));
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
export function dendrogramChart(newick) {
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
  const plotW = 360;
  const width = left + plotW + 190;
  const height = leaves.length * rowH + 50;
  const x = (d) => left + (maxDepth > 0 ? d / maxDepth : 0) * plotW;
  const y = (row) => 20 + row * rowH;
  const groups = [];
  const describe = (n) => (n.children.length ? `(${n.children.map(describe).join(", ")})` : n.name);
  groups.push(describe(root));
  return figure("tree", "Family tree: sources joined by how alike they write (shorter joins = closer)", `Grouping: ${groups[0]}`, width, height, (svg) => {
    const draw = (n) => {
      if (!n.children.length) {
        svg.append(text(x(n.depth) + 6, y(n.row) + 4, n.name));
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

/** PCA scatter of per-text profiles, coloured by source. */
export function scatterChart(pca, sources) {
  const size = 380;
  const left = 40;
  const width = left + size + 200;
  const height = size + 60;
  const xs = pca.points.map((p) => p.x);
  const ys = pca.points.map((p) => p.y);
  const span = (v) => {
    const lo = Math.min(...v, 0);
    const hi = Math.max(...v, 0);
    return [lo, hi > lo ? hi : lo + 1];
  };
  const [x0, x1] = span(xs);
  const [y0, y1] = span(ys);
  const px = (v) => left + ((v - x0) / (x1 - x0)) * size;
  const py = (v) => 10 + size - ((v - y0) / (y1 - y0)) * size;
  const color = (src) => PALETTE[Math.max(sources.indexOf(src), 0) % PALETTE.length];
  const counts = new Map();
  for (const p of pca.points) counts.set(p.source, (counts.get(p.source) ?? 0) + 1);
  const desc = `${pca.points.length} texts (up to ${pca.perSource} per source) projected on the first two principal components of their style profiles, which explain ${num(100 * pca.explained[0], 1)}% and ${num(100 * pca.explained[1], 1)}% of the variance. ${[...counts].map(([k, v]) => `${k}: ${v} texts`).join(", ")}.`;
  return figure("pca", "Texts by style (PCA of per-text profiles), coloured by source", desc, width, height, (svg) => {
    svg.append(s("rect", { x: left, y: 10, width: size, height: size, fill: "none", stroke: INK, "stroke-opacity": 0.3 }));
    for (const p of pca.points) {
      svg.append(
        s("circle", { cx: px(p.x), cy: py(p.y), r: 3.2, fill: color(p.source), "fill-opacity": 0.75 }, s("title", {}, `${p.source}${p.promptId ? ` · ${p.promptId}` : ""}`)),
      );
    }
    svg.append(text(left + size / 2, size + 32, `PC1 (${num(100 * pca.explained[0], 1)}%)`, { "text-anchor": "middle", "font-size": 11 }));
    svg.append(text(12, 10 + size / 2, `PC2 (${num(100 * pca.explained[1], 1)}%)`, { "font-size": 11, transform: `rotate(-90 12 ${10 + size / 2})`, "text-anchor": "middle" }));
    [...counts.keys()].forEach((src, i) => {
      svg.append(s("circle", { cx: left + size + 20, cy: 20 + i * 20, r: 5, fill: color(src) }), text(left + size + 32, 24 + i * 20, src));
    });
  });
}
