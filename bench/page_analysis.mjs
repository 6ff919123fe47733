// Time to analyse the whole dev data in the page, and the longest
// main-thread task seen meanwhile (Long Tasks API).
//
//   node bench/page_analysis.mjs [DATA_DIR]
//
// Question measured: a user drops the ten dev-data files (10 sources x 400
// prompts, read from ../shared/data/alpaca_eval_dev, never copied) on the
// page served by scripts/serve.sh, picks a suspect and nine candidates and
// presses Analyse, in headless Chromium on this machine. Printed: the time
// to read the files into slots, the analysis time the page itself reports
// (worker: Workspace + analysis + per-text profiles of the prompt-by-prompt chart), the time until
// every chart is drawn, and the longest main-thread task from page load to
// the end (a long task freezes the page; the analysis runs in a worker, so
// only the page's own work on the main thread should show). Needs www/pkg
// (scripts/build-wasm.sh). Not part of the test command: it takes minutes.
// On the default data it writes the median click-to-charts time of RUNS
// runs and that run's longest task into docs/figures.json
// (pageClickToChartsSeconds, pageLongestTaskMs).
import { existsSync, readdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { startServer } from "../tests/e2e/helpers.mjs";
import { fileURLToPath } from "node:url";
import { setFigures } from "./figures.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const dataDir = process.argv[2] ?? `${root}../shared/data/alpaca_eval_dev`;
if (!existsSync(dataDir)) {
  console.log(`no dev data at ${dataDir}: nothing to measure`);
  process.exit(0);
}
const files = readdirSync(dataDir).filter((f) => f.endsWith(".jsonl")).sort().map((f) => `${dataDir}/${f}`);

// The machine is shared, so one run says little: RUNS runs (default 3),
// each in a fresh browser, and the median click-to-charts time (with the
// longest task of that run) is the figure.
const runs = Math.max(1, Number(process.env.RUNS ?? 3));
const server = await startServer();
const results = [];
try {
  for (let run = 1; run <= runs; run++) {
    console.log(`run ${run} of ${runs}`);
    results.push(await once());
  }
} finally {
  await server.stop();
}
results.sort((a, b) => a.wallSeconds - b.wallSeconds);
const median = results[Math.floor((results.length - 1) / 2)];
console.log(`click to charts over ${runs} runs: ${results.map((r) => r.wallSeconds.toFixed(1)).join(", ")} s; median ${median.wallSeconds.toFixed(1)} s (its longest task ${median.longest.toFixed(0)} ms)`);
if (process.argv[2] === undefined) {
  setFigures({ pageClickToChartsSeconds: median.wallSeconds.toFixed(1), pageLongestTaskMs: median.longest.toFixed(0) });
}

/** One analysis in a fresh browser; prints what it measured. */
async function once() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Installed before the page's own scripts (through DevTools, so the CSP does not apply to it).
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask", buffered: true });
    });
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.engine === "ready", null, { timeout: 30_000 });
    const mark = (name) => page.evaluate((n) => (window.__marks = [...(window.__marks ?? []), [n, performance.now()]]), name);
    await mark("files");
    let t = performance.now();
    await page.locator("#files-all").setInputFiles(files);
    await page.locator("#analyze:enabled").waitFor({ timeout: 300_000 });
    const readSeconds = (performance.now() - t) / 1000;
    const counts = await page.locator(".slot-counts").allTextContents();
    const names = await page.locator(".slot-name").evaluateAll((els) => els.map((e) => e.value));
    await page.waitForTimeout(1000); // the debounced save of the inputs
    await mark("analysis");
    t = performance.now();
    await page.locator("#analyze").click();
    await page.locator("#status", { hasText: /^(Done in|The analysis stopped)/ }).waitFor({ timeout: 1_800_000 });
    const status = await page.locator("#status").textContent();
    if (!status.startsWith("Done")) throw new Error(status);
    await page.locator("#chart-prompts svg").waitFor();
    const wallSeconds = (performance.now() - t) / 1000;
    const pageSeconds = await page.evaluate(() => document.body.dataset.analysisSeconds);
    const headline = await page.locator("#verdict-headline").textContent();
    await page.waitForTimeout(1000);
    await mark("end");
    const tasks = await page.evaluate(() => window.__longTasks);
    const marks = await page.evaluate(() => window.__marks);
    const phase = (start) => {
      let name = "page load";
      for (const [n, at] of marks) if (start >= at) name = n;
      return name;
    };
    const longest = tasks.reduce((m, x) => Math.max(m, x.duration), 0);
    console.log(`sources: ${names.length} (${names[0]} is the suspect): ${counts.join(" | ")}`);
    console.log(`files read into slots: ${readSeconds.toFixed(1)} s`);
    console.log(`analysis, as the page reports it: ${pageSeconds} s; click to charts drawn: ${wallSeconds.toFixed(1)} s`);
    const [engineSeconds, chartSeconds] = (await page.evaluate(() => document.body.dataset.workerSeconds)).split(" ");
    console.log(`  of which in the worker: Workspace + analysis ${engineSeconds} s, per-text profiles for the prompt-by-prompt chart ${chartSeconds} s`);
    console.log(`verdict: ${headline}`);
    console.log(`long tasks (> 50 ms) on the main thread: ${tasks.length}; longest ${longest.toFixed(0)} ms`);
    const measures = await page.evaluate(() => performance.getEntriesByType("measure").filter((m) => m.name.startsWith("lineage:")).map((m) => `${m.name.slice(8)} ${m.duration.toFixed(0)} ms`));
    console.log(`main-thread steps of the page: ${measures.join(", ")} (send = building and posting the samples; render = verdict, charts, evidence)`);
    const top = [...tasks].sort((a, b) => b.duration - a.duration).slice(0, 5);
    console.log(`  the five longest: ${top.map((x) => `${x.duration.toFixed(0)} ms (${phase(x.start)})`).join(", ")}`);
    return { wallSeconds, longest };
  } finally {
    await browser.close();
  }
}
