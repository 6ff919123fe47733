// Shared by the end-to-end tests: paths, a free port, and the page server
// started exactly as the run command starts it (scripts/serve.sh).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { chromium, firefox } from "playwright-core";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const pkgDir = `${root}www/pkg/`;

/**
 * The browser the end-to-end tests drive: `LINEAGE_BROWSER=firefox` for
 * the system Firefox ESR (`FIREFOX`, default /usr/bin/firefox-esr), driven
 * over WebDriver BiDi (playwright-core's "moz-firefox" channel: the stock
 * browser, not Playwright's patched build), else the system Chromium
 * (`CHROMIUM`, default /usr/bin/chromium). No browser is downloaded.
 */
export const BROWSER = process.env.LINEAGE_BROWSER === "firefox" ? "firefox" : "chromium";
export const isFirefox = BROWSER === "firefox";

/**
 * Launches the browser of BROWSER, headless. `dark` asks Firefox for the
 * dark colour scheme through its preference (its BiDi driver has no
 * per-context colour-scheme emulation); Chromium takes the context's
 * `colorScheme` option instead.
 */
export function launchBrowser({ dark = false } = {}) {
  if (isFirefox) {
    const firefoxUserPrefs = {
      // navigator.clipboard.readText without a paste prompt (the export test reads the summary back).
      "dom.events.testing.asyncClipboard": true,
      ...(dark ? { "layout.css.prefers-color-scheme.content-override": 0 } : {}),
    };
    return firefox.launch({ channel: "moz-firefox", executablePath: process.env.FIREFOX ?? "/usr/bin/firefox-esr", headless: true, firefoxUserPrefs });
  }
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Starts the page server (scripts/serve.sh) and the browser (launchBrowser).
 * Returns { server, browser, stop }.
 */
export async function startBrowser() {
  const server = await startServer();
  const browser = await launchBrowser();
  const stop = async () => {
    await browser.close();
    await server.stop();
  };
  return { server, browser, stop };
}

/**
 * For a test file: starts the page server and the browser before its tests
 * and stops them after. Returns an object whose `server` and `browser` are
 * set once the tests run.
 */
export function useBrowser() {
  const env = {};
  before(async () => Object.assign(env, await startBrowser()));
  after(() => env.stop?.());
  return env;
}

/** Waits until the page's engine has started (the worker answered). */
export async function waitReady(page) {
  await page.waitForFunction(() => document.body.dataset.engine === "ready", null, { timeout: 20_000 });
}

/** Text as a reader sees it: without the bidi isolates (U+2068, U+2069) around user names. */
export const plain = (text) => (text == null ? text : text.replace(/[\u2068\u2069]/g, ""));

/**
 * A screenshot without hiding the caret: hiding it injects a <style>,
 * which the page's CSP refuses in Firefox (and logs). Playwright's BiDi
 * driver also appends a `<style>body {}</style>` to sync animations before
 * every screenshot; the CSP refuses that one too, and openPageIn ignores
 * exactly that refusal (by the hash of its text, PLAYWRIGHT_SYNC_STYLE).
 */
export const PLAYWRIGHT_SYNC_STYLE = "'sha256-YjaKGiklmzC6wjXA513HAMmzus8VE61XCOT+SmwNZWA='"; // sha256("body {}")

export function screenshot(page, path, options = {}) {
  return page.screenshot({ path, caret: "initial", ...options });
}

/**
 * In Firefox, whose BiDi driver reports no downloads, the page's
 * downloads (an <a download> clicked on a blob: URL, as www/js/dom.js
 * does) are caught in the page instead: call on a context before its pages
 * open. Chromium's downloads are real.
 */
export async function catchDownloads(ctx) {
  if (!isFirefox) return;
  await ctx.addInitScript(() => {
    const blobs = new Map();
    const create = URL.createObjectURL;
    URL.createObjectURL = (blob) => {
      const url = create(blob);
      blobs.set(url, blob);
      return url;
    };
    window.__downloads = [];
    HTMLAnchorElement.prototype.click = function () {
      const blob = blobs.get(this.href);
      if (!this.download || !blob) return;
      blob.arrayBuffer().then((buf) => {
        let bin = "";
        const bytes = new Uint8Array(buf);
        for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        window.__downloads.push({ name: this.download, b64: btoa(bin) });
      });
    };
  });
}

/** Clicks `locator` and returns the download it starts: `{ name, bytes }`. */
export async function download(page, locator) {
  if (!isFirefox) {
    const [d] = await Promise.all([page.waitForEvent("download"), locator.click()]);
    return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
  }
  const before = await page.evaluate(() => window.__downloads.length);
  await locator.click();
  await page.waitForFunction((n) => window.__downloads.length > n, before);
  const { name, b64 } = await page.evaluate((n) => window.__downloads[n], before);
  return { name, bytes: Buffer.from(b64, "base64") };
}

/**
 * A fresh page of the app at `url` (its own context, so storage starts
 * empty, unless `context` is given) that records console errors, page
 * errors, failed requests and every request made (page and worker), once
 * the engine has started. Returns { page, ctx, problems, requests }.
 */
export async function openPageIn(browser, url, { viewport = { width: 1280, height: 900 }, context = null } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport, acceptDownloads: true }));
  await catchDownloads(ctx);
  const page = await ctx.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => {
    if (!err.message.includes(PLAYWRIGHT_SYNC_STYLE)) problems.push(`page error: ${err.message}`);
  });
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  ctx.on("request", (req) => requests.push(req.url()));
  await page.goto(url);
  await waitReady(page);
  return { page, ctx, problems, requests };
}

