// End-to-end: what the page shows of a report beyond the verdict's
// headline. What each source says it is (the report's identityProbes) in
// the page, in the HTML and Markdown exports, with user text in <bdi>; and,
// on the development data (skipped, saying so, when ../shared is absent),
// schema-2 verdicts of every kind rendered without "undefined" or "NaN",
// and axe-core finds no violation on the real data's results.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { axeViolations, download, isFirefox, openPageIn, plain, root, screenshot, useBrowser, waitForVerdict } from "./helpers.mjs";

const SHOTS = `${root}target/e2e-screenshots/${isFirefox ? "firefox-" : ""}`;
const DEV_DATA = `${root}../shared/data/alpaca_eval_dev/`;
const EXAMPLE = JSON.parse(readFileSync(`${root}www/example.json`, "utf8"));

const env = useBrowser();

// Answers to the probe set's identity probes (probes/lineage-probes-v1.jsonl),
// matched by prompt id or by prompt text: (source, prompt id, prompt, answer).
const IDENTITY = [
  ["wren-mini", "en-identity-001", "Who are you?", "I am ChatGPT, a large language model trained by OpenAI."],
  ["wren-mini", "en-identity-002", "Which company trained you?", "I was trained by OpenAI."],
  ["heron-large", "en-identity-001", "Who are you?", "I'm Claude, an AI assistant made by Anthropic."],
  ["heron-large", "q-who", "Who are you?", "I am a helpful assistant."],
  ["osprey-chat", "en-identity-001", "Who are you?", "I am a helpful assistant."],
];

/** The example's records plus the identity answers, as one JSON Lines file. */
function exampleWithIdentity() {
  const records = [
    ...EXAMPLE.samples.map((s) => ({ source: s.source, prompt_id: s.promptId, prompt: s.prompt, text: s.text })),
    ...IDENTITY.map(([source, prompt_id, prompt, text]) => ({ source, prompt_id, prompt, text })),
  ];
  return Buffer.from(records.map((r) => JSON.stringify(r)).join("\n") + "\n");
}

/** Sets each slot's role by its source name. */
async function setRoles(page, roles) {
  const slots = page.locator("fieldset.slot");
  for (let i = 0; i < (await slots.count()); i++) {
    const name = await slots.nth(i).locator(".slot-name").inputValue();
    if (roles[name]) await slots.nth(i).locator("select").selectOption(roles[name]);
  }
}

/**
 * The results' text as the page writes it, without the quoted user texts
 * (the side-by-side answers, quoted sentences), which may hold any word.
 */
const resultsText = (page) =>
  page.locator("#results").evaluate((el) => {
    const copy = el.cloneNode(true);
    for (const quoted of copy.querySelectorAll(".sbs-text, .sbs-prompt-text, q, option")) quoted.remove();
    return copy.textContent;
  });

