// The page: source slots in, report out. The engine runs in a Web Worker
// through the package's own client (`lineage/worker`, www/pkg/worker.js):
// it reads the files, counts and checks the inputs, analyses, and renders
// the Markdown export. The inputs live here and in IndexedDB (js/store.js).
// User text reaches the DOM only as text nodes, never as HTML.
import { LineageWorker } from "./pkg/worker.js";
import { dendrogramChart, heatmapChart, promptsChart, scoresChart, sourceColors } from "./js/charts.js";
import { $, h, iso, updateScrollCues } from "./js/dom.js";
import { habitsView, identityProbesView, leaksView, sideBySide } from "./js/evidence.js";
import { copySummary, exportHtml, exportJson, exportMarkdown } from "./js/export.js";
import { profileFeatures, promptComparison } from "./js/profiles.js";
import { acceptedFiles, bySource, formatOf, setRecordExtensions, splitPaste } from "./js/parse.js";
import { BIG_PASTE, checks, countsText, newSlot, preflightArgs, renderSlots, slotFamilies, slotSamples, sourceOf } from "./js/slots.js";
import { panelFamilies, panelKind, panelRoles, readPanel, savePanel } from "./js/panel.js";
import * as store from "./js/store.js";
import { rankedCandidates, verdictCard } from "./js/verdict.js";

/** Prompts compared in the prompt-by-prompt chart (the suspect's first ones that every source answered). */
const CHART_PROMPTS = 150;
/** The settings shown, each an analysis option; defaults and ranges come from the engine. */
const SETTINGS = [
  ["opt-mfw", "mostFrequentWords"],
  ["opt-char", "maxCharNgram"],
  ["opt-overlap", "overlapNgram"],
  ["opt-seed", "seed"],
];

// `settings` holds only what the user changed; the rest is the engine's defaults.
const blank = () => ({ slots: [newSlot("suspect", "suspect", true), newSlot("candidate-1", "candidate", true), newSlot("candidate-2", "candidate", true)], settings: {}, pairPasted: false, example: false });
let state = blank();
let current = null; // { report, prompts, texts, itemCounts }
let running = false;
let defaults = null; // the engine's analysisDefaults(), once it has started
let preflight = null; // the engine's counts and checks of the current inputs
let aborter = null; // cancels the running analysis

const persist = store.debounced(() => state, 300, (err) => setStatus(`Could not save the inputs in this browser: ${err?.message ?? err}`, true));
// A reload or a closed tab must not lose the last keystrokes: a pending
// save is written at once when the page is hidden or left.
addEventListener("pagehide", () => persist.flush());
document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && persist.flush());

// The inputs saved by the last visit. The page is ready (and its slots are
// shown for editing) only once they are back: an edit typed before the
// saved state arrived would be overwritten by it, and lost on the next
// reload (a loaded machine showed it: IndexedDB answered after the worker).
const restored = store
  .load()
  .then((saved) => {
    if (saved?.slots?.length) state = { ...blank(), ...saved, settings: { ...saved.settings } };
    for (const slot of state.slots) delete slot.message;
  })
  .catch((err) => setStatus(`Saved inputs could not be read: ${err?.message ?? err}`, true));

const worker = new LineageWorker();
// Files are sorted into text and records by the engine's list of formats.
const engineReady = Promise.all([
  worker.call("version"),
  worker.call("analysisDefaults"),
  worker.call("optionRanges"),
  worker.call("inputExtensions"),
  restored,
]);
engineReady.then(
  ([version, engineDefaults, ranges, extensions]) => {
    defaults = engineDefaults;
    setRecordExtensions(extensions);
    $("files-all").accept = acceptedFiles();
    for (const [id, key] of SETTINGS) {
      const range = ranges.find((r) => r.name === key);
      if (range) Object.assign($(id), { min: String(range.min), max: String(range.max) });
    }
    $("version").textContent = `Lineage ${version}`;
    document.body.dataset.engine = "ready";
    idleStatus = true;
    rerender();
  },
  (err) => setStatus(`Error: the engine did not start: ${err.message}`, true),
);

// The status line says what happened last; until something happens (or
// after it is stale) it says whether the analysis can run, and what is
// still needed: never "Ready." beside a disabled Analyse button.
let idleStatus = false;
function setStatus(message, isError = false) {
  idleStatus = false;
  $("status").textContent = message;
  $("status").classList.toggle("error", isError);
}
function showIdle(blocking) {
  if (!idleStatus) return;
  $("status").textContent = blocking ? `Not ready yet: ${blocking}` : "Ready. Press Analyse.";
  $("status").classList.remove("error");
}