/** Waits for the end of an analysis and fails unless it finished. */
export async function waitForVerdict(page, timeout = 60_000) {
  await page.locator("#status", { hasText: /^(Done in|The analysis stopped|Cancelled)/ }).waitFor({ timeout });
  const status = await page.locator("#status").textContent();
  if (!/^Done in/.test(status)) throw new Error(`the analysis did not finish: ${status}`);
}

/**
 * The page's verdict headline checked against the report's own
 * (`verdict.headline`, exported as JSON): shown as it is when the engine
 * gives one, and then it must also match `mentions` (what the verdict is
 * about, in any wording); else the page's own words, matched by `legacy`.
 * Returns the report.
 */
export async function assertHeadline(page, { legacy, mentions }) {
  const report = JSON.parse((await download(page, page.locator("#export-json"))).bytes.toString("utf8"));
  const shown = plain(await page.locator("#verdict-headline").textContent());
  const headline = report.verdict.headline?.trim();
  if (headline) {
    assert.equal(shown, headline, "the page shows the report's headline");
    assert.match(shown, mentions);
  } else {
    assert.match(shown, legacy);
  }
  return report;
}

/** Pastes `texts[i]` into the page's slot i, answers paired by position. */
export async function fillPastes(page, texts) {
  await page.locator("#pair-pasted").check();
  const slots = page.locator("fieldset.slot");
  for (const [i, text] of texts.entries()) await slots.nth(i).locator(".slot-paste").fill(text);
}

/** Fails with a clear message when the wasm package has not been built. */
export function requirePkg() {
  if (!existsSync(`${pkgDir}lineage_bg.wasm`)) {
    throw new Error("www/pkg is missing: run scripts/build-wasm.sh (scripts/test.sh does) first");
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts scripts/serve.sh on a free port and waits until it answers.
 * Returns { url, stop }.
 */
export async function startServer() {
  requirePkg();
  const port = await freePort();
  const child = spawn(`${root}scripts/serve.sh`, [], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`server did not answer on ${url} within 15 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { url, stop, log: () => log };
}

/**
 * A Ukrainian paragraph and its counts, checked by hand: UAX #29 keeps
 * "пам'ять" (letter, apostrophe, letter) as one word, the dash and the
 * comma are punctuation, and each of . ! ? followed by a space and a
 * capital ends a sentence.
 *   Київ столиця України                                      3
 *   Місто стоїть на Дніпрі і його пам'ять сягає тисячі років 10
 *   Чи бачили ви Софійський собор                             5
 *   Тут живе майже три мільйони людей                          6
 */
export const UKRAINIAN = {
  text:
    "Київ — столиця України. Місто стоїть на Дніпрі, і його пам'ять сягає тисячі років! " +
    "Чи бачили ви Софійський собор? Тут живе майже три мільйони людей.",
  words: 24,
  sentences: 4,
  paragraphs: 1,
};

const AXE = createRequire(import.meta.url)("axe-core").source;

/**
 * axe-core's violations on the page, one readable line each (rule, impact,
 * elements). axe is evaluated by the driver, not added as a <script> (the
 * page's CSP refuses inline scripts).
 */
export async function axeViolations(page) {
  const found = await page.evaluate(async (source) => {
    if (!window.axe) (0, eval)(source);
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return {
      passed: result.passes.length,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`) })),
    };
  }, AXE);
  // axe ran its rules (a page it could not read would pass none).
  assert.ok(found.passed >= 20, `axe passed only ${found.passed} rules`);
  return found.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join("\n    ")}`);
}

/**
 * `pageTest(name, body, options)` for a test file whose pages open with
 * `openPage(options)`: `body(page)` runs on a fresh page, which must then
 * have logged no problem (console error, failed request).
 */
export function pageTestWith(openPage) {
  return (name, body, options) =>
    test(name, async () => {
      const { page, ctx, problems } = await openPage(options);
      try {
        await body(page);
        assert.deepEqual(problems, []);
      } finally {
        await ctx.close();
      }
    });
}

/** The i-th source slot of the page. */
export const slot = (page, i) => page.locator("fieldset.slot").nth(i);

/** Records as the bytes of a JSON Lines file. */
export const jsonl = (records) => Buffer.from(records.map((r) => JSON.stringify(r)).join("\n") + "\n");
