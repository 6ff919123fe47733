// The page defects of issue 16, one test each (numbered as in the issue),
// driven as a user would in the real browser (Chromium, or Firefox with
// LINEAGE_BROWSER=firefox). Each failed before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isFirefox, jsonl, openPageIn, pageTestWith, plain, root, screenshot, slot, useBrowser, waitForVerdict, waitReady } from "./helpers.mjs";

const SHOTS = `${root}target/e2e-screenshots/${isFirefox ? "firefox-" : ""}`;
const EXAMPLE = JSON.parse(readFileSync(`${root}www/example.json`, "utf8"));

const env = useBrowser();

const openPage = (options) => openPageIn(env.browser, env.server.url, options);
const pageTest = pageTestWith(openPage);

/** The example's records as JSON Lines, each source renamed by `rename`. */
function exampleFile(rename = (s) => s, extra = () => "") {
  return jsonl(EXAMPLE.samples.map((s) => ({ source: rename(s.source), prompt_id: s.promptId, prompt: s.prompt, text: s.text + extra(s) })));
}

async function analyse(page) {
  await page.locator("#analyze:enabled").waitFor({ timeout: 20_000 });
  await page.locator("#analyze").click();
  await waitForVerdict(page);
}

pageTest("1. arrowing through a slot's Role menu keeps the keyboard focus on it", async (page) => {
  await page.locator("#example").click();
  const role = slot(page, 1).locator("select");
  const id = await role.getAttribute("id");
  await role.focus();
  // (key, the role it gives): each change restyles the slot, and focus stays.
  const steps = [
    ["ArrowDown", "control"],
    ["ArrowDown", "ignore"],
    ["ArrowUp", "control"],
  ];
  for (const [key, want] of steps) {
    if (isFirefox) {
      // Firefox opens the list on an arrow key in a closed <select>; the
      // change is the same user action: a new value and its change event.
      await role.selectOption(want);
    } else {
      await page.keyboard.press(key);
    }
    await page.waitForTimeout(150);
    assert.equal(await role.inputValue(), want, key);
    assert.equal(await page.evaluate(() => document.activeElement?.id), id, `focus left the Role menu after ${key}`);
    assert.match(await slot(page, 1).getAttribute("class"), new RegExp(`role-${want}`));
  }
});

pageTest("2. the over-use table lists only what both over-use; shared under-use is named apart", async (page) => {
  // Checked on the example in page.test.mjs (its function-word evidence
  // holds osprey-chat's shared *under*-use, z < 0 for both); here the rows'
  // counts: nobody over-uses a word it never writes.
  await page.locator("#example").click();
  await analyse(page);
  const rows = await page.locator("#habits-table tbody tr").evaluateAll((trs) => trs.map((r) => [...r.cells].map((c) => c.textContent)));
  const sources = (await page.locator("#habits-table thead th").allTextContents()).slice(5);
  for (const cells of rows) {
    const [candidate, item, zs, zc] = cells;
    assert.ok(Number(zs.replace("−", "-")) > 0 && Number(zc.replace("−", "-")) > 0, `${item}: z ${zs}, ${zc}`);
    const count = (source) => Number(cells[5 + sources.indexOf(source)].split(" ")[0]);
    assert.ok(count("wren-mini") > 0 && count(candidate) > 0, `${item} over-used by ${candidate} yet counted ${cells.slice(5)}`);
  }
});