/** A message about the inputs, shown where they are added (and in the status line). */
function inputsMessage(message, isError = false, slot = null) {
  $("inputs-status").textContent = message;
  $("inputs-status").classList.toggle("error", isError);
  $("inputs-status").hidden = !message;
  for (const s of state.slots) s.message = s === slot ? message : "";
  for (const s of state.slots) {
    const el = $(`${s.id}-message`);
    if (el) {
      el.textContent = s.message;
      el.classList.toggle("error", isError && s === slot);
    }
  }
  if (message) setStatus(message, isError);
}

const STALE =
  "These results are from before your last change to the sources, roles or settings: press Analyse again to bring them up to date.";
const STALE_RESTORED =
  "Your sources, roles or settings have changed since these results were made: press Analyse again to bring them up to date.";

/** Results on screen no longer match the inputs: say so until the next analysis. */
function markStale(message = STALE) {
  if (!current || $("results").hidden) return;
  if ($("stale").hidden) $("stale").textContent = message;
  $("stale").hidden = false;
  $("results").classList.add("stale");
}

// ---- inputs ---------------------------------------------------------------

/**
 * Moves a large paste (`text`, else the slot's text box) out of the text
 * box, as if it were a file. The work is split into tasks (split, then
 * redraw and count), so that megabytes never hold the page at once.
 */
async function movePasteOut(slot, text = null) {
  const fromBox = text === null;
  const pasted = fromBox ? slot.paste : text;
  if (fromBox) slot.paste = "";
  const size = (pasted.length / 1e6).toFixed(1);
  await nextTask();
  const pieces = splitPaste(pasted);
  const key = `pasted#${Date.now().toString(36)}`;
  append(slot.fileSamples, pieces.map((t, i) => (state.pairPasted ? { text: t, promptId: `pasted-${i + 1}`, file: key } : { text: t, file: key })));
  slot.files.push({ key, name: `pasted text (${size} million characters)`, added: pieces.length, malformed: 0, errors: [] });
  inputsMessage(
    `The pasted text of ${iso(sourceOf(slot, state.slots))} (${size} million characters, ${pieces.length} sample(s)) was ${fromBox ? "moved out of the text box" : "put"} into its file list: a text box that large makes typing slow.`,
    false,
    slot,
  );
  await nextTask();
  await rerender();
  persist();
}

const slotHandlers = {
  change(slot, what) {
    // The slot restyled itself; a role change needs new checks, typing
    // waits for a pause; a family changes no count or check.
    if (what === "paste" && slot.paste.length > BIG_PASTE) movePasteOut(slot);
    else if (what === "role") updateChecks();
    else if (what !== "family") checksSoon();
    markStale();
    persist();
  },
  remove(slot) {
    state.slots = state.slots.filter((s) => s !== slot);
    rerender();
    markStale();
    persist();
    $("add-slot").focus();
  },
  files: (slot, files) => addFiles([...files], slot),
  // A paste too large for a text box never enters it (the browser alone
  // would take seconds to lay it out): it goes to the file list at once.
  bigPaste(slot, text) {
    markStale();
    movePasteOut(slot, text);
  },
  removeFile(slot, index) {
    const file = slot.files[index];
    slot.files.splice(index, 1);
    slot.fileSamples = slot.fileSamples.filter((s) => s.file !== file.key);
    rerender();
    markStale();
    persist();
  },
};

/** Each slot's counts from the last preflight, by slot id. */
function slotCounts() {
  const bySource = new Map((preflight?.sources ?? []).map((c) => [c.source, c]));
  return new Map(state.slots.map((slot) => [slot.id, bySource.get(sourceOf(slot, state.slots))]));
}

/** Redraws the slots and settings; resolves once the engine's counts and checks are shown. */
function rerender() {
  renderSlots($("slots"), state, slotCounts(), slotHandlers);
  $("pair-pasted").checked = state.pairPasted;
  $("example-note").hidden = !state.example;
  for (const [id, key] of SETTINGS) $(id).value = String(state.settings[key] ?? defaults?.[key] ?? "");
  return updateChecks();
}

// Typing recounts once the keys pause, not on every key (a paste may be megabytes).
let checksTimer = null;
function checksSoon() {
  $("analyze").disabled = true;
  clearTimeout(checksTimer);
  checksTimer = setTimeout(() => updateChecks(), 150);
}

