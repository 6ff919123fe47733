// Source slots: each has a name, a role and samples from a paste and/or
// files. This module owns the slot model (pure functions) and its DOM.
import { h, num } from "./dom.js";
import { countWords, splitPaste } from "./parse.js";

export const ROLES = [
  ["suspect", "Suspect (the model in question)"],
  ["candidate", "Candidate (a possible teacher)"],
  ["control", "Control (known unrelated, optional)"],
  ["ignore", "Leave out"],
];

let counter = 0;
/** A new, empty slot. */
export function newSlot(name, role) {
  return { id: `s${Date.now().toString(36)}${(counter++).toString(36)}`, name, role, paste: "", fileSamples: [], files: [] };
}

/** The samples of a slot: the paste's pieces (paired by position if asked), then the files' records. */
export function slotSamples(slot, pairPasted) {
  const pasted = splitPaste(slot.paste).map((text, i) => (pairPasted ? { text, promptId: `pasted-${i + 1}` } : { text }));
  return [...pasted, ...slot.fileSamples];
}

const median = (xs) => {
  if (!xs.length) return 0;
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

/** Counts per slot: { samples, words, medianWords, paired } (paired = prompts shared with the suspect). */
export function slotCounts(state) {
  const samples = new Map(state.slots.map((s) => [s.id, slotSamples(s, state.pairPasted)]));
  const ids = (id) => new Set(samples.get(id).map((x) => x.promptId).filter((p) => p !== undefined));
  const suspect = state.slots.find((s) => s.role === "suspect");
  const suspectIds = suspect ? ids(suspect.id) : new Set();
  const others = state.slots.filter((s) => s.role === "candidate" || s.role === "control");
  const counts = new Map();
  for (const slot of state.slots) {
    const list = samples.get(slot.id);
    // File samples carry their word count (counted once, when added).
    const words = list.map((x) => x.words ?? countWords(x.text));
    let paired = 0;
    if (slot === suspect) {
      // Prompts every candidate and control also answered.
      const sets = others.map((o) => ids(o.id));
      for (const p of suspectIds) if (sets.length && sets.every((s) => s.has(p))) paired++;
    } else {
      for (const p of ids(slot.id)) if (suspectIds.has(p)) paired++;
    }
    counts.set(slot.id, { samples: list.length, words: words.reduce((a, b) => a + b, 0), medianWords: median(words), paired });
  }
  return counts;
}

/** Problems that block the analysis ({ block: true }) or weaken it, before it runs. */
export function checks(state, counts) {
  const out = [];
  const active = state.slots.filter((s) => s.role !== "ignore");
  const by = (role) => active.filter((s) => s.role === role);
  const names = new Map();
  for (const s of active) {
    const name = s.name.trim();
    if (!name) out.push({ block: true, text: "Every source needs a name." });
    else if (names.has(name)) out.push({ block: true, text: `Two sources are named "${name}"; names must differ.` });
    names.set(name, true);
  }
  if (by("suspect").length !== 1) out.push({ block: true, text: `Choose exactly one suspect (now ${by("suspect").length}).` });
  if (by("candidate").length < 2) out.push({ block: true, text: `Choose at least two candidates (now ${by("candidate").length}).` });
  if (by("control").length > 1) out.push({ block: true, text: "Choose at most one control." });
  for (const s of active) {
    const c = counts.get(s.id);
    const label = s.name.trim() || "a source";
    if (c.samples === 0) out.push({ block: true, text: `${label} has no samples yet.` });
    else if (c.samples < 10) out.push({ block: false, text: `${label}: only ${c.samples} sample(s); 30 or more give steadier results.` });
    if (c.samples > 0 && c.medianWords < 50) out.push({ block: false, text: `${label}: very short texts (median ${num(c.medianWords, 0)} words); style shows better in 100+ words.` });
  }
  const suspect = by("suspect")[0];
  if (suspect && counts.get(suspect.id).samples > 0 && counts.get(suspect.id).paired < 10) {
    out.push({
      block: false,
      text: "Unpaired design: fewer than 10 prompts were answered by every source, so differences in topic cannot be ruled out. Give samples prompt ids (JSONL/CSV) or tick the pairing box for pastes.",
    });
  }
  return out;
}

/**
 * Renders every slot into `container`. `on` has: change(slot, what), remove(slot),
 * files(slot, FileList), removeFile(slot, index).
 */
export function renderSlots(container, state, counts, on) {
  container.replaceChildren(...state.slots.map((slot, i) => slotView(slot, i, counts.get(slot.id), state.slots.length, on)));
}

function slotView(slot, i, count, total, on) {
  const id = (what) => `${slot.id}-${what}`;
  const role = h(
    "select",
    { id: id("role"), onchange: (e) => ((slot.role = e.target.value), on.change(slot, "role")) },
    ROLES.map(([value, label]) => h("option", { value, selected: slot.role === value }, label)),
  );
  const fileInput = h("input", {
    type: "file",
    id: id("file"),
    class: "file-input",
    multiple: true,
    accept: ".txt,.jsonl,.ndjson,.json,.csv,text/plain,text/csv,application/json",
    onchange: (e) => {
      on.files(slot, e.target.files);
      e.target.value = "";
    },
  });
  const files = slot.files.map((f, k) =>
    h(
      "li",
      {},
      `${f.name}: ${f.added} record(s)${f.malformed ? `, ${f.malformed} invalid line(s) skipped` : ""} `,
      h("button", { type: "button", class: "small", onclick: () => on.removeFile(slot, k), "aria-label": `Remove ${f.name}` }, "Remove"),
      f.errors?.length
        ? h("ul", { class: "line-errors" }, f.errors.map((e) => h("li", {}, `${e.label ?? `line ${e.line}`}: ${e.message}`)))
        : null,
    ),
  );
  const fieldset = h(
    "fieldset",
    { class: `slot role-${slot.role}`, "data-slot": slot.id },
    h("legend", {}, `Source ${i + 1}`),
    h(
      "div",
      { class: "slot-head" },
      h("label", { for: id("name") }, "Name"),
      h("input", {
        id: id("name"),
        class: "slot-name",
        value: slot.name,
        autocomplete: "off",
        oninput: (e) => ((slot.name = e.target.value), on.change(slot, "name")),
      }),
      h("label", { for: id("role") }, "Role"),
      role,
    ),
    h("label", { for: id("paste") }, "Paste samples"),
    h("textarea", {
      id: id("paste"),
      class: "slot-paste",
      rows: 5,
      spellcheck: "false",
      "aria-describedby": "paste-help",
      placeholder: "One answer, or several separated by a blank line (or by a line holding only %%%)",
      value: slot.paste,
      oninput: (e) => ((slot.paste = e.target.value), on.change(slot, "paste")),
    }),
    h(
      "div",
      { class: "slot-files" },
      fileInput,
      h("label", { for: id("file"), class: "button" }, "Choose files…"),
      h("span", { class: "hint" }, " or drop .txt, .jsonl, .json or .csv files on this box"),
    ),
    files.length ? h("ul", { class: "file-list" }, files) : null,
    h("p", { class: "slot-counts", id: id("counts"), "aria-live": "polite" }, countsText(count)),
    total > 1
      ? h("button", { type: "button", class: "small remove-slot", onclick: () => on.remove(slot) }, `Remove source ${i + 1}`)
      : null,
  );
  fieldset.addEventListener("dragover", (e) => {
    e.preventDefault();
    fieldset.classList.add("dragging");
  });
  fieldset.addEventListener("dragleave", () => fieldset.classList.remove("dragging"));
  fieldset.addEventListener("drop", (e) => {
    e.preventDefault();
    e.stopPropagation();
    fieldset.classList.remove("dragging");
    if (e.dataTransfer?.files?.length) on.files(slot, e.dataTransfer.files);
  });
  return fieldset;
}

export function countsText(c) {
  return `${c.samples} sample(s) · ${c.words} words · ${c.paired} paired prompt(s)`;
}