pageTest("3. a binary file named .txt is refused beside the file buttons, and the status does not stay on 'Reading'", async (page) => {
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
  // (file, what the page says): binary and non-UTF-8 text are refused; a
  // gzipped .txt is read.
  const cases = [
    [{ name: "notes.txt", buffer: binary }, /^notes\.txt was not added: it holds binary data/],
    [{ name: "latin1.txt", buffer: Buffer.from("caf\xe9 cr\xe8me", "latin1") }, /^latin1\.txt was not added: it is not UTF-8 text/],
    [{ name: "answers.txt", buffer: Buffer.from("first answer here\n\nsecond answer there\n") }, /^Added answers\.txt: 2 text\(s\)\./],
  ];
  for (const [file, want] of cases) {
    await page.locator("#files-all").setInputFiles({ ...file, mimeType: "text/plain" });
    await page.locator("#inputs-status").filter({ hasText: want }).waitFor({ timeout: 10_000 });
    assert.doesNotMatch(await page.locator("#status").textContent(), /^Reading/);
  }
  assert.equal(await page.locator("#inputs-status.error").count(), 0, "the last message is no error");
  // Nothing of the binary files became a source.
  const names = await page.locator(".slot-name").evaluateAll((els) => els.map((e) => e.value));
  assert.ok(!names.includes("notes") && !names.includes("latin1"), names.join());
  // The message sits right under the buttons that added the file.
  const [button, message] = await Promise.all([page.locator("label[for=files-all]").boundingBox(), page.locator("#inputs-status").boundingBox()]);
  assert.ok(message.y - (button.y + button.height) < 120, `the message is ${message.y - button.y}px below the button`);
});

