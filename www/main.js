// The page: source slots in, report out. The engine runs in a Web Worker
// (js/engine.js); the inputs live here and in IndexedDB (js/store.js).
// User text reaches the DOM only as text nodes, never as HTML.
import { scatterChart, dendrogramChart, heatmapChart, scoresChart } from "./js/charts.js";
import { $, h } from "./js/dom.js";
import { Engine } from "./js/engine.js";
import { habitsView, leaksView, sideBySide } from "./js/evidence.js";
import { copySummary, exportHtml, exportJson, exportMarkdown } from "./js/export.js";
import { countWords, formatOf, splitPaste } from "./js/parse.js";
import { checks, countsText, newSlot, renderSlots, slotCounts, slotSamples } from "./js/slots.js";
import * as store from "./js/store.js";
import { verdictCard } from "./js/verdict.js";

const DEFAULTS = { mostFrequentWords: 300, maxCharNgram: 4, overlapNgram: 5, seed: 42 };
const SETTINGS = [
  ["opt-mfw", "mostFrequentWords"],
  ["opt-char", "maxCharNgram"],
  ["opt-overlap", "overlapNgram"],
  ["opt-seed", "seed"],
];

const blank = () => ({ slots: [newSlot("suspect", "suspect"), newSlot("candidate-1", "candidate"), newSlot("candidate-2", "candidate")], settings: { ...DEFAULTS }, pairPasted: false, example: false });
let state = blank();
let current = null; // { report, pca, texts }
let running = false;

const persist = store.debounced(() => state, 300, (err) => setStatus(`Could not save the inputs in this browser: ${err?.message ?? err}`, true));

const engine = new Engine({
  onReady: (version) => {
    $("version").textContent = `Lineage ${version}`;
    // Only the first start says so; after a restart the status keeps saying why.
    if (!$("version").dataset.started) setStatus("Ready.");
    $("version").dataset.started = "yes";
    updateChecks();
  },
  onCrash: (message) => setStatus(`Error: ${message}. Your inputs are kept.`, true),
});

function setStatus(message, isError = false) {
  $("status").textContent = message;
  $("status").classList.toggle("error", isError);
}

// ---- inputs ---------------------------------------------------------------

const slotHandlers = {
  change(slot, what) {
    if (what === "role") rerender();
    else checksSoon();
    persist();
  },
  remove(slot) {
    state.slots = state.slots.filter((s) => s !== slot);
    rerender();
    persist();
    $("add-slot").focus();
  },
  files: (slot, files) => addFiles([...files], slot),
  removeFile(slot, index) {
    const file = slot.files[index];
    slot.files.splice(index, 1);
    slot.fileSamples = slot.fileSamples.filter((s) => s.file !== file.key);
    rerender();
    persist();
  },
};

function rerender() {
  const counts = slotCounts(state);
  renderSlots($("slots"), state, counts, slotHandlers);
  $("pair-pasted").checked = state.pairPasted;
  $("example-note").hidden = !state.example;
  for (const [id, key] of SETTINGS) $(id).value = String(state.settings[key] ?? DEFAULTS[key]);
  updateChecks(counts);
}

// Typing recounts once the keys pause, not on every key (a paste may be megabytes).
let checksTimer = null;
function checksSoon() {
  $("analyze").disabled = true;
  clearTimeout(checksTimer);
  checksTimer = setTimeout(() => updateChecks(), 150);
}

function updateChecks(counts = slotCounts(state)) {
  clearTimeout(checksTimer);
  for (const slot of state.slots) {
    const el = $(`${slot.id}-counts`);
    if (el) el.textContent = countsText(counts.get(slot.id));
  }
  const list = checks(state, counts);
  const box = $("checks");
  box.replaceChildren(
    list.length
      ? h("ul", {}, list.map((c) => h("li", { class: c.block ? "block" : "weak" }, c.block ? "Needed: " : "Warning: ", c.text)))
      : h("p", {}, "Ready to analyse."),
  );
  $("analyze").disabled = running || !engine.ready || list.some((c) => c.block);
}

