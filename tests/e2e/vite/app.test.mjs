// The package as an embedder meets it in a bundler: the packed tarball
// (`npm pack ./pkg`) installed in a new Vite app written as the package
// README shows, built with `vite build` (vite from the dev dependencies),
// served as static files and run in the browser: the main-thread
// `analyze` and `lineage/worker` must both give the report. The build
// must emit worker-thread.js and the .wasm and warn about nothing in the
// package (a release entry naming test-only exports, a worker URL the
// bundler cannot see).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, launchBrowser, root } from "../helpers.mjs";

const pkg = `${root}pkg`;
let app;
let buildLog;
let server;
let browser;

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  } catch (err) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${err.stdout}${err.stderr}`);
  }
}

// The app's code: the README's Vite example, then the worker example.
const MAIN = `
import init, { analyze, version } from "lineage";
import wasmUrl from "lineage/lineage_bg.wasm?url";
import { LineageWorker } from "lineage/worker";

const topics = ["tides", "vaccines", "rainbows", "volcanoes", "inflation", "batteries",
  "earthquakes", "black holes", "the water cycle", "photosynthesis", "blockchains", "compound interest"];
const samples = topics.flatMap((topic, i) => [
  { source: "student", promptId: i, text: \`Certainly! Here is a short overview of \${topic}.\\n\\n- **Key idea:** it follows simple rules.\\n\\nIn summary, \${topic} is simpler than it looks. Let me know if you would like more detail!\` },
  { source: "teacher_a", promptId: i, text: \`Certainly! Here is a clear overview of \${topic}.\\n\\n- **Key idea:** it follows a few simple rules.\\n\\nIn summary, \${topic} is easier than it looks. Let me know if you would like more detail!\` },
  { source: "teacher_b", promptId: i, text: \`Well, \${topic} is one of those things people overthink, honestly; the mechanism was worked out long ago. Hope this helps, cheers.\` },
]);
const options = { suspect: "student", candidates: ["teacher_a", "teacher_b"], bootstrapReps: 200, permutationReps: 199 };
const out = document.getElementById("out");
try {
  await init({ module_or_path: wasmUrl });
  const main = analyze(samples, options);
  const worker = new LineageWorker();
  const stages = [];
  const viaWorker = await worker.analyze(samples, options, { onProgress: (stage) => stages.push(stage) });
  worker.terminate();
  out.textContent = JSON.stringify({ version: version(), main: main.verdict.top, worker: viaWorker.verdict.top, lastStage: stages.at(-1) });
} catch (err) {
  out.textContent = JSON.stringify({ error: String(err?.message ?? err) });
}
`;

before(() => {
  if (!existsSync(`${pkg}/package.json`)) throw new Error("pkg/ is missing: run scripts/build-wasm.sh (scripts/test.sh does) first");
  app = mkdtempSync(join(tmpdir(), "lineage-vite-"));
  const tarball = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", app, pkg], root))[0].filename;
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "vite-consumer", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", join(app, tarball)], app);
  writeFileSync(join(app, "index.html"), '<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title></head>\n<body><pre id="out">running</pre><script type="module" src="/main.js"></script></body></html>\n');
  writeFileSync(join(app, "main.js"), MAIN);
  // vite itself comes from the repository's dev dependencies (package-lock.json).
  // Warnings go to stderr: both streams are kept.
  const build = spawnSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, "build", "--logLevel", "info"], { cwd: app, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  buildLog = `${build.stdout}\n${build.stderr}`;
  if (build.status !== 0) throw new Error(`vite build failed:\n${buildLog}`);
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill("SIGTERM");
  if (app) rmSync(app, { recursive: true, force: true });
});

test("vite build emits the worker thread and the .wasm, with no warning about the package", () => {
  const assets = readdirSync(join(app, "dist", "assets"));
  assert.ok(assets.some((f) => /^worker-thread.*\.js$/.test(f)), `no worker-thread chunk in ${assets}`);
  assert.ok(assets.some((f) => /\.wasm$/.test(f)), `no .wasm in ${assets}`);
  const warnings = buildLog.split("\n").filter((l) => /warn|IMPORT_IS_UNDEFINED|triggerPanic|triggerTrap|worker-thread/i.test(l) && !/^\s*dist\//.test(l));
  assert.deepEqual(warnings, [], buildLog);
});

test("the built app analyses on the main thread and in lineage/worker", async () => {
  const port = await freePort();
  server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", join(app, "dist")], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      if (i > 100) throw new Error(`the static server did not answer on ${url}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  browser = await launchBrowser();
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  await page.goto(url);
  await page.locator("#out", { hasText: /^\{/ }).waitFor({ timeout: 60_000 });
  const out = JSON.parse(await page.locator("#out").textContent());
  assert.deepEqual(out, { version: out.version, main: "teacher_a", worker: "teacher_a", lastStage: "done" });
  assert.deepEqual(problems, []);
});
