// The page defects of issue 26 ("The page, round two"), one test each
// (numbered as in the issue), driven as a user would in the real browser
// (Chromium, or Firefox with LINEAGE_BROWSER=firefox). Each failed before
// its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { download, isFirefox, jsonl, openPageIn, pageTestWith, pkgDir, plain, root, slot, useBrowser, waitForVerdict } from "./helpers.mjs";

const EXAMPLE = JSON.parse(readFileSync(`${root}www/example.json`, "utf8"));

const env = useBrowser();

const openPage = (options) => openPageIn(env.browser, env.server.url, options);
const pageTest = pageTestWith(openPage);
const exampleRecords = (rename = (s) => s, extra = () => "") =>
  EXAMPLE.samples.map((s) => ({ source: rename(s.source), prompt_id: s.promptId, prompt: s.prompt, text: s.text + extra(s) }));

async function analyse(page) {
  await page.locator("#analyze:enabled").waitFor({ timeout: 20_000 });
  await page.locator("#analyze").click();
  await waitForVerdict(page);
}

/** Sets each slot's role by its source name. */
async function setRoles(page, roles) {
  const slots = page.locator("fieldset.slot");
  for (let i = 0; i < (await slots.count()); i++) {
    const name = await slots.nth(i).locator(".slot-name").inputValue();
    if (roles[name]) await slots.nth(i).locator("select").selectOption(roles[name]);
  }
}

/** The report on screen (its JSON export). */
async function shownReport(page) {
  return JSON.parse((await download(page, page.locator("#export-json"))).bytes.toString("utf8"));
}

/** The page's ranking order of a report: attributed, then in the set, then ruled out; by the report's order within each. */
function pageOrder(report) {
  const attributed = new Set(report.verdict.attributed);
  const group = (r) => (attributed.has(r.candidate) ? 0 : r.inSet ? 1 : 2);
  return report.verdict.ranking.map((r, i) => [r, i]).sort((a, b) => group(a[0]) - group(b[0]) || a[1] - b[1]).map(([r]) => r.candidate);
}

/** Every candidate block of the scores chart: [block name, candidates in order]. */
const scoreBlocks = (page) =>
  page.locator("#chart-scores svg").evaluate((svg) => {
    const blocks = new Map();
    for (const g of svg.querySelectorAll("g > title")) {
      const [block, who] = g.textContent.split(" · ");
      if (!blocks.has(block)) blocks.set(block, []);
      blocks.get(block).push(who.split(":")[0].replace(/[\u2068\u2069]/g, ""));
    }
    return [...blocks];
  });

/** The example with its three other birds as candidates and no control: a ranking of three. */
async function threeCandidates(page) {
  await page.locator("#example").click();
  await setRoles(page, { "kestrel-base": "candidate" });
  await analyse(page);
}

/** Each slot as [name, role, family, samples]. */
const slotsShown = (page) =>
  page.locator("fieldset.slot").evaluateAll((els) =>
    els.map((f) => [f.querySelector(".slot-name").value, f.querySelector("select").value, f.querySelector(".slot-family").value, f.querySelector(".slot-counts").textContent.split(" ")[0]]),
  );

/** The example's candidates and control as a panel (the package's panelText), gzipped as a panel file is. */
async function birdsPanel() {
  const pkg = await import(`${pkgDir}node.js`);
  const samples = EXAMPLE.samples.filter((s) => s.source !== "wren-mini").map(({ source, promptId, prompt, text }) => ({ source, promptId, prompt, text }));
  const text = pkg.panelText(samples, { name: "birds", created: "2026-12-01T00:00:00Z", roles: { "kestrel-base": "control" }, families: { "heron-large": "BirdCo" } });
  return { gz: gzipSync(text), text: Buffer.from(text) };
}