/** Asks the engine for the counts and checks of the inputs as they are now, then shows them. */
let checksAsked = 0;
async function updateChecks() {
  clearTimeout(checksTimer);
  $("analyze").disabled = true;
  const asked = ++checksAsked;
  const args = preflightArgs(state);
  // The samples are copied to the worker on this thread (megabytes take a
  // tenth of a second in Firefox): in a task of its own, not the redraw's.
  await nextTask();
  if (asked !== checksAsked) return;
  try {
    preflight = await worker.call("preflight", args);
  } catch (err) {
    if (asked !== checksAsked) return;
    preflight = null;
    // A cancelled analysis takes the queued checks with it; they are asked again.
    if (err.name === "AbortError" || running) return;
    setStatus(`The inputs could not be checked: ${err.message}`, true);
  }
  if (asked !== checksAsked) return;
  const counts = slotCounts();
  for (const slot of state.slots) {
    const el = $(`${slot.id}-counts`);
    if (el) el.textContent = countsText(counts.get(slot.id));
  }
  const list = checks(state, preflight);
  $("checks").replaceChildren(
    list.length
      ? h("ul", {}, list.map((c) => h("li", { class: c.block ? "block" : "weak" }, c.block ? "Needed: " : "Warning: ", c.text)))
      : h("p", {}, "Ready to analyse."),
  );
  const blocking = list.find((c) => c.block)?.text ?? (preflight ? null : "the inputs are being checked.");
  $("analyze").disabled = running || !defaults || !preflight || Boolean(blocking);
  $("analyze-hint").textContent = running || !blocking ? "" : `Needed first: ${blocking}`;
  if (!running && defaults) showIdle(blocking);
}

/**
 * A pasted-text file's text (a .gz is inflated first). Only UTF-8 text is
 * taken: anything else (a binary file, another encoding) would become a
 * source of garbage words.
 */
async function readTextFile(file) {
  let stream = file.stream();
  if (/\.gz$/i.test(file.name)) stream = stream.pipeThrough(new DecompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  if (bytes.includes(0)) throw new Error("it holds binary data, not text");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error("it is not UTF-8 text (a binary file, or text in another encoding)");
  }
}

/** Appends without spreading (a file may hold more records than a call takes arguments). */
function append(list, items) {
  for (const item of items) list.push(item);
}

/**
 * Reads files into slots. A file dropped on a slot (`target`) fills that
 * slot: with its one source, the source of the slot's name, or (the slot
 * being empty) its first source; its other sources go to slots of their
 * own and never take the suspect's. Files added with "Add files" fill the
 * empty slots in order, suspect first, and the page says which roles that
 * gave.
 */
