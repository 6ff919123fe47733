// End-to-end: the page served by scripts/serve.sh, driven in the system
// Chromium by playwright-core (no browser download). Needs www/pkg built.
// Screenshots of the main states go to target/e2e-screenshots/.
// The dev-data test reads ../shared/data/alpaca_eval_dev beside the repo
// (never copied into it) and is skipped, saying so, when it is absent.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { fillPastes, root, startBrowser } from "./helpers.mjs";

const SHOTS = `${root}target/e2e-screenshots/`;
const DEV_DATA = `${root}../shared/data/alpaca_eval_dev/`;

let server;
let browser;

let stop;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ server, browser, stop } = await startBrowser());
});

after(() => stop?.());

/**
 * A fresh page (its own context, so storage starts empty) that records
 * console errors, page errors, failed requests and every request made.
 */
async function openPage({ viewport = { width: 1280, height: 900 }, context = null } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport, acceptDownloads: true }));
  const page = await ctx.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  // Requests from the page and from its worker (context-wide).
  ctx.on("request", (req) => requests.push(req.url()));
  await page.goto(server.url);
  await page.locator("#status", { hasText: /^Ready\./ }).waitFor({ timeout: 20_000 });
  return { page, ctx, problems, requests };
}

async function waitForVerdict(page, timeout = 60_000) {
  await page.locator("#status", { hasText: /^(Done in|Error|Cancelled)/ }).waitFor({ timeout });
  const status = await page.locator("#status").textContent();
  assert.match(status, /^Done in/, `the analysis did not finish: ${status}`);
}

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
  await page.screenshot({ path: `${SHOTS}01-example-loaded.png`, fullPage: true });
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  const headline = await page.locator("#verdict-headline").textContent();
  // The example is written so that wren-mini imitates heron-large.
  assert.match(headline, /wren-mini: the teacher is, at 99% confidence, heron-large\./);
  assert.match(await page.locator("#verdict").textContent(), /excess test p = .*excess over control.*signals rank it first/);
  assert.match(await page.locator("#verdict .caveat").textContent(), /evidence, not proof/);
  assert.match(await page.locator("#verdict-example").textContent(), /illustrative example/);
  for (const key of ["scores", "kinship", "tree", "pca"]) {
    const svg = page.locator(`#chart-${key} svg[role="img"]`);
    assert.equal(await svg.count(), 1, `chart ${key} is missing`);
    assert.ok((await svg.locator("title").first().textContent()).length > 10, `chart ${key} has no title`);
    assert.ok((await svg.locator("desc").textContent()).length > 10, `chart ${key} has no description`);
  }
  // Every source appears in the tree and the scatter holds every text.
  for (const name of ["wren-mini", "heron-large", "osprey-chat", "kestrel-base"]) {
    assert.match(await page.locator("#chart-tree svg").textContent(), new RegExp(name));
  }
  assert.equal(await page.locator("#chart-pca svg > circle[r='3.2']").count(), 60);
  assert.ok((await page.locator("#habits-table tbody tr").count()) > 0, "no shared habits listed");
  // Occurrences per source, columns in kinship order. In the example every
  // heron-large bullet ends "which is crucial" (3 x 15 = 45), wren-mini's
  // too (3 bullets on 8 prompts, 2 on 7: 38); the others never say it.
  const headers = await page.locator("#habits-table thead th").allTextContents();
  assert.deepEqual(headers.slice(5), ["wren-mini", "heron-large", "osprey-chat", "kestrel-base"]);
  const crucial = await page.locator("#habits-table tbody tr", { has: page.locator("td", { hasText: /^crucial$/ }) }).first().locator("td").allTextContents();
  assert.deepEqual(crucial.slice(5).map((c) => c.split(" ")[0]), ["38", "45", "0", "0"]);
  // Side by side: the suspect's and heron-large's answers with the shared passages marked.
  await page.locator("#sbs-where", { hasText: /shared passage/ }).waitFor();
  assert.ok((await page.locator("#sbs-suspect mark").count()) > 0);
  assert.ok((await page.locator("#sbs-candidate-text mark").count()) > 0);
  const first = await page.locator("#sbs-where").textContent();
  await page.locator("#sbs-next").click();
  await page.locator("#sbs-where", { hasText: /^Prompt 2 of 15/ }).waitFor();
  assert.notEqual(await page.locator("#sbs-where").textContent(), first);
  await page.screenshot({ path: `${SHOTS}02-example-results.png`, fullPage: true });
  // A chart can be saved as an SVG file.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#chart-tree button").click()]);
  const svgText = readFileSync(await download.path(), "utf8");
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
  assert.equal(await page.locator("#verdict-headline").textContent(), "No confident attribution for kestrel-base.");
  assert.match(await page.locator("#verdict").textContent(), /Why: .*not significantly closer than the control osprey-chat/);
  assert.match(await page.locator("#verdict").textContent(), /More data\? .*more answers would not help/);
  assert.match(await page.locator("#verdict .caveat").textContent(), /evidence, not proof/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("export gives valid JSON, Markdown and a script-free HTML file; the summary is copied", async () => {
  const { page, ctx, problems } = await openPage();
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"]);
  await runExample(page);
  const save = async (id) => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(id).click()]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8") };
  };
  const json = await save("#export-json");
  assert.match(json.name, /^lineage-report-.*\.json$/);
  const report = JSON.parse(json.text);
  assert.equal(report.schemaVersion, 2);
  assert.equal(report.verdict.top, "heron-large");
  assert.equal(report.sources.length, 4);
  const md = await save("#export-md");
  assert.match(md.text, /^# Lineage report\n/);
  assert.match(md.text, /## Signals/);
  assert.match(md.text, /evidence, not proof/);
  const html = await save("#export-html");
  assert.match(html.text, /^<!doctype html>/);
  assert.doesNotMatch(html.text, /<script/i);
  assert.equal((html.text.match(/<svg/g) ?? []).length, 4, "the HTML file holds the four charts");
  await page.locator("#copy-summary").click();
  await page.locator("#status", { hasText: "Summary copied" }).waitFor();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(clip, /wren-mini: the teacher is, at 99% confidence, heron-large\./);
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
  await page.screenshot({ path: `${SHOTS}03-payload-as-text.png`, fullPage: true });
  // The exported HTML file holds the name escaped, never as markup.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-html").click()]);
  const html = readFileSync(await download.path(), "utf8");
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
  await page.screenshot({ path: `${SHOTS}04-keyboard.png`, fullPage: false });
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
  await page.screenshot({ path: `${SHOTS}10-line-errors.png`, fullPage: true });
  assert.match(await page.locator("fieldset.slot").nth(0).locator(".slot-counts").textContent(), /^2 sample\(s\)/);
  assert.match(await page.locator("fieldset.slot").nth(1).locator(".slot-counts").textContent(), /^1 sample\(s\) .* 1 paired prompt/);
  assert.ok(alpha);
  await page.locator("fieldset.slot").nth(2).locator(".slot-paste").fill("kept across a reload");
  await page.waitForTimeout(600); // the save is debounced
  await page.reload();
  await page.locator("#status", { hasText: /^Ready\./ }).waitFor();
  assert.equal(await page.locator(".slot-name").nth(0).inputValue(), "alpha");
  assert.equal(await page.locator("fieldset.slot").nth(2).locator(".slot-paste").inputValue(), "kept across a reload");
  assert.match(await page.locator("#checks").textContent(), /only 2 sample/);
  page.once("dialog", (d) => d.accept());
  await page.locator("#clear-all").click();
  await page.locator("#status", { hasText: "Cleared." }).waitFor();
  await page.reload();
  await page.locator("#status", { hasText: /^Ready\./ }).waitFor();
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
  assert.match(await page.locator("fieldset.slot").nth(0).locator(".slot-counts").textContent(), /^4500 sample\(s\) · 499500 words/);
  assert.match(await page.locator("fieldset.slot").nth(1).locator(".slot-counts").textContent(), /^4499 sample\(s\) .* 4499 paired/);
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
  assert.match(await page.locator("fieldset.slot").nth(1).locator(".slot-counts").textContent(), /^1 sample\(s\) · 7 words · 1 paired/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("a CSV file dropped on a slot goes into that slot: quoted newlines kept, a short record listed by line", async () => {
  const { page, ctx, problems } = await openPage();
  const csv = 'source,prompt_id,text\nx,1,"first line\nsecond line, with a comma"\nx,2\nx,3,plain answer\n';
  const slot = page.locator("fieldset.slot").nth(1);
  await slot.locator("input[type=file]").setInputFiles({ name: "answers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.locator("#status", { hasText: /^Added answers.csv/ }).waitFor();
  assert.equal(await slot.locator(".slot-name").inputValue(), "candidate-1", "a one-source file keeps the slot's name");
  assert.match(await slot.locator(".slot-counts").textContent(), /^2 sample\(s\) · 9 words/);
  const errors = await slot.locator(".line-errors li").allTextContents();
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^line 4: /);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("cancel stops the analysis, keeps the inputs, and the next analysis works", async () => {
  const { page, ctx, problems } = await openPage();
  await page.locator("#example").click();
  await page.locator("#analyze").click();
  await page.locator("#cancel").click();
  await page.locator("#status", { hasText: /^Cancelled/ }).waitFor();
  assert.equal(await page.locator("#results").isHidden(), true, "no result shown");
  assert.equal(await page.locator("fieldset.slot").count(), 4);
  assert.match(await page.locator("fieldset.slot").nth(0).locator(".slot-counts").textContent(), /^15 sample/);
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
  await page.screenshot({ path: `${SHOTS}05-phone.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("dark mode follows the system setting", async () => {
  const ctx = await browser.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 900 } });
  const { page, problems } = await openPage({ context: ctx });
  await runExample(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `background ${bg} is not dark`);
  await page.screenshot({ path: `${SHOTS}06-dark.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
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
  assert.deepEqual(problems.filter((p) => !/Content Security Policy/.test(p)), []);
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
  assert.match(await page.locator("fieldset.slot").nth(0).locator(".slot-counts").textContent(), /^400 sample/);
  await page.screenshot({ path: `${SHOTS}07-dev-data-loaded.png`, fullPage: true });
  await page.locator("#analyze").click();
  // While the worker analyses, progress moves and the page still answers.
  await page.locator("#status", { hasText: /^Analysing: / }).waitFor({ timeout: 60_000 });
  await page.screenshot({ path: `${SHOTS}08-dev-data-progress.png` });
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
  await page.screenshot({ path: `${SHOTS}09-dev-data-results.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});