test("1. a panel given to Add files or dropped on a slot gives the slots and roles Load a panel gives, gzipped or not", async () => {
  const { gz, text } = await birdsPanel();
  // (how it is given, the file) -> the slots once the page has read it.
  const ways = [
    ["Load a panel…", (page) => page.locator("#panel-file"), { name: "birds.lineage.jsonl.gz", mimeType: "application/gzip", buffer: gz }],
    ["Add files", (page) => page.locator("#files-all"), { name: "birds.lineage.jsonl.gz", mimeType: "application/gzip", buffer: gz }],
    ["dropped on a candidate's slot", (page) => slot(page, 1).locator("input[type=file]"), { name: "birds.lineage.jsonl.gz", mimeType: "application/gzip", buffer: gz }],
    ["Add files, unpacked and renamed", (page) => page.locator("#files-all"), { name: "birds.jsonl", mimeType: "application/json", buffer: text }],
  ];
  let want = null;
  for (const [how, input, file] of ways) {
    const { page, ctx, problems } = await openPage();
    await input(page).setInputFiles(file);
    await page.locator("#inputs-status", { hasText: /Loaded the panel ⁨birds⁩: 45 answers of 3 models; candidates ⁨heron-large⁩, ⁨osprey-chat⁩, control ⁨kestrel-base⁩, as its header suggests/ }).waitFor({ timeout: 20_000 });
    await page.locator("fieldset.slot .slot-counts", { hasText: /^15 sample/ }).first().waitFor();
    const shown = await slotsShown(page);
    assert.equal(await page.locator(".line-errors").count(), 0, `${how}: no line is listed as invalid`);
    if (want === null) {
      want = shown;
      assert.deepEqual(want.map(([name, role]) => `${name}:${role}`).sort(), ["heron-large:candidate", "kestrel-base:control", "osprey-chat:candidate", "suspect:suspect"]);
      assert.deepEqual(want.find(([name]) => name === "heron-large")[2], "birdco");
    } else {
      assert.deepEqual(shown, want, how);
    }
    assert.deepEqual(problems, [], how);
    await ctx.close();
  }
});

pageTest("2. the over-use table leads with the attributed (or top) candidate's rows, then the ranking", async (page) => {
  // The top candidate renamed to sort last by name: its rows came last.
  // The suspect and the other candidate share a habit of their own, so
  // that both candidates have rows.
  const rename = (s) => (s === "heron-large" ? "zz-heron-large" : s === "osprey-chat" ? "aa-osprey-chat" : s);
  const habit = (s) => (s.source === "wren-mini" || s.source === "osprey-chat" ? " Frankly, truthfully, candidly: that is the gist, more or less." : "");
  await page.locator("#files-all").setInputFiles({ name: "birds.jsonl", mimeType: "application/json", buffer: jsonl(exampleRecords(rename, habit)) });
  await page.locator("#status", { hasText: /^Added birds\.jsonl/ }).waitFor();
  await setRoles(page, { "wren-mini": "suspect", "zz-heron-large": "candidate", "aa-osprey-chat": "candidate", "kestrel-base": "control" });
  await analyse(page);
  const report = await shownReport(page);
  const order = pageOrder(report);
  assert.equal(order[0], report.verdict.top);
  const rows = await page.locator("#habits-table tbody tr").evaluateAll((trs) => trs.map((r) => r.cells[0].textContent));
  assert.ok(rows.length > 0, "the table has rows");
  // Rows grouped by candidate in the page's ranking order.
  const seen = [...new Set(rows)];
  assert.ok(seen.length >= 2, `rows of one candidate only: ${seen}`);
  assert.deepEqual(seen, order.filter((c) => seen.includes(c)));
  assert.equal(rows[0], report.verdict.top, "the first row is the top candidate's");
});