async function addFiles(files, target = null) {
  const messages = [];
  let failed = false;
  await engineReady;
  const suspectSlot = state.slots.find((s) => s.role === "suspect");
  const suspectWasEmpty = !target && suspectSlot && isEmpty(suspectSlot);
  try {
    for (const file of files) {
      setStatus(`Reading ${file.name}…`);
      // A reference panel is known by its first line, whatever the file's name.
      const panel = await panelKind(file);
      if (panel) {
        const { message, failed: notLoaded } = await placePanel(file, panel === "gzip");
        messages.push(message);
        failed ||= notLoaded;
        continue;
      }
      const key = `${file.name}#${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      if (formatOf(file.name) === "txt") {
        let pieces;
        try {
          pieces = splitPaste(await readTextFile(file));
        } catch (err) {
          messages.push(`${file.name} was not added: ${err.message}. A .txt file holds answers separated by blank lines.`);
          failed = true;
          continue;
        }
        if (!pieces.length) {
          messages.push(`${file.name} was not added: it holds no text.`);
          failed = true;
          continue;
        }
        const slot = target ?? takeSlot(file.name.replace(/(\.txt)?(\.gz)?$/i, ""));
        append(slot.fileSamples, pieces.map((t) => ({ text: t, file: key })));
        slot.files.push({ key, name: file.name, added: pieces.length, malformed: 0, errors: [] });
        messages.push(`Added ${file.name}: ${pieces.length} text(s).`);
        continue;
      }
      let result;
      try {
        // The File itself goes to the worker (no copy of its text here); the engine streams it.
        result = await worker.readFile(file, { name: file.name }, { onProgress: (_, f) => setStatus(`Reading ${file.name}… ${Math.round(100 * f)}%`) });
      } catch (err) {
        // "x.jsonl is not text: …" reads "x.jsonl was not added: it is not text: …".
        const said = plain(err.message);
        messages.push(`${file.name} was not added: ${said.startsWith(`${file.name} is `) ? `it${said.slice(file.name.length)}` : said}`);
        failed = true;
        continue;
      }
      const { records, malformed, errors } = result;
      placeGroups([...bySource(records)], target, key, file.name, malformed, errors);
      const sources = new Set(records.map((r) => r.source)).size;
      messages.push(`Added ${file.name}: ${records.length} record(s) from ${sources} source(s)${malformed ? `; ${malformed} invalid line(s) skipped (listed under the source)` : ""}.`);
    }
    if (suspectWasEmpty && !isEmpty(suspectSlot)) messages.push(rolesNote());
  } finally {
    state.example = false;
    persist();
    markStale();
    inputsMessage(messages.join(" "), failed, target);
    await rerender();
  }
}

/** Puts each source's records into its slot (see addFiles). */
function placeGroups(groups, target, key, fileName, malformed, errors) {
  const targetName = target?.name.trim();
  const intoTarget = !target ? -1 : groups.length === 1 ? 0 : groups.findIndex(([source]) => source === targetName);
  const firstIntoTarget = intoTarget < 0 && target && isEmpty(target) ? 0 : intoTarget;
  groups.forEach(([source, samples], i) => {
    // One source keeps the slot's name, unless that name is the page's placeholder on an empty slot.
    const keepName = () => groups.length === 1 && !(target.placeholder && isEmpty(target));
    const slot = i === firstIntoTarget ? (keepName() ? target : rename(target, source)) : takeSlot(source, Boolean(target));
    append(slot.fileSamples, samples.map((s) => ({ ...s, file: key })));
    slot.files.push({ key, name: fileName, added: samples.length, malformed: i === 0 ? malformed : 0, errors: i === 0 ? errors : [] });
  });
}

/** Which source got which role when files filled the slots in order. */
function rolesNote() {
  const named = (role) => state.slots.filter((s) => s.role === role && !isEmpty(s)).map((s) => iso(sourceOf(s, state.slots)));
  const control = named("control");
  return `Roles were given in file order: suspect ${named("suspect").join(", ")}; candidates ${named("candidate").join(", ") || "none"}${control.length ? `; control ${control.join(", ")}` : ""}. Check them in each source's Role menu.`;
}

const isEmpty = (slot) => !slot.paste.trim() && !slot.fileSamples.length;
const rename = (slot, name) => ((slot.name = name), (slot.placeholder = false), slot);

/**
 * The slot named `name`, else the first empty slot (renamed; not the
 * suspect's when `spareSuspect`), else a new slot (a candidate, or the
 * suspect when there is none).
 */
function takeSlot(name, spareSuspect = false) {
  const named = state.slots.find((s) => s.name.trim() === name);
  if (named) return named;
  const empty = state.slots.find((s) => isEmpty(s) && !(spareSuspect && s.role === "suspect"));
  if (empty) return rename(empty, name);
  const slot = newSlot(name, state.slots.some((s) => s.role === "suspect") ? "candidate" : "suspect");
  state.slots.push(slot);
  return slot;
}

/** An engine message without the function it came from ("analyze: ", "Workspace.addFile: "). */
const plain = (message) => String(message).replace(/^(?:Workspace\.[a-zA-Z]+|[a-z][a-zA-Z]+): /, "");

/**
 * Loads a reference panel ("Load a panel…", or a panel given to "Add
 * files" or dropped: see panelKind) and says what it gave.
 */
async function loadPanel(file) {
  const { message, failed } = await placePanel(file);
  if (!failed) {
    state.example = false;
    persist();
    markStale();
  }
  inputsMessage(message, failed);
  await rerender();
}

/**
 * Reads a reference panel into slots: one slot per panel source, with the
 * role its header suggests (candidate or control) and the family it
 * records; the suspect's slot is left for the suspect's own answers. A
 * panel that was unpacked (plain JSON Lines) is gzipped again here for the
 * engine's panel reader. Resolves with `{ message, failed }`.
 */
async function placePanel(file, gzipped = true) {
  setStatus(`Reading the panel ${file.name}…`);
  let result;
  try {
    const blob = gzipped ? file : await new Response(file.stream().pipeThrough(new CompressionStream("gzip"))).blob();
    result = await readPanel(worker, blob, file.name, (_, f) => setStatus(`Reading the panel ${file.name}… ${Math.round(100 * f)}%`));
  } catch (err) {
    // The engine's message names the file (and the line) itself.
    const message = plain(err.message);
    return { message: `The panel ${message.startsWith(file.name) ? "" : `${file.name} `}was not loaded: ${message}`, failed: true };
  }
  const { records, panel } = result;
  const roles = panelRoles(panel);
  const families = panelFamilies(panel);
  const key = `${file.name}#${Date.now().toString(36)}`;
  const groups = bySource(records);
  for (const { source } of panel.sources) {
    const slot = takeSlot(source, true);
    slot.role = roles.get(source);
    // The header's family fills an empty field: what the user typed stays.
    if (families.has(source) && !slot.family?.trim()) slot.family = families.get(source);
    const samples = groups.get(source) ?? [];
    append(slot.fileSamples, samples.map((s) => ({ ...s, file: key })));
    slot.files.push({ key, name: file.name, added: samples.length, malformed: 0, errors: [] });
  }
  const named = (role) => panel.sources.filter((s) => s.role === role).map((s) => iso(s.source));
  const control = named("control");
  return {
    message: `Loaded the panel ${iso(panel.name)}: ${records.length} answers of ${panel.sources.length} models${panel.probe_set ? ` to the probe set ${iso(panel.probe_set.id)}` : ""}; candidates ${named("candidate").join(", ") || "none"}${control.length ? `, control ${control.join(", ")}` : ""}, as its header suggests. Now add the suspect's answers to the same prompts.`,
    failed: false,
  };
}

/** Saves the candidates and the control (not the suspect) as a panel file. */
async function saveAsPanel() {
  const kept = state.slots.filter((s) => (s.role === "candidate" || s.role === "control") && !isEmpty(s));
  if (!kept.length) {
    inputsMessage("There is nothing to save: a panel holds the candidates' and the control's answers.", true);
    return;
  }
  const name = $("panel-name").value.trim() || "panel";
  const samples = kept.flatMap((slot) =>
    slotSamples(slot, state.pairPasted).map(({ text, promptId, prompt, family }) => {
      const s = { source: sourceOf(slot, state.slots), text };
      if (promptId !== undefined) s.promptId = promptId;
      if (prompt !== undefined) s.prompt = prompt;
      if (family !== undefined) s.family = family;
      return s;
    }),
  );
  const roles = Object.fromEntries(kept.filter((s) => s.role === "control").map((s) => [sourceOf(s, state.slots), "control"]));
  try {
    const file = await savePanel(worker, samples, name, roles, slotFamilies(kept, state.slots));
    inputsMessage(`Saved ${samples.length} answers of ${kept.length} sources as ${file} (the suspect is not part of a panel).`);
  } catch (err) {
    inputsMessage(`The panel could not be saved: ${plain(err.message)}`, true);
  }
}

// Fetched at start-up, so that using the page later makes no request at all.
const examplePromise = fetch(new URL("./example.json", import.meta.url)).then((res) => {
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
});
examplePromise.catch(() => {});

async function loadExample() {
  const example = await examplePromise;
  const { suspect, candidates, control } = example.roles;
  const role = (name) => (name === suspect ? "suspect" : candidates.includes(name) ? "candidate" : name === control ? "control" : "ignore");
  const slots = new Map();
  for (const { source, ...sample } of example.samples) {
    if (!slots.has(source)) slots.set(source, newSlot(source, role(source)));
    slots.get(source).fileSamples.push({ ...sample, file: "example" });
  }
  for (const slot of slots.values()) slot.files.push({ key: "example", name: "example.json (illustrative)", added: slot.fileSamples.length, malformed: 0, errors: [] });
  state = { ...state, slots: [...slots.values()], example: true };
  current = null;
  $("results").hidden = true;
  rerender();
  persist();
  setStatus("Example loaded: illustrative, invented data. Press Analyse.");
}

// ---- analysis -------------------------------------------------------------

function options() {
  const active = state.slots.filter((s) => s.role !== "ignore");
  const name = (s) => s.name.trim();
  const o = {
    suspect: name(active.find((s) => s.role === "suspect")),
    candidates: active.filter((s) => s.role === "candidate").map(name),
    ...state.settings,
  };
  const control = active.find((s) => s.role === "control");
  if (control) o.control = name(control);
  const families = slotFamilies(active, state.slots);
  if (Object.keys(families).length) o.families = families;
  return o;
}

/**
 * What an analysis of the inputs as they are now sends to the engine: the
 * samples of every slot not left out, in one canonical order whatever the
 * order of the slots and of each slot's files (the engine orders its
 * inputs itself; the page's own views, the prompts the prompt-by-prompt
 * chart takes and the texts set side by side, then do not depend on it
 * either: a panel round trip reorders), and the options.
 */
function analysisInputs() {
  const active = state.slots.filter((s) => s.role !== "ignore");
  const samples = active.flatMap((slot) =>
    slotSamples(slot, state.pairPasted).map(({ text, promptId, prompt, family }) => {
      const s = { source: slot.name.trim(), text };
      if (promptId !== undefined) s.promptId = promptId;
      if (prompt !== undefined) s.prompt = prompt;
      // A record's own family field (a file's), below the slot's field.
      if (family !== undefined) s.family = family;
      return s;
    }),
  );
  samples.sort(canonically);
  return { samples, options: options() };
}

/** A fingerprint of an analysis's inputs (SHA-256 of their JSON, options' keys sorted): saved with its report. */
async function inputsHash({ samples, options: opts }) {
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v && typeof v === "object" && !Array.isArray(v) ? sorted(v) : v]));
  const bytes = new TextEncoder().encode(JSON.stringify([samples, sorted(opts)]));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The texts the side-by-side view sets against each other: source -> Map(promptId -> { text, prompt }). */