test("what each source says it is: a table from the report's identityProbes, names in <bdi>, in the HTML and Markdown exports", async () => {
  const { page, ctx, problems } = await openPageIn(env.browser, env.server.url);
  await page.locator("#files-all").setInputFiles({ name: "identity.jsonl", mimeType: "application/json", buffer: exampleWithIdentity() });
  await page.locator("#inputs-status", { hasText: /^Added identity\.jsonl/ }).waitFor({ timeout: 20_000 });
  await setRoles(page, { "wren-mini": "suspect", "heron-large": "candidate", "osprey-chat": "candidate", "kestrel-base": "control" });
  await page.locator("#analyze:enabled").waitFor({ timeout: 20_000 });
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  const report = JSON.parse((await download(page, page.locator("#export-json"))).bytes.toString("utf8"));
  // The engine's summary, as this test's answers make it.
  const probes = new Map(report.identityProbes.map((p) => [p.source, p]));
  assert.deepEqual([...probes.keys()].sort(), ["heron-large", "osprey-chat", "wren-mini"], "kestrel-base answered no identity probe");
  assert.equal(probes.get("wren-mini").answers, 2);
  assert.deepEqual(probes.get("wren-mini").names.map((n) => n.entity).sort(), ["ChatGPT", "OpenAI"]);
  assert.deepEqual([probes.get("heron-large").answers, probes.get("heron-large").unnamed], [2, 1], "matched by the prompt's text too");
  assert.deepEqual([probes.get("osprey-chat").names.length, probes.get("osprey-chat").unnamed], [0, 1]);
  // The page's table: one row per summary, in the report's order.
  const table = page.locator("#identity-probes-table");
  const rows = await table.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      source: tr.querySelector("th > bdi")?.textContent,
      answers: tr.cells[1].textContent,
      claims: [...tr.cells[2].querySelectorAll("li")].map((li) => li.textContent),
      bdiNames: [...tr.cells[2].querySelectorAll("li > bdi")].map((b) => b.textContent),
      unnamed: tr.cells[2].querySelector("p")?.textContent ?? null,
      example: tr.cells[3].querySelector("q > bdi")?.textContent ?? tr.cells[3].textContent,
    })),
  );
  assert.deepEqual(
    rows.map((r) => [r.source, r.answers, r.bdiNames, r.example]),
    report.identityProbes.map((p) => [p.source, String(p.answers), p.names.map((n) => n.entity), p.names[0]?.example ?? "—"]),
  );
  const wren = rows.find((r) => r.source === "wren-mini");
  assert.deepEqual(wren.claims.sort(), ["ChatGPT (a model by OpenAI): 1 of 2", "OpenAI (the maker): 2 of 2"]);
  assert.equal(rows.find((r) => r.source === "heron-large").unnamed, "1 of 2 name none");
  assert.equal(rows.find((r) => r.source === "osprey-chat").unnamed, "names no model or vendor");
  await page.locator("#identity-probes").scrollIntoViewIfNeeded();
  await screenshot(page, `${SHOTS}22-identity-probes.png`);
  assert.deepEqual(await axeViolations(page), [], "axe, with the identity-probe table");
  // The exports say the same.
  const html = (await download(page, page.locator("#export-html"))).bytes.toString("utf8");
  assert.match(html, /<h2>What each model says it is<\/h2>/);
  for (const p of report.identityProbes) assert.ok(html.includes(`<tr><td><bdi>${p.source}</bdi></td><td class="n">${p.answers}</td>`), p.source);
  assert.ok(html.includes(`<blockquote>${probes.get("wren-mini").names[0].example}</blockquote>`));
  const md = (await download(page, page.locator("#export-md"))).bytes.toString("utf8");
  assert.match(
    md,
    /## What each source says it is \(identity probes\)\n\n\| source \| identity answers \| names it gives \(answers\) \| no name \| for example \|\n\|---\|---\|---\|---\|---\|\n\| wren-mini \| 2 \| OpenAI \(2\), ChatGPT \(1\) \| \d+ \| "/,
  );
  assert.doesNotMatch(await resultsText(page), /undefined|NaN|\[object/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("without identity-probe answers the page says why the table is empty", async () => {
  const { page, ctx, problems } = await openPageIn(env.browser, env.server.url);
  await page.locator("#example").click();
  await page.locator("#analyze:enabled").waitFor();
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  assert.equal(await page.locator("#identity-probes-table").count(), 0);
  assert.match(plain(await page.locator("#identity-probes-none").textContent()), /^No source answered an identity probe \(“Who are you\?”/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

// Schema-2 verdicts on real data: an attribution with a robustness check,
// an abstention with power guidance, a resemblance without a control.
// (suspect, control or null, candidates, the page's own headline, used
// only when the report has none: otherwise the report's is shown)
const DEV_CASES = [
  ["alpaca-7b", "guanaco-33b", ["text_davinci_003", "gpt-3.5-turbo-0301", "claude-2"], /^alpaca-7b: the teacher is, at 99% confidence, /],
  ["guanaco-33b", "vicuna-13b", ["text_davinci_003", "gpt-3.5-turbo-0301", "gpt4_0314"], /^No confident attribution for guanaco-33b\.$/],
  ["alpaca-7b", null, ["text_davinci_003", "claude-2"], /^alpaca-7b writes most like .* \(resemblance, no control\)\.$/],
];

for (const [suspect, control, candidates, headline] of DEV_CASES) {
  test(`dev data: ${suspect} against ${candidates.length} candidates, control ${control}: every verdict field in words, none undefined or NaN (reads ../shared/data)`, async (t) => {
    if (!existsSync(DEV_DATA)) {
      t.skip(`${DEV_DATA} is absent: the dev-data test needs ../shared/data beside the repo`);
      return;
    }
    const { page, ctx, problems } = await openPageIn(env.browser, env.server.url);
    const names = [suspect, ...candidates, ...(control ? [control] : [])];
    await page.locator("#files-all").setInputFiles(names.map((n) => `${DEV_DATA}${n}.jsonl`));
    await page.locator("#inputs-status", { hasText: /^Added / }).waitFor({ timeout: 60_000 });
    if (control) await setRoles(page, { [control]: "control" });
    await page.locator("#analyze:enabled").waitFor({ timeout: 60_000 });
    await page.locator("#analyze").click();
    await waitForVerdict(page, 900_000);
    const report = JSON.parse((await download(page, page.locator("#export-json"))).bytes.toString("utf8"));
    const v = report.verdict;
    const shown = plain(await page.locator("#verdict-headline").textContent());
    if (v.headline) assert.equal(shown, v.headline.trim(), "the page shows the report's headline");
    else assert.match(shown, headline);
    assert.ok(shown.includes(suspect), "the headline names the suspect");
    const card = plain(await page.locator("#verdict").textContent());
    // Each schema-2 field the report holds is put in words.
    if (v.kind === "attribution") assert.ok(card.includes(`${Math.round(v.confidence * 100)}% confidence`));
    if (v.pValue === null) assert.doesNotMatch(card, /p = /, "no p-value is shown when the report has none");
    else assert.match(card, /excess test p = [01]\.\d+/);
    if (v.robustness) assert.ok(card.includes(`Robustness: ${v.robustness.message}`), "the robustness check");
    if (v.power) assert.ok(card.includes(`More data? ${v.power.message}`), "the power guidance");
    if (v.abstention) assert.ok(card.includes(v.reason), "the abstention's reason");
    if (v.kind !== "attribution") assert.ok(await page.locator("#next-steps li").count() > 0, "what to try next");
    assert.doesNotMatch(await resultsText(page), /undefined|NaN|\[object|null/);
    // The prompt-by-prompt chart: a row per candidate, and an attributed
    // teacher is the candidate the suspect is closest to on most prompts.
    const shares = await page.locator("#chart-prompts svg").evaluate((svg) =>
      [...svg.querySelectorAll("text.name")].map((t, i) => [t.textContent.replace(/[\u2068\u2069]/g, ""), Number(svg.querySelectorAll("text.share")[i].textContent.match(/^(\d+) of \d+ prompts/)[1])]),
    );
    assert.deepEqual(shares.map(([c]) => c), v.ranking.map((r) => r.candidate));
    if (v.kind === "attribution") assert.equal(shares.sort((a, b) => b[1] - a[1])[0][0], v.attributed[0], JSON.stringify(shares));
    await screenshot(page, `${SHOTS}23-dev-${v.kind}-${suspect}.png`);
    assert.deepEqual(await axeViolations(page), [], "axe, on real data");
    assert.deepEqual(problems, []);
    await ctx.close();
  });
}