pageTest("3. one vocabulary: no command-line flags, no 'sd per unit', and the prompt-by-prompt note counts signals as the report does", async (page) => {
  for (const roles of [{}, { "kestrel-base": "ignore" }, { "kestrel-base": "candidate" }]) {
    await page.locator("#example").click();
    await setRoles(page, roles);
    await analyse(page);
    const report = await shownReport(page);
    const text = plain(await page.locator("main").evaluate((el) => {
      const copy = el.cloneNode(true);
      for (const quoted of copy.querySelectorAll(".sbs-text, .sbs-prompt-text, q, option, textarea, code")) quoted.remove();
      return copy.textContent;
    }));
    const where = JSON.stringify(roles);
    assert.doesNotMatch(text, /(^|[\s(“"'])--[a-z]/, `a command-line flag on the page (${where})`);
    assert.doesNotMatch(text, /\bsd per\b|\bper unit\b/, where);
    assert.doesNotMatch(text, /\btwelve signals\b/i, where);
    const note = plain(await page.locator("#chart-note-prompts").textContent());
    const tested = report.parameters.signals;
    assert.match(note, new RegExp(`with ${report.verdict.rankedSignals} signals? \\(the scores above\\)`), note);
    assert.ok(note.includes(`the ${tested.length} signal${tested.length === 1 ? "" : "s"} of its tested score (${tested.join(", ")})`), note);
    // The verdict's own count is the same number.
    if (report.verdict.kind === "attribution") assert.match(plain(await page.locator("#verdict").textContent()), new RegExp(`of ${report.verdict.rankedSignals} signals rank it first`));
  }
});

pageTest("4. the ranking never lists a ruled-out candidate before one that is not; every scores block in the combined order", async (page) => {
  await threeCandidates(page);
  const report = await shownReport(page);
  const order = pageOrder(report);
  // Every block of the scores chart lists the candidates in the combined block's order.
  const blocks = await scoreBlocks(page);
  assert.equal(blocks[0][0], "combined");
  assert.deepEqual(blocks[0][1], order);
  for (const [name, candidates] of blocks) assert.deepEqual(candidates, order.filter((c) => candidates.includes(c)), `block ${name}`);
  // The case of the issue: a ruled-out candidate scored above one in the
  // set, tied at two decimals ("−0.21 (ruled out) · −0.21"). The page's
  // own modules render a report made so, in the browser.
  const [top, second, third] = report.verdict.ranking;
  const crafted = structuredClone(report);
  crafted.verdict.attributed = [];
  crafted.verdict.ranking = [
    { ...top, inSet: true },
    { ...second, score: -0.2081, inSet: false },
    { ...third, score: -0.2112, inSet: true },
  ];
  const out = await page.evaluate(async (r) => {
    const { verdictWords } = await import("./js/verdict.js");
    const { scoresChart, sourceColors } = await import("./js/charts.js");
    const line = verdictWords(r).lines.find((l) => l.startsWith("Ranking"));
    const svg = scoresChart(r, sourceColors(r.kinship.sources)).querySelector("svg");
    const combined = [...svg.querySelectorAll("g > title")].map((t) => t.textContent).filter((t) => t.startsWith("combined"));
    return { line, combined };
  }, crafted);
  const names = [top, third, second].map((r) => r.candidate);
  const at = names.map((n) => plain(out.line).indexOf(n));
  assert.ok(at[0] < at[1] && at[1] < at[2], `ranking line: ${plain(out.line)}`);
  assert.match(plain(out.line), new RegExp(`${second.candidate} −0\\.21 \\(ruled out\\)\\.$`));
  assert.deepEqual(out.combined.map((t) => plain(t).split(" · ")[1].split(":")[0]), names);
});

pageTest("6a. an unnamed source is called by its place in the warnings, never by an internal id", async (page) => {
  await page.locator("#example").click();
  await page.locator("#analyze:enabled").waitFor();
  await slot(page, 2).locator(".slot-name").fill("");
  await page.locator("#checks li", { hasText: /source 3 \(unnamed\)/ }).first().waitFor({ timeout: 10_000 });
  const checks = await page.locator("#checks").textContent();
  const ids = await page.locator("fieldset.slot").evaluateAll((els) => els.map((f) => f.dataset.slot));
  for (const id of ids) assert.ok(!checks.includes(id), `the slot id ${id} in: ${checks}`);
  assert.match(checks, /Every source needs a name/);
});

pageTest("6b. a binary .jsonl is refused as binary; a null text is said to be null", async (page) => {
  const png = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 256))]);
  await page.locator("#files-all").setInputFiles({ name: "photo.jsonl", mimeType: "application/json", buffer: png });
  await page.locator("#inputs-status.error", { hasText: /^photo\.jsonl was not added: it is not text: it holds a zero byte/ }).waitFor({ timeout: 10_000 });
  assert.doesNotMatch(await page.locator("#inputs-status").textContent(), /malformed/);
  const records = [
    { source: "a", prompt_id: "1", text: "An answer." },
    { source: "a", prompt_id: "2", text: null },
    { source: "a", prompt_id: "3", text: "Another answer." },
  ];
  await slot(page, 1).locator("input[type=file]").setInputFiles({ name: "nulls.jsonl", mimeType: "application/json", buffer: jsonl(records) });
  await page.locator("#status", { hasText: /^Added nulls\.jsonl/ }).waitFor();
  assert.deepEqual(await slot(page, 1).locator(".line-errors li").allTextContents(), ['line 2: record\'s "text" is null (its fields: prompt_id, source, text)']);
});