function textsOf(samples) {
  const texts = new Map();
  for (const s of samples) {
    if (s.promptId === undefined) continue;
    if (!texts.has(s.source)) texts.set(s.source, new Map());
    if (!texts.get(s.source).has(s.promptId)) texts.get(s.source).set(s.promptId, { text: s.text, prompt: s.prompt });
  }
  return texts;
}

async function analyze() {
  performance.mark("lineage:send");
  const inputs = analysisInputs();
  const { samples } = inputs;
  running = true;
  aborter = new AbortController();
  const { signal } = aborter;
  $("analyze").disabled = true;
  $("cancel").disabled = false;
  $("progress").value = 0;
  const started = performance.now();
  setStatus(`Analysing ${samples.length} samples…`);
  try {
    const onProgress = (stage, fraction) => {
      $("progress").value = 0.9 * fraction;
      setStatus(`Analysing: ${stage} (${Math.round(90 * fraction)}%)`);
    };
    const pending = worker.analyze(samples, inputs.options, { onProgress, signal });
    // They do not depend on the report: asked now, the worker computes them
    // while the analysis waits for the second worker's cross-validation.
    const profiles = chartProfiles(samples, inputs.options, signal);
    profiles.catch(() => {}); // awaited below; if the analysis fails first, its failure is the one shown
    // Main-thread costs, for bench/page_analysis.mjs (User Timing entries).
    performance.measure("lineage:send", "lineage:send");
    const report = await pending;
    const t1 = performance.now();
    setStatus("Analysing: text profiles for the prompt-by-prompt chart (90%)");
    const prompts = perPrompt(await profiles, { ...inputs.options, candidates: rankedCandidates(report).map((r) => r.candidate) });
    const items = evidenceItems(report);
    const itemCounts = await worker.call("countItems", [samples, items], { signal });
    $("cancel").disabled = true; // the worker is done; only drawing is left
    performance.mark("lineage:render");
    current = { report, prompts, texts: textsOf(samples), itemCounts };
    const seconds = (performance.now() - started) / 1000;
    await showResults();
    performance.measure("lineage:render", "lineage:render");
    // Kept for the next visit, with the fingerprint of its inputs (not awaited: the results are on screen).
    keepResults(inputs, current);
    $("progress").value = 1;
    document.body.dataset.analysisSeconds = seconds.toFixed(2);
    document.body.dataset.workerSeconds = `${((t1 - started) / 1000).toFixed(2)} ${((performance.now() - t1) / 1000).toFixed(2)}`;
    setStatus(`Done in ${seconds.toFixed(1)} s.`);
    $("verdict").focus();
  } catch (err) {
    $("progress").value = 0;
    if (err.name === "AbortError") setStatus("Cancelled. Your inputs are kept.");
    else setStatus(`The analysis stopped: ${plain(err.message)}${err.code === "INTERNAL" || err.code === "PANIC" ? ` (code ${err.code})` : ""}`, true);
  } finally {
    running = false;
    aborter = null;
    $("cancel").disabled = true;
    updateChecks();
  }
}

