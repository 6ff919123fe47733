// End-to-end: the page served by scripts/serve.sh, driven in the system
// Chromium (or, with LINEAGE_BROWSER=firefox, Firefox ESR over WebDriver
// BiDi) by playwright-core (no browser download). Needs www/pkg built.
// Screenshots of the main states go to target/e2e-screenshots/ (in
// Firefox, with a "firefox-" prefix).
// The dev-data test reads ../shared/data/alpaca_eval_dev beside the repo
// (never copied into it) and is skipped, saying so, when it is absent.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { assertHeadline, download, fillPastes, isFirefox, launchBrowser, openPageIn, plain, root, screenshot, startBrowser, waitForVerdict, waitReady } from "./helpers.mjs";

const SHOTS = `${root}target/e2e-screenshots/${isFirefox ? "firefox-" : ""}`;
const DEV_DATA = `${root}../shared/data/alpaca_eval_dev/`;

let server;
let browser;

let stop;

before(async () => {
  mkdirSync(`${root}target/e2e-screenshots/`, { recursive: true });
  ({ server, browser, stop } = await startBrowser());
});

after(() => stop?.());

/** A fresh page in its own context (see helpers.mjs openPage). */
const openPage = (options) => openPageIn(browser, server.url, options);

/** Waits until a slot's counts (from the engine) read `re`. */
async function counts(slot, re) {
  const el = slot.locator(".slot-counts");
  try {
    await el.filter({ hasText: re }).waitFor({ timeout: 20_000 });
  } catch {
    assert.match(await el.textContent(), re);
  }
}

/** The text of a locator as a reader sees it (no bidi isolates). */
const text = async (locator) => plain(await locator.textContent());

async function runExample(page) {
  await page.locator("#example").click();
  await page.locator("#analyze:enabled").waitFor();
  await page.locator("#analyze").click();
  await waitForVerdict(page);
}

