// Vendor families in the page: a family typed into a source slot's
// "Family (vendor)" field reaches the analysis as the user's word
// (options.families), the report says so (sources[].family with
// familyFrom "user"), the ranking shows it, and the field is kept with
// the inputs across a reload. The example's invented names are in no
// built-in table, so without a field each is a family of its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { download, isFirefox, openPageIn, plain, root, screenshot, useBrowser, waitForVerdict } from "./helpers.mjs";

const SHOTS = `${root}target/e2e-screenshots/${isFirefox ? "firefox-" : ""}`;

const env = useBrowser();

/** The slot (fieldset) whose name field reads `name`. */
async function slotNamed(page, name) {
  const names = await page.locator("fieldset.slot .slot-name").evaluateAll((els) => els.map((e) => e.value));
  assert.ok(names.includes(name), `no slot named ${name}: ${names}`);
  return page.locator("fieldset.slot").nth(names.indexOf(name));
}

/** Analyses what the page holds and returns the exported JSON report. */
async function analyse(page) {
  await page.locator("#analyze:enabled").waitFor({ timeout: 20_000 });
  await page.locator("#analyze").click();
  await waitForVerdict(page);
  return JSON.parse((await download(page, page.locator("#export-json"))).bytes.toString("utf8"));
}

/** Each candidate's [name, family, familyFrom] in a report. */
const candidateFamilies = (report) => report.sources.filter((s) => s.role === "candidate").map((s) => [s.name, s.family, s.familyFrom]);

test("a family typed into a slot reaches the report as the user's word, and is kept across a reload", async () => {
  const { page, ctx, problems } = await openPageIn(env.browser, env.server.url);
  await page.locator("#example").click();
  // Each slot has the labelled field, empty, with an example as its placeholder.
  const fields = page.getByLabel("Family (vendor)");
  assert.equal(await fields.count(), 4);
  assert.deepEqual(await fields.evaluateAll((els) => els.map((e) => [e.value, e.placeholder])), Array(4).fill(["", "e.g. openai"]));

  // (what is typed per slot; each candidate's [name, family, familyFrom] in the report)
  const cases = [
    [{}, [["heron-large", "heron-large", "own"], ["osprey-chat", "osprey-chat", "own"]]],
    [{ "heron-large": " Bird Co ", "osprey-chat": "bird co" }, [["heron-large", "bird co", "user"], ["osprey-chat", "bird co", "user"]]],
    [{ "heron-large": "", "osprey-chat": "Sea" }, [["heron-large", "heron-large", "own"], ["osprey-chat", "sea", "user"]]],
  ];
  for (const [typed, want] of cases) {
    for (const [name, family] of Object.entries(typed)) await (await slotNamed(page, name)).getByLabel("Family (vendor)").fill(family);
    const report = await analyse(page);
    assert.deepEqual(candidateFamilies(report), want, JSON.stringify(typed));
    // The ranking carries the families too, and the verdict names a family only when it is not the candidate's own name.
    assert.deepEqual(
      report.verdict.ranking.map((r) => [r.candidate, r.family]).sort(),
      want.map(([name, family]) => [name, family]).sort(),
    );
    const verdict = plain(await page.locator("#verdict").textContent());
    for (const [name, family] of want) {
      if (family !== name) assert.ok(verdict.includes(`${name} (family ${family})`), `${name}'s family in the ranking: ${verdict}`);
    }
  }
  await screenshot(page, `${SHOTS}40-families-typed.png`, { fullPage: true });

  // The fields are part of the saved inputs: a reload shows them again.
  await page.waitForTimeout(500); // past the store's 300 ms debounce
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.engine === "ready");
  await page.locator("fieldset.slot").nth(3).waitFor();
  assert.equal(await (await slotNamed(page, "osprey-chat")).getByLabel("Family (vendor)").inputValue(), "Sea");
  assert.deepEqual(problems, []);
  await ctx.close();
});
