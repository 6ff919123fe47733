// Reference panels (issue 15) between the command line and the browser:
// a panel built by `lineage panel build` is loaded in the page (roles from
// its header) and analysed against a suspect; a panel saved by the page is
// read back by `lineage panel show`; damaged panels are refused by the
// package (Node) and the page, naming the file and the line.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { assertHeadline, download, isFirefox, openPageIn, pkgDir, plain, requirePkg, root, screenshot, startBrowser, waitForVerdict } from "./helpers.mjs";

const SHOTS = `${root}target/e2e-screenshots/${isFirefox ? "firefox-" : ""}`;
const EXAMPLE = JSON.parse(readFileSync(`${root}www/example.json`, "utf8"));
const lineageBin = `${process.env.CARGO_TARGET_DIR ?? `${root}target`}/debug/lineage`;

let work;
let server;
let browser;
let stop;
let pkg;

function lineage(...args) {
  try {
    return execFileSync(lineageBin, args, { encoding: "utf8", stdio: "pipe", env: { ...process.env, SOURCE_DATE_EPOCH: "1795000000" } });
  } catch (err) {
    throw new Error(`lineage ${args.join(" ")} failed:\n${err.stdout}${err.stderr}`);
  }
}

/** The example's answers of `source`, as JSON Lines records. */
const records = (source) =>
  EXAMPLE.samples.filter((s) => s.source === source).map((s) => JSON.stringify({ source, prompt_id: s.promptId, prompt: s.prompt, text: s.text })).join("\n") + "\n";

before(async () => {
  requirePkg();
  // The CLI of this checkout (cargo builds it only when it changed).
  execFileSync("cargo", ["build", "--quiet", "--bin", "lineage"], { cwd: root, stdio: "inherit" });
  work = mkdtempSync(join(tmpdir(), "lineage-panel-"));
  for (const source of ["heron-large", "osprey-chat", "kestrel-base", "wren-mini"]) writeFileSync(join(work, `${source}.jsonl`), records(source));
  lineage("panel", "build", join(work, "heron-large.jsonl"), join(work, "osprey-chat.jsonl"), join(work, "kestrel-base.jsonl"),
    "-o", join(work, "birds.lineage.jsonl.gz"), "--role", "kestrel-base=control");
  // The same panel with the candidates' vendor family in its header.
  lineage("panel", "build", join(work, "heron-large.jsonl"), join(work, "osprey-chat.jsonl"), join(work, "kestrel-base.jsonl"),
    "-o", join(work, "birds-families.lineage.jsonl.gz"), "--role", "kestrel-base=control", "--family", "BirdCo=heron-large,osprey-chat");
  pkg = await import(`${pkgDir}node.js`);
  ({ server, browser, stop } = await startBrowser());
});

