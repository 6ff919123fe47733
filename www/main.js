// The page: sends the pasted text to the worker and shows the profile it
// returns. User text reaches the DOM only through textContent, never as HTML.

const $ = (id) => document.getElementById(id);
const form = $("form");
const button = $("run");
const status = $("status");

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let nextId = 0;
let pending = null;

worker.onmessage = ({ data }) => {
  if (data.type === "ready") {
    $("version").textContent = `Lineage ${data.version}`;
    setStatus("Ready.");
    button.disabled = false;
    return;
  }
  if (data.id !== null && data.id !== pending) return; // a stale answer
  pending = null;
  button.disabled = false;
  if (data.type === "error") {
    setStatus(`Error (${data.code}): ${data.message}`, true);
    return;
  }
  render(data.profile);
  setStatus("Done.");
};
worker.onerror = (event) => {
  setStatus(`The engine failed to start: ${event.message ?? "unknown error"}`, true);
};

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

function render(p) {
  fill($("counts"), [
    ["Words", fmt(p.words), "count-words"],
    ["Sentences", fmt(p.sentences), "count-sentences"],
    ["Paragraphs", fmt(p.paragraphs), "count-paragraphs"],
    ["Characters", fmt(p.chars), "count-chars"],
    ["Graphemes", fmt(p.graphemes), "count-graphemes"],
    ["Bytes (UTF-8)", fmt(p.bytes), "count-bytes"],
    ["Distinct words", fmt(p.distinctWordNgrams[0] ?? 0)],
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
    ["Word lengths (1, 2, … characters)", p.wordLengths.join(" ")],
    ["Sentence lengths (1, 2, … words)", p.sentenceLengths.join(" ")],
  ]);
  $("result").hidden = false;
}