/** The order of `analyze`'s samples: by source, prompt id, text, prompt (code units, as the engine compares). */
function canonically(a, b) {
  const cmp = (x, y) => (x === y ? 0 : x === undefined ? -1 : y === undefined ? 1 : x < y ? -1 : 1);
  return cmp(a.source, b.source) || cmp(a.promptId === undefined ? undefined : String(a.promptId), b.promptId === undefined ? undefined : String(b.promptId)) || cmp(a.text, b.text) || cmp(a.prompt, b.prompt) || cmp(a.family, b.family);
}

/** Saves the results on screen with the fingerprint of their inputs (store.saveResults). */
async function keepResults(inputs, { report, prompts, itemCounts }) {
  try {
    await store.saveResults({ report, prompts, itemCounts, hash: await inputsHash(inputs), savedAt: Date.now() });
  } catch {
    // No storage (a private mode, the quota): the results are on screen, and only there.
  }
}

/**
 * Shows the results kept from the last analysis again (after a reload),
 * saying when they were made and whether the inputs changed since.
 */
async function restoreResults() {
  const saved = await store.loadResults().catch(() => null);
  if (!saved?.report || current || running) return;
  const inputs = analysisInputs();
  const same = (await inputsHash(inputs).catch(() => null)) === saved.hash;
  if (current || running) return;
  current = { report: saved.report, prompts: saved.prompts ?? null, texts: textsOf(inputs.samples), itemCounts: saved.itemCounts ?? null };
  await showResults();
  const when = new Date(saved.savedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
  $("restored").textContent = `These results were kept in this browser from your last analysis (${when}).`;
  $("restored").hidden = false;
  if (!same) markStale(STALE_RESTORED);
}

/** The words and phrases the report lists as shared habits, case-folded. */
function evidenceItems(report) {
  const items = new Set();
  for (const sig of report.signals) {
    for (const e of sig.evidence) {
      if (e.kind === "word") items.add(e.word.toLowerCase());
      else if (e.kind === "shared_habit") items.add(e.item.toLowerCase());
    }
  }
  return [...items];
}

/**
 * The features of the engine's `profile()` of every answer the
 * prompt-by-prompt chart compares: the first CHART_PROMPTS prompts the
 * suspect, the control and every candidate answered. Asked when the
 * analysis starts: the worker answers them while the analysis waits for
 * its cross-validation (and after it, when that wait is short). Null when
 * the sources share fewer than two prompts.
 */
async function chartProfiles(samples, { suspect, control, candidates }, signal) {
  const sources = [suspect, ...(control ? [control] : []), ...candidates];
  const answers = new Map(sources.map((src) => [src, new Map()]));
  for (const s of samples) {
    const mine = answers.get(s.source);
    if (mine && s.promptId !== undefined && !mine.has(s.promptId)) mine.set(s.promptId, s.text);
  }
  const prompts = [...answers.get(suspect).keys()].filter((p) => sources.every((src) => answers.get(src).has(p))).slice(0, CHART_PROMPTS);
  if (prompts.length < 2) return null;
  const options = { maxCharNgram: 0, topK: 60 };
  const bySource = await Promise.all(
    sources.map(async (src) => {
      const profiles = await Promise.all(prompts.map((p) => worker.call("profile", [answers.get(src).get(p), options], { signal })));
      return [src, new Map(prompts.map((p, i) => [p, profileFeatures(profiles[i])]))];
    }),
  );
  return new Map(bySource);
}

/**
 * The prompt-by-prompt comparison (profiles.js promptComparison) of the
 * chart's profiles (`chartProfiles`), the candidates in the report's
 * order; null without profiles.
 */
function perPrompt(bySource, { suspect, control, candidates }) {
  if (!bySource) return null;
  const sources = [suspect, ...(control ? [control] : []), ...candidates];
  const features = new Map(sources.map((src) => [src, bySource.get(src)]));
  return { ...promptComparison(features, { suspect, control, candidates }), control: control ?? null };
}

/** Lets the browser paint and handle input between rendering steps. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The four charts of the results on screen, each a function drawing it
 * for the width the charts have now (a phone's is narrow: plots narrow to
 * fit, and they are drawn again when that width changes).
 */
function chartSteps() {
  const { report, prompts } = current;
  const colors = sourceColors(report.kinship.sources);
  const room = $("charts").clientWidth || Infinity;
  return [
    () => scoresChart(report, colors, room),
    () => heatmapChart(report.kinship),
    () => {
      try {
        return dendrogramChart(report.kinship.newick, colors, room);
      } catch (err) {
        return h("p", { class: "error" }, `The family tree could not be drawn: ${err.message}`);
      }
    },
    () =>
      prompts
        ? promptsChart(prompts, colors, room, { ranked: report.verdict.rankedSignals, tested: report.parameters.signals })
        : h("p", { id: "chart-prompts-none", class: "chart-note" }, "No prompt-by-prompt chart: the suspect, the control and the candidates answered fewer than two prompts in common (give samples prompt ids to pair their answers)."),
  ];
}

/** Renders the results in steps, each its own task, so none blocks the page for long. */
async function showResults() {
  const { report, texts, itemCounts } = current;
  $("stale").hidden = true;
  $("restored").hidden = true;
  $("results").classList.remove("stale");
  const illustrative = state.example ? h("p", { class: "note", id: "verdict-example" }, "These results come from the illustrative example: invented texts, not real models.") : null;
  $("verdict").replaceChildren(...[illustrative, ...verdictCard(report)].filter(Boolean));
  $("results").hidden = false;
  const steps = chartSteps();
  chartsWidth = $("charts").clientWidth;
  drawing = report;
  $("charts").replaceChildren();
  $("habits").replaceChildren();
  $("leaks").replaceChildren();
  $("identity-probes").replaceChildren();
  $("sbs").replaceChildren();
  for (const step of steps) {
    await nextTask();
    if (current?.report !== report) return;
    $("charts").append(step());
  }
  drawing = null;
  if ($("charts").clientWidth !== chartsWidth) redrawCharts();
  await nextTask();
  $("habits").replaceChildren(habitsView(report, itemCounts));
  $("leaks").replaceChildren(leaksView(report));
  $("identity-probes").replaceChildren(identityProbesView(report));
  // Measured in the next frame, once the browser lays the page out anyway.
  requestAnimationFrame(() => updateScrollCues($("results")));
  await nextTask();
  sideBySide($("sbs"), report, texts, (a, b) => worker.call("sharedSpans", [a, b, { minWords: report.parameters.overlapNgram }]));
}

// The charts are drawn for the width they have: when it changes (a window
// resized, a phone turned), they are drawn again, and every sideways
// scroller's cue follows.
let chartsWidth = 0;
let drawing = null; // the report whose charts showResults is drawing
let resizeTimer = null;
function redrawCharts() {
  const results = $("results");
  if (!current || results.hidden || drawing === current.report) return;
  const width = $("charts").clientWidth;
  if (width !== chartsWidth) {
    chartsWidth = width;
    // Focus on a chart's box stays on the same chart's new box.
    const focused = document.activeElement?.closest?.("#charts figure")?.id;
    $("charts").replaceChildren(...chartSteps().map((step) => step()));
    if (focused) document.querySelector(`#${focused} .chart-scroll`)?.focus();
  }
  requestAnimationFrame(() => updateScrollCues(results));
}
addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(redrawCharts, 120);
});

