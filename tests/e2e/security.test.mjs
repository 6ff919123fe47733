// Page security and privacy: no request leaves the origin (and none at all
// while pasted text is profiled), the Content-Security-Policy is in force
// (an injected inline script and eval are blocked and reported), pasted
// HTML/JS renders as text, and the page's and package's code never writes
// HTML from strings or evaluates code (a static check).
//
// The page is driven through its public controls: the source slots' paste
// areas, the Analyse button and the status line.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fillPastes, root, startBrowser, waitReady } from "./helpers.mjs";


/** Every hand-written .js/.mjs/.html file under a directory (www/pkg is generated). */
function sources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "pkg" && name !== "node_modules") out.push(...sources(path));
    } else if (/\.(m?js|html)$/.test(name)) {
      out.push(path);
    }
  }
  return out;
}

// (what, pattern): sinks that turn a string into markup or code.
const SINKS = [
  ["innerHTML", /\.innerHTML\b/],
  ["outerHTML", /\.outerHTML\b/],
  ["insertAdjacentHTML", /\binsertAdjacentHTML\b/],
  ["document.write", /\bdocument\.write(ln)?\s*\(/],
  ["eval", /(^|[^.\w])eval\s*\(/],
  ["new Function", /\bnew\s+Function\s*\(/],
  ["string timer", /\bset(Timeout|Interval)\s*\(\s*["'`]/],
  ["javascript: URL", /javascript:/i],
];

test("no HTML-from-string or code-from-string sinks in www/ and pkg-template/", () => {
  const files = [...sources(join(root, "www")), ...sources(join(root, "pkg-template"))];
  assert.ok(files.length >= 3, `found only ${files.length} files to check`);
  const hits = [];
  for (const file of files) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        // Comments may name the sinks (to say they are not used).
        const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
        for (const [what, re] of SINKS) {
          if (re.test(code)) hits.push(`${relative(root, file)}:${i + 1}: ${what}: ${line.trim()}`);
        }
      });
  }
  assert.deepEqual(hits, []);
});

test("the static check catches each sink (it can fail)", () => {
  const samples = {
    innerHTML: "el.innerHTML = text;",
    outerHTML: "el.outerHTML = text;",
    insertAdjacentHTML: "el.insertAdjacentHTML('beforeend', text);",
    "document.write": "document.write(text);",
    eval: "const x = eval(text);",
    "new Function": "const f = new Function(text);",
    "string timer": "setTimeout('run()', 10);",
    "javascript: URL": "a.href = 'javascript:alert(1)';",
  };
  for (const [what, re] of SINKS) assert.ok(re.test(samples[what]), what);
  assert.ok(!SINKS.some(([, re]) => re.test("node.textContent = text; evaluate(x); retrieval(y);")));
});

let server;
let browser;

let stop;

before(async () => {
  ({ server, browser, stop } = await startBrowser());
});

after(() => stop?.());

/** Opens the page, records requests (page and worker) and CSP violations, waits for the engine. */
async function openPage() {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const requests = [];
  ctx.on("request", (req) => requests.push(req.url()));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(server.url);
  await waitReady(page);
  await page.waitForLoadState("networkidle");
  return { page, ctx, requests };
}

const PAYLOADS = [
  `<img src=x onerror="window.__xss='img'"> <script>window.__xss='script'</script>`,
  `<svg onload="window.__xss='svg'"></svg> <a href="javascript:window.__xss='link'">click</a>`,
  `"><iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe> {{constructor.constructor('window.__xss=1')()}}`,
];

/** Twelve pasted samples (blank-line separated), each carrying a payload. */
function pasted(style) {
  return Array.from(
    { length: 12 },
    (_, i) => `${style} answer ${i + 1}: Certainly! Here is a normal sentence so the profile has words to count. ${PAYLOADS[i % PAYLOADS.length]}`,
  ).join("\n\n");
}

test("pasted HTML and JS render as text, and nothing is requested while analysing", async () => {
  const { page, ctx, requests } = await openPage();
  const origin = new URL(server.url).origin;
  assert.ok(requests.length > 0);
  for (const url of requests) assert.equal(new URL(url).origin, origin, `request left the origin: ${url}`);
  const before = requests.length;

  await fillPastes(page, [pasted("Suspect"), pasted("First"), pasted("Second, in short,")]);
  await page.locator("#analyze:enabled").waitFor();
  await page.locator("#analyze").click();
  await page.locator("#status", { hasText: /^(Done in|The analysis stopped|Cancelled)/ }).waitFor({ timeout: 60_000 });
  assert.match(await page.locator("#status").textContent(), /^Done in/);
  await page.waitForTimeout(300);

  const after = requests.slice(before).filter((u) => !u.startsWith("blob:") && !u.startsWith("data:"));
  assert.deepEqual(after, [], "requests after load");
  const state = await page.evaluate(() => ({
    xss: window.__xss,
    injected: document.querySelectorAll("body img, body svg[onload], body iframe, body script:not([src]), body a[href^='javascript']").length,
  }));
  assert.equal(state.xss, undefined);
  assert.equal(state.injected, 0);
  // The side-by-side view shows the answers, payload included, as text.
  const shown = await page.locator("#sbs").innerText();
  assert.ok(shown.includes("<img src=x onerror="), `the payload is shown as text: ${shown.slice(0, 300)}`);
  await ctx.close();
});

test("the CSP is in force: inline scripts and eval are blocked and reported", async () => {
  const { page, ctx } = await openPage();
  await page.route("**/__eval_probe.js", (route) =>
    route.fulfill({
      contentType: "text/javascript",
      body: "try { eval('1'); window.__evalProbe = 'eval ran'; } catch (e) { window.__evalProbe = e.name; }",
    }),
  );
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
  const result = await page.evaluate(async () => {
    const s = document.createElement("script");
    s.textContent = "window.__inline = 1";
    document.body.append(s);
    const handler = document.createElement("button");
    handler.setAttribute("onclick", "window.__handler = 1");
    document.body.append(handler);
    handler.click();
    // eval from a same-origin script file (evaluate() itself runs outside
    // the page's CSP): the probe is served by the route set up below.
    const probe = document.createElement("script");
    probe.src = "/__eval_probe.js";
    const loaded = new Promise((r) => probe.addEventListener("load", r));
    document.body.append(probe);
    await loaded;
    const evalResult = window.__evalProbe;
    await new Promise((r) => setTimeout(r, 100));
    return { inline: window.__inline, handler: window.__handler, evalResult, violations: window.__violations };
  });
  assert.equal(result.inline, undefined, "inline script ran");
  assert.equal(result.handler, undefined, "inline event handler ran");
  assert.equal(result.evalResult, "EvalError", "eval was not blocked");
  assert.ok(result.violations.some((v) => v.startsWith("script-src")), JSON.stringify(result.violations));
  await ctx.close();
});
