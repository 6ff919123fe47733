// Source slots: each has a name, a role, an optional vendor family and
// samples from a paste and/or files. This module owns the slot model (pure
// functions) and its DOM; the counts and the data checks come from the
// engine (`preflight`).
import { h } from "./dom.js";
import { acceptedFiles, splitPaste } from "./parse.js";

/**
 * Pastes longer than this many characters leave the text box for the
 * slot's file list: a browser edits a text box of megabytes slowly (over a
 * second per key for 3 MB), so it must not stay in one.
 */
export const BIG_PASTE = 256 * 1024;

/** [value, option label, what it means]: labels short enough for a narrow select. */
export const ROLES = [
  ["suspect", "Suspect", "the model in question"],
  ["candidate", "Candidate", "a possible teacher"],
  ["control", "Control", "shares the suspect's base model, not trained on a candidate (optional)"],
  ["ignore", "Leave out", "not analysed"],
];
const roleMeaning = (role) => ROLES.find(([v]) => v === role)?.[2] ?? "";

let counter = 0;
/**
 * A new, empty slot. A `placeholder` name ("suspect", "candidate-1") is the
 * page's, not the user's: a one-source file dropped on the empty slot
 * names it after its source; typing a name makes it the user's.
 */
export function newSlot(name, role, placeholder = false) {
  return { id: `s${Date.now().toString(36)}${(counter++).toString(36)}`, name, role, placeholder, family: "", paste: "", fileSamples: [], files: [] };
}

/**
 * The families typed in the slots, as the analysis options' `families`
 * (source → family): the user's word, over the records' and the engine's
 * built-in table of well-known names. Slots saved before the field
 * existed have no `family`.
 */
export function slotFamilies(slots, all = slots) {
  const typed = slots.filter((s) => s.family?.trim()).map((s) => [sourceOf(s, all), s.family.trim()]);
  return Object.fromEntries(typed);
}

/** The samples of a slot: the paste's pieces (paired by position if asked), then the files' records. */
export function slotSamples(slot, pairPasted) {
  const pasted = splitPaste(slot.paste).map((text, i) => (pairPasted ? { text, promptId: `pasted-${i + 1}` } : { text }));
  return [...pasted, ...slot.fileSamples];
}

/**
 * The source name a slot's samples carry. An unnamed slot gets a label
 * from its place among `slots` (all of them), as its box is titled
 * ("source 3 (unnamed)"), so that it is still counted and the engine's
 * warnings name it in words a reader can find, never an internal id.
 */
export const sourceOf = (slot, slots) => slot.name.trim() || `source ${slots.indexOf(slot) + 1} (unnamed)`;

/** Every slot's samples as engine samples, and the roles chosen so far: the arguments of `preflight`. */
export function preflightArgs(state) {
  const samples = state.slots.flatMap((slot) => slotSamples(slot, state.pairPasted).map(({ text, promptId, prompt }) => ({ source: sourceOf(slot, state.slots), text, promptId, prompt })));
  const by = (role) => state.slots.filter((s) => s.role === role).map((s) => sourceOf(s, state.slots));
  return [samples, { suspect: by("suspect")[0], candidates: by("candidate"), control: by("control")[0] }];
}

/** Problems that block the analysis ({ block: true }) or weaken it ({ block: false }, the engine's checks). */
export function checks(state, preflight) {
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
  const counted = new Set(preflight?.sources.map((c) => c.source));
  for (const s of active) if (preflight && !counted.has(sourceOf(s, state.slots))) out.push({ block: true, text: `${sourceOf(s, state.slots)} has no samples yet.` });
  // The engine's checks: warnings, or (too_large) reasons it would refuse the inputs.
  for (const c of preflight?.checks ?? []) out.push({ block: c.blocking, text: `${c.message}.` });
  return out;
}

/**
 * Renders every slot into `container`. `on` has: change(slot, what), remove(slot),
 * files(slot, FileList), removeFile(slot, index), bigPaste(slot, text).
 */
export function renderSlots(container, state, counts, on) {
  // Redrawing must not lose the keyboard focus: the element with the same
  // id (ids are per slot and stable) takes it back, with its selection.
  const active = document.activeElement;
  const focused = container.contains(active) ? active.id : null;
  const selection = focused && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
  container.replaceChildren(...state.slots.map((slot, i) => slotView(slot, i, counts.get(slot.id), state.slots.length, on)));
  const again = focused && document.getElementById(focused);
  if (again) {
    again.focus();
    if (selection) again.setSelectionRange(...selection);
  }
}

/** The class of a slot's box, from its role. */
const slotClass = (slot) => `slot role-${slot.role}`;

function slotView(slot, i, count, total, on) {
  const id = (what) => `${slot.id}-${what}`;
  // A role change restyles this box in place: no redraw, so the select
  // keeps the focus while the arrow keys step through the roles.
  const roleHint = h("span", { class: "hint role-hint", id: id("role-hint") }, roleMeaning(slot.role));
  const role = h(
    "select",
    {
      id: id("role"),
      "aria-describedby": id("role-hint"),
      onchange: (e) => {
        slot.role = e.target.value;
        e.target.closest("fieldset").className = slotClass(slot);
        roleHint.textContent = roleMeaning(slot.role);
        on.change(slot, "role");
      },
    },
    ROLES.map(([value, label]) => h("option", { value, selected: slot.role === value }, label)),
  );
  const fileInput = h("input", {
    type: "file",
    id: id("file"),
    class: "file-input",
    multiple: true,
    accept: acceptedFiles(),
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
        ? h("ul", { class: "line-errors", tabindex: 0, "aria-label": `Invalid lines of ${f.name}` }, f.errors.map((e) => h("li", {}, `${/\.json$/i.test(f.name) ? "record" : "line"} ${e.line}: ${e.message}`)))
        : null,
    ),
  );
  const fieldset = h(
    "fieldset",
    { class: slotClass(slot), "data-slot": slot.id },
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
        oninput: (e) => ((slot.name = e.target.value), (slot.placeholder = false), on.change(slot, "name")),
      }),
      h("label", { for: id("role") }, "Role"),
      role,
      h("span", {}),
      roleHint,
      h("label", { for: id("family") }, "Family (vendor)"),
      h("input", {
        id: id("family"),
        class: "slot-family",
        value: slot.family ?? "",
        autocomplete: "off",
        spellcheck: "false",
        placeholder: "e.g. openai",
        "aria-describedby": "family-help",
        oninput: (e) => ((slot.family = e.target.value), on.change(slot, "family")),
      }),
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
      onpaste: (e) => {
        const text = e.clipboardData?.getData("text/plain") ?? "";
        if (text.length <= BIG_PASTE) return;
        e.preventDefault();
        on.bigPaste(slot, text);
      },
    }),
    h(
      "div",
      { class: "slot-files" },
      fileInput,
      h("label", { for: id("file"), class: "button" }, "Choose files…"),
      h("span", { class: "hint" }, " or drop .txt, .jsonl, .json or .csv files (or .gz) on this box"),
    ),
    files.length ? h("ul", { class: "file-list" }, files) : null,
    h("p", { class: "slot-message", id: id("message"), role: "status" }, slot.message ?? ""),
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

/** A slot's counts from the engine (a slot without samples has none). */
export function countsText(c) {
  const { samples, words, paired } = c ?? { samples: 0, words: 0, paired: 0 };
  // Thousands grouped ("86,401 words"): a count of a real data set is read at a glance.
  const n = (x) => x.toLocaleString("en");
  return `${n(samples)} sample(s) · ${n(words)} words · ${n(paired)} paired prompt(s)`;
}