// ---- wiring ---------------------------------------------------------------

$("example").addEventListener("click", () => loadExample().catch((err) => setStatus(`The example could not be loaded: ${err.message}`, true)));
$("add-slot").addEventListener("click", () => {
  state.slots.push(newSlot(`source-${state.slots.length + 1}`, "candidate", true));
  rerender();
  markStale();
  persist();
  $(`${state.slots[state.slots.length - 1].id}-name`).focus();
});
$("panel-file").addEventListener("change", (e) => {
  const [file] = e.target.files;
  e.target.value = "";
  if (file) loadPanel(file);
});
$("save-panel").addEventListener("click", () => {
  const form = $("save-panel-form");
  form.hidden = !form.hidden;
  $("save-panel").setAttribute("aria-expanded", String(!form.hidden));
  if (!form.hidden) $("panel-name").focus();
});
$("save-panel-go").addEventListener("click", saveAsPanel);
$("files-all").addEventListener("change", (e) => {
  addFiles([...e.target.files]);
  e.target.value = "";
});
$("clear-all").addEventListener("click", async () => {
  if (!confirm("Remove every source, text and file from this page and from the browser's storage?")) return;
  await store.clear().catch(() => {});
  state = blank();
  current = null;
  $("results").hidden = true;
  inputsMessage("");
  rerender();
  setStatus("Cleared.");
});
$("pair-pasted").addEventListener("change", (e) => {
  state.pairPasted = e.target.checked;
  updateChecks();
  markStale();
  persist();
});
for (const [id, key] of SETTINGS) {
  $(id).addEventListener("change", (e) => {
    const v = Number(e.target.value);
    const min = Number(e.target.min);
    const max = Number(e.target.max);
    if (!Number.isInteger(v) || v < min || v > max) {
      const kept = state.settings[key] ?? defaults?.[key];
      setStatus(`${e.target.labels[0].textContent} must be a whole number from ${min} to ${max}; kept ${kept}.`, true);
      e.target.value = String(kept);
      return;
    }
    state.settings[key] = v;
    markStale();
    persist();
  });
}
$("reset-settings").addEventListener("click", () => {
  state.settings = {};
  rerender();
  markStale();
  persist();
});
$("analyze").addEventListener("click", analyze);
$("cancel").addEventListener("click", () => {
  aborter?.abort();
  $("analyze").focus();
});
$("export-json").addEventListener("click", () => current && exportJson(current.report));
/** An export the engine renders in the worker (`reportMarkdown`, `reportHtml`, as the CLI's --format md / html), saved by `save`. */
const engineExport = (method, save, what) => async () => {
  if (!current) return;
  try {
    save(await worker.call(method, [current.report]));
  } catch (err) {
    setStatus(`The ${what} export failed: ${err.message}`, true);
  }
};
$("export-md").addEventListener("click", engineExport("reportMarkdown", exportMarkdown, "Markdown"));
$("export-html").addEventListener("click", engineExport("reportHtml", exportHtml, "HTML"));
$("copy-summary").addEventListener("click", async () => {
  if (!current) return;
  setStatus((await copySummary(current.report)) ? "Summary copied to the clipboard." : "The browser refused the clipboard; use Export Markdown instead.", false);
});
// A file dropped anywhere outside a slot must not replace the page.
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => {
  e.preventDefault();
  if (e.dataTransfer?.files?.length) addFiles([...e.dataTransfer.files]);
});

restored.finally(() => {
  rerender();
  restoreResults();
});
