// The generated JS package (the same files the page loads, www/pkg) used
// from Node, through its real glue: argument checks, Error codes, field
// names. Loaded with initSync and the .wasm bytes, so no fetch is needed.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { pkgDir, requirePkg, root, UKRAINIAN } from "./helpers.mjs";

let lineage;

before(async () => {
  requirePkg();
  lineage = await import(`${pkgDir}lineage.js`);
  lineage.initSync({ module: readFileSync(`${pkgDir}lineage_bg.wasm`) });
});

test("version() is the crate version", () => {
  const cargo = readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8");
  const version = cargo.match(/^version = "([^"]+)"/m)[1];
  assert.equal(lineage.version(), version);
});

test("profile() counts the Ukrainian paragraph like the page does", () => {
  const p = lineage.profile(UKRAINIAN.text);
  assert.equal(p.words, UKRAINIAN.words);
  assert.equal(p.sentences, UKRAINIAN.sentences);
  assert.equal(p.paragraphs, UKRAINIAN.paragraphs);
  assert.equal(p.bytes, Buffer.byteLength(UKRAINIAN.text.normalize("NFC")));
  assert.equal(Object.getPrototypeOf(p), Object.prototype);
  assert.equal(Object.getPrototypeOf(p.punctuationPer1000), Object.prototype);
});

test("profile() throws an Error with a code on bad arguments, and stays usable", () => {
  const cases = [
    [[42], /text must be a string, got number/],
    [[], /text must be a string, got undefined/],
    [[{ text: "x" }], /text must be a string, got object/],
    [["x", { topk: 3 }], /options\.topk: unknown field `topk`/],
    [["x", { topK: "3" }], /options\.topK: invalid type/],
    [["x", { normalization: "NFC" }], /options\.normalization: unknown variant `NFC`/],
    [["x", 5], /options must be an object, got number/],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => lineage.profile(...args),
      (err) => err instanceof Error && err.code === "BAD_ARGUMENT" && message.test(err.message),
      `profile(${JSON.stringify(args)})`,
    );
  }
  assert.equal(lineage.profile("still works").words, 2);
});

test("the .d.ts names every public type, without any", () => {
  const dts = readFileSync(`${pkgDir}lineage.d.ts`, "utf8");
  // InitOutput lists the raw wasm exports (externref arguments are `any`
  // there by wasm-bindgen's design); it is the loader's plumbing, not the API.
  const publicPart = dts
    .replace(/export interface InitOutput \{[^}]*\}/, "")
    .replace(/\/\*[\s\S]*?\*\//g, ""); // comments may say "any" in prose
  assert.doesNotMatch(publicPart, /\bany\b/);
  for (const name of ["Profile", "ProfileOptions", "Richness", "Markdown", "Counted", "LineageError"]) {
    assert.match(dts, new RegExp(`export (interface|type) ${name}\\b`), name);
  }
  assert.match(dts, /export function profile\(text: string, options\?: ProfileOptions \| null\): Profile;/);
});

test("a strict TypeScript consumer type-checks against the .d.ts", () => {
  const tsc = `${root}node_modules/.bin/tsc`;
  const args = ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022",
    "--moduleResolution", "bundler", "--lib", "es2022,dom,esnext.disposable", `${root}tests/e2e/consumer.ts`];
  try {
    execFileSync(tsc, args, { encoding: "utf8", stdio: "pipe" });
  } catch (err) {
    assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`);
  }
});

test("a Workspace refuses an input over the size limit before copying it", async () => {
  // The package entry, in Node: ready on import.
  const pkg = await import(`${pkgDir}node.js`);
  const ws = new pkg.Workspace();
  // String.prototype.repeat builds a rope: the length is known without
  // 256 MiB being allocated, and the module checks the length first.
  const huge = "x".repeat((256 << 20) + 1);
  for (const add of [(t) => ws.addJsonl(t), (t) => ws.addCsv(t, { name: "big.csv" })]) {
    assert.throws(() => add(huge), { code: "TOO_LARGE", message: /more than 256 MiB of text/ });
  }
  assert.equal(ws.size, 0);
  ws.free();
});