after(async () => {
  await stop?.();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Damaged panels: (file name, bytes, the error's message). */
function damaged() {
  const good = readFileSync(join(work, "birds.lineage.jsonl.gz"));
  const lines = plainLines(good);
  const header = JSON.parse(lines[0]);
  return [
    ["plain.lineage.jsonl.gz", Buffer.from(lines.join("\n")), /^plain\.lineage\.jsonl\.gz: not gzip-compressed; .*uncompressed JSON Lines/],
    ["not-a-panel.lineage.jsonl.gz", gzipSync(lines.slice(1).join("\n")), /^not-a-panel\.lineage\.jsonl\.gz:1: not a Lineage panel: the first line must be the header/],
    ["version-2.lineage.jsonl.gz", gzipSync([JSON.stringify({ ...header, lineage_panel: 2 }), ...lines.slice(1)].join("\n")), /^version-2\.lineage\.jsonl\.gz:1: unknown panel schema version 2/],
    ["truncated.lineage.jsonl.gz", good.subarray(0, Math.floor(good.length * 0.6)), /^truncated\.lineage\.jsonl\.gz: the gzip stream ends early \(the file is incomplete: rebuild or copy it again\), after line \d+$/],
    ["bad-line.lineage.jsonl.gz", gzipSync([...lines.slice(0, 4), '{"source":"heron-large","text":7}', ...lines.slice(5)].join("\n")), /^bad-line\.lineage\.jsonl\.gz:5: bad answer: /],
    ["short.lineage.jsonl.gz", gzipSync(lines.slice(0, -3).join("\n") + "\n"), /^short\.lineage\.jsonl\.gz: the header announces 45 answers but the file holds 42 \(the file is incomplete\)$/],
  ];
}

function plainLines(gz) {
  return execFileSync("gzip", ["-dc"], { input: gz }).toString("utf8").trimEnd().split("\n");
}

test("the package reads a CLI panel with Workspace.addPanel: the header's roles, the answers, the file's SHA-256", async () => {
  const bytes = readFileSync(join(work, "birds.lineage.jsonl.gz"));
  const ws = new pkg.Workspace();
  const stages = [];
  const added = await ws.addPanel(new Blob([bytes]), { name: "birds.lineage.jsonl.gz" }, (stage, f) => stages.push([stage, f]));
  assert.equal(added.added, 45);
  assert.deepEqual(added.sources, ["heron-large", "kestrel-base", "osprey-chat"]);
  assert.deepEqual(added.panel.sources.map((s) => [s.source, s.role, s.answers]), [["heron-large", "candidate", 15], ["kestrel-base", "control", 15], ["osprey-chat", "candidate", 15]]);
  assert.equal(added.panel.name, "birds");
  assert.deepEqual(stages.at(-1), ["reading", 1]);
  // The same answers as the CLI reads: analysed against the suspect, the report lists the panel as an input.
  for (const s of EXAMPLE.samples.filter((x) => x.source === "wren-mini")) ws.add({ source: s.source, text: s.text, promptId: s.promptId, prompt: s.prompt });
  const report = ws.analyze({ suspect: "wren-mini", candidates: ["heron-large", "osprey-chat"], control: "kestrel-base" });
  assert.equal(report.verdict.kind, "attribution");
  assert.deepEqual(report.verdict.attributed, ["heron-large"]);
  const sha = execFileSync("sha256sum", [join(work, "birds.lineage.jsonl.gz")]).toString().split(" ")[0];
  assert.deepEqual(report.inputs.find((i) => i.name === "birds.lineage.jsonl.gz"), { name: "birds.lineage.jsonl.gz", sha256: sha, samples: 45, malformedLines: 0 });
  ws.free();
});

/** Each candidate's [name, family, familyFrom] in a report. */
const candidateFamilies = (report) => report.sources.filter((s) => s.role === "candidate").map((s) => [s.name, s.family, s.familyFrom]);

test("a panel's header families reach Workspace.addPanel's analyses, under the options' own", async () => {
  const bytes = readFileSync(join(work, "birds-families.lineage.jsonl.gz"));
  const ws = new pkg.Workspace();
  const added = await ws.addPanel(new Blob([bytes]), { name: "birds-families.lineage.jsonl.gz" });
  assert.deepEqual(added.panel.sources.map((s) => [s.source, s.family ?? null]), [["heron-large", "birdco"], ["kestrel-base", null], ["osprey-chat", "birdco"]]);
  for (const s of EXAMPLE.samples.filter((x) => x.source === "wren-mini")) ws.add({ source: s.source, text: s.text, promptId: s.promptId, prompt: s.prompt });
  const roles = { suspect: "wren-mini", candidates: ["heron-large", "osprey-chat"], control: "kestrel-base", bootstrapReps: 50, permutationReps: 50, robustness: false };
  // (the options' families; each candidate's [name, family, familyFrom])
  const cases = [
    [undefined, [["heron-large", "birdco", "user"], ["osprey-chat", "birdco", "user"]]],
    [{ "osprey-chat": "Sea" }, [["heron-large", "birdco", "user"], ["osprey-chat", "sea", "user"]]],
  ];
  for (const [families, want] of cases) {
    const report = ws.analyze(families ? { ...roles, families } : roles);
    assert.deepEqual(candidateFamilies(report), want, JSON.stringify(families));
  }
  ws.free();
  // panelText keeps the families it is given in the header, as the CLI does.
  const sample = { source: "a", promptId: "1", text: "An answer." };
  const [header] = pkg.panelText([sample], { name: "p", created: "2026-01-01T00:00:00Z", families: { a: "Vendor" } }).split("\n").map((l) => l && JSON.parse(l));
  assert.equal(header.sources[0].family, "vendor");
  assert.throws(() => pkg.panelText([sample], { name: "p", created: "x", families: { b: "v" } }), (err) => err.code === "BAD_ARGUMENT" && /--family names "b"/.test(err.message));
});

test("panelText refuses what makes no panel, naming it", () => {
  const sample = { source: "a", promptId: "1", text: "An answer." };
  // (samples, options, the error's code and message)
  const cases = [
    [[], { name: "p", created: "2026-01-01T00:00:00Z" }, "BAD_ARGUMENT", /no answers to build a panel from/],
    [[sample], { name: "p" }, "BAD_ARGUMENT", /created/],
    [[sample], { name: "p", created: "x", colour: "red" }, "BAD_ARGUMENT", /colour/],
    [[sample], { name: "p", created: "x", roles: { b: "control" } }, "BAD_ARGUMENT", /"b", which is not a source/],
    [[sample], { name: "p", created: "x", roles: { a: "teacher" } }, "BAD_ARGUMENT", /teacher/],
  ];
  for (const [samples, options, code, message] of cases) {
    assert.throws(() => pkg.panelText(samples, options), (err) => err.code === code && message.test(err.message), JSON.stringify(options));
  }
  const text = pkg.panelText([sample], { name: "p", created: "2026-01-01T00:00:00Z", roles: { a: "control" } });
  const [header, record] = text.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual([header.lineage_panel, header.name, header.records, header.sources[0].role], [1, "p", 1, "control"]);
  assert.deepEqual(record, { source: "a", prompt_id: "1", text: "An answer." });
});

test("damaged panels are refused by the package, naming the file and the line, as the CLI does", async () => {
  for (const [name, bytes, message] of damaged()) {
    const ws = new pkg.Workspace();
    await assert.rejects(ws.addPanel(new Blob([bytes]), { name }), (err) => {
      assert.equal(err.code, "READ_FAILED", name);
      assert.match(err.message.replace(/^Workspace\.addPanel: /, ""), message);
      return true;
    });
    assert.equal(ws.size, 0, `${name}: all or nothing`);
    ws.free();
    // The CLI says the same of the same file.
    writeFileSync(join(work, name), bytes);
    assert.throws(() => lineage("panel", "show", join(work, name)), (err) => {
      const cli = err.message.match(/error: READ_FAILED: (.*)/)?.[1] ?? err.message;
      assert.match(cli.replace(`${work}/`, ""), message, `the CLI on ${name}`);
      return true;
    });
  }
});

test("the page loads a CLI panel with the header's roles, and the suspect is analysed against it", async () => {
  const { page, ctx, problems } = await openPageIn(browser, server.url);
  await page.locator("#panel-file").setInputFiles(join(work, "birds.lineage.jsonl.gz"));
  await page.locator("#inputs-status", { hasText: /^Loaded the panel .*birds.*: 45 answers of 3 models/ }).waitFor({ timeout: 20_000 });
  const slots = await page.locator("fieldset.slot").evaluateAll((els) => els.map((f) => `${f.querySelector(".slot-name").value}:${f.querySelector("select").value}`));
  assert.deepEqual(slots, ["suspect:suspect", "heron-large:candidate", "kestrel-base:control", "osprey-chat:candidate"]);
  // The suspect's answers, dropped on the suspect's slot: the empty slot's placeholder name gives way to the file's source.
  await page.locator("fieldset.slot").nth(0).locator("input[type=file]").setInputFiles(join(work, "wren-mini.jsonl"));
  await page.locator("#analyze:enabled").waitFor({ timeout: 20_000 });
  await screenshot(page, `${SHOTS}20-panel-loaded.png`, { fullPage: true });
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  await assertHeadline(page, { legacy: /^wren-mini: the teacher is, at 99% confidence, heron-large\.$/, mentions: /^wren-mini\b.*heron-large/ });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("the page fills the slots' family fields from a panel's header, analyses with them and saves them back", async () => {
  const { page, ctx, problems } = await openPageIn(browser, server.url);
  await page.locator("#panel-file").setInputFiles(join(work, "birds-families.lineage.jsonl.gz"));
  await page.locator("#inputs-status", { hasText: /^Loaded the panel / }).waitFor({ timeout: 20_000 });
  const fields = await page.locator("fieldset.slot").evaluateAll((els) => els.map((f) => [f.querySelector(".slot-name").value, f.querySelector(".slot-family").value]));
  assert.deepEqual(fields, [["suspect", ""], ["heron-large", "birdco"], ["kestrel-base", ""], ["osprey-chat", "birdco"]]);
  // The user's word over the header's: osprey-chat retyped.
  await page.locator("fieldset.slot").nth(3).getByLabel("Family (vendor)").fill("Sea");
  await page.locator("fieldset.slot").nth(0).locator("input[type=file]").setInputFiles(join(work, "wren-mini.jsonl"));
  await page.locator("#analyze:enabled").waitFor({ timeout: 20_000 });
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  const report = JSON.parse((await download(page, page.locator("#export-json"))).bytes.toString("utf8"));
  assert.deepEqual(candidateFamilies(report), [["heron-large", "birdco", "user"], ["osprey-chat", "sea", "user"]]);
  // Saved as a panel, the fields are the header's families, which the CLI lists.
  await page.locator("#save-panel").click();
  await page.locator("#panel-name").fill("birds-again");
  const { name, bytes } = await download(page, page.locator("#save-panel-go"));
  writeFileSync(join(work, name), bytes);
  const header = JSON.parse(lineage("panel", "show", join(work, name), "--json"));
  assert.deepEqual(header.sources.map((s) => [s.source, s.family ?? null]), [["heron-large", "birdco"], ["kestrel-base", null], ["osprey-chat", "sea"]]);
  assert.match(lineage("panel", "show", join(work, name)), /osprey-chat .*family sea/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("the page saves its sources as a panel that `lineage panel show` reads: header, roles, every answer", async () => {
  const { page, ctx, problems } = await openPageIn(browser, server.url);
  await page.locator("#example").click();
  await page.locator("#save-panel").click();
  await page.locator("#panel-name").fill("example-birds");
  const { name, bytes } = await download(page, page.locator("#save-panel-go"));
  assert.equal(name, "example-birds.lineage.jsonl.gz");
  await page.locator("#inputs-status", { hasText: /^Saved 45 answers of 3 sources as example-birds\.lineage\.jsonl\.gz/ }).waitFor();
  const file = join(work, name);
  writeFileSync(file, bytes);
  const header = JSON.parse(lineage("panel", "show", file, "--json"));
  assert.equal(header.lineage_panel, 1);
  assert.equal(header.name, "example-birds");
  assert.match(header.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(header.records, 45);
  assert.deepEqual(header.sources.map((s) => [s.source, s.role, s.answers]), [["heron-large", "candidate", 15], ["kestrel-base", "control", 15], ["osprey-chat", "candidate", 15]]);
  // One gzip member, the header line first, then the records in the input format.
  const lines = plainLines(bytes);
  assert.equal(lines.length, 46);
  const first = JSON.parse(lines[1]);
  assert.deepEqual(Object.keys(first).sort(), ["prompt", "prompt_id", "source", "text"]);
  // And the CLI analyses the suspect against it (the example has 15
  // prompts, under the 30 the CLI asks for without --unpaired).
  const report = JSON.parse(lineage("analyze", "--panel", file, "--suspect", join(work, "wren-mini.jsonl"), "--unpaired", "--format", "json"));
  assert.deepEqual(report.verdict.attributed, ["heron-large"]);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("the page refuses damaged panels with the file and the line", async () => {
  const { page, ctx, problems } = await openPageIn(browser, server.url);
  for (const [name, bytes, message] of damaged()) {
    await page.locator("#panel-file").setInputFiles({ name, mimeType: "application/gzip", buffer: bytes });
    await page.locator("#inputs-status.error", { hasText: `The panel was not loaded: ${name}` }).waitFor({ timeout: 20_000 });
    const shown = (await page.locator("#inputs-status").textContent()).replace("The panel was not loaded: ", "");
    assert.match(shown, message, name);
    if (name.startsWith("truncated")) await screenshot(page, `${SHOTS}21-panel-truncated.png`);
  }
  assert.equal(await page.locator(".slot-name").first().inputValue(), "suspect", "nothing was loaded");
  assert.deepEqual(problems, []);
  await ctx.close();
});
