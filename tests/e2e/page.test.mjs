// End-to-end: the page served by scripts/serve.sh, driven in the system
// Chromium by playwright-core (no browser download). Needs www/pkg built.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startServer, UKRAINIAN } from "./helpers.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh page that records every console error, page error and failed request. */
async function openPage() {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(server.url);
  // The button is enabled once the worker has instantiated the wasm module.
  await page.locator("#run:enabled").waitFor({ timeout: 15_000 });
  return { page, problems };
}

async function profileText(page, text) {
  await page.locator("#text").fill(text);
  await page.locator("#run").click();
  await page.locator("#status", { hasText: /^(Done\.|Error)/ }).waitFor({ timeout: 15_000 });
}

test("a pasted Ukrainian paragraph shows its word and sentence counts", async () => {
  const { page, problems } = await openPage();
  await profileText(page, UKRAINIAN.text);
  assert.equal(await page.locator("#status").textContent(), "Done.");
  assert.equal(await page.locator("#count-words").textContent(), String(UKRAINIAN.words));
  assert.equal(await page.locator("#count-sentences").textContent(), String(UKRAINIAN.sentences));
  assert.equal(await page.locator("#count-paragraphs").textContent(), String(UKRAINIAN.paragraphs));
  // The other sections are filled too.
  for (const id of ["#richness", "#markdown", "#punctuation", "#top-words", "#ends", "#lengths"]) {
    assert.ok((await page.locator(id).textContent()).trim().length > 0, `${id} is empty`);
  }
  assert.match(await page.locator("#opening").textContent(), /київ/);
  assert.match(await page.locator("#version").textContent(), /^Lineage \d+\.\d+\.\d+/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("user text is shown as text, never parsed as HTML", async () => {
  const { page, problems } = await openPage();
  const hostile = '<img src="data:," id="injected" onerror="alert(1)"> <b id="bold">hi</b> there.';
  await profileText(page, hostile);
  assert.equal(await page.locator("#injected").count(), 0);
  assert.equal(await page.locator("#bold").count(), 0);
  assert.match(await page.locator("#top-words").textContent(), /img|hi|there/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the page's CSP forbids inline script, eval and remote hosts", async () => {
  const { page, problems } = await openPage();
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
  await page.close();
});

test("an empty text gives zero counts, not an error", async () => {
  const { page, problems } = await openPage();
  await profileText(page, "");
  assert.equal(await page.locator("#status").textContent(), "Done.");
  assert.equal(await page.locator("#count-words").textContent(), "0");
  assert.deepEqual(problems, []);
  await page.close();
});
