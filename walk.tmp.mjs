// Walk-through (not committed): OpenHermes with its control against nine candidates, dropped as files.
import { chromium } from "playwright-core";
import { startServer } from "./tests/e2e/helpers.mjs";
const D1 = "/work/shared/data/alpaca_eval_dev", D2 = "/work/shared/data/alpaca_eval_dev_more";
const suspect = process.argv[2] ?? "OpenHermes-2.5-Mistral-7B", control = process.argv[3] ?? "Mistral-7B-Instruct-v0.2";
const cands = ["text_davinci_003","gpt-3.5-turbo-0301","gpt4_0314","gpt4_0613","claude-2","claude-2.1","claude-instant-1.2","llama-2-70b-chat-hf","gemini-pro"];
import { existsSync } from "node:fs";
const f = (n) => [D1, D2].map((d) => `${d}/${n}.jsonl`).find(existsSync);
const files = [suspect, ...cands, control].map(f);
const server = await startServer();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on("console", (m) => m.type() === "error" && console.log("console error:", m.text()));
await page.goto(server.url);
await page.waitForFunction(() => document.body.dataset.engine === "ready", null, { timeout: 60_000 });
await page.locator("#files-all").setInputFiles(files);
await page.locator("#analyze:enabled").waitFor({ timeout: 300_000 });
const n = await page.locator("fieldset.slot").count();
for (let i = 0; i < n; i++) {
  const name = await page.locator("fieldset.slot").nth(i).locator(".slot-name").inputValue();
  if (name === control) await page.locator("fieldset.slot").nth(i).locator("select").selectOption("control");
  if (name === suspect) await page.locator("fieldset.slot").nth(i).locator("select").selectOption("suspect");
}
const t = Date.now();
await page.locator("#analyze").click();
await page.locator("#status", { hasText: /^(Done in|The analysis stopped)/ }).waitFor({ timeout: 1_800_000 });
console.log("status:", await page.locator("#status").textContent(), ((Date.now() - t) / 1000).toFixed(1), "s");
console.log("headline:", await page.locator("#verdict-headline").textContent());
console.log("verdict:", (await page.locator("#verdict").textContent()).slice(0, 1500));
await page.locator("#verdict").screenshot({ path: `/tmp/shots/verdict-${suspect}.png` });
await page.screenshot({ path: `/tmp/shots/page-${suspect}.png`, fullPage: true });
await browser.close();
await server.stop();