test("also: the order of the inputs changes nothing the page shows (the report, the prompt-by-prompt chart, the side by side)", async () => {
  // The same records as given, and reversed (sources and answers in the
  // opposite order, as a panel round trip reorders them).
  const records = exampleRecords();
  const shown = [];
  for (const [name, list] of [["given.jsonl", records], ["reversed.jsonl", [...records].reverse()]]) {
    const { page, ctx, problems } = await openPage();
    await page.locator("#files-all").setInputFiles({ name, mimeType: "application/json", buffer: jsonl(list) });
    await page.locator("#status", { hasText: new RegExp(`^Added ${name.replace(".", "\\.")}`) }).waitFor();
    await setRoles(page, { "wren-mini": "suspect", "heron-large": "candidate", "osprey-chat": "candidate", "kestrel-base": "control" });
    await analyse(page);
    const report = await shownReport(page);
    const dots = await page.locator("#chart-prompts svg circle title").allTextContents();
    await page.locator("#sbs-prompt[data-labelled]").waitFor({ timeout: 20_000 });
    const prompts = await page.locator("#sbs-prompt option").allTextContents();
    shown.push({ report, dots, prompts });
    assert.deepEqual(problems, [], name);
    await ctx.close();
  }
  assert.deepEqual(shown[1].report, shown[0].report, "the report");
  assert.deepEqual(shown[1].dots, shown[0].dots, "the prompt-by-prompt chart");
  assert.deepEqual(shown[1].prompts, shown[0].prompts, "the side by side's prompts");
});