pageTest("4. a CSV quote left open is reported by line and does not swallow the rows after it", async (page) => {
  const csv = 'source,prompt_id,text\nx,1,"an answer whose quote is never closed\nx,2,second answer\nx,3,third answer\n';
  await slot(page, 1).locator("input[type=file]").setInputFiles({ name: "open-quote.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.locator("#status", { hasText: /^Added open-quote\.csv/ }).waitFor();
  const errors = await slot(page, 1).locator(".line-errors li").allTextContents();
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^line 2: .*never closed/);
  await slot(page, 1).locator(".slot-counts", { hasText: /^2 sample\(s\) · 4 words/ }).waitFor();
});

pageTest("5. results are marked stale after any change of role, text or setting, until the next analysis", async (page) => {
  await page.locator("#example").click();
  await analyse(page);
  // (what the user changes) -> the results say they are out of date.
  const changes = [
    ["a role", () => slot(page, 3).locator("select").selectOption("ignore")],
    ["a text", () => slot(page, 0).locator(".slot-paste").fill("One more answer, pasted after the analysis.")],
    ["a setting", async () => {
      await page.locator("#settings summary").click();
      await page.locator("#opt-seed").fill("7");
      await page.locator("#opt-seed").dispatchEvent("change");
    }],
  ];
  for (const [what, change] of changes) {
    assert.equal(await page.locator("#stale").isVisible(), false, `stale before changing ${what}`);
    await change();
    await page.locator("#stale").waitFor({ state: "visible", timeout: 5_000 });
    assert.match(await page.locator("#results").getAttribute("class"), /stale/);
    if (what === "a role") await screenshot(page, `${SHOTS}11-stale.png`);
    await analyse(page);
  }
});

test("6. a multi-source file dropped on a candidate's slot never changes the suspect", async () => {
  const { page, ctx, problems } = await openPage();
  // The slots are: suspect (empty, waiting for the suspect's answers), candidate-1, candidate-2.
  const records = [
    { source: "alpha", prompt_id: "1", text: "Alpha's answer." },
    { source: "beta", prompt_id: "1", text: "Beta's answer." },
    { source: "gamma", prompt_id: "1", text: "Gamma's answer." },
  ];
  await slot(page, 2).locator("input[type=file]").setInputFiles({ name: "three.jsonl", mimeType: "application/json", buffer: jsonl(records) });
  await page.locator("#status", { hasText: /^Added three\.jsonl/ }).waitFor();
  const slots = await page.locator("fieldset.slot").evaluateAll((els) => els.map((f) => [f.querySelector(".slot-name").value, f.querySelector("select").value]));
  assert.deepEqual(slots[0], ["suspect", "suspect"], "the suspect's slot kept its name and role");
  assert.deepEqual(slots.slice(1).map(([name, role]) => `${name}:${role}`).sort(), ["alpha:candidate", "beta:candidate", "gamma:candidate"]);
  assert.equal(await slot(page, 2).locator(".slot-name").inputValue(), "alpha", "the slot dropped on holds the file's first source");
  await slot(page, 0).locator(".slot-counts", { hasText: /^0 sample/ }).waitFor();
  // "Add files" on an empty page fills the slots in file order and says which roles that gave.
  const fresh = await openPage();
  await fresh.page.locator("#files-all").setInputFiles({ name: "three.jsonl", mimeType: "application/json", buffer: jsonl(records) });
  await fresh.page.locator("#inputs-status", { hasText: /Roles were given in file order: suspect \u2068alpha\u2069; candidates \u2068beta\u2069, \u2068gamma\u2069\. Check them/ }).waitFor();
  assert.deepEqual(problems, []);
  assert.deepEqual(fresh.problems, []);
  await fresh.ctx.close();
  await ctx.close();
});

test("7. an edit made just before a reload is kept", async () => {
  // (what is typed, where): reloaded at once, well inside the save's 300 ms.
  // In ten fresh pages: the browser drops the IndexedDB write of a page
  // being left now and then (one fresh page's first reload in ten, in
  // Chromium), which one page would rarely show.
  for (let i = 0; i < 10; i++) {
    const { page, ctx, problems } = await openPage();
    for (const [value, field] of [[`kept across an immediate reload ${i}`, ".slot-paste"], [`renamed-just-now-${i}`, ".slot-name"]]) {
      await slot(page, 1).locator(field).fill(value);
      await page.reload();
      await waitReady(page);
      assert.equal(await slot(page, 1).locator(field).inputValue(), value, `${field}, page ${i}`);
    }
    // A save that finishes removes the journal the last reload may have left
    // (localStorage), so an old journal never outranks a newer save.
    await slot(page, 1).locator(".slot-name").fill(`settled-${i}`);
    await page.waitForFunction(() => localStorage.getItem("lineage:journal") === null, null, { timeout: 5_000 });
    assert.deepEqual(problems, []);
    await ctx.close();
  }
});

pageTest("8. an over-long pasted text blocks Analyse at once, in plain words, and typing stays fast", async (page) => {
  await page.locator("#example").click();
  await page.locator("#analyze:enabled").waitFor();
  const long = Array.from({ length: 110_000 }, (_, i) => `word${i % 97} and more`).join(" "); // 1.8 million characters, one text
  await slot(page, 2).locator(".slot-paste").fill(long);
  // Moved out of the text box (a box of megabytes takes seconds per key)...
  await page.locator("#inputs-status", { hasText: /was moved out of the text box/ }).waitFor({ timeout: 10_000 });
  assert.equal(await slot(page, 2).locator(".slot-paste").inputValue(), "");
  assert.match(await slot(page, 2).locator(".file-list").textContent(), /pasted text \(1\.\d million characters\): 1 record/);
  // ...and refused before Analyse is pressed, saying what and where, without internal words.
  await page.locator("#checks li.block", { hasText: /an answer of osprey-chat \(it has no prompt id\) is 1\.\d MiB long; the limit is 1 MiB per text/ }).waitFor();
  assert.equal(await page.locator("#analyze").isDisabled(), true);
  assert.match(await page.locator("#analyze-hint").textContent(), /^Needed first: an answer of osprey-chat/);
  const checks = await page.locator("#checks").textContent();
  assert.doesNotMatch(checks, /TOO_LARGE|analyze:|prompt -/);
  // Typing in a slot goes at the speed of typing.
  const box = slot(page, 0).locator(".slot-paste");
  await box.click();
  const started = Date.now();
  await page.keyboard.type("abcdefghij");
  const perKey = (Date.now() - started) / 10;
  assert.ok(perKey < 150, `${perKey} ms per key`);
  await screenshot(page, `${SHOTS}12-too-long.png`);
});

pageTest("9. charts fit long and right-to-left names; names are isolated; dots stay in the frame; leak quotes are single", async (page) => {
  const RLO = "\u202e";
  const names = {
    "wren-mini": "wren-mini-distilled-from-an-unknown-teacher-v2",
    "heron-large": `${RLO}heron-large`,
    "osprey-chat": "osprey-chat-with-a-rather-long-name-indeed",
    "kestrel-base": "kestrel-base",
  };
  // Three of the suspect's answers say who made it (an identity leak).
  const leak = (s) => (s.source === "wren-mini" && ["p01", "p02", "p03"].includes(s.promptId) ? " I am ChatGPT, a large language model trained by OpenAI." : "");
  await page.locator("#files-all").setInputFiles({ name: "renamed.jsonl", mimeType: "application/json", buffer: exampleFile((s) => names[s], leak) });
  await page.locator("#status", { hasText: /^Added renamed\.jsonl/ }).waitFor();
  // File order gave wren-mini the suspect; the rest: candidates, kestrel the control.
  await slot(page, 3).locator("select").selectOption("control");
  await analyse(page);
  // Every element of every chart lies inside its SVG box.
  const outside = await page.locator("#charts svg").evaluateAll((svgs) =>
    svgs.flatMap((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll("text, circle, rect, path, line")]
        .map((el) => [el, el.getBoundingClientRect()])
        .filter(([, r]) => r.width + r.height > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1))
        .map(([el, r]) => `${svg.closest("figure").id} <${el.tagName}> "${el.textContent.slice(0, 30)}" x ${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)}, y ${Math.round(r.top - box.top)}..${Math.round(r.bottom - box.top)} of ${Math.round(box.height)}`);
    }),
  );
  assert.deepEqual(outside, []);
  // Every dot of the prompt-by-prompt chart lies between its row's name and its share.
  const dots = await page.locator("#chart-prompts svg").evaluate((svg) => {
    const names = Math.max(...[...svg.querySelectorAll("text.name")].map((t) => t.getBoundingClientRect().right));
    const shares = Math.min(...[...svg.querySelectorAll("text.share")].map((t) => t.getBoundingClientRect().left));
    return [...svg.querySelectorAll("circle")].filter((c) => {
      const r = c.getBoundingClientRect();
      return r.left < names || r.right > shares;
    }).length;
  });
  assert.equal(dots, 0, "dots over the names or the shares");
  // A name in running text is set apart, so "\u202eheron-large +1.07" cannot turn the number around.
  const verdict = await page.locator("#verdict").textContent();
  assert.ok(verdict.includes(`\u2068${names["heron-large"]}\u2069`), "the name is isolated");
  let depth = 0;
  for (const [i, ch] of [...verdict].entries()) {
    if (ch === "\u2068") depth++;
    else if (ch === "\u2069") depth--;
    else if (ch === RLO) assert.ok(depth > 0, `an override outside an isolate at ${i}: ${verdict.slice(Math.max(0, i - 40), i + 20)}`);
  }
  // Identity leaks: the quote marks come from <q> alone.
  const leakItem = page.locator("#leaks-list li").first();
  await leakItem.waitFor();
  assert.equal(await leakItem.locator("q").count(), 1);
  assert.doesNotMatch(await leakItem.textContent(), /[“”]/, "quote marks doubled");
  await screenshot(page, `${SHOTS}13-long-names.png`, { fullPage: true });
  for (const [key, selector] of [["verdict", "#verdict"], ["kinship", "#chart-kinship"], ["scores", "#chart-scores"], ["prompts", "#chart-prompts"], ["tree", "#chart-tree"]]) {
    await page.locator(selector).screenshot({ path: `${SHOTS}13-long-names-${key}.png`, caret: "initial" });
  }
});

pageTest("10. frictions: what is needed is said beside the disabled Analyse button; role labels are whole", async (page) => {
  // A blank page: Analyse is disabled, and nothing says "Ready." beside it.
  assert.equal(await page.locator("#analyze").isDisabled(), true);
  await page.locator("#analyze-hint", { hasText: /^Needed first: / }).waitFor();
  assert.doesNotMatch(await page.locator("#status").textContent(), /^Ready/);
  await page.locator("#example").click();
  await page.locator("#analyze:enabled").waitFor();
  assert.equal(await page.locator("#analyze-hint").textContent(), "");
  // Every role's label fits its menu (not cut off).
  const cut = await page.locator("fieldset.slot select").evaluateAll((selects) =>
    selects.flatMap((sel) =>
      [...sel.options].map((o) => {
        const c = document.createElement("canvas").getContext("2d");
        c.font = getComputedStyle(sel).font;
        return c.measureText(o.text).width > sel.clientWidth - 24 ? `${o.text} in ${sel.clientWidth}px` : null;
      }),
    ).filter(Boolean),
  );
  assert.deepEqual(cut, []);
});
