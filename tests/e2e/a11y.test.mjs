// Accessibility: axe-core (npm) finds no violation on the page, in light
// and dark mode, on a desktop and a phone-sized screen, before and after
// an analysis, in Chromium and (with
// LINEAGE_BROWSER=firefox) Firefox ESR. Every rule axe runs by default is
// kept (WCAG 2.x A/AA and best practices, colour contrast included); the
// report of a failure lists each violation with the elements it names.
// axe is evaluated in the page by the driver, not added as a <script>
// (the page's CSP refuses inline scripts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations as violations, isFirefox, launchBrowser, openPageIn, screenshot, root, useBrowser, waitForVerdict } from "./helpers.mjs";

const SHOTS = `${root}target/e2e-screenshots/${isFirefox ? "firefox-" : ""}`;

const env = useBrowser();

/** Checks the page with axe before and after analysing the example, with every details element open. */
async function check(page, scheme) {
  assert.deepEqual(await violations(page), [], `${scheme}, before an analysis`);
  await page.locator("#example").click();
  await page.locator("#analyze:enabled").waitFor();
  assert.deepEqual(await violations(page), [], `${scheme}, the example loaded`);
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  // What a reader can open is checked open too.
  await page.locator("details").evaluateAll((all) => all.forEach((d) => (d.open = true)));
  assert.deepEqual(await violations(page), [], `${scheme}, after an analysis`);
  // A change after the analysis marks the results stale; that state too.
  await page.locator("fieldset.slot select").nth(1).selectOption("control");
  await page.locator("#results.stale").waitFor();
  // The panel form open, and a panel refused (the error under the buttons).
  await page.locator("#save-panel").click();
  await page.locator("#panel-file").setInputFiles({ name: "broken.lineage.jsonl.gz", mimeType: "application/gzip", buffer: Buffer.from("not gzip") });
  await page.locator("#inputs-status.error").waitFor({ timeout: 20_000 });
  assert.deepEqual(await violations(page), [], `${scheme}, stale results, the panel form open, a panel refused`);
  await screenshot(page, `${SHOTS}30-a11y-${scheme}.png`, { fullPage: true });
}

test("axe finds no violation in light mode, before and after an analysis", async () => {
  const ctx = await env.browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 900 } });
  const { page, problems } = await openPageIn(env.browser, env.server.url, { context: ctx });
  await check(page, "light");
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("axe finds no violation in dark mode, before and after an analysis", async () => {
  const dark = isFirefox ? await launchBrowser({ dark: true }) : env.browser;
  const ctx = await dark.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 900 } });
  const { page, problems } = await openPageIn(dark, env.server.url, { context: ctx });
  assert.equal(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), true, "the page sees dark mode");
  await check(page, "dark");
  assert.deepEqual(problems, []);
  await ctx.close();
  if (dark !== env.browser) await dark.close();
});

test("axe finds no violation on a phone-sized screen after an analysis", async () => {
  const { page, ctx, problems } = await openPageIn(env.browser, env.server.url, { viewport: { width: 390, height: 800 } });
  await check(page, "phone");
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("axe finds no violation on a phone-sized screen in dark mode, with the sideways-scroll cues shown", async () => {
  const dark = isFirefox ? await launchBrowser({ dark: true }) : env.browser;
  const ctx = await dark.newContext({ colorScheme: "dark", viewport: { width: 390, height: 800 } });
  const { page, problems } = await openPageIn(dark, env.server.url, { context: ctx });
  await check(page, "phone-dark");
  assert.deepEqual(problems, []);
  await ctx.close();
  if (dark !== env.browser) await dark.close();
});