test("5. charts are drawn again when the window narrows or a phone turns; sideways scrollers show a cue and scroll from the keyboard", async () => {
  const { page, ctx, problems } = await openPage({ viewport: { width: 1280, height: 900 } });
  // Long names make the heatmap wider than a phone.
  const rename = (s) => `${s}-with-a-rather-long-model-name`;
  await page.locator("#files-all").setInputFiles({ name: "long.jsonl", mimeType: "application/json", buffer: jsonl(exampleRecords(rename)) });
  await page.locator("#status", { hasText: /^Added long\.jsonl/ }).waitFor();
  await setRoles(page, { [rename("kestrel-base")]: "control" });
  await analyse(page);
  await page.locator("#habits-table").waitFor();
  /** [svg width, its box's width] of a chart. */
  const fit = (key) => page.locator(`#chart-${key} .chart-scroll`).evaluate((box) => [box.querySelector("svg").getBoundingClientRect().width, box.clientWidth]);
  const wide = await fit("scores");
  // A phone held upright: every chart is drawn again for the narrow width; the scores fit whole.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => {
    const box = document.querySelector("#chart-scores .chart-scroll");
    return box && box.querySelector("svg").getBoundingClientRect().width <= box.clientWidth + 1;
  }, null, { timeout: 5_000 });
  const narrow = await fit("scores");
  assert.ok(narrow[0] < wide[0], `the scores chart narrowed: ${wide[0]} -> ${narrow[0]}`);
  // Every other chart fits too, or says that it scrolls.
  for (const key of ["tree", "prompts", "kinship"]) {
    const [svg, box] = await fit(key);
    const hint = await page.locator(`#chart-${key} .scroll-hint`).isVisible();
    assert.ok(svg <= box + 1 || hint, `${key}: ${svg}px in a box of ${box}px, and no hint`);
  }
  // The heatmap and the over-use table scroll sideways, and say so.
  for (const [what, box] of [["heatmap", page.locator("#chart-kinship .chart-scroll")], ["over-use table", page.locator("#habits .table-scroll")]]) {
    assert.ok(await box.evaluate((el) => el.scrollWidth > el.clientWidth + 1), `${what} overflows at 390 px`);
    const hint = box.locator("xpath=following-sibling::p[contains(@class, 'scroll-hint')]");
    assert.equal(await hint.isVisible(), true, `${what}: the hint shows`);
    assert.match(await hint.textContent(), /Scroll sideways/);
    assert.match(await box.getAttribute("class"), /\bmore-right\b/, `${what}: a shadow on the right`);
    const shadow = await box.evaluate((el) => getComputedStyle(el).boxShadow);
    assert.notEqual(shadow, "none", `${what}: the shadow is drawn`);
    // Keyboard: focus the box, the arrow keys scroll it.
    await box.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    await page.waitForFunction((el) => el.scrollLeft > 0, await box.elementHandle(), { timeout: 5_000 });
    await page.keyboard.press("End");
    await box.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await page.waitForFunction((el) => el.classList.contains("more-left") && !el.classList.contains("more-right"), await box.elementHandle(), { timeout: 5_000 });
  }
  // The phone turned: drawn again, wider.
  await page.setViewportSize({ width: 844, height: 390 });
  await page.waitForFunction((w) => document.querySelector("#chart-scores svg").getBoundingClientRect().width > w, narrow[0], { timeout: 5_000 });
  // Back on a desktop, nothing scrolls and no hint shows.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForFunction(() => [...document.querySelectorAll("#results .scroll-hint")].every((p) => p.hidden), null, { timeout: 5_000 }).catch(() => {});
  const hints = await page.locator("#results .scroll-hint").evaluateAll((ps) => ps.map((p) => [p.previousElementSibling.closest("[id]")?.id ?? p.parentElement.id, p.hidden, p.previousElementSibling.scrollWidth, p.previousElementSibling.clientWidth]));
  for (const [id, hidden, sw, cw] of hints) assert.equal(hidden, sw <= cw + 1, `${id}: hint ${hidden ? "hidden" : "shown"} with ${sw}/${cw}`);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("6c. pasting 3 MB never holds the page for 200 ms: the text goes to the slot's file list, counted and checked", async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Firefox allows the clipboard to the test by a preference (helpers.mjs).
  if (!isFirefox) await ctx.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { page, problems } = await openPageIn(env.browser, env.server.url, { context: ctx });
  // 3 MB of answers separated by blank lines (6,000 answers of 500 characters), on the clipboard.
  await page.evaluate(() =>
    navigator.clipboard.writeText(Array.from({ length: 6000 }, (_, i) => `Answer ${i}: ${"the quick brown fox jumps over the lazy dog and keeps running ".repeat(8)}`).join("\n\n")),
  );
  const box = slot(page, 1).locator(".slot-paste");
  await box.click();
  // The longest gap of a 10 ms heartbeat on the main thread, from the paste
  // until the engine's counts are shown: the longest task, in any browser.
  await page.evaluate(() => {
    const beat = { last: performance.now(), longest: 0 };
    window.__beat = beat;
    beat.timer = setInterval(() => {
      const now = performance.now();
      beat.longest = Math.max(beat.longest, now - beat.last);
      beat.last = now;
    }, 10);
  });
  await page.keyboard.press("ControlOrMeta+V");
  await slot(page, 1).locator(".slot-counts", { hasText: /^6,000 sample/ }).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(600); // the inputs are saved meanwhile
  const longest = await page.evaluate(() => (clearInterval(window.__beat.timer), window.__beat.longest));
  if (process.env.LINEAGE_DIAG) console.log("longest main-thread gap", longest);
  assert.ok(longest < 200, `the main thread was held ${Math.round(longest)} ms`);
  await page.locator("#inputs-status", { hasText: /\(3\.\d million characters, 6000 sample\(s\)\) was put into its file list/ }).waitFor();
  assert.equal(await box.inputValue(), "", "the text box stays light");
  assert.match(await slot(page, 1).locator(".file-list").textContent(), /pasted text \(3\.\d million characters\): 6000 record/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("6d. the last results survive a reload, saying when they were made, and that the inputs changed since when they did", async () => {
  const { page, ctx, problems } = await openPage();
  await page.locator("#example").click();
  await analyse(page);
  const headline = await page.locator("#verdict-headline").textContent();
  const charts = await page.locator("#charts figure").count();
  await page.waitForTimeout(500); // the results are kept once drawn
  await page.reload();
  await page.locator("#results:not([hidden]) #verdict-headline").waitFor({ timeout: 20_000 });
  assert.equal(await page.locator("#verdict-headline").textContent(), headline);
  await page.locator("#habits-table").waitFor();
  assert.equal(await page.locator("#charts figure").count(), charts);
  assert.match(await page.locator("#restored").textContent(), /^These results were kept in this browser from your last analysis \(.+\)\.$/);
  assert.equal(await page.locator("#stale").isVisible(), false, "the inputs are the same");
  // An input changed, then a reload: the results come back, marked as older than the inputs.
  await slot(page, 3).locator("select").selectOption("ignore");
  await page.locator("#stale").waitFor({ state: "visible" });
  await page.waitForTimeout(500); // the inputs are saved
  await page.reload();
  await page.locator("#results:not([hidden]) #verdict-headline").waitFor({ timeout: 20_000 });
  await page.locator("#stale", { hasText: /have changed since these results were made/ }).waitFor({ state: "visible" });
  assert.match(await page.locator("#results").getAttribute("class"), /stale/);
  // Clear all forgets them.
  page.once("dialog", (d) => d.accept());
  await page.locator("#clear-all").click();
  await page.locator("#status", { hasText: /^Cleared/ }).waitFor();
  await page.reload();
  await page.locator("#analyze-hint", { hasText: /^Needed first/ }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.locator("#results").isHidden(), true);
  assert.deepEqual(problems, []);
  await ctx.close();
});
