// The page: sends the pasted text to the worker and shows the profile it
// returns. User text reaches the DOM only through textContent, never as HTML.

const $ = (id) => document.getElementById(id);
const form = $("form");
const button = $("run");
const status = $("status");

let worker = startWorker();
let nextId = 0;
let pending = null;

function startWorker() {
  const w = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  w.onmessage = onMessage;
  w.onerror = (event) => {
    setStatus(`The engine failed to start: ${event.message ?? "unknown error"}`, true);
  };
  return w;
}

function onMessage({ data }) {
  if (data.type === "ready") {
    $("version").textContent = `Lineage ${data.version}`;
    // After a restart, keep the error that caused it on screen.
    if (!status.classList.contains("error")) setStatus("Ready.");
    button.disabled = false;
    return;
  }
  if (data.id !== null && data.id !== pending) return; // a stale answer
  pending = null;
  button.disabled = false;
  if (data.type === "error") {
    setStatus(`Error (${data.code}): ${data.message}`, true);
    if (data.fatal) {
      // A crashed module is not reused: start a fresh one; the button
      // comes back when it reports ready.
      button.disabled = true;
      worker.terminate();
      worker = startWorker();
    }
    return;
  }
  render(data.profile);
  setStatus("Done.");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  pending = nextId++;
  button.disabled = true;
  setStatus("Profiling…");
  worker.postMessage({ id: pending, text: $("text").value });
});

function setStatus(message, isError = false) {
  status.textContent = message;
  status.classList.toggle("error", isError);
}

const fmt = (x, digits = 3) => (Number.isInteger(x) ? String(x) : x.toFixed(digits));

// Fills a <dl> with [label, value, id?] rows; the id lets tests read a value.
function fill(dl, rows) {
  dl.replaceChildren();
  for (const [label, value, id] of rows) {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = value;
    if (id) dd.id = id;
    dl.append(dt, dd);
  }
}

// Bucket counts without the run of empty buckets at the end; when the
// last bucket ("longer") is used, nothing is trimmed.
function histogram(buckets) {
  let end = buckets.length;
  while (end > 0 && buckets[end - 1] === 0) end--;
  return end === 0 ? "—" : buckets.slice(0, end).join(" ");
}

function render(p) {
  fill($("counts"), [
    ["Words", fmt(p.words), "count-words"],
    ["Sentences", fmt(p.sentences), "count-sentences"],
    ["Paragraphs", fmt(p.paragraphs), "count-paragraphs"],
    ["Characters", fmt(p.chars), "count-chars"],
    ["Graphemes", fmt(p.graphemes), "count-graphemes"],
    ["Bytes (UTF-8)", fmt(p.bytes), "count-bytes"],
    ["Distinct words", `${fmt(p.distinctWordNgrams[0] ?? 0)}${p.pruned ? " (at least: rare n-grams were dropped)" : ""}`],
    ["Punctuation marks", fmt(p.punctuationTokens)],
    ["Emoji", `${fmt(p.emoji)} (${fmt(p.emojiPer1000Words, 1)} per 1000 words)`],
  ]);
  fill($("richness"), [
    ["Type-token ratio", fmt(p.richness.typeTokenRatio)],
    ["MATTR", fmt(p.richness.mattr)],
    ["Hapax ratio", fmt(p.richness.hapaxRatio)],
    ["Yule's K", fmt(p.richness.yulesK, 1)],
  ]);
  const md = p.markdown;
  fill($("markdown"), [
    ["Headings", fmt(md.headings)],
    ["Bullet items", fmt(md.bulletItems)],
    ["Numbered items", fmt(md.numberedItems)],
    ["Bold runs", fmt(md.bold)],
    ["Italic runs", fmt(md.italic)],
    ["Code fences", fmt(md.codeFences)],
    ["Table rows", fmt(md.tableRows)],
    ["Links", fmt(md.links)],
    ["Tables", fmt(md.tables)],
    ["Inline code spans", fmt(md.inlineCode)],
    ["Quoted lines", fmt(md.quotedLines)],
    ["Horizontal rules", fmt(md.rules)],
  ]);
  const punctuation = Object.entries(p.punctuationPer1000).sort((a, b) => b[1] - a[1]);
  fill($("punctuation"), punctuation.length ? punctuation.map(([mark, rate]) => [mark, fmt(rate, 1)]) : [["—", "none"]]);
  const top = $("top-words");
  top.replaceChildren(
    ...p.topWordNgrams.unigrams.map(({ text, count }) => {
      const li = document.createElement("li");
      li.textContent = `${text} (${count})`;
      return li;
    }),
  );
  fill($("ends"), [
    ["Opening words", p.openingWords.map((c) => c.text).join(" · ") || "—", "opening"],
    ["Closing sentence", p.closingSentences.map((c) => c.text).join(" · ") || "—", "closing"],
  ]);
  fill($("lengths"), [
    ["Words of 1, 2, … characters", histogram(p.wordLengths)],
    ["Sentences of 1, 2, … words", histogram(p.sentenceLengths)],
  ]);
  $("result").hidden = false;
}
