// Building DOM from data. User text only ever enters as text nodes
// (textContent / createTextNode), never as markup.

const SVG = "http://www.w3.org/2000/svg";

/** h("p", { class: "x", onclick: f }, "text", child, ...) */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

// Set as properties: a textarea's value, a checkbox's state, …
const PROPS = new Set(["value", "checked", "selected", "disabled", "hidden", "multiple"]);

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

/**
 * A user-supplied name set apart for the bidirectional algorithm (U+2068
 * FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE): right-to-left
 * letters or an override character in a source name then cannot reorder
 * the numbers and words around it ("−1.88" shown as "1.88−"). Works in
 * HTML text, SVG text and plain text alike.
 */
export const iso = (name) => `\u2068${name}\u2069`;

let measurer = null;
/** The width in CSS pixels of `str` in the charts' font at `size` px. */
export function textWidth(str, size = 12) {
  measurer ??= document.createElement("canvas").getContext("2d");
  measurer.font = `${size}px system-ui, sans-serif`;
  return measurer.measureText(String(str)).width;
}

/** A number for people: fixed digits, a true minus sign. */
export function num(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  return (Number.isInteger(x) && digits === 0 ? String(x) : x.toFixed(digits)).replace(/^-/, "−");
}

/** Saves a Blob under a file name through a temporary link. */
export function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The hint beside a box that scrolls sideways, shown while there is more to see (see updateScrollCues). */
export const scrollHint = () => h("p", { class: "scroll-hint", hidden: true }, "Scroll sideways for the rest →");

/**
 * Shows or hides the cue of every sideways-scrolling box under `root`
 * (`.chart-scroll`, `.table-scroll`): the hint that follows it (`.scroll-hint`)
 * while its content is wider than the box, and an edge shadow on the side
 * where more is hidden (classes `more-left`, `more-right`). The boxes are
 * focusable, so the arrow keys scroll them.
 */
export function updateScrollCues(root) {
  for (const box of root.querySelectorAll(".chart-scroll, .table-scroll")) {
    const overflow = box.scrollWidth - box.clientWidth > 1;
    const hint = box.nextElementSibling?.classList.contains("scroll-hint") ? box.nextElementSibling : null;
    if (hint) hint.hidden = !overflow;
    box.classList.toggle("more-left", overflow && box.scrollLeft > 1);
    box.classList.toggle("more-right", overflow && box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
    if (!box.dataset.cued) {
      box.dataset.cued = "true";
      box.addEventListener("scroll", () => updateScrollCues(box.parentElement), { passive: true });
    }
  }
}
