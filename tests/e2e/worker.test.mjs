// `lineage/worker` in Chromium: the promise API reports the core's real
// progress, and aborting its AbortSignal stops the analysis (the worker is
// terminated) and rejects with an AbortError, after which the next call
// works in a fresh worker. The package is served from www/pkg (the same
// files as pkg/) by scripts/serve.sh; the test runs in the page's origin.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startBrowser } from "./helpers.mjs";

let server;
let browser;
let page;

let stop;

before(async () => {
  ({ server, browser, stop } = await startBrowser());
  page = await browser.newPage();
  await page.goto(server.url);
});

after(() => stop?.());

/** Twelve prompts answered by a suspect and two candidates (as in the Node tests). */
function corpus() {
  const topics = ["tides", "vaccines", "rainbows", "volcanoes", "inflation", "batteries",
    "earthquakes", "black holes", "the water cycle", "photosynthesis", "blockchains", "compound interest"];
  return topics.flatMap((topic, i) => [
    { source: "student", promptId: i, text: `Certainly! Here is a short overview of ${topic}.\n\n- **Key idea:** it follows simple rules.\n\nIn summary, ${topic} is simpler than it looks. Let me know if you would like more detail!` },
    { source: "teacher_a", promptId: i, text: `Certainly! Here is a clear overview of ${topic}.\n\n- **Key idea:** it follows a few simple rules.\n\nIn summary, ${topic} is easier than it looks. Let me know if you would like more detail!` },
    { source: "teacher_b", promptId: i, text: `Well, ${topic} is one of those things people overthink, honestly; the mechanism was worked out long ago. Hope this helps, cheers.` },
  ]);
}

const OPTIONS = { suspect: "student", candidates: ["teacher_a", "teacher_b"], bootstrapReps: 200, permutationReps: 199 };

test("worker.analyze resolves with the report after real progress events", async () => {
  const out = await page.evaluate(async ({ samples, options }) => {
    const { LineageWorker } = await import("/pkg/worker.js");
    const worker = new LineageWorker();
    const events = [];
    const report = await worker.analyze(samples, options, { onProgress: (stage, fraction) => events.push([stage, fraction]) });
    worker.terminate();
    return { events, top: report.verdict.top, schema: report.schemaVersion };
  }, { samples: corpus(), options: OPTIONS });
  assert.equal(out.top, "teacher_a");
  assert.equal(out.schema, 2);
  const stages = out.events.map(([stage]) => stage);
  assert.deepEqual(stages.slice(0, 2), ["reading", "features"]);
  assert.deepEqual(out.events.at(-1), ["done", 1]);
  assert.ok(out.events.length >= 5, JSON.stringify(out.events));
  for (let i = 1; i < out.events.length; i++) assert.ok(out.events[i][1] >= out.events[i - 1][1]);
});

test("worker errors keep their code", async () => {
  const out = await page.evaluate(async ({ samples }) => {
    const { LineageWorker } = await import("/pkg/worker.js");
    const worker = new LineageWorker();
    try {
      await worker.analyze(samples, { suspect: "nobody", candidates: ["teacher_a", "teacher_b"] });
      return null;
    } catch (err) {
      return { code: err.code, message: err.message, isError: err instanceof Error };
    } finally {
      worker.terminate();
    }
  }, { samples: corpus() });
  assert.deepEqual({ ...out, message: undefined }, { code: "UNKNOWN_SOURCE", isError: true, message: undefined });
  assert.match(out.message, /nobody/);
});

test("worker.analyze's messages name analyze, the function called, also when a second worker cross-validates (issue 26)", async () => {
  const out = await page.evaluate(async ({ samples }) => {
    const { LineageWorker } = await import("/pkg/worker.js");
    const said = [];
    for (const parallel of [true, false]) {
      const worker = new LineageWorker({ parallel });
      try {
        // Two sources: one candidate is too few.
        await worker.analyze(samples.filter((s) => s.source !== "teacher_b"), { suspect: "student", candidates: ["teacher_a"] });
        said.push(null);
      } catch (err) {
        said.push({ code: err.code, message: err.message });
      } finally {
        worker.terminate();
      }
    }
    return said;
  }, { samples: corpus() });
  for (const e of out) {
    assert.equal(e?.code, "BAD_ROLES", JSON.stringify(e));
    assert.match(e.message, /^analyze: /);
  }
});

