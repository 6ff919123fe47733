// Shared by the end-to-end tests: paths, a free port, and the page server
// started exactly as the run command starts it (scripts/serve.sh).
import { spawn } from "node:child_process";
import { chromium, firefox } from "playwright-core";
import { existsSync } from "node:fs";
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

/** Launches the browser of BROWSER, headless. */
export function launchBrowser() {
  if (isFirefox) {
    return firefox.launch({ channel: "moz-firefox", executablePath: process.env.FIREFOX ?? "/usr/bin/firefox-esr", headless: true });
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