test("the example runs end to end: a verdict, four accessible charts, evidence", async () => {
  const { page, ctx, problems } = await openPage();
  await page.locator("#example").click();
  assert.equal(await page.locator("#example-note").isVisible(), true, "the example is labelled illustrative");
  assert.equal(await page.locator("fieldset.slot").count(), 4);
  await screenshot(page, `${SHOTS}01-example-loaded.png`, { fullPage: true });
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  // The example is written so that wren-mini imitates heron-large.
  const report = await assertHeadline(page, { legacy: /wren-mini: the teacher is, at 99% confidence, heron-large\./, mentions: /^wren-mini\b.*heron-large/ });
  assert.deepEqual(report.verdict.attributed, ["heron-large"]);
  assert.match(await text(page.locator("#verdict")), /excess test p = .*excess over control.*signals rank it first/);
  // An attribution says why it names what it names (the specificity test).
  assert.match(await text(page.locator("#verdict")), /Why: .*specificity test p = .*the teacher is heron-large/);
  assert.match(await page.locator("#verdict .caveat").textContent(), /evidence, not proof/);
  assert.match(await page.locator("#verdict-example").textContent(), /illustrative example/);
  for (const key of ["scores", "kinship", "tree", "prompts"]) {
    const svg = page.locator(`#chart-${key} svg[role="img"]`);
    assert.equal(await svg.count(), 1, `chart ${key} is missing`);
    assert.ok((await svg.locator("title").first().textContent()).length > 10, `chart ${key} has no title`);
    assert.ok((await svg.locator("desc").textContent()).length > 10, `chart ${key} has no description`);
  }
  // Every source appears in the tree; the prompt-by-prompt chart has a dot per (candidate, prompt).
  for (const name of ["wren-mini", "heron-large", "osprey-chat", "kestrel-base"]) {
    assert.match(await text(page.locator("#chart-tree svg")), new RegExp(name));
  }
  assert.equal(await page.locator("#chart-prompts svg circle").count(), 2 * 15);
  assert.ok((await page.locator("#habits-table tbody tr").count()) > 0, "no shared habits listed");
  // Occurrences per source, columns in kinship order. In the example every
  // heron-large bullet ends "which is crucial" (3 x 15 = 45), wren-mini's
  // too (3 bullets on 8 prompts, 2 on 7: 38); the others never say it.
  const headers = await page.locator("#habits-table thead th").allTextContents();
  assert.deepEqual(headers.slice(5), ["wren-mini", "heron-large", "osprey-chat", "kestrel-base"]);
  const crucial = await page.locator("#habits-table tbody tr", { has: page.locator("td", { hasText: /^crucial$/ }) }).first().locator("td").allTextContents();
  assert.deepEqual(crucial.slice(5).map((c) => c.split(" ")[0]), ["38", "45", "0", "0"]);
  // Issue 16, defect 2: the table lists only what both over-use (z > 0 in
  // both); the words both use less often (osprey-chat's "me", ...) are
  // named apart, as what they are.
  const zs = (await page.locator("#habits-table tbody tr").evaluateAll((rows) => rows.map((r) => [...r.cells].slice(2, 4).map((c) => c.textContent))))
    .map((pair) => pair.map((z) => Number(z.replace("−", "-"))));
  assert.ok(zs.length > 0 && zs.every(([a, b]) => a > 0 && b > 0), `rows nobody over-uses: ${JSON.stringify(zs)}`);
  assert.match(await text(page.locator("#habits-under")), /less often .*osprey-chat: me, /);
  // Defect 10: one colour per source in every chart (the scores' dots, the tree, the prompt-by-prompt dots).
  const colours = await page.locator("#charts [data-source]").evaluateAll((els) => els.map((e) => [e.dataset.source, e.getAttribute("fill")]));
  const bySource = new Map();
  for (const [source, fill] of colours) bySource.set(source, new Set([...(bySource.get(source) ?? []), fill]));
  assert.equal(bySource.size, 4);
  assert.deepEqual(await page.locator("#chart-prompts [data-source]").evaluateAll((els) => [...new Set(els.map((e) => e.dataset.source))].sort()), ["heron-large", "osprey-chat"]);
  for (const [source, fills] of bySource) assert.equal(fills.size, 1, `${source} has the colours ${[...fills]}`);
  // Prompt by prompt: wren-mini imitates heron-large, so its answers are closer to
  // heron-large's than the control's are on most prompts, and to osprey-chat's on few.
  const shares = await page.locator("#chart-prompts text.share").allTextContents();
  const [heron, osprey] = shares.map((t) => Number(t.match(/^(\d+) of 15 prompts/)[1]));
  assert.ok(heron >= 12 && osprey <= 7, `heron-large above zero on ${heron}, osprey-chat on ${osprey}`);
  assert.match(await text(page.locator("#chart-note-prompts")), /^Each dot is one prompt: the suspect's answer's similarity to the candidate's answer minus the control kestrel-base's/);
  // Side by side: the suspect's and heron-large's answers with the shared passages marked.
  await page.locator("#sbs-where", { hasText: /shared passage/ }).waitFor();
  assert.ok((await page.locator("#sbs-suspect mark").count()) > 0);
  assert.ok((await page.locator("#sbs-candidate-text mark").count()) > 0);
  const first = await page.locator("#sbs-where").textContent();
  await page.locator("#sbs-next").click();
  await page.locator("#sbs-where", { hasText: /^Prompt 2 of 15/ }).waitFor();
  assert.notEqual(await page.locator("#sbs-where").textContent(), first);
  // Defect 10: every prompt is labelled with its shared words, not only
  // the few the report lists.
  await page.locator("#sbs-prompt[data-labelled]").waitFor({ state: "attached", timeout: 30_000 });
  const labels = await page.locator("#sbs-prompt option").allTextContents();
  assert.equal(labels.length, 15);
  assert.ok(labels.every((l) => /\((\d+ shared words|no shared passage)\)$/.test(l)), labels.join(" | "));
  await screenshot(page, `${SHOTS}02-example-results.png`, { fullPage: true });
  // A chart can be saved as an SVG file.
  const svgText = (await download(page, page.locator("#chart-tree button"))).bytes.toString("utf8");
  assert.match(svgText, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svgText, /<title[^>]*>Family tree/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("roles chosen in the slots: a model with no teacher reads as no confident attribution, with the reason", async () => {
  const { page, ctx, problems } = await openPage();
  await page.locator("#example").click();
  // kestrel-base (plain prose, learned from nobody) as the suspect, with
  // osprey-chat as its control: it is no closer than the control to either
  // candidate.
  await page.locator("fieldset.slot").nth(0).locator("select").selectOption("candidate");
  await page.locator("fieldset.slot").nth(3).locator("select").selectOption("suspect");
  await page.locator("fieldset.slot").nth(2).locator("select").selectOption("control");
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  await assertHeadline(page, { legacy: /^No confident attribution for kestrel-base\.$/, mentions: /kestrel-base/ });
  assert.match(await text(page.locator("#verdict")), /Why: .*not significantly closer than the control osprey-chat/);
  assert.match(await text(page.locator("#verdict")), /More data\? .*more answers would not help/);
  assert.match(await page.locator("#verdict .caveat").textContent(), /evidence, not proof/);
  // Defect 10: an abstention with a control says what to try next (and,
  // the effect pointing the wrong way, not "collect more answers").
  const steps = await page.locator("#next-steps li").allTextContents();
  assert.ok(steps.some((t) => /add other candidates/.test(t)) && steps.some((t) => /Check the control/.test(t)), steps.join(" | "));
  assert.ok(!steps.some((t) => /more prompts/.test(t)), steps.join(" | "));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("export gives valid JSON, Markdown and a script-free HTML file; the summary is copied", async () => {
  const { page, ctx, problems } = await openPage();
  // Firefox allows the clipboard to a click (and to the test, by a preference: helpers.mjs).
  if (!isFirefox) await ctx.grantPermissions(["clipboard-read", "clipboard-write"]);
  await runExample(page);
  const save = async (id) => {
    const { name, bytes } = await download(page, page.locator(id));
    return { name, text: bytes.toString("utf8") };
  };
  const json = await save("#export-json");
  assert.match(json.name, /^lineage-report-.*\.json$/);
  const report = JSON.parse(json.text);
  assert.equal(report.schemaVersion, 2);
  assert.equal(report.verdict.top, "heron-large");
  assert.equal(report.sources.length, 4);
  const md = await save("#export-md");
  // The Markdown's first lines hold the verdict (its headline, once the engine gives one).
  assert.match(md.text, /^# /);
  if (report.verdict.headline) assert.match(md.text.split("\n").slice(0, 5).join("\n"), /wren-mini/);
  else assert.match(md.text, /^# Lineage report\n/);
  assert.match(md.text, /## Signals/);
  assert.match(md.text, /evidence, not proof/);
  const html = await save("#export-html");
  assert.match(html.text, /^<!doctype html>/);
  assert.doesNotMatch(html.text, /<script/i);
  assert.equal((html.text.match(/<svg/g) ?? []).length, 2, "the HTML file holds the scores and kinship charts");
  // Rendered in Chromium: the headline first, the glossary, each input's SHA-256.
  const view = await ctx.newPage();
  await view.setContent(html.text);
  assert.equal(await view.locator("h1").textContent(), report.verdict.headline);
  assert.equal(await view.locator("dt", { hasText: "Separability" }).count(), 1);
  for (const i of report.inputs) assert.equal(await view.locator("td.hash", { hasText: i.sha256 }).count(), 1, i.name);
  await view.close();
  await page.locator("#copy-summary").click();
  await page.locator("#status", { hasText: "Summary copied" }).waitFor();
  const clip = plain(await page.evaluate(() => navigator.clipboard.readText()));
  // The headline is the summary's first line, as on the page.
  assert.equal(clip.split("\n")[0], plain(await page.locator("#verdict-headline").textContent()));
  assert.match(clip, /wren-mini.*heron-large/);
  assert.doesNotMatch(clip, /https?:/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("a pasted <img onerror> payload, as text and as a source name, is shown as text and never runs", async () => {
  const { page, ctx, problems } = await openPage();
  const payload = '<img src=x onerror="window.__xss=1;document.title=\'pwned\'">';
  await page.locator("#example").click();
  // As a source name (it appears in the verdict, charts and tables) and as a pasted sample.
  await page.locator("fieldset.slot").nth(2).locator(".slot-name").fill(payload);
  await page.locator("fieldset.slot").nth(0).locator(".slot-paste").fill(`${payload} and some more words here.`);
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  assert.equal(await page.locator("img").count(), 0, "an <img> element was created");
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.notEqual(await page.title(), "pwned");
  assert.ok((await page.locator("#verdict").textContent()).includes(payload), "the name is shown as text");
  assert.ok((await page.locator("#chart-kinship svg").textContent()).includes(payload));
  assert.equal(await page.locator("fieldset.slot").nth(0).locator(".slot-paste").inputValue(), `${payload} and some more words here.`);
  await screenshot(page, `${SHOTS}03-payload-as-text.png`, { fullPage: true });
  // The exported HTML file holds the name escaped, never as markup.
  const html = (await download(page, page.locator("#export-html"))).bytes.toString("utf8");
  assert.ok(html.includes("&lt;img src=x onerror="), "the exported HTML escapes the name");
  assert.doesNotMatch(html, /<img/i);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("after load the page makes no network request: paste, analyse, navigate, export", async () => {
  const { page, ctx, problems, requests } = await openPage();
  const origin = new URL(server.url).origin;
  assert.ok(requests.every((u) => u.startsWith(origin) || u.startsWith("data:") || u.startsWith("blob:")), `a request left the origin: ${requests}`);
  await page.waitForLoadState("networkidle");
  const before = requests.length;
  const texts = (style) =>
    Array.from({ length: 12 }, (_, i) => `${style} answer number ${i + 1}: the weather is mild and the river runs slowly past the ${i % 2 ? "mill" : "bridge"}.`).join("\n\n");
  await fillPastes(page, [texts("Certainly! Here's my"), texts("Certainly! Here's your"), texts("Well, in short, my")]);
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  await page.locator("#sbs-next").click();
  await page.locator("#export-json").click();
  await page.waitForTimeout(300);
  const after = requests.slice(before).filter((u) => !u.startsWith("blob:") && !u.startsWith("data:"));
  assert.deepEqual(after, [], "requests after load");
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("keyboard only: load the example, analyse, read the verdict, step through prompts", async () => {
  const { page, ctx, problems } = await openPage();
  const tabTo = async (id, max = 60) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press("Tab");
      if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    }
    assert.fail(`#${id} not reachable with Tab`);
  };
  await tabTo("example");
  await page.keyboard.press("Enter");
  await page.locator("fieldset.slot").nth(3).waitFor();
  await tabTo("analyze", 120);
  await page.keyboard.press("Enter");
  await waitForVerdict(page);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "verdict", "focus moves to the verdict");
  await tabTo("sbs-next", 80);
  await page.keyboard.press("Enter");
  await page.locator("#sbs-where", { hasText: /^Prompt 2 of/ }).waitFor();
  // The file chooser is reachable too (a visually hidden input with a visible label).
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "sbs-prev");
  await screenshot(page, `${SHOTS}04-keyboard.png`, { fullPage: false });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("a JSONL file with bad lines: the bad lines are listed by number, the rest kept; inputs survive a reload; clear all", async () => {
  const { page, ctx, problems } = await openPage();
  const lines = [
    JSON.stringify({ source: "alpha", prompt_id: "1", text: "First answer from alpha." }),
    "{not json",
    JSON.stringify({ source: "alpha", prompt_id: "2", text: "Second answer from alpha." }),
    JSON.stringify({ source: "beta", prompt_id: "1" }),
    JSON.stringify({ source: "beta", prompt_id: "1", text: "First answer from beta." }),
  ];
  await page.locator("#files-all").setInputFiles({ name: "mixed.jsonl", mimeType: "application/json", buffer: Buffer.from(lines.join("\n")) });
  await page.locator("#status", { hasText: /^Added mixed.jsonl/ }).waitFor();
  const alpha = page.locator("fieldset.slot", { has: page.locator(".slot-name[value='alpha']") });
  assert.equal(await page.locator(".slot-name").nth(0).inputValue(), "alpha");
  assert.equal(await page.locator(".slot-name").nth(1).inputValue(), "beta");
  const errors = await page.locator(".line-errors li").allTextContents();
  assert.equal(errors.length, 2);
  assert.match(errors[0], /^line 2: /);
  assert.match(errors[1], /^line 4: /);
  await screenshot(page, `${SHOTS}10-line-errors.png`, { fullPage: true });
  await counts(page.locator("fieldset.slot").nth(0), /^2 sample\(s\)/);
  await counts(page.locator("fieldset.slot").nth(1), /^1 sample\(s\) .* 1 paired prompt/);
  assert.ok(alpha);
  await page.locator("fieldset.slot").nth(2).locator(".slot-paste").fill("kept across a reload");
  await page.waitForTimeout(600); // the save is debounced
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator(".slot-name").nth(0).inputValue(), "alpha");
  assert.equal(await page.locator("fieldset.slot").nth(2).locator(".slot-paste").inputValue(), "kept across a reload");
  assert.match(await page.locator("#checks").textContent(), /fewer than 30 outputs for: alpha \(2\)/);
  page.once("dialog", (d) => d.accept());
  await page.locator("#clear-all").click();
  await page.locator("#status", { hasText: "Cleared." }).waitFor();
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator(".slot-name").nth(0).inputValue(), "suspect");
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("a JSONL file larger than one streamed chunk: every record kept, a bad line deep inside listed by its own number", async () => {
  const { page, ctx, problems } = await openPage();
  const filler = "word ".repeat(110);
  const lines = Array.from({ length: 9000 }, (_, i) => JSON.stringify({ source: i % 2 ? "odd" : "even", prompt_id: `p${i >> 1}`, text: `${filler}${i}` }));
  lines[7999] = "{broken";
  const buffer = Buffer.from(lines.join("\n") + "\n");
  assert.ok(buffer.length > 4 << 20, "the file spans more than one 4 Mi-character chunk");
  await page.locator("#files-all").setInputFiles({ name: "big.jsonl", mimeType: "application/json", buffer });
  await page.locator("#status", { hasText: /^Added big.jsonl/ }).waitFor({ timeout: 60_000 });
  assert.match(await page.locator("#status").textContent(), /8999 record\(s\) from 2 source\(s\); 1 invalid line/);
  const errors = await page.locator(".line-errors li").allTextContents();
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^line 8000: /);
  await counts(page.locator("fieldset.slot").nth(0), /^4,500 sample\(s\) · 499,500 words/);
  await counts(page.locator("fieldset.slot").nth(1), /^4,499 sample\(s\) .* 4,499 paired/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("a .json array of samples: each record checked by the engine, a bad one listed by its index", async () => {
  const { page, ctx, problems } = await openPage();
  const list = [
    { source: "gamma", prompt_id: 1, text: "An answer from gamma." },
    { source: "gamma", prompt_id: 2 },
    { source: "delta", promptId: "1", text: "An answer from delta, with more words." },
  ];
  await page.locator("#files-all").setInputFiles({ name: "list.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(list, null, 2)) });
  await page.locator("#status", { hasText: /^Added list.json: 2 record\(s\) from 2 source/ }).waitFor();
  const errors = await page.locator(".line-errors li").allTextContents();
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^record 2: .*text/);
  await counts(page.locator("fieldset.slot").nth(1), /^1 sample\(s\) · 7 words · 1 paired/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("a CSV file dropped on a slot goes into that slot: quoted newlines kept, a short record listed by line", async () => {
  const { page, ctx, problems } = await openPage();
  const csv = 'source,prompt_id,text\nx,1,"first line\nsecond line, with a comma"\nx,2\nx,3,plain answer\n';
  const slot = page.locator("fieldset.slot").nth(1);
  await slot.locator("input[type=file]").setInputFiles({ name: "answers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.locator("#status", { hasText: /^Added answers.csv/ }).waitFor();
  assert.equal(await slot.locator(".slot-name").inputValue(), "x", "an empty slot's placeholder name gives way to the file's one source");
  await counts(slot, /^2 sample\(s\) · 9 words/);
  const errors = await slot.locator(".line-errors li").allTextContents();
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^line 4: /);
  // A name the user typed is the user's: a one-source file keeps it.
  const other = page.locator("fieldset.slot").nth(2);
  await other.locator(".slot-name").fill("my-model");
  await other.locator("input[type=file]").setInputFiles({ name: "more.csv", mimeType: "text/csv", buffer: Buffer.from("source,prompt_id,text\ny,1,an answer\n") });
  await page.locator("#status", { hasText: /^Added more.csv/ }).waitFor();
  assert.equal(await other.locator(".slot-name").inputValue(), "my-model", "a typed name is kept");
  await counts(other, /^1 sample\(s\)/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("cancel stops the analysis, keeps the inputs, and the next analysis works", async () => {
  const { page, ctx, problems } = await openPage();
  // The example ten times over (150 prompts a source): an analysis long
  // enough to be cancelled however slowly the browser clicks (the example
  // alone may finish first).
  const example = JSON.parse(readFileSync(`${root}www/example.json`, "utf8"));
  const records = Array.from({ length: 10 }, (_, k) => example.samples.map((x) => JSON.stringify({ source: x.source, prompt_id: `${x.promptId}-${k}`, text: x.text }))).flat();
  await page.locator("#files-all").setInputFiles({ name: "ten-examples.jsonl", mimeType: "application/json", buffer: Buffer.from(records.join("\n") + "\n") });
  await page.locator("#analyze:enabled").waitFor({ timeout: 20_000 });
  await page.locator("#analyze").click();
  await page.locator("#status", { hasText: /^Analys/ }).waitFor();
  await page.locator("#cancel").click();
  await page.locator("#status", { hasText: /^Cancelled/ }).waitFor();
  assert.equal(await page.locator("#results").isHidden(), true, "no result shown");
  assert.equal(await page.locator("fieldset.slot").count(), 4);
  await counts(page.locator("fieldset.slot").nth(0), /^150 sample/);
  await page.locator("#analyze:enabled").waitFor({ timeout: 20_000 });
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("the layout holds on a phone-sized screen", async () => {
  const { page, ctx, problems } = await openPage({ viewport: { width: 390, height: 800 } });
  await runExample(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  // The charts with a plot narrow it to the screen: the top candidate is not scrolled out of sight.
  for (const key of ["scores", "tree", "prompts"]) {
    const [svgW, boxW] = await page.locator(`#chart-${key} .chart-scroll`).evaluate((box) => [box.querySelector("svg").getBoundingClientRect().width, box.clientWidth]);
    assert.ok(svgW <= boxW + 0.5, `the ${key} chart is ${svgW}px wide in a ${boxW}px box`);
  }
  // Table captions wrap to the screen, not to the table.
  const caption = await page.locator("#habits-table-caption").evaluate((p) => p.getBoundingClientRect().right);
  assert.ok(caption <= 390, `the over-use caption ends at ${caption}px`);
  await screenshot(page, `${SHOTS}05-phone.png`, { fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("dark mode follows the system setting", async () => {
  const dark = isFirefox ? await launchBrowser({ dark: true }) : browser;
  const ctx = await dark.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 900 } });
  const { page, problems } = await openPage({ context: ctx });
  await runExample(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `background ${bg} is not dark`);
  await screenshot(page, `${SHOTS}06-dark.png`, { fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
  if (dark !== browser) await dark.close();
});

test("the page's CSP forbids inline script, eval and remote hosts", async () => {
  const { page, ctx, problems } = await openPage();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.match(csp, /connect-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'|https?:/);
  // An inline script is refused by the policy (page.evaluate would not
  // do as a probe: DevTools evaluation bypasses CSP by design).
  await page.addScriptTag({ content: "window.__inlineRan = true;" }).catch(() => {});
  assert.equal(await page.evaluate(() => window.__inlineRan === true), false);
  // The refused script logs a CSP violation to the console; that one is expected.
  assert.deepEqual(problems.filter((p) => !/Content Security Policy|settings blocked an inline script/.test(p)), []);
  await ctx.close();
});

test("dev data: a JSONL file of four sources dropped on the page is analysed (reads ../shared/data)", async (t) => {
  if (!existsSync(DEV_DATA)) {
    t.skip(`${DEV_DATA} is absent: the dev-data test needs ../shared/data beside the repo`);
    return;
  }
  const files = readdirSync(DEV_DATA).filter((f) => f.endsWith(".jsonl")).sort().slice(0, 4);
  const jsonl = files.map((f) => readFileSync(DEV_DATA + f, "utf8").trim()).join("\n") + "\n";
  const { page, ctx, problems } = await openPage();
  // A real drop: a DataTransfer holding the file, dispatched on the first slot.
  const handle = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "dev-subset.jsonl", { type: "application/json" }));
    return dt;
  }, jsonl);
  await page.locator("fieldset.slot").first().dispatchEvent("drop", { dataTransfer: handle });
  await page.locator("#status", { hasText: /^Added dev-subset.jsonl/ }).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator("fieldset.slot").count(), 4);
  // Thousands grouped in the counts.
  await counts(page.locator("fieldset.slot").nth(0), /^400 sample\(s\) · \d{1,3}(,\d{3})+ words/);
  await screenshot(page, `${SHOTS}07-dev-data-loaded.png`, { fullPage: true });
  await page.locator("#analyze").click();
  // While the worker analyses, progress moves and the page still answers.
  await page.locator("#status", { hasText: /^Analysing: / }).waitFor({ timeout: 60_000 });
  await screenshot(page, `${SHOTS}08-dev-data-progress.png`);
  const frame = await page.evaluate(() => {
    const t = performance.now();
    return new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now() - t)));
  });
  assert.ok(frame < 1000, `a frame took ${frame} ms during the analysis`);
  assert.ok(!(await page.locator("#cancel").isDisabled()), "cancel is offered during the analysis");
  await waitForVerdict(page, 600_000);
  assert.ok((await page.locator("#verdict-headline").textContent()).length > 10);
  assert.equal(await page.locator("#charts svg[role='img']").count(), 4);
  const seconds = await page.evaluate(() => document.body.dataset.analysisSeconds);
  console.log(`dev data subset (${files.length} sources x 400) analysed in the page in ${seconds} s`);
  await screenshot(page, `${SHOTS}09-dev-data-results.png`, { fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});