test("aborting the signal stops the analysis with an AbortError; the next call works", async () => {
  const out = await page.evaluate(async ({ samples, options }) => {
    const { LineageWorker } = await import("/pkg/worker.js");
    const worker = new LineageWorker();
    const controller = new AbortController();
    const events = [];
    // Many resamples make the analysis long enough to abort midway.
    const slow = { ...options, bootstrapReps: 100000, permutationReps: 1000000 };
    const started = performance.now();
    const outcome = await worker
      .analyze(samples, slow, {
        signal: controller.signal,
        onProgress: (stage, fraction) => {
          events.push([stage, fraction]);
          if (stage === "signals") controller.abort();
        },
      })
      .then(() => "resolved", (err) => ({ name: err.name, isDomException: err instanceof DOMException }));
    const abortedAfter = performance.now() - started;
    const eventsAtAbort = events.length;
    // A terminated worker sends nothing more.
    await new Promise((r) => setTimeout(r, 500));
    const late = events.length - eventsAtAbort;
    // Already aborted: rejected at once, no worker started.
    const already = await worker.analyze(samples, options, { signal: controller.signal }).then(() => "resolved", (e) => e.name);
    const report = await worker.analyze(samples, options);
    worker.terminate();
    return { outcome, abortedAfter, late, already, top: report.verdict.top, stages: events.map((e) => e[0]) };
  }, { samples: corpus(), options: OPTIONS });
  assert.deepEqual(out.outcome, { name: "AbortError", isDomException: true });
  assert.equal(out.stages.at(-1), "signals");
  assert.ok(!out.stages.includes("done"), JSON.stringify(out.stages));
  assert.equal(out.late, 0);
  assert.equal(out.already, "AbortError");
  assert.equal(out.top, "teacher_a");
});

test("analyze hands the cross-validation to a second worker, and gives the one-worker report even when that worker fails", async () => {
  const out = await page.evaluate(async ({ samples, options }) => {
    const { LineageWorker } = await import("/pkg/worker.js");
    const RealWorker = globalThis.Worker;
    let spawned = 0;
    let failHelpers = false;
    globalThis.Worker = class extends RealWorker {
      constructor(...args) {
        super(...args);
        spawned++;
        // Helpers (every worker but the first) die at once, as a worker
        // whose script fails to load does.
        if (failHelpers && spawned > 1) setTimeout(() => this.onerror?.(new ErrorEvent("error", { message: "boom" })));
      }
    };
    try {
      const one = new LineageWorker({ parallel: false });
      const single = await one.analyze(samples, options);
      one.terminate();
      const afterOne = spawned;
      const two = new LineageWorker({ parallel: true });
      const first = await two.analyze(samples, options);
      const second = await two.analyze(samples, options);
      two.terminate();
      const afterTwo = spawned - afterOne;
      spawned = 0;
      failHelpers = true;
      const three = new LineageWorker({ parallel: true });
      const fallback = await three.analyze(samples, options);
      three.terminate();
      const json = (r) => JSON.stringify(r);
      return {
        afterOne,
        afterTwo,
        same: [first, second, fallback].map((r) => json(r) === json(single)),
        note: single.signals.find((s) => s.name === "classifier")?.note,
      };
    } finally {
      globalThis.Worker = RealWorker;
    }
  }, { samples: corpus(), options: OPTIONS });
  assert.equal(out.afterOne, 1);
  // The analysing worker and its helper, once for both analyses.
  assert.equal(out.afterTwo, 2);
  assert.deepEqual(out.same, [true, true, true]);
  assert.match(out.note, /^5-fold cross-validated accuracy/);
});