/** Reads files into slots: a file with one source goes to `target`; a multi-source file gives one slot per source. */
async function addFiles(files, target = null) {
  for (const file of files) {
    const format = formatOf(file.name);
    setStatus(`Reading ${file.name}…`);
    const key = `${file.name}#${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    if (format === "txt") {
      let text;
      try {
        text = await file.text();
      } catch (err) {
        setStatus(`Could not read ${file.name}: ${err.message}`, true);
        continue;
      }
      const slot = target ?? takeSlot(file.name.replace(/\.[^.]*$/, ""));
      const pieces = splitPaste(text);
      slot.fileSamples.push(...pieces.map((t) => ({ text: t, words: countWords(t), file: key })));
      slot.files.push({ key, name: file.name, added: pieces.length, malformed: 0, errors: [] });
      continue;
    }
    let result;
    try {
      // The File itself goes to the worker (no copy of its text here), which streams it.
      result = await engine.request("read", { name: file.name, format, file });
    } catch (err) {
      setStatus(`${file.name} was not added: ${err.message}`, true);
      continue;
    }
    const { groups, malformed, errors } = result;
    groups.forEach(([source, samples], i) => {
      const slot = groups.length === 1 && target ? target : i === 0 && target && isEmpty(target) ? rename(target, source) : takeSlot(source);
      slot.fileSamples.push(...samples.map((s) => ({ ...s, file: key })));
      slot.files.push({ key, name: file.name, added: samples.length, malformed: i === 0 ? malformed : 0, errors: i === 0 ? errors : [] });
    });
    setStatus(`Added ${file.name}: ${groups.reduce((n, [, s]) => n + s.length, 0)} record(s) from ${groups.length} source(s)${malformed ? `; ${malformed} invalid line(s) skipped (listed under the source)` : ""}.`, false);
  }
  state.example = false;
  rerender();
  persist();
}

const isEmpty = (slot) => !slot.paste.trim() && !slot.fileSamples.length;
const rename = (slot, name) => ((slot.name = name), slot);

/** The slot named `name`, else the first empty slot (renamed), else a new candidate slot. */
function takeSlot(name) {
  const named = state.slots.find((s) => s.name === name);
  if (named) return named;
  const empty = state.slots.find(isEmpty);
  if (empty) return rename(empty, name);
  const slot = newSlot(name, state.slots.some((s) => s.role === "suspect") ? "candidate" : "suspect");
  state.slots.push(slot);
  return slot;
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
    slots.get(source).fileSamples.push({ ...sample, words: countWords(sample.text), file: "example" });
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
  return o;
}

async function analyze() {
  performance.mark("lineage:send");
  const active = state.slots.filter((s) => s.role !== "ignore");
  const samples = active.flatMap((slot) =>
    slotSamples(slot, state.pairPasted).map(({ text, promptId, prompt }) => {
      const s = { source: slot.name.trim(), text };
      if (promptId !== undefined) s.promptId = promptId;
      if (prompt !== undefined) s.prompt = prompt;
      return s;
    }),
  );
  running = true;
  $("analyze").disabled = true;
  $("cancel").disabled = false;
  $("progress").value = 0;
  const started = performance.now();
  setStatus(`Analysing ${samples.length} samples…`);
  try {
    const pending = engine.request("analyze", { samples, options: options() }, (stage, fraction) => {
      $("progress").value = fraction;
      setStatus(`Analysing: ${stage} (${Math.round(100 * fraction)}%)`);
    });
    // Main-thread costs, for bench/page_analysis.mjs (User Timing entries).
    performance.measure("lineage:send", "lineage:send");
    const { report, pca, timing, itemCounts } = await pending;
    $("cancel").disabled = true; // the worker is done; only drawing is left
    performance.mark("lineage:render");
    const texts = new Map();
    for (const s of samples) {
      if (s.promptId === undefined) continue;
      if (!texts.has(s.source)) texts.set(s.source, new Map());
      if (!texts.get(s.source).has(s.promptId)) texts.get(s.source).set(s.promptId, { text: s.text, prompt: s.prompt });
    }
    current = { report, pca, texts, itemCounts };
    const seconds = (performance.now() - started) / 1000;
    await showResults();
    performance.measure("lineage:render", "lineage:render");
    $("progress").value = 1;
    document.body.dataset.analysisSeconds = seconds.toFixed(2);
    document.body.dataset.workerSeconds = `${timing.analysis.toFixed(2)} ${timing.pca.toFixed(2)}`;
    setStatus(`Done in ${seconds.toFixed(1)} s.`);
    $("verdict").focus();
  } catch (err) {
    $("progress").value = 0;
    if (err.code === "CANCELLED") setStatus("Cancelled. Your inputs are kept.");
    else setStatus(`Error (${err.code}): ${err.message}`, true);
  } finally {
    running = false;
    $("cancel").disabled = true;
    updateChecks();
  }
}

/** Lets the browser paint and handle input between rendering steps. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Renders the results in steps, each its own task, so none blocks the page for long. */
async function showResults() {
  const { report, pca, texts, itemCounts } = current;
  const illustrative = state.example ? h("p", { class: "note", id: "verdict-example" }, "These results come from the illustrative example: invented texts, not real models.") : null;
  $("verdict").replaceChildren(...[illustrative, ...verdictCard(report)].filter(Boolean));
  $("results").hidden = false;
  const steps = [
    () => scoresChart(report),
    () => heatmapChart(report.kinship),
    () => {
      try {
        return dendrogramChart(report.kinship.newick);
      } catch (err) {
        return h("p", { class: "error" }, `The family tree could not be drawn: ${err.message}`);
      }
    },
    () => scatterChart(pca, report.kinship.sources),
  ];
  $("charts").replaceChildren();
  $("habits").replaceChildren();
  $("leaks").replaceChildren();
  $("sbs").replaceChildren();
  for (const step of steps) {
    await nextTask();
    if (current?.report !== report) return;
    $("charts").append(step());
  }
  await nextTask();
  $("habits").replaceChildren(habitsView(report, itemCounts));
  $("leaks").replaceChildren(leaksView(report));
  await nextTask();
  sideBySide($("sbs"), report, texts, (a, b) => engine.request("spans", { a, b, minWords: report.parameters.overlapNgram }));
}

// ---- wiring ---------------------------------------------------------------

$("example").addEventListener("click", () => loadExample().catch((err) => setStatus(`The example could not be loaded: ${err.message}`, true)));
$("add-slot").addEventListener("click", () => {
  state.slots.push(newSlot(`source-${state.slots.length + 1}`, "candidate"));
  rerender();
  persist();
  $(`${state.slots[state.slots.length - 1].id}-name`).focus();
});
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
  rerender();
  setStatus("Cleared.");
});
$("pair-pasted").addEventListener("change", (e) => {
  state.pairPasted = e.target.checked;
  updateChecks();
  persist();
});
for (const [id, key] of SETTINGS) {
  $(id).addEventListener("change", (e) => {
    const v = Number(e.target.value);
    const min = Number(e.target.min);
    const max = Number(e.target.max);
    if (!Number.isInteger(v) || v < min || v > max) {
      setStatus(`${e.target.labels[0].textContent} must be a whole number from ${min} to ${max}; kept ${state.settings[key]}.`, true);
      e.target.value = String(state.settings[key]);
      return;
    }
    state.settings[key] = v;
    persist();
  });
}
$("reset-settings").addEventListener("click", () => {
  state.settings = { ...DEFAULTS };
  rerender();
  persist();
});
$("analyze").addEventListener("click", analyze);
$("cancel").addEventListener("click", () => {
  engine.cancel();
  $("analyze").focus();
});
$("export-json").addEventListener("click", () => current && exportJson(current.report));
$("export-md").addEventListener("click", () => current && exportMarkdown(current.report));
$("export-html").addEventListener("click", () => current && exportHtml(current.report, [...document.querySelectorAll("#charts svg")]));
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

store
  .load()
  .then((saved) => {
    if (saved?.slots?.length) state = { ...blank(), ...saved, settings: { ...DEFAULTS, ...saved.settings } };
  })
  .catch((err) => setStatus(`Saved inputs could not be read: ${err?.message ?? err}`, true))
  .finally(rerender);
